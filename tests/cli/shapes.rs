//! Project shapes from the wild, written as small fixtures: `init --yes`, then the
//! generated bootstrap run for real from Debian's externally managed `/usr/bin/python3`
//! (and from another interpreter), then the tests collected inside the environment.

use std::path::Path;
use std::process::Command;

use crate::support::{self, Output, Test, pyenv_python, python};

const DEBIAN: &str = "/usr/bin/python3";

/// `init --yes` in the fixture, which must succeed.
pub(crate) fn init(test: &Test) -> Output {
    let output = test.run(&["init", "--yes"]);
    output.assert_code(0);
    output
}

/// Runs the generated bootstrap with only the system directories on `PATH`, plus the
/// directories of `extra` interpreters (in order, so the first is found first).
pub(crate) fn bootstrap(test: &Test, extra: &[&Path]) -> Output {
    bootstrap_with(test, extra, &[])
}

/// `bootstrap`, with `variables` set on top (a tools cache, an index).
pub(crate) fn bootstrap_with(test: &Test, extra: &[&Path], variables: &[(&str, &Path)]) -> Output {
    let mut path: Vec<String> = extra
        .iter()
        .map(|python| python.parent().expect("bin dir").display().to_string())
        .collect();
    path.extend(["/usr/bin".to_string(), "/bin".to_string()]);
    let output = Command::new("sh")
        .arg("scripts/bootstrap.sh")
        .current_dir(test.path())
        .env("PATH", path.join(":"))
        .env("HOME", test.path())
        .env("XDG_CACHE_HOME", test.path().join(".test-cache"))
        .env_remove("PYTHON")
        .env_remove("VIRTUAL_ENV")
        .env_remove("PIP_BREAK_SYSTEM_PACKAGES")
        .env_remove("PIP_CONFIG_FILE")
        .envs(variables.iter().copied())
        .output()
        .expect("run bootstrap");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `major.minor` of the environment's interpreter.
pub(crate) fn env_version(test: &Test) -> String {
    let output = Command::new(test.path().join(".venv/bin/python"))
        .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
        .output()
        .expect("run env python");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

pub(crate) fn answers(test: &Test) -> toml::Table {
    toml::from_str(&test.read("pybootstrap.toml")).expect("answers are TOML")
}

fn python_answer(test: &Test, key: &str) -> toml::Value {
    answers(test)["python"][key].clone()
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn requires_python_range_accepts_the_machines_python() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "setup.py",
        "from setuptools import setup\nsetup(name='rangedemo', python_requires='>=3.10')\n",
    );
    init(&test);
    assert_eq!(python_answer(&test, "requires").as_str(), Some(">=3.10"));
    assert_eq!(
        python_answer(&test, "versions"),
        toml::Value::Array(
            ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"]
                .into_iter()
                .map(|version| toml::Value::String(version.into()))
                .collect()
        ),
        "the CI matrix is the range's floor and the maintained minors inside it"
    );
    bootstrap(&test, &[]).assert_code(0);
    assert_eq!(env_version(&test), "3.11");
    if let Some(other) = pyenv_python("3.13") {
        // A fresh clone on a machine whose newest python3.N is 3.13.
        fs_err::remove_dir_all(test.path().join(".venv")).expect("remove env");
        let run = bootstrap(&test, &[&other]);
        run.assert_code(0);
        assert_eq!(env_version(&test), "3.13", "{}", run.stdout);
    }
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_range_above_the_machines_python_picks_python3_n_or_names_the_range() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[tool.poetry]\nname = \"newonly\"\n[tool.poetry.dependencies]\npython = \">=3.12\"\n",
    );
    init(&test);
    assert_eq!(python_answer(&test, "requires").as_str(), Some(">=3.12"));
    let refused = bootstrap(&test, &[]);
    refused.assert_code(1);
    assert!(
        refused.stderr.contains("no Python inside >=3.12 found")
            && refused.stderr.contains("python3 (3.11)"),
        "{}",
        refused.stderr
    );
    assert!(
        !test.path().join(".venv").exists(),
        "nothing is left behind"
    );
    let Some(newer) = pyenv_python("3.12") else {
        return;
    };
    bootstrap(&test, &[&newer]).assert_code(0);
    assert_eq!(env_version(&test), "3.12");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn poetry_caret_becomes_a_range_and_python_version_is_only_a_preference() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[tool.poetry]\nname = \"poems\"\nversion = \"0.1.0\"\n\n[tool.poetry.dependencies]\npython = \"^3.9\"\n",
    );
    test.write(".python-version", "3.13.0\n");
    init(&test);
    assert_eq!(python_answer(&test, "requires").as_str(), Some(">=3.9,<4"));
    // The pinned 3.13 is not on this PATH: the machine's 3.11 is inside the range.
    bootstrap(&test, &[]).assert_code(0);
    assert_eq!(env_version(&test), "3.11");
    let Some(pinned) = pyenv_python("3.13") else {
        return;
    };
    let Some(other) = pyenv_python("3.12") else {
        return;
    };
    // Found first on PATH is 3.12, but the pin is preferred.
    fs_err::remove_dir_all(test.path().join(".venv")).expect("remove env");
    let run = bootstrap(&test, &[&other, &pinned]);
    run.assert_code(0);
    assert_eq!(env_version(&test), "3.13", "{}", run.stdout);
}

