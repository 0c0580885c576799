//! `tasks.*` from the repository: the facts the pure decisions in `project::test_task`,
//! `project::task_sources` and `project::lint_tools` take, read here; and what the
//! bootstrap installs, for the check that every task's tool is installed.

use super::{Inferred, keep, project_table, read, setup_cfg, strings, texts};
use crate::answers::value::normalise_name;
use crate::answers::{Answers, DepsSource};
use crate::project::Project;
use crate::project::lint_tools::{LintFacts, fmt_task, lint_task};
use crate::project::task_sources;
use crate::project::test_steps::{self, test_steps};
use crate::project::test_task::{Discover, TestFacts, discover, names_pytest, test_task};
use crate::python::ini::Ini;

/// What the bootstrap installs, as `deps.*` answers say it.
struct Installs<'a> {
    source: DepsSource,
    files: &'a [String],
    extras: &'a [String],
    groups: &'a [String],
    /// The project itself is installed beside requirement files, tox's or Hatch's deps.
    editable: bool,
}

/// `tasks.test`, `tasks.lint` and `tasks.fmt`; runs after `infer_dependencies`, whose
/// answers say what gets installed.
pub(super) fn infer_tasks(
    project: &Project,
    pyproject: Option<&toml::Table>,
    inferred: &mut Inferred,
) {
    infer_test_task(project, pyproject, inferred);
    infer_lint_tasks(project, pyproject, inferred);
}

fn infer_test_task(project: &Project, pyproject: Option<&toml::Table>, inferred: &mut Inferred) {
    let source = inferred.source();
    let (files, extras, groups) = (
        texts(inferred.deps_files.as_ref()),
        texts(inferred.deps_extras.as_ref()),
        texts(inferred.deps_groups.as_ref()),
    );
    let installs = Installs {
        source,
        files: &files,
        extras: &extras,
        groups: &groups,
        editable: inferred
            .deps_editable
            .as_ref()
            .is_some_and(|found| found.value),
    };
    let declared = declared_requirements(project, pyproject, &installs, inferred);
    let setup_cfg_pytest = setup_cfg(project, inferred)
        .and_then(Result::ok)
        .is_some_and(|cfg| cfg.pytest_section);
    let pytest_table = pyproject
        .and_then(|pyproject| pyproject.get("tool")?.get("pytest"))
        .is_some();
    let tox = tox_ini(project, inferred);
    let tox_pytest = tox.is_some_and(|ini| ini.has_section("pytest"));
    let pytest_configured = project.files.is_file("pytest.ini")
        || project.files.is_file("conftest.py")
        || pytest_table
        || setup_cfg_pytest
        || tox_pytest;
    let (project_command, why) = project_test_command(project, pyproject, tox, &declared, inferred)
        .map(only_test_steps)
        .or_else(|| workspace_test_command(project, pytest_configured))
        .map_or((None, None), |(command, why)| (Some(command), Some(why)));
    let facts = TestFacts {
        project_command,
        pytest_configured,
        pytest_declared: names_pytest(declared.iter().map(String::as_str)),
        layout: discover(&project.python_files),
        django: project.django.clone(),
        uninstalled: !installs_project(project, pyproject, &installs),
    };
    if source == DepsSource::None
        && facts.project_command.is_none()
        && facts.layout == Discover::default()
        && !facts.pytest_configured
        && facts.django == crate::project::django::Django::default()
    {
        // Nothing to follow yet: a new project runs pytest, and until it has a test,
        // pytest's "no tests collected" (exit 5) is a pass, so `make test` works from the
        // first commit; the command says so where the answers are kept.
        let found = inferred.parse_text(
            "tasks.test",
            NO_TESTS_YET,
            "a repository with no tests yet: pytest's exit 5, no tests collected, passes",
        );
        keep(&mut inferred.tasks_test, found);
        return;
    }
    let mut command = test_task(&facts);
    if !project.test_dirs.is_empty() {
        // The directories the CI makes first (a SQLite file's `data/`): a checkout lacks them.
        command = format!("mkdir -p {} && {command}", project.test_dirs.join(" "));
    }
    let why = why.unwrap_or_else(|| "the project's test setup".to_string());
    let found = inferred.parse_text("tasks.test", &command, &why);
    keep(&mut inferred.tasks_test, found);
}

