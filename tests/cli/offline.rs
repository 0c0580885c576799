//! The offline kit: `pybootstrap bundle` on a machine that reaches PyPI, then the generated
//! `bootstrap.sh --offline` inside a network namespace with no network at all
//! (`unshare -n`), where the env must build and the project's tests run; a kit missing a
//! wheel must name it. Plus `bundle`'s argument errors and the script's kit checks, which
//! need neither network nor venv.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{self, Output, Test};

const PYENV_312: &str = "/root/.pyenv/versions/3.12.1/bin";

/// A repository made by the real `pybootstrap init`, from `files`, with `sets`.
fn repo(files: &[(&str, &str)], sets: &[&str]) -> Test {
    let mut test = Test::new();
    test.env("PIP_CONFIG_FILE", "/dev/null");
    for (path, contents) in files {
        test.write(path, contents);
    }
    let mut args = vec!["init", "--yes"];
    for set in sets {
        args.extend(["--set", set]);
    }
    test.run(&args).assert_code(0);
    test
}

/// `unshare -n`, when this machine lets the test make a network namespace (root can);
/// `None` (with a note) where it cannot. Under CI that is a failure.
fn no_network() -> Option<PathBuf> {
    let unshare = support::tool("unshare")?;
    let usable = Command::new(&unshare)
        .args(["-n", "true"])
        .status()
        .is_ok_and(|status| status.success());
    if !usable {
        assert!(
            std::env::var_os("CI").is_none(),
            "`unshare -n` (a network namespace) is required under CI"
        );
        eprintln!("skipped: `unshare -n` cannot make a network namespace here");
        return None;
    }
    Some(unshare)
}