#[test]
fn an_answers_file_from_before_ranges_keeps_loading() {
    let test = Test::new();
    test.write(
        "pybootstrap.toml",
        "schema = 1\n[python]\nversions = [\"3.12\", \"3.13\"]\n[ci]\nproviders = []\n",
    );
    let output = test.run(&["regen"]);
    output.assert_code(0);
    let script = test.read("scripts/bootstrap.sh");
    assert!(script.contains("REQUIRES='>=3.12'"), "{script}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn dependency_groups_install_with_pip_group_after_upgrading_pip_in_the_env() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"grouped\"\nversion = \"0.1\"\nrequires-python = \">=3.9\"\n\n[tool.setuptools]\npy-modules = [\"grouped\"]\n\n[dependency-groups]\ndev = [\"pytest\"]\ndocs = [\"sphinx\"]\n",
    );
    test.write("grouped.py", "def double(number):\n    return 2 * number\n");
    test.write(
        "tests/test_grouped.py",
        "import grouped\n\n\ndef test_double():\n    assert grouped.double(2) == 4\n\n\ndef test_zero():\n    assert grouped.double(0) == 0\n",
    );
    init(&test);
    let saved = answers(&test);
    assert_eq!(
        saved["deps"]["groups"],
        toml::Value::Array(vec![toml::Value::String("dev".into())])
    );
    assert_eq!(saved["deps"]["extras"], toml::Value::Array(Vec::new()));
    let run = bootstrap(&test, &[]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("Upgrading pip inside .venv"),
        "Debian 12's venv pip is older than 25.1: {}",
        run.stdout
    );
    let collected = Command::new(test.path().join(".venv/bin/python"))
        .args(["-m", "pytest", "--collect-only", "-q"])
        .current_dir(test.path())
        .output()
        .expect("run pytest");
    let stdout = String::from_utf8_lossy(&collected.stdout);
    assert!(stdout.contains("2 tests collected"), "{stdout}");
}

#[test]
fn no_distro_python_in_the_range_means_no_pep668_job_and_init_says_so() {
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[project]\nname = \"newest\"\nversion = \"1\"\nrequires-python = \">=3.14\"\n",
    );
    let output = init(&test);
    assert!(
        output.stderr.contains("no PEP 668 CI job") || output.stdout.contains("no PEP 668 CI job"),
        "{output:?}"
    );
    let workflow = test.read(".github/workflows/pybootstrap.yml");
    assert!(!workflow.contains("pep668:"), "{workflow}");
    assert!(
        workflow.contains("# No PEP 668 job: no distro image") && workflow.contains("(>=3.14)"),
        "{workflow}"
    );

    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[project]\nname = \"newer\"\nversion = \"1\"\nrequires-python = \">=3.12\"\n",
    );
    init(&test);
    let workflow = test.read(".github/workflows/pybootstrap.yml");
    assert!(
        workflow.contains("container: \"ubuntu:24.04\"")
            || workflow.contains("container: ubuntu:24.04"),
        "{workflow}"
    );
}

