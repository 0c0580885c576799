//! The test builder: a temp directory, a controlled environment, and the real binary.

#![allow(
    dead_code,
    reason = "each test module uses a different part of the builder"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch directory and a `pybootstrap` command whose environment the test controls.
pub(crate) struct Test {
    pub(crate) dir: tempfile::TempDir,
    envs: Vec<(String, String)>,
    removed: Vec<String>,
}

/// What a finished run printed and returned.
#[derive(Debug)]
pub(crate) struct Output {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Test {
    pub(crate) fn new() -> Self {
        let dir = tempfile::tempdir().expect("create temp dir");
        let mut test = Self {
            dir,
            envs: Vec::new(),
            removed: Vec::new(),
        };
        // A private cache per test, so tests never see each other's probes.
        let cache = test.path().join(".test-cache");
        test.env("XDG_CACHE_HOME", cache.to_str().expect("utf-8 temp path"));
        test.env("NO_COLOR", "1");
        for var in [
            "VIRTUAL_ENV",
            "PIP_BREAK_SYSTEM_PACKAGES",
            "PIP_CONFIG_FILE",
            "PIP_REQUIRE_VIRTUALENV",
            "UV_BREAK_SYSTEM_PACKAGES",
            "LC_ALL",
            "LC_MESSAGES",
            "PYBOOTSTRAP_NO_CACHE",
        ] {
            test.unset(var);
        }
        test
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `relative` under the temp dir, creating parent directories.
    pub(crate) fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create parent");
        std::fs::write(&path, contents).expect("write file");
        path
    }

    pub(crate) fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path().join(relative)).expect("read file")
    }

    pub(crate) fn env(&mut self, key: &str, value: &str) -> &mut Self {
        self.removed.retain(|k| k != key);
        self.envs.push((key.to_string(), value.to_string()));
        self
    }

    pub(crate) fn unset(&mut self, key: &str) -> &mut Self {
        self.envs.retain(|(k, _)| k != key);
        self.removed.push(key.to_string());
        self
    }

    /// The `pybootstrap` command, run in the temp dir with this test's environment.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pybootstrap"));
        command.args(args).current_dir(self.path());
        for key in &self.removed {
            command.env_remove(key);
        }
        for (key, value) in &self.envs {
            command.env(key, value);
        }
        command
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.run_in(".", args)
    }

    /// Runs `pybootstrap` in the subdirectory `relative` of the temp dir.
    pub(crate) fn run_in(&self, relative: &str, args: &[&str]) -> Output {
        let mut command = self.command(args);
        command.current_dir(self.path().join(relative));
        finish(&mut command)
    }

    /// Runs `pybootstrap` with the directory `read_only` (under the temp dir) mounted
    /// read-only, in a private user and mount namespace (`unshare -rm`): unlike mode bits,
    /// that stops root too, and it leaves nothing behind. `None` (with a note) where the
    /// machine allows no user namespaces; under CI that is a failure.
    pub(crate) fn run_with_read_only(&self, read_only: &str, args: &[&str]) -> Option<Output> {
        let unshare = user_namespaces()?;
        let inner = self.command(args);
        let mut command = Command::new(unshare);
        command
            .args(["-rm", "sh", "-c"])
            .arg(r#"dir=$1; shift; mount --bind "$dir" "$dir" && mount -o remount,bind,ro "$dir" && exec "$@""#)
            .args(["sh", read_only])
            .arg(inner.get_program())
            .args(inner.get_args())
            .current_dir(self.path());
        for (key, value) in inner.get_envs() {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        Some(finish(&mut command))
    }
}

fn finish(command: &mut Command) -> Output {
    let output = command.output().expect("run pybootstrap");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

impl Output {
    /// Panics with both streams unless the exit code is `code`.
    #[track_caller]
    pub(crate) fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// The path of an external tool the test needs, or `None` (with a note) when it is absent.
/// Under CI (`CI` set) a missing tool is a failure, never a silent skip.
pub(crate) fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "`{name}` is required under CI: run .ci/run"
        );
        eprintln!("skipped: `{name}` is not installed (bash .ci/run installs it)");
    }
    found
}

/// `unshare`, when it can make a private user and mount namespace (`unshare -rm`); `None`
/// (with a note) where the machine allows none. Under CI that is a failure.
pub(crate) fn user_namespaces() -> Option<PathBuf> {
    let unshare = tool("unshare")?;
    let usable = Command::new(&unshare)
        .args(["-rm", "true"])
        .status()
        .is_ok_and(|status| status.success());
    if !usable {
        assert!(
            std::env::var_os("CI").is_none(),
            "`unshare -rm` (user namespaces) is required under CI"
        );
        eprintln!("skipped: `unshare -rm` cannot make a user namespace here");
        return None;
    }
    Some(unshare)
}

/// An interpreter on this machine, or `None` (with a note) when this machine lacks it.
/// Under CI (`CI` set) a missing interpreter is a failure, never a silent skip.
pub(crate) fn python(path: &str) -> Option<PathBuf> {
    let path = PathBuf::from(path);
    if path.exists() {
        return Some(path);
    }
    missing_python(&path.display().to_string());
    None
}

