//! The generated bootstrap falling back to the next Python when the dependencies do not
//! install on the first one, run for real with real interpreters and a package that builds
//! only on Python 3.11 and older (an in-tree build backend: no index is needed to build
//! it): the fallback and its message, the re-runs that keep its environment, `PYTHON`
//! that forbids it, and the failures no other Python fixes (a distribution the loopback
//! index does not have, an index that cannot be reached).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::support::{self, Output, pyenv_python, python};

const DEBIAN: &str = "/usr/bin/python3.11";

/// A build backend whose wheel builds on Python 3.11 and fails on 3.12 and newer, as
/// a C extension that includes a header 3.12 removed does.
const OLD_BACKEND: &str = r#"
import base64, hashlib, os, sys, zipfile
NAME, VERSION = "oldpkg", "1.0"
DIST = f"{NAME}-{VERSION}.dist-info"
METADATA = f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"

def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    os.makedirs(os.path.join(metadata_directory, DIST))
    with open(os.path.join(metadata_directory, DIST, "METADATA"), "w") as out:
        out.write(METADATA)
    return DIST

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    if sys.version_info >= (3, 12):
        sys.exit("oldpkg.c:1:10: fatal error: longintrepr.h: No such file or directory")
    files = {
        f"{NAME}.py": b"BUILT = True\n",
        f"{DIST}/METADATA": METADATA.encode(),
        f"{DIST}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{DIST}/RECORD,,")
    files[f"{DIST}/RECORD"] = ("\n".join(record) + "\n").encode()
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return name
"#;

const OLD_PYPROJECT: &str =
    "[build-system]\nrequires = []\nbuild-backend = \"backend\"\nbackend-path = [\".\"]\n";

