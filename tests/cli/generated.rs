//! The generated files: snapshots of every file for a few answer sets, the real linter of
//! each language over them, and the generated bootstrap run for real.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use pybootstrap::answers::{
    self, Answers, Backend, DepsSource, Item, Kind, List, MakePath, OptionalCommand, Problem,
    Provider, PythonVersions, RepoPath,
};
use pybootstrap::render::{Placement, RenderedFile, Renderer};

use crate::support;

const CHECKOUT: &str = "08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0";
const SETUP_PYTHON: &str = "e797f83bcb11b83ae66e0230d6156d7c80228e7c # v6.0.0";

/// A value as typed, which must be valid.
fn parsed<T: std::str::FromStr<Err = Problem>>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|problem| panic!("{text}: {problem}"))
}

/// A list answer from its items as typed, which must be valid.
fn list<T: Item + std::str::FromStr<Err = Problem>>(items: &[&str]) -> List<T> {
    let items: Vec<T> = items.iter().map(|item| parsed(item)).collect();
    List::try_from(items).expect("a valid list")
}

fn versions(items: &[&str]) -> PythonVersions {
    let items = items.iter().map(|item| parsed(item)).collect::<Vec<_>>();
    PythonVersions::try_from(items).expect("valid versions")
}

/// The spec's defaults: the built-in answers, with what these snapshots were made from where
/// it differs. Built on `builtin`, so a new key takes its default here without a line.
fn sample_answers() -> Answers {
    let mut answers = answers::builtin("sample");
    answers.project.name = parsed("sample");
    answers.python.requires = parsed(">=3.11");
    answers.python.versions = versions(&["3.11", "3.12"]);
    answers.deps.source = DepsSource::Requirements;
    answers.deps.files = list(&["requirements.txt"]);
    answers.tasks.lint = parsed("ruff check .");
    answers.tasks.fmt = parsed("ruff format .");
    answers.ci.actions = BTreeMap::from([
        (parsed("actions/checkout"), parsed(CHECKOUT)),
        (parsed("actions/setup-python"), parsed(SETUP_PYTHON)),
    ]);
    answers
}

/// uv backend, a pyproject with extras, GitHub and GitLab.
fn uv_answers() -> Answers {
    let mut answers = sample_answers();
    answers.env.backend = Backend::Uv;
    answers.deps.source = DepsSource::Pyproject;
    answers.deps.files = List::empty();
    answers.deps.extras = list(&["dev", "test"]);
    answers.deps.groups = list(&["lint"]);
    answers.ci.providers = List::try_from(vec![Provider::Github, Provider::Gitlab]).expect("valid");
    answers.python.versions = versions(&["3.12", "3.13"]);
    // A project that configures a formatter but no linter: no lint target, no docs line.
    answers.tasks.lint = OptionalCommand::absent();
    answers
}

/// virtualenv, several runner OSes, no Makefile, two requirement files, a preferred Python.
fn virtualenv_answers() -> Answers {
    let mut answers = sample_answers();
    answers.python.preferred = parsed("3.11");
    answers.env.backend = Backend::Virtualenv;
    answers.env.dir = parsed("build/env");
    answers.deps.files = list(&["requirements.txt", "requirements-dev.txt"]);
    answers.ci.os = list(&["ubuntu-latest", "macos-latest", "windows-latest"]);
    answers.make.enabled = false;
    answers.docs.path = parsed("CONTRIBUTING-python.md");
    answers.tasks.fmt = OptionalCommand::absent();
    answers
}

/// Shell, YAML, Makefile, Markdown and PowerShell metacharacters in every free-text answer
/// (names and paths hold only what their types allow).
fn hostile_answers() -> Answers {
    let mut answers = sample_answers();
    answers.project.name = parsed("x.y_z-1");
    answers.env.dir = parsed("env-dir/+x,y@z");
    answers.tasks.test =
        parsed(r#"pytest -k "a and not b" # $(id) ${{ secrets.T }} '{{x}}' : - %"#);
    answers.tasks.lint = parsed("ruff check . ; echo `id` $HOME");
    answers.tasks.fmt = parsed(r#"echo '$(Get-Process)' "`$x`n""#);
    answers.deps.files = list(&["req+1,2@x.txt"]);
    answers.deps.tools = list(&["pytest", "zope.testrunner"]);
    answers.ci.providers = List::try_from(vec![Provider::Github, Provider::Gitlab]).expect("valid");
    answers.ci.os = list(&["ubuntu-latest", "windows-latest"]);
    answers.make.enabled = false;
    answers
}

/// The uv answers behind a private index with its own CA (`network.*`), and Windows in CI,
/// so both scripts and both pipelines carry the settings. The URL holds `%`, `~` and `&`,
/// which every file must keep literal.
fn network_answers() -> Answers {
    let mut answers = uv_answers();
    answers.ci.os = list(&["ubuntu-latest", "windows-latest"]);
    answers.network.index = parsed("https://pypi.corp.example/api/pypi/%7Eteam/simple/?a=1&b=2");
    answers.network.extra_indexes = list(&[
        "https://extra.corp.example/simple/",
        "http://127.0.0.1:8080/simple",
    ]);
    answers.network.ca_bundle = parsed("certs/corp-root.pem");
    answers
}

fn render(answers: &Answers) -> Vec<RenderedFile> {
    Renderer::builtin()
        .expect("built-in templates load")
        .render_all(answers)
        .expect("answers render")
}

/// Writes the rendered files into `dir` as `init` would (a managed block alone as the file).
fn materialize(files: &[RenderedFile], dir: &Path) {
    for file in files {
        let path = dir.join(&file.path);
        fs_err::create_dir_all(path.parent().expect("parent")).expect("create parent");
        fs_err::write(&path, &file.contents).expect("write file");
        if file.executable {
            use std::os::unix::fs::PermissionsExt;
            fs_err::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        }
    }
}

fn answer_sets() -> Vec<(&'static str, Answers)> {
    vec![
        ("defaults", sample_answers()),
        ("uv", uv_answers()),
        ("virtualenv", virtualenv_answers()),
        ("network", network_answers()),
    ]
}

fn file<'a>(files: &'a [RenderedFile], path: &str) -> Option<&'a RenderedFile> {
    files.iter().find(|file| file.path == path)
}