/// The project's test command without the steps that lint or run a JavaScript runner
/// (`project::test_steps`), saying which it left out; as it was when no test step is left.
fn only_test_steps((command, why): (String, String)) -> (String, String) {
    match test_steps(&command) {
        Some(steps) => {
            let why = match steps.left_out.describe() {
                Some(left_out) => format!("{why}, {left_out}"),
                None => why,
            };
            (steps.command, why)
        }
        None => (command, why),
    }
}

/// The test task of a virtual uv workspace's root, whose one environment holds every
/// member: the per-member test commands of its own CI, when they translate; else none when
/// the root configures pytest (pytest at the root is then the rule's); else each member
/// with tests, in its directory.
fn workspace_test_command(project: &Project, pytest_configured: bool) -> Option<(String, String)> {
    use crate::project::uv_workspace::{ci_test_task, members_test_task};
    let members = project.uv_members.as_ref()?;
    if let Some(command) = ci_test_task(&project.existing.ci.test_steps(), &members.all) {
        return Some((
            command,
            "the test commands the repository's own CI runs in the uv workspace's members"
                .to_string(),
        ));
    }
    if pytest_configured {
        return None;
    }
    members_test_task(&members.tested).map(|command| {
        (
            command,
            "the uv workspace's members that have tests, each in its directory".to_string(),
        )
    })
}

/// The test task of a repository with no tests yet.
pub(crate) const NO_TESTS_YET: &str = "pytest || test $? -eq 5";

/// `tox.ini`, parsed; `None` when it is absent or configparser would refuse it; a file
/// that could not be read is a warning.
fn tox_ini<'a>(project: &'a Project, inferred: &mut Inferred) -> Option<&'a Ini> {
    // The read's own warning, where it is not there to parse.
    read(project, "tox.ini", inferred)?;
    project.tox_ini.as_ref().and_then(|ini| ini.as_ref().ok())
}

/// The test command of the project's own tool, in the order a contributor would look:
/// the `Makefile`, tox, nox, Hatch; with the file that says so.
fn project_test_command(
    project: &Project,
    pyproject: Option<&toml::Table>,
    tox: Option<&crate::python::ini::Ini>,
    declared: &[String],
    inferred: &mut Inferred,
) -> Option<(String, String)> {
    if let Some(command) = makefile_test_command(read(project, project.makefile_name, inferred)) {
        return Some((command, "the `test` target of the Makefile".to_string()));
    }
    if let Some(found) = task_runner_command(project, pyproject, declared, inferred) {
        return Some(found);
    }
    let legacy_tox = pyproject
        .and_then(|pyproject| pyproject.get("tool")?.get("tox")?.get("legacy_tox_ini"))
        .and_then(toml::Value::as_str)
        .and_then(|text| crate::python::ini::parse(text).ok());
    for (ini, why) in [
        (tox, "tox.ini"),
        (legacy_tox.as_ref(), "legacy_tox_ini in pyproject.toml"),
    ] {
        if let Some(ini) = ini
            && let Some(commands) = ini.get("testenv", "commands")
            && let Some(command) =
                task_sources::from_tox(commands, &crate::project::tox::test_factors(ini))
        {
            return Some((command, format!("[testenv] commands in {why}")));
        }
    }
    if let Some(text) = read(project, "noxfile.py", inferred)
        && let Some(command) = task_sources::from_noxfile(text)
    {
        return Some((command, "the `tests` session of noxfile.py".to_string()));
    }
    hatch_test_command(pyproject)
}

/// The names a task runner's test task goes by, in the order they are looked for.
const TEST_TASKS: &[&str] = &["test", "tests"];