/// The fixture project `name` (under `tests/cli/fixtures/lock-tools/`), copied into `test`.
fn lock_tool_fixture(test: &Test, name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/lock-tools");
    let mut pending = vec![root.join(name)];
    while let Some(dir) = pending.pop() {
        for entry in fs_err::read_dir(&dir).expect("list fixture") {
            let path = entry.expect("fixture entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path
                    .strip_prefix(root.join(name))
                    .expect("inside the fixture");
                test.write(
                    relative.to_str().expect("utf-8 fixture path"),
                    fs_err::read(&path).expect("read fixture file"),
                );
            }
        }
    }
}

/// Where the tests let the bootstrap keep the Poetry and PDM it fetches, so that each is
/// fetched once per build directory, not once per test (a fresh directory fetches for real).
pub(crate) fn tools_cache() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("lock-tools-cache")
}

/// This machine's CA bundle for the tools (Poetry and PDM read certifi's, not pip's).
fn ca_bundle() -> Vec<(&'static str, &'static Path)> {
    let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
    if bundle.is_file() {
        vec![("REQUESTS_CA_BUNDLE", bundle), ("SSL_CERT_FILE", bundle)]
    } else {
        Vec::new()
    }
}

/// The number pytest reports collecting inside the environment, from its summary line.
fn collected(test: &Test) -> String {
    let output = Command::new(test.path().join(".venv/bin/python"))
        .args(["-m", "pytest", "--collect-only", "-q", "tests"])
        .current_dir(test.path())
        .output()
        .expect("run pytest");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// init, then the bootstrap from Debian's Python and from a pyenv 3.12, each time with the
/// fixture's tests collected inside the environment; the lock and the repo stay as they were.
fn lock_tool_project_bootstraps(name: &str, tool: &str, lock: &str, groups: &[&str], tests: usize) {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    lock_tool_fixture(&test, name);
    let lock_before = test.read(lock);
    init(&test);
    let saved = answers(&test);
    assert_eq!(saved["deps"]["source"].as_str(), Some(tool), "{saved:#?}");
    assert_eq!(
        saved["deps"]["groups"],
        toml::Value::Array(
            groups
                .iter()
                .map(|group| toml::Value::String((*group).into()))
                .collect()
        )
    );
    assert_eq!(saved["tasks"]["test"].as_str(), Some("pytest"));
    let cache = tools_cache();
    let mut variables: Vec<(&str, &Path)> = vec![("XDG_CACHE_HOME", &cache)];
    variables.extend(ca_bundle());
    let run = bootstrap_with(&test, &[], &variables);
    run.assert_code(0);
    assert!(run.stdout.contains("\nDone."), "{}", run.stdout);
    let fetched = fs_err::read_dir(cache.join("pybootstrap/tools"))
        .expect("the tools cache exists")
        .filter_map(Result::ok)
        .any(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with(&format!("{tool}-"))
        });
    assert!(fetched, "{tool} was fetched into the tools cache");
    assert_eq!(env_version(&test), "3.11");
    let summary = format!("{tests} tests collected");
    assert!(collected(&test).contains(&summary));
    assert_eq!(test.read(lock), lock_before, "{lock} is never rewritten");
    for stray in [".pdm-python", "poetry.toml", ".venv/.venv"] {
        assert!(!test.path().join(stray).exists(), "{stray} was written");
    }
    let again = bootstrap_with(&test, &[], &variables);
    again.assert_code(0);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
    let Some(other) = pyenv_python("3.12") else {
        return;
    };
    fs_err::remove_dir_all(test.path().join(".venv")).expect("remove env");
    let run = bootstrap_with(&test, &[&other], &variables);
    run.assert_code(0);
    assert_eq!(env_version(&test), "3.12", "{}", run.stdout);
    assert!(collected(&test).contains(&summary));
    assert_eq!(test.read(lock), lock_before, "{lock} is never rewritten");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn poetry_project_installs_its_lock_and_dev_group_with_a_fetched_poetry() {
    lock_tool_project_bootstraps("poetry", "poetry", "poetry.lock", &["dev"], 2);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn pdm_project_installs_its_lock_and_dev_dependencies_with_a_fetched_pdm() {
    lock_tool_project_bootstraps("pdm", "pdm", "pdm.lock", &["test"], 3);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_tool_that_cannot_be_fetched_falls_back_with_a_warning_not_done() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[tool.poetry]\nname = \"unpackaged\"\nversion = \"0.1.0\"\npackage-mode = false\n\n[tool.poetry.dependencies]\npython = \"^3.9\"\n\n[tool.poetry.group.dev.dependencies]\npytest = \"^8.0\"\n",
    );
    init(&test);
    assert_eq!(answers(&test)["deps"]["source"].as_str(), Some("poetry"));
    // Nothing listens on port 9: the index is unreachable, at once.
    let closed = Path::new("http://127.0.0.1:9/simple");
    let retries = Path::new("0");
    let variables = [
        ("PIP_INDEX_URL", closed),
        ("PIP_RETRIES", retries),
        ("PIP_FIND_LINKS", Path::new("")),
    ];
    let run = bootstrap_with(&test, &[], &variables);
    run.assert_code(0);
    assert!(
        run.stderr.contains("fetching poetry 2.5.1 from the package index failed")
            && run.stderr.contains(
                "bootstrap: warning: .venv is incomplete: it lacks the versions poetry.lock locks and the groups dev, which only poetry installs"
            ),
        "{}",
        run.stderr
    );
    assert!(!run.stdout.contains("Done"), "{}", run.stdout);
    assert!(run.stdout.contains("Incomplete (see the warning above)"));
    assert!(
        test.path().join(".venv/bin/python").exists(),
        "the env is built"
    );
    assert!(
        !test.path().join(".venv/.pybootstrap-stamp").exists(),
        "no stamp: the next run tries again"
    );
    let again = bootstrap_with(&test, &[], &variables);
    assert!(!again.stdout.contains("up to date"), "{}", again.stdout);
    assert!(again.stderr.contains("is incomplete"), "{}", again.stderr);
}

/// Runs `tasks.test` from the answers inside the environment, which must pass, and returns
/// what it printed.
fn run_test_task(test: &Test) -> String {
    let task = answers(test)["tasks"]["test"]
        .as_str()
        .expect("tasks.test")
        .to_string();
    let output = Command::new("sh")
        .args(["-c", &format!(". .venv/bin/activate && {task}")])
        .current_dir(test.path())
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", test.path())
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYTHONPATH")
        .output()
        .expect("run the test task");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "`{task}` failed:\n{printed}");
    printed
}

