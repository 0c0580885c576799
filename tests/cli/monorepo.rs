//! Python projects below the root of their git repository (a web monorepo's `backend/`, a
//! uv workspace member): the bootstrap goes beside the project, its CI to the repository
//! root (the only place GitHub and GitLab read pipelines), running in the project's
//! directory; several projects each get their own.

use std::path::Path;
use std::process::Command;

use crate::support::{Output, Test, tool};

/// A web monorepo's shape: a Python service in `backend/`, a JavaScript app in
/// `frontend/` with its own workflow, nothing Python at the top.
fn web_monorepo() -> Test {
    let test = Test::new();
    git_init(test.path());
    test.write("README.md", "# shop\n");
    test.write(
        "backend/pyproject.toml",
        "[project]\nname = \"shop-api\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"iniconfig\"]\n\n[dependency-groups]\ntest = [\"pytest>=8\"]\n\n[tool.uv]\npackage = false\n",
    );
    test.write("backend/app/__init__.py", "");
    test.write(
        "backend/tests/test_health.py",
        "def test_health():\n    assert True\n",
    );
    test.write(
        "frontend/package.json",
        "{\"name\": \"shop-web\", \"scripts\": {\"test\": \"vitest\"}}\n",
    );
    test.write(
        ".github/workflows/frontend.yml",
        "name: frontend\non: [push, pull_request]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: read\n    defaults:\n      run:\n        working-directory: frontend\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false\n      - run: npm ci && npm test\n",
    );
    test
}

fn git_init(dir: &Path) {
    let status = Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir)
        .status()
        .expect("git init");
    assert!(status.success());
}