/// `program args` in the repo inside a network namespace with no network: a private HOME
/// and cache (so every tool comes from the kit), and a `PATH` with no uv on it.
fn offline(
    test: &Test,
    unshare: &Path,
    program: &str,
    args: &[&str],
    envs: &[(&str, &str)],
) -> Output {
    let home = test.path().join(".home");
    fs_err::create_dir_all(&home).expect("create home");
    let mut command = Command::new(unshare);
    command
        .arg("-n")
        .arg(program)
        .args(args)
        .current_dir(test.path())
        .env_clear()
        .env("HOME", &home)
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("PATH", format!("{PYENV_312}:/usr/local/bin:/usr/bin:/bin"))
        .env("LANG", "C.UTF-8");
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command.output().expect("run unshare -n");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A copy of the kit at `from` without the wheel whose name starts with `prefix`, and
/// with (`keep_sum`) or without its line in `SHA256SUMS`. Returns the wheel's file name.
fn kit_without(from: &Path, to: &Path, prefix: &str, keep_sum: bool) -> String {
    fs_err::create_dir_all(to.join("wheels")).expect("create kit copy");
    let mut removed = String::new();
    for entry in fs_err::read_dir(from.join("wheels")).expect("list wheels") {
        let entry = entry.expect("wheel entry");
        let name = entry.file_name().into_string().expect("utf-8 wheel name");
        if name.starts_with(prefix) {
            removed = name;
        } else {
            fs_err::copy(entry.path(), to.join("wheels").join(&name)).expect("copy wheel");
        }
    }
    assert!(!removed.is_empty(), "no wheel named {prefix}* in the kit");
    for file in ["pybootstrap-kit.toml", "requirements.txt"] {
        if from.join(file).is_file() {
            fs_err::copy(from.join(file), to.join(file)).expect("copy kit file");
        }
    }
    let sums = fs_err::read_to_string(from.join("SHA256SUMS")).expect("read sums");
    let kept: String = sums
        .lines()
        .filter(|line| keep_sum || !line.ends_with(&format!("wheels/{removed}")))
        .map(|line| format!("{line}\n"))
        .collect();
    fs_err::write(to.join("SHA256SUMS"), kept).expect("write sums");
    removed
}

fn bundle(test: &Test, args: &[&str]) -> Output {
    let mut all = vec!["bundle"];
    all.extend_from_slice(args);
    let output = test.run(&all);
    output.assert_code(0);
    output
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: downloads wheels from PyPI, builds venvs offline in a network namespace"
)]
fn requirement_files_install_from_a_kit_with_no_network() {
    let Some(unshare) = no_network() else {
        return;
    };
    if support::python(&format!("{PYENV_312}/python3.12")).is_none() {
        return;
    }
    let test = repo(
        &[
            ("requirements.txt", "iniconfig==2.0.0\n"),
            ("requirements-dev.txt", "-r requirements.txt\nsix==1.16.0\n"),
            (
                "tests/test_kit.py",
                "import unittest\n\n\nclass Kit(unittest.TestCase):\n    def test_imports(self):\n        import iniconfig, six\n",
            ),
            ("tests/__init__.py", ""),
        ],
        &[
            "deps.source=requirements",
            "deps.files=requirements-dev.txt",
            "python.versions=3.12",
        ],
    );
    let made = bundle(&test, &["kit"]);
    assert!(made.stdout.contains("offline kit"), "{made:?}");
    let manifest = test.read("kit/pybootstrap-kit.toml");
    assert!(manifest.contains("pythons = [\"3.12\"]"), "{manifest}");
    assert!(manifest.contains("source = \"requirements\""), "{manifest}");
    let sums = test.read("kit/SHA256SUMS");
    assert!(
        sums.contains("  wheels/iniconfig-2.0.0-py3-none-any.whl"),
        "{sums}"
    );
    assert!(sums.contains("  pybootstrap-kit.toml"), "{sums}");

    let built = offline(
        &test,
        &unshare,
        "sh",
        &["scripts/bootstrap.sh", "--offline", "kit"],
        &[],
    );
    built.assert_code(0);
    assert!(
        built.stdout.contains("no package index is used"),
        "{built:?}"
    );
    make_test_runs_offline(&test, &unshare);

    // A kit made without a dependency: pip's error, named in one line; the env kept.
    let removed = kit_without(
        &test.path().join("kit"),
        &test.path().join("short"),
        "six-",
        false,
    );
    let failed = offline(
        &test,
        &unshare,
        "sh",
        &["scripts/bootstrap.sh", "--recreate"],
        &[("PYBOOTSTRAP_OFFLINE", "short")],
    );
    failed.assert_code(1);
    assert!(
        failed.stderr.contains("the offline kit")
            && failed
                .stderr
                .contains("lacks six==1.16.0: it has no wheel of it for Python 3.12"),
        "{removed}: {failed:?}"
    );
    assert!(
        failed.stderr.contains("is as it was before this run"),
        "{failed:?}"
    );
    offline(&test, &unshare, "make", &["test"], &[]).assert_code(0);

    // A wheel lost on the way: the checksums name it before anything moves.
    let removed = kit_without(
        &test.path().join("kit"),
        &test.path().join("lost"),
        "iniconfig-",
        true,
    );
    let lost = offline(
        &test,
        &unshare,
        "sh",
        &["scripts/bootstrap.sh", "--recreate", "--offline", "lost"],
        &[],
    );
    lost.assert_code(1);
    assert!(
        lost.stderr.contains(&format!(
            "wheels/{removed} is listed in its SHA256SUMS and missing"
        )),
        "{lost:?}"
    );
    assert!(test.path().join(".venv/bin/python").exists());

    // The same pins with hashes: offline, the env's pip (23.2.1 on pyenv's 3.12.1) installs
    // them as it is; no newer pip is looked for.
    let hashed = |wheel: &str| {
        let hex = support::sha256_hex(test.path().join("kit/wheels").join(wheel));
        format!(" \\\n    --hash=sha256:{hex}\n")
    };
    test.write(
        "requirements.txt",
        format!(
            "iniconfig==2.0.0{}",
            hashed("iniconfig-2.0.0-py3-none-any.whl")
        ),
    );
    test.write(
        "requirements-dev.txt",
        format!(
            "-r requirements.txt\nsix==1.16.0{}",
            hashed("six-1.16.0-py2.py3-none-any.whl")
        ),
    );
    let reinstalled = offline(
        &test,
        &unshare,
        "sh",
        &["scripts/bootstrap.sh", "--offline", "kit"],
        &[],
    );
    reinstalled.assert_code(0);
    assert!(
        !reinstalled.stdout.contains("Upgrading pip"),
        "{reinstalled:?}"
    );
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: downloads wheels from PyPI, builds venvs offline in a network namespace"
)]
fn a_uv_lock_installs_from_a_kit_archive_with_no_network() {
    let Some(unshare) = no_network() else {
        return;
    };
    if support::python(&format!("{PYENV_312}/python3.12")).is_none() {
        return;
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/offline-uv");
    let mut files: Vec<(&str, String)> = Vec::new();
    for path in ["pyproject.toml", "uv.lock", "src/kitdemo/__init__.py"] {
        files.push((
            path,
            fs_err::read_to_string(fixture.join(path)).expect("read fixture"),
        ));
    }
    files.push((
        "tests/test_kit.py",
        "import unittest\n\n\nclass Kit(unittest.TestCase):\n    def test_imports(self):\n        import iniconfig, kitdemo, six\n".into(),
    ));
    files.push(("tests/__init__.py", String::new()));
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (*path, text.as_str()))
        .collect();
    let test = repo(&borrowed, &["deps.groups=dev", "python.versions=3.12"]);
    assert!(
        test.read("pybootstrap.toml")
            .contains("source = \"uv-lock\"")
    );

    bundle(&test, &["kit", "--archive", "kit.tar.gz"]);
    let manifest = test.read("kit/pybootstrap-kit.toml");
    assert!(manifest.contains("lock = \"uv.lock\""), "{manifest}");
    assert!(
        manifest.contains("project_wheel = \"kitdemo-0.1.0-py3-none-any.whl\""),
        "{manifest}"
    );
    let requirements = test.read("kit/requirements.txt");
    assert!(
        requirements.contains("six==1.17.0") && requirements.contains("iniconfig==2.3.1"),
        "{requirements}"
    );
    let sums = test.read("kit/SHA256SUMS");
    assert!(
        sums.contains("wheels/uv-0.13.9-"),
        "uv is in the kit: {sums}"
    );
    assert!(
        sums.contains("wheels/hatchling-"),
        "the build backend is in the kit: {sums}"
    );

    // The archive, from the environment variable CI would set; uv comes from the kit.
    let built = offline(
        &test,
        &unshare,
        "sh",
        &["scripts/bootstrap.sh"],
        &[("PYBOOTSTRAP_OFFLINE", "kit.tar.gz")],
    );
    built.assert_code(0);
    assert!(built.stdout.contains("fetching uv 0.13.9"), "{built:?}");
    make_test_runs_offline(&test, &unshare);

    let removed = kit_without(
        &test.path().join("kit"),
        &test.path().join("short"),
        "six-",
        false,
    );
    let failed = offline(
        &test,
        &unshare,
        "sh",
        &["scripts/bootstrap.sh", "--recreate", "--offline", "short"],
        &[],
    );
    failed.assert_code(1);
    assert!(
        failed
            .stderr
            .contains("lacks six: it has no wheel of it for Python 3.12"),
        "{removed}: {failed:?}"
    );
    assert!(
        failed.stderr.contains("is as it was before this run"),
        "{failed:?}"
    );
}

