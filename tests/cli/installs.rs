//! What an application's bootstrap installs, and on which Python: the project itself only
//! when it builds as a package, the requirement files its own CI installs, the installer a
//! file's header asks for, the Python the project states, and the makefile make reads.

use std::path::Path;
use std::process::Command;

use crate::shapes::{answers, bootstrap, bootstrap_with, env_version, init, tools_cache};
use crate::support::{self, Output, Test, pyenv_python, python};

const DEBIAN: &str = "/usr/bin/python3";

const CALC: &str = "def double(number):\n    return 2 * number\n";
const UNITTEST_TESTS: &str = "import unittest\n\nimport calc\n\n\nclass TestCalc(unittest.TestCase):\n    def test_double(self):\n        self.assertEqual(calc.double(2), 4)\n";

/// `make ARGS` with only the system's directories on `PATH` (plus `variables`), the
/// bootstrap's tools cached inside the test's directory.
fn make(test: &Test, args: &[&str], variables: &[(&str, &Path)]) -> Output {
    let cache = test.path().join(".test-cache");
    let mut variables = variables.to_vec();
    variables.push(("XDG_CACHE_HOME", &cache));
    crate::existing::make_in(test.path(), args, &variables)
}

fn value<'a>(table: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let (section, name) = key.split_once('.').expect("a dotted key");
    table.get(section)?.get(name)
}

/// nyu-devops/lab-flask-jwt's shape: a flat Flask service whose `setup.cfg` holds only
/// nose and flake8 settings, its dependencies in `requirements.txt`.
fn tool_settings_app(test: &Test) {
    test.write(
        "setup.cfg",
        "[nosetests]\nverbosity=2\nwith-spec=1\ncover-package=service\n\n[flake8]\nmax-line-length = 127\n",
    );
    test.write("requirements.txt", "pytest\n");
    test.write("calc.py", CALC);
    test.write(
        "test_calc.py",
        "import calc\n\n\ndef test_double():\n    assert calc.double(2) == 4\n",
    );
}

#[test]
fn a_setup_cfg_of_tool_settings_is_not_installed_as_a_package() {
    let test = Test::new();
    tool_settings_app(&test);
    init(&test);
    let saved = answers(&test);
    assert_eq!(
        value(&saved, "deps.source").and_then(toml::Value::as_str),
        Some("requirements")
    );
    assert_ne!(
        value(&saved, "deps.editable").and_then(toml::Value::as_bool),
        Some(true),
        "{saved}"
    );
    let script = test.read("scripts/bootstrap.sh");
    assert!(!script.contains("--editable"), "{script}");
    assert!(
        script.contains("--requirement 'requirements.txt'"),
        "{script}"
    );
    // The same files plus a package: installed beside its requirements, as before.
    let test = Test::new();
    tool_settings_app(&test);
    test.write(
        "setup.py",
        "from setuptools import setup\n\nsetup(name='calc', version='0.1', py_modules=['calc'])\n",
    );
    init(&test);
    let script = test.read("scripts/bootstrap.sh");
    assert!(script.contains("--editable '.'"), "{script}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and installs pytest from the package index"
)]
#[test]
fn a_tool_settings_app_bootstraps_and_its_tests_run() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    tool_settings_app(&test);
    init(&test);
    let run = make(&test, &["test"], &[]);
    run.assert_code(0);
    assert!(run.stdout.contains("1 passed"), "{}", run.stdout);
}

/// A Flask app keeping one requirement file per database driver; the MySQL one names a
/// package that does not exist, so installing every file at once fails.
fn driver_files_app(test: &Test) {
    let wheels = test.path().join("wheels");
    let alpha = support::build_wheel(&wheels, "alpha", "1.0");
    let beta = support::build_wheel(&wheels, "beta", "1.0");
    let file_name = |built: &str| {
        Path::new(built)
            .file_name()
            .expect("a wheel file")
            .to_string_lossy()
            .into_owned()
    };
    test.write(
        "requirements/base.txt",
        format!("./wheels/{}\n", file_name(&alpha)),
    );
    test.write(
        "requirements/postgres.txt",
        format!("-r base.txt\n./wheels/{}\n", file_name(&beta)),
    );
    test.write(
        "requirements/mysql.txt",
        "-r base.txt\npybootstrap-no-such-mysql-driver==0.0.1\n",
    );
    test.write(
        ".github/workflows/tests.yml",
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - run: |\n          python -m pip install \\\n            -r requirements/postgres.txt\n      - run: python -m unittest\n",
    );
    test.write("calc.py", CALC);
    test.write("tests/__init__.py", "");
    test.write(
        "tests/test_drivers.py",
        "import unittest\n\nimport alpha\nimport beta\n\n\nclass TestDrivers(unittest.TestCase):\n    def test_both(self):\n        self.assertEqual((alpha.VALUE, beta.VALUE), ('1.0', '1.0'))\n",
    );
}

