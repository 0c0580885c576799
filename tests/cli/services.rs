//! The services an application's tests need: read from the project's own CI
//! job, its Django settings or its compose file, named by `init`, started by pybootstrap's
//! CI jobs that run the tests, and explained in the contributor docs. Every generated
//! pipeline is checked by actionlint, zizmor and the CI schemas.

use std::ffi::OsStr;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use crate::support::{Output, Test, tool};

/// A Flask app whose CI job runs its tests in a container beside PostgreSQL, with the
/// database URL in the test step's `env` and a secret for the coverage upload.
const FLASK_WORKFLOW: &str = r#"name: CI Build
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    container: python:3.12-slim
    services:
      # the tests' database
      postgres:
        image: postgres:15-alpine
        env:
          POSTGRES_PASSWORD: pgs3cr3t
          POSTGRES_DB: testdb
        ports:
          - 5432:5432
        options: >-
          --health-cmd pg_isready
          --health-interval 10s
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - name: Run unit tests
        run: pytest --disable-warnings
        env:
          FLASK_APP: "wsgi:app"
          DATABASE_URI: "postgresql+psycopg://postgres:pgs3cr3t@postgres:5432/testdb"
          SENTRY_DSN: ${{ secrets.SENTRY_DSN }}
  deploy:
    runs-on: ubuntu-latest
    services:
      redis:
        image: redis:7
    steps:
      - run: ./deploy.sh
"#;

fn flask_app(test: &Test) {
    test.write(
        "requirements.txt",
        "flask\npsycopg[binary]\nsqlalchemy\npytest\n",
    );
    test.write(
        "service/__init__.py",
        "import os\nDATABASE_URI = os.environ['DATABASE_URI']\n",
    );
    test.write(
        "tests/test_models.py",
        "def test_model():\n    assert True\n",
    );
}

fn init(test: &Test, extra: &[&str]) -> Output {
    let mut args = vec!["init", "--yes", "--set", "python.versions=3.11,3.12"];
    args.extend_from_slice(extra);
    let output = test.run(&args);
    output.assert_code(0);
    output
}