/// actionlint over every workflow at the repository root of `test`.
fn actionlint(test: &Test) {
    let Some(actionlint) = tool("actionlint") else {
        return;
    };
    let mut workflows: Vec<String> = fs_err::read_dir(test.path().join(".github/workflows"))
        .expect("the workflows")
        .map(|entry| {
            let name = entry.expect("an entry").file_name();
            format!(".github/workflows/{}", name.to_string_lossy())
        })
        .collect();
    workflows.sort();
    let output = Command::new(actionlint)
        .args(&workflows)
        .current_dir(test.path())
        .output()
        .expect("actionlint");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn init_yes(test: &Test, dir: &str, extra: &[&str]) -> Output {
    let mut args = vec!["init", "--yes", "--set", "python.versions=3.11,3.12"];
    args.extend_from_slice(extra);
    test.run_in(dir, &args)
}

/// The backend's workflow: at the root, named for it, run inside it and only for it.
fn assert_backend_workflow(test: &Test) {
    assert!(
        !test.path().join("backend/.github").exists(),
        "GitHub never runs a workflow under backend/"
    );
    let workflow = test.read(".github/workflows/pybootstrap-backend.yml");
    for line in [
        "working-directory: \"backend\"",
        "- \"backend/**\"",
        "- \".github/workflows/pybootstrap-backend.yml\"",
        "run: sh scripts/bootstrap.sh",
        "          cache-dependency-path: |\n            backend/",
    ] {
        assert!(workflow.contains(line), "`{line}` missing:\n{workflow}");
    }
    assert!(
        !test
            .path()
            .join(".github/workflows/pybootstrap.yml")
            .exists()
    );
    // The PEP 668 job installs its Python before the checkout, where `backend/` is not
    // there yet: only the steps after it run inside.
    let pep668 = workflow
        .split("\n  pep668:\n")
        .nth(1)
        .expect("a PEP 668 job");
    assert!(!pep668.contains("defaults:"), "{pep668}");
    assert_eq!(
        pep668.matches("working-directory: \"backend\"").count(),
        2,
        "{pep668}"
    );
    actionlint(test);
}

#[test]
fn init_at_a_monorepo_root_sets_up_the_one_project_below_it() {
    let test = web_monorepo();
    let output = init_yes(&test, ".", &[]);
    output.assert_code(0);
    assert!(
        output
            .stderr
            .contains("setting up `backend/`, the one below it"),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stdout
            .contains("next: cd backend && ./scripts/bootstrap.sh"),
        "{}",
        output.stdout
    );
    for file in [
        "pybootstrap.toml",
        "scripts/bootstrap.sh",
        "Makefile",
        "docs/python-environment.md",
    ] {
        assert!(
            test.path().join("backend").join(file).is_file(),
            "backend/{file}"
        );
        assert!(!test.path().join(file).exists(), "{file} at the root");
    }
    assert_backend_workflow(&test);
    // The frontend's workflow is the user's, untouched.
    assert!(
        test.read(".github/workflows/frontend.yml")
            .starts_with("name: frontend")
    );
    test.run_in("backend", &["regen", "--check"]).assert_code(0);
    // From anywhere inside the project too.
    test.run_in("backend/app", &["regen", "--check"])
        .assert_code(0);
}

#[test]
fn init_inside_the_subdirectory_writes_its_ci_at_the_root() {
    let test = web_monorepo();
    init_yes(&test, "backend", &[]).assert_code(0);
    assert_backend_workflow(&test);
    let lock = test.read("backend/pybootstrap.lock");
    assert!(
        lock.contains("../.github/workflows/pybootstrap-backend.yml"),
        "{lock}"
    );
}

#[test]
fn gitlab_jobs_of_a_subdirectory_project_cd_into_it() {
    let test = web_monorepo();
    init_yes(&test, "backend", &["--set", "ci.providers=gitlab"]).assert_code(0);
    assert!(!test.path().join("backend/.gitlab-ci.yml").exists());
    let pipeline = test.read(".gitlab-ci.yml");
    for line in [
        "\nbackend-test:\n",
        "    - \"cd 'backend'\"\n    - sh scripts/bootstrap.sh\n",
        "        - \"backend/**\"\n",
        "        - \"backend/pyproject.toml\"\n",
    ] {
        assert!(pipeline.contains(line), "`{line}` missing:\n{pipeline}");
    }
    if let Some(check) = tool("check-jsonschema") {
        let status = Command::new(check)
            .args(["--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml"])
            .current_dir(test.path())
            .status()
            .expect("check-jsonschema");
        assert!(status.success());
    }
    test.run_in("backend", &["regen", "--check"]).assert_code(0);
}

#[test]
fn several_projects_are_named_and_each_is_set_up_on_its_own() {
    let test = web_monorepo();
    test.write("services/worker/requirements.txt", "iniconfig\npytest\n");
    test.write(
        "services/worker/tests/test_jobs.py",
        "def test_jobs():\n    pass\n",
    );
    let output = init_yes(&test, ".", &[]);
    output.assert_code(1);
    assert!(
        output
            .stderr
            .contains("2 below it are: `backend`, `services/worker`; nothing was written")
            && output.stderr.contains("`pybootstrap init backend`"),
        "{}",
        output.stderr
    );
    assert!(!test.path().join("backend/pybootstrap.toml").exists());
    assert!(!test.path().join("pybootstrap.toml").exists());
    init_yes(&test, ".", &["backend"]).assert_code(0);
    // `init DIR` from the root; each project its own environment, answers and workflow.
    let worker = test.run(&["init", "--yes", "services/worker"]);
    worker.assert_code(0);
    assert!(
        test.path()
            .join("services/worker/pybootstrap.toml")
            .is_file()
    );
    let workflow = test.read(".github/workflows/pybootstrap-services-worker.yml");
    assert!(
        workflow.contains("working-directory: \"services/worker\""),
        "{workflow}"
    );
    assert!(workflow.contains("- \"services/worker/**\""), "{workflow}");
    assert_backend_workflow(&test);
    test.run_in("services/worker", &["regen", "--check"])
        .assert_code(0);
    test.run_in("backend", &["regen", "--check"]).assert_code(0);
}

#[test]
fn a_uv_workspace_member_installs_from_the_root_lock() {
    let test = Test::new();
    git_init(test.path());
    // A virtual workspace root: no project of its own, one lock for its members.
    test.write(
        "pyproject.toml",
        "[dependency-groups]\ndev = [\"typer\"]\n\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
    );
    test.write("uv.lock", "version = 1\nrequires-python = \">=3.11\"\n");
    test.write(
        "packages/api/pyproject.toml",
        "[project]\nname = \"api\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\n\n[dependency-groups]\ntest = [\"pytest\"]\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    );
    test.write(
        "packages/api/tests/test_api.py",
        "def test_api():\n    pass\n",
    );
    let output = init_yes(&test, ".", &["--set", "ci.providers=github,gitlab"]);
    output.assert_code(0);
    assert!(
        output.stderr.contains("setting up `packages/api/`"),
        "{}",
        output.stderr
    );
    // GitLab's cache is keyed on the member's files from the root, and the root's lock.
    let pipeline = test.read(".gitlab-ci.yml");
    assert!(
        pipeline.contains("        - \"packages/api/pyproject.toml\"\n        - \"uv.lock\"\n"),
        "{pipeline}"
    );
    let answers = test.read("packages/api/pybootstrap.toml");
    assert!(answers.contains("source = \"uv-lock\""), "{answers}");
    assert!(answers.contains("backend = \"uv\""), "{answers}");
    let script = test.read("packages/api/scripts/bootstrap.sh");
    assert!(
        script.contains("set -- scripts/bootstrap.sh 'pyproject.toml' '../../uv.lock'"),
        "{script}"
    );
    assert!(
        script.contains("UV_PROJECT_ENVIRONMENT=\"$PWD/$ENV_DIR\""),
        "{script}"
    );
    assert!(
        test.read(".github/workflows/pybootstrap-packages-api.yml")
            .contains("working-directory: \"packages/api\"")
    );
    actionlint(&test);
}

/// A virtual uv workspace (no `[project]` at its root, one `uv.lock`) of two members, `app`
/// importing `core`, with the root's `dev` group holding pytest; `lock` is its `uv.lock`,
/// when it is not made by `uv lock`.
fn two_member_workspace(test: &Test, lock: Option<&str>) {
    test.write(
        "pyproject.toml",
        "[dependency-groups]\ndev = [\"pytest>=8\"]\n\n[tool.uv.workspace]\nmembers = [\"lib/*\"]\nexclude = [\"lib/attic\"]\n\n[tool.uv.sources]\ncore = { workspace = true }\n",
    );
    if let Some(lock) = lock {
        test.write("uv.lock", lock);
    }
    test.write(
        "lib/core/pyproject.toml",
        "[project]\nname = \"core\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"iniconfig\"]\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    );
    test.write(
        "lib/core/src/core/__init__.py",
        "import iniconfig\n\nVALUE = 1\n",
    );
    test.write(
        "lib/core/tests/test_core.py",
        "import core\n\n\ndef test_core():\n    assert core.VALUE == 1\n",
    );
    test.write(
        "lib/app/pyproject.toml",
        "[project]\nname = \"app\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"core\"]\n\n[tool.uv.sources]\ncore = { workspace = true }\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    );
    test.write(
        "lib/app/src/app/__init__.py",
        "from core import VALUE\n\nDOUBLE = VALUE * 2\n",
    );
    test.write(
        "lib/app/tests/test_app.py",
        "import app\n\n\ndef test_app():\n    assert app.DOUBLE == 2\n",
    );
    // Excluded from the workspace: no member, whatever it holds.
    test.write(
        "lib/attic/pyproject.toml",
        "[project]\nname = \"attic\"\nversion = \"0\"\n",
    );
}

/// The top of a `uv.lock`: the range uv locked the workspace for.
const LOCK_HEAD: &str = "version = 1\nrequires-python = \">=3.11\"\n";

/// The workspace's own CI: `uv sync` at the root, then each member's tests from its directory.
const WORKSPACE_TESTS: &str = "name: tests\non: [push]\npermissions: {}\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false\n      - run: uv sync --all-packages\n      - name: core\n        run: cd lib/core && uv run pytest tests -q\n      - name: app\n        run: |\n          cd lib/app && uv run --frozen pytest tests\n";

#[test]
fn a_virtual_uv_workspace_of_several_members_is_set_up_at_its_root() {
    let test = Test::new();
    git_init(test.path());
    two_member_workspace(&test, Some(LOCK_HEAD));
    test.write(".github/workflows/tests.yml", WORKSPACE_TESTS);
    let output = init_yes(&test, ".", &[]);
    output.assert_code(0);
    assert!(
        output.stderr.contains(
            "a uv workspace of 2 members: one env at its root, as `uv sync --all-packages` makes"
        ),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stderr
            .contains("python.requires = >=3.11   (from requires-python in uv.lock"),
        "{}",
        output.stderr
    );
    // One set-up, at the root; none in a member.
    let answers = test.read("pybootstrap.toml");
    assert!(answers.contains("source = \"uv-lock\""), "{answers}");
    assert!(answers.contains("backend = \"uv\""), "{answers}");
    let task =
        "(cd lib/core && python -m pytest tests -q) && (cd lib/app && python -m pytest tests)";
    assert!(answers.contains(task), "{answers}");
    for member in ["lib/core", "lib/app"] {
        assert!(!test.path().join(member).join("pybootstrap.toml").exists());
        assert!(!test.path().join(member).join("scripts").exists());
    }
    let makefile = test.read("Makefile");
    assert!(
        makefile.contains(&format!("\t@$(PYBOOTSTRAP_RUN) {task}\n")),
        "{makefile}"
    );
    let script = test.read("scripts/bootstrap.sh");
    assert!(
        script.contains("sync --frozen --python \"$ENV_PYTHON\" --all-packages --group 'dev'\n"),
        "{script}"
    );
    assert!(
        test.read("scripts/bootstrap.ps1")
            .contains("'--frozen', '--python', $EnvPython, '--all-packages', '--group', 'dev')"),
    );
    if let Some(shellcheck) = tool("shellcheck") {
        let checked = Command::new(shellcheck)
            .args(["-s", "sh", "scripts/bootstrap.sh"])
            .current_dir(test.path())
            .output()
            .expect("shellcheck");
        assert!(
            checked.status.success(),
            "{}",
            String::from_utf8_lossy(&checked.stdout)
        );
    }
    actionlint(&test);
    test.run(&["regen", "--check"]).assert_code(0);
    // An offline kit would lack the members: refused, before anything is downloaded.
    let bundle = test.run(&["bundle", "kit"]);
    assert_ne!(bundle.code, 0, "{}", bundle.stderr);
    assert!(
        bundle.stderr.contains("is a uv workspace's root")
            && bundle.stderr.contains("hint: build the environment online"),
        "{}",
        bundle.stderr
    );
    assert!(!test.path().join("kit").exists());
    // One member asked for by name keeps its own set-up.
    let member = test.run(&["init", "--yes", "--force", "lib/app"]);
    member.assert_code(0);
    assert!(
        !test
            .read("lib/app/scripts/bootstrap.sh")
            .contains("--all-packages"),
        "a member syncs itself from the root lock"
    );
}

#[test]
fn a_workspace_without_ci_tests_runs_the_roots_pytest_or_each_members() {
    let test = Test::new();
    git_init(test.path());
    two_member_workspace(&test, Some(LOCK_HEAD));
    init_yes(&test, ".", &["--dry-run"]).assert_code(0);
    let output = init_yes(&test, ".", &[]);
    output.assert_code(0);
    assert!(
        output.stderr.contains(
            "tasks.test = (cd lib/app && python -m pytest) && (cd lib/core && python -m pytest)   (from the uv workspace's members that have tests, each in its directory)"
        ),
        "{}",
        output.stderr
    );
    // Not locked yet: no workspace env to sync, so each member is a project of its own.
    let unlocked = Test::new();
    git_init(unlocked.path());
    two_member_workspace(&unlocked, None);
    let output = init_yes(&unlocked, ".", &[]);
    output.assert_code(1);
    assert!(
        output.stderr.contains("below it are: `lib/app`, ")
            && output.stderr.contains("`lib/core`; nothing was written"),
        "{}",
        output.stderr
    );
    assert!(!unlocked.path().join("pybootstrap.toml").exists());
    // A root that configures pytest runs it there, over every member at once.
    let rooted = Test::new();
    git_init(rooted.path());
    two_member_workspace(&rooted, Some(LOCK_HEAD));
    rooted.write("conftest.py", "");
    let output = init_yes(&rooted, ".", &[]);
    output.assert_code(0);
    assert!(
        output.stderr.contains("tasks.test = python -m pytest   ("),
        "{}",
        output.stderr
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_backend_service_bootstraps_from_the_root_and_runs_its_tests() {
    let Some(_) = crate::support::python("/usr/bin/python3") else {
        return;
    };
    let test = Test::new();
    crate::shapes::app_fixture(&test, "web-monorepo");
    git_init(test.path());
    init_yes(&test, ".", &[]).assert_code(0);
    let answers = test.read("backend/pybootstrap.toml");
    assert!(answers.contains("source = \"requirements\""), "{answers}");
    assert_backend_workflow(&test);
    // What a newcomer at the root runs: the script finds its own directory.
    let run = Command::new("sh")
        .arg("backend/scripts/bootstrap.sh")
        .current_dir(test.path())
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", test.path())
        .env_remove("PYTHON")
        .env_remove("VIRTUAL_ENV")
        .output()
        .expect("run the bootstrap");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(run.status.success(), "{printed}");
    assert!(
        test.path().join("backend/.venv/bin/python").exists(),
        "{printed}"
    );
    assert!(
        !test.path().join(".venv").exists(),
        "the env is the backend's"
    );
    let make = Command::new("make")
        .arg("test")
        .current_dir(test.path().join("backend"))
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", test.path())
        .env_remove("VIRTUAL_ENV")
        .output()
        .expect("run make test");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&make.stdout),
        String::from_utf8_lossy(&make.stderr)
    );
    assert!(
        make.status.success() && printed.contains("1 passed"),
        "{printed}"
    );
}

/// `git` in `dir` with a fixed identity.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@localhost"])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: runs the root pipelines in wrkflw and gitlab-ci-local"
)]
#[test]
fn the_root_pipelines_of_a_backend_service_run_it_in_its_directory() {
    let (Some(wrkflw), Some(gitlab_ci_local)) = (tool("wrkflw"), tool("gitlab-ci-local")) else {
        return;
    };
    let test = Test::new();
    crate::shapes::app_fixture(&test, "web-monorepo");
    git_init(test.path());
    git(test.path(), &["add", "-A"]);
    git(test.path(), &["commit", "-qm", "the service"]);
    // gitlab-ci-local evaluates `rules: changes` against the default remote branch.
    git(
        test.path(),
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    init_yes(
        &test,
        ".",
        &[
            "--set",
            "python.versions=3.11",
            "--set",
            "ci.providers=github,gitlab",
            "--set",
            "ci.pep668_job=false",
        ],
    )
    .assert_code(0);
    git(test.path(), &["add", "-A"]);
    git(test.path(), &["commit", "-qm", "pybootstrap"]);
    let finish = |mut command: Command, what: &str| {
        let output = command
            .current_dir(test.path())
            .env("HOME", test.path())
            .env_remove("VIRTUAL_ENV")
            .output()
            .expect(what);
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.status.success(), "{what}:\n{printed}");
        printed
    };
    // `make test` exists only in backend/: a step run at the root would fail.
    let mut github = Command::new(wrkflw);
    github.args([
        "run",
        "--runtime",
        "emulation",
        "--job",
        "test",
        ".github/workflows/pybootstrap-backend.yml",
    ]);
    crate::pipelines::offline_actions(&mut github);
    let printed = finish(github, "wrkflw");
    assert!(
        printed.contains("Workflow execution completed successfully"),
        "{printed}"
    );
    let mut gitlab = Command::new(gitlab_ci_local);
    gitlab.args(["--force-shell-executor", "--color=false", "backend-test"]);
    let printed = finish(gitlab, "gitlab-ci-local");
    assert!(
        printed.contains("$ cd 'backend'") && printed.contains("1 passed"),
        "{printed}"
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: locks with uv, builds a venv and runs the bootstrap"
)]
#[test]
fn a_uv_workspace_member_syncs_from_the_root_lock_into_its_own_env() {
    let Some(uv) = tool("uv") else { return };
    let test = Test::new();
    git_init(test.path());
    test.write(
        "pyproject.toml",
        "[tool.uv.workspace]\nmembers = [\"packages/*\"]\n",
    );
    test.write(
        "packages/api/pyproject.toml",
        "[project]\nname = \"api\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\ndependencies = [\"iniconfig\"]\n\n[dependency-groups]\ntest = [\"pytest>=8\"]\n\n[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
    );
    test.write("packages/api/src/api/__init__.py", "import iniconfig\n");
    test.write(
        "packages/api/tests/test_api.py",
        "import api\n\n\ndef test_api():\n    assert api.iniconfig\n",
    );
    uv_lock(&uv, test.path());
    let lock = test.read("uv.lock");
    init_yes(&test, ".", &[]).assert_code(0);
    let member = test.path().join("packages/api");
    let run = |program: &str, args: &[&str]| run_with_uv(&uv, test.path(), &member, program, args);
    run("sh", &["scripts/bootstrap.sh"]);
    assert!(member.join(".venv/bin/python").exists());
    assert!(
        !test.path().join(".venv").exists(),
        "the env is the member's, not the workspace root's"
    );
    assert!(run("make", &["test"]).contains("1 passed"));
    assert_eq!(
        test.read("uv.lock"),
        lock,
        "the workspace's lock is never rewritten"
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: locks with uv, builds a venv and runs the bootstrap"
)]
#[test]
fn a_uv_workspace_of_two_members_syncs_both_into_one_env_at_its_root() {
    let Some(uv) = tool("uv") else { return };
    let test = Test::new();
    git_init(test.path());
    two_member_workspace(&test, None);
    test.write(".github/workflows/tests.yml", WORKSPACE_TESTS);
    uv_lock(&uv, test.path());
    let lock = test.read("uv.lock");
    init_yes(&test, ".", &[]).assert_code(0);
    let run =
        |program: &str, args: &[&str]| run_with_uv(&uv, test.path(), test.path(), program, args);
    run("sh", &["scripts/bootstrap.sh"]);
    for member in ["lib/core", "lib/app"] {
        assert!(
            !test.path().join(member).join(".venv").exists(),
            "no env of its own in `{member}`"
        );
    }
    // Both members in the root's one env, importable from anywhere.
    run(
        ".venv/bin/python",
        &[
            "-c",
            "import app, core, iniconfig, pytest; assert app.DOUBLE == 2",
        ],
    );
    let tested = run("make", &["test"]);
    assert!(
        tested.contains("cd lib/core && python -m pytest tests -q") && tested.contains("1 passed"),
        "{tested}"
    );
    assert_eq!(
        tested.matches("1 passed").count(),
        2,
        "each member's tests run: {tested}"
    );
    assert_eq!(
        test.read("uv.lock"),
        lock,
        "the workspace's lock is never rewritten"
    );
}

/// `uv lock` in `dir`, as a workspace's maintainers make its lock.
fn uv_lock(uv: &Path, dir: &Path) {
    let locked = Command::new(uv)
        .args(["lock", "--quiet"])
        .current_dir(dir)
        .status()
        .expect("uv lock");
    assert!(locked.success());
}

/// What `program args` prints in `dir`, with uv's directory and the system's on `PATH` and
/// `home` as `HOME`; it must succeed.
fn run_with_uv(uv: &Path, home: &Path, dir: &Path, program: &str, args: &[&str]) -> String {
    let uv_dir = uv.parent().expect("uv's directory").display().to_string();
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PATH", format!("{uv_dir}:/usr/bin:/bin"))
        .env("HOME", home)
        .env_remove("VIRTUAL_ENV")
        .env_remove("UV_PROJECT_ENVIRONMENT")
        .output()
        .expect(program);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{program} {args:?}:\n{printed}");
    printed
}
