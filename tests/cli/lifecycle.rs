//! The generated bootstrap after day one, run for real: failed rebuilds that must keep the
//! old environment, a base interpreter that changes under the environment, an environment
//! another user owns, `make bootstrap` repairing a broken one, and runs that overlap, are
//! killed or are interrupted twice.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{self, Output};

const DEBIAN: &str = "/usr/bin/python3.11";
const PYENV_312: &str = "/root/.pyenv/versions/3.12.1/bin/python3.12";
const PYENV_311: &str = "/root/.pyenv/versions/3.11.7/bin/python3.11";

/// A repository made by the real `pybootstrap init`, and a private HOME for the runs.
struct Repo {
    dir: tempfile::TempDir,
    home: PathBuf,
}

impl Repo {
    fn new(sets: &[&str]) -> Self {
        Self::with_files(&[("requirements.txt", "")], sets)
    }

    /// A repo holding `files` (path, contents), then `init --yes` with `sets`.
    fn with_files(files: &[(&str, &str)], sets: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, contents) in files {
            fs_err::write(dir.path().join(path), contents).expect("write a repo file");
        }
        let mut args = vec!["init", "--yes"];
        for set in sets {
            args.extend(["--set", set]);
        }
        let output = Command::new(env!("CARGO_BIN_EXE_pybootstrap"))
            .args(&args)
            .current_dir(dir.path())
            .env("XDG_CACHE_HOME", dir.path().join(".test-cache"))
            .output()
            .expect("run init");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let home = dir.path().join(".home");
        fs_err::create_dir_all(&home).expect("create home");
        Self { dir, home }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `program args` in the repo with no index, no pip config, a private HOME, `PATH` as
    /// given (the test's own when `None`), and `PYTHON` when given.
    fn command(
        &self,
        program: &str,
        args: &[&str],
        python: Option<&Path>,
        path: Option<&str>,
    ) -> Command {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(self.path())
            .env("HOME", &self.home)
            .env("PIP_NO_INDEX", "1")
            .env("UV_OFFLINE", "1")
            .env("PIP_CONFIG_FILE", "/dev/null")
            .env("PYBOOTSTRAP_LOCK_TIMEOUT", "120")
            .env(
                "PATH",
                path.map_or_else(|| std::env::var_os("PATH").unwrap_or_default(), Into::into),
            );
        for var in [
            "PYTHON",
            "VIRTUAL_ENV",
            "PIP_BREAK_SYSTEM_PACKAGES",
            "UV_BREAK_SYSTEM_PACKAGES",
            "PIP_REQUIRE_VIRTUALENV",
            "PIP_FIND_LINKS",
            "PIP_USER",
            "PYTHONPATH",
            "MAKEFLAGS",
        ] {
            command.env_remove(var);
        }
        if let Some(python) = python {
            command.env("PYTHON", python);
        }
        command
    }

    fn bootstrap(&self, args: &[&str], python: Option<&Path>, path: Option<&str>) -> Output {
        let mut all = vec!["scripts/bootstrap.sh"];
        all.extend_from_slice(args);
        output(self.command("sh", &all, python, path))
    }

    /// Plants a file in the env: it survives exactly as long as this env does.
    fn mark_env(&self) {
        fs_err::write(self.path().join(".venv/marker"), "the old env").expect("plant marker");
    }

    /// A repo whose marked env, built from `python`, a rebuild has moved aside to
    /// `.venv.pybootstrap-old`, as a run stopped halfway leaves it.
    fn with_env_moved_aside(python: &Path) -> Self {
        let repo = Self::new(&["python.versions=3.11,3.12"]);
        repo.bootstrap(&[], Some(python), None).assert_code(0);
        repo.mark_env();
        fs_err::rename(
            repo.path().join(".venv"),
            repo.path().join(".venv.pybootstrap-old"),
        )
        .expect("move aside");
        repo
    }

    /// The old env is still there, whole, and its Python runs with its pip.
    #[track_caller]
    fn assert_old_env_kept(&self) {
        assert!(
            self.path().join(".venv/marker").is_file(),
            "the old env is gone"
        );
        assert!(!self.path().join(".venv.pybootstrap-old").exists());
        let pip = Command::new(self.path().join(".venv/bin/python"))
            .args(["-m", "pip", "--version"])
            .output()
            .expect("run env python");
        assert!(pip.status.success(), "the old env does not run its pip");
    }

    /// `X.Y` of the env's interpreter.
    fn env_version(&self) -> String {
        let output = Command::new(self.path().join(".venv/bin/python"))
            .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
            .output()
            .expect("run env python");
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }
}

fn output(mut command: Command) -> Output {
    let output = command.output().expect("run");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Starts `command` as the leader of its own process group, so that it can be killed
/// with everything it started.
fn spawn(mut command: Command) -> Child {
    command
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start")
}

/// SIGKILL to the process group `pid` leads.
fn kill_group(pid: u32) {
    let status = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{pid}")])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill the process group {pid}");
}