/// A pyenv CPython `X.Y` of any patch release (`$PYENV_ROOT`, by default `~/.pyenv`), so a
/// test does not depend on which patch this machine happens to have; the newest wins.
/// Under CI a missing interpreter is a failure.
pub(crate) fn pyenv_python(minor: &str) -> Option<PathBuf> {
    let root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pyenv")));
    let prefix = format!("{minor}.");
    let mut found: Vec<(u32, PathBuf)> = root
        .and_then(|root| std::fs::read_dir(root.join("versions")).ok())
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let patch = name.strip_prefix(&prefix)?.parse::<u32>().ok()?;
            let python = entry.path().join(format!("bin/python{minor}"));
            python.is_file().then_some((patch, python))
        })
        .collect();
    found.sort();
    let newest = found.pop().map(|(_, python)| python);
    if newest.is_none() {
        missing_python(&format!("a pyenv Python {minor}"));
    }
    newest
}

fn missing_python(what: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is required under CI: run .ci/run"
    );
    eprintln!("skipped: {what} is not on this machine (bash .ci/run installs it)");
}

/// A copy of Debian's `/usr/bin/python3.11` with a stdlib of its own (symlinks to the real
/// entries, minus `leave_out`), so a test can plant or remove a marker or `ensurepip`
/// without touching the system. The copy's `sys.prefix` is `dir`. `None` when this
/// machine has no Debian Python.
pub(crate) fn debian_python_copy(dir: &Path, leave_out: &[&str]) -> Option<PathBuf> {
    let source = python("/usr/bin/python3.11")?;
    let stdlib = dir.join("lib/python3.11");
    std::fs::create_dir_all(&stdlib).expect("create stdlib dir");
    std::fs::create_dir_all(dir.join("bin")).expect("create bin dir");
    for entry in std::fs::read_dir("/usr/lib/python3.11").expect("read stdlib") {
        let entry = entry.expect("stdlib entry");
        let name = entry.file_name();
        if name == "EXTERNALLY-MANAGED" || leave_out.iter().any(|l| name == *l) {
            continue;
        }
        std::os::unix::fs::symlink(entry.path(), stdlib.join(&name)).expect("link stdlib entry");
    }
    let python = dir.join("bin/python3.11");
    std::fs::copy(source, &python).expect("copy interpreter");
    Some(python)
}

/// Builds `<name>-<version>-py3-none-any.whl` in `dir` with the zip module alone: a module
/// `name` with `VALUE = "<version>"`, METADATA (plus the lines after the version, such as
/// `Requires-Dist: x>=1`), WHEEL and RECORD.
const MAKE_WHEEL: &str = r#"
import base64, hashlib, sys, zipfile
out_dir, name, version = sys.argv[1:4]
more = "".join(line + "\n" for line in sys.argv[4:])
dist = f"{name}-{version}.dist-info"
files = {
    f"{name}.py": f"VALUE = {version!r}\n".encode(),
    f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n{more}".encode(),
    f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = []
for path, data in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{path},sha256={digest},{len(data)}")
record.append(f"{dist}/RECORD,,")
files[f"{dist}/RECORD"] = ("\n".join(record) + "\n").encode()
wheel = f"{out_dir}/{name}-{version}-py3-none-any.whl"
with zipfile.ZipFile(wheel, "w") as archive:
    for path, data in files.items():
        archive.writestr(path, data)
print(wheel)
"#;

/// The SHA-256 of the file at `path` in hex, as a requirement file's `--hash=sha256:` has it.
pub(crate) fn sha256_hex(path: impl AsRef<Path>) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(fs_err::read(path).expect("read the file to hash"));
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Builds the wheel `<name>-<version>-py3-none-any.whl` in `dir` (created if missing) with
/// Debian's Python and the zip module alone, and returns its file name.
pub(crate) fn build_wheel(dir: &Path, name: &str, version: &str) -> String {
    build_wheel_with(dir, name, version, &[])
}

/// `build_wheel`, with `metadata` lines added to its METADATA (`Provides-Extra: security`).
pub(crate) fn build_wheel_with(dir: &Path, name: &str, version: &str, metadata: &[&str]) -> String {
    fs_err::create_dir_all(dir).expect("create the wheel directory");
    let output = Command::new("/usr/bin/python3")
        .args(["-I", "-c", MAKE_WHEEL])
        .arg(dir)
        .args([name, version])
        .args(metadata)
        .output()
        .expect("build wheel");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

/// The lines of a generated pipeline that name a fixed directory of the host (`/opt/uv`,
/// `/tmp/x`, `~/.local`): on a shell runner such a path needs root, is shared by jobs running
/// at once, and keeps what an interrupted job left half-built for every later one.
pub(crate) fn fixed_host_paths(text: &str) -> Vec<&str> {
    const DENIED: &[&str] = &["/opt/", "/usr/local/", "/tmp/", "~/", "$HOME/", "${HOME}/"];
    text.lines()
        .filter(|line| {
            DENIED.iter().any(|denied| {
                line.match_indices(denied).any(|(at, _)| {
                    // `$CI_PROJECT_DIR/opt/` is inside the project, `/opt/` after a space is not.
                    !line[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || "_.-$}/".contains(c))
                })
            })
        })
        .collect()
}