/// A repository made by the real `pybootstrap init --yes` from `requirements`, with the
/// package `oldpkg/` beside it, and a directory `bin` holding only the interpreters a
/// test puts there.
struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new(requirements: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |path: &str, contents: &str| {
            let path = dir.path().join(path);
            fs_err::create_dir_all(path.parent().expect("a parent")).expect("create dir");
            fs_err::write(path, contents).expect("write a repo file");
        };
        write("requirements.txt", requirements);
        write("oldpkg/pyproject.toml", OLD_PYPROJECT);
        write("oldpkg/backend.py", OLD_BACKEND);
        write(".bin/.keep", "");
        let init = Command::new(env!("CARGO_BIN_EXE_pybootstrap"))
            .args(["init", "--yes"])
            .current_dir(dir.path())
            .env("XDG_CACHE_HOME", dir.path().join(".test-cache"))
            .output()
            .expect("run init");
        assert!(
            init.status.success(),
            "{}",
            String::from_utf8_lossy(&init.stderr)
        );
        if let Some(shellcheck) = support::tool("shellcheck") {
            let checked = Command::new(shellcheck)
                .args(["-s", "sh", "scripts/bootstrap.sh"])
                .current_dir(dir.path())
                .output()
                .expect("run shellcheck");
            assert!(
                checked.status.success(),
                "{}",
                String::from_utf8_lossy(&checked.stdout)
            );
        }
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Puts `python` on the test's PATH as `python3.N`, the name a side install has.
    fn put_on_path(&self, python: &Path, minor: &str) {
        std::os::unix::fs::symlink(python, self.path().join(format!(".bin/python{minor}")))
            .expect("link the interpreter");
    }

    /// The bootstrap with the test's `.bin` then the system directories on PATH (so
    /// `python3` is Debian's 3.11), a private HOME, no pip configuration, and `variables`
    /// (no index unless they set `PIP_INDEX_URL`).
    fn bootstrap(&self, args: &[&str], variables: &[(&str, &str)]) -> Output {
        let output = self
            .command(args, variables)
            .output()
            .expect("run the bootstrap");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// The command `bootstrap` runs.
    fn command(&self, args: &[&str], variables: &[(&str, &str)]) -> Command {
        let mut command = Command::new("sh");
        command
            .arg("scripts/bootstrap.sh")
            .args(args)
            .current_dir(self.path())
            .env(
                "PATH",
                format!("{}:/usr/bin:/bin", self.path().join(".bin").display()),
            )
            .env("HOME", self.path().join(".home"))
            .env("XDG_CACHE_HOME", self.path().join(".test-cache"))
            .env("PIP_CONFIG_FILE", "/dev/null")
            .env("PYBOOTSTRAP_LOCK_TIMEOUT", "120");
        if !variables.iter().any(|(key, _)| *key == "PIP_INDEX_URL") {
            command.env("PIP_NO_INDEX", "1");
        }
        for var in [
            "PYTHON",
            "VIRTUAL_ENV",
            "PIP_FIND_LINKS",
            "PIP_INDEX_URL",
            "PIP_BREAK_SYSTEM_PACKAGES",
            "PIP_REQUIRE_VIRTUALENV",
            "PIP_USER",
            "PYTHONPATH",
        ] {
            command.env_remove(var);
        }
        command.envs(variables.iter().copied());
        command
    }

    /// `X.Y` of the env's interpreter, and whether `oldpkg` imports in it.
    fn env_python(&self) -> (String, bool) {
        let output = Command::new(self.path().join(".venv/bin/python"))
            .args([
                "-c",
                "import sys; print('%d.%d' % sys.version_info[:2]); import oldpkg",
            ])
            .output()
            .expect("run the env's python");
        (
            String::from_utf8_lossy(&output.stdout).trim().to_string(),
            output.status.success(),
        )
    }
}

/// `python3.12` (pyenv) and Debian's `python3` (3.11), or `None` when this machine lacks
/// one (a failure under CI).
fn twelve_and_debian() -> Option<(PathBuf, PathBuf)> {
    Some((pyenv_python("3.12")?, python(DEBIAN)?))
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs with two Pythons"
)]
fn a_package_that_does_not_build_on_the_newest_python_falls_back_to_the_next() {
    let Some((twelve, _)) = twelve_and_debian() else {
        return;
    };
    let repo = Repo::new("./oldpkg\n");
    repo.put_on_path(&twelve, "3.12");

    let built = repo.bootstrap(&[], &[]);
    built.assert_code(0);
    assert!(
        built.stdout.contains(
            "bootstrap: oldpkg did not build on Python 3.12; trying Python 3.11, the next inside >=3.9"
        ),
        "{}",
        built.stdout
    );
    assert!(
        built.stdout.contains("Built with Python 3.11 (")
            && built.stdout.contains("python.preferred = \"3.11\""),
        "{}",
        built.stdout
    );
    // The failed attempt's output stays out of sight when the next Python succeeds.
    assert!(
        !built.stderr.contains("Failed building wheel"),
        "{}",
        built.stderr
    );
    assert_eq!(repo.env_python(), ("3.11".to_string(), true));
    assert!(!repo.path().join(".venv.pybootstrap-old").exists());
    assert!(!repo.path().join(".venv.pybootstrap-discarded").exists());

    // A re-run keeps the env the fallback built: up to date, not rebuilt with 3.12.
    let again = repo.bootstrap(&[], &[]);
    again.assert_code(0);
    assert!(
        again.stdout.contains(".venv is up to date"),
        "{}",
        again.stdout
    );

    // A dependency change installs into it, without a rebuild.
    fs_err::write(
        repo.path().join("requirements.txt"),
        "./oldpkg\n# a comment\n",
    )
    .expect("change the requirements");
    let changed = repo.bootstrap(&[], &[]);
    changed.assert_code(0);
    assert!(
        !changed.stdout.contains("Creating") && !changed.stdout.contains("trying Python"),
        "{}",
        changed.stdout
    );
    assert_eq!(repo.env_python(), ("3.11".to_string(), true));

    // --recreate starts from the first choice again; -v shows each attempt as it comes.
    let verbose = repo.bootstrap(&["--recreate", "-v"], &[]);
    verbose.assert_code(0);
    for shown in [
        "Failed building wheel for oldpkg",
        "trying Python 3.11",
        "Successfully installed oldpkg-1.0",
        "Built with Python 3.11 (",
    ] {
        assert!(
            verbose.stdout.contains(shown),
            "{shown}: {}",
            verbose.stdout
        );
    }
    assert_eq!(repo.env_python(), ("3.11".to_string(), true));
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs with two Pythons"
)]
fn a_hashed_file_compiled_for_another_python_falls_back_to_the_next() {
    let Some((twelve, _)) = twelve_and_debian() else {
        return;
    };
    // Compiled on 3.11: `dependent` needs `pinned` only from 3.12 on, so the file pins no
    // `pinned`, and pip on 3.12 refuses it under the hashes.
    let wheels = tempfile::tempdir().expect("temp dir");
    let dependent = support::build_wheel_with(
        wheels.path(),
        "dependent",
        "1.0",
        &["Requires-Dist: pinned>=0.5; python_version >= \"3.12\""],
    );
    support::build_wheel(wheels.path(), "pinned", "1.0");
    let pips = crate::network::pypi_wheels("pip-24.3.1", &["pip==24.3.1"]);
    let hex = support::sha256_hex(&dependent);
    let repo = Repo::new(&format!("dependent==1.0 \\\n    --hash=sha256:{hex}\n"));
    repo.put_on_path(&twelve, "3.12");
    let links = format!("{} {}", wheels.path().display(), pips.display());

    let built = repo.bootstrap(&[], &[("PIP_FIND_LINKS", &links)]);
    built.assert_code(0);
    assert!(
        built.stdout.contains(
            "bootstrap: the hashed requirement file pins no version of pinned on Python 3.12; trying Python 3.11"
        ),
        "{}",
        built.stdout
    );
    assert_eq!(repo.env_python().0, "3.11");
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs with two Pythons"
)]
fn with_python_set_there_is_no_fallback() {
    let Some((twelve, _)) = twelve_and_debian() else {
        return;
    };
    let repo = Repo::new("./oldpkg\n");
    repo.put_on_path(&twelve, "3.12");
    let refused = repo.bootstrap(&[], &[("PYTHON", "python3.12")]);
    refused.assert_code(1);
    assert!(
        !refused.stdout.contains("trying Python"),
        "{}",
        refused.stdout
    );
    assert!(
        refused.stderr.contains("Failed building wheel for oldpkg"),
        "{}",
        refused.stderr
    );
    assert!(!repo.path().join(".venv").exists());
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs with two Pythons"
)]
fn a_first_build_killed_midway_is_built_again_with_the_fallback() {
    let Some((twelve, _)) = twelve_and_debian() else {
        return;
    };
    let Some(mkfifo) = support::tool("mkfifo") else {
        return;
    };
    let repo = Repo::new("./oldpkg\n");
    repo.put_on_path(&twelve, "3.12");
    let fifo = repo.path().join("slow.txt");
    assert!(
        Command::new(mkfifo)
            .arg(&fifo)
            .status()
            .expect("run mkfifo")
            .success()
    );
    fs_err::write(
        repo.path().join("requirements.txt"),
        "./oldpkg\n-r slow.txt\n",
    )
    .expect("write");
    // pip blocks reading the FIFO in the middle of the first attempt (Python 3.12), until
    // the test has killed the run and everything it started.
    let mut run = repo
        .command(&[], &[])
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the bootstrap");
    let (sender, receiver) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    std::thread::spawn(move || sender.send(fs_err::OpenOptions::new().write(true).open(reader)));
    let opened = receiver.recv_timeout(Duration::from_secs(120));
    let killed = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{}", run.id())])
        .status()
        .expect("run kill");
    run.wait().expect("wait for the killed run");
    assert!(
        opened.is_ok() && killed.success(),
        "pip never read slow.txt"
    );
    drop(opened);
    assert!(repo.path().join(".venv/.pybootstrap-unfinished").is_file());
    assert!(!repo.path().join(".venv/.pybootstrap-stamp").exists());

    fs_err::remove_file(&fifo).expect("remove the FIFO");
    fs_err::write(repo.path().join("requirements.txt"), "./oldpkg\n").expect("write");
    let repaired = repo.bootstrap(&[], &[]);
    repaired.assert_code(0);
    for said in [
        ".venv needs a rebuild: the run that built it was stopped before its dependencies were installed.",
        "oldpkg did not build on Python 3.12; trying Python 3.11",
    ] {
        assert!(
            repaired.stdout.contains(said),
            "{said}: {}",
            repaired.stdout
        );
    }
    assert_eq!(repo.env_python(), ("3.11".to_string(), true));
    assert!(!repo.path().join(".venv/.pybootstrap-unfinished").exists());
    assert!(!repo.path().join(".venv.pybootstrap-old").exists());
}

