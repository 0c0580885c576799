//! Asking one interpreter about itself: a single isolated `-I` process running an embedded
//! script (never `-S`: without `site`, a venv's `sys.prefix` reads as its base prefix).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wait_timeout::ChildExt;

/// The script, embedded so the binary needs nothing beside it.
pub const PROBE_SCRIPT: &str = include_str!("probe.py");

/// A probe that has not answered by then is hung (waiting on something) and is reported
/// as broken rather than holding up every other interpreter.
const PROBE_TIMEOUT: Duration = Duration::from_secs(20);

/// What an interpreter says about itself: everything the verdict needs except the marker,
/// which is read fresh on every run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facts {
    pub version: String,
    pub implementation: String,
    pub executable: PathBuf,
    pub prefix: PathBuf,
    pub base_prefix: PathBuf,
    pub real_prefix: Option<PathBuf>,
    pub stdlib: PathBuf,
    pub venv: bool,
    pub ensurepip: bool,
    pub pip: Option<String>,
    /// The directory pip is installed in (`site-packages`), when it is.
    #[serde(default)]
    pub pip_location: Option<PathBuf>,
    pub platform: String,
}

impl Facts {
    /// `3.11` from `3.11.2`.
    pub fn minor_version(&self) -> String {
        self.version
            .splitn(3, '.')
            .take(2)
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// Why an interpreter could not tell us about itself.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProbeFailure {
    /// Python 2, or a Python that rejects `-I`.
    #[error("{0}")]
    Unsupported(String),
    /// It is a Python (or a venv of one) but cannot run.
    #[error("{0}")]
    Broken(String),
    /// It ran, but it is not a Python.
    #[error("{0}")]
    NotAPython(String),
}

/// Runs the probe script in `python` and parses its answer.
pub fn probe(python: &Path) -> Result<Facts, ProbeFailure> {
    let mut child = Command::new(python)
        .args(["-I", "-c", PROBE_SCRIPT])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => ProbeFailure::Broken(format!("cannot run it: {err}")),
            _ => ProbeFailure::NotAPython(format!("cannot run it: {err}")),
        })?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let out_reader = std::thread::spawn(move || read_capped(&mut stdout));
    let err_reader = std::thread::spawn(move || read_capped(&mut stderr));
    let Ok(Some(status)) = child.wait_timeout(PROBE_TIMEOUT) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(ProbeFailure::Broken(format!(
            "it did not answer within {} seconds",
            PROBE_TIMEOUT.as_secs()
        )));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    interpret(status.success(), &stdout, &stderr)
}

/// Reads at most 1 MiB: a probe answer is a few hundred bytes, and a runaway program must
/// not fill memory.
fn read_capped(reader: &mut impl Read) -> Vec<u8> {
    let mut buffer = Vec::new();
    let _ = reader.take(1 << 20).read_to_end(&mut buffer);
    buffer
}

fn interpret(success: bool, stdout: &[u8], stderr: &[u8]) -> Result<Facts, ProbeFailure> {
    let stdout = String::from_utf8_lossy(stdout);
    let stderr = String::from_utf8_lossy(stderr);
    if let Some(line) = stdout
        .lines()
        .rev()
        .find(|line| line.contains("\"pybootstrap_probe\""))
    {
        return serde_json::from_str(line)
            .map_err(|err| ProbeFailure::NotAPython(format!("unexpected probe answer: {err}")));
    }
    let first_error = without_probe_source(
        stderr
            .lines()
            .find(|line| !line.trim().is_empty())
            .unwrap_or("")
            .trim(),
    );
    let first_error = first_error.as_str();
    if stderr.contains("Unknown option: -I") || stderr.contains("Unknown option -I") {
        return Err(ProbeFailure::Unsupported(
            "it does not accept `-I` (Python 2 or older than 3.4)".into(),
        ));
    }
    if stderr.contains("SyntaxError") && stderr.contains("print") {
        return Err(ProbeFailure::Unsupported("it is Python 2".into()));
    }
    if looks_like_python_failure(&stderr) {
        return Err(ProbeFailure::Broken(format!(
            "it fails to start: {first_error}"
        )));
    }
    let detail = if success {
        "it ran but did not answer like a Python interpreter".to_string()
    } else if first_error.is_empty() {
        "it exited with an error and printed nothing".to_string()
    } else {
        format!("it exited with an error: {first_error}")
    };
    Err(ProbeFailure::NotAPython(detail))
}

/// A program that is not Python may echo its arguments (`ls: cannot access '# Asked of
/// each…'`): the error keeps what it said up to the script, not a page of source.
fn without_probe_source(line: &str) -> String {
    let head = PROBE_SCRIPT.lines().next().unwrap_or_default();
    let head = head.get(..24).unwrap_or(head);
    match line.find(head) {
        Some(at) => format!(
            "{}<the probe script>…",
            line[..at].trim_end_matches(['\'', '"'])
        ),
        None => line.to_string(),
    }
}

/// Python's own start-up failures (a venv whose stdlib is gone, a broken install).
fn looks_like_python_failure(stderr: &str) -> bool {
    [
        "Could not find platform",
        "Fatal Python error",
        "Traceback (most recent call last)",
        "ModuleNotFoundError",
        "No module named",
    ]
    .iter()
    .any(|needle| stderr.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python2_is_unsupported() {
        let stderr = b"Unknown option: -I\nusage: python [option] ...\n";
        assert!(matches!(
            interpret(false, b"", stderr),
            Err(ProbeFailure::Unsupported(_))
        ));
    }

    #[test]
    fn garbage_is_not_a_python() {
        assert!(matches!(
            interpret(true, b"hello\n", b""),
            Err(ProbeFailure::NotAPython(_))
        ));
        assert!(matches!(
            interpret(false, b"", b"bash: nope\n"),
            Err(ProbeFailure::NotAPython(_))
        ));
    }

    #[test]
    fn an_echoed_probe_script_is_not_repeated() {
        let stderr = format!(
            "/bin/ls: cannot access '''{}': No such file or directory\n",
            PROBE_SCRIPT.replace('\n', "'$'\\n''")
        );
        let Err(ProbeFailure::NotAPython(detail)) = interpret(false, b"", stderr.as_bytes()) else {
            panic!("not reported as a non-Python");
        };
        assert_eq!(
            detail,
            "it exited with an error: /bin/ls: cannot access <the probe script>…"
        );
    }

    #[test]
    fn missing_stdlib_is_broken() {
        let stderr = b"Fatal Python error: init_fs_encoding\nModuleNotFoundError: No module named 'encodings'\n";
        assert!(matches!(
            interpret(false, b"", stderr),
            Err(ProbeFailure::Broken(_))
        ));
    }

    #[test]
    fn minor_version() {
        let answer = br#"{"pybootstrap_probe": 1, "version": "3.11.2", "implementation": "cpython", "executable": "/usr/bin/python3.11", "prefix": "/usr", "base_prefix": "/usr", "real_prefix": null, "stdlib": "/usr/lib/python3.11", "venv": true, "ensurepip": true, "pip": "23.0.1", "platform": "linux"}"#;
        let facts = interpret(true, answer, b"").expect("parses");
        assert_eq!(facts.minor_version(), "3.11");
    }
}
