//! The marker reader against pip itself: every variant is read by Debian's pip (the code
//! that really refuses installs) and by `read_marker`, under several locales.

use std::path::{Path, PathBuf};
use std::process::Command;

use pybootstrap::python::locale::message_language_for_python;
use pybootstrap::python::marker::{MarkerState, default_message, error_keys, read_marker};

use crate::support;

/// Reads each marker path given on the command line the way `pip install` does: pip's
/// `main` calls `setlocale(LC_ALL, "")` first, then `check_externally_managed` builds the
/// error with `from_config`.
const PIP_READER: &str = r#"
import json, locale, logging, sys
try:
    locale.setlocale(locale.LC_ALL, "")
except locale.Error:
    pass
from pip._internal.exceptions import ExternallyManagedEnvironment as E

class Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []
    def emit(self, record):
        self.records.append(record.getMessage())

collector = Collect()
logging.getLogger("pip").addHandler(collector)
results = []
for path in sys.argv[1:]:
    collector.records.clear()
    try:
        error = E.from_config(path)
        results.append({"crash": None, "message": str(error.context), "warned": bool(collector.records)})
    except Exception as crash:
        results.append({"crash": type(crash).__name__, "message": None, "warned": False})
print(json.dumps({
    "prefix": sys.prefix,
    "version": list(sys.version_info[:2]),
    "keys": list(E._iter_externally_managed_error_keys()),
    "results": results,
}))
"#;

/// Marker contents: the cases of PEP668.md §1.3–1.4 and the corners of configparser.
fn variants() -> Vec<(&'static str, Vec<u8>)> {
    let debian = fs_err::read("/usr/lib/python3.11/EXTERNALLY-MANAGED").unwrap_or_else(|_| {
        b"[externally-managed]\nError=To install Python packages system-wide, try apt install\n python3-xyz.\n\n See /usr/share/doc.\n".to_vec()
    });
    let text = |name, contents: &str| (name, contents.as_bytes().to_vec());
    vec![
        ("debian", debian),
        text("simple", "[externally-managed]\nError=simple\n"),
        text("lowercase key", "[externally-managed]\nerror = lower\n"),
        text("colon", "[externally-managed]\nError: colon = kept\n"),
        text("spaced", "[externally-managed]\nError  :   spaced   \n"),
        text(
            "crlf",
            "[externally-managed]\r\nError = one\r\n  two\r\n\r\n  three\r\n",
        ),
        text("lone cr", "[externally-managed]\rError = one\r  two\r"),
        text(
            "comments in value",
            "[externally-managed]\nError = one\n  # dropped\n; dropped\n  two\n",
        ),
        text(
            "hash and semicolon",
            "[externally-managed]\nError = apt install x # not pip ; really\n",
        ),
        text(
            "percent",
            "[externally-managed]\nError = 100% %(name)s %%\n",
        ),
        (
            "bom",
            b"\xef\xbb\xbf[externally-managed]\nError = bom\n".to_vec(),
        ),
        text("no header", "Error = headless\n"),
        text("bare key", "[externally-managed]\nError = x\nbare\n"),
        text("empty key", "[externally-managed]\n= x\nError = y\n"),
        text(
            "duplicate key",
            "[externally-managed]\nError = a\nError = b\n",
        ),
        text(
            "duplicate key, other case",
            "[externally-managed]\nError = a\nERROR = b\n",
        ),
        text(
            "duplicate section",
            "[externally-managed]\nError = a\n[externally-managed]\nX = b\n",
        ),
        (
            "invalid utf-8",
            b"[externally-managed]\nError = caf\xe9\n".to_vec(),
        ),
        text("empty value", "[externally-managed]\nError =\n"),
        text(
            "wrong-case section",
            "[Externally-Managed]\nError = wrong case\n",
        ),
        text("empty file", ""),
        text("no error key", "[externally-managed]\nMessage = x\n"),
        text(
            "localized",
            "[externally-managed]\nError = plain\nError-de = deutsch\nError-de_DE = deutschland\nError-en = english\nError-en_US = american\nError-C = c\n",
        ),
        text(
            "localized language only",
            "[externally-managed]\nError = plain\nError-de = deutsch\n",
        ),
        text(
            "empty localized",
            "[externally-managed]\nError = plain\nError-de_DE =\nError-en_US =\n",
        ),
        text(
            "default section",
            "[DEFAULT]\nError = from default\n[externally-managed]\n",
        ),
        text(
            "value on next line",
            "[externally-managed]\nError =\n  below\n",
        ),
        text(
            "indented header continues",
            "[externally-managed]\nError = one\n  [other]\n",
        ),
        text(
            "blank lines kept and trailing trimmed",
            "[externally-managed]\nError = one\n\n\n  two\n\n\n",
        ),
        text(
            "unicode whitespace",
            "[externally-managed]\nError = \u{a0}nbsp\u{a0}\u{1c}\n  \u{2003}em\n",
        ),
        text(
            "odd characters inside",
            "[externally-managed]\nError = a\u{c}b\u{b}c\u{2028}d\u{0}e\n",
        ),
        text(
            "header with trailing text",
            "[externally-managed] # comment ]\nError = a\n[externally-managed] # note\nError = b\n",
        ),
        text(
            "header then trailing text",
            "# vendor\n[externally-managed] trailing\nError = trailing\n",
        ),
        text(
            "bad line in another section",
            "[externally-managed]\nError = fine\n[other]\njunk\n",
        ),
        text(
            "less indented continuation",
            "[externally-managed]\n  Error = a\n b\n",
        ),
        text(
            "repeated default section",
            "[DEFAULT]\nx = 1\n[DEFAULT]\nX = 2\n[externally-managed]\nError = a\n",
        ),
        text("tabs", "[externally-managed]\nError\t=\tone\n\ttwo\n"),
    ]
}

