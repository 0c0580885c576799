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
    init(&test, &[]).assert_code(0);
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
    if let Some(check) = tool("check-jsonschema") {
        let status = Command::new(check)
            .args([
                "--builtin-schema",
                "vendor.gitlab-ci",
                ".gitlab-ci.yml",
                ".gitlab/pybootstrap-ci.yml",
            ])
            .current_dir(test.path())
            .status()
            .expect("check-jsonschema");
        assert!(status.success());
    }
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
