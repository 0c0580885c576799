//! The PEP 668 marker: whether `<stdlib>/EXTERNALLY-MANAGED` makes pip refuse, and the
//! message pip would show, read exactly as pip 23.0.1–26.x reads it.
//!
//! pip (`ExternallyManagedEnvironment.from_config`) parses the file with
//! `configparser.ConfigParser(interpolation=None)` as UTF-8, takes section
//! `[externally-managed]`, and returns the first `Error-<lang>` / `Error` key that exists.
//! Every failure to get a message still means "managed" with pip's default text; we also
//! say why the file's own message was not used. See <https://peps.python.org/pep-0668/>.

use std::io;
use std::path::{Path, PathBuf};

/// The marker's file name inside the interpreter's `stdlib` directory.
pub const MARKER_FILE: &str = "EXTERNALLY-MANAGED";

/// The section pip reads; section names are case-sensitive in configparser.
const SECTION: &str = "externally-managed";

/// Bell, backspace, vertical tab, form feed, carriage return: rich's `strip_control_codes`.
const RICH_STRIPPED: [char; 5] = ['\u{7}', '\u{8}', '\u{b}', '\u{c}', '\r'];

/// What the marker file says about an interpreter (the venv check comes before this).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkerState {
    /// No regular file named `EXTERNALLY-MANAGED` (a directory or dangling symlink is none).
    NoMarker,
    /// A marker that parsed as INI, whether or not it held a usable message.
    Marker,
    /// A marker that configparser rejects (or that is not UTF-8): still managed.
    MarkerUnparsable,
    /// A marker that exists but cannot be read: still managed.
    MarkerUnreadable,
}

impl MarkerState {
    /// Whether pip refuses to install (outside a virtual environment).
    pub fn is_managed(self) -> bool {
        self != Self::NoMarker
    }
}

/// The marker's verdict and message for one `stdlib` directory.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerReport {
    pub state: MarkerState,
    /// `Some(<stdlib>/EXTERNALLY-MANAGED)` when it is a regular file.
    pub path: Option<PathBuf>,
    /// `None` only for `NoMarker`; pip's default text when the file yields no message.
    pub message: Option<String>,
    /// The key the message came from (`Error`, `Error-de_DE`, …); `None` for the default text.
    pub message_key: Option<String>,
    /// Why the file's message was not used, one sentence each.
    pub warnings: Vec<String>,
}