#[test]
fn bundle_refuses_bad_arguments_and_loses_nothing() {
    let test = repo(
        &[("requirements.txt", "")],
        &["deps.source=requirements", "deps.files=requirements.txt"],
    );
    let cases: [(&[&str], &str); 6] = [
        (&["bundle"], "required"),
        (&["bundle", "kit", "--python", "3.x"], "`--python`"),
        (
            &["bundle", "kit", "--platform", "many linux"],
            "`--platform many linux` is not a platform tag",
        ),
        (
            &["bundle", "kit", "--index-url", "pypi.org/simple"],
            "is not an http, https or file URL",
        ),
        (
            &["bundle", "--archive", "kit.zip"],
            "does not end in `.tar.gz` or `.tgz`",
        ),
        (
            &["bundle", "requirements.txt"],
            "exists and is not a directory",
        ),
    ];
    for (args, message) in cases {
        let output = test.run(args);
        output.assert_code(2);
        assert!(output.stderr.contains(message), "{args:?}: {output:?}");
    }
    test.write("notes/todo.txt", "mine");
    let output = test.run(&["bundle", "notes"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("it is not an earlier kit"),
        "{output:?}"
    );
    assert_eq!(test.read("notes/todo.txt"), "mine");

    let elsewhere = Test::new();
    let output = elsewhere.run(&["bundle", "kit"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("no `pybootstrap.toml`")
            && output.stderr.contains("pybootstrap init"),
        "{output:?}"
    );
    assert!(!elsewhere.path().join("kit").exists());
}

/// `bootstrap.sh --offline` refuses what is not a whole kit before it touches anything.
#[test]
fn the_bootstrap_checks_the_kit_before_anything_moves() {
    let test = repo(
        &[("requirements.txt", "")],
        &["deps.source=requirements", "deps.files=requirements.txt"],
    );
    let run = |args: &[&str]| -> Output {
        let output = Command::new("sh")
            .arg("scripts/bootstrap.sh")
            .args(args)
            .current_dir(test.path())
            .env("PIP_NO_INDEX", "1")
            .output()
            .expect("run the bootstrap");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    };
    let output = run(&["--offline"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("`--offline` needs the kit"),
        "{output:?}"
    );
    let output = run(&["--offline", "nowhere"]);
    output.assert_code(1);
    assert!(
        output.stderr.contains("nowhere does not exist"),
        "{output:?}"
    );
    test.write("plain/readme.txt", "not a kit");
    let output = run(&["--offline=plain"]);
    output.assert_code(1);
    assert!(
        output.stderr.contains("is not an offline kit"),
        "{output:?}"
    );

    // A wheel changed after the kit was made.
    test.write("kit/pybootstrap-kit.toml", "format = 1\n");
    test.write("kit/wheels/a-1-py3-none-any.whl", "changed");
    test.write(
        "kit/SHA256SUMS",
        "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  wheels/a-1-py3-none-any.whl\n",
    );
    let output = run(&["--offline", "kit"]);
    output.assert_code(1);
    assert!(
        output
            .stderr
            .contains("is damaged: wheels/a-1-py3-none-any.whl does not match its SHA-256"),
        "{output:?}"
    );
    assert!(!test.path().join(".venv").exists(), "nothing was built");
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: downloads wheels from PyPI, builds venvs offline in a network namespace"
)]
fn a_poetry_lock_installs_from_a_kit_without_poetry() {
    let Some(unshare) = no_network() else {
        return;
    };
    if support::python(&format!("{PYENV_312}/python3.12")).is_none() {
        return;
    }
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/lock-tools/poetry");
    let files: Vec<(&str, String)> = [
        "pyproject.toml",
        "poetry.lock",
        "tests/test_versed.py",
        "versed/__init__.py",
    ]
    .into_iter()
    .map(|path| {
        (
            path,
            fs_err::read_to_string(fixture.join(path)).expect("read fixture"),
        )
    })
    .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (*path, text.as_str()))
        .collect();
    let test = repo(&borrowed, &["python.versions=3.12"]);
    assert!(
        test.read("pybootstrap.toml")
            .contains("source = \"poetry\"")
    );

    bundle(&test, &["kit"]);
    let requirements = test.read("kit/requirements.txt");
    assert!(
        requirements.contains("pytest=="),
        "the dev group is exported: {requirements}"
    );
    let sums = test.read("kit/SHA256SUMS");
    assert!(
        sums.contains("wheels/versed-0.1.0-py3-none-any.whl"),
        "{sums}"
    );
    assert!(sums.contains("wheels/poetry_core-"), "{sums}");

    let built = offline(
        &test,
        &unshare,
        "sh",
        &["scripts/bootstrap.sh", "--offline", "kit"],
        &[],
    );
    built.assert_code(0);
    assert!(!built.stdout.contains("fetching poetry"), "{built:?}");
    let tests = offline(&test, &unshare, "make", &["test"], &[]);
    tests.assert_code(0);
    assert!(tests.stdout.contains("2 passed"), "{tests:?}");
}

/// `make test` with no network: the env the kit built runs the project's one test.
fn make_test_runs_offline(test: &Test, unshare: &Path) {
    let tests = offline(test, unshare, "make", &["test"], &[]);
    tests.assert_code(0);
    assert!(
        tests.stderr.contains("Ran 1 test") && tests.stderr.contains("OK"),
        "{tests:?}"
    );
}

/// The script's `explain_missing`, run alone on pip's and uv's words for a missing
/// distribution (the outputs `src/bundle/missing.rs` reads in its unit test).
#[test]
fn the_scripts_missing_distribution_line_reads_pip_and_uv() {
    let test = repo(
        &[("requirements.txt", "")],
        &["deps.source=requirements", "deps.files=requirements.txt"],
    );
    let script = test.read("scripts/bootstrap.sh");
    let start = script
        .find("explain_missing() {")
        .expect("explain_missing in the script");
    let end = start + script[start..].find("\n}\n").expect("its end") + 3;
    let function = &script[start..end];
    let cases = [
        (
            "ERROR: Could not find a version that satisfies the requirement six==1.17.0 (from versions: none)\nERROR: No matching distribution found for six==1.17.0\n",
            "six==1.17.0",
        ),
        (
            "  × No solution found when resolving dependencies:\n  ╰─▶ Because six was not found in the provided package locations and you require six==1.17.0, we can conclude that your requirements are unsatisfiable.\n",
            "six",
        ),
        (
            "  ╰─▶ Because there are no versions of iniconfig==2.3.1 and you require iniconfig==2.3.1, we can conclude that your requirements are unsatisfiable.\n",
            "iniconfig==2.3.1",
        ),
    ];
    for (log, missing) in cases {
        test.write("step.log", log);
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "set -eu\nversion_of() {{ echo 3.12; }}\nENV_PYTHON=.venv/bin/python\nkit_dir=/kit\noffline_kit=/media/kit\nstep_log=step.log\n{function}explain_missing\n"
            ))
            .current_dir(test.path())
            .output()
            .expect("run sh");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!(
                "bootstrap: error: the offline kit /media/kit lacks {missing}: it has no wheel of it for Python 3.12 for this machine. Make the kit again with `pybootstrap bundle --python 3.12` (add `--platform` when this machine is not like the one that made it), or put the wheel into /media/kit/wheels and its line into SHA256SUMS."
            )
        );
    }
    test.write(
        "step.log",
        "ERROR: Could not install packages due to an OSError\n",
    );
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("set -eu\nkit_dir=/kit\noffline_kit=/kit\nstep_log=step.log\n{function}explain_missing\n"))
        .current_dir(test.path())
        .output()
        .expect("run sh");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "{output:?}"
    );
}