/// The bootstrap from Debian's `/usr/bin/python3`, then again from scratch with a pyenv
/// 3.12 found first on `PATH`; after each, the test task passes with `expected` in its
/// output.
fn bootstrap_from_both_and_test(test: &Test, expected: &str) {
    let run = bootstrap(test, &[]);
    run.assert_code(0);
    assert_eq!(env_version(test), "3.11", "{}", run.stdout);
    let printed = run_test_task(test);
    assert!(printed.contains(expected), "{printed}");
    let Some(other) = pyenv_python("3.12") else {
        return;
    };
    fs_err::remove_dir_all(test.path().join(".venv")).expect("remove env");
    let run = bootstrap(test, &[&other]);
    run.assert_code(0);
    assert_eq!(env_version(test), "3.12", "{}", run.stdout);
    let printed = run_test_task(test);
    assert!(printed.contains(expected), "{printed}");
}

fn deps_answer(test: &Test, key: &str) -> toml::Value {
    answers(test)["deps"][key].clone()
}

fn strings(items: &[&str]) -> toml::Value {
    toml::Value::Array(
        items
            .iter()
            .map(|item| toml::Value::String((*item).into()))
            .collect(),
    )
}

const CALC: &str = "def double(number):\n    return 2 * number\n";
const PYTEST_TESTS: &str = "import calc\n\n\ndef test_double():\n    assert calc.double(2) == 4\n\n\ndef test_zero():\n    assert calc.double(0) == 0\n";
const UNITTEST_TESTS: &str = "import unittest\n\nimport calc\n\n\nclass TestCalc(unittest.TestCase):\n    def test_double(self):\n        self.assertEqual(calc.double(2), 4)\n";

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn setup_cfg_with_a_testing_extra_installs_the_project_with_it() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n",
    );
    test.write(
        "setup.cfg",
        "[metadata]\nname = calc\nversion = 0.1\n\n[options]\npy_modules = calc\npython_requires = >=3.9\n\n[options.extras_require]\ntesting =\n    pytest\ndocs =\n    sphinx\n",
    );
    test.write("calc.py", CALC);
    test.write("tests/test_calc.py", PYTEST_TESTS);
    init(&test);
    assert_eq!(deps_answer(&test, "source").as_str(), Some("setuptools"));
    assert_eq!(deps_answer(&test, "extras"), strings(&["testing"]));
    bootstrap_from_both_and_test(&test, "2 passed");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn setup_py_alone_installs_the_project_and_tests_with_unittest() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "setup.py",
        "from setuptools import setup\n\nsetup(name='calc', version='0.1', py_modules=['calc'])\n",
    );
    test.write("calc.py", CALC);
    test.write("tests/__init__.py", "");
    test.write("tests/test_calc.py", UNITTEST_TESTS);
    init(&test);
    assert_eq!(deps_answer(&test, "source").as_str(), Some("setuptools"));
    bootstrap_from_both_and_test(&test, "Ran 1 test");
    // The project is installed, not only importable from the checkout.
    let output = Command::new(test.path().join(".venv/bin/python"))
        .args(["-m", "pip", "show", "calc"])
        .current_dir("/")
        .output()
        .expect("pip show");
    assert!(output.status.success(), "{output:?}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_requirements_dir_with_nested_files_reinstalls_when_a_nested_file_changes() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    let wheels = test.path().join("wheels");
    let wheel = |name: &str, version: &str| {
        let built = support::build_wheel(&wheels, name, version);
        Path::new(&built)
            .file_name()
            .expect("a wheel file")
            .to_string_lossy()
            .into_owned()
    };
    let first = wheel("alpha", "1.0");
    let second = wheel("alpha", "2.0");
    wheel("beta", "1.0");
    test.write("requirements/base.txt", format!("./wheels/{first}\n"));
    test.write(
        "requirements/test.txt",
        "-r base.txt\n-c ../constraints.txt\n./wheels/beta-1.0-py3-none-any.whl\n",
    );
    test.write("constraints.txt", "beta==1.0\n");
    test.write("requirements/docs.txt", "sphinx\n");
    test.write("calc.py", CALC);
    test.write(
        "tests/test_calc.py",
        "import unittest\n\nimport alpha\nimport beta\n\n\nclass TestVersions(unittest.TestCase):\n    def test_versions(self):\n        print('alpha', alpha.VALUE)\n        self.assertEqual(beta.VALUE, '1.0')\n",
    );
    test.write("tests/__init__.py", "");
    let output = init(&test);
    assert_eq!(deps_answer(&test, "source").as_str(), Some("requirements"));
    assert_eq!(
        deps_answer(&test, "files"),
        strings(&["requirements/test.txt"]),
        "docs.txt is left out; base.txt comes in through test.txt: {output:?}"
    );
    let script = test.read("scripts/bootstrap.sh");
    assert!(
        script.contains("set -- scripts/bootstrap.sh 'requirements/test.txt' 'requirements/base.txt' 'constraints.txt'"),
        "the nested files are stamp inputs: {script}"
    );
    bootstrap_from_both_and_test(&test, "Ran 1 test");
    bootstrap(&test, &[])
        .assert_code(0)
        .stdout
        .contains("up to date")
        .then_some(())
        .expect("an unchanged repo is up to date");
    // Only the nested file changes: the next run reinstalls.
    test.write("requirements/base.txt", format!("./wheels/{second}\n"));
    let run = bootstrap(&test, &[]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("Installing dependencies"),
        "{}",
        run.stdout
    );
    let printed = run_test_task(&test);
    assert!(printed.contains("alpha 2.0"), "{printed}");
    // A nested file that does not exist stops regen with the line naming it.
    test.write("requirements/test.txt", "-r base.txt\n-r gone.txt\n");
    let output = test.run(&["regen"]);
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains("`requirements/test.txt` line 2 pulls in `requirements/gone.txt`"),
        "{}",
        output.stderr
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn tox_deps_are_the_test_dependencies_when_nothing_else_declares_them() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "setup.py",
        "from setuptools import setup\n\nsetup(name='calc', version='0.1', py_modules=['calc'])\n",
    );
    test.write(
        "tox.ini",
        "[tox]\nenvlist = py{39,311,312},flake8\n\n[testenv]\ndeps= pytest\n    py27: mock\ncommands= python -m pytest {posargs}\n\n[testenv:flake8]\ndeps = flake8\ncommands = flake8 calc.py\n",
    );
    test.write("calc.py", CALC);
    test.write("test_calc.py", PYTEST_TESTS);
    init(&test);
    assert_eq!(deps_answer(&test, "source").as_str(), Some("tox"));
    assert_eq!(deps_answer(&test, "editable").as_bool(), Some(true));
    let script = test.read("scripts/bootstrap.sh");
    assert!(
        script.contains("-m pip install --editable '.' 'pytest' 'mock; python_version == \"2.7\"'"),
        "{script}"
    );
    bootstrap_from_both_and_test(&test, "2 passed");
    // A later edit of tox.ini: regen --check says the script is behind.
    test.write(
        "tox.ini",
        "[testenv]\ndeps = pytest\n    iniconfig\ncommands = pytest\n",
    );
    let output = test.run(&["regen", "--check"]);
    assert_ne!(output.code, 0, "{output:?}");
    assert!(
        output.stdout.contains("scripts/bootstrap.sh")
            || output.stderr.contains("scripts/bootstrap.sh"),
        "{output:?}"
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_hatch_test_env_installs_its_dependencies_and_features_with_the_project() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"calc\"\nversion = \"0.1\"\nrequires-python = \">=3.9\"\n\n[project.optional-dependencies]\ncli = [\"iniconfig\"]\n\n[tool.setuptools]\npy-modules = [\"calc\"]\n\n[tool.hatch.envs.default]\ndependencies = [\"pytest\"]\n\n[tool.hatch.envs.test]\nfeatures = [\"cli\"]\nextra-dependencies = [\"pluggy\"]\n\n[tool.hatch.envs.docs]\ndependencies = [\"mkdocs\"]\n",
    );
    test.write("calc.py", CALC);
    test.write(
        "tests/test_calc.py",
        "import calc\nimport iniconfig\n\n\ndef test_double():\n    assert calc.double(2) == 4\n",
    );
    init(&test);
    assert_eq!(deps_answer(&test, "source").as_str(), Some("hatch"));
    assert_eq!(deps_answer(&test, "extras"), strings(&["cli"]));
    let script = test.read("scripts/bootstrap.sh");
    assert!(
        script.contains("-m pip install --editable '.[cli]' 'pytest' 'pluggy'"),
        "{script}"
    );
    bootstrap_from_both_and_test(&test, "1 passed");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_package_beside_requirement_files_gets_both() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"calc\"\nversion = \"0.1\"\n\n[tool.setuptools]\npy-modules = [\"calc\"]\n",
    );
    test.write("requirements-dev.txt", "pytest\n");
    test.write("requirements-mypy.txt", "mypy\n");
    test.write("calc.py", CALC);
    test.write("tests/test_calc.py", PYTEST_TESTS);
    init(&test);
    assert_eq!(deps_answer(&test, "source").as_str(), Some("requirements"));
    assert_eq!(
        deps_answer(&test, "files"),
        strings(&["requirements-dev.txt"])
    );
    assert_eq!(deps_answer(&test, "editable").as_bool(), Some(true));
    bootstrap_from_both_and_test(&test, "2 passed");
    // Imported from the environment, not from the checkout.
    let output = Command::new(test.path().join(".venv/bin/python"))
        .args(["-c", "import calc, sys; print(calc.__file__)"])
        .current_dir("/")
        .output()
        .expect("import calc");
    assert!(output.status.success(), "{output:?}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_uv_lock_project_without_uv_on_path_fetches_uv() {
    let Some(_) = python(DEBIAN) else { return };
    let Some(uv) = support::tool("uv") else {
        return;
    };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"calc\"\nversion = \"0.1\"\nrequires-python = \">=3.9\"\ndependencies = []\n\n[tool.setuptools]\npy-modules = [\"calc\"]\n",
    );
    test.write("calc.py", CALC);
    test.write("tests/__init__.py", "");
    test.write("tests/test_calc.py", UNITTEST_TESTS);
    let locked = Command::new(&uv)
        .args(["lock", "--offline", "--quiet"])
        .current_dir(test.path())
        .env("UV_CACHE_DIR", test.path().join(".uv-cache"))
        .output()
        .expect("uv lock");
    assert!(locked.status.success(), "{locked:?}");
    fs_err::remove_dir_all(test.path().join(".uv-cache")).expect("remove uv cache");
    init(&test);
    assert_eq!(deps_answer(&test, "source").as_str(), Some("uv-lock"));
    let run = bootstrap(&test, &[]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("uv is not on PATH: fetching uv"),
        "{}",
        run.stdout
    );
    assert!(run_test_task(&test).contains("Ran 1 test"));
    let Some(other) = pyenv_python("3.12") else {
        return;
    };
    fs_err::remove_dir_all(test.path().join(".venv")).expect("remove env");
    let run = bootstrap(&test, &[&other]);
    run.assert_code(0);
    assert_eq!(env_version(&test), "3.12", "{}", run.stdout);
    assert!(run_test_task(&test).contains("Ran 1 test"));
}