#[test]
fn the_database_driver_file_is_the_one_ci_installs() {
    let test = Test::new();
    driver_files_app(&test);
    let output = init(&test);
    assert!(
        output.stderr.contains(
            "deps.files = requirements/postgres.txt   (from the requirement files .github/workflows/tests.yml installs)"
        ),
        "{}",
        output.stderr
    );
    let script = test.read("scripts/bootstrap.sh");
    assert!(!script.contains("requirements/mysql.txt"), "{script}");
}

/// pypa/bandersnatch's shape: the CI installs the base requirements, then runs the tests
/// through tox, whose test environment adds a plugin's requirements.
#[test]
fn the_files_tox_installs_join_when_the_ci_runs_tox() {
    let test = Test::new();
    test.write("requirements.txt", "attrs\n");
    test.write("requirements_test.txt", "pytest\n");
    test.write("requirements_s3.txt", "s3path\n");
    test.write("tests/test_x.py", "def test_x():\n    pass\n");
    test.write(
        "tox.ini",
        "[testenv]\ndeps =\n    -r requirements.txt\n    -r requirements_s3.txt\n    -r requirements_test.txt\ncommands = pytest\n",
    );
    test.write(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: python -m pip install -r requirements.txt\n      - env:\n          TOXENV: py3\n        run: python test_runner.py\n",
    );
    let output = init(&test);
    let saved = answers(&test);
    let files: Vec<&str> = value(&saved, "deps.files")
        .and_then(toml::Value::as_array)
        .map(|files| files.iter().filter_map(toml::Value::as_str).collect())
        .unwrap_or_default();
    assert!(files.contains(&"requirements_s3.txt"), "{}", output.stderr);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn the_database_driver_file_ci_installs_bootstraps() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    driver_files_app(&test);
    init(&test);
    bootstrap(&test, &[]).assert_code(0);
    let run = make(&test, &["test"], &[]);
    run.assert_code(0);
    assert!(run.stderr.contains("Ran 1 test"), "{}", run.stderr);
}

/// A requirement file `uv pip compile --generate-hashes` wrote, with a path pin pip refuses
/// under hashes (as it refuses a git pin): a local wheel, hashed, and a local project.
fn uv_compiled_app(test: &Test) {
    let wheels = test.path().join("wheels");
    let built = support::build_wheel(&wheels, "alpha", "1.0");
    let wheel = Path::new(&built).file_name().expect("a wheel file");
    let bytes = fs_err::read(wheels.join(wheel)).expect("read the wheel");
    let digest = Command::new("sha256sum")
        .arg(wheels.join(wheel))
        .output()
        .expect("sha256sum");
    assert!(digest.status.success() && !bytes.is_empty());
    let digest = String::from_utf8_lossy(&digest.stdout)
        .split_whitespace()
        .next()
        .expect("a digest")
        .to_string();
    test.write(
        "requirements.txt",
        format!(
            "# This file was autogenerated by uv via the following command:\n#    uv pip compile --generate-hashes requirements.in -o requirements.txt\n./wheels/{} \\\n    --hash=sha256:{digest}\n./vendor/beta\n",
            wheel.to_string_lossy()
        ),
    );
    test.write(
        "vendor/beta/pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"beta\"\nversion = \"1.0\"\n",
    );
    test.write("vendor/beta/beta/__init__.py", "VALUE = 'b'\n");
    test.write("calc.py", CALC);
    test.write("tests/__init__.py", "");
    test.write(
        "tests/test_both.py",
        "import unittest\n\nimport alpha\nimport beta\n\n\nclass TestBoth(unittest.TestCase):\n    def test_both(self):\n        self.assertEqual((alpha.VALUE, beta.VALUE), ('1.0', 'b'))\n",
    );
}

