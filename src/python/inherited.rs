//! `PYTHONHOME` and `PYTHONPATH` from the caller's environment: the probe runs isolated
//! (`-I`) and never sees them, while every `python3` and `python3 -m pip` the user types does.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use wait_timeout::ChildExt;

/// The variables this module is about, in the order messages name them.
const NAMES: [&str; 2] = ["PYTHONHOME", "PYTHONPATH"];

/// A start-up that has not ended by then is reported as failing, like a hung probe.
const TIMEOUT: Duration = Duration::from_secs(20);

/// The ones set (and not empty: Python ignores an empty one) in `vars`, as `NAME=value`.
pub fn set_in<'a>(vars: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let vars: Vec<(&str, &str)> = vars.into_iter().collect();
    NAMES
        .iter()
        .filter_map(|name| {
            let (_, value) = vars.iter().find(|(key, _)| key == name)?;
            (!value.is_empty()).then(|| format!("{name}={value}"))
        })
        .collect()
}

/// Starts `python` the way a user's shell does, with this process's environment (so with
/// the variables), importing pip when it has one: the last line of what it printed when
/// that fails, `None` when it works.
pub fn failure(python: &Path, has_pip: bool) -> Option<String> {
    let code = if has_pip { "import pip" } else { "import sys" };
    let mut child = Command::new(python)
        .args(["-c", code])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    let mut stderr = child.stderr.take()?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(
            &mut std::io::Read::take(&mut stderr, 1 << 16),
            &mut text,
        );
        text
    });
    let Ok(Some(status)) = child.wait_timeout(TIMEOUT) else {
        let _ = child.kill();
        let _ = child.wait();
        return Some(format!(
            "it did not start within {} seconds",
            TIMEOUT.as_secs()
        ));
    };
    let stderr = reader.join().unwrap_or_default();
    (!status.success()).then(|| cause(&stderr))
}

/// The cause in what a failed start printed: the last exception line (`ModuleNotFoundError:
/// No module named 'encodings'`), which Python follows with a thread dump on a fatal
/// error; else the last line.
fn cause(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let exception = lines.iter().rev().find(|line| {
        line.split_once(": ").is_some_and(|(kind, _)| {
            !kind.contains(' ') && (kind.ends_with("Error") || kind.ends_with("Exception"))
        })
    });
    exception
        .or(lines.last())
        .map_or("it exited with an error and printed nothing", |line| line)
        .to_string()
}

/// What `detect` says about an interpreter that fails under `set` (`NAME=value` each).
pub fn describe(set: &[String], cause: &str) -> String {
    let names: Vec<&str> = set
        .iter()
        .map(|pair| pair.split_once('=').map_or(pair.as_str(), |(name, _)| name))
        .collect();
    format!(
        "with {} set in this environment, `python -m pip` dies here ({cause}); the verdict is for a run without {}: `unset {}`",
        set.join(" and "),
        if names.len() == 1 { "it" } else { "them" },
        names.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_set_and_nonempty_variables_count() {
        assert_eq!(
            set_in([("PYTHONHOME", "/x"), ("PATH", "/bin"), ("PYTHONPATH", "")]),
            ["PYTHONHOME=/x"]
        );
        assert_eq!(
            set_in([("PYTHONPATH", "/p"), ("PYTHONHOME", "/h")]),
            ["PYTHONHOME=/h", "PYTHONPATH=/p"]
        );
        assert!(set_in([("PATH", "/bin")]).is_empty());
    }

    #[test]
    fn the_cause_is_the_last_exception() {
        let stderr = "Python path configuration:\n  PYTHONHOME = '/x'\nFatal Python error: init_fs_encoding: failed to get the Python codec of the filesystem encoding\nPython runtime state: core initialized\nModuleNotFoundError: No module named 'encodings'\n\nCurrent thread 0x1 (most recent call first):\n  <no Python frame>\n";
        assert_eq!(
            cause(stderr),
            "ModuleNotFoundError: No module named 'encodings'"
        );
        assert_eq!(cause("something odd\n\n"), "something odd");
        assert_eq!(cause(""), "it exited with an error and printed nothing");
    }

    #[test]
    fn the_description_names_each_variable_and_the_fix() {
        assert_eq!(
            describe(&["PYTHONHOME=/x".into()], "boom"),
            "with PYTHONHOME=/x set in this environment, `python -m pip` dies here (boom); the verdict is for a run without it: `unset PYTHONHOME`"
        );
        assert!(
            describe(&["PYTHONHOME=/x".into(), "PYTHONPATH=/p".into()], "boom")
                .ends_with("without them: `unset PYTHONHOME PYTHONPATH`")
        );
    }
}
