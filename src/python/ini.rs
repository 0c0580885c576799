//! An INI reader that gives the values Python's `configparser.ConfigParser` gives with its
//! defaults (strict, `=`/`:` delimiters, `#`/`;` full-line comments only, blank lines
//! kept inside values, a `[DEFAULT]` section) and no interpolation — the reader behind
//! both the marker and pip's config files. Modelled on CPython 3.11 `RawConfigParser._read`.

use std::fmt;

/// The name configparser gives the section whose keys every other section inherits.
const DEFAULT_SECTION: &str = "DEFAULT";

/// A parsed file: sections in file order, each key lowercased, values joined.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Ini {
    defaults: Vec<(String, String)>,
    sections: Vec<(String, Vec<(String, String)>)>,
}

/// Why configparser rejects a file. Lines are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IniError {
    /// Text before the first `[section]` header (configparser stops there).
    MissingSectionHeader { line: usize, text: String },
    /// A section header repeated in one file.
    DuplicateSection { section: String, line: usize },
    /// A key repeated in one section (keys compare case-insensitively).
    DuplicateOption {
        section: String,
        option: String,
        line: usize,
    },
    /// Lines that are neither a header, a `key = value`, a continuation nor a comment.
    Parsing { lines: Vec<(usize, String)> },
}

impl fmt::Display for IniError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSectionHeader { line, text } => write!(
                f,
                "line {line}: `{}` comes before any `[section]` header",
                text.trim_end()
            ),
            Self::DuplicateSection { section, line } => {
                write!(f, "line {line}: section `[{section}]` appears twice")
            }
            Self::DuplicateOption {
                section,
                option,
                line,
            } => write!(
                f,
                "line {line}: key `{option}` appears twice in section `[{section}]`"
            ),
            Self::Parsing { lines } => {
                let lines: Vec<String> = lines
                    .iter()
                    .map(|(number, text)| format!("line {number}: `{}`", text.trim_end()))
                    .collect();
                write!(f, "not `key = value`: {}", lines.join(", "))
            }
        }
    }
}

impl std::error::Error for IniError {}

impl Ini {
    /// Whether `[name]` is a section (`DEFAULT` is not one, as in configparser).
    pub(crate) fn has_section(&self, name: &str) -> bool {
        self.sections.iter().any(|(section, _)| section == name)
    }

    /// Section names in file order, without `DEFAULT`.
    pub(crate) fn section_names(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|(name, _)| name.as_str())
    }

    /// `parser[section][key]`: the section's own key, else the `[DEFAULT]` one. `None`
    /// when the section does not exist. `key` compares case-insensitively.
    pub(crate) fn get(&self, section: &str, key: &str) -> Option<&str> {
        let options = &self.sections.iter().find(|(name, _)| name == section)?.1;
        let key = key.to_lowercase();
        options
            .iter()
            .chain(&self.defaults)
            .find(|(name, _)| *name == key)
            .map(|(_, value)| value.as_str())
    }

    /// `parser.items(section)`: the `[DEFAULT]` keys overlaid with the section's own,
    /// in configparser's order. Empty when the section does not exist.
    pub(crate) fn items(&self, section: &str) -> Vec<(&str, &str)> {
        let Some((_, options)) = self.sections.iter().find(|(name, _)| name == section) else {
            return Vec::new();
        };
        let mut items: Vec<(&str, &str)> = self
            .defaults
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        for (key, value) in options {
            match items.iter_mut().find(|(name, _)| name == key) {
                Some(item) => item.1 = value,
                None => items.push((key, value)),
            }
        }
        items
    }
}

/// Python's `str.isspace`: Rust's whitespace plus the ASCII separators U+001C–U+001F.
fn is_python_space(character: char) -> bool {
    character.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&character)
}

fn python_strip(text: &str) -> &str {
    text.trim_matches(is_python_space)
}

/// Lines as Python's text mode yields them: `\r\n`, `\r` and `\n` all end a line.
fn universal_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'\n' => {
                lines.push(&text[start..index]);
                start = index + 1;
            }
            b'\r' => {
                lines.push(&text[start..index]);
                if bytes.get(index + 1) == Some(&b'\n') {
                    index += 1;
                }
                start = index + 1;
            }
            _ => {}
        }
        index += 1;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    lines
}

/// `\[(?P<header>.+)\]` matched at the start: everything up to the *last* `]`.
/// (Python 3.8 and 3.9 stopped at the first `]`; only headers holding a `]` differ.)
fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    (end > 0).then(|| &rest[..end])
}

/// `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: split at the first delimiter.
fn option_line(value: &str) -> Option<(&str, &str)> {
    let at = value.find(['=', ':'])?;
    let option = value[..at].trim_end_matches(is_python_space);
    let rest = &value[at + 1..];
    Some((option, rest))
}