/// Runs `program args` in `dir`; panics with its output unless it exits 0.
#[track_caller]
fn check(program: &Path, args: &[&OsStr], dir: &Path) -> String {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{} {:?} failed in {}\n--- stdout\n{stdout}\n--- stderr\n{}",
        program.display(),
        args,
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn os(text: &str) -> &OsStr {
    OsStr::new(text)
}

/// A Python on PATH that has the tree-sitter PowerShell grammar (the linters' venv).
fn tree_sitter_python() -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    let found = std::env::split_paths(&paths)
        .map(|dir| dir.join("python3"))
        .filter(|python| python.is_file())
        .find(|python| {
            Command::new(python)
                .args(["-c", "import tree_sitter, tree_sitter_powershell"])
                .output()
                .is_ok_and(|output| output.status.success())
        });
    if found.is_none() {
        // Reuses the tool lookup for its CI rule: a missing linter fails under CI.
        support::tool("python3-with-tree-sitter-powershell");
    }
    found
}

const POWERSHELL_PARSE: &str = r#"
import sys
import tree_sitter, tree_sitter_powershell
parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
tree = parser.parse(open(sys.argv[1], "rb").read())
bad, stack = [], [tree.root_node]
while stack:
    node = stack.pop()
    if node.is_error or node.is_missing:
        kind = "MISSING" if node.is_missing else "ERROR"
        bad.append(f"{node.start_point[0] + 1}:{node.start_point[1] + 1}: {kind} {node.text[:80]!r}")
    stack.extend(node.children)
print("\n".join(bad))
sys.exit(1 if bad else 0)
"#;

/// Every generated file through the real tool of its language.
fn lint_all(files: &[RenderedFile]) {
    let repo = tempfile::tempdir().expect("temp dir");
    let dir = repo.path();
    materialize(files, dir);

    let script = file(files, "scripts/bootstrap.sh").expect("bootstrap.sh");
    if let Some(shellcheck) = support::tool("shellcheck") {
        check(&shellcheck, &[os("-s"), os("sh"), os(&script.path)], dir);
    }
    if let Some(dash) = support::tool("dash") {
        check(&dash, &[os("-n"), os(&script.path)], dir);
    }

    if let Some(python) = tree_sitter_python() {
        check(
            &python,
            &[os("-c"), os(POWERSHELL_PARSE), os("scripts/bootstrap.ps1")],
            dir,
        );
    }

    if let Some(workflow) = file(files, ".github/workflows/pybootstrap.yml") {
        if let Some(actionlint) = support::tool("actionlint") {
            check(&actionlint, &[os(&workflow.path)], dir);
        }
        if let Some(zizmor) = support::tool("zizmor") {
            check(
                &zizmor,
                &[
                    os("--offline"),
                    os("--min-severity"),
                    os("medium"),
                    os(&workflow.path),
                ],
                dir,
            );
        }
        if let Some(schema) = support::tool("check-jsonschema") {
            check(
                &schema,
                &[
                    os("--builtin-schema"),
                    os("vendor.github-workflows"),
                    os(&workflow.path),
                ],
                dir,
            );
        }
    }
    if let Some(gitlab) = file(files, ".gitlab-ci.yml")
        && let Some(schema) = support::tool("check-jsonschema")
    {
        check(
            &schema,
            &[
                os("--builtin-schema"),
                os("vendor.gitlab-ci"),
                os(&gitlab.path),
            ],
            dir,
        );
    }

    if let Some(block) = file(files, "Makefile")
        && let Some(make) = support::tool("make")
    {
        assert_eq!(block.placement, Placement::ManagedBlock);
        let makefile = format!(
            "# The user's own Makefile.\nall:\n\t@echo mine\n\n# >>> pybootstrap >>>\n{}# <<< pybootstrap <<<\n",
            block.contents
        );
        fs_err::write(dir.join("Makefile"), &makefile).expect("write Makefile");
        // The stamp's prerequisites must exist for make to plan the bootstrap.
        for input in [
            "requirements.txt",
            "requirements-dev.txt",
            "pyproject.toml",
            "uv.lock",
        ] {
            fs_err::write(dir.join(input), "").expect("write input");
        }
        // Every target the block defines (an absent lint or format task has none).
        let mut args = vec![os("-n")];
        args.extend(
            ["bootstrap", "test", "lint", "fmt", "clean", "doctor"]
                .into_iter()
                .filter(|target| makefile.contains(&format!("\n{target}:")))
                .map(os),
        );
        assert!(args.len() >= 5, "{makefile}");
        let plan = check(&make, &args, dir);
        assert!(plan.contains("sh scripts/bootstrap.sh"), "{plan}");
        let mine = check(&make, &[os("all")], dir);
        assert_eq!(mine.trim(), "mine", "the user's own target still works");
    }

    let docs = files
        .iter()
        .find(|file| file.template == "docs/python-environment.md")
        .expect("docs");
    assert_no_bad_flags_in_fences(&docs.contents);
}

/// The docs name the flags that override PEP 668 only in prose, never as a command to copy.
fn assert_no_bad_flags_in_fences(markdown: &str) {
    let mut fenced = false;
    for (number, line) in markdown.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            for bad in [
                "--break-system-packages",
                "--user",
                "PIP_BREAK_SYSTEM_PACKAGES",
                "sudo pip",
            ] {
                assert!(
                    !line.contains(bad),
                    "line {}: `{bad}` in a code block: {line}",
                    number + 1
                );
            }
        }
    }
    assert!(!fenced, "unclosed code block");
}