/// A PEP 503 index on 127.0.0.1 that has no project at all (`python -m http.server` over an
/// empty `simple/`), killed when dropped.
struct EmptyIndex {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl EmptyIndex {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        fs_err::create_dir_all(dir.path().join("simple")).expect("create simple/");
        let mut child = Command::new("/usr/bin/python3")
            .args(["-u", "-m", "http.server", "--bind", "127.0.0.1", "0"])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the index");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the port");
        // "Serving HTTP on 127.0.0.1 port 40123 (http://127.0.0.1:40123/) ..."
        let port = line
            .split(" port ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        Self {
            child,
            port,
            _dir: dir,
        }
    }
}

impl Drop for EmptyIndex {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs with three Pythons"
)]
fn a_failure_every_python_shares_tries_each_once_and_ends_with_the_first_error() {
    let Some((twelve, _)) = twelve_and_debian() else {
        return;
    };
    let Some(thirteen) = pyenv_python("3.13") else {
        return;
    };
    let repo = Repo::new("");
    repo.put_on_path(&twelve, "3.12");
    repo.put_on_path(&thirteen, "3.13");
    repo.bootstrap(&[], &[]).assert_code(0);
    fs_err::write(repo.path().join(".venv/marker"), "the old env").expect("mark the env");

    let index = EmptyIndex::start();
    let url = format!("http://127.0.0.1:{}/simple/", index.port);
    fs_err::write(repo.path().join("requirements.txt"), "nosuchdist-pb\n")
        .expect("write the requirements");
    let failed = repo.bootstrap(&["--recreate"], &[("PIP_INDEX_URL", &url)]);
    failed.assert_code(1);
    for tried in [
        "no release of nosuchdist-pb installs on Python 3.13; trying Python 3.12",
        "no release of nosuchdist-pb installs on Python 3.12; trying Python 3.11",
    ] {
        assert!(failed.stdout.contains(tried), "{tried}: {}", failed.stdout);
    }
    assert_eq!(
        failed.stdout.matches("Creating .venv").count(),
        3,
        "each Python once: {}",
        failed.stdout
    );
    // The first attempt's error, once, then the Pythons tried.
    assert_eq!(
        failed
            .stderr
            .matches("No matching distribution found for nosuchdist-pb")
            .count(),
        1,
        "{}",
        failed.stderr
    );
    assert!(
        failed
            .stderr
            .contains("did not install with any Python tried (3.13 (")
            && failed
                .stderr
                .contains("the output above is the first attempt's, with Python 3.13"),
        "{}",
        failed.stderr
    );
    // The old env came back.
    assert!(repo.path().join(".venv/marker").is_file());
    assert!(!repo.path().join(".venv.pybootstrap-old").exists());
    assert_eq!(repo.env_python().0, "3.13");
}