/// What `child` printed once it ended; a run still going after `seconds` is killed and
/// fails the test.
fn finish(child: Child, seconds: u64) -> Output {
    let pid = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    let Ok(output) = receiver.recv_timeout(Duration::from_secs(seconds)) else {
        kill_group(pid);
        panic!("the run did not end within {seconds}s");
    };
    let output = output.expect("wait for the run");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Polls `condition` for at most `seconds`.
#[track_caller]
fn wait_for(what: &str, seconds: u64, condition: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !condition() {
        assert!(Instant::now() < deadline, "{what}: not within {seconds}s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A directory of interpreters, `name -> target` as symlinks, the way a distro's
/// `/usr/bin` holds `python3 -> python3.11`.
fn link(dir: &Path, name: &str, target: &Path) {
    let path = dir.join(name);
    let _ = fs_err::remove_file(&path);
    std::os::unix::fs::symlink(target, path).expect("symlink interpreter");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn failed_rebuilds_keep_the_old_env() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    repo.bootstrap(&[], Some(&debian), None).assert_code(0);
    repo.mark_env();

    // An interpreter that is not there, or is not a Python.
    let missing = repo.bootstrap(
        &["--recreate"],
        Some(Path::new("/nonexistent/python3")),
        None,
    );
    missing.assert_code(1);
    assert!(
        missing
            .stderr
            .contains("PYTHON=/nonexistent/python3 does not exist"),
        "{}",
        missing.stderr
    );
    repo.assert_old_env_kept();
    let not_python = repo.bootstrap(&["--recreate"], Some(Path::new("/bin/true")), None);
    not_python.assert_code(1);
    assert!(
        not_python
            .stderr
            .contains("PYTHON=/bin/true is not a Python interpreter"),
        "{}",
        not_python.stderr
    );
    repo.assert_old_env_kept();

    // A Python without ensurepip: the apt command, and the env untouched.
    let scratch = tempfile::tempdir().expect("temp dir");
    let Some(no_ensurepip) = support::debian_python_copy(scratch.path(), &["ensurepip"]) else {
        return;
    };
    let refused = repo.bootstrap(&["--recreate"], Some(&no_ensurepip), None);
    refused.assert_code(1);
    assert!(
        refused.stderr.contains("sudo apt install python3.11-venv"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains(".venv is unchanged"),
        "{}",
        refused.stderr
    );
    repo.assert_old_env_kept();

    // The rebuild itself fails (a dependency cannot be installed): the new env goes, the
    // old one comes back.
    fs_err::write(
        repo.path().join("requirements.txt"),
        "pbdemo-not-anywhere==1.0\n",
    )
    .expect("write requirements");
    let failed = repo.bootstrap(&["--recreate"], Some(&debian), None);
    failed.assert_code(1);
    assert!(
        failed.stderr.contains(".venv is as it was before this run"),
        "{}",
        failed.stderr
    );
    repo.assert_old_env_kept();
    fs_err::write(repo.path().join("requirements.txt"), "").expect("write requirements");

    // `python.requires` moves above what this machine has: the rebuild is announced, no
    // interpreter is found, and the 3.11 env stays.
    let regen = Command::new(env!("CARGO_BIN_EXE_pybootstrap"))
        .args([
            "regen",
            "--set",
            "python.requires=>=3.12",
            "--set",
            "python.versions=3.12",
        ])
        .current_dir(repo.path())
        .env("XDG_CACHE_HOME", repo.path().join(".test-cache"))
        .output()
        .expect("run regen");
    assert!(
        regen.status.success(),
        "{}",
        String::from_utf8_lossy(&regen.stderr)
    );
    let moved = repo.bootstrap(&[], None, Some("/usr/bin:/bin"));
    moved.assert_code(1);
    assert!(
        moved.stdout.contains(
            ".venv needs a rebuild: it has Python 3.11; this project requires Python >=3.12."
        ),
        "{}",
        moved.stdout
    );
    assert!(
        moved.stderr.contains("no Python inside >=3.12 found"),
        "{}",
        moved.stderr
    );
    repo.assert_old_env_kept();

    // And once that Python exists, the env is rebuilt with it.
    let Some(pyenv_312) = support::python(PYENV_312) else {
        return;
    };
    repo.bootstrap(&[], Some(&pyenv_312), None).assert_code(0);
    assert_eq!(repo.env_version(), "3.12");
    assert!(!repo.path().join(".venv/marker").exists());
    assert!(!repo.path().join(".venv.pybootstrap-old").exists());
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn a_changed_base_interpreter_is_noticed() {
    let (Some(_), Some(pyenv_312)) = (support::python(DEBIAN), support::python(PYENV_312)) else {
        return;
    };
    // A distro's bin directory: python3 -> python3.11, a relocated copy of Debian's.
    let scratch = tempfile::tempdir().expect("temp dir");
    let python311 = support::debian_python_copy(scratch.path(), &[]).expect("copy python");
    let bin = scratch.path().join("bin");
    link(&bin, "python3", Path::new("python3.11"));
    let path = format!("{}:/usr/bin:/bin", bin.display());

    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    let first = repo.bootstrap(&[], Some(&bin.join("python3")), Some(&path));
    first.assert_code(0);
    assert!(first.stdout.contains("Python 3.11"), "{}", first.stdout);
    repo.mark_env();
    let again = repo.bootstrap(&[], None, Some(&path));
    again.assert_code(0);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);

    // PYTHON naming the same interpreter by another name is no reason to rebuild.
    let same = repo.bootstrap(&[], Some(&python311), Some(&path));
    same.assert_code(0);
    assert!(!same.stdout.contains("rebuild"), "{}", same.stdout);
    repo.assert_old_env_kept();

    // PYTHON naming another interpreter of the same version is.
    if let Some(pyenv_311) = support::python(PYENV_311) {
        let other = repo.bootstrap(&[], Some(&pyenv_311), Some(&path));
        other.assert_code(0);
        assert!(
            other.stdout.contains(&format!(
                ".venv needs a rebuild: PYTHON={} is not the interpreter it was built from.",
                pyenv_311.display()
            )),
            "{}",
            other.stdout
        );
        assert!(!repo.path().join(".venv/marker").exists());
        // Back to the distro's one, for the upgrade below.
        repo.bootstrap(&[], Some(&bin.join("python3")), Some(&path))
            .assert_code(0);
        repo.mark_env();
    }

    // The distro upgrades: python3.11 goes, python3 is now 3.12. The env's python3 link
    // now starts 3.12 over a 3.11 env; the next run must see it without being told.
    fs_err::remove_file(&python311).expect("remove python3.11");
    link(&bin, "python3.12", &pyenv_312);
    link(&bin, "python3", Path::new("python3.12"));
    let upgraded = repo.bootstrap(&[], None, Some(&path));
    upgraded.assert_code(0);
    assert!(
        upgraded.stdout.contains(
            ".venv needs a rebuild: it was built from Python 3.11 and its interpreter is now Python 3.12."
        ),
        "{}",
        upgraded.stdout
    );
    assert_eq!(repo.env_version(), "3.12");
    assert!(!repo.path().join(".venv/marker").exists());
    let settled = repo.bootstrap(&[], None, Some(&path));
    assert!(settled.stdout.contains("up to date"), "{}", settled.stdout);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn an_env_built_with_sudo_gets_the_exact_fix() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    let Some(setpriv) = support::tool("setpriv") else {
        return;
    };
    // Root builds the env (the `sudo` run), then the repo goes to `nobody`, who runs the
    // bootstrap as a contributor would.
    if !root("playing two users") {
        return;
    }
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    repo.bootstrap(&[], Some(&debian), None).assert_code(0);
    repo.mark_env();
    fs_err::set_permissions(repo.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // The repo changes hands; the env stays root's. A changed requirements file makes the
    // next run update the env.
    fs_err::write(repo.path().join("requirements.txt"), "# changed\n").expect("write");
    let chown = Command::new("chown")
        .args(["-R", "nobody:nogroup", "--"])
        .arg(repo.path().join("scripts"))
        .arg(repo.path().join("requirements.txt"))
        .arg(&repo.home)
        .status()
        .expect("chown");
    assert!(chown.success());
    let chown_top = Command::new("chown")
        .args(["nobody:nogroup", "--"])
        .arg(repo.path())
        .status()
        .expect("chown");
    assert!(chown_top.success());

    for args in [&[][..], &["--recreate"][..]] {
        let mut all = vec![
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "sh",
            "scripts/bootstrap.sh",
        ];
        all.extend_from_slice(args);
        let run = output(repo.command(setpriv.to_str().expect("utf-8"), &all, Some(&debian), None));
        run.assert_code(1);
        assert!(
            run.stderr
                .contains(".venv belongs to root, not to you (nobody)"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("    sudo chown -R nobody -- '.venv'"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("Permission denied"), "{}", run.stderr);
        repo.assert_old_env_kept();
    }

    // The other way round: `sudo` run over a contributor's env is refused too, before root
    // leaves files in it that its owner could not replace.
    let give = Command::new("chown")
        .args(["-R", "nobody:nogroup", "--"])
        .arg(repo.path().join(".venv"))
        .status()
        .expect("chown");
    assert!(give.success());
    let as_root = repo.bootstrap(&["--recreate"], Some(&debian), None);
    as_root.assert_code(1);
    assert!(
        as_root
            .stderr
            .contains(".venv belongs to nobody, and this run is root's (sudo?).\nRun this script as nobody, without sudo."),
        "{}",
        as_root.stderr
    );
    repo.assert_old_env_kept();
}

/// Whether this process is root, which `what` needs; outside CI a note when not, under CI
/// a failure (CI runs as root).
pub(crate) fn root(what: &str) -> bool {
    use std::os::unix::fs::MetadataExt;
    let root = fs_err::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !root {
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} needs root under CI"
        );
        eprintln!("skipped: {what} needs root");
    }
    root
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn make_bootstrap_repairs_a_broken_env() {
    let (Some(_), Some(make)) = (support::python(DEBIAN), support::tool("make")) else {
        return;
    };
    let make = make.to_str().expect("utf-8").to_string();
    let scratch = tempfile::tempdir().expect("temp dir");
    let copy = support::debian_python_copy(scratch.path(), &[]).expect("copy python");
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    output(repo.command(&make, &["bootstrap"], Some(&copy), Some("/usr/bin:/bin"))).assert_code(0);
    let current = output(repo.command(&make, &["bootstrap"], None, Some("/usr/bin:/bin")));
    current.assert_code(0);
    assert!(current.stdout.contains("up to date"), "{}", current.stdout);

    // The interpreter the env was built from goes away: every file make compares is as
    // new as before, and the env cannot run.
    drop(scratch);
    let repaired = output(repo.command(&make, &["bootstrap"], None, Some("/usr/bin:/bin")));
    repaired.assert_code(0);
    assert!(
        repaired
            .stdout
            .contains(".venv needs a rebuild: the Python 3.11 it was built from is gone."),
        "{}",
        repaired.stdout
    );
    assert_eq!(repo.env_version(), "3.11");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn an_interrupted_rebuild_is_put_back() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    // What a run killed halfway leaves: the old env aside, a new one without a stamp.
    let repo = Repo::with_env_moved_aside(&debian);
    let half = Command::new(&debian)
        .args(["-m", "venv", "--without-pip", ".venv"])
        .current_dir(repo.path())
        .status()
        .expect("run venv");
    assert!(half.success());
    let run = repo.bootstrap(&[], None, None);
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("Put back .venv, which an interrupted rebuild had moved aside."),
        "{}",
        run.stdout
    );
    repo.assert_old_env_kept();
}

#[test]
fn unknown_options_are_named() {
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    let run = repo.bootstrap(&["--bogus"], None, None);
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with("bootstrap: error: unknown option `--bogus`\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("usage: sh scripts/bootstrap.sh"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join(".venv").exists());
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn uvs_override_leaves_the_uv_backend_in_its_env() {
    let (Some(debian), Some(_)) = (support::python(DEBIAN), support::tool("uv")) else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12", "env.backend=uv"]);
    support::build_wheel(&repo.path().join("wheels"), "pbdemo", "1.0");
    fs_err::write(
        repo.path().join("requirements.txt"),
        "wheels/pbdemo-1.0-py3-none-any.whl\n",
    )
    .expect("write requirements");
    let mut command = repo.command("sh", &["scripts/bootstrap.sh"], Some(&debian), None);
    command.env("UV_BREAK_SYSTEM_PACKAGES", "1");
    output(command).assert_code(0);
    let imported = Command::new(repo.path().join(".venv/bin/python"))
        .args([
            "-c",
            "import pbdemo, sys; print(pbdemo.__file__.startswith(sys.prefix))",
        ])
        .output()
        .expect("run env python");
    assert_eq!(String::from_utf8_lossy(&imported.stdout).trim(), "True");
    let outside = Command::new(DEBIAN)
        .args([
            "-I",
            "-c",
            "import importlib.util; print(importlib.util.find_spec('pbdemo'))",
        ])
        .output()
        .expect("run system python");
    assert_eq!(String::from_utf8_lossy(&outside.stdout).trim(), "None");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn concurrent_rebuilds_take_turns() {
    let (Some(debian), Some(pyenv_312)) = (support::python(DEBIAN), support::python(PYENV_312))
    else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    repo.bootstrap(&[], Some(&debian), None).assert_code(0);
    let lock = repo.path().join(".venv.pybootstrap-lock");

    // Two runs asking for another interpreter, the second while the first rebuilds.
    let first = spawn(repo.command("sh", &["scripts/bootstrap.sh"], Some(&pyenv_312), None));
    let first_pid = first.id();
    wait_for("the first run takes the lock", 60, || {
        lock.join("pid").is_file()
    });
    let second = spawn(repo.command("sh", &["scripts/bootstrap.sh"], Some(&pyenv_312), None));
    let first = finish(first, 180);
    let second = finish(second, 180);
    first.assert_code(0);
    assert!(first.stdout.contains("Creating .venv"), "{}", first.stdout);
    second.assert_code(0);
    assert!(
        second.stdout.contains(&format!(
            "Waiting for another bootstrap (pid {first_pid}) to finish with .venv..."
        )),
        "{}",
        second.stdout
    );
    assert!(
        second
            .stdout
            .contains(".venv is up to date; nothing to do."),
        "{}",
        second.stdout
    );
    assert_eq!(repo.env_version(), "3.12");
    assert!(!lock.exists());
    assert!(!repo.path().join(".venv.pybootstrap-old").exists());
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn a_lock_left_by_a_dead_run_is_taken_over() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    let mut gone = Command::new("true").spawn().expect("run true");
    let dead_pid = gone.id();
    gone.wait().expect("wait for true");
    let lock = repo.path().join(".venv.pybootstrap-lock");
    fs_err::create_dir(&lock).expect("create lock");
    fs_err::write(lock.join("pid"), format!("{dead_pid}\n")).expect("write pid");

    let run = finish(
        spawn(repo.command("sh", &["scripts/bootstrap.sh"], Some(&debian), None)),
        180,
    );
    run.assert_code(0);
    assert!(
        run.stdout.contains(&format!(
            "Took over .venv.pybootstrap-lock from a bootstrap that is gone (pid {dead_pid})."
        )),
        "{}",
        run.stdout
    );
    assert!(repo.path().join(".venv/.pybootstrap-stamp").is_file());
    assert!(!lock.exists());
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn a_killed_install_is_done_again() {
    let (Some(debian), Some(mkfifo)) = (support::python(DEBIAN), support::tool("mkfifo")) else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    support::build_wheel(&repo.path().join("wheels"), "pbdemo", "1.0");
    let requirements = repo.path().join("requirements.txt");
    fs_err::write(&requirements, "wheels/pbdemo-1.0-py3-none-any.whl\n").expect("write");
    repo.bootstrap(&[], Some(&debian), None).assert_code(0);
    let stamp = repo.path().join(".venv/.pybootstrap-stamp");
    assert!(stamp.is_file());

    // A new requirement pulls in a FIFO: pip blocks reading it, in the middle of the
    // install, until the test has killed the run.
    let status = Command::new(mkfifo)
        .arg(repo.path().join("slow.txt"))
        .status()
        .expect("run mkfifo");
    assert!(status.success());
    fs_err::write(
        &requirements,
        "wheels/pbdemo-1.0-py3-none-any.whl\n-r slow.txt\n",
    )
    .expect("write");
    let run = spawn(repo.command("sh", &["scripts/bootstrap.sh"], None, None));
    let run_pid = run.id();
    let fifo = repo.path().join("slow.txt");
    let (sender, receiver) = std::sync::mpsc::channel();
    // Opening a FIFO for writing returns once a reader (pip) has opened it.
    std::thread::spawn(move || sender.send(fs_err::OpenOptions::new().write(true).open(fifo)));
    let Ok(writer) = receiver.recv_timeout(Duration::from_secs(120)) else {
        kill_group(run_pid);
        panic!("pip never read slow.txt");
    };
    kill_group(run_pid);
    let killed = finish(run, 30);
    drop(writer);
    assert_eq!(killed.code, -1, "{killed:?}");
    assert!(
        killed.stdout.contains("Installing dependencies into .venv"),
        "{}",
        killed.stdout
    );
    assert!(!stamp.exists(), "a killed install left its stamp");

    // The requirement is reverted: the stamp's old inputs again, but the env may be half
    // changed, so the install runs again.
    fs_err::remove_file(repo.path().join("slow.txt")).expect("remove fifo");
    fs_err::write(&requirements, "wheels/pbdemo-1.0-py3-none-any.whl\n").expect("write");
    let repaired = finish(
        spawn(repo.command("sh", &["scripts/bootstrap.sh"], None, None)),
        180,
    );
    repaired.assert_code(0);
    assert!(
        !repaired.stdout.contains("up to date"),
        "{}",
        repaired.stdout
    );
    assert!(
        repaired
            .stdout
            .contains(&format!("bootstrap that is gone (pid {run_pid})")),
        "{}",
        repaired.stdout
    );
    assert!(
        repaired
            .stdout
            .contains("Installing dependencies into .venv"),
        "{}",
        repaired.stdout
    );
    assert!(stamp.is_file());
    let again = repo.bootstrap(&[], None, None);
    again.assert_code(0);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn an_old_env_beside_a_half_deleted_one_is_put_back() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    // What a cleanup stopped halfway by a second Ctrl-C left: the old env aside, and what
    // is left of the new one, its pyvenv.cfg already deleted.
    let repo = Repo::with_env_moved_aside(&debian);
    fs_err::create_dir_all(repo.path().join(".venv/lib/python3.11/site-packages"))
        .expect("create half env");
    fs_err::write(
        repo.path().join(".venv/lib/python3.11/site-packages/x.py"),
        "",
    )
    .expect("write half env");
    let run = finish(
        spawn(repo.command("sh", &["scripts/bootstrap.sh"], None, None)),
        180,
    );
    run.assert_code(0);
    assert!(
        run.stdout
            .contains("Put back .venv, which an interrupted rebuild had moved aside."),
        "{}",
        run.stdout
    );
    repo.assert_old_env_kept();
    assert!(!repo.path().join(".venv.pybootstrap-discarded").exists());
    assert!(!repo.path().join(".venv.pybootstrap-lock").exists());
}

/// Runs `script` under `sh` in a private user and mount namespace where `mount` is a fresh
/// tmpfs of `size` (`unshare -rm`: nothing is left behind). `None` (with a note) where the
/// machine allows no user namespaces; under CI that is a failure.
fn on_small_tmpfs(repo: &Repo, mount: &Path, size: &str, script: &str) -> Option<Output> {
    let unshare = support::user_namespaces()?;
    fs_err::create_dir_all(mount).expect("create the mount point");
    let mut command = repo.command(
        unshare.to_str().expect("utf-8"),
        &[
            "-rm",
            "sh",
            "-c",
            r#"mount -t tmpfs -o "size=$1" tmpfs "$2" && cd "$2" && eval "$3""#,
            "sh",
            size,
            mount.to_str().expect("utf-8"),
            script,
        ],
        None,
        None,
    );
    command.env("PYTHON", DEBIAN);
    Some(output(command))
}

/// A wheel `name-1.0` whose module carries `megabytes` of incompressible data.
fn big_wheel(dir: &Path, name: &str, megabytes: usize) -> PathBuf {
    let script = r#"
import os, sys, zipfile
out, name, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
dist = f"{name}-1.0.dist-info"
wheel = os.path.join(out, f"{name}-1.0-py3-none-any.whl")
with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as archive:
    archive.writestr(f"{name}.py", "VALUE = '1.0'\n")
    archive.writestr(f"{name}_data.bin", os.urandom(size * 1024 * 1024))
    archive.writestr(f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    archive.writestr(f"{dist}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    archive.writestr(f"{dist}/RECORD", "")
print(wheel)
"#;
    fs_err::create_dir_all(dir).expect("create the wheel dir");
    let made = Command::new(DEBIAN)
        .args(["-I", "-c", script])
        .arg(dir)
        .args([name, &megabytes.to_string()])
        .output()
        .expect("build the wheel");
    assert!(made.status.success(), "{made:?}");
    PathBuf::from(String::from_utf8_lossy(&made.stdout).trim())
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs on a tmpfs and runs the bootstrap"
)]
#[test]
fn a_full_disk_is_named_with_its_free_space() {
    let Some(_) = support::python(DEBIAN) else {
        return;
    };
    if !root("mounting a tmpfs") {
        return;
    }
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    let small = repo.path().join("small");
    let copy = "cp -a ../scripts ../requirements.txt . && sh scripts/bootstrap.sh";

    // Too small for the env itself: venv says only that ensurepip ended with status 1.
    let Some(tiny) = on_small_tmpfs(&repo, &small, "6m", copy) else {
        return;
    };
    tiny.assert_code(1);
    assert!(
        tiny.stderr.contains(&format!(
            "bootstrap: error: No space left on device: the filesystem mounted on {} (tmpfs) has ",
            small.display()
        )) && tiny.stderr.contains(" KB free."),
        "{}",
        tiny.stderr
    );
    assert!(
        tiny.stderr.contains("removed the unfinished .venv"),
        "{}",
        tiny.stderr
    );

    // Room for the env, not for a dependency: pip's own error, and the same line.
    let wheel = big_wheel(&repo.path().join("wheels"), "pbbig", 24);
    fs_err::write(
        repo.path().join("requirements.txt"),
        format!("{}\n", wheel.display()),
    )
    .expect("write requirements");
    let Some(full) = on_small_tmpfs(&repo, &small, "40m", copy) else {
        return;
    };
    full.assert_code(1);
    assert!(
        full.stderr.contains("No space left on device")
            && full.stderr.contains(&format!(
                "bootstrap: error: No space left on device: the filesystem mounted on {} (tmpfs) has ",
                small.display()
            )),
        "{}",
        full.stderr
    );
    assert!(
        full.stdout.contains("Installing dependencies into .venv"),
        "{}",
        full.stdout
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn pythonhome_and_pythonpath_stay_out_of_the_env_and_are_named() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    let wheel = support::build_wheel(&repo.path().join("wheels"), "pbdemo", "1.0");
    fs_err::write(repo.path().join("requirements.txt"), format!("{wheel}\n"))
        .expect("write requirements");
    // A PYTHONPATH holding another pbdemo: pip run under it would call it installed.
    let shadow = repo.path().join("shadow");
    fs_err::create_dir_all(shadow.join("pbdemo-9.0.dist-info")).expect("create shadow");
    fs_err::write(shadow.join("pbdemo.py"), "VALUE = 'shadow'\n").expect("write shadow");
    fs_err::write(
        shadow.join("pbdemo-9.0.dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: pbdemo\nVersion: 9.0\n",
    )
    .expect("write shadow metadata");
    let mut command = repo.command("sh", &["scripts/bootstrap.sh"], Some(&debian), None);
    command
        .env("PYTHONHOME", "/nonexistent")
        .env("PYTHONPATH", &shadow);
    let run = output(command);
    run.assert_code(0);
    assert!(
        repo.path()
            .join(".venv/lib/python3.11/site-packages/pbdemo.py")
            .is_file(),
        "pbdemo was not installed into the env\n{}{}",
        run.stdout,
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "bootstrap: warning: PYTHONHOME=/nonexistent and PYTHONPATH={} is set in your shell, and .venv/bin/python does not start with it",
            shadow.display()
        )),
        "{}",
        run.stderr
    );
}

#[test]
fn no_python_found_names_pythonhome() {
    let repo = Repo::new(&["python.requires=>=3.12", "python.versions=3.12"]);
    let mut command = repo.command("sh", &["scripts/bootstrap.sh"], None, Some("/usr/bin:/bin"));
    command.env("PYTHONHOME", "/nonexistent");
    let run = output(command);
    run.assert_code(1);
    assert!(
        run.stderr.contains("no Python inside >=3.12 found")
            && run.stderr.contains(
                "(PYTHONHOME=/nonexistent is set in your shell; this script runs Python without it)"
            ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_dangling_env_link_is_named() {
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    std::os::unix::fs::symlink("/nonexistent/env", repo.path().join(".venv")).expect("link");
    let run = repo.bootstrap(&[], None, None);
    run.assert_code(1);
    assert!(
        run.stderr.contains(
            "bootstrap: error: .venv is a symbolic link to /nonexistent/env, which does not exist: remove the link (rm -- '.venv')"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("File exists"), "{}", run.stderr);
    assert!(fs_err::symlink_metadata(repo.path().join(".venv")).is_ok());
}

#[test]
fn a_python_without_venv_is_named_and_nothing_is_said_removed() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let Some(no_venv) = support::debian_python_copy(scratch.path(), &["venv"]) else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    let run = repo.bootstrap(&[], Some(&no_venv), None);
    run.assert_code(1);
    assert!(
        run.stderr.contains(&format!(
            "bootstrap: error: {} cannot create virtual environments: its venv module is missing.",
            no_venv.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("removed the unfinished"),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join(".venv").exists());
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn the_directory_that_is_not_writable_is_named() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    let Some(setpriv) = support::tool("setpriv") else {
        return;
    };
    if !root("playing two users") {
        return;
    }
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    repo.bootstrap(&[], Some(&debian), None).assert_code(0);
    // Everything is nobody's but the repo directory itself; a changed requirements file
    // makes the next run update the env.
    fs_err::write(repo.path().join("requirements.txt"), "# changed\n").expect("write");
    let chown = Command::new("chown")
        .args(["-R", "nobody:nogroup", "--"])
        .arg(repo.path().join(".venv"))
        .arg(repo.path().join("scripts"))
        .arg(repo.path().join("requirements.txt"))
        .arg(&repo.home)
        .status()
        .expect("chown");
    assert!(chown.success());
    let as_nobody = || {
        output(repo.command(
            setpriv.to_str().expect("utf-8"),
            &[
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "sh",
                "scripts/bootstrap.sh",
            ],
            Some(&debian),
            None,
        ))
    };
    let top = repo.path().canonicalize().expect("canonical repo path");
    let chmod = |path: &Path, mode: u32| {
        fs_err::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    };

    // The repo directory is root's.
    chmod(repo.path(), 0o755);
    let theirs = as_nobody();
    theirs.assert_code(1);
    assert!(
        theirs.stderr.contains(&format!(
            "bootstrap: error: {} is not writable by you (nobody): it belongs to root.",
            top.display()
        )) && theirs
            .stderr
            .contains(&format!("    sudo chown nobody -- '{}'", top.display())),
        "{}",
        theirs.stderr
    );
    assert!(!theirs.stderr.contains("'.venv'"), "{}", theirs.stderr);

    // It is nobody's, without write permission.
    let chown_top = Command::new("chown")
        .args(["nobody:nogroup", "--"])
        .arg(repo.path())
        .status()
        .expect("chown");
    assert!(chown_top.success());
    chmod(repo.path(), 0o555);
    let mode = as_nobody();
    mode.assert_code(1);
    assert!(
        mode.stderr.contains(&format!(
            "bootstrap: error: {} is not writable: it is yours, but its mode (dr-xr-xr-x) denies writing.",
            top.display()
        )) && mode
            .stderr
            .contains(&format!("    chmod u+w -- '{}'", top.display())),
        "{}",
        mode.stderr
    );

    // A directory inside the env is the one.
    chmod(repo.path(), 0o755);
    let site = repo.path().join(".venv/lib/python3.11/site-packages");
    chmod(&site, 0o555);
    let inside = as_nobody();
    inside.assert_code(1);
    assert!(
        inside.stderr.contains(&format!(
            "bootstrap: error: {} is not writable: it is yours, but its mode (dr-xr-xr-x) denies writing.",
            top.join(".venv/lib/python3.11/site-packages").display()
        )),
        "{}",
        inside.stderr
    );
    chmod(&site, 0o755);
    as_nobody().assert_code(0);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn a_venv_active_on_python_3_10_is_not_built_upon() {
    let Some(pyenv_310) = support::pyenv_python("3.10") else {
        return;
    };
    let repo = Repo::new(&["python.requires=>=3.10,<3.11", "python.versions=3.10"]);
    let active = repo.path().join("active");
    let made = Command::new(&pyenv_310)
        .args(["-m", "venv", "--without-pip"])
        .arg(&active)
        .status()
        .expect("make the active venv");
    assert!(made.success());
    let path = format!("{}:/usr/bin:/bin", active.join("bin").display());
    let mut command = repo.command("sh", &["scripts/bootstrap.sh"], None, Some(&path));
    command.env("VIRTUAL_ENV", &active);
    let run = output(command);
    run.assert_code(0);
    assert!(
        run.stdout.contains(&format!(
            "{} is in a virtual environment; building from its base interpreter, {}.",
            active.join("bin/python3.10").display(),
            pyenv_310.display()
        )),
        "{}",
        run.stdout
    );
    let config = fs_err::read_to_string(repo.path().join(".venv/pyvenv.cfg")).expect("read cfg");
    assert!(
        config.contains(&format!(
            "home = {}",
            pyenv_310.parent().expect("bin").display()
        )),
        "{config}"
    );
    // The other venv goes; this one still runs.
    fs_err::remove_dir_all(&active).expect("remove the active venv");
    assert_eq!(repo.env_version(), "3.10");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn a_deleted_or_broken_pip_is_noticed_without_starting_python() {
    let (Some(debian), Some(strace)) = (support::python(DEBIAN), support::tool("strace")) else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    repo.bootstrap(&[], Some(&debian), None).assert_code(0);
    let pip = repo.path().join(".venv/lib/python3.11/site-packages/pip");
    let pip_runs = || {
        Command::new(repo.path().join(".venv/bin/python"))
            .args(["-m", "pip", "--version"])
            .output()
            .expect("run env python")
            .status
            .success()
    };

    // The no-op run starts no Python: every program it executes is listed.
    let traced_log = repo.path().join("execs.log");
    let traced = output(repo.command(
        strace.to_str().expect("utf-8"),
        &[
            "-f",
            "-qq",
            "-e",
            "trace=execve",
            "-e",
            "signal=none",
            "-o",
            traced_log.to_str().expect("utf-8"),
            "sh",
            "scripts/bootstrap.sh",
        ],
        None,
        None,
    ));
    traced.assert_code(0);
    assert!(traced.stdout.contains("up to date"), "{}", traced.stdout);
    let execs = fs_err::read_to_string(&traced_log).expect("read strace log");
    let programs: Vec<&str> = execs
        .lines()
        .filter_map(|line| line.split_once("execve(\"")?.1.split('"').next())
        .collect();
    assert!(programs.len() >= 3, "{execs}");
    assert!(
        programs.iter().all(|program| !program.contains("python")),
        "{execs}"
    );

    for (what, damage) in [
        (
            "deleted",
            Box::new(|| fs_err::remove_dir_all(&pip).expect("remove pip")) as Box<dyn Fn()>,
        ),
        (
            "broken",
            Box::new(|| fs_err::write(pip.join("__init__.py"), "").expect("truncate pip")),
        ),
    ] {
        damage();
        assert!(!pip_runs(), "pip still runs once {what}");
        let run = repo.bootstrap(&[], None, None);
        run.assert_code(0);
        assert!(
            run.stdout
                .contains(".venv needs a rebuild: it is incomplete (pip does not run in it)."),
            "{what}: {}",
            run.stdout
        );
        assert!(
            pip_runs(),
            "pip does not run after the repair of a {what} pip"
        );
        let again = repo.bootstrap(&[], None, None);
        assert!(again.stdout.contains("up to date"), "{}", again.stdout);
    }
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn the_bootstrap_is_quiet_unless_asked_or_failing() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    let repo = Repo::new(&["python.versions=3.11,3.12"]);
    let wheel = support::build_wheel(&repo.path().join("wheels"), "pbdemo", "1.0");
    fs_err::write(repo.path().join("requirements.txt"), format!("{wheel}\n"))
        .expect("write requirements");
    let quiet = repo.bootstrap(&[], Some(&debian), None);
    quiet.assert_code(0);
    let steps: Vec<&str> = quiet.stdout.lines().take(2).collect();
    assert_eq!(
        steps,
        [
            "Creating .venv (venv) with Python 3.11 (/usr/bin/python3.11)",
            "Installing dependencies into .venv",
        ],
        "{}",
        quiet.stdout
    );
    assert!(
        !quiet.stdout.contains("Successfully installed") && quiet.stderr.is_empty(),
        "{quiet:?}"
    );

    // -v, and the variable, show pip's output.
    let verbose = repo.bootstrap(&["--recreate", "-v"], Some(&debian), None);
    verbose.assert_code(0);
    assert!(
        verbose.stdout.contains("Successfully installed pbdemo-1.0"),
        "{}",
        verbose.stdout
    );
    let mut command = repo.command(
        "sh",
        &["scripts/bootstrap.sh", "--recreate"],
        Some(&debian),
        None,
    );
    command.env("PYBOOTSTRAP_VERBOSE", "1");
    let by_variable = output(command);
    by_variable.assert_code(0);
    assert!(
        by_variable
            .stdout
            .contains("Successfully installed pbdemo-1.0"),
        "{}",
        by_variable.stdout
    );

    // A failing step shows what it printed.
    fs_err::write(
        repo.path().join("requirements.txt"),
        "pbdemo-not-anywhere==1.0\n",
    )
    .expect("write requirements");
    let failed = repo.bootstrap(&[], Some(&debian), None);
    failed.assert_code(1);
    assert!(
        failed
            .stderr
            .contains("No matching distribution found for pbdemo-not-anywhere==1.0"),
        "{}",
        failed.stderr
    );
}

/// A wheel `poetry-2.5.1` whose `poetry` command only prints its arguments: what the
/// bootstrap fetches, with no package index.
fn fake_poetry_wheel(dir: &Path) {
    let script = r#"
import base64, hashlib, os, sys, zipfile
out = sys.argv[1]
dist = "poetry-2.5.1.dist-info"
files = {
    "fake_poetry.py": b"import sys\ndef main():\n    print('fake poetry', *sys.argv[1:])\n",
    f"{dist}/entry_points.txt": b"[console_scripts]\npoetry = fake_poetry:main\n",
    f"{dist}/METADATA": b"Metadata-Version: 2.1\nName: poetry\nVersion: 2.5.1\n",
    f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
}
record = []
for path, data in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    record.append(f"{path},sha256={digest},{len(data)}")
record.append(f"{dist}/RECORD,,")
files[f"{dist}/RECORD"] = ("\n".join(record) + "\n").encode()
with zipfile.ZipFile(os.path.join(out, "poetry-2.5.1-py3-none-any.whl"), "w") as archive:
    for path, data in files.items():
        archive.writestr(path, data)
"#;
    fs_err::create_dir_all(dir).expect("create the wheel dir");
    let made = Command::new(DEBIAN)
        .args(["-I", "-c", script])
        .arg(dir)
        .output()
        .expect("build the wheel");
    assert!(made.status.success(), "{made:?}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds venvs and runs the bootstrap"
)]
#[test]
fn two_runs_fetching_the_same_tool_take_turns() {
    let Some(debian) = support::python(DEBIAN) else {
        return;
    };
    let shared = tempfile::tempdir().expect("temp dir");
    let wheels = shared.path().join("wheels");
    fake_poetry_wheel(&wheels);
    let cache = shared.path().join("cache");
    let pyproject = "[tool.poetry]\nname = \"unpackaged\"\nversion = \"0.1.0\"\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = \"^3.9\"\n";
    let repos = [
        Repo::with_files(
            &[("pyproject.toml", pyproject)],
            &["deps.source=poetry", "tasks.test=python -m unittest"],
        ),
        Repo::with_files(
            &[("pyproject.toml", pyproject)],
            &["deps.source=poetry", "tasks.test=python -m unittest"],
        ),
    ];
    let start = |repo: &Repo| {
        let mut command = repo.command("sh", &["scripts/bootstrap.sh"], Some(&debian), None);
        command
            .env("XDG_CACHE_HOME", &cache)
            .env("PIP_FIND_LINKS", &wheels);
        spawn(command)
    };
    // The second starts while the first holds the tools venv's lock, making it.
    let lock = cache.join("pybootstrap/tools/poetry-2.5.1.pybootstrap-lock");
    let first = start(&repos[0]);
    let first_pid = first.id();
    wait_for("the first run locks the tool", 120, || {
        lock.join("pid").is_file()
    });
    let second = start(&repos[1]);
    let first = finish(first, 180);
    let second = finish(second, 180);
    first.assert_code(0);
    second.assert_code(0);
    let tool_dir = cache.join("pybootstrap/tools/poetry-2.5.1");
    assert!(
        first.stdout.contains(&format!(
            "poetry is not on PATH: fetching poetry 2.5.1 into {}",
            tool_dir.display()
        )),
        "{}",
        first.stdout
    );
    assert!(
        second.stdout.contains(&format!(
            "Waiting for another bootstrap (pid {first_pid}) to finish with {}...",
            tool_dir.display()
        )) && !second.stdout.contains("fetching poetry"),
        "{}",
        second.stdout
    );
    for run in [&first, &second] {
        assert!(run.stdout.contains("\nDone."), "{run:?}");
    }
    assert!(tool_dir.join(".pybootstrap-complete").is_file());
    assert!(!lock.exists());
}