#[test]
fn every_file_is_snapshotted() {
    for (set, answers) in answer_sets() {
        for file in render(&answers) {
            let name = format!("{set}__{}", file.path.replace(['/', '.'], "_"));
            insta::assert_snapshot!(name, file.contents);
        }
    }
}

/// The sample answers with the boolean `key` negated, through their serde form.
fn flipped(answers: &Answers, key: &str) -> Answers {
    let mut tree = toml::Value::try_from(answers).expect("answers serialise");
    let (section, name) = key.split_once('.').expect("a key inside a section");
    let value = tree
        .get_mut(section)
        .and_then(|table| table.get_mut(name))
        .expect("the key has a value");
    *value = toml::Value::Boolean(!value.as_bool().expect("a boolean key"));
    tree.try_into().expect("flipped answers deserialise")
}

/// What changed from `before` to `after`: a unified diff per changed file.
fn changes(before: &[RenderedFile], after: &[RenderedFile]) -> String {
    let mut paths: Vec<&str> = before
        .iter()
        .chain(after)
        .map(|file| file.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    let mut out = String::new();
    for path in paths {
        let old = file(before, path).map_or("", |file| file.contents.as_str());
        let new = file(after, path).map_or("", |file| file.contents.as_str());
        if old != new {
            let diff = similar::TextDiff::from_lines(old, new);
            out += &diff
                .unified_diff()
                .context_radius(2)
                .header(path, path)
                .to_string();
        }
    }
    out
}

/// Every boolean key, read from the key table, flipped on the sample answers: some generated
/// file changes, the change is snapshotted and the files pass their linters. A new boolean
/// key is covered here without a case of its own.
#[test]
fn every_boolean_key_changes_the_files_it_decides() {
    let sample = sample_answers();
    let before = render(&sample);
    for info in answers::keys()
        .iter()
        .filter(|info| info.kind == Kind::Bool)
    {
        let after = render(&flipped(&sample, info.key));
        let diff = changes(&before, &after);
        assert!(!diff.is_empty(), "`{}` changes no generated file", info.key);
        insta::assert_snapshot!(format!("flip__{}", info.key.replace('.', "_")), diff);
        lint_all(&after);
    }
}

/// The lock-tool sources, each with groups and an extra, one of them on the uv backend (so
/// the uv fetch and the tool fetch meet in one script), a uv.lock on a venv backend.
fn lock_tool_answer_sets() -> Vec<(&'static str, Answers)> {
    let lock_answers = |source: DepsSource, backend: Backend| {
        let mut answers = sample_answers();
        answers.deps.source = source;
        answers.deps.files = List::empty();
        answers.deps.extras = list(&["docs"]);
        answers.deps.groups = list(&["dev", "test"]);
        // Tools the tasks run that the lock leaves out: installed after it.
        answers.deps.tools = list(&["pytest", "ruff"]);
        answers.env.backend = backend;
        answers.ci.os = list(&["ubuntu-latest", "windows-latest"]);
        answers
    };
    vec![
        ("poetry", lock_answers(DepsSource::Poetry, Backend::Venv)),
        ("pdm_uv", lock_answers(DepsSource::Pdm, Backend::Uv)),
        (
            "uv_lock_venv",
            lock_answers(DepsSource::UvLock, Backend::Venv),
        ),
        ("pipenv_uv", {
            let mut answers = lock_answers(DepsSource::Pipenv, Backend::Uv);
            answers.deps.extras = List::empty();
            answers.deps.groups = list(&["develop"]);
            answers
        }),
    ]
}

#[test]
fn lock_tool_bootstraps_pass_their_linters() {
    for (set, answers) in lock_tool_answer_sets() {
        let files = render(&answers);
        lint_all(&files);
        for script in ["scripts/bootstrap.sh", "scripts/bootstrap.ps1"] {
            let name = format!("{set}__{}", script.replace(['/', '.'], "_"));
            insta::assert_snapshot!(name, file(&files, script).expect("script").contents);
        }
    }
}

/// Every pipeline the answer sets above make, on every backend, with both providers and
/// with and without the PEP 668 job, keeps its tools inside the job's own work tree.
#[test]
fn generated_pipelines_write_no_fixed_host_path() {
    let sets = answer_sets()
        .into_iter()
        .chain(lock_tool_answer_sets())
        .chain([("hostile", hostile_answers())]);
    for (set, answers) in sets {
        for backend in [Backend::Venv, Backend::Uv, Backend::Virtualenv] {
            for pep668_job in [true, false] {
                let mut answers = answers.clone();
                answers.env.backend = backend;
                answers.ci.pep668_job = pep668_job;
                answers.ci.providers =
                    List::try_from(vec![Provider::Github, Provider::Gitlab]).expect("valid");
                let files = render(&answers);
                let pipelines: Vec<_> = files
                    .iter()
                    .filter(|file| {
                        file.path.starts_with(".github/workflows/") || file.path == ".gitlab-ci.yml"
                    })
                    .collect();
                assert_eq!(
                    pipelines.len(),
                    2,
                    "{set}/{backend:?}: both providers render"
                );
                for file in pipelines {
                    let found = support::fixed_host_paths(&file.contents);
                    assert!(
                        found.is_empty(),
                        "{set}/{backend:?}/pep668_job={pep668_job}: {} writes to a fixed host path:\n{}",
                        file.path,
                        found.join("\n")
                    );
                }
            }
        }
    }
}

#[test]
fn generated_files_pass_their_linters() {
    for (_, answers) in answer_sets() {
        lint_all(&render(&answers));
    }
}

/// The pip upgrade for hashed requirement files is decided when the script installs (the
/// same text whether the files hold hashes or not): rendered for requirement files on every
/// backend, with uv's guard where uv may install, and absent where pip reads no requirement
/// file; every variant passes `lint_all` (shellcheck, `dash -n`, the PowerShell parse).
#[test]
fn the_hashed_file_pip_upgrade_renders_where_pip_reads_requirement_files() {
    const SH: &str = "grep -q -e '--hash' --";
    const PS: &str = "Select-String -Pattern '--hash' -SimpleMatch -List";
    let mut with_uv = sample_answers();
    with_uv.env.backend = Backend::Uv;
    with_uv.deps.files = list(&["requirements.txt", "requirements/test.txt"]);
    with_uv.deps.groups = list(&["lint"]);
    for (answers, uv) in [
        (sample_answers(), false),
        (virtualenv_answers(), false),
        (with_uv, true),
    ] {
        let files = render(&answers);
        lint_all(&files);
        let sh = &file(&files, "scripts/bootstrap.sh").expect("sh").contents;
        let ps = &file(&files, "scripts/bootstrap.ps1").expect("ps1").contents;
        let files_named: String = answers
            .deps
            .files
            .iter()
            .map(|file| format!(" '{file}'"))
            .collect();
        assert!(
            sh.contains(&format!("{SH}{files_named} 2>/dev/null")),
            "{sh}"
        );
        assert!(ps.contains(PS), "{ps}");
        assert_eq!(sh.contains("[ -z \"$uv_command\" ] && grep -q"), uv, "{sh}");
        assert_eq!(
            ps.contains("-and -not $uvCommand -and @(Select-String"),
            uv,
            "{ps}"
        );
        // With groups, pip 25.1 comes first, and then already satisfies 23.3.
        if !answers.deps.groups.is_empty() {
            assert!(sh.find("'pip>=25.1'") < sh.find(SH), "{sh}");
        }
    }
    for answers in [uv_answers(), lock_tool_answer_sets().remove(0).1] {
        let files = render(&answers);
        for script in ["scripts/bootstrap.sh", "scripts/bootstrap.ps1"] {
            let contents = &file(&files, script).expect("script").contents;
            assert!(!contents.contains("'pip>=23.3'"), "{contents}");
        }
    }
}

#[test]
fn the_files_each_answer_set_calls_for() {
    let paths = |answers: &Answers| -> Vec<String> {
        render(answers).into_iter().map(|file| file.path).collect()
    };
    assert_eq!(
        paths(&sample_answers()),
        [
            "scripts/bootstrap.sh",
            "scripts/bootstrap.ps1",
            "scripts/bootstrap.cmd",
            "Makefile",
            ".github/workflows/pybootstrap.yml",
            "docs/python-environment.md",
            ".gitattributes",
            ".gitignore",
        ]
    );
    assert!(paths(&uv_answers()).contains(&".gitlab-ci.yml".to_string()));
    let virtualenv = paths(&virtualenv_answers());
    assert!(!virtualenv.contains(&"Makefile".to_string()));
    assert!(virtualenv.contains(&"CONTRIBUTING-python.md".to_string()));
    for file in render(&sample_answers()) {
        assert_eq!(file.executable, file.path == "scripts/bootstrap.sh");
        if file.placement == Placement::Whole {
            assert!(
                file.contents.contains(
                    "Generated by pybootstrap: edit pybootstrap.toml and run `pybootstrap regen`."
                ),
                "{} has no header",
                file.path
            );
        }
        // A managed block's marker line is its header: the block holds no second one.
        assert!(
            file.contents
                .matches("edit pybootstrap.toml and run")
                .count()
                <= usize::from(file.placement == Placement::Whole),
            "{} has more than one header",
            file.path
        );
        assert!(
            !file.contents.contains(env!("CARGO_PKG_VERSION")),
            "{} names the generator version",
            file.path
        );
    }
}

#[test]
fn hostile_answers_stay_literal() {
    let answers = hostile_answers();
    let files = render(&answers);
    lint_all(&files);

    // The shell reads every setting back as exactly the answer.
    let script = &file(&files, "scripts/bootstrap.sh")
        .expect("bootstrap.sh")
        .contents;
    let settings: String = script
        .lines()
        .filter(|line| line.starts_with("PROJECT_NAME=") || line.starts_with("ENV_DIR="))
        .map(|line| format!("{line}\n"))
        .collect();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "{settings}printf '%s\\n%s' \"$PROJECT_NAME\" \"$ENV_DIR\""
        ))
        .output()
        .expect("run sh");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{}\n{}", answers.project.name, answers.env.dir)
    );

    // YAML reads every task back as exactly the answer (GitHub with its `${{` neutralised).
    if let Some(python) = tree_sitter_python() {
        let read = r"
import json, sys, yaml
print(json.dumps([yaml.safe_load(open(path)) for path in sys.argv[1:]]))
";
        let repo = tempfile::tempdir().expect("temp dir");
        materialize(&files, repo.path());
        let parsed = check(
            &python,
            &[
                os("-c"),
                os(read),
                os(".gitlab-ci.yml"),
                os(".github/workflows/pybootstrap.yml"),
            ],
            repo.path(),
        );
        let parsed: serde_json::Value = serde_json::from_str(&parsed).expect("json");
        let gitlab_script = parsed[0]["test"]["script"].as_array().expect("script");
        assert_eq!(
            gitlab_script.last().and_then(|v| v.as_str()),
            Some(&*answers.tasks.test)
        );
        let steps = parsed[1]["jobs"]["test"]["steps"]
            .as_array()
            .expect("steps");
        let test_run = steps
            .iter()
            .find(|step| step["name"] == "Test")
            .and_then(|step| step["run"].as_str())
            .expect("test step");
        let neutralised = answers.tasks.test.replace("${{", "${{ '${{' }}");
        assert_eq!(test_run.lines().last(), Some(neutralised.as_str()));
        let env_dir = steps
            .iter()
            .find(|step| step["name"] == "Test")
            .and_then(|step| step["env"]["PYBOOTSTRAP_ENV"].as_str());
        assert_eq!(env_dir, Some(&*answers.env.dir));
    }

    // A Makefile cannot hold an env dir with blanks in a rule: its type refuses it.
    assert!("env dir/x".parse::<MakePath>().is_err());
    "env dir/x"
        .parse::<RepoPath>()
        .expect("a path other files can quote");

    // With make on, make passes the hostile task to the shell unchanged.
    let mut with_make = answers.clone();
    with_make.make.enabled = true;
    // The Makefile check plans the bootstrap, whose inputs it writes under their usual names.
    with_make.deps.files = list(&["requirements.txt"]);
    let files = render(&with_make);
    lint_all(&files);
    if let Some(make) = support::tool("make") {
        let repo = tempfile::tempdir().expect("temp dir");
        materialize(&files, repo.path());
        fs_err::write(repo.path().join("requirements.txt"), "").expect("write");
        let plan = check(
            &make,
            &[os("-n"), os("test"), os("lint"), os("fmt")],
            repo.path(),
        );
        for task in [
            &*answers.tasks.test,
            &*answers.tasks.lint,
            &*answers.tasks.fmt,
        ] {
            assert!(
                plan.lines().any(|line| line.ends_with(task)),
                "`{task}` not in\n{plan}"
            );
        }
    }
}

