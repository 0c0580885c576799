//! Where applications keep their test setup (issue 20): test dependencies in
//! `extras_require`, tox's `extras`, a task runner that installs all extras; the test group
//! before `dev`; `python -m pytest` for a flat-layout app nothing installs; the options
//! of invoke, just and poe test tasks; and the CI systems pybootstrap writes no pipeline
//! for, when they already run the tests. The setup.py and flat-layout apps are bootstrapped
//! for real and their `make test` runs.

use crate::support::{self, Output, Test, python};
use crate::tasks::make;

const DEBIAN: &str = "/usr/bin/python3";

fn init(test: &Test) -> Output {
    let output = test.run(&["init", "--yes"]);
    output.assert_code(0);
    output
}

fn answers(test: &Test) -> toml::Table {
    toml::from_str(&test.read("pybootstrap.toml")).expect("answers are TOML")
}

fn answer(test: &Test, table: &str, key: &str) -> Option<toml::Value> {
    answers(test).get(table)?.get(key).cloned()
}

fn strings(items: &[&str]) -> Option<toml::Value> {
    Some(toml::Value::Array(
        items
            .iter()
            .map(|item| toml::Value::String((*item).into()))
            .collect(),
    ))
}

fn string(text: &str) -> Option<toml::Value> {
    Some(toml::Value::String(text.into()))
}

const APP: &str = "def greet(name):\n    return f\"hello {name}\"\n";
const APP_TESTS: &str =
    "from app.core import greet\n\n\ndef test_greet():\n    assert greet(\"x\") == \"hello x\"\n";

/// A project whose pytest is only in the `tests` extra of a literal `extras_require`.
fn setup_py_extras(test: &Test) {
    test.write(
        "setup.py",
        "from setuptools import setup\n\nTESTS = [\n    \"pytest\",  # the runner\n]\n\nsetup(\n    name=\"greeter\",\n    version=\"0.1\",\n    packages=[\"app\"],\n    extras_require={\n        \"tests\": TESTS,\n        \"dev\": TESTS + [\"tox\"],\n        \"docs\": [\"sphinx\"],\n    },\n)\n",
    );
    test.write("app/__init__.py", "");
    test.write("app/core.py", APP);
    test.write("tests/test_core.py", APP_TESTS);
}

#[test]
fn setup_py_extras_require_with_a_tests_extra() {
    let test = Test::new();
    setup_py_extras(&test);
    let output = init(&test);
    assert_eq!(answer(&test, "deps", "source"), string("setuptools"));
    assert_eq!(answer(&test, "deps", "extras"), strings(&["tests"]));
    assert!(
        output.stderr.contains("extras_require in setup.py"),
        "init names where the extra came from: {}",
        output.stderr
    );
    // pytest comes from the extra: the task is pytest, and nothing warns it is missing.
    assert_eq!(answer(&test, "tasks", "test"), string("pytest"));
    assert!(
        !output
            .stderr
            .contains("not in anything the bootstrap installs"),
        "{}",
        output.stderr
    );
    let script = test.read("scripts/bootstrap.sh");
    assert!(script.contains("'.[tests]'"), "{script}");
}

#[test]
fn tox_extras_name_the_test_extra() {
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"greeter\"\nversion = \"0.1\"\n\n[project.optional-dependencies]\nci = [\"pytest\"]\ndocs = [\"sphinx\"]\n",
    );
    test.write(
        "tox.ini",
        "[tox]\nenvlist = py3\n\n[testenv]\nextras = ci\ncommands = pytest {posargs}\n",
    );
    init(&test);
    assert_eq!(answer(&test, "deps", "source"), string("pyproject"));
    assert_eq!(answer(&test, "deps", "extras"), strings(&["ci"]));
    assert_eq!(answer(&test, "tasks", "test"), string("pytest"));
}

#[test]
fn a_justfile_that_installs_all_extras() {
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n\n[project]\nname = \"greeter\"\nversion = \"0.1\"\n\n[project.optional-dependencies]\ntest = [\"pytest\"]\nyaml = [\"pyyaml\"]\ntoml = [\"tomli-w\"]\n",
    );
    test.write(
        "Justfile",
        "install:\n    uv sync --all-extras\n\n# the suite, with the options CI uses\ntest *args: install\n    uv run pytest -p no:cacheprovider {{args}}\n",
    );
    init(&test);
    assert_eq!(
        answer(&test, "deps", "extras"),
        strings(&["test", "toml", "yaml"])
    );
    assert_eq!(
        answer(&test, "tasks", "test"),
        string("pytest -p no:cacheprovider")
    );
    let script = test.read("scripts/bootstrap.sh");
    assert!(script.contains("'.[test,toml,yaml]'"), "{script}");
}