/// The test task of the task runners that run in the project's environment (a `Justfile`,
/// poe, PDM's scripts, invoke's `tasks.py`), with the options the project passes its test runner; when a
/// poe or invoke task does not translate but the bootstrap installs the runner, the task
/// calls it (`poe test`).
fn task_runner_command(
    project: &Project,
    pyproject: Option<&toml::Table>,
    declared: &[String],
    inferred: &mut Inferred,
) -> Option<(String, String)> {
    use crate::project::{invoke, justfile, poe};
    let installed = |name: &str| {
        declared
            .iter()
            .any(|line| requirement_name(line).as_deref() == Some(name))
    };
    for file in ["Justfile", "justfile"] {
        let Some(text) = read(project, file, inferred) else {
            continue;
        };
        for name in TEST_TASKS {
            if let Some(command) =
                justfile::recipe(text, name).and_then(|recipe| task_sources::from_justfile(&recipe))
            {
                return Some((command, format!("the `{name}` recipe of the {file}")));
            }
        }
    }
    if let Some(pyproject) = pyproject {
        for name in TEST_TASKS {
            let Some(task) = poe::task(pyproject, name) else {
                continue;
            };
            let why = format!("the poe task `{name}` in pyproject.toml");
            if let Some(command) = task_sources::from_poe(&task)
                && runs_tests(&task, &command)
            {
                return Some((command, why));
            }
            // `poe test` would run the linters its sequence chains: the next source may
            // name the tests alone.
            let chains_checks = task_sources::poe_commands(&task)
                .iter()
                .any(|command| test_steps::leaves_some_out(command));
            if installed("poethepoet") && !chains_checks {
                return Some((format!("poe {name}"), why));
            }
        }
        for name in TEST_TASKS {
            if let Some(script) = poe::pdm_script(pyproject, name)
                && let Some(command) = task_sources::from_poe(&script)
                && runs_tests(&script, &command)
            {
                return Some((
                    command,
                    format!("the PDM script `{name}` in pyproject.toml"),
                ));
            }
        }
    }
    if let Some(text) = read(project, "tasks.py", inferred) {
        for name in TEST_TASKS {
            let why = format!("the invoke task `{name}` in tasks.py");
            if let Some(command) = invoke::task_commands(text, name)
                .and_then(|commands| task_sources::from_invoke(&commands))
            {
                return Some((command, why));
            }
            if installed("invoke") && text.contains(&format!("def {name}(")) {
                return Some((format!("invoke {name}"), why));
            }
        }
    }
    None
}

/// Whether a poe or PDM task translated to `command` is one to follow: a sequence only
/// when a step of it runs tests (one that only lints says nothing of how the tests run).
fn runs_tests(task: &crate::project::poe::RunnerTask, command: &str) -> bool {
    !matches!(task, crate::project::poe::RunnerTask::Sequence(_)) || test_steps(command).is_some()
}

/// The user's `target` recipe in the `Makefile` text, when it translates.
fn makefile_command(text: Option<&str>, target: &str) -> Option<String> {
    let lines = makefile_recipe(text?, target)?;
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    task_sources::from_makefile_recipe(&lines)
}

/// The user's `test` recipe, when it translates; a recipe of several lines also when,
/// its lint and JavaScript lines left out (`project::test_steps`), one line that runs tests
/// is left. Those lines lead the command, so the rule that leaves them out names them.
fn makefile_test_command(text: Option<&str>) -> Option<String> {
    let lines = makefile_recipe(text?, "test")?;
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    if let Some(command) = task_sources::from_makefile_recipe(&lines) {
        return Some(command);
    }
    let (left_out, kept): (Vec<&str>, Vec<&str>) = lines.iter().partition(|line| {
        let line = line.trim().trim_start_matches(['@', '-', '+']).trim_start();
        !line.is_empty() && !line.starts_with('#') && test_steps::is_left_out(line)
    });
    if left_out.is_empty() {
        return None;
    }
    let command = task_sources::from_makefile_recipe(&kept)?;
    test_steps(&command)?;
    let left_out = left_out
        .iter()
        .map(|line| line.trim().trim_start_matches(['@', '-', '+']).trim_start());
    Some(
        left_out
            .chain(std::iter::once(command.as_str()))
            .collect::<Vec<_>>()
            .join(" && "),
    )
}

/// The lines of the user's `target` recipe, make variables that pass extra arguments
/// and are never assigned dropped.
fn makefile_recipe(text: &str, target: &str) -> Option<Vec<String>> {
    let rule = crate::project::makefile::rule(text, target)?;
    Some(
        rule.recipe
            .iter()
            .map(|line| task_sources::without_unset_arguments(line, text))
            .collect(),
    )
}