struct LocaleCase {
    vars: Vec<(&'static str, &'static str)>,
    /// Needs the German locale compiled into `LOCPATH`.
    german: bool,
}

fn locale_cases() -> Vec<LocaleCase> {
    let case = |vars: &[(&'static str, &'static str)], german| LocaleCase {
        vars: vars.to_vec(),
        german,
    };
    vec![
        case(&[], false),
        case(&[("LC_ALL", "C")], false),
        case(&[("LC_ALL", "POSIX")], false),
        case(&[("LC_ALL", "C.UTF-8")], false),
        case(&[("LANG", "C.utf8"), ("LC_ALL", "")], false),
        // Not installed: setlocale fails and pip gets no language.
        case(&[("LANG", "de_DE.UTF-8")], false),
        case(
            &[("LC_MESSAGES", "fr_FR.UTF-8"), ("LANG", "C.UTF-8")],
            false,
        ),
        // Installed through LOCPATH.
        case(&[("LANG", "de_DE.UTF-8")], true),
        case(&[("LC_ALL", "de_DE.UTF-8@euro")], true),
        case(&[("LC_MESSAGES", "de_DE.UTF-8"), ("LANG", "C.UTF-8")], true),
        case(
            &[("LC_ALL", "C.UTF-8"), ("LC_MESSAGES", "de_DE.UTF-8")],
            true,
        ),
        // glibc finds `de_DE.UTF-8` only by that spelling or the normalized `de_DE.utf8`.
        case(&[("LANG", "de_DE.utf8")], true),
        case(&[("LANG", "de_DE")], true),
        // One category naming a missing locale fails them all.
        case(
            &[("LC_MESSAGES", "de_DE.UTF-8"), ("LANG", "fr_FR.UTF-8")],
            true,
        ),
        case(&[("LANGUAGE", "de_DE"), ("LANG", "C.UTF-8")], true),
    ]
}

/// Compiles `de_DE.UTF-8` into a private locale directory, so no system change is needed.
fn compile_german(dir: &Path) -> Option<PathBuf> {
    let localedef = support::tool("localedef")?;
    if !Path::new("/usr/share/i18n/locales/de_DE").exists() {
        eprintln!("skipped: the de_DE locale source is not installed");
        return None;
    }
    let target = dir.join("locales");
    fs_err::create_dir_all(&target).expect("create locale dir");
    // localedef exits non-zero for mere warnings; the compiled files are what count.
    let _ = Command::new(localedef)
        .args(["-i", "de_DE", "-f", "UTF-8"])
        .arg(target.join("de_DE.UTF-8"))
        .output()
        .expect("run localedef");
    target
        .join("de_DE.UTF-8/LC_CTYPE")
        .is_file()
        .then_some(target)
}

#[derive(serde::Deserialize)]
struct PipRun {
    prefix: String,
    version: (u32, u32),
    keys: Vec<String>,
    results: Vec<PipResult>,
}

#[derive(serde::Deserialize, Debug)]
struct PipResult {
    crash: Option<String>,
    message: Option<String>,
    warned: bool,
}