#[test]
fn a_test_group_beside_dev_is_the_one_installed() {
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"greeter\"\nversion = \"0.1\"\n\n[dependency-groups]\ntest = [\"pytest\"]\ndev = [{include-group = \"test\"}, \"mypy\", \"sphinx\"]\n",
    );
    init(&test);
    assert_eq!(answer(&test, "deps", "groups"), strings(&["test"]));
    let script = test.read("scripts/bootstrap.sh");
    assert!(!script.contains("'dev'"), "{script}");
}

/// A flat-layout app: the package at the top, `tests/` without a conftest or
/// `__init__.py`, requirements only.
fn flat_layout_app(test: &Test) {
    test.write("requirements.txt", "pytest\n");
    test.write("app/__init__.py", "");
    test.write("app/core.py", APP);
    test.write("tests/test_core.py", APP_TESTS);
}

#[test]
fn a_flat_layout_app_runs_pytest_as_a_module() {
    let test = Test::new();
    flat_layout_app(&test);
    init(&test);
    assert_eq!(answer(&test, "tasks", "test"), string("python -m pytest"));
    let makefile = test.read("Makefile");
    assert!(
        makefile.contains("$(PYBOOTSTRAP_RUN) python -m pytest\n"),
        "{makefile}"
    );
}

#[test]
fn an_invoke_task_brings_its_options() {
    let test = Test::new();
    flat_layout_app(&test);
    test.write("requirements.txt", "pytest\ninvoke\n");
    test.write(
        "tasks.py",
        "from invoke import task\n\n\n@task\ndef lint(c):\n    c.run(\"ruff check .\")\n\n\n@task\ndef test(c):\n    \"\"\"Output captured by the app's own logging.\"\"\"\n    c.run(\"pytest --capture=no -q tests\", pty=True)\n",
    );
    let output = init(&test);
    assert_eq!(
        answer(&test, "tasks", "test"),
        string("python -m pytest --capture=no -q tests")
    );
    assert!(
        output.stderr.contains("the invoke task `test` in tasks.py"),
        "{}",
        output.stderr
    );
}

#[test]
fn a_poe_task_brings_its_options() {
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n\n[project]\nname = \"greeter\"\nversion = \"0.1\"\n\n[dependency-groups]\ntest = [\"pytest\"]\n\n[tool.poe.tasks]\ntest = { cmd = \"pytest --capture=no tests\", help = \"run the suite\" }\n",
    );
    init(&test);
    assert_eq!(
        answer(&test, "tasks", "test"),
        string("pytest --capture=no tests")
    );
}

/// An application whose poe `test` is a sequence: its lint sequence, a private cleanup
/// task, the frontend's tests through yarn, then pytest.
const POE_SEQUENCE_APP: &str = r#"[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "tracker"
version = "0.1"

[dependency-groups]
dev = ["pytest", "ruff", "poethepoet"]

[tool.ruff]
line-length = 100

[tool.poe.tasks]
fmt-check = { cmd = "ruff format --check .", help = "Check formatting" }
imports-check = { cmd = "ruff check --select I .", help = "Check import order" }
lint-code = { cmd = "ruff check tracker tests", help = "Lint" }
lint = [{ ref = "fmt-check" }, { ref = "imports-check" }, { ref = "lint-code" }]
unit = { cmd = "pytest", help = "Python tests" }
web-test = { cmd = "yarn test", help = "Frontend tests" }
_wipe-dbs = { shell = "rm -f tests/cache.db tests/tracker.db", help = "Remove test databases" }
test = [{ ref = "lint" }, { ref = "_wipe-dbs" }, { ref = "web-test" }, { ref = "unit" }]
"#;

#[test]
fn a_poe_sequence_keeps_its_test_steps() {
    let test = Test::new();
    test.write("pyproject.toml", POE_SEQUENCE_APP);
    test.write("tracker/__init__.py", "");
    test.write("tests/test_tracker.py", "def test_nothing():\n    pass\n");
    let output = init(&test);
    let task = "rm -f tests/cache.db tests/tracker.db && pytest";
    assert_eq!(answer(&test, "tasks", "test"), string(task));
    let makefile = test.read("Makefile");
    assert!(
        makefile.contains(&format!("\t@$(PYBOOTSTRAP_RUN) {task}\n")),
        "{makefile}"
    );
    assert!(
        output.stderr.contains(&format!(
            "tasks.test = {task}   (from the poe task `test` in pyproject.toml, leaving out its `ruff` steps and `yarn test`)"
        )),
        "{}",
        output.stderr
    );

    // A sequence that chains the linters with a step that does not translate (tox) is not
    // called as a whole: `poe test` would run the linters; the next source names the tests.
    let through_tox = POE_SEQUENCE_APP.replace(
        "test = [{ ref = \"lint\" }, { ref = \"_wipe-dbs\" }, { ref = \"web-test\" }, { ref = \"unit\" }]",
        "test = [{ ref = \"lint\" }, { cmd = \"tox -q -e py\" }]",
    );
    let test = Test::new();
    test.write("pyproject.toml", &through_tox);
    test.write(
        "tox.ini",
        "[testenv]\ndeps = pytest\ncommands = pytest -p no:cacheprovider tests\n",
    );
    test.write("tracker/__init__.py", "");
    test.write("tests/test_tracker.py", "def test_nothing():\n    pass\n");
    init(&test);
    assert_eq!(
        answer(&test, "tasks", "test"),
        string("pytest -p no:cacheprovider tests")
    );
}