#[test]
fn bad_answers_are_refused_before_rendering() {
    let renderer = Renderer::builtin().expect("built-ins");
    let refuse = |change: &dyn Fn(&mut Answers), key: &str| {
        let mut answers = sample_answers();
        change(&mut answers);
        let error = renderer.render_all(&answers).expect_err(key);
        assert!(error.to_string().contains(key), "{error}");
        assert!(error.hint().is_some());
    };
    // Values no generated file could hold safely cannot become answers at all.
    assert!("../outside".parse::<MakePath>().is_err());
    assert!("/abs".parse::<MakePath>().is_err());
    assert!("docs/../../x.md".parse::<RepoPath>().is_err());
    assert!("a\nb.txt".parse::<MakePath>().is_err());
    assert!(
        "pytest\nrm -rf /"
            .parse::<pybootstrap::answers::Command>()
            .is_err()
    );
    assert!(
        "3.11; id"
            .parse::<pybootstrap::answers::PythonMinor>()
            .is_err()
    );
    assert!(
        "v5 # latest"
            .parse::<pybootstrap::answers::ActionPin>()
            .is_err()
    );
    // A rule of the templates, not of one value: the workflow needs its actions.
    refuse(
        &|a| {
            a.ci.actions.remove("actions/setup-python");
        },
        "actions/setup-python",
    );
}

