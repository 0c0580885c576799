//! Tasks that can run: `tasks.test` follows the project (its tox commands, unittest's real
//! layout), lint and fmt follow the configured tools or are absent, and init warns when a
//! task calls a tool nothing installs. The unittest fixtures are bootstrapped for real from
//! Debian's externally managed Python and `make test` runs their tests; so is a tiny Django
//! site, whose test task is `manage.py test`.

use std::path::Path;
use std::process::Command;

use crate::support::{self, Output, Test, python};

const DEBIAN: &str = "/usr/bin/python3";

fn init(test: &Test) -> Output {
    let output = test.run(&["init", "--yes"]);
    output.assert_code(0);
    output
}

fn tasks(test: &Test) -> toml::Table {
    let answers: toml::Table =
        toml::from_str(&test.read("pybootstrap.toml")).expect("answers are TOML");
    answers["tasks"].as_table().expect("[tasks]").clone()
}

fn task(test: &Test, name: &str) -> String {
    tasks(test)[name].as_str().expect("a string").to_string()
}

/// `make ARGS` in the fixture with only the system directories on `PATH`, so the generated
/// bootstrap finds Debian's externally managed `python3`.
pub(crate) fn make(test: &Test, make: &Path, args: &[&str]) -> Output {
    let output = Command::new(make)
        .args(args)
        .current_dir(test.path())
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", test.path())
        .env("XDG_CACHE_HOME", test.path().join(".test-cache"))
        .env_remove("PYTHON")
        .env_remove("VIRTUAL_ENV")
        .env_remove("PIP_BREAK_SYSTEM_PACKAGES")
        .env_remove("PIP_CONFIG_FILE")
        .output()
        .expect("run make");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

const CALC: &str = "def add(left, right):\n    return left + right\n";
const CALC_TESTS: &str = "import unittest\n\nimport calc\n\n\nclass AddTest(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(calc.add(2, 2), 4)\n\n    def test_zero(self):\n        self.assertEqual(calc.add(0, 0), 0)\n";

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_unittest_project_without_init_py_runs_its_tests_after_the_bootstrap() {
    let Some(_) = python(DEBIAN) else { return };
    let Some(make_tool) = support::tool("make") else {
        return;
    };
    let test = Test::new();
    test.write("requirements.txt", "");
    test.write("calc.py", CALC);
    // No `__init__.py`: unittest refuses `-t .` for such a start directory.
    test.write("tests/test_calc.py", CALC_TESTS);
    init(&test);
    assert_eq!(task(&test, "test"), "python -m unittest discover -s tests");
    let run = make(&test, &make_tool, &["test"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("Ran 2 tests") && run.stderr.contains("OK"),
        "{run:?}"
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn an_mkdocs_like_layout_runs_its_star_tests_modules() {
    let Some(_) = python(DEBIAN) else { return };
    let Some(make_tool) = support::tool("make") else {
        return;
    };
    let test = Test::new();
    test.write("requirements.txt", "");
    test.write("sitegen/__init__.py", "");
    test.write("sitegen/calc.py", CALC);
    test.write("sitegen/tests/__init__.py", "");
    test.write("sitegen/tests/base.py", "HELPER = 1\n");
    test.write(
        "sitegen/tests/calc_tests.py",
        CALC_TESTS.replace("import calc", "from sitegen import calc"),
    );
    test.write("sitegen/tests/config/__init__.py", "");
    test.write(
        "sitegen/tests/config/config_tests.py",
        "import unittest\n\nfrom sitegen.tests import base\n\n\nclass ConfigTest(unittest.TestCase):\n    def test_helper(self):\n        self.assertEqual(base.HELPER, 1)\n",
    );
    init(&test);
    assert_eq!(
        task(&test, "test"),
        "python -m unittest discover -s sitegen/tests -p '*_tests.py' -t ."
    );
    let run = make(&test, &make_tool, &["test"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("Ran 3 tests") && run.stderr.contains("OK"),
        "{run:?}"
    );
}

#[test]
fn no_lint_config_means_no_lint_or_fmt_task_anywhere() {
    let test = Test::new();
    test.write("requirements.txt", "");
    test.write("tests/test_calc.py", CALC_TESTS);
    init(&test);
    let saved = test.read("pybootstrap.toml");
    assert!(
        saved.contains("lint = \"\"") && saved.contains("fmt = \"\""),
        "the answers say there is no lint or format task: {saved}"
    );
    let makefile = test.read("Makefile");
    assert!(
        !makefile.contains("lint") && !makefile.contains("fmt"),
        "{makefile}"
    );
    let guide = test.read("docs/python-environment.md");
    assert!(
        !guide.contains("- lint:") && !guide.contains("make lint"),
        "{guide}"
    );
    if let Some(make_tool) = support::tool("make") {
        let plan = make(&test, &make_tool, &["-n", "test", "clean", "doctor"]);
        plan.assert_code(0);
        assert!(!plan.stderr.contains("warning"), "{plan:?}");
        let lint = make(&test, &make_tool, &["-n", "lint"]);
        assert_ne!(lint.code, 0, "there is no lint target: {lint:?}");
    }
    // Choosing a linter later brings the target back.
    let regen = test.run(&["regen", "--set", "tasks.lint=flake8"]);
    regen.assert_code(0);
    assert!(test.read("Makefile").contains("$(PYBOOTSTRAP_RUN) flake8"));
    assert!(
        regen
            .stderr
            .contains("warning: `tasks.lint` runs `flake8`, but `flake8` is not"),
        "a task set by hand is checked too: {}",
        regen.stderr
    );
    test.run(&["regen", "--set", "tasks.lint="]).assert_code(0);
    assert!(!test.read("Makefile").contains("flake8"));
}

#[test]
fn a_ruff_project_lints_and_formats_with_ruff_and_installs_what_nothing_declares() {
    let test = Test::new();
    test.write("requirements.txt", "");
    test.write(
        "pyproject.toml",
        "[tool.ruff]\nline-length = 100\n\n[tool.pytest.ini_options]\ntestpaths = [\"tests\"]\n",
    );
    test.write("tests/test_app.py", "def test_app():\n    pass\n");
    let output = init(&test);
    assert_eq!(task(&test, "lint"), "ruff check .");
    assert_eq!(task(&test, "fmt"), "ruff format .");
    // A pyproject.toml of tool settings installs nothing: pytest runs as a module.
    assert_eq!(task(&test, "test"), "python -m pytest");
    // Nothing declares pytest or ruff: the environment gets them, and init says so.
    assert!(
        output.stderr.contains(
            "  deps.tools = pytest,ruff   (from what tasks.test, tasks.lint and tasks.fmt run: no dependency installs them)"
        ) && !output.stderr.contains("warning"),
        "{}",
        output.stderr
    );
    // Chosen away, each task warns.
    let output = test.run(&["regen", "--set", "deps.tools="]);
    output.assert_code(0);
    for (task, tool) in [("test", "pytest"), ("lint", "ruff"), ("fmt", "ruff")] {
        let expected = format!("warning: `tasks.{task}` runs `");
        let line = output
            .stderr
            .lines()
            .find(|line| line.starts_with(&expected))
            .unwrap_or_else(|| panic!("no warning for tasks.{task}: {}", output.stderr));
        assert!(
            line.contains(&format!(
                "but `{tool}` is not in anything the bootstrap installs"
            )) && line.contains("hint: add it to")
                && line.contains(&format!("or set `tasks.{task}`")),
            "{line}"
        );
    }
    if let Some(make_tool) = support::tool("make") {
        let plan = make(&test, &make_tool, &["-n", "lint", "fmt"]);
        plan.assert_code(0);
        assert!(
            plan.stdout.contains("ruff check .") && plan.stdout.contains("ruff format ."),
            "{plan:?}"
        );
    }

    // Installed by a requirements file the bootstrap installs: no warning.
    let test = Test::new();
    test.write("requirements.txt", "-r requirements-dev.txt\n");
    test.write("requirements-dev.txt", "pytest>=8\nruff==0.6.9\n");
    test.write(
        "ruff.toml",
        "line-length = 100\n[format]\nquote-style = \"single\"\n",
    );
    test.write("tests/test_calc.py", CALC_TESTS);
    let output = init(&test);
    assert_eq!(task(&test, "lint"), "ruff check .");
    assert_eq!(task(&test, "fmt"), "ruff format .");
    assert!(
        !output.stderr.contains("warning") && !output.stderr.contains("deps.tools"),
        "{}",
        output.stderr
    );
}

#[test]
fn tox_commands_become_the_test_task() {
    let test = Test::new();
    test.write("requirements.txt", "pytest\n");
    test.write(
        "tox.ini",
        "[tox]\nenvlist = py311\n\n[testenv]\ndeps = pytest\ncommands =\n    python -m pytest {posargs:tests}\n\n[flake8]\nmax-line-length = 100\n",
    );
    test.write("tests/test_calc.py", CALC_TESTS);
    init(&test);
    assert_eq!(task(&test, "test"), "python -m pytest tests");
    assert_eq!(task(&test, "lint"), "flake8");
    assert!(!tasks(&test).contains_key("fmt") || task(&test, "fmt").is_empty());
    let makefile = test.read("Makefile");
    assert!(
        makefile.contains("$(PYBOOTSTRAP_RUN) python -m pytest tests"),
        "{makefile}"
    );

    // A command that only means something inside tox is not translated.
    let test = Test::new();
    test.write("requirements.txt", "");
    test.write(
        "tox.ini",
        "[testenv]\ncommands = pytest --basetemp={envtmpdir} {posargs}\n",
    );
    test.write("tests/test_calc.py", CALC_TESTS);
    init(&test);
    assert_eq!(task(&test, "test"), "python -m unittest discover -s tests");
}

const MANAGE_PY: &str = "import os\nimport sys\n\nif __name__ == \"__main__\":\n    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site_app.settings\")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n";
const SETTINGS: &str = "SECRET_KEY = \"test\"\nINSTALLED_APPS = [\"blog\"]\nDATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\", \"NAME\": \":memory:\"}}\nUSE_TZ = True\n";
const BLOG_TESTS: &str = "from django.test import SimpleTestCase\n\n\nclass BlogTest(SimpleTestCase):\n    def test_settings(self):\n        from django.conf import settings\n\n        self.assertEqual(settings.SECRET_KEY, \"test\")\n";

/// A tiny Django site: `manage.py`, a settings package, an app with tests.
fn django_site(test: &Test) {
    test.write("requirements.txt", "django\n");
    test.write("manage.py", MANAGE_PY);
    test.write("site_app/__init__.py", "");
    test.write("site_app/settings.py", SETTINGS);
    test.write("blog/__init__.py", "");
    test.write("blog/tests.py", BLOG_TESTS);
}

#[test]
fn a_django_site_runs_manage_py_test() {
    let test = Test::new();
    django_site(&test);
    init(&test);
    assert_eq!(task(&test, "test"), "python manage.py test");
    let makefile = test.read("Makefile");
    assert!(
        makefile.contains("$(PYBOOTSTRAP_RUN) python manage.py test"),
        "{makefile}"
    );

    // CI's test settings, when they differ from manage.py's default, go on the command.
    let test = Test::new();
    django_site(&test);
    test.write("site_app/test_settings.py", SETTINGS);
    test.write(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n      DJANGO_SETTINGS_MODULE: site_app.test_settings\n    steps:\n      - run: ./manage.py test\n",
    );
    init(&test);
    assert_eq!(
        task(&test, "test"),
        "python manage.py test --settings=site_app.test_settings"
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_django_site_runs_its_tests_after_the_bootstrap() {
    runs_one_test_after_the_bootstrap(django_site);
}

/// The site `write` makes, set up by `init`: `make test` bootstraps it and its one test
/// passes.
fn runs_one_test_after_the_bootstrap(write: fn(&Test)) {
    let Some(_) = python(DEBIAN) else { return };
    let Some(make_tool) = support::tool("make") else {
        return;
    };
    let test = Test::new();
    write(&test);
    init(&test);
    let run = make(&test, &make_tool, &["test"]);
    run.assert_code(0);
    assert!(
        run.stderr.contains("Ran 1 test") && run.stderr.contains("OK"),
        "{run:?}"
    );
}

/// The tiny Django site in `backend/`, its requirements at the top (the shape of a web
/// monorepo whose Python dependencies live at the root).
fn django_site_below_the_top(test: &Test) {
    test.write("requirements.txt", "django\n");
    test.write("backend/manage.py", MANAGE_PY);
    test.write("backend/site_app/__init__.py", "");
    test.write("backend/site_app/settings.py", SETTINGS);
    test.write("backend/blog/__init__.py", "");
    test.write("backend/blog/tests.py", BLOG_TESTS);
}

#[test]
fn a_django_site_below_the_top_runs_from_its_directory() {
    let test = Test::new();
    django_site_below_the_top(&test);
    init(&test);
    assert_eq!(task(&test, "test"), "cd backend && python manage.py test");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_django_site_below_the_top_runs_its_tests_after_the_bootstrap() {
    runs_one_test_after_the_bootstrap(django_site_below_the_top);
}

/// A Django site whose settings keep static files with a manifest, and a test that needs it.
fn django_site_with_a_static_manifest(test: &Test) {
    django_site(test);
    test.write(
        "site_app/settings.py",
        format!(
            "{SETTINGS}INSTALLED_APPS += [\"django.contrib.staticfiles\"]\nSTATIC_URL = \"static/\"\nSTATIC_ROOT = \"staticfiles\"\n# STORAGES below: hashed names, as in production\nSTORAGES = {{\"staticfiles\": {{\"BACKEND\": \"django.contrib.staticfiles.storage.ManifestStaticFilesStorage\"}}}}\n"
        ),
    );
    test.write("blog/static/blog/site.css", "body { margin: 0 }\n");
    test.write(
        "blog/tests.py",
        "from django.templatetags.static import static\nfrom django.test import SimpleTestCase\n\n\nclass StaticTest(SimpleTestCase):\n    def test_hashed_name(self):\n        self.assertRegex(static(\"blog/site.css\"), r\"site\\.[0-9a-f]{12}\\.css$\")\n",
    );
}

#[test]
fn a_django_site_with_a_static_manifest_collects_before_its_tests() {
    let test = Test::new();
    django_site_with_a_static_manifest(&test);
    init(&test);
    assert_eq!(
        task(&test, "test"),
        "python manage.py collectstatic --noinput && python manage.py test"
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_django_site_with_a_static_manifest_passes_its_tests_after_the_bootstrap() {
    runs_one_test_after_the_bootstrap(django_site_with_a_static_manifest);
}

#[test]
fn a_new_repository_gets_a_test_task_that_can_run() {
    let test = Test::new();
    let output = init(&test);
    assert!(
        !output
            .stderr
            .contains("not in anything the bootstrap installs"),
        "nothing is left to warn about: {}",
        output.stderr
    );
    assert_eq!(task(&test, "test"), "pytest || test $? -eq 5");
    let answers: toml::Table =
        toml::from_str(&test.read("pybootstrap.toml")).expect("answers are TOML");
    assert_eq!(
        answers["deps"]["tools"],
        toml::Value::Array(vec![toml::Value::String("pytest".into())])
    );
    assert!(
        test.read("scripts/bootstrap.sh")
            .contains("\n    run_quietly \"$ENV_PYTHON\" -m pip install 'pytest'\n")
    );
    // A tool set by hand is installed, and so no longer warned about.
    let regen = test.run(&["regen", "--set", "tasks.lint=ruff check ."]);
    assert!(regen.stderr.contains("`ruff` is not"), "{}", regen.stderr);
    let regen = test.run(&["regen", "--set", "deps.tools=pytest,ruff"]);
    regen.assert_code(0);
    assert!(!regen.stderr.contains("warning"), "{}", regen.stderr);
    assert!(
        test.read("scripts/bootstrap.sh")
            .contains("\n    run_quietly \"$ENV_PYTHON\" -m pip install 'pytest' 'ruff'\n")
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and installs pytest from the package index"
)]
#[test]
fn a_new_repositorys_make_test_runs() {
    let Some(_) = python("/usr/bin/python3") else {
        return;
    };
    let Some(make_tool) = support::tool("make") else {
        return;
    };
    let test = Test::new();
    init(&test);
    let cache = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lock-tools-cache");
    let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
    let mut command = Command::new(make_tool);
    command
        .arg("test")
        .current_dir(test.path())
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", test.path())
        .env("XDG_CACHE_HOME", &cache)
        .env_remove("PYTHON")
        .env_remove("VIRTUAL_ENV")
        .env_remove("PIP_CONFIG_FILE")
        .env_remove("MAKEFLAGS");
    if bundle.is_file() {
        command.env("PIP_CERT", bundle);
    }
    let output = command.output().expect("run make");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("no tests ran"), "{stdout}");
    // Once there is a test, it is run, and a failing one fails `make test`.
    test.write(
        "tests/test_first.py",
        "def test_first():\n    assert 1 + 1 == 3\n",
    );
    let failed = command.output().expect("run make");
    assert!(!failed.status.success());
    assert!(String::from_utf8_lossy(&failed.stdout).contains("1 failed"));
}