/// `init` in a repository whose own CI is `path` holding `text`: whether it says that
/// pipeline runs the tests and writes only pybootstrap's small workflow.
fn ci_counts(path: &str, text: &str, extra: &[(&str, &str)]) -> bool {
    let test = Test::new();
    flat_layout_app(&test);
    test.write(path, text);
    for (path, text) in extra {
        test.write(path, text);
    }
    let output = init(&test);
    let note = format!("CI: `{path}` already runs the tests");
    let noted = output.stderr.contains(&note);
    let ours = test.read(".github/workflows/pybootstrap.yml");
    let small = ours.contains("name: pybootstrap\n");
    assert_eq!(noted, small, "{}\n{ours}", output.stderr);
    noted
}

#[test]
fn circleci_azure_travis_and_jenkins_pipelines_that_run_the_tests_count() {
    let rows: &[(&str, &str, bool)] = &[
        (
            ".circleci/config.yml",
            "version: 2.1\njobs:\n  test:\n    docker:\n      - image: cimg/python:3.12\n    steps:\n      - checkout\n      - run:\n          name: Tests\n          command: |\n            pip install -r requirements.txt\n            python -m pytest\nworkflows:\n  main:\n    jobs: [test]\n",
            true,
        ),
        (
            ".circleci/config.yml",
            "version: 2.1\njobs:\n  docs:\n    steps:\n      - run: mkdocs build\n",
            false,
        ),
        (
            "azure-pipelines.yml",
            "pool:\n  vmImage: ubuntu-latest\nsteps:\n- task: UsePythonVersion@0\n  inputs:\n    versionSpec: '3.12'\n- script: ./ci/run-tests.sh\n  displayName: Tests\n",
            true,
        ),
        (
            ".travis.yml",
            "language: python\npython:\n  - \"3.12\"\ninstall: pip install -r requirements.txt\nscript:\n  - make check\n",
            true,
        ),
        (
            "Jenkinsfile",
            "pipeline {\n  agent any\n  stages {\n    stage('Test') {\n      steps {\n        sh 'python -m pytest --junitxml=report.xml'\n      }\n    }\n  }\n}\n",
            true,
        ),
    ];
    let extra: &[(&str, &str)] = &[
        (
            "ci/run-tests.sh",
            "#!/bin/sh\nset -e\npython -m pytest \"$@\"\n",
        ),
        ("Makefile", "check:\n\tpython -m pytest\n"),
    ];
    for (path, text, expected) in rows {
        assert_eq!(ci_counts(path, text, extra), *expected, "{path}: {text}");
    }
}

/// A workflow, the files beside it, and whether it counts as running the tests.
type MatrixRow<'a> = (String, &'a [(&'a str, &'a str)], bool);