enum Target {
    None,
    Defaults,
    Section(usize),
}

/// Keys in file order, each with its value's lines (joined at the end).
type RawOptions = Vec<(String, Vec<String>)>;

struct Builder {
    defaults: RawOptions,
    sections: Vec<(String, RawOptions)>,
}

impl Builder {
    fn options(&mut self, target: &Target) -> Option<&mut RawOptions> {
        match target {
            Target::None => None,
            Target::Defaults => Some(&mut self.defaults),
            Target::Section(index) => self.sections.get_mut(*index).map(|(_, options)| options),
        }
    }

    /// Adds a continuation (or blank) line to the value of `name`.
    fn append(&mut self, target: &Target, name: &str, line: String) {
        let lines = self
            .options(target)
            .and_then(|options| options.iter_mut().find(|(key, _)| key == name));
        if let Some((_, lines)) = lines {
            lines.push(line);
        }
    }
}

fn join(options: RawOptions) -> Vec<(String, String)> {
    options
        .into_iter()
        .map(|(key, lines)| {
            let value = lines.join("\n");
            let value = value.trim_end_matches(is_python_space).to_string();
            (key, value)
        })
        .collect()
}

/// Parses `text` (already decoded from UTF-8, a BOM included) as configparser would.
pub(crate) fn parse(text: &str) -> Result<Ini, IniError> {
    let mut builder = Builder {
        defaults: Vec::new(),
        sections: Vec::new(),
    };
    let mut added_sections: Vec<String> = Vec::new();
    let mut added_options: Vec<(String, String)> = Vec::new();
    let mut target = Target::None;
    let mut section_name = String::new();
    // configparser treats an empty option name as "no option": no continuation lines.
    let mut option: Option<String> = None;
    let mut indent_level = 0usize;
    let mut bad_lines = Vec::new();

    for (number, line) in universal_lines(text).into_iter().enumerate() {
        let number = number + 1;
        let stripped = python_strip(line);
        let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
        let value = if is_comment { "" } else { stripped };
        let current_option = option.as_deref().filter(|name| !name.is_empty());
        if value.is_empty() {
            // A blank line continues the value; a comment line is dropped from it.
            if let (false, Some(name)) = (is_comment, current_option) {
                let name = name.to_string();
                builder.append(&target, &name, String::new());
            }
            continue;
        }
        let indent = line
            .chars()
            .position(|character| !is_python_space(character))
            .unwrap_or(0);
        if let (false, Some(name), true) = (
            matches!(target, Target::None),
            current_option,
            indent > indent_level,
        ) {
            let name = name.to_string();
            builder.append(&target, &name, value.to_string());
            continue;
        }
        indent_level = indent;
        if let Some(header) = section_header(value) {
            if let Some(index) = builder.sections.iter().position(|(name, _)| name == header) {
                if added_sections.iter().any(|name| name == header) {
                    return Err(IniError::DuplicateSection {
                        section: header.to_string(),
                        line: number,
                    });
                }
                added_sections.push(header.to_string());
                target = Target::Section(index);
            } else if header == DEFAULT_SECTION {
                target = Target::Defaults;
            } else {
                builder.sections.push((header.to_string(), Vec::new()));
                added_sections.push(header.to_string());
                target = Target::Section(builder.sections.len() - 1);
            }
            section_name = header.to_string();
            option = None;
            continue;
        }
        if matches!(target, Target::None) {
            return Err(IniError::MissingSectionHeader {
                line: number,
                text: line.to_string(),
            });
        }
        let Some((name, raw_value)) = option_line(value) else {
            bad_lines.push((number, line.to_string()));
            continue;
        };
        if name.is_empty() {
            bad_lines.push((number, line.to_string()));
        }
        let name = name.to_lowercase();
        let pair = (section_name.clone(), name.clone());
        if added_options.contains(&pair) {
            return Err(IniError::DuplicateOption {
                section: section_name,
                option: name,
                line: number,
            });
        }
        added_options.push(pair);
        let first = python_strip(raw_value).to_string();
        if let Some(options) = builder.options(&target) {
            match options.iter_mut().find(|(key, _)| *key == name) {
                Some((_, lines)) => *lines = vec![first],
                None => options.push((name.clone(), vec![first])),
            }
        }
        option = Some(name);
    }
    if !bad_lines.is_empty() {
        return Err(IniError::Parsing { lines: bad_lines });
    }
    Ok(Ini {
        defaults: join(builder.defaults),
        sections: builder
            .sections
            .into_iter()
            .map(|(name, options)| (name, join(options)))
            .collect(),
    })
}
