//! Moving into a repo that already has CI, a Makefile and a CRLF checkout: every line the
//! user wrote stays, and every tool the repo had still runs without a new warning.

use std::path::Path;
use std::process::Command;

use crate::support::{Output, Test, tool};

const MAKEFILE: &str = ".PHONY: all test clean fmt\n\nall: test\n\ntest:\n\tpython -m pytest -q\n\nclean:\n\trm -rf build dist\n\nfmt:\n\tblack .\n";

const WORKFLOW: &str = "name: CI\non: [push, pull_request]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: read\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false\n      - run: python -m pip install -e . && python -m pytest\n";

fn init(test: &Test, extra: &[&str]) -> Output {
    let mut args = vec!["init", "--yes", "--set", "python.versions=3.11,3.12"];
    args.extend_from_slice(extra);
    test.run(&args)
}

/// `make -n TARGET` in `dir`: its stderr, which must hold no warning.
fn make_dry_run(dir: &Path, target: &str) -> String {
    let output = Command::new("make")
        .args(["-n", target])
        .current_dir(dir)
        .output()
        .expect("run make");
    assert!(output.status.success(), "make -n {target}: {output:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(output.status.success(), "git {args:?}: {output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn commit_all(dir: &Path) {
    git(dir, &["add", "-A"]);
    git(
        dir,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@e",
            "commit",
            "-qm",
            "x",
            "--no-verify",
        ],
    );
}

/// The lines `git diff` removed from the committed files: none may go.
fn removed_lines(dir: &Path) -> Vec<String> {
    removed_lines_in(dir, ".")
}

/// The lines `git diff` removed from the committed `path`.
fn removed_lines_in(dir: &Path, path: &str) -> Vec<String> {
    git(dir, &["diff", "--no-color", "-U0", "--", path])
        .lines()
        .filter(|line| line.starts_with('-') && !line.starts_with("---"))
        .map(str::to_string)
        .collect()
}

#[test]
fn a_makefile_with_test_clean_and_fmt_keeps_them_and_make_never_warns() {
    let test = Test::new();
    git(test.path(), &["init", "-q"]);
    test.write("Makefile", MAKEFILE);
    commit_all(test.path());
    let output = init(&test, &[]);
    output.assert_code(0);
    assert!(
        output.stdout.contains("merge block Makefile"),
        "{}",
        output.stdout
    );
    assert!(
        output.stderr.contains("`venv-test` for `test`")
            && output.stderr.contains("`venv-clean` for `clean`")
            && output.stderr.contains("`venv-fmt` for `fmt`"),
        "{}",
        output.stderr
    );
    assert_eq!(removed_lines(test.path()), Vec::<String>::new());
    let makefile = test.read("Makefile");
    assert!(makefile.starts_with(MAKEFILE), "{makefile}");
    for target in [
        "all",
        "test",
        "clean",
        "fmt",
        "bootstrap",
        "venv-test",
        "venv-fmt",
        "venv-clean",
        "doctor",
    ] {
        let stderr = make_dry_run(test.path(), target);
        assert!(!stderr.contains("warning"), "make -n {target}: {stderr}");
    }
    // The user's `test` recipe is the one make runs.
    let stderr = Command::new("make")
        .args(["-n", "test"])
        .current_dir(test.path())
        .output()
        .expect("make");
    assert_eq!(
        String::from_utf8_lossy(&stderr.stdout),
        "python -m pytest -q\n"
    );
    test.run(&["regen", "--check"]).assert_code(0);
    commit_all(test.path());
    // No linter is configured, so there is no lint target; the user's `fmt` recipe is
    // the format task.
    assert!(
        !makefile.contains("venv-lint") && makefile.contains("\t@$(PYBOOTSTRAP_RUN) black ."),
        "{makefile}"
    );
    test.run(&["regen", "--set", "tasks.fmt=black src"])
        .assert_code(0);
    assert_eq!(
        removed_lines_in(test.path(), "Makefile"),
        ["-\t@echo 'black .'", "-\t@$(PYBOOTSTRAP_RUN) black ."],
        "only the fmt recipe changes"
    );
    assert!(test.read("Makefile").starts_with(MAKEFILE));
    test.run(&["regen", "--set", "make.enabled=false"])
        .assert_code(0);
    assert_eq!(test.read("Makefile"), MAKEFILE);
}

/// A Makefile whose own `test` runs pytest through `python`, as many projects' do.
const OWN_TEST: &str = "test:\n\tpython -m pytest -q tests\n";

/// `make ARGS` in `dir` with only the system's directories on `PATH` (plus `variables`).
pub(crate) fn make_in(dir: &Path, args: &[&str], variables: &[(&str, &Path)]) -> Output {
    let output = Command::new("make")
        .args(args)
        .current_dir(dir)
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", dir)
        .env_remove("VIRTUAL_ENV")
        .env_remove("PYTHON")
        .env_remove("MAKEFLAGS")
        .env_remove("PIP_CONFIG_FILE")
        .env_remove("PIP_REQUIRE_VIRTUALENV")
        .envs(variables.iter().copied())
        .output()
        .expect("run make");
    Output {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn the_users_own_test_target_runs_inside_the_env() {
    let test = Test::new();
    test.write("Makefile", OWN_TEST);
    let output = init(&test, &[]);
    output.assert_code(0);
    // What init read, with where from, before it wrote.
    assert!(
        output.stderr.contains(
            "  tasks.test = python -m pytest -q tests   (from the `test` target of the Makefile)"
        ) && output.stderr.contains(
            "  deps.tools = pytest   (from what tasks.test runs: no dependency installs it)"
        ),
        "{}",
        output.stderr
    );
    // The last line names the targets as they are now: the user's `test`, and
    // pybootstrap's beside it.
    let last = output.stdout.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.ends_with(
            "then `make bootstrap test` (your own `test` target, run inside the environment) or `make venv-test`"
        ),
        "{last}"
    );
    for target in ["test", "bootstrap", "venv-test", "doctor", "clean"] {
        let stderr = make_dry_run(test.path(), target);
        assert!(!stderr.contains("warning"), "make -n {target}: {stderr}");
    }
    // The user's recipe finds the environment's `python`: a stand-in says where it runs.
    test.write(
        ".venv/bin/python",
        "#!/bin/sh\necho \"env python $* VIRTUAL_ENV=$VIRTUAL_ENV\"\n",
    );
    let script = test.path().join(".venv/bin/python");
    let mut permissions = std::fs::metadata(&script).expect("meta").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&script, permissions).expect("chmod");
    let run = make_in(test.path(), &["-s", "test"], &[]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        format!(
            "env python -m pytest -q tests VIRTUAL_ENV={}/.venv\n",
            test.path().display()
        )
    );
    // Opting out leaves the user's recipes as they were.
    test.run(&["regen", "--set", "make.export_env=false"])
        .assert_code(0);
    let makefile = test.read("Makefile");
    assert!(!makefile.contains("export VIRTUAL_ENV"), "{makefile}");
    let run = make_in(test.path(), &["-s", "test"], &[]);
    assert!(!run.stdout.contains("env python"), "{run:?}");
}

/// The pip cache the tests that install from the package index share, and this machine's
/// CA bundle for pip.
fn index_variables() -> Vec<(&'static str, std::path::PathBuf)> {
    let mut variables = vec![(
        "XDG_CACHE_HOME",
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("lock-tools-cache"),
    )];
    let bundle = Path::new("/etc/ssl/certs/ca-certificates.crt");
    if bundle.is_file() {
        variables.push(("PIP_CERT", bundle.to_path_buf()));
    }
    variables
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and installs pytest from the package index"
)]
#[test]
fn make_bootstrap_test_runs_the_users_recipe_inside_the_env() {
    let Some(_) = crate::support::python("/usr/bin/python3") else {
        return;
    };
    let test = Test::new();
    test.write("Makefile", OWN_TEST);
    test.write(
        "tests/test_where.py",
        "import sys\n\n\ndef test_runs_inside_the_env():\n    assert sys.prefix != sys.base_prefix\n",
    );
    init(&test, &[]).assert_code(0);
    let variables = index_variables();
    let borrowed: Vec<(&str, &Path)> = variables
        .iter()
        .map(|(name, value)| (*name, value.as_path()))
        .collect();
    let run = make_in(test.path(), &["bootstrap", "test"], &borrowed);
    run.assert_code(0);
    assert!(run.stdout.contains("1 passed"), "{run:?}");
    assert!(!run.stderr.contains("No such file"), "{run:?}");
}

#[test]
fn tasks_echo_their_command_not_the_path_prefix() {
    let test = Test::new();
    init(&test, &["--set", "tasks.test=pytest -x"]).assert_code(0);
    let makefile = test.read("Makefile");
    assert!(
        makefile.contains("\t@echo 'pytest -x'\n\t@$(PYBOOTSTRAP_RUN) pytest -x\n"),
        "{makefile}"
    );
}

#[test]
fn a_repo_whose_ci_tests_python_gets_only_the_complement() {
    let test = Test::new();
    git(test.path(), &["init", "-q"]);
    test.write(".github/workflows/ci.yml", WORKFLOW);
    commit_all(test.path());
    let output = init(&test, &[]);
    output.assert_code(0);
    assert!(
        output.stderr.contains(
            "note: CI: `.github/workflows/ci.yml` already runs the tests; pybootstrap's pipeline holds only the contributor bootstrap and the PEP 668 job"
        ),
        "{}",
        output.stderr
    );
    assert_eq!(test.read(".github/workflows/ci.yml"), WORKFLOW);
    assert_eq!(removed_lines(test.path()), Vec::<String>::new());
    let ours = test.read(".github/workflows/pybootstrap.yml");
    assert!(
        ours.contains("name: pybootstrap\n") && ours.contains("  bootstrap:\n"),
        "{ours}"
    );
    assert!(
        !ours.contains("  test:\n") && !ours.contains("- \"3.11\""),
        "{ours}"
    );
    if let Some(actionlint) = tool("actionlint") {
        let status = Command::new(actionlint)
            .current_dir(test.path())
            .status()
            .expect("actionlint");
        assert!(status.success());
    }
    test.run(&["regen", "--check"]).assert_code(0);

    // The repo drops its own CI: the next regen brings the whole pipeline back.
    std::fs::remove_file(test.path().join(".github/workflows/ci.yml")).expect("remove");
    test.run(&["regen", "--check"]).assert_code(1);
    test.run(&["regen"]).assert_code(0);
    let full = test.read(".github/workflows/pybootstrap.yml");
    assert!(
        full.contains("  test:\n") && full.contains("- \"3.11\""),
        "{full}"
    );
}

#[test]
fn a_repo_without_ci_gets_the_full_workflow() {
    let test = Test::new();
    init(&test, &[]).assert_code(0);
    let ours = test.read(".github/workflows/pybootstrap.yml");
    assert!(
        ours.contains("name: CI\n") && ours.contains("  test:\n"),
        "{ours}"
    );
}

#[test]
fn a_crlf_checkout_keeps_the_scripts_lf_and_regen_check_clean() {
    let test = Test::new();
    let origin = test.path().join("origin");
    std::fs::create_dir_all(&origin).expect("mkdir");
    git(&origin, &["init", "-q"]);
    test.write("origin/.gitattributes", "*.txt text\n");
    let output = test.run_in(
        "origin",
        &[
            "init",
            "--yes",
            "--set",
            "python.versions=3.11",
            "--set",
            "tasks.lint=ruff check .",
            "--set",
            "tasks.fmt=ruff format .",
        ],
    );
    output.assert_code(0);
    let attributes = test.read("origin/.gitattributes");
    assert!(
        attributes.starts_with("*.txt text\n")
            && attributes.contains("/scripts/bootstrap.sh text eol=lf\n"),
        "{attributes}"
    );
    commit_all(&origin);
    git(
        test.path(),
        &["-c", "core.autocrlf=true", "clone", "-q", "origin", "clone"],
    );
    let clone = test.path().join("clone");
    git(&clone, &["config", "core.autocrlf", "true"]);
    assert!(
        test.read("clone/Makefile").contains("\r\n"),
        "a CRLF checkout"
    );
    assert!(!test.read("clone/scripts/bootstrap.sh").contains('\r'));
    test.run_in("clone", &["regen", "--check"]).assert_code(0);
    test.run_in("clone", &["lint"]).assert_code(0);
    for target in ["bootstrap", "test", "lint", "fmt", "clean", "doctor"] {
        let stderr = make_dry_run(&clone, target);
        assert!(!stderr.contains("warning"), "make -n {target}: {stderr}");
    }
    if let Some(python) = crate::support::python("/usr/bin/python3") {
        let status = Command::new("sh")
            .arg("scripts/bootstrap.sh")
            .current_dir(&clone)
            .env("PYTHON", python)
            .env_remove("VIRTUAL_ENV")
            .status()
            .expect("sh");
        assert!(status.success(), "the bootstrap runs on a CRLF checkout");
    }
}

/// Runs a docs build in `dir`, which must pass without a warning-turned-error.
fn docs_build(dir: &Path, tool_name: &str, args: &[&str]) {
    let Some(tool) = tool(tool_name) else {
        return;
    };
    let output = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run the docs build");
    assert!(
        output.status.success(),
        "{tool_name} {args:?}\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_sphinx_tree_still_builds_with_warnings_as_errors() {
    let test = Test::new();
    test.write(
        "docs/conf.py",
        "project = 'demo'\nextensions = ['myst_parser']\nsource_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}\nexclude_patterns = ['_build']\n",
    );
    test.write(
        "docs/index.rst",
        "Demo\n====\n\n.. toctree::\n   :maxdepth: 1\n\n   usage\n",
    );
    test.write("docs/usage.md", "# Usage\n\nRun it.\n");
    let output = init(&test, &[]);
    output.assert_code(0);
    assert!(
        test.path().join("python-environment.md").is_file(),
        "{}",
        output.stdout
    );
    assert!(!test.path().join("docs/python-environment.md").exists());
    docs_build(
        test.path(),
        "sphinx-build",
        &["-W", "-q", "-b", "html", "docs", "docs/_build"],
    );
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn an_mkdocs_site_still_builds_strict() {
    let test = Test::new();
    test.write("mkdocs.yml", "site_name: demo\nnav:\n  - Home: index.md\n");
    test.write("docs/index.md", "# Demo\n\nHello.\n");
    init(&test, &[]).assert_code(0);
    assert!(test.path().join("python-environment.md").is_file());
    docs_build(
        test.path(),
        "mkdocs",
        &["build", "--strict", "--quiet", "--site-dir", "site"],
    );
    test.run(&["regen", "--check"]).assert_code(0);
}

const GITLAB_ROOT: &str = "stages:\n  - build\n  - check\n\ninclude:\n  - template: Security/SAST.gitlab-ci.yml\n\nvariables:\n  GIT_DEPTH: \"10\"\n\n.defaults: &defaults\n  image: python:3.12\n  before_script:\n    - python -m pip install -e .\n\nbuild:\n  stage: build\n  script:\n    - python -m build\n\ntest:\n  <<: *defaults\n  stage: check\n  script:\n    - python -m pytest\n";

#[test]
fn a_gitlab_root_file_keeps_every_line_and_includes_pybootstraps_pipeline() {
    let test = Test::new();
    git(test.path(), &["init", "-q"]);
    test.write(".gitlab-ci.yml", GITLAB_ROOT);
    commit_all(test.path());
    let output = init(&test, &[]);
    output.assert_code(0);
    assert!(
        output.stdout.contains("merge block .gitlab-ci.yml"),
        "{}",
        output.stdout
    );
    assert_eq!(removed_lines(test.path()), Vec::<String>::new());
    let root = test.read(".gitlab-ci.yml");
    assert!(
        root.contains("include:\n# >>> pybootstrap >>>")
            && root.contains("  - local: .gitlab/pybootstrap-ci.yml\n# <<< pybootstrap <<<\n  - template: Security/SAST.gitlab-ci.yml\n"),
        "{root}"
    );
    let ours = test.read(".gitlab/pybootstrap-ci.yml");
    // Nothing that would change the project's own jobs or stages, no job name of theirs,
    // a stage their pipeline has, and no second run of their tests.
    assert!(
        !ours.contains("\nstages:") && !ours.contains("\nvariables:"),
        "{ours}"
    );
    assert!(
        ours.contains("\npybootstrap-bootstrap:\n") && ours.contains("\npybootstrap-pep668:\n"),
        "{ours}"
    );
    assert!(
        !ours.contains("\ntest:") && ours.contains("stage: \"check\""),
        "{ours}"
    );
    gitlab_schema(test.path());
    test.run(&["regen", "--check"]).assert_code(0);
    commit_all(test.path());

    // An answer change re-renders pybootstrap's file; the root file is not touched.
    test.run(&["regen", "--set", "env.backend=virtualenv"])
        .assert_code(0);
    assert_eq!(
        removed_lines_in(test.path(), ".gitlab-ci.yml"),
        Vec::<String>::new()
    );
    test.run(&["regen", "--check"]).assert_code(0);

    // Dropping GitLab removes the block and the file; every user line stays.
    test.run(&["regen", "--set", "ci.providers=github"])
        .assert_code(0);
    assert_eq!(test.read(".gitlab-ci.yml"), GITLAB_ROOT);
    assert!(!test.path().join(".gitlab/pybootstrap-ci.yml").exists());
}

#[test]
fn a_gitlab_root_without_include_gets_one_and_an_inline_include_is_left_to_the_user() {
    let test = Test::new();
    let root = "build:\n  script:\n    - make\n";
    test.write(".gitlab-ci.yml", root);
    init(&test, &[]).assert_code(0);
    let written = test.read(".gitlab-ci.yml");
    assert!(written.starts_with(root), "{written}");
    assert!(
        written.contains("include:\n  - local: .gitlab/pybootstrap-ci.yml\n"),
        "{written}"
    );
    // Their root file runs no Python tests: the whole pipeline, under its own names.
    let ours = test.read(".gitlab/pybootstrap-ci.yml");
    assert!(ours.contains("\npybootstrap-test:\n"), "{ours}");

    let inline = Test::new();
    let root = "include: ci/shared.yml\nbuild:\n  script: [make]\n";
    inline.write(".gitlab-ci.yml", root);
    let output = init(&inline, &[]);
    output.assert_code(0);
    assert_eq!(inline.read(".gitlab-ci.yml"), root);
    assert!(inline.path().join(".gitlab/pybootstrap-ci.yml").is_file());
    assert!(
        output
            .stderr
            .contains("add `- local: .gitlab/pybootstrap-ci.yml`"),
        "{}",
        output.stderr
    );
    inline.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn the_plan_lists_the_lock_and_a_no_op_regen_writes_and_says_nothing() {
    let test = Test::new();
    let dry = init(&test, &["--dry-run"]);
    dry.assert_code(0);
    assert!(
        dry.stdout.contains("create pybootstrap.lock"),
        "{}",
        dry.stdout
    );
    init(&test, &[]).assert_code(0);
    let lock = test.path().join("pybootstrap.lock");
    let modified = || {
        std::fs::metadata(&lock)
            .and_then(|m| m.modified())
            .expect("mtime")
    };
    let before = modified();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let regen = test.run(&["regen"]);
    regen.assert_code(0);
    assert_eq!(regen.stdout, "", "a regen with nothing to change");
    assert_eq!(modified(), before, "the lock is not rewritten");
    let change = test.run(&["regen", "--set", "tasks.lint=ruff check src"]);
    change.assert_code(0);
    assert!(
        change.stdout.contains("update pybootstrap.lock"),
        "{}",
        change.stdout
    );
}

/// A workflow whose one job runs `steps` (YAML list items, indented for a step) after the
/// checkout, the shape actionlint and zizmor accept.
fn workflow(name: &str, steps: &str) -> String {
    format!(
        "name: {name}\non: [push, pull_request]\npermissions: {{}}\njobs:\n  main:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: read\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false\n{steps}"
    )
}

/// A test script in the shape of encode/httpx's `scripts/test`: the runner is in the
/// script, not in the workflow.
const TEST_SCRIPT: &str = "#!/bin/sh -e\n\nexport PREFIX=\"\"\nif [ -d 'venv' ] ; then\n    export PREFIX=\"venv/bin/\"\nfi\n\nset -x\n${PREFIX}coverage run -m pytest \"$@\"\n";

/// actionlint over every workflow in `dir`, when it is installed (required under `CI=1`).
/// GitLab's schema on the root file and pybootstrap's included pipeline.
fn gitlab_schema(dir: &Path) {
    if let Some(check) = tool("check-jsonschema") {
        let status = Command::new(check)
            .args([
                "--builtin-schema",
                "vendor.gitlab-ci",
                ".gitlab-ci.yml",
                ".gitlab/pybootstrap-ci.yml",
            ])
            .current_dir(dir)
            .status()
            .expect("check-jsonschema");
        assert!(status.success());
    }
}

fn actionlint(dir: &Path) {
    if let Some(actionlint) = tool("actionlint") {
        // Named one by one: with no `.git` actionlint finds no project to search.
        let mut workflows: Vec<String> = std::fs::read_dir(dir.join(".github/workflows"))
            .expect("the workflows")
            .map(|entry| {
                let name = entry.expect("an entry").file_name();
                format!(".github/workflows/{}", name.to_string_lossy())
            })
            .collect();
        workflows.sort();
        let output = Command::new(actionlint)
            .args(&workflows)
            .current_dir(dir)
            .output()
            .expect("actionlint");
        assert!(
            output.status.success(),
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// Whether pybootstrap's workflow in `test` is the complement (the repo's CI runs the
/// tests) rather than the whole pipeline.
fn complement(test: &Test) -> bool {
    let ours = test.read(".github/workflows/pybootstrap.yml");
    let reduced = ours.contains("name: pybootstrap\n");
    assert_eq!(
        reduced,
        !ours.contains("\n  test:\n"),
        "one of the two shapes: {ours}"
    );
    reduced
}

#[test]
fn a_repo_testing_through_its_own_scripts_targets_or_runners_gets_the_complement() {
    type Row<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)], bool);
    let makefile = ".PHONY: test ci docs\n\ntest:\n\tscripts/test\n\nci: install\n\tpython -m pytest --junitxml=report.xml\n\ninstall:\n\tpython -m pip install -e .\n\ndocs:\n\tsphinx-build -W docs docs/_build\n";
    let docs_steps = "      - run: python -m pip install -r docs/requirements.txt\n      - run: make docs\n      - run: mkdocs build --strict\n";
    let rows: &[Row<'_>] = &[
        // encode/httpx: the workflow runs `scripts/install` and `scripts/test`.
        (
            "scripts/test",
            "      - run: \"scripts/install\"\n      - run: \"scripts/test\"\n",
            &[
                ("scripts/test", TEST_SCRIPT),
                ("scripts/install", "#!/bin/sh -e\npip install -e .\n"),
            ],
            true,
        ),
        // A target whose name says nothing; its recipe runs pytest.
        (
            "make ci",
            "      - run: make ci\n",
            &[("Makefile", makefile)],
            true,
        ),
        (
            "make test",
            "      - run: make test\n",
            &[("Makefile", makefile), ("scripts/test", TEST_SCRIPT)],
            true,
        ),
        (
            "tox",
            "      - run: python -m pip install tox\n      - run: tox\n",
            &[],
            true,
        ),
        ("nox", "      - run: pipx run nox -s tests\n", &[], true),
        // A script in a subdirectory, run from there (fastapi's project template).
        (
            "working-directory",
            "      - run: bash scripts/tests-start.sh\n        working-directory: backend\n",
            &[
                (
                    "backend/scripts/tests-start.sh",
                    "#!/usr/bin/env bash\nset -e\nbash scripts/test.sh \"$@\"\n",
                ),
                ("backend/scripts/test.sh", TEST_SCRIPT),
            ],
            true,
        ),
        // Only the docs are built: the repo's tests run nowhere yet.
        ("docs only", docs_steps, &[("Makefile", makefile)], false),
        // The script exists but runs no tests.
        (
            "scripts/lint",
            "      - run: scripts/lint\n",
            &[("scripts/lint", "#!/bin/sh -e\nruff check .\nmypy src\n")],
            false,
        ),
    ];
    for (case, steps, files, expected) in rows {
        let test = Test::new();
        test.write(".github/workflows/own.yml", workflow("Own", steps));
        for (path, text) in *files {
            test.write(path, text);
        }
        init(&test, &[]).assert_code(0);
        assert_eq!(complement(&test), *expected, "{case}");
        actionlint(test.path());
        test.run(&["regen", "--check"]).assert_code(0);
    }
}

#[test]
fn a_repo_that_adds_its_own_test_workflow_later_gets_the_complement_at_the_next_regen() {
    let test = Test::new();
    test.write("scripts/test", TEST_SCRIPT);
    init(&test, &[]).assert_code(0);
    assert!(!complement(&test));
    test.run(&["regen", "--check"]).assert_code(0);

    test.write(
        ".github/workflows/ci.yml",
        workflow("Test Suite", "      - run: scripts/test\n"),
    );
    test.run(&["regen", "--check"]).assert_code(1);
    let regen = test.run(&["regen"]);
    regen.assert_code(0);
    assert!(
        regen
            .stdout
            .contains("update .github/workflows/pybootstrap.yml"),
        "{}",
        regen.stdout
    );
    assert!(complement(&test));
    actionlint(test.path());
    test.run(&["regen", "--check"]).assert_code(0);

    // And back: without its own workflow the repo gets the whole pipeline again.
    std::fs::remove_file(test.path().join(".github/workflows/ci.yml")).expect("remove");
    test.run(&["regen"]).assert_code(0);
    assert!(!complement(&test));
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn targets_of_included_makefiles_are_the_users_too() {
    let test = Test::new();
    git(test.path(), &["init", "-q"]);
    let makefile =
        "include common.mk\n-include local.mk\nsinclude mk/*.mk\n\n.PHONY: all\nall: test\n";
    test.write("Makefile", makefile);
    test.write("common.mk", ".PHONY: test\ntest:\n\tpython -m pytest -q\n");
    test.write("mk/clean.mk", ".PHONY: clean\nclean:\n\trm -rf build\n");
    commit_all(test.path());
    let output = init(&test, &[]);
    output.assert_code(0);
    assert!(
        output.stderr.contains("`venv-test` for `test`")
            && output.stderr.contains("`venv-clean` for `clean`")
            && !output.stderr.contains("for `fmt`"),
        "{}",
        output.stderr
    );
    assert_eq!(removed_lines(test.path()), Vec::<String>::new());
    let written = test.read("Makefile");
    assert!(written.starts_with(makefile), "{written}");
    assert!(
        written.contains("\nvenv-test:") && !written.contains("\ntest:"),
        "{written}"
    );
    for target in [
        "all",
        "test",
        "clean",
        "venv-test",
        "venv-clean",
        "bootstrap",
        "doctor",
    ] {
        let stderr = make_dry_run(test.path(), target);
        assert!(!stderr.contains("warning"), "make -n {target}: {stderr}");
    }
    test.run(&["regen", "--check"]).assert_code(0);

    // The included file drops its `clean`: pybootstrap's takes the name back.
    test.write("mk/clean.mk", "");
    test.run(&["regen"]).assert_code(0);
    let written = test.read("Makefile");
    assert!(
        written.contains("\nclean:") && written.contains("\nvenv-test:"),
        "{written}"
    );
    assert!(!make_dry_run(test.path(), "clean").contains("warning"));
}

#[test]
fn init_dry_run_in_a_mature_repo_reads_as_a_plan() {
    let test = Test::new();
    test.write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\n\n[project.optional-dependencies]\ntest = [\"pytest\"]\n",
    );
    test.write("src/demo/__init__.py", "");
    test.write("tests/test_demo.py", "def test_demo():\n    pass\n");
    test.write(
        ".github/workflows/test-suite.yml",
        workflow("Test Suite", "      - run: scripts/test\n"),
    );
    test.write("scripts/test", TEST_SCRIPT);
    test.write("Makefile", MAKEFILE);
    test.write("docs/conf.py", "project = 'demo'\n");
    test.write("docs/index.rst", "Demo\n====\n\n.. toctree::\n\n   usage\n");
    test.write("docs/usage.rst", "Usage\n=====\n");
    test.write(".gitattributes", "*.png binary\n");
    let output = init(&test, &["--dry-run"]);
    output.assert_code(0);
    insta::assert_snapshot!(
        "existing_mature_repo_dry_run",
        format!("{}\n--- stderr\n{}", output.stdout, output.stderr)
    );
    // Every row's path starts in the same column, after the longest action word.
    let width = "merge block".len();
    for line in output.stdout.lines() {
        let (action, rest) = line.split_at(width);
        assert!(
            !action.ends_with(' ') && rest.starts_with(' ') && !rest[1..].starts_with(' '),
            "{}",
            output.stdout
        );
    }
}

#[test]
fn a_gitlab_root_testing_through_a_make_target_gets_only_the_complement() {
    let test = Test::new();
    let root = "stages:\n  - build\n  - check\n\nunit:\n  stage: check\n  image: python:3.12\n  script:\n  - python -m pip install -e .\n  - make check\n";
    test.write(".gitlab-ci.yml", root);
    test.write("Makefile", ".PHONY: check\ncheck:\n\tpython -m pytest -q\n");
    init(&test, &["--set", "ci.providers=gitlab"]).assert_code(0);
    assert!(test.read(".gitlab-ci.yml").starts_with(root));
    let ours = test.read(".gitlab/pybootstrap-ci.yml");
    assert!(
        !ours.contains("\npybootstrap-test:") && ours.contains("\npybootstrap-bootstrap:\n"),
        "{ours}"
    );
    gitlab_schema(test.path());
    test.run(&["regen", "--check"]).assert_code(0);
}