/// The application fixture `name` (under `tests/cli/fixtures/apps/`), copied into `test`.
pub(crate) fn app_fixture(test: &Test, name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures/apps");
    let mut pending = vec![root.join(name)];
    while let Some(dir) = pending.pop() {
        for entry in fs_err::read_dir(&dir).expect("list fixture") {
            let path = entry.expect("fixture entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(&root).expect("inside the fixtures");
                let relative = relative.strip_prefix(name).expect("inside the fixture");
                test.write(
                    relative.to_str().expect("utf-8 fixture path"),
                    fs_err::read(&path).expect("read fixture file"),
                );
            }
        }
    }
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_pipenv_app_installs_its_lock_with_the_dev_packages_and_no_pipenv() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    app_fixture(&test, "pipenv");
    let lock_before = test.read("Pipfile.lock");
    init(&test);
    let saved = answers(&test);
    assert_eq!(
        saved["deps"]["source"].as_str(),
        Some("pipenv"),
        "{saved:#?}"
    );
    assert_eq!(saved["deps"]["groups"], strings(&["develop"]));
    assert_eq!(saved["python"]["requires"].as_str(), Some(">=3.11"));
    let run = bootstrap(&test, &[]);
    run.assert_code(0);
    assert!(run.stdout.contains("\nDone."), "{}", run.stdout);
    // pytest came from the lock's develop packages, at the version it pins.
    let pinned = Command::new(test.path().join(".venv/bin/python"))
        .args(["-c", "import pytest; print(pytest.__version__)"])
        .output()
        .expect("run env python");
    assert_eq!(String::from_utf8_lossy(&pinned.stdout).trim(), "9.2.0");
    let printed = run_test_task(&test);
    assert!(printed.contains("1 passed"), "{printed}");
    assert_eq!(
        test.read("Pipfile.lock"),
        lock_before,
        "the lock is never rewritten"
    );
    assert!(
        !test.path().join(".test-cache/pybootstrap/tools").exists(),
        "no tool was fetched"
    );
    let again = bootstrap(&test, &[]);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
    // A changed lock is a stamp input: the next run installs again.
    test.write(
        "Pipfile.lock",
        lock_before.replace("\"pipfile-spec\": 6", "\"pipfile-spec\":  6"),
    );
    let after_lock = bootstrap(&test, &[]);
    after_lock.assert_code(0);
    assert!(
        after_lock.stdout.contains("Installing dependencies"),
        "{}",
        after_lock.stdout
    );
    // Without its lock, the Pipfile's ranges install unlocked, and init says nothing new.
    fs_err::remove_file(test.path().join("Pipfile.lock")).expect("remove lock");
    test.run(&["regen", "--check"]).assert_code(0);
    let unlocked = bootstrap(&test, &[]);
    unlocked.assert_code(0);
    assert!(
        unlocked.stdout.contains("No Pipfile.lock"),
        "{}",
        unlocked.stdout
    );
    assert!(run_test_task(&test).contains("1 passed"));
}

#[test]
fn no_python_inside_the_range_names_every_python3_n_on_path() {
    let Some(_) = python(DEBIAN) else { return };
    let (Some(twelve), Some(thirteen)) = (pyenv_python("3.12"), pyenv_python("3.13")) else {
        return;
    };
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[project]\nname = \"newest\"\nversion = \"1\"\nrequires-python = \">=3.14\"\n",
    );
    init(&test);
    let refused = bootstrap(&test, &[&twelve, &thirteen]);
    refused.assert_code(1);
    for found in [
        "python3.11 (3.11)",
        "python3.12 (3.12)",
        "python3.13 (3.13)",
    ] {
        assert!(
            refused.stderr.contains(found),
            "{found}: {}",
            refused.stderr
        );
    }
    assert!(!test.path().join(".venv").exists());
}