#[test]
fn a_uv_compiled_file_with_hashes_picks_uv() {
    let test = Test::new();
    uv_compiled_app(&test);
    let output = init(&test);
    assert!(
        output
            .stderr
            .contains("env.backend = uv   (from `requirements.txt` compiled by uv with hashes)"),
        "{}",
        output.stderr
    );
    let script = test.read("scripts/bootstrap.sh");
    assert!(script.contains("fetch_tool uv"), "{script}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: fetches uv from the package index and builds a venv"
)]
#[test]
fn a_uv_compiled_file_with_hashes_installs_with_a_fetched_uv() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    uv_compiled_app(&test);
    init(&test);
    let cache = tools_cache();
    let run = bootstrap_with(&test, &[], &[("XDG_CACHE_HOME", &cache)]);
    run.assert_code(0);
    let run = make(&test, &["test"], &[("XDG_CACHE_HOME", &cache)]);
    run.assert_code(0);
    assert!(run.stderr.contains("Ran 1 test"), "{}", run.stderr);
    // What pip does with the same file: it refuses the unhashed path pin.
    let pip = Command::new(test.path().join(".venv/bin/python"))
        .args(["-m", "pip", "--version"])
        .output()
        .expect("pip --version");
    if pip.status.success() {
        let refused = Command::new(test.path().join(".venv/bin/python"))
            .args([
                "-m",
                "pip",
                "install",
                "--dry-run",
                "-r",
                "requirements.txt",
            ])
            .current_dir(test.path())
            .output()
            .expect("pip install");
        assert!(!refused.status.success(), "{refused:?}");
    }
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn the_python_the_app_states_is_picked_over_the_newest_on_path() {
    let Some(_) = python(DEBIAN) else { return };
    let Some(newest) = pyenv_python("3.13") else {
        return;
    };
    let test = Test::new();
    test.write("Dockerfile", "FROM python:3.11-slim\nCOPY . /app\n");
    test.write(
        "setup.cfg",
        "[options]\npython_requires = >=3.9\n\n[flake8]\nmax-line-length = 100\n",
    );
    test.write("calc.py", CALC);
    test.write("tests/__init__.py", "");
    test.write("tests/test_calc.py", UNITTEST_TESTS);
    let output = init(&test);
    assert!(
        output
            .stderr
            .contains("python.preferred = 3.11   (from Python 3.11 in Dockerfile)"),
        "{}",
        output.stderr
    );
    // 3.13 first on PATH, Debian's 3.11 after it: the stated one wins.
    let run = bootstrap(&test, &[&newest]);
    run.assert_code(0);
    assert_eq!(env_version(&test), "3.11", "{}", run.stdout);
    // Without the preference, the newest inside the range, as before.
    test.run(&["regen", "--set", "python.preferred="])
        .assert_code(0);
    fs_err::remove_dir_all(test.path().join(".venv")).expect("remove env");
    let run = bootstrap(&test, &[&newest]);
    run.assert_code(0);
    assert_eq!(env_version(&test), "3.13", "{}", run.stdout);
}

#[test]
fn a_preferred_python_outside_the_range_is_refused() {
    let test = Test::new();
    test.write("Dockerfile", "FROM python:3.11-slim\n");
    init(&test);
    let output = test.run(&["regen", "--set", "python.preferred=3.10"]);
    assert_ne!(output.code, 0);
    assert!(
        output.stderr.contains("python.preferred") && output.stderr.contains("3.10"),
        "{}",
        output.stderr
    );
    // A range chosen over the files drops the inferred preference it leaves out.
    let test = Test::new();
    test.write("Dockerfile", "FROM python:3.11-slim\n");
    test.run(&["init", "--yes", "--set", "python.requires=>=3.12"])
        .assert_code(0);
    test.run(&["regen", "--check"]).assert_code(0);
    let saved = answers(&test);
    assert_eq!(
        value(&saved, "python.preferred").and_then(toml::Value::as_str),
        Some(""),
        "{saved}"
    );
}