/// A kit made from another `uv.lock` would install other versions than the lock says: the
/// script stops before anything moves.
#[test]
fn a_kit_made_from_another_lock_is_refused() {
    use sha2::Digest;
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/offline-uv");
    let files: Vec<(&str, String)> = ["pyproject.toml", "uv.lock", "src/kitdemo/__init__.py"]
        .into_iter()
        .map(|path| {
            (
                path,
                fs_err::read_to_string(fixture.join(path)).expect("read fixture"),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (*path, text.as_str()))
        .collect();
    let test = repo(&borrowed, &["python.versions=3.12"]);
    let hex = |bytes: &[u8]| -> String {
        sha2::Sha256::digest(bytes)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    };
    let manifest = format!(
        "format = 1\n\n[deps]\nlock = \"uv.lock\"\nlock_sha256 = \"{}\"\n",
        hex(b"another lock")
    );
    test.write("kit/pybootstrap-kit.toml", &manifest);
    test.write(
        "kit/SHA256SUMS",
        format!("{}  pybootstrap-kit.toml\n", hex(manifest.as_bytes())),
    );
    let output = Command::new("sh")
        .args(["scripts/bootstrap.sh", "--offline", "kit"])
        .current_dir(test.path())
        .env("PIP_NO_INDEX", "1")
        .output()
        .expect("run the bootstrap");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("was made from another uv.lock than this checkout's"),
        "{stderr}"
    );
    assert!(!test.path().join(".venv").exists(), "nothing was built");
}