/// Hatch: a `test` (or `tests`) script of the `default` environment, else of the `test`,
/// `tests` or `hatch-test` one; else `hatch test`'s pytest when `[tool.hatch.envs.hatch-test]` exists.
fn hatch_test_command(pyproject: Option<&toml::Table>) -> Option<(String, String)> {
    let envs = pyproject?
        .get("tool")?
        .get("hatch")?
        .get("envs")?
        .as_table()?;
    // Another environment's `test` script tests something else (`integration`, `docs`).
    let names: Vec<&str> = ["default", "test", "tests", "hatch-test"]
        .into_iter()
        .filter(|name| envs.contains_key(*name))
        .collect();
    for name in names {
        let Some(scripts) = envs
            .get(name)
            .and_then(|env| env.get("scripts"))
            .and_then(toml::Value::as_table)
        else {
            continue;
        };
        let script_names: Vec<&str> = scripts.keys().map(String::as_str).collect();
        for key in ["test", "tests"] {
            let commands: Vec<&str> = match scripts.get(key) {
                Some(toml::Value::String(command)) => vec![command.as_str()],
                Some(toml::Value::Array(items)) => {
                    items.iter().filter_map(toml::Value::as_str).collect()
                }
                _ => continue,
            };
            if let Some(command) = task_sources::from_hatch_script(&commands, &script_names) {
                return Some((
                    command,
                    format!("[tool.hatch.envs.{name}.scripts] {key} in pyproject.toml"),
                ));
            }
        }
    }
    envs.contains_key("hatch-test").then(|| {
        (
            "pytest".to_string(),
            "[tool.hatch.envs.hatch-test] in pyproject.toml (`hatch test` runs pytest)".to_string(),
        )
    })
}

fn infer_lint_tasks(project: &Project, pyproject: Option<&toml::Table>, inferred: &mut Inferred) {
    let tool = |name: &str| pyproject.and_then(|pyproject| pyproject.get("tool")?.get(name));
    let exists = |name: &str| project.files.is_file(name);
    let ruff_file = [".ruff.toml", "ruff.toml"]
        .into_iter()
        .find(|name| exists(name));
    let ruff_file_format = ruff_file
        .and_then(|name| read(project, name, inferred))
        .and_then(|text| crate::project::files::parse_toml(text).ok())
        .is_some_and(|table| table.contains_key("format"));
    let setup_cfg = setup_cfg(project, inferred).and_then(Result::ok);
    let facts = LintFacts {
        ruff: tool("ruff").is_some() || ruff_file.is_some(),
        ruff_format: tool("ruff").and_then(|ruff| ruff.get("format")).is_some() || ruff_file_format,
        flake8: exists(".flake8")
            || setup_cfg.is_some_and(|cfg| cfg.flake8_section)
            || tox_ini(project, inferred).is_some_and(|ini| ini.has_section("flake8")),
        black: tool("black").is_some(),
        isort: tool("isort").is_some()
            || exists(".isort.cfg")
            || setup_cfg.is_some_and(|cfg| cfg.isort_section),
        pre_commit: exists(".pre-commit-config.yaml"),
    };
    let why = |command: &str| {
        let file = |configured: bool, what: &str| configured.then(|| what.to_string());
        let reasons: Vec<String> = [
            file(
                command.starts_with("ruff"),
                match ruff_file {
                    Some(name) => name,
                    None => "[tool.ruff] in pyproject.toml",
                },
            ),
            file(command.starts_with("flake8"), "the flake8 configuration"),
            file(command.contains("black"), "[tool.black] in pyproject.toml"),
            file(command.starts_with("isort"), "the isort configuration"),
            file(command.starts_with("pre-commit"), ".pre-commit-config.yaml"),
        ]
        .into_iter()
        .flatten()
        .collect();
        reasons.join(", ")
    };
    let makefile = read(project, project.makefile_name, inferred);
    // The user's own target first, else the command the configured tools call for.
    let mut task = |key: &str, target: &str, configured: Option<&str>| {
        if let Some(command) = makefile_command(makefile, target) {
            let why = format!("the `{target}` target of the Makefile");
            inferred.parse_text(key, &command, &why)
        } else {
            configured.and_then(|command| inferred.parse_text(key, command, &why(command)))
        }
    };
    let lint = task("tasks.lint", "lint", lint_task(facts));
    let fmt = task("tasks.fmt", "fmt", fmt_task(facts));
    keep(&mut inferred.tasks_lint, lint);
    keep(&mut inferred.tasks_fmt, fmt);
}