#[test]
fn templates_are_registered_for_packs_to_extend() {
    let pack = tempfile::tempdir().expect("pack dir");
    std::fs::write(
        pack.path().join("pack.toml"),
        "name = \"team\"\nversion = \"1\"\n",
    )
    .expect("pack.toml");
    std::fs::create_dir_all(pack.path().join("docs")).expect("docs dir");
    std::fs::write(
        pack.path().join("docs/python-environment.md"),
        "{% extends \"builtin/docs/python-environment.md\" %}{% block extra_sections %}\n## Team notes\n{% endblock extra_sections %}",
    )
    .expect("pack template");
    let mut renderer = Renderer::with_pack(pack.path()).expect("pack template parses");
    let docs = renderer
        .render("docs/python-environment.md", &sample_answers())
        .expect("renders");
    assert!(docs.contains("## Which Python and pip am I using?"));
    assert!(docs.trim_end().ends_with("## Team notes"), "{docs}");

    renderer
        .add_template("broken", "{{ project.nmae }}")
        .expect("parses");
    let error = renderer
        .render("broken", &sample_answers())
        .expect_err("strict");
    assert!(error.to_string().contains("project.nmae"), "{error}");
}

/// A repo with the generated files, a local wheel, and a private HOME.
struct BootstrapRepo {
    dir: tempfile::TempDir,
    home: PathBuf,
}

impl BootstrapRepo {
    fn new(answers: &Answers) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        materialize(&render(answers), dir.path());
        let home = dir.path().join(".home");
        fs_err::create_dir_all(&home).expect("create home");
        Self { dir, home }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn wheel(&self, name: &str, version: &str) -> String {
        support::build_wheel(&self.path().join("wheels"), name, version)
    }

    fn write(&self, relative: &str, contents: &str) {
        fs_err::write(self.path().join(relative), contents).expect("write");
    }

    /// Runs `program args` in the repo with no index, no pip config and a private HOME.
    fn run(&self, program: &str, args: &[&str], python: Option<&Path>) -> support::Output {
        self.run_with(program, args, python, &[])
    }