#[test]
fn marker_messages_match_pip() {
    let Some(python) = support::python("/usr/bin/python3") else {
        return;
    };
    let pip_check = Command::new(&python)
        .args(["-I", "-c", "import pip._internal.exceptions"])
        .output()
        .expect("run python");
    if !pip_check.status.success() {
        eprintln!("skipped: `/usr/bin/python3` has no pip");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let variants = variants();
    let mut stdlibs = Vec::new();
    for (index, (_, contents)) in variants.iter().enumerate() {
        let stdlib = dir.path().join(format!("variant-{index}"));
        fs_err::create_dir_all(&stdlib).expect("create stdlib");
        fs_err::write(stdlib.join("EXTERNALLY-MANAGED"), contents).expect("write marker");
        stdlibs.push(stdlib);
    }
    let locpath = compile_german(dir.path());
    let mut compared_languages = Vec::new();

    for case in locale_cases() {
        if case.german && locpath.is_none() {
            continue;
        }
        let mut vars: Vec<(String, String)> = case
            .vars
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect();
        if case.german {
            let locpath = locpath.as_ref().expect("checked above");
            vars.push(("LOCPATH".into(), locpath.display().to_string()));
        }
        let mut command = Command::new(&python);
        command.env_clear().args(["-I", "-c", PIP_READER]).args(
            stdlibs
                .iter()
                .map(|stdlib| stdlib.join("EXTERNALLY-MANAGED")),
        );
        for (key, value) in &vars {
            command.env(key, value);
        }
        let output = command.output().expect("run pip's reader");
        assert!(
            output.status.success(),
            "pip's reader failed under {vars:?}:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let run: PipRun = serde_json::from_slice(&output.stdout).expect("reader JSON");

        let env = |name: &str| {
            vars.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        };
        let language = message_language_for_python(&env, run.version);
        assert_eq!(
            error_keys(language.as_deref()),
            run.keys,
            "key chain under {vars:?}"
        );
        compared_languages.push(language.clone());

        let default = default_message(&run.prefix);
        for (((name, _), stdlib), pip) in variants.iter().zip(&stdlibs).zip(&run.results) {
            let ours = read_marker(stdlib, &run.prefix, language.as_deref());
            let context = format!("variant `{name}` under {vars:?}: pip {pip:?}, ours {ours:?}");
            assert!(ours.state.is_managed(), "{context}");
            match (&pip.crash, pip.message.as_deref()) {
                // pip crashes on duplicate keys and sections; we stay managed and say why.
                (Some(_), _) => {
                    assert_eq!(ours.state, MarkerState::MarkerUnparsable, "{context}");
                    assert_eq!(ours.message.as_deref(), Some(default.as_str()), "{context}");
                    assert!(!ours.warnings.is_empty(), "{context}");
                }
                // pip shows an empty message for an empty key; we show its default text.
                (None, Some("")) => {
                    assert_eq!(ours.message.as_deref(), Some(default.as_str()), "{context}");
                    assert_eq!(ours.message_key, None, "{context}");
                    assert!(!ours.warnings.is_empty(), "{context}");
                }
                (None, Some(message)) => {
                    assert_eq!(ours.message.as_deref(), Some(message), "{context}");
                    let is_default = message == default;
                    assert_eq!(ours.message_key.is_none(), is_default, "{context}");
                    assert_eq!(!ours.warnings.is_empty(), is_default, "{context}");
                    assert_eq!(
                        ours.state == MarkerState::MarkerUnparsable,
                        pip.warned,
                        "{context}"
                    );
                }
                (None, None) => panic!("pip's reader gave no message: {context}"),
            }
        }
    }
    if locpath.is_some() {
        // The locale cases must really exercise a language, not only "none".
        assert!(compared_languages.contains(&Some("de_DE".to_string())));
    }
}

/// One situation for pip's overrides: files to write (relative to the case directory;
/// `site/` means the interpreter's `sys.prefix`) and environment variables.
struct OverrideCase {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
    vars: Vec<(&'static str, &'static str)>,
}

const BREAK_TRUE: &str = "[global]\nbreak-system-packages = true\n";
const BREAK_FALSE: &str = "[global]\nbreak-system-packages = false\n";

fn override_cases() -> Vec<OverrideCase> {
    let case = |name, files, vars: &[(&'static str, &'static str)]| OverrideCase {
        name,
        files,
        vars: vars.to_vec(),
    };
    let mut cases = vec![
        case("nothing", &[], &[]),
        case(
            "user file",
            &[("home/.config/pip/pip.conf", BREAK_TRUE)],
            &[],
        ),
        case(
            "new user file beats legacy",
            &[
                ("home/.pip/pip.conf", BREAK_TRUE),
                ("home/.config/pip/pip.conf", BREAK_FALSE),
            ],
            &[],
        ),
        case(
            "legacy user file alone",
            &[("home/.pip/pip.conf", BREAK_TRUE)],
            &[],
        ),
        case(
            "site beats global",
            &[
                ("xdg/pip/pip.conf", BREAK_TRUE),
                ("site/pip.conf", BREAK_FALSE),
            ],
            &[],
        ),
        case(
            "install section beats global section",
            &[
                (
                    "xdg/pip/pip.conf",
                    "[install]\nbreak-system-packages = yes\n",
                ),
                ("site/pip.conf", BREAK_FALSE),
            ],
            &[],
        ),
        case(
            "other sections and wrong case do nothing",
            &[(
                "site/pip.conf",
                "[freeze]\nbreak-system-packages = true\n[Global]\nbreak-system-packages = true\n",
            )],
            &[],
        ),
        case(
            "underscores and dashes in the key",
            &[("site/pip.conf", "[install]\n--break_system_packages = on\n")],
            &[],
        ),
        case(
            "default section",
            &[(
                "site/pip.conf",
                "[DEFAULT]\nbreak-system-packages = 1\n[global]\n",
            )],
            &[],
        ),
        case(
            "empty value is skipped",
            &[
                ("xdg/pip/pip.conf", BREAK_TRUE),
                ("site/pip.conf", "[global]\nbreak-system-packages =\n"),
            ],
            &[],
        ),
        case(
            "PIP_CONFIG_FILE replaces user files",
            &[
                ("home/.config/pip/pip.conf", BREAK_TRUE),
                ("custom.conf", "[global]\ntimeout = 5\n"),
            ],
            &[("PIP_CONFIG_FILE", "custom.conf")],
        ),
        case(
            "missing PIP_CONFIG_FILE keeps user files",
            &[("home/.config/pip/pip.conf", BREAK_TRUE)],
            &[("PIP_CONFIG_FILE", "missing.conf")],
        ),
        case(
            "PIP_CONFIG_FILE beats site",
            &[("site/pip.conf", BREAK_FALSE), ("custom.conf", BREAK_TRUE)],
            &[("PIP_CONFIG_FILE", "custom.conf")],
        ),
        case(
            "devnull disables every file",
            &[
                ("site/pip.conf", BREAK_TRUE),
                ("xdg/pip/pip.conf", BREAK_TRUE),
            ],
            &[("PIP_CONFIG_FILE", "/dev/null")],
        ),
        case(
            "environment beats files",
            &[("site/pip.conf", BREAK_TRUE)],
            &[("PIP_BREAK_SYSTEM_PACKAGES", "0")],
        ),
        case(
            "empty environment variable is skipped",
            &[("site/pip.conf", BREAK_TRUE)],
            &[("PIP_BREAK_SYSTEM_PACKAGES", "")],
        ),
        case(
            "XDG_CONFIG_HOME moves the user file",
            &[("config/pip/pip.conf", BREAK_TRUE)],
            &[("XDG_CONFIG_HOME", "config")],
        ),
        case(
            "file without a section header",
            &[(
                "home/.config/pip/pip.conf",
                "break-system-packages = true\n",
            )],
            &[],
        ),
        case(
            "value pip rejects in a file",
            &[("site/pip.conf", "[global]\nbreak-system-packages = sure\n")],
            &[],
        ),
        case(
            "rejected value overridden later still stops pip",
            &[(
                "xdg/pip/pip.conf",
                "[global]\nbreak-system-packages = sure\n",
            )],
            &[("PIP_BREAK_SYSTEM_PACKAGES", "1")],
        ),
        case(
            "require-virtualenv in a file",
            &[("site/pip.conf", "[global]\nrequire-virtualenv = true\n")],
            &[],
        ),
        case(
            "PIP_REQUIRE_VIRTUALENV",
            &[],
            &[("PIP_REQUIRE_VIRTUALENV", "1")],
        ),
        case(
            "PIP_REQUIRE_VENV alias",
            &[],
            &[("PIP_REQUIRE_VENV", "yes")],
        ),
    ];
    for value in [
        "1", "yes", "TRUE", "on", "y", "t", "0", "no", "off", "n", "f", "", "maybe",
    ] {
        cases.push(OverrideCase {
            name: "PIP_BREAK_SYSTEM_PACKAGES value",
            files: &[],
            vars: vec![("PIP_BREAK_SYSTEM_PACKAGES", value)],
        });
    }
    cases
}

/// What `pip install` would decide, for each case read as JSON from stdin: its option
/// parser reads the same files and variables. One process for all cases (pip takes most of
/// a second to import): each case writes its files, sets its environment, and cleans up.
const PIP_OPTIONS: &str = r#"
import json, os, sys
from pip._internal.commands import create_command
results = []
for case in json.load(sys.stdin):
    for path, contents in case["files"]:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as file:
            file.write(contents)
    os.environ.clear()
    os.environ.update(case["env"])
    try:
        options, _ = create_command("install").parse_args([])
        results.append({"error": False, "break": bool(options.override_externally_managed), "require": bool(options.require_venv)})
    except SystemExit:
        results.append({"error": True, "break": False, "require": False})
    for path, _ in case["files"]:
        os.remove(path)
print(json.dumps(results))
"#;

#[derive(serde::Deserialize, Debug)]
struct PipOptions {
    error: bool,
    #[serde(rename = "break")]
    break_system_packages: bool,
    require: bool,
}

#[test]
fn pip_overrides_match_pip() {
    use pybootstrap::python::pip_config::{EnvView, HostOs, Overrides, overrides};

    let dir = tempfile::tempdir().expect("temp dir");
    // A Debian interpreter whose `sys.prefix` (where pip's site config lives) is ours.
    let prefix = dir.path().join("site");
    let Some(python) = support::debian_python_copy(&prefix, &[]) else {
        return;
    };
    let dist_packages = "/usr/lib/python3/dist-packages";
    if !Path::new(dist_packages).join("pip").is_dir() {
        eprintln!("skipped: Debian's pip is not installed");
        return;
    }
    let cases = override_cases();
    let mut requests = Vec::new();
    let mut ours: Vec<(String, Overrides)> = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let root = dir.path().join(format!("case-{index}"));
        fs_err::create_dir_all(root.join("home")).expect("create home");
        let files: Vec<(PathBuf, &str)> = case
            .files
            .iter()
            .map(|(relative, contents)| {
                let path = match relative.strip_prefix("site/") {
                    Some(rest) => prefix.join(rest),
                    None => root.join(relative),
                };
                (path, *contents)
            })
            .collect();
        let mut vars: Vec<(String, String)> = vec![
            ("HOME".into(), root.join("home").display().to_string()),
            (
                "XDG_CONFIG_DIRS".into(),
                root.join("xdg").display().to_string(),
            ),
            ("PYTHONPATH".into(), dist_packages.into()),
        ];
        for (key, value) in &case.vars {
            let value = match *key {
                "PIP_CONFIG_FILE" | "XDG_CONFIG_HOME" if !value.starts_with('/') => {
                    root.join(value).display().to_string()
                }
                _ => value.to_string(),
            };
            vars.push((key.to_string(), value));
        }

        for (path, contents) in &files {
            fs_err::create_dir_all(path.parent().expect("parent")).expect("create parent");
            fs_err::write(path, contents).expect("write config");
        }
        let pairs: Vec<(&str, &str)> = vars
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
            .collect();
        let env = EnvView::from_pairs(&pairs, &root.join("home")).with_os(HostOs::Linux);
        ours.push((
            format!("{} {vars:?}", case.name),
            overrides(&env, &prefix, Some("23.0.1")),
        ));
        for (path, _) in &files {
            fs_err::remove_file(path).expect("remove config");
        }

        requests.push(serde_json::json!({
            "files": files
                .iter()
                .map(|(path, contents)| (path.display().to_string(), *contents))
                .collect::<Vec<_>>(),
            "env": vars.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
        }));
    }

    let mut child = Command::new(&python)
        .env_clear()
        .env("PYTHONPATH", dist_packages)
        .args(["-c", PIP_OPTIONS])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run pip");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        stdin
            .write_all(serde_json::to_string(&requests).expect("json").as_bytes())
            .expect("write cases");
    }
    let output = child.wait_with_output().expect("wait for pip");
    let pip: Vec<PipOptions> = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "pip printed no JSON ({err}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(pip.len(), ours.len());
    // Guard against a harness in which pip never sees anything.
    assert!(pip.iter().any(|pip| pip.break_system_packages));
    assert!(pip.iter().any(|pip| pip.require));
    assert!(pip.iter().any(|pip| pip.error));

    for (pip, (name, ours)) in pip.iter().zip(&ours) {
        let context = format!("{name}: pip {pip:?}, ours {ours:?}");
        if pip.error {
            assert!(!ours.warnings.is_empty(), "{context}");
            continue;
        }
        assert!(ours.warnings.is_empty(), "{context}");
        assert_eq!(
            ours.break_system_packages, pip.break_system_packages,
            "{context}"
        );
        assert_eq!(ours.require_virtualenv, pip.require, "{context}");
        assert_eq!(
            ours.source.is_some(),
            ours.break_system_packages,
            "{context}"
        );
    }
}
