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

use super::ini;

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

#[cfg(test)]
mod tests {
    use super::super::ini::{IniError, parse};
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