    /// `run`, with `variables` set after the defaults are cleared (`PIP_FIND_LINKS`).
    fn run_with(
        &self,
        program: &str,
        args: &[&str],
        python: Option<&Path>,
        variables: &[(&str, &Path)],
    ) -> support::Output {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(self.path())
            .env("HOME", &self.home)
            .env("PIP_NO_INDEX", "1")
            .env("UV_OFFLINE", "1")
            .env("PIP_CONFIG_FILE", "/dev/null")
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        for var in [
            "PYTHON",
            "VIRTUAL_ENV",
            "PIP_BREAK_SYSTEM_PACKAGES",
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
        command.envs(variables.iter().copied());
        let output = command.output().expect("run");
        support::Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn bootstrap(&self, args: &[&str], python: Option<&Path>) -> support::Output {
        let mut all = vec!["scripts/bootstrap.sh"];
        all.extend_from_slice(args);
        self.run("sh", &all, python)
    }

    /// What the env's interpreter imports `name` as, `None` when it cannot.
    fn env_value(&self, env_dir: &str, name: &str) -> Option<String> {
        let output = Command::new(self.path().join(env_dir).join("bin/python"))
            .args(["-c", &format!("import {name}; print({name}.VALUE)")])
            .env("HOME", &self.home)
            .output()
            .ok()?;
        output
            .status
            .success()
            .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
    }
}

/// Every `pbdemo*` under the site-packages of `python` (system and user), which must stay
/// empty: the bootstrap installs only into the env.
fn installed_outside(python: &Path, home: &Path) -> Vec<PathBuf> {
    let code = "import site, sys; print('\\n'.join(site.getsitepackages() + [site.getusersitepackages()]))";
    let output = Command::new(python)
        .args(["-c", code])
        .env("HOME", home)
        .output()
        .expect("ask site dirs");
    let mut found = Vec::new();
    for dir in String::from_utf8_lossy(&output.stdout).lines() {
        if let Ok(entries) = fs_err::read_dir(dir) {
            for entry in entries.flatten() {
                if entry.file_name().to_string_lossy().starts_with("pbdemo") {
                    found.push(entry.path());
                }
            }
        }
    }
    found
}

/// Create, no-op re-run, changed requirements, `--recreate`, `make test`: all for real.
fn bootstrap_lifecycle(answers: &Answers, python: &Path) {
    let env_dir = answers.env.dir.clone();
    let repo = BootstrapRepo::new(answers);
    let first = repo.wheel("pbdemo", "1.0");
    repo.write("requirements.txt", &format!("{first}\n"));

    let run = repo.bootstrap(&[], Some(python));
    run.assert_code(0);
    // A uv env has no pip of its own: the check it prints is `sys.prefix`.
    let check = match answers.env.backend {
        Backend::Uv => "sys.prefix",
        _ => "python -m pip --version",
    };
    assert!(run.stdout.contains(check), "{}", run.stdout);
    assert_eq!(repo.env_value(&env_dir, "pbdemo").as_deref(), Some("1.0"));
    assert!(
        repo.path()
            .join(&env_dir)
            .join(".pybootstrap-stamp")
            .is_file()
    );
    assert_eq!(installed_outside(python, &repo.home), Vec::<PathBuf>::new());
    assert!(
        !repo.home.join(".local").exists(),
        "nothing in the user's home"
    );

    // Up to date: says so, returns at once, and leaves the env as it was.
    let stamp = repo.path().join(&env_dir).join(".pybootstrap-stamp");
    let before = fs_err::metadata(&stamp)
        .and_then(|m| m.modified())
        .expect("stamp mtime");
    let started = std::time::Instant::now();
    let again = repo.bootstrap(&[], None);
    again.assert_code(0);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    let after = fs_err::metadata(&stamp)
        .and_then(|m| m.modified())
        .expect("stamp mtime");
    assert_eq!(before, after);

    // A changed requirements file is picked up.
    let second = repo.wheel("pbdemo_extra", "2.0");
    repo.write("requirements.txt", &format!("{first}\n{second}\n"));
    repo.bootstrap(&[], None).assert_code(0);
    assert_eq!(
        repo.env_value(&env_dir, "pbdemo_extra").as_deref(),
        Some("2.0")
    );

    // `--recreate` builds a fresh env (a marker file inside the old one is gone).
    repo.write(&format!("{env_dir}/marker"), "old");
    let recreated = repo.bootstrap(&["--recreate"], Some(python));
    recreated.assert_code(0);
    assert!(!repo.path().join(&env_dir).join("marker").exists());
    assert_eq!(
        repo.env_value(&env_dir, "pbdemo_extra").as_deref(),
        Some("2.0")
    );

    // The Makefile's tasks run inside the env.
    if answers.make.enabled
        && let Some(make) = support::tool("make")
    {
        let make = make.to_string_lossy().into_owned();
        let test = repo.run(&make, &["test"], None);
        test.assert_code(0);
        assert!(
            test.stdout.contains("pbdemo 1.0 from the env"),
            "{}",
            test.stdout
        );
        assert_eq!(installed_outside(python, &repo.home), Vec::<PathBuf>::new());
    }
}

fn runnable_answers() -> Answers {
    let mut answers = sample_answers();
    // Two commands: the second must run inside the env too.
    answers.tasks.test = r#"python -c "import sys" && python -c "import pbdemo, sys; assert sys.prefix != sys.base_prefix; print('pbdemo', pbdemo.VALUE, 'from the env')""#
        .parse()
        .expect("valid");
    answers
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn bootstrap_runs_on_debians_externally_managed_python() {
    let Some(python) = support::python("/usr/bin/python3.11") else {
        return;
    };
    bootstrap_lifecycle(&runnable_answers(), &python);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn bootstrap_runs_on_a_pyenv_python() {
    let Some(python) = support::pyenv_python("3.11") else {
        return;
    };
    let mut answers = runnable_answers();
    answers.env.dir = parsed("build/env");
    bootstrap_lifecycle(&answers, &python);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn bootstrap_runs_with_the_virtualenv_backend() {
    let Some(python) = support::python("/usr/bin/python3.11") else {
        return;
    };
    if support::tool("virtualenv").is_none() {
        return;
    }
    let mut answers = runnable_answers();
    answers.env.backend = Backend::Virtualenv;
    bootstrap_lifecycle(&answers, &python);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn bootstrap_runs_with_the_uv_backend() {
    let Some(python) = support::python("/usr/bin/python3.11") else {
        return;
    };
    if support::tool("uv").is_none() {
        return;
    }
    let mut answers = runnable_answers();
    answers.env.backend = Backend::Uv;
    bootstrap_lifecycle(&answers, &python);
}

/// The shape of a `pip-compile --generate-hashes` file that pip before 23.3 refuses (jazzband's
/// website: `requests[security]==2.32.5` beside `codecov`, which needs `requests>=2.7.9`),
/// with a newer `pinned` in the wheels for the unpinned `>=` to find. Without `hashed`, the
/// same pins without hashes.
fn extras_shape(repo: &BootstrapRepo, hashed: bool) {
    let wheels = repo.path().join("wheels");
    let pinned = support::build_wheel_with(&wheels, "pinned", "1.0", &["Provides-Extra: security"]);
    support::build_wheel_with(&wheels, "pinned", "2.0", &["Provides-Extra: security"]);
    let dependent =
        support::build_wheel_with(&wheels, "dependent", "1.0", &["Requires-Dist: pinned>=0.5"]);
    let hash = |wheel: &str| {
        let hex = support::sha256_hex(wheel);
        format!(" \\\n    --hash=sha256:{hex}")
    };
    let (dependent_hash, pinned_hash) = if hashed {
        (hash(&dependent), hash(&pinned))
    } else {
        (String::new(), String::new())
    };
    repo.write(
        "requirements.txt",
        &format!("dependent==1.0{dependent_hash}\npinned[security]==1.0{pinned_hash}\n"),
    );
    // The newer pip the upgrade finds, from PyPI once; the bootstrap itself reaches no index.
    let pips = crate::network::pypi_wheels("pip-24.3.1", &["pip==24.3.1"]);
    for entry in fs_err::read_dir(pips).expect("read the pip wheels") {
        let path = entry.expect("pip wheel").path();
        if path.extension().is_some_and(|extension| extension == "whl") {
            fs_err::copy(&path, wheels.join(path.file_name().expect("name"))).expect("copy");
        }
    }
}

/// The version of pip in the repo's `.venv`.
fn env_pip_version(repo: &BootstrapRepo) -> String {
    let output = Command::new(repo.path().join(".venv/bin/python"))
        .args(["-c", "import pip; print(pip.__version__)"])
        .output()
        .expect("run the env's python");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn a_hashed_requirement_file_upgrades_debians_venv_pip_inside_the_env() {
    let Some(python) = support::python("/usr/bin/python3.11") else {
        return;
    };
    let repo = BootstrapRepo::new(&sample_answers());
    extras_shape(&repo, true);
    let links = repo.path().join("wheels");
    // The shape is the one pip 23.0.1 refuses, in a venv of Debian's Python made here.
    let scratch = repo.path().join(".scratch-venv");
    repo.run(
        python.to_str().expect("utf-8"),
        &["-m", "venv", ".scratch-venv"],
        None,
    )
    .assert_code(0);
    let refused = repo.run_with(
        scratch.join("bin/python").to_str().expect("utf-8"),
        &["-m", "pip", "install", "--requirement", "requirements.txt"],
        None,
        &[("PIP_FIND_LINKS", &links)],
    );
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    assert!(
        refused
            .stderr
            .contains("all requirements must have their versions pinned with =="),
        "{}",
        refused.stderr
    );
    fs_err::remove_dir_all(&scratch).expect("remove the scratch venv");
    let run = repo.run_with(
        "sh",
        &["scripts/bootstrap.sh"],
        Some(&python),
        &[("PIP_FIND_LINKS", &links)],
    );
    run.assert_code(0);
    assert!(
        run.stdout.contains(
            "Upgrading pip inside .venv (hashed requirement files need pip 23.3 or newer)"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(env_pip_version(&repo), "24.3.1");
    assert_eq!(repo.env_value(".venv", "pinned").as_deref(), Some("1.0"));
    assert_eq!(repo.env_value(".venv", "dependent").as_deref(), Some("1.0"));
    assert_eq!(
        installed_outside(&python, &repo.home),
        Vec::<PathBuf>::new()
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn with_uv_a_hashed_file_installs_without_touching_pip() {
    let Some(python) = support::python("/usr/bin/python3.11") else {
        return;
    };
    if support::tool("uv").is_none() {
        return;
    }
    let mut answers = sample_answers();
    answers.env.backend = Backend::Uv;
    let repo = BootstrapRepo::new(&answers);
    extras_shape(&repo, true);
    let links = repo.path().join("wheels");
    let run = repo.run_with(
        "sh",
        &["scripts/bootstrap.sh"],
        Some(&python),
        &[("UV_FIND_LINKS", &links)],
    );
    run.assert_code(0);
    assert!(!run.stdout.contains("Upgrading pip"), "{}", run.stdout);
    assert_eq!(repo.env_value(".venv", "pinned").as_deref(), Some("1.0"));
    assert_eq!(repo.env_value(".venv", "dependent").as_deref(), Some("1.0"));
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn the_same_pins_without_hashes_keep_the_venvs_pip() {
    let Some(python) = support::python("/usr/bin/python3.11") else {
        return;
    };
    let repo = BootstrapRepo::new(&sample_answers());
    extras_shape(&repo, false);
    let links = repo.path().join("wheels");
    let run = repo.run_with(
        "sh",
        &["scripts/bootstrap.sh"],
        Some(&python),
        &[("PIP_FIND_LINKS", &links)],
    );
    run.assert_code(0);
    assert!(!run.stdout.contains("Upgrading pip"), "{}", run.stdout);
    assert!(
        env_pip_version(&repo).starts_with("23."),
        "Debian 12's venv pip"
    );
    assert_eq!(repo.env_value(".venv", "pinned").as_deref(), Some("1.0"));
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn missing_ensurepip_is_reported_before_anything_is_built() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let Some(broken) = support::debian_python_copy(scratch.path(), &["ensurepip"]) else {
        return;
    };
    let repo = BootstrapRepo::new(&sample_answers());
    let wheel = repo.wheel("pbdemo", "1.0");
    repo.write("requirements.txt", &format!("{wheel}\n"));

    let run = repo.bootstrap(&[], Some(&broken));
    run.assert_code(1);
    // This machine is Debian: the script read /etc/os-release and names the package.
    assert!(
        run.stderr.contains("sudo apt install python3.11-venv"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("uv"), "{}", run.stderr);
    assert!(!repo.path().join(".venv").exists(), "no env left behind");

    // A half-built env, as `python -m venv` leaves it without ensurepip, is rebuilt by a
    // run with a good Python.
    let half = Command::new(&broken)
        .args(["-m", "venv", ".venv"])
        .current_dir(repo.path())
        .output()
        .expect("run venv");
    assert!(!half.status.success());
    assert!(repo.path().join(".venv/pyvenv.cfg").exists());
    assert!(!repo.path().join(".venv/bin/activate").exists());
    let Some(good) = support::python("/usr/bin/python3.11") else {
        return;
    };
    let repaired = repo.bootstrap(&[], Some(&good));
    repaired.assert_code(0);
    assert!(
        repaired
            .stdout
            .contains(".venv needs a rebuild: it is incomplete (no bin/activate)."),
        "{}",
        repaired.stdout
    );
    assert!(repo.path().join(".venv/bin/activate").exists());
    assert_eq!(repo.env_value(".venv", "pbdemo").as_deref(), Some("1.0"));
}

#[test]
fn bootstrap_refuses_to_replace_a_directory_that_is_not_an_env() {
    let Some(python) = support::python("/usr/bin/python3.11") else {
        return;
    };
    let repo = BootstrapRepo::new(&sample_answers());
    repo.write("requirements.txt", "");
    fs_err::create_dir_all(repo.path().join(".venv")).expect("mkdir");
    repo.write(".venv/precious", "data");
    let run = repo.bootstrap(&[], Some(&python));
    run.assert_code(1);
    assert!(
        run.stderr.contains("not a virtual environment"),
        "{}",
        run.stderr
    );
    assert!(repo.path().join(".venv/precious").exists());

    // An interpreter outside `python.requires` is refused by name, before anything is built.
    fs_err::remove_dir_all(repo.path().join(".venv")).expect("remove");
    let Some(old) = support::pyenv_python("2.7") else {
        return;
    };
    let refused = repo.bootstrap(&[], Some(&old));
    refused.assert_code(1);
    assert!(
        refused
            .stderr
            .contains("is Python 2.7; this project requires Python >=3.11"),
        "{}",
        refused.stderr
    );
    assert!(!repo.path().join(".venv").exists());
}

fn write_pack(dir: &Path, files: &[(&str, &str)]) {
    for (relative, text) in files {
        let path = dir.join(relative);
        fs_err::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs_err::write(path, text).expect("write");
    }
}

#[test]
fn a_pack_replaces_extends_and_adds_templates() {
    let pack = tempfile::tempdir().expect("temp dir");
    write_pack(
        pack.path(),
        &[
            (
                "pack.toml",
                r#"name = "acme-python"
version = "1.3"
fixed = ["ci.providers"]

[defaults.ci]
providers = ["github"]

[files."extra/release.yml"]
path = ".github/workflows/release.yml"
group = "ci"
"#,
            ),
            (
                "docs/python-environment.md",
                "{% extends \"builtin/docs/python-environment.md\" %}{% block extra_sections %}\n## Acme notes\n{% endblock extra_sections %}",
            ),
            (
                "extra/release.yml",
                "# release for {{ project.name | yaml }}\n",
            ),
        ],
    );
    let renderer = Renderer::with_pack(pack.path()).expect("pack loads");
    let loaded = renderer.pack().expect("pack");
    assert_eq!(
        (loaded.name.as_str(), loaded.version.as_str()),
        ("acme-python", "1.3")
    );
    assert_eq!(loaded.fixed, ["ci.providers"]);
    assert!(loaded.defaults.contains_key("ci"));

    let files = renderer.render_all(&sample_answers()).expect("renders");
    let docs = file(&files, "docs/python-environment.md").expect("docs");
    assert!(docs.contents.contains("## Acme notes"));
    assert!(
        docs.contents.contains("## Troubleshooting"),
        "the built-in text stays"
    );
    let release = file(&files, ".github/workflows/release.yml").expect("pack's own file");
    assert_eq!(release.group, pybootstrap::render::Group::Ci);
    assert_eq!(release.contents, "# release for \"sample\"\n");
}

#[test]
fn a_pack_cannot_write_outside_the_repo() {
    let pack = tempfile::tempdir().expect("temp dir");
    write_pack(
        pack.path(),
        &[
            (
                "pack.toml",
                "name = \"evil\"\nversion = \"1\"\n[files.\"x\"]\npath = \"../outside\"\n",
            ),
            ("x", "boom"),
        ],
    );
    let error = Renderer::with_pack(pack.path()).err().expect("refused");
    assert!(error.to_string().contains("../outside"), "{error}");

    let broken = tempfile::tempdir().expect("temp dir");
    write_pack(broken.path(), &[("pack.toml", "name = \"no-version\"\n")]);
    let error = Renderer::with_pack(broken.path()).err().expect("refused");
    assert!(error.to_string().contains("pack.toml"), "{error}");
    assert!(error.to_string().contains("version"), "{error}");

    // A symlink inside the repo that leads out of it is refused; one that stays is fine.
    let repo = tempfile::tempdir().expect("temp dir");
    let outside = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(outside.path(), repo.path().join("docs")).expect("symlink");
    fs_err::create_dir_all(repo.path().join("real")).expect("mkdir");
    std::os::unix::fs::symlink("real", repo.path().join("inside")).expect("symlink");
    let check = pybootstrap::render::check_output_path;
    let error = check(repo.path(), "docs/python-environment.md").expect_err("leaves the repo");
    assert!(error.to_string().contains("symlink"), "{error}");
    check(repo.path(), "inside/file.md").expect("stays inside");
    check(repo.path(), "new/dir/file.md").expect("nothing exists yet");
    for bad in [
        "/etc/passwd",
        "../x",
        "a/../../x",
        ".git/hooks/pre-commit",
        "a\\b",
    ] {
        assert!(check(repo.path(), bad).is_err(), "{bad}");
    }
}