/// Runs `program` with `args` in `dir`; panics with its output unless it succeeds.
fn check(program: &Path, args: &[&str], dir: &Path) {
    let output = Command::new(program)
        .args(args.iter().map(OsStr::new))
        .current_dir(dir)
        .output()
        .expect("run the checker");
    assert!(
        output.status.success(),
        "{} {args:?}:\n{}{}",
        program.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// actionlint, zizmor and GitHub's schema over pybootstrap's workflow.
fn lint_workflow(test: &Test) {
    let workflow = ".github/workflows/pybootstrap.yml";
    if let Some(actionlint) = tool("actionlint") {
        check(&actionlint, &[workflow], test.path());
    }
    if let Some(zizmor) = tool("zizmor") {
        check(
            &zizmor,
            &["--offline", "--min-severity", "medium", workflow],
            test.path(),
        );
    }
    if let Some(schema) = tool("check-jsonschema") {
        check(
            &schema,
            &["--builtin-schema", "vendor.github-workflows", workflow],
            test.path(),
        );
    }
}

/// GitLab's schema over pybootstrap's pipeline at `path`.
fn lint_gitlab(test: &Test, path: &str) {
    if let Some(schema) = tool("check-jsonschema") {
        check(
            &schema,
            &["--builtin-schema", "vendor.gitlab-ci", path],
            test.path(),
        );
    }
}

/// The text of one job of a generated workflow or pipeline: from its `name:` line to the
/// next line at its indentation.
fn job<'a>(text: &'a str, header: &str) -> &'a str {
    let start = text
        .find(header)
        .unwrap_or_else(|| panic!("no `{header}` in\n{text}"));
    let indent = header.len() - header.trim_start().len();
    let rest = &text[start + header.len()..];
    let end = rest
        .match_indices('\n')
        .map(|(at, _)| at + 1)
        .find(|at| {
            let line = &rest[*at..];
            !line.is_empty()
                && !line.starts_with('\n')
                && line.len() - line.trim_start_matches(' ').len() <= indent
                && !line.trim_start().starts_with('#')
        })
        .unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn a_flask_apps_ci_database_reaches_the_pep668_job_and_the_docs() {
    let test = Test::new();
    flask_app(&test);
    test.write(".github/workflows/ci.yml", FLASK_WORKFLOW);
    let output = init(&test, &[]);
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(
        said.contains(
            "note: the tests need PostgreSQL (`postgres:15-alpine`) and these variables: `FLASK_APP`, `DATABASE_URI`, as the `build` job of `.github/workflows/ci.yml` sets them; not copied (a secret or a value set at run time): `SENTRY_DSN`"
        ),
        "{said}"
    );
    let workflow = test.read(".github/workflows/pybootstrap.yml");
    // The project's CI runs the tests: only the PEP 668 job runs them here, in a
    // container beside the database, which it reaches by the service's name.
    let pep668 = job(&workflow, "\n  pep668:");
    assert!(pep668.contains("    services:\n      postgres:\n        image: \"postgres:15-alpine\"\n        env:\n          POSTGRES_PASSWORD: \"pgs3cr3t\"\n          POSTGRES_DB: \"testdb\"\n        ports:\n          - \"5432:5432\"\n        options: \"--health-cmd pg_isready --health-interval 10s\"\n"), "{pep668}");
    assert!(
        pep668.contains(
            "      DATABASE_URI: \"postgresql+psycopg://postgres:pgs3cr3t@postgres:5432/testdb\"\n"
        ),
        "{pep668}"
    );
    // The bootstrap job runs no tests and needs no database; the deploy job's redis is
    // not the tests'.
    assert_eq!(workflow.matches("services:").count(), 1, "{workflow}");
    assert!(!workflow.contains("redis"));
    let docs = test.read("docs/python-environment.md");
    assert!(docs.contains("docker run -d --rm --name 'postgres' -p 5432:5432 -e 'POSTGRES_PASSWORD=pgs3cr3t' -e 'POSTGRES_DB=testdb' 'postgres:15-alpine'"), "{docs}");
    // A contributor's shell reaches the published port on localhost.
    assert!(
        docs.contains(
            "export DATABASE_URI='postgresql+psycopg://postgres:pgs3cr3t@localhost:5432/testdb'"
        ),
        "{docs}"
    );
    assert!(docs.contains("`SENTRY_DSN`"), "{docs}");
    // No secret reference is copied into any file pybootstrap wrote.
    for path in [
        ".github/workflows/pybootstrap.yml",
        "docs/python-environment.md",
        "pybootstrap.toml",
    ] {
        assert!(!test.read(path).contains("secrets."), "{path}");
    }
    lint_workflow(&test);
    // regen reads the services again and finds the files current.
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn compose_services_reach_the_full_pipelines_of_both_providers() {
    let test = Test::new();
    flask_app(&test);
    test.write(
        "docker-compose.yml",
        "services:\n  app:\n    build: .\n    environment:\n      REDIS_URL: redis://cache:6379/0\n      DEBUG: \"1\"\n    depends_on: [cache]\n  cache:\n    image: redis:7-alpine\n  proxy:\n    image: nginx:1\n",
    );
    let output = init(&test, &["--set", "ci.providers=github,gitlab"]);
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(
        said.contains("note: the tests need Redis (`redis:7-alpine`) and these variables: `REDIS_URL`, as `docker-compose.yml` sets them"),
        "{said}"
    );
    let workflow = test.read(".github/workflows/pybootstrap.yml");
    let matrix = job(&workflow, "\n  test:");
    // On the runner the service publishes its port and is reached on localhost.
    assert!(
        matrix.contains("      REDIS_URL: \"redis://localhost:6379/0\"\n    services:\n      cache:\n        image: \"redis:7-alpine\"\n        ports:\n          - \"6379:6379\"\n"),
        "{matrix}"
    );
    assert!(!workflow.contains("nginx") && !workflow.contains("DEBUG"));
    let pep668 = job(&workflow, "\n  pep668:");
    assert!(
        pep668.contains("      REDIS_URL: \"redis://cache:6379/0\"\n"),
        "{pep668}"
    );
    lint_workflow(&test);
    let pipeline = test.read(".gitlab-ci.yml");
    let gitlab_test = job(&pipeline, "\ntest:");
    assert!(
        gitlab_test.contains("  variables:\n    REDIS_URL: \"redis://cache:6379/0\"\n  services:\n    - name: \"redis:7-alpine\"\n      alias: \"cache\"\n"),
        "{gitlab_test}"
    );
    assert!(job(&pipeline, "\npep668:").contains("alias: \"cache\""));
    lint_gitlab(&test, ".gitlab-ci.yml");
}

#[test]
fn a_gitlab_test_jobs_services_reach_the_included_pipeline() {
    let test = Test::new();
    flask_app(&test);
    test.write(
        ".gitlab-ci.yml",
        "stages: [test, deploy]\nvariables:\n  POSTGRES_DB: app\n  POSTGRES_PASSWORD: pw\n  DEPLOY_TOKEN: $DEPLOY_TOKEN\ntests:\n  stage: test\n  image: python:3.12\n  services:\n    - name: postgres:16\n      alias: db\n  variables:\n    DATABASE_URI: postgresql://postgres:pw@db/app\n  script:\n    - pip install -r requirements.txt\n    - pytest\ndeploy:\n  stage: deploy\n  services: [docker:dind]\n  script: [./deploy.sh]\n",
    );
    let output = init(&test, &[]);
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(
        said.contains("note: the tests need PostgreSQL (`postgres:16`) and these variables: `POSTGRES_DB`, `POSTGRES_PASSWORD`, `DATABASE_URI`, as the `tests` job of `.gitlab-ci.yml` sets them; not copied (a secret or a value set at run time): `DEPLOY_TOKEN`"),
        "{said}"
    );
    let pipeline = test.read(".gitlab/pybootstrap-ci.yml");
    let pep668 = job(&pipeline, "\npybootstrap-pep668:");
    assert!(
        pep668.contains("    DATABASE_URI: \"postgresql://postgres:pw@db/app\"\n  services:\n    - name: \"postgres:16\"\n      alias: \"db\"\n"),
        "{pep668}"
    );
    assert!(!pipeline.contains("DEPLOY_TOKEN") && !pipeline.contains("dind"));
    lint_gitlab(&test, ".gitlab/pybootstrap-ci.yml");
    let docs = test.read("docs/python-environment.md");
    assert!(
        docs.contains("export DATABASE_URI='postgresql://postgres:pw@localhost/app'"),
        "{docs}"
    );
}

fn django_site(test: &Test, settings: &str) {
    test.write("requirements.txt", "django\npsycopg\n");
    test.write(
        "manage.py",
        "import os, sys\nif __name__ == \"__main__\":\n    os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site_config.settings\")\n    from django.core.management import execute_from_command_line\n    execute_from_command_line(sys.argv)\n",
    );
    test.write("site_config/__init__.py", "");
    test.write("site_config/settings.py", settings);
    test.write("shop/__init__.py", "");
    test.write("shop/tests.py", "from django.test import TestCase\n");
}

#[test]
fn django_settings_on_postgres_need_it_and_on_sqlite_need_nothing() {
    let test = Test::new();
    django_site(
        &test,
        "DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",\n        \"NAME\": \"shop\",\n        \"USER\": \"shop\",\n        \"PASSWORD\": \"shop\",\n        \"HOST\": \"localhost\",\n        \"PORT\": \"5432\",\n    }\n}\n",
    );
    let output = init(&test, &[]);
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(
        said.contains("note: the tests need PostgreSQL (`postgres:17`), as the Django settings `site_config.settings` say; the settings connect to `localhost` itself, where a job in a container cannot reach a service"),
        "{said}"
    );
    let workflow = test.read(".github/workflows/pybootstrap.yml");
    assert!(
        job(&workflow, "\n  test:").contains("        env:\n          POSTGRES_USER: \"shop\"\n          POSTGRES_DB: \"shop\"\n          POSTGRES_PASSWORD: \"shop\"\n        ports:\n          - \"5432:5432\"\n"),
        "{workflow}"
    );
    // The PEP 668 job runs in a container, where `localhost` is not the database.
    assert!(!job(&workflow, "\n  pep668:").contains("services:"));
    lint_workflow(&test);

    let sqlite = Test::new();
    django_site(
        &sqlite,
        "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\", \"NAME\": \"db.sqlite3\"}}\n",
    );
    // A compose file's database is the deployment's, not the tests'.
    sqlite.write(
        "docker-compose.yml",
        "services:\n  db:\n    image: postgres:16\n",
    );
    let output = init(&sqlite, &[]);
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(!said.contains("the tests need"), "{said}");
    // The settings the test task names decide, whatever their module is called.
    let local = Test::new();
    django_site(
        &local,
        "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"HOST\": \"db\"}}\n",
    );
    local.write(
        "site_config/local.py",
        "from .settings import *  # noqa\nDATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\"}}\n",
    );
    local.write(
        "docker-compose.yml",
        "services:\n  db:\n    image: postgres:16\n",
    );
    let output = init(
        &local,
        &[
            "--set",
            "tasks.test=python manage.py test --settings=site_config.local",
        ],
    );
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(!said.contains("the tests need"), "{said}");
    assert!(
        !sqlite
            .read(".github/workflows/pybootstrap.yml")
            .contains("services:")
    );
    assert!(
        !sqlite
            .read("docs/python-environment.md")
            .contains("Services the tests need")
    );
}

#[test]
fn settings_reading_the_database_from_the_environment_get_the_services_values() {
    let test = Test::new();
    django_site(
        &test,
        "import environ\nenv = environ.Env()\nDATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql_psycopg2\",\n        \"NAME\": env(\"DB_NAME\"),\n        \"USER\": env(\"DB_USER\"),\n        \"PASSWORD\": env(\"DB_PASSWORD\"),\n        \"HOST\": env(\"DB_HOST\"),\n        \"PORT\": env.int(\"DB_PORT\"),\n    }\n}\n",
    );
    let output = init(&test, &[]);
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(
        said.contains("note: the tests need PostgreSQL (`postgres:17`), as the Django settings `site_config.settings` say; the variables they read get the values of the service pybootstrap starts: `DB_USER`, `DB_PASSWORD`, `DB_NAME`, `DB_HOST`, `DB_PORT`"),
        "{said}"
    );
    let workflow = test.read(".github/workflows/pybootstrap.yml");
    let matrix = job(&workflow, "\n  test:");
    assert!(
        matrix.contains("      DB_HOST: \"localhost\"\n"),
        "{matrix}"
    );
    // The user, password and database are named like the service, and are no host.
    assert!(
        matrix.contains(
            "      DB_USER: \"postgres\"\n      DB_PASSWORD: \"postgres\"\n      DB_NAME: \"postgres\"\n"
        ),
        "{matrix}"
    );
    assert!(matrix.contains("          POSTGRES_USER: \"postgres\"\n          POSTGRES_DB: \"postgres\"\n          POSTGRES_PASSWORD: \"postgres\"\n"), "{matrix}");
    assert!(job(&workflow, "\n  pep668:").contains("      DB_HOST: \"postgres\"\n"));
    lint_workflow(&test);
    let docs = test.read("docs/python-environment.md");
    assert!(
        docs.contains("export DB_HOST=localhost") || docs.contains("export DB_HOST='localhost'"),
        "{docs}"
    );
}

#[test]
fn a_database_elsewhere_is_named_and_not_started() {
    let test = Test::new();
    django_site(
        &test,
        "DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.mysql\",\n        \"NAME\": \"shop\",\n        \"HOST\": \"db.internal.example\",\n        \"OPTIONS\": {\"ssl\": {\"ca\": os.environ[\"DB_CA\"]}},\n    }\n}\n",
    );
    let output = init(&test, &[]);
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(
        said.contains("the tests need MySQL (`mysql:8.4`), as the Django settings `site_config.settings` say; nothing in the repository gives a value for `DB_CA`, `HOST`"),
        "{said}"
    );
    // pybootstrap's CI starts no database it cannot point the tests at.
    assert!(
        !test
            .read(".github/workflows/pybootstrap.yml")
            .contains("services:")
    );
    let docs = test.read("docs/python-environment.md");
    assert!(docs.contains("## Services the tests need"), "{docs}");
    assert!(docs.contains("`DB_CA`"), "{docs}");
}

#[test]
fn values_from_the_ci_are_escaped_for_every_file_they_land_in() {
    let test = Test::new();
    flask_app(&test);
    test.write(
        ".gitlab-ci.yml",
        "test`job:\n  services:\n    - name: redis:7\n      alias: cache\n    - name: \"postgres:16\\nscript: [evil]\"\n  variables:\n    QUOTED: \"it's \\\"quoted\\\" # not a comment: {x} [y] & *z\"\n    UNICODE: \"caf\u{e9} \\u2028 line\"\n    CACHE_URL: redis://cache:6379\n  script:\n    - pytest\n",
    );
    let output = init(&test, &["--set", "ci.providers=github,gitlab"]);
    let said = format!("{}{}", output.stdout, output.stderr);
    // The service whose image is no image is left out; the other one stays.
    assert!(said.contains("the tests need Redis (`redis:7`)"), "{said}");
    // A line separator is a control-like character YAML 1.1 reads as a line break: the
    // variable holding it is not copied.
    assert!(said.contains("`UNICODE`"), "{said}");
    let workflow = test.read(".github/workflows/pybootstrap.yml");
    assert!(
        workflow.contains("      QUOTED: \"it's \\\"quoted\\\" # not a comment: {x} [y] & *z\"\n"),
        "{workflow}"
    );
    assert!(!workflow.contains("evil"));
    lint_workflow(&test);
    let pipeline = test.read(".gitlab/pybootstrap-ci.yml");
    assert!(!pipeline.contains("evil"));
    lint_gitlab(&test, ".gitlab/pybootstrap-ci.yml");
    let docs = test.read("docs/python-environment.md");
    assert!(
        docs.contains("export QUOTED='it'\\''s \"quoted\" # not a comment: {x} [y] & *z'"),
        "{docs}"
    );
    // The job's name reaches the docs as a code span it cannot close early.
    assert!(docs.contains("``test`job``"), "{docs}");
}

#[test]
fn services_on_a_windows_runner_are_warned_about() {
    let test = Test::new();
    flask_app(&test);
    test.write("compose.yml", "services:\n  cache:\n    image: redis:7\n");
    let output = init(&test, &["--set", "ci.os=ubuntu-latest,windows-latest"]);
    let said = format!("{}{}", output.stdout, output.stderr);
    assert!(
        said.contains("warning: GitHub starts service containers on Linux runners only: the test job fails on windows-latest"),
        "{said}"
    );
    lint_workflow(&test);
}

/// A PostgreSQL server of this machine's, started for one test on a free port of
/// 127.0.0.1 (as `nobody`: the server refuses to run as root), stopped when dropped.
struct Postgres {
    pg_ctl: std::path::PathBuf,
    data: std::path::PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Postgres {
    fn start() -> Option<Self> {
        let pg_ctl = tool("pg_ctl")?;
        let setpriv = tool("setpriv")?;
        let bin = fs_err::canonicalize(&pg_ctl).ok()?.parent()?.to_path_buf();
        let dir = tempfile::Builder::new()
            .prefix("pybootstrap-pg-")
            .tempdir()
            .expect("a temp dir");
        fs_err::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let data = dir.path().join("data");
        fs_err::create_dir(&data).expect("data dir");
        let nobody = |program: &Path, args: &[&str]| {
            let output = Command::new(&setpriv)
                .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
                .arg(program)
                .args(args)
                .output()
                .expect("run as nobody");
            assert!(
                output.status.success(),
                "{} {args:?}: {output:?}",
                program.display()
            );
        };
        let chown = Command::new("chown")
            .args(["nobody:nogroup", data.to_str().expect("utf-8")])
            .status()
            .expect("chown");
        assert!(chown.success());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let data_arg = data.to_str().expect("utf-8");
        nobody(
            &bin.join("initdb"),
            &[
                "-D",
                data_arg,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
        );
        let options = format!("-p {port} -h 127.0.0.1 -k {data_arg}");
        nobody(
            &pg_ctl,
            &[
                "-D",
                data_arg,
                "-o",
                &options,
                "-w",
                "-l",
                &format!("{data_arg}/log"),
                "start",
            ],
        );
        Some(Self {
            pg_ctl,
            data,
            port,
            _dir: dir,
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = Command::new("setpriv")
            .args(["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"])
            .arg(&self.pg_ctl)
            .args([
                "-D",
                self.data.to_str().unwrap_or_default(),
                "-m",
                "immediate",
                "stop",
            ])
            .output();
    }
}

/// A test that speaks to the database `DATABASE_URI` names: PostgreSQL answers an
/// SSLRequest with one byte, `S` or `N`. Standard library only.
const DATABASE_TEST: &str = r#"import os
import socket
import struct
from urllib.parse import urlsplit


def test_the_database_answers():
    url = urlsplit(os.environ["DATABASE_URI"])
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(struct.pack("!ii", 8, 80877103))
        assert connection.recv(1) in (b"S", b"N")
"#;

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: starts PostgreSQL, builds a venv and runs the bootstrap"
)]
#[test]
fn the_docs_exports_point_make_test_at_a_real_database() {
    let Some(python) = crate::support::python("/usr/bin/python3") else {
        return;
    };
    let Some(postgres) = Postgres::start() else {
        return;
    };
    let port = postgres.port;
    let test = Test::new();
    test.write("requirements.txt", "pytest\n");
    test.write("tests/test_database.py", DATABASE_TEST);
    // The project's CI job runs on the runner and publishes the database on `port`.
    test.write(
        ".github/workflows/ci.yml",
        format!(
            "on: push\njobs:\n  tests:\n    runs-on: ubuntu-latest\n    services:\n      postgres:\n        image: postgres:15\n        env:\n          POSTGRES_PASSWORD: pw\n        ports:\n          - {port}:5432\n    env:\n      DATABASE_URI: postgresql://postgres:pw@localhost:{port}/postgres\n    steps:\n      - run: pip install -r requirements.txt && pytest\n"
        ),
    );
    init(&test, &[]);
    let docs = test.read("docs/python-environment.md");
    let exports: Vec<&str> = docs
        .lines()
        .filter(|line| line.starts_with("export "))
        .collect();
    assert_eq!(
        exports,
        [format!(
            "export DATABASE_URI='postgresql://postgres:pw@localhost:{port}/postgres'"
        )],
        "{docs}"
    );
    // The PEP 668 job runs beside the service, which it reaches by name on its own port.
    let workflow = test.read(".github/workflows/pybootstrap.yml");
    assert!(
        workflow
            .contains("      DATABASE_URI: \"postgresql://postgres:pw@postgres:5432/postgres\"\n"),
        "{workflow}"
    );
    let run = |script: &str| {
        let output = Command::new("sh")
            .args(["-c", script])
            .current_dir(test.path())
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", test.path())
            .env("PYTHON", &python)
            .env_remove("VIRTUAL_ENV")
            .env_remove("DATABASE_URI")
            .output()
            .expect("run sh");
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), printed)
    };
    let (built, printed) = run("sh scripts/bootstrap.sh");
    assert!(built, "{printed}");
    // Without the variables the tests cannot find the database; with the docs' lines,
    // `make test` reaches it.
    let (passed, printed) = run("make test");
    assert!(!passed && printed.contains("DATABASE_URI"), "{printed}");
    let (passed, printed) = run(&format!("{}\nmake test", exports.join("\n")));
    assert!(passed && printed.contains("1 passed"), "{printed}");
}