#[test]
fn tests_reached_through_poe_just_or_npm_from_a_matrix_count() {
    let workflow = |run: &str| {
        format!(
            "on: push\njobs:\n  check:\n    strategy:\n      matrix:\n        task: [lint, test]\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: {run}\n"
        )
    };
    let pyproject = "[tool.poe.tasks]\nlint = \"ruff check .\"\ntest = \"pytest --capture=no\"\n";
    let rows: &[MatrixRow<'_>] = &[
        (
            workflow("pipx run poethepoet ${{ matrix.task }}"),
            &[],
            false,
        ),
        (
            workflow("poe ${{ matrix.task }}"),
            &[("pyproject.toml", pyproject)],
            true,
        ),
        (
            workflow("just ${{ matrix.task }}"),
            &[("Justfile", "lint:\n    ruff check .\n\ntest:\n    pytest\n")],
            true,
        ),
        (
            workflow("npm run test:api"),
            &[(
                "package.json",
                "{\"scripts\": {\"test\": \"vitest\", \"test:api\": \"cd api && python -m pytest\"}}",
            )],
            true,
        ),
        (
            workflow("npm test"),
            &[("package.json", "{\"scripts\": {\"test\": \"vitest\"}}")],
            false,
        ),
    ];
    for (text, extra, expected) in rows {
        assert_eq!(
            ci_counts(".github/workflows/ci.yml", text, extra),
            *expected,
            "{text}"
        );
    }
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_flat_layout_apps_make_test_passes() {
    let Some(_) = python(DEBIAN) else { return };
    let Some(make_tool) = support::tool("make") else {
        return;
    };
    let test = Test::new();
    flat_layout_app(&test);
    init(&test);
    let run = make(&test, &make_tool, &["test"]);
    run.assert_code(0);
    let printed = format!("{}{}", run.stdout, run.stderr);
    assert!(printed.contains("1 passed"), "{printed}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_setup_py_extras_projects_make_test_runs_pytest_from_its_extra() {
    let Some(_) = python(DEBIAN) else { return };
    let Some(make_tool) = support::tool("make") else {
        return;
    };
    let test = Test::new();
    setup_py_extras(&test);
    init(&test);
    let run = make(&test, &make_tool, &["test"]);
    run.assert_code(0);
    let printed = format!("{}{}", run.stdout, run.stderr);
    assert!(printed.contains("1 passed"), "{printed}");
    // pytest is in the environment through the extra, and the heavier `dev` one is not.
    let venv_bin = test.path().join(".venv/bin");
    assert!(venv_bin.join("pytest").is_file());
    assert!(
        !venv_bin.join("tox").exists(),
        "the dev extra was installed"
    );
}

/// A service in `svc/` whose own Makefile enters it to run the tests (rednafi/fastapi-nano's
/// shape): the package and its tests import as `svc.…` from the repository root.
fn service_in_a_subdirectory(test: &Test) {
    test.write("requirements.txt", "pytest\n");
    test.write("svc/__init__.py", "");
    test.write("svc/core.py", APP);
    test.write("svc/tests/__init__.py", "");
    test.write(
        "svc/tests/test_core.py",
        APP_TESTS.replace("from app", "from svc"),
    );
    test.write(
        "Makefile",
        ".PHONY: test\ntest: ## Run the tests.\n\tcd svc && uv run pytest -q && cd ..\n",
    );
}

#[test]
fn a_makefile_recipe_that_enters_the_service_directory() {
    let test = Test::new();
    service_in_a_subdirectory(&test);
    init(&test);
    assert_eq!(
        answer(&test, "tasks", "test"),
        string("cd svc && python -m pytest -q")
    );
}

/// A Django site whose `manage.py` names no default settings, with conventional test
/// settings and the ones its CI uses (babybuddy's shape).
fn django_site_without_default_settings(test: &Test) {
    test.write("requirements.txt", "django\n");
    test.write(
        "manage.py",
        "import sys\n\nfrom django.core.management import execute_from_command_line\n\nexecute_from_command_line(sys.argv)\n",
    );
    test.write("site/__init__.py", "");
    test.write("site/settings/__init__.py", "");
    test.write("site/settings/base.py", "");
    test.write("site/settings/test.py", "from .base import *\n");
    test.write("site/settings/ci.py", "from .test import *\n");
}

#[test]
fn a_django_site_without_default_settings_tests_with_its_test_settings() {
    let test = Test::new();
    django_site_without_default_settings(&test);
    init(&test);
    assert_eq!(
        answer(&test, "tasks", "test"),
        string("python manage.py test --settings=site.settings.test")
    );
    // The settings its task runner passes win over the convention.
    let test = Test::new();
    django_site_without_default_settings(&test);
    test.write(
        "gulpfile.js",
        "exec('pipenv run python manage.py test --settings=site.settings.ci');\n",
    );
    init(&test);
    assert_eq!(
        answer(&test, "tasks", "test"),
        string("python manage.py test --settings=site.settings.ci")
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_service_in_a_subdirectory_passes_its_tests_through_its_makefile() {
    let Some(_) = python(DEBIAN) else { return };
    let Some(make_tool) = support::tool("make") else {
        return;
    };
    let test = Test::new();
    service_in_a_subdirectory(&test);
    init(&test);
    let run = make(&test, &make_tool, &["venv-test"]);
    run.assert_code(0);
    let printed = format!("{}{}", run.stdout, run.stderr);
    assert!(printed.contains("1 passed"), "{printed}");
}

#[test]
fn the_directories_the_ci_makes_before_the_tests_are_made_by_the_task() {
    let test = Test::new();
    flat_layout_app(&test);
    test.write(
        ".github/workflows/tests.yml",
        "on: push\njobs:\n  unit:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          pip install -r requirements.txt\n          mkdir data\n      - run: pytest\n",
    );
    init(&test);
    assert_eq!(
        answer(&test, "tasks", "test"),
        string("mkdir -p data && python -m pytest")
    );
}