fn lowercase_makefile_app(test: &Test) {
    test.write("makefile", "hello:\n\t@echo hello from the project\n");
    test.write("calc.py", CALC);
    test.write("tests/__init__.py", "");
    test.write("tests/test_calc.py", UNITTEST_TESTS);
}

#[test]
fn a_lowercase_makefile_gets_the_block() {
    let test = Test::new();
    lowercase_makefile_app(&test);
    let output = init(&test);
    assert!(
        output.stdout.contains("merge block makefile"),
        "{}",
        output.stdout
    );
    assert!(!test.path().join("Makefile").exists());
    let makefile = test.read("makefile");
    assert!(makefile.starts_with("hello:\n"), "{makefile}");
    assert!(makefile.contains("# >>> pybootstrap >>>"), "{makefile}");
    test.run(&["regen", "--check"]).assert_code(0);
    // make reads it: the block's targets are there.
    let dry = Command::new("make")
        .args(["-n", "test"])
        .current_dir(test.path())
        .output()
        .expect("make -n");
    assert!(dry.status.success(), "{dry:?}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn make_test_works_with_a_lowercase_makefile() {
    let Some(_) = python(DEBIAN) else { return };
    let test = Test::new();
    lowercase_makefile_app(&test);
    init(&test);
    let run = make(&test, &["test"], &[]);
    run.assert_code(0);
    assert!(run.stderr.contains("Ran 1 test"), "{}", run.stderr);
    let run = make(&test, &["hello"], &[]);
    run.assert_code(0);
    assert!(
        run.stdout.contains("hello from the project"),
        "{}",
        run.stdout
    );
}

/// The script's `explain_system_library`, run alone on the build output of packages that
/// lacked a C library (as the applications' bootstraps printed it) on each OS family.
#[test]
fn a_build_without_its_c_library_names_the_os_package() {
    let test = Test::new();
    test.write("requirements.txt", "");
    init(&test);
    let script = test.read("scripts/bootstrap.sh");
    let start = script
        .find("explain_system_library() {")
        .expect("explain_system_library in the script");
    let end = start + script[start..].find("\n}\n").expect("its end") + 3;
    let function = &script[start..end];
    let explain = |log: &str, os: &str| -> String {
        test.write("step.log", log);
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "set -eu\nos_ids() {{ echo '{os}'; }}\nversion_of() {{ echo 3.11; }}\nENV_PYTHON=.venv/bin/python\nstep_log=step.log\n{function}explain_system_library\n"
            ))
            .current_dir(test.path())
            .output()
            .expect("run sh");
        assert!(output.status.success(), "{output:?}");
        String::from_utf8_lossy(&output.stderr)
            .trim_end()
            .to_string()
    };
    let mysql = "      Trying pkg-config --exists mysqlclient\n      Command 'pkg-config --exists mysqlclient' returned non-zero exit status 1.\n      Exception: Can not find valid pkg-config name.\n";
    assert_eq!(
        explain(mysql, "debian"),
        "bootstrap: error: a package failed to build: this machine lacks mysqlclient, which its build needs. Install it with `sudo apt install default-libmysqlclient-dev pkg-config`, then run this script again."
    );
    assert!(
        explain(mysql, "fedora").contains("`sudo dnf install mariadb-connector-c-devel pkgconf`")
    );
    let ldap = "    | Modules/common.h:15:10: fatal error: lber.h: No such file or directory\n";
    assert!(explain(ldap, "alpine").contains("lacks OpenLDAP, which its build needs. Install it with `sudo apk add openldap-dev cyrus-sasl-dev`"));
    let libpq = "    Error: pg_config executable not found.\n\n    pg_config is required to build psycopg2 from source.\n";
    assert!(explain(libpq, "ubuntu debian").contains("`sudo apt install libpq-dev`"));
    let headers = "      src/module.c:1:10: fatal error: Python.h: No such file or directory\n";
    assert!(explain(headers, "debian").contains("lacks Python's headers, which its build needs. Install it with `sudo apt install python3.11-dev`"));
    assert!(explain(headers, "").contains("Install it with your OS package manager, then"));
    assert_eq!(
        explain("ERROR: No matching distribution found for six\n", "debian"),
        ""
    );
}