/// Whether the bootstrap installs the project into the environment: the source installs
/// it, it goes in editable beside other sources, or a requirement file installs it (`-e .`).
fn installs_project(
    project: &Project,
    pyproject: Option<&toml::Table>,
    installs: &Installs<'_>,
) -> bool {
    if installs.source == DepsSource::UvLock {
        // uv installs the project only when it is a package: `[tool.uv] package = true`, or
        // a build system and not `package = false`.
        let package = pyproject
            .and_then(|pyproject| pyproject.get("tool")?.get("uv")?.get("package"))
            .and_then(toml::Value::as_bool);
        let build_system =
            pyproject.is_some_and(|pyproject| pyproject.contains_key("build-system"));
        return package.unwrap_or(build_system);
    }
    if installs.editable || installs_the_project(installs.source) {
        return true;
    }
    if installs.source != DepsSource::Requirements {
        return false;
    }
    let read_file = |path: &str| project.files.owned_text(path);
    let nested =
        crate::project::requirements::nested(installs.files, &read_file).unwrap_or_default();
    installs.files.iter().chain(&nested).any(|file| {
        project
            .files
            .text(file)
            .is_ok_and(|text| text.is_some_and(crate::project::requirements::installs_project))
    })
}

/// Whether a source installs the project itself, with its own dependencies.
fn installs_the_project(source: DepsSource) -> bool {
    matches!(
        source,
        DepsSource::Pyproject
            | DepsSource::Setuptools
            | DepsSource::UvLock
            | DepsSource::Poetry
            | DepsSource::Pdm
    )
}

/// The requirement lines (PEP 508 strings) of everything `installs` puts in the environment.
fn declared_requirements(
    project: &Project,
    pyproject: Option<&toml::Table>,
    installs: &Installs<'_>,
    inferred: &mut Inferred,
) -> Vec<String> {
    let mut groups = installs.groups.to_vec();
    if installs.source == DepsSource::UvLock {
        // `uv sync` installs the `dev` group unless told otherwise.
        groups.push("dev".to_string());
    }
    let table_items = |table: Option<&toml::Value>, wanted: &[String]| -> Vec<String> {
        let Some(table) = table.and_then(toml::Value::as_table) else {
            return Vec::new();
        };
        table
            .iter()
            .filter(|(name, _)| wanted.contains(&normalise_name(name)))
            .flat_map(|(_, items)| strings(Some(items)))
            .collect()
    };
    let mut declared: Vec<String> = Vec::new();
    if installs.source == DepsSource::Requirements {
        let read_file = |path: &str| project.files.owned_text(path);
        let nested =
            crate::project::requirements::nested(installs.files, &read_file).unwrap_or_default();
        for file in installs.files.iter().chain(&nested) {
            if let Some(text) = read(project, file, inferred) {
                declared.extend(text.lines().map(str::to_string));
            }
        }
    }
    declared.extend(super::declared_by_tools(project, installs.source));
    if installs.source == DepsSource::Pipenv
        && let Some(pipenv) = &project.pipenv
    {
        for category in std::iter::once("default").chain(groups.iter().map(String::as_str)) {
            declared.extend(pipenv.packages(category).iter().cloned());
        }
    }
    if let Some(pyproject) = pyproject {
        declared.extend(super::lock_tool_declared(
            installs.source,
            pyproject,
            &groups,
        ));
    }
    let metadata = project_table(pyproject);
    declared.extend(table_items(
        metadata.and_then(|metadata| metadata.get("optional-dependencies")),
        installs.extras,
    ));
    declared.extend(table_items(
        pyproject.and_then(|pyproject| pyproject.get("dependency-groups")),
        &groups,
    ));
    let setup_cfg_extras = setup_cfg(project, inferred)
        .and_then(Result::ok)
        .map(|cfg| cfg.extras.as_slice())
        .unwrap_or_default();
    for (name, requirements) in setup_cfg_extras {
        if installs.extras.contains(&normalise_name(name)) {
            declared.extend(requirements.lines().map(str::to_string));
        }
    }
    for (name, requirements) in super::setup_py_extras(project, inferred).unwrap_or_default() {
        if installs.extras.contains(&normalise_name(&name)) {
            declared.extend(requirements);
        }
    }
    if installs.editable || installs_the_project(installs.source) {
        // The project is installed, with its own dependencies.
        declared.extend(strings(
            metadata.and_then(|metadata| metadata.get("dependencies")),
        ));
    }
    declared
}