#[test]
#[cfg_attr(not(feature = "slow-tests"), ignore = "slow tier: builds a venv")]
fn an_index_that_cannot_be_reached_does_not_fall_back() {
    let Some((twelve, _)) = twelve_and_debian() else {
        return;
    };
    let repo = Repo::new("nosuchdist-pb\n");
    repo.put_on_path(&twelve, "3.12");
    // A port nothing listens on: bound, then freed.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let url = format!("http://127.0.0.1:{port}/simple/");
    let failed = repo.bootstrap(
        &[],
        &[
            ("PIP_INDEX_URL", &url),
            ("PIP_RETRIES", "1"),
            ("PIP_TIMEOUT", "5"),
        ],
    );
    failed.assert_code(1);
    assert!(
        !failed.stdout.contains("trying Python"),
        "{}",
        failed.stdout
    );
    assert_eq!(failed.stdout.matches("Creating .venv").count(), 1);
    assert!(
        failed.stderr.contains("Connection refused"),
        "{}",
        failed.stderr
    );
    assert!(!repo.path().join(".venv").exists());
}

/// The script's functions `names`, cut out of the generated `scripts/bootstrap.sh`.
fn functions(script: &str, names: &[&str]) -> String {
    names
        .iter()
        .map(|name| {
            let start = script
                .find(&format!("\n{name}() {{"))
                .unwrap_or_else(|| panic!("{name} in the script"));
            let end = start + script[start..].find("\n}\n").expect("its end") + 3;
            &script[start..end]
        })
        .collect()
}

