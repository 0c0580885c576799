//! os-release(5): the shell-style `KEY=value` file that names a Linux distribution.
//!
//! Values may be unquoted, `'single'` (literal) or `"double"` quoted (where `\"`, `\\`,
//! `` \` `` and `\$` are escapes), or a mix of those glued together, as in a shell
//! assignment. A line that is none of that is skipped with a warning naming file and line.

use std::path::Path;

/// The assignments of one os-release file, in file order, and what was skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OsRelease {
    pub fields: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

impl OsRelease {
    /// The last assignment of `key` (a later line overrides an earlier one, as in a shell).
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }
}

/// Parses the text of an os-release file; `path` only names the file in warnings.
pub(crate) fn parse(text: &str, path: &Path) -> OsRelease {
    let mut result = OsRelease::default();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        match parse_assignment(trimmed) {
            Ok((key, value)) => result.fields.push((key.to_string(), value)),
            Err(reason) => result.warnings.push(format!(
                "`{}` line {}: {reason}; line ignored",
                path.display(),
                index + 1
            )),
        }
    }
    result
}

fn parse_assignment(line: &str) -> Result<(&str, String), String> {
    let Some((key, raw)) = line.split_once('=') else {
        return Err(format!("`{}` is not `KEY=value`", shown(line)));
    };
    let valid_key = key
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && key
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || character == '_');
    if !valid_key {
        return Err(format!("`{}` is not a variable name", shown(key)));
    }
    parse_value(raw).map(|value| (key, value))
}

/// One shell word: unquoted, single- and double-quoted pieces, no unquoted whitespace.
fn parse_value(raw: &str) -> Result<String, String> {
    let mut value = String::new();
    let mut characters = raw.chars();
    while let Some(character) = characters.next() {
        match character {
            '\'' => loop {
                match characters.next() {
                    Some('\'') => break,
                    Some(inner) => value.push(inner),
                    None => return Err("a single quote is never closed".to_string()),
                }
            },
            '"' => loop {
                match characters.next() {
                    Some('"') => break,
                    Some('\\') => match characters.next() {
                        Some(escaped @ ('"' | '\\' | '`' | '$')) => value.push(escaped),
                        Some(other) => {
                            value.push('\\');
                            value.push(other);
                        }
                        None => return Err("a double quote is never closed".to_string()),
                    },
                    Some(inner) => value.push(inner),
                    None => return Err("a double quote is never closed".to_string()),
                }
            },
            '\\' => match characters.next() {
                Some(escaped) => value.push(escaped),
                None => return Err("the value ends with a lone backslash".to_string()),
            },
            space if space.is_whitespace() => {
                let rest: String = characters.collect();
                if rest.trim().is_empty() {
                    break;
                }
                return Err(format!(
                    "the value `{}` has unquoted spaces",
                    shown(raw.trim())
                ));
            }
            other => value.push(other),
        }
    }
    Ok(value)
}

/// A line shortened for a warning, so a binary blob cannot flood the output.
fn shown(text: &str) -> String {
    const LIMIT: usize = 60;
    let mut shortened: String = text
        .chars()
        .take(LIMIT)
        .map(|character| {
            if character.is_control() {
                '?'
            } else {
                character
            }
        })
        .collect();
    if text.chars().count() > LIMIT {
        shortened.push('…');
    }
    shortened
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> OsRelease {
        parse(text, Path::new("/etc/os-release"))
    }

    #[test]
    fn real_debian_file() {
        let release = parsed(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n\
             VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\n\
             HOME_URL=\"https://www.debian.org/\"\n",
        );
        assert_eq!(release.get("ID"), Some("debian"));
        assert_eq!(release.get("VERSION_ID"), Some("12"));
        assert_eq!(
            release.get("PRETTY_NAME"),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
        assert!(release.warnings.is_empty());
    }

    #[test]
    fn quotes_and_escapes() {
        let release = parsed(
            "A='single \"kept\" \\n'\nB=\"double \\\"q\\\" \\\\ \\$HOME \\` \\x\"\nC=un\\ quoted\nD=\"glued\"'pieces'\nE=\nF=\"\"\n",
        );
        assert_eq!(release.get("A"), Some("single \"kept\" \\n"));
        assert_eq!(release.get("B"), Some("double \"q\" \\ $HOME ` \\x"));
        assert_eq!(release.get("C"), Some("un quoted"));
        assert_eq!(release.get("D"), Some("gluedpieces"));
        assert_eq!(release.get("E"), Some(""));
        assert_eq!(release.get("F"), Some(""));
        assert!(release.warnings.is_empty(), "{:?}", release.warnings);
    }

    #[test]
    fn comments_blank_lines_crlf_and_trailing_space() {
        let release = parsed("# comment\n\n   \r\n  ID=arch  \r\n#ID=debian\nID_LIKE=\"x\"\t\n");
        assert_eq!(release.get("ID"), Some("arch"));
        assert_eq!(release.get("ID_LIKE"), Some("x"));
        assert!(release.warnings.is_empty(), "{:?}", release.warnings);
    }

    #[test]
    fn broken_lines_are_skipped_with_file_and_line() {
        let release = parsed(
            "ID=debian\nthis is not an assignment\nNAME=Debian GNU\nVERSION_ID=\"12\nID_LIKE='x\n1X=y\nB=a\\\nVERSION_CODENAME=bookworm\n",
        );
        assert_eq!(release.get("ID"), Some("debian"));
        assert_eq!(release.get("VERSION_CODENAME"), Some("bookworm"));
        assert_eq!(release.get("NAME"), None);
        assert_eq!(release.get("VERSION_ID"), None);
        assert_eq!(release.warnings.len(), 6, "{:?}", release.warnings);
        assert!(
            release.warnings[0].starts_with("`/etc/os-release` line 2:"),
            "{}",
            release.warnings[0]
        );
        assert!(release.warnings[1].contains("line 3"));
    }

    #[test]
    fn later_assignment_wins() {
        assert_eq!(parsed("ID=a\nID=b\n").get("ID"), Some("b"));
    }

    #[test]
    fn long_garbage_is_shortened_in_warnings() {
        let line = "\u{1}".repeat(500);
        let release = parsed(&line);
        assert_eq!(release.warnings.len(), 1);
        assert!(release.warnings[0].chars().count() < 150);
    }
}