/// The distribution name a requirement line starts with, normalised; `None` for options,
/// comments, paths and URLs.
fn requirement_name(line: &str) -> Option<String> {
    let line = line.trim();
    let name: String = line
        .chars()
        .take_while(|character| {
            character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.')
        })
        .collect();
    let rest = &line[name.len()..];
    let bare = rest.is_empty()
        || rest.starts_with(|character: char| {
            character.is_whitespace() || "[<>=!~;@(,".contains(character)
        });
    (!name.is_empty()
        && name.starts_with(|character: char| character.is_ascii_alphanumeric())
        && bare)
        .then(|| normalise_name(&name))
}

/// One warning per task whose command calls a tool that nothing the answers install
/// declares (the project's own name counts when the project is installed, and so do the
/// `deps.tools`).
pub(crate) fn task_warnings(project: &Project, answers: &Answers) -> Vec<String> {
    let mut declared = declared_names(project, answers);
    declared.extend(answers.deps.tools.iter().map(|tool| normalise_name(tool)));
    tasks(answers)
        .into_iter()
        .filter_map(|(task, command)| {
            crate::project::tasks::missing_tool_warning(task, command?, &declared)
        })
        .collect()
}

/// Tools a task may call that the bootstrap installs by name when no dependency declares
/// them: the well-known runners, linters and formatters. Any other name stays a warning:
/// a module of the project's own (`python -m mypkg.tests`) is no package to fetch.
const INSTALLABLE_TOOLS: &[&str] = &[
    "black",
    "coverage",
    "flake8",
    "isort",
    "mypy",
    "pre-commit",
    "pylint",
    "pytest",
    "ruff",
];

/// The well-known tools the answers' tasks run that nothing they install declares
/// (`deps.tools` left out), and the tasks that run them (`tasks.test`).
pub(crate) fn tools_to_install(
    project: &Project,
    answers: &Answers,
) -> (Vec<String>, Vec<&'static str>) {
    let declared = declared_names(project, answers);
    let mut tools: Vec<String> = Vec::new();
    let mut runners = Vec::new();
    for (task, command) in tasks(answers) {
        let Some(command) = command else { continue };
        let missing: Vec<String> = crate::project::tasks::missing_tools(command, &declared)
            .into_iter()
            .filter(|tool| INSTALLABLE_TOOLS.contains(&tool.as_str()))
            .collect();
        if !missing.is_empty() {
            runners.push(match task {
                "test" => "tasks.test",
                "lint" => "tasks.lint",
                _ => "tasks.fmt",
            });
        }
        for tool in missing {
            if !tools.contains(&tool) {
                tools.push(tool);
            }
        }
    }
    (tools, runners)
}