/// The script's reading of a failed install's output, run alone on what pip, uv and Poetry
/// print: whether another Python may help, and the one line naming what failed.
#[test]
fn a_failed_install_is_read_as_the_tools_print_it() {
    let test = crate::support::Test::new();
    test.write("requirements.txt", "");
    crate::shapes::init(&test);
    let script = test.read("scripts/bootstrap.sh");
    let reading = functions(
        &script,
        &[
            "say",
            "another_python_may_help",
            "package_name",
            "failure_reason",
        ],
    );
    let read = |log: &str| -> String {
        test.write("step.log", log);
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "set -eu\nstep_log=step.log\n{reading}if another_python_may_help; then failure_reason; else echo no; fi\n"
            ))
            .current_dir(test.path())
            .output()
            .expect("run sh");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_string()
    };
    let pip_build = "Collecting greenlet==3.0.1 (from -r requirements.txt (line 24))\n  Building wheel for greenlet (pyproject.toml): finished with status 'error'\n  error: subprocess-exited-with-error\n  ERROR: Failed building wheel for greenlet\nFailed to build greenlet\nERROR: ERROR: Failed to build installable wheels for some pyproject.toml based projects (greenlet)\n";
    assert_eq!(read(pip_build), "greenlet did not build");
    let pip_metadata = "Collecting numpy==1.24.4\n  Preparing metadata (pyproject.toml): finished with status 'error'\n  error: metadata-generation-failed\n";
    assert_eq!(read(pip_metadata), "numpy did not build");
    let pip_python = "ERROR: Ignored the following versions that require a different python version: 1.0 Requires-Python <3.12\nERROR: Could not find a version that satisfies the requirement oldie==1.0 (from versions: none)\nERROR: No matching distribution found for oldie==1.0\n";
    assert_eq!(read(pip_python), "no release of oldie installs");
    let uv_build =
        "  × Failed to build `greenlet==3.0.1`\n  ├─▶ The build backend returned an error\n";
    assert_eq!(read(uv_build), "greenlet did not build");
    let uv_python = "  × No solution found when resolving dependencies:\n  ╰─▶ Because the current Python version (3.13.0) does not satisfy Python>=3.6,<3.12 and oldie==1.0 depends on Python>=3.6,<3.12, we can conclude that oldie==1.0 cannot be used.\n";
    assert_eq!(read(uv_python), "no release of oldie installs");
    let poetry = "  ChefBuildError\n\n  Backend subprocess exited when trying to invoke build_wheel\n\nNote: This error originates from the build backend, and is likely not a problem with poetry but with greenlet (3.0.1) not supporting PEP 517 builds.\n";
    assert_eq!(read(poetry), "greenlet did not build");
    // A hashed file compiled on a newer 3.11: redis needs async-timeout below 3.11.3 only.
    let unpinned = "Collecting redis==6.2.0 (from -r requirements.txt (line 1324))\nERROR: In --require-hashes mode, all requirements must have their versions pinned with ==. These do not:\n    async-timeout>=4.0.3 from https://files.pythonhosted.org/packages/fe/ba/async_timeout-5.0.1-py3-none-any.whl (from redis==6.2.0->-r requirements.txt (line 1324))\n";
    assert_eq!(
        read(unpinned),
        "the hashed requirement file pins no version of async-timeout"
    );
    // The index out of reach, a full disk: every Python meets them alike.
    let unreachable = "WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError(': Failed to establish a new connection: [Errno 111] Connection refused')': /simple/six/\nERROR: Could not find a version that satisfies the requirement six (from versions: none)\nERROR: No matching distribution found for six\n";
    assert_eq!(read(unreachable), "no");
    let proxy = "WARNING: Retrying after connection broken by 'ProxyError('Cannot connect to proxy.')'\nERROR: No matching distribution found for six\n";
    assert_eq!(read(proxy), "no");
    let tls = "Could not fetch URL https://pypi.org/simple/six/: There was a problem confirming the ssl certificate: [SSL: CERTIFICATE_VERIFY_FAILED]\nERROR: No matching distribution found for six\n";
    assert_eq!(read(tls), "no");
    let full =
        "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n";
    assert_eq!(read(full), "no");
    // A failure of the project itself, not of a package another Python has.
    assert_eq!(read("ERROR: Invalid requirement: 'foo bar'\n"), "no");
    assert_eq!(read(""), "no");
}