/// Reads `<stdlib>/EXTERNALLY-MANAGED` the way pip does. `prefix` (the interpreter's
/// `sys.prefix`) fills pip's default text; `language` is the LC_MESSAGES language
/// (see [`crate::python::locale`]), `None` for "no language".
pub fn read_marker(stdlib: &Path, prefix: &str, language: Option<&str>) -> MarkerReport {
    let path = stdlib.join(MARKER_FILE);
    // pip uses `os.path.isfile`, which follows symlinks and is false on any error.
    let is_file = std::fs::metadata(&path).is_ok_and(|metadata| metadata.is_file());
    if !is_file {
        return MarkerReport {
            state: MarkerState::NoMarker,
            path: None,
            message: None,
            message_key: None,
            warnings: Vec::new(),
        };
    }
    let managed = |state, warning: String| MarkerReport {
        state,
        path: Some(path.clone()),
        message: Some(default_message(prefix)),
        message_key: None,
        warnings: vec![warning],
    };
    let bytes = match fs_err::read(&path) {
        Ok(bytes) => bytes,
        Err(err) => {
            return managed(
                MarkerState::MarkerUnreadable,
                format!("{}; pip shows its default message", io_reason(&err)),
            );
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(err) => {
            return managed(
                MarkerState::MarkerUnparsable,
                format!(
                    "`{}` is not valid UTF-8 (byte {}); pip shows its default message",
                    path.display(),
                    err.valid_up_to()
                ),
            );
        }
    };
    let ini = match ini::parse(text) {
        Ok(ini) => ini,
        Err(err) => {
            return managed(
                MarkerState::MarkerUnparsable,
                format!(
                    "`{}` is not valid INI ({err}); pip shows its default message",
                    path.display()
                ),
            );
        }
    };
    let mut report = managed(MarkerState::Marker, String::new());
    report.warnings.clear();
    if !ini.has_section(SECTION) {
        let near_miss = ini
            .section_names()
            .find(|name| name.eq_ignore_ascii_case(SECTION));
        report.warnings.push(match near_miss {
            Some(name) => format!(
                "`{}` has section `[{name}]` but pip reads only `[{SECTION}]` (section names are case-sensitive); pip shows its default message",
                path.display()
            ),
            None => format!(
                "`{}` has no `[{SECTION}]` section; pip shows its default message",
                path.display()
            ),
        });
        return report;
    }
    for key in error_keys(language) {
        let Some(value) = ini.get(SECTION, &key) else {
            continue;
        };
        // pip shows the message through rich, whose `Text` drops these control characters.
        let value: String = value
            .chars()
            .filter(|character| !RICH_STRIPPED.contains(character))
            .collect();
        // pip stops at the first key present, even when its value is empty.
        if value.is_empty() {
            report.warnings.push(format!(
                "`{}`: key `{key}` is empty; pip shows its default message",
                path.display()
            ));
        } else {
            report.message = Some(value);
            report.message_key = Some(key);
        }
        return report;
    }
    report.warnings.push(format!(
        "`{}` has no `Error` key in `[{SECTION}]`; pip shows its default message",
        path.display()
    ));
    report
}

fn io_reason(err: &io::Error) -> String {
    // fs_err's message already names the path.
    format!("cannot read the marker: {err}")
}

/// pip's text when the marker yields no message, for an interpreter whose `sys.prefix`
/// is `prefix` (`_DEFAULT_EXTERNALLY_MANAGED_ERROR` in pip's `exceptions.py`).
pub fn default_message(prefix: &str) -> String {
    format!(
        "The Python environment under {prefix} is managed externally, and may not be\n\
         manipulated by the user. Please use specific tooling from the distributor of\n\
         the Python installation to interact with this environment instead.\n"
    )
}

/// The keys pip tries, in order: `Error-<lang>`, then `Error-<lang before "-">`, then
/// `Error-<lang before "_">` (each only when the separator occurs), then `Error`.
pub fn error_keys(language: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(language) = language {
        keys.push(format!("Error-{language}"));
        for separator in ['-', '_'] {
            if let Some((before, _)) = language.split_once(separator) {
                keys.push(format!("Error-{before}"));
            }
        }
    }
    keys.push("Error".to_string());
    keys
}

/// An INI reader that gives the values Python's `configparser.ConfigParser` gives with its
/// defaults (strict, `=`/`:` delimiters, `#`/`;` full-line comments only, blank lines
/// kept inside values, a `[DEFAULT]` section) and no interpolation — the reader behind
/// both the marker and pip's config files. Modelled on CPython 3.11 `RawConfigParser._read`.
pub mod ini {
    use std::fmt;

    /// The name configparser gives the section whose keys every other section inherits.
    const DEFAULT_SECTION: &str = "DEFAULT";

    /// A parsed file: sections in file order, each key lowercased, values joined.
    #[derive(Debug, Clone, Default, PartialEq)]
    pub struct Ini {
        defaults: Vec<(String, String)>,
        sections: Vec<(String, Vec<(String, String)>)>,
    }

    /// Why configparser rejects a file. Lines are 1-based.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum IniError {
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
        pub fn has_section(&self, name: &str) -> bool {
            self.sections.iter().any(|(section, _)| section == name)
        }

        /// Section names in file order, without `DEFAULT`.
        pub fn section_names(&self) -> impl Iterator<Item = &str> {
            self.sections.iter().map(|(name, _)| name.as_str())
        }

        /// `parser[section][key]`: the section's own key, else the `[DEFAULT]` one. `None`
        /// when the section does not exist. `key` compares case-insensitively.
        pub fn get(&self, section: &str, key: &str) -> Option<&str> {
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
        pub fn items(&self, section: &str) -> Vec<(&str, &str)> {
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
    pub fn parse(text: &str) -> Result<Ini, IniError> {
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
}

#[cfg(test)]
mod tests {
    use super::ini::{IniError, parse};
    use super::*;

    fn message_of(text: &str) -> Option<String> {
        parse(text)
            .ok()
            .and_then(|ini| ini.get(SECTION, "Error").map(str::to_string))
    }

    #[test]
    fn debian_marker_joins_continuation_lines_and_keeps_blank_ones() {
        let text = "[externally-managed]\nError=To install, try apt install\n python3-xyz, where\n\n If you wish\n";
        assert_eq!(
            message_of(text).as_deref(),
            Some("To install, try apt install\npython3-xyz, where\n\nIf you wish")
        );
    }

    #[test]
    fn keys_are_case_insensitive_and_colon_is_a_delimiter() {
        assert_eq!(
            message_of("[externally-managed]\nerror = lower\n").as_deref(),
            Some("lower")
        );
        assert_eq!(
            message_of("[externally-managed]\nERROR: colon\n").as_deref(),
            Some("colon")
        );
        // The first delimiter wins, whichever it is.
        assert_eq!(
            message_of("[externally-managed]\nError: a = b\n").as_deref(),
            Some("a = b")
        );
    }

    #[test]
    fn hash_semicolon_and_percent_inside_a_value_are_kept() {
        assert_eq!(
            message_of("[externally-managed]\nError = use apt # not pip ; ok 100%\n").as_deref(),
            Some("use apt # not pip ; ok 100%")
        );
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        assert_eq!(
            message_of("[externally-managed]\r\nError = one\r\n  two\r\n").as_deref(),
            Some("one\ntwo")
        );
        assert_eq!(
            message_of("[externally-managed]\rError = one\r  two\r").as_deref(),
            Some("one\ntwo")
        );
    }

    #[test]
    fn comment_lines_inside_a_value_are_dropped_without_ending_it() {
        let text = "[externally-managed]\nError = one\n  # hidden\n; hidden too\n  two\n";
        assert_eq!(message_of(text).as_deref(), Some("one\ntwo"));
    }

    #[test]
    fn trailing_blank_lines_are_trimmed_and_inner_ones_kept() {
        let text = "[externally-managed]\nError = one\n\n\n  two\n\n\n";
        assert_eq!(message_of(text).as_deref(), Some("one\n\n\ntwo"));
    }

    #[test]
    fn empty_value_and_value_on_next_line() {
        assert_eq!(
            message_of("[externally-managed]\nError =\n").as_deref(),
            Some("")
        );
        assert_eq!(
            message_of("[externally-managed]\nError =\n  below\n").as_deref(),
            Some("\nbelow")
        );
    }

    #[test]
    fn indented_header_after_a_value_is_a_continuation() {
        let text = "[externally-managed]\nError = one\n  [other]\n";
        assert_eq!(message_of(text).as_deref(), Some("one\n[other]"));
    }

    #[test]
    fn section_header_runs_to_the_last_bracket() {
        let ini = parse("[externally-managed] trailing ]\nError = x\n").expect("parses");
        assert!(ini.has_section("externally-managed] trailing "));
        let ini = parse("[externally-managed] # note\nError = x\n").expect("parses");
        assert_eq!(ini.get(SECTION, "Error"), Some("x"));
    }

    #[test]
    fn default_section_is_inherited() {
        let ini = parse("[DEFAULT]\nError = from default\n[externally-managed]\n").expect("ok");
        assert_eq!(ini.get(SECTION, "Error"), Some("from default"));
        assert!(!ini.has_section("DEFAULT"));
    }

    #[test]
    fn rejections_match_configparser() {
        assert!(matches!(
            parse("Error = x\n"),
            Err(IniError::MissingSectionHeader { line: 1, .. })
        ));
        assert!(matches!(
            parse("\u{feff}[externally-managed]\nError = x\n"),
            Err(IniError::MissingSectionHeader { .. })
        ));
        assert!(matches!(
            parse("[externally-managed]\nError = x\nbare key\n"),
            Err(IniError::Parsing { .. })
        ));
        assert!(matches!(
            parse("[externally-managed]\n= x\n"),
            Err(IniError::Parsing { .. })
        ));
        assert!(matches!(
            parse("[externally-managed]\nError = x\nerror = y\n"),
            Err(IniError::DuplicateOption { line: 3, .. })
        ));
        assert!(matches!(
            parse("[a]\n[externally-managed]\n[a]\n"),
            Err(IniError::DuplicateSection { line: 3, .. })
        ));
        // A repeated [DEFAULT] is allowed; a repeated key in it is not.
        assert!(parse("[DEFAULT]\n[DEFAULT]\n").is_ok());
        assert!(matches!(
            parse("[DEFAULT]\na=1\n[DEFAULT]\nA=2\n"),
            Err(IniError::DuplicateOption { .. })
        ));
        // A bad line anywhere fails the whole file, even after the message.
        assert!(parse("[externally-managed]\nError = x\n[other]\njunk\n").is_err());
    }

    #[test]
    fn comments_and_blank_lines_before_the_header_are_fine() {
        assert_eq!(
            message_of("# vendor marker\n\n; more\n[externally-managed]\nError=x").as_deref(),
            Some("x")
        );
    }

    #[test]
    fn error_key_chain_follows_pip() {
        assert_eq!(error_keys(None), ["Error"]);
        assert_eq!(
            error_keys(Some("de_DE")),
            ["Error-de_DE", "Error-de", "Error"]
        );
        assert_eq!(error_keys(Some("de")), ["Error-de", "Error"]);
        assert_eq!(
            error_keys(Some("zh-Hant_TW")),
            ["Error-zh-Hant_TW", "Error-zh", "Error-zh-Hant", "Error"]
        );
    }

    fn stdlib_with(contents: &[u8]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs_err::write(dir.path().join(MARKER_FILE), contents).expect("write marker");
        dir
    }

    #[test]
    fn no_marker_directory_and_dangling_symlink_are_not_markers() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            read_marker(dir.path(), "/usr", None).state,
            MarkerState::NoMarker
        );
        fs_err::create_dir(dir.path().join(MARKER_FILE)).expect("mkdir");
        let report = read_marker(dir.path(), "/usr", None);
        assert_eq!(report.state, MarkerState::NoMarker);
        assert_eq!(report.message, None);
        let other = tempfile::tempdir().expect("temp dir");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(other.path().join("gone"), other.path().join(MARKER_FILE))
                .expect("symlink");
            assert_eq!(
                read_marker(other.path(), "/usr", None).state,
                MarkerState::NoMarker
            );
        }
    }

    #[test]
    fn localized_key_wins_and_falls_back() {
        let dir = stdlib_with(
            "[externally-managed]\nError = plain\nError-de = deutsch\nError-de_AT = österreich\n"
                .as_bytes(),
        );
        let report = read_marker(dir.path(), "/usr", Some("de_DE"));
        assert_eq!(report.state, MarkerState::Marker);
        assert_eq!(report.message.as_deref(), Some("deutsch"));
        assert_eq!(report.message_key.as_deref(), Some("Error-de"));
        let report = read_marker(dir.path(), "/usr", Some("de_AT"));
        assert_eq!(report.message_key.as_deref(), Some("Error-de_AT"));
        let report = read_marker(dir.path(), "/usr", None);
        assert_eq!(report.message.as_deref(), Some("plain"));
        assert!(report.warnings.is_empty());
        assert_eq!(report.path, Some(dir.path().join(MARKER_FILE)));
    }

    #[test]
    fn every_failure_is_managed_with_the_default_text_and_a_reason() {
        let cases: &[(&[u8], MarkerState)] = &[
            (b"", MarkerState::Marker),
            (b"[other]\nError = x\n", MarkerState::Marker),
            (b"[Externally-Managed]\nError = x\n", MarkerState::Marker),
            (b"[externally-managed]\nMessage = x\n", MarkerState::Marker),
            (b"[externally-managed]\nError =\n", MarkerState::Marker),
            (
                b"\xef\xbb\xbf[externally-managed]\nError = x\n",
                MarkerState::MarkerUnparsable,
            ),
            (b"Error = x\n", MarkerState::MarkerUnparsable),
            (
                b"[externally-managed]\nError\n",
                MarkerState::MarkerUnparsable,
            ),
            (
                b"[externally-managed]\nError = caf\xe9\n",
                MarkerState::MarkerUnparsable,
            ),
            (
                b"[externally-managed]\nError = a\nError = b\n",
                MarkerState::MarkerUnparsable,
            ),
            (
                b"[externally-managed]\n[externally-managed]\n",
                MarkerState::MarkerUnparsable,
            ),
        ];
        for (contents, state) in cases {
            let dir = stdlib_with(contents);
            let report = read_marker(dir.path(), "/opt/py", None);
            let shown = String::from_utf8_lossy(contents);
            assert_eq!(report.state, *state, "{shown}");
            assert!(report.state.is_managed());
            assert_eq!(report.message, Some(default_message("/opt/py")), "{shown}");
            assert_eq!(report.message_key, None, "{shown}");
            assert_eq!(report.warnings.len(), 1, "{shown}: {:?}", report.warnings);
        }
    }

    /// Tests run as root, where `chmod 000` does not stop a read; `/proc/self/mem` is a
    /// regular file whose read at offset 0 fails for everyone.
    #[cfg(target_os = "linux")]
    #[test]
    fn unreadable_marker_is_managed() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink("/proc/self/mem", dir.path().join(MARKER_FILE))
            .expect("symlink");
        let report = read_marker(dir.path(), "/usr", None);
        assert_eq!(report.state, MarkerState::MarkerUnreadable);
        assert_eq!(report.message, Some(default_message("/usr")));
        assert!(
            report.warnings[0].contains("EXTERNALLY-MANAGED"),
            "{:?}",
            report.warnings
        );
    }

    #[test]
    fn wrong_case_section_is_named_in_the_warning() {
        let dir = stdlib_with(b"[Externally-Managed]\nError = x\n");
        let report = read_marker(dir.path(), "/usr", None);
        assert!(
            report.warnings[0].contains("case-sensitive"),
            "{:?}",
            report.warnings
        );
    }

    #[test]
    fn empty_localized_key_stops_the_chain_like_pip() {
        let dir = stdlib_with(b"[externally-managed]\nError = plain\nError-de =\n");
        let report = read_marker(dir.path(), "/usr", Some("de_DE"));
        assert_eq!(report.message, Some(default_message("/usr")));
        assert!(report.warnings[0].contains("Error-de"));
    }

    #[test]
    fn control_characters_rich_drops_are_dropped() {
        let dir = stdlib_with(b"[externally-managed]\nError = a\x0cb\x0bc\x07d\x08e\x00f\n");
        let report = read_marker(dir.path(), "/usr", None);
        assert_eq!(report.message.as_deref(), Some("abcde\0f"));
        let dir = stdlib_with(b"[externally-managed]\nError = \x07\n");
        let report = read_marker(dir.path(), "/usr", None);
        assert_eq!(report.message, Some(default_message("/usr")));
    }

    #[test]
    fn default_message_is_pips_text() {
        assert_eq!(
            default_message("/usr"),
            "The Python environment under /usr is managed externally, and may not be\n\
             manipulated by the user. Please use specific tooling from the distributor of\n\
             the Python installation to interact with this environment instead.\n"
        );
    }
}