/// `(task, command)` for the test, lint and format tasks; `None` for an absent one.
fn tasks(answers: &Answers) -> [(&'static str, Option<&str>); 3] {
    [
        ("test", Some(&*answers.tasks.test)),
        ("lint", answers.tasks.lint.command()),
        ("fmt", answers.tasks.fmt.command()),
    ]
}

/// The distribution names the answers' dependencies install, normalised.
fn declared_names(project: &Project, answers: &Answers) -> Vec<String> {
    let mut scratch = Inferred::default();
    let pyproject = project.pyproject();
    let files: Vec<String> = answers.deps.files.iter().map(ToString::to_string).collect();
    let extras: Vec<String> = answers
        .deps
        .extras
        .iter()
        .map(|extra| normalise_name(extra))
        .collect();
    let groups: Vec<String> = answers
        .deps
        .groups
        .iter()
        .map(|group| normalise_name(group))
        .collect();
    let installs = Installs {
        source: answers.deps.source,
        files: &files,
        extras: &extras,
        groups: &groups,
        editable: answers.deps.editable,
    };
    let mut declared: Vec<String> =
        declared_requirements(project, pyproject, &installs, &mut scratch)
            .iter()
            .filter_map(|line| requirement_name(line))
            .collect();
    if installs.editable || installs_the_project(installs.source) {
        declared.push(normalise_name(&answers.project.name));
    }
    declared
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hatch_test_scripts_of_the_test_environments_only() {
        let command = |text: &str| {
            let table: toml::Table = toml::from_str(text).expect("valid TOML");
            hatch_test_command(Some(&table)).map(|(command, _)| command)
        };
        let rows = [
            (
                "[tool.hatch.envs.default.scripts]\ntest = \"pytest {args}\"\n[tool.hatch.envs.test.scripts]\ntest = \"python -m pytest\"\n",
                Some("pytest"),
            ),
            (
                "[tool.hatch.envs.test.scripts]\ntests = [\"pytest {args:tests}\"]\n",
                Some("pytest tests"),
            ),
            (
                "[tool.hatch.envs.integration.scripts]\ntest = \"python -m pkg.integration\"\n",
                None,
            ),
            (
                "[tool.hatch.envs.hatch-test]\nextra-dependencies = [\"pytest-mock\"]\n",
                Some("pytest"),
            ),
            (
                "[tool.hatch.envs.default.scripts]\ntest = \"cov\"\ncov = \"pytest --cov\"\n",
                None,
            ),
            ("[project]\nname = \"x\"\n", None),
        ];
        for (text, expected) in rows {
            assert_eq!(command(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn task_warnings_of_inferred_answers_over_in_memory_projects() {
        // (shape, files, the tools warned about)
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [&'a str]);
        let rows: &[Row] = &[
            (
                "poetry: pytest in the test group, black configured but not declared",
                &[(
                    "pyproject.toml",
                    "[tool.poetry]\nname = \"p\"\n[tool.poetry.group.test.dependencies]\npytest = \"*\"\n[tool.black]\n",
                )],
                &["black"],
            ),
            (
                "requirement files that install every task's tool",
                &[
                    ("setup.py", "from setuptools import setup\nsetup()\n"),
                    ("requirements-dev.txt", "pytest\nruff\n"),
                    ("ruff.toml", "[format]\n"),
                ],
                &[],
            ),
            (
                "tox's deps through a nested file, flake8 configured in tox.ini only",
                &[
                    ("setup.py", "from setuptools import setup\nsetup()\n"),
                    (
                        "tox.ini",
                        "[testenv]\ndeps = -r ci.txt\ncommands = pytest\n[flake8]\n",
                    ),
                    ("ci.txt", "pytest\n"),
                ],
                &["flake8"],
            ),
        ];
        for (shape, files, tools) in rows {
            let project = Project::in_memory("shape", files);
            let mut answers = crate::answers::builtin("shape");
            super::super::infer(&project).apply(&mut answers);
            let warnings = task_warnings(&project, &answers);
            assert_eq!(warnings.len(), tools.len(), "{shape}: {warnings:?}");
            for (warning, tool) in warnings.iter().zip(*tools) {
                assert!(
                    warning.contains(&format!("`{tool}` is not")),
                    "{shape}: {warning}"
                );
            }
        }
    }

    #[test]
    fn django_projects_over_in_memory_repositories() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let manage = "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"site.settings.dev\")\nimport django\n";
        let rows: &[Row] = &[
            (
                "a site: manage.py, CI naming test settings",
                &[
                    ("manage.py", manage),
                    ("requirements.txt", "django\n"),
                    ("site/settings/dev.py", ""),
                    ("site/settings/test.py", ""),
                    ("site/blog/tests.py", ""),
                    (
                        ".github/workflows/ci.yml",
                        "jobs:\n  test:\n    env:\n      DJANGO_SETTINGS_MODULE: site.settings.test\n    steps:\n      - run: ./manage.py test\n",
                    ),
                ],
                "python manage.py test --settings=site.settings.test",
            ),
            (
                "a library: tox sets the settings and runs `django test`",
                &[
                    ("setup.py", "from setuptools import setup\nsetup()\n"),
                    (
                        "tox.ini",
                        "[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE = tests.settings\ncommands = python -m django test {posargs:tests}\n",
                    ),
                    ("tests/settings.py", ""),
                    ("tests/test_views.py", ""),
                ],
                "python -m django test --settings=tests.settings tests",
            ),
            (
                "a library shipping runtests.py",
                &[
                    ("setup.py", "from setuptools import setup\nsetup()\n"),
                    ("runtests.py", "import django\n"),
                    ("tests/test_views.py", ""),
                ],
                "python runtests.py",
            ),
            (
                "pytest-django configured",
                &[
                    ("manage.py", manage),
                    (
                        "pyproject.toml",
                        "[project]\nname = \"site\"\n[project.optional-dependencies]\ntest = [\"pytest-django\"]\n[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = \"site.settings.dev\"\n",
                    ),
                ],
                "pytest",
            ),
            (
                "pytest-django configured, pytest installed by nothing",
                &[
                    ("manage.py", manage),
                    (
                        "pyproject.toml",
                        "[project]\nname = \"site\"\n[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = \"site.settings.dev\"\n",
                    ),
                ],
                "python manage.py test",
            ),
        ];
        for (shape, files, expected) in rows {
            assert_eq!(inferred_test_task(files), *expected, "{shape}");
        }
    }

    #[test]
    fn chained_test_commands_keep_their_test_steps_over_in_memory_projects() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
        let requirements = ("requirements.txt", "pytest\nruff\n");
        let rows: &[Row] = &[
            (
                "a Makefile recipe of lint lines and one test line",
                &[
                    requirements,
                    (
                        "Makefile",
                        "test:\n\t@ruff check .\n\t-mypy src\n\tnpm test\n\tpython -m pytest -q\n",
                    ),
                ],
                "python -m pytest -q",
            ),
            (
                "a Makefile recipe whose one line chains lint and tests",
                &[
                    requirements,
                    ("Makefile", "test:\n\truff check . && pytest -x\n"),
                ],
                "python -m pytest -x",
            ),
            (
                "a Makefile recipe of two lines that run tests is not read",
                &[
                    requirements,
                    ("Makefile", "test:\n\tpytest tests/a\n\tpytest tests/b\n"),
                    ("tests/test_a.py", ""),
                ],
                "python -m pytest",
            ),
            (
                "a Justfile recipe",
                &[
                    requirements,
                    (
                        "Justfile",
                        "test:\n    uv run ruff format --check .\n    uv run pytest\n",
                    ),
                ],
                "python -m pytest",
            ),
            (
                "tox commands",
                &[
                    requirements,
                    (
                        "tox.ini",
                        "[testenv]\ncommands =\n    flake8 src\n    pytest {posargs}\n",
                    ),
                ],
                "python -m pytest",
            ),
            (
                "a poe shell task",
                &[
                    requirements,
                    (
                        "pyproject.toml",
                        "[tool.poe.tasks.test]\nshell = \"\"\"\nmkdir -p out\nblack --check .\npytest\n\"\"\"\n",
                    ),
                ],
                "mkdir -p out && python -m pytest",
            ),
            (
                "a PDM composite",
                &[
                    requirements,
                    (
                        "pyproject.toml",
                        "[tool.pdm.scripts]\nlint = \"ruff check .\"\nunit = \"pytest -q\"\ntest = { composite = [\"lint\", \"unit\"] }\n",
                    ),
                ],
                "python -m pytest -q",
            ),
            (
                "a poe sequence that only lints is not followed",
                &[
                    requirements,
                    (
                        "pyproject.toml",
                        "[tool.poe.tasks]\ntest = [{ cmd = \"ruff check .\" }]\n",
                    ),
                    ("tests/test_a.py", ""),
                ],
                "python -m pytest",
            ),
        ];
        for (shape, files, expected) in rows {
            assert_eq!(inferred_test_task(files), *expected, "{shape}");
        }
    }

    /// The test task inferred for an in-memory project of `files`.
    fn inferred_test_task(files: &[(&str, &str)]) -> String {
        let project = Project::in_memory("shape", files);
        let mut answers = crate::answers::builtin("shape");
        super::super::infer(&project).apply(&mut answers);
        answers.tasks.test.to_string()
    }

    #[test]
    fn requirement_lines_name_their_distribution() {
        let rows = [
            ("pytest", Some("pytest")),
            ("pytest>=8", Some("pytest")),
            ("Flake8 == 7.0 ; python_version >= '3.9'", Some("flake8")),
            ("ruff[format]~=0.5", Some("ruff")),
            ("pre_commit", Some("pre-commit")),
            ("pkg @ https://example.com/pkg.whl", Some("pkg")),
            ("-e .", None),
            ("--index-url https://example.com", None),
            ("# pytest", None),
            ("./vendor/pkg", None),
            ("", None),
        ];
        for (line, name) in rows {
            assert_eq!(requirement_name(line).as_deref(), name, "{line:?}");
        }
    }
}
