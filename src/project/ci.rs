//! What the repo's own CI runs: whether a pipeline step's commands run Python tests,
//! directly or through the scripts, `make` targets and hatch scripts they call. Each
//! provider (`crate::ci`) says which steps its pipelines run.

use std::borrow::Cow;
use std::path::Path;

use regex::Regex;

use crate::ci::{Scripts, Step};
use crate::project::makefile;

/// Words in a workflow that mean it runs a Python test suite.
const TEST_WORDS: &[&str] = &[
    "pytest",
    "py.test",
    "tox",
    "nox",
    "unittest",
    "make test",
    "hatch test",
    "hatch run test",
    "manage.py test",
    "setup.py test",
    // pytest's own options: a run inside a container (`docker compose run app tests
    // --junitxml=…`) is a pytest run too.
    "--junitxml",
    "--cov-report",
];

/// What in a Python file the CI runs means it runs tests: it calls pytest or unittest
/// (a mention such as a `pytest-cov` requirement does not).
const PYTHON_TEST_CALLS: &[&str] = &[
    "import pytest",
    "pytest.main(",
    "\"pytest\"",
    "'pytest'",
    "-m pytest",
    "import unittest",
    "from unittest import",
    "unittest.main(",
];

/// How many files deep a step's command is followed: a workflow runs `scripts/test`, which
/// runs `scripts/test.sh`, which runs pytest (the shape of fastapi's project template).
const DEPTH: usize = 3;

/// Commands that run the rest of their line in an environment; what counts is that rest.
const WRAPPERS: &[&str] = &[
    "time", "sudo", "env", "exec", "command", "xvfb-run", "nice", "uvx",
];

/// Tools whose `run` subcommand runs the rest of the line in the project's environment.
const RUNNERS: &[&str] = &["uv", "poetry", "pdm", "pipenv", "rye"];

/// Options of those runners (and `coverage run`) that take a value as the next word.
const OPTIONS_WITH_VALUE: &[&str] = &[
    "--with",
    "--python",
    "-p",
    "--group",
    "--extra",
    "--package",
    "--directory",
    "--project",
    "--env-file",
    "--source",
    "--rcfile",
    "--omit",
    "--include",
    "--data-file",
    "-C",
    "-f",
    "--file",
    "--makefile",
    "-X",
    "-W",
];

/// The project reader's judge of what a pipeline runs: `files` reads a repository file
/// (the scripts, `Makefile`s and TOML files the commands lead to).
pub(crate) struct Judge<'a> {
    pub(crate) files: &'a dyn Fn(&str) -> Option<String>,
    pub(crate) root: RootTables<'a>,
}

impl Scripts for Judge<'_> {
    fn names_test_runner(&self, text: &str) -> bool {
        names_test_runner(text)
    }

    fn runs_tests(&self, step: &Step) -> bool {
        let context = Context {
            dirs: step.dir.iter().cloned().collect(),
            files: self.files,
            root: self.root,
        };
        script_tests(&step.script, &context, DEPTH)
    }
}

/// Whether `text` names a Python test runner as a word (`pytest`, not `pytest-cov`).
pub(crate) fn names_test_runner(text: &str) -> bool {
    let text = text.to_lowercase();
    TEST_WORDS.iter().any(|word| {
        text.match_indices(word).any(|(at, _)| {
            let before = text[..at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            let word_char = |c: char| c.is_alphanumeric() || c == '_';
            !before.is_some_and(word_char) && !after.is_some_and(|c| word_char(c) || c == '-')
        })
    })
}

/// Whether a Python file calls a test runner.
fn calls_test_runner(python: &str) -> bool {
    PYTHON_TEST_CALLS.iter().any(|call| python.contains(call))
}

/// The repository's own `pyproject.toml` and `hatch.toml` tables, parsed once by the
/// project reader; `None` where there is none (or the file is not valid TOML).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RootTables<'a> {
    pub(crate) pyproject: Option<&'a toml::Table>,
    pub(crate) hatch: Option<&'a toml::Table>,
}

/// Where a command runs and how files are read.
struct Context<'a> {
    /// The directories, relative to the repository, a relative path is tried in, nearest
    /// first: the directory of the script being read, the step's working directory; the
    /// repository's root is tried last.
    dirs: Vec<String>,
    files: &'a dyn Fn(&str) -> Option<String>,
    root: RootTables<'a>,
}

impl<'a> Context<'a> {
    /// The path and text of `path`, relative to one of the directories or the root.
    fn read(&self, path: &str) -> Option<(String, String)> {
        let path = path.trim_start_matches("./");
        self.dirs
            .iter()
            .filter(|dir| !dir.is_empty())
            .map(|dir| format!("{dir}/{path}"))
            .chain([path.to_string()])
            .find_map(|path| (self.files)(&path).map(|text| (path, text)))
    }

    /// The table of TOML file `name` as found from here (see `read`): the root's, parsed
    /// already, or a subdirectory's, parsed now.
    fn toml(&self, name: &str, root: Option<&'a toml::Table>) -> Option<Cow<'a, toml::Table>> {
        let (path, text) = self.read(name)?;
        match root {
            Some(table) if path == name => Some(Cow::Borrowed(table)),
            _ => crate::project::files::parse_toml(&text)
                .ok()
                .map(Cow::Owned),
        }
    }

    /// The context of the commands in `path`, a repository-relative file: a script that
    /// starts with `cd "$(dirname "$0")"` runs them beside itself, one started from the
    /// step's directory runs them there.
    fn beside(&self, path: &str) -> Context<'_> {
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        self.within(dir)
    }

    /// This context with `dir` (relative to the repository) tried first.
    fn within(&self, dir: &str) -> Context<'_> {
        Context {
            dirs: std::iter::once(dir.to_string())
                .chain(self.dirs.iter().cloned())
                .collect(),
            files: self.files,
            root: self.root,
        }
    }
}

/// Whether a shell script's commands run Python tests, following the files they run.
fn script_tests(script: &str, context: &Context<'_>, depth: usize) -> bool {
    commands(script)
        .iter()
        .any(|words| command_tests(words, context, depth))
}

/// The simple commands of a shell script, as words: lines joined at a trailing `\`, split
/// at `&&`, `||`, `;` and `|`; comments dropped.
fn commands(script: &str) -> Vec<Vec<String>> {
    // A GitHub expression is one word, whatever its `||` and spaces.
    let expressions = Regex::new(r"\$\{\{.*?\}\}").expect("a valid regex");
    let joined = expressions
        .replace_all(script, regex::NoExpand("${{expression}}"))
        .replace("\\\n", " ");
    let mut commands = Vec::new();
    for line in joined.lines() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        for part in line.split("&&").flat_map(|part| part.split("||")) {
            for command in part.split([';', '|']) {
                let words: Vec<String> = command
                    .split_whitespace()
                    .map(|word| word.trim_matches(['"', '\'', '(', ')']).to_string())
                    .filter(|word| !word.is_empty())
                    .collect();
                if !words.is_empty() {
                    commands.push(words);
                }
            }
        }
    }
    commands
}

/// Whether one command runs Python tests: it names a test runner, or it runs a file of the
/// repository that does (one file deeper, up to `depth`).
fn command_tests(words: &[String], context: &Context<'_>, depth: usize) -> bool {
    if names_test_runner(&words.join(" ")) {
        return true;
    }
    if depth == 0 {
        return false;
    }
    let words = strip_wrappers(words);
    let Some(program) = words.first() else {
        return false;
    };
    let name = program.rsplit('/').next().unwrap_or(program);
    let args = &words[1..];
    match name {
        "make" | "gmake" => make_tests(args, context, depth),
        "sh" | "bash" | "dash" | "zsh" => shell_tests(args, context, depth),
        "hatch" => hatch_tests(args, context, depth),
        "poe" => poe_tests(args, context, depth),
        "just" => just_tests(args, context, depth),
        "npm" | "yarn" | "pnpm" => npm_tests(args, context, depth),
        _ if is_python(name) => python_tests(args, context),
        _ => file_tests(program, context, depth) || named_script_tests(program, context, depth),
    }
}

/// A name left after `pipenv run` or `pdm run`: a script of the `Pipfile`'s `[scripts]` or
/// of `[tool.pdm.scripts]` (`pipenv run tests` → `pytest -v`).
fn named_script_tests(name: &str, context: &Context<'_>, depth: usize) -> bool {
    use crate::project::poe::{RunnerTask, pdm_script};
    let pipfile = context
        .toml("Pipfile", None)
        .and_then(|pipfile| Some(pipfile.get("scripts")?.get(name)?.as_str()?.to_string()));
    let pdm = || {
        context
            .toml("pyproject.toml", context.root.pyproject)
            .and_then(|pyproject| match pdm_script(&pyproject, name)? {
                RunnerTask::Cmd(script) | RunnerTask::Shell(script) => Some(script),
                RunnerTask::Sequence(steps) => Some(
                    steps
                        .into_iter()
                        .filter_map(|step| match step {
                            RunnerTask::Cmd(script) | RunnerTask::Shell(script) => Some(script),
                            _ => None,
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                RunnerTask::Other => None,
            })
    };
    pipfile
        .or_else(pdm)
        .is_some_and(|script| script_tests(&script, context, depth - 1))
}

/// `words` without leading `VAR=value`s, wrappers (`time`, `env`, …), `uv run` and its
/// kin, and `coverage run` (whose `-m pytest` reads as `python -m pytest`).
fn strip_wrappers(words: &[String]) -> Vec<String> {
    let mut words = words.to_vec();
    loop {
        let first = words.first().map(String::as_str).unwrap_or_default();
        let second = words.get(1).map(String::as_str);
        let skip = if first.contains('=') && !first.starts_with('-') {
            1
        } else if WRAPPERS.contains(&first) {
            1 + skip_options(&words[1..])
        } else if RUNNERS.contains(&first) && second == Some("run") {
            2 + skip_options(&words[2..])
        } else if first == "coverage" && second == Some("run") {
            let options = skip_options(&words[2..]);
            words.splice(..2 + options, ["python".to_string()]);
            return words;
        } else {
            return words;
        };
        words.drain(..skip.min(words.len()));
    }
}

/// How many leading words of `words` are options (with their values).
fn skip_options(words: &[String]) -> usize {
    let mut at = 0;
    while let Some(word) = words.get(at) {
        if !word.starts_with('-') || word == "-m" || word == "-c" {
            break;
        }
        at += if OPTIONS_WITH_VALUE.contains(&word.as_str()) {
            2
        } else {
            1
        };
    }
    at
}

fn is_python(name: &str) -> bool {
    ["python", "pypy", "py"].iter().any(|stem| {
        name.strip_prefix(stem).is_some_and(|rest| {
            rest.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == 't')
        })
    })
}

/// `make [-C dir] [-f file] [targets]`: the named targets' recipes (and their
/// prerequisites' recipes), or the default goal's.
fn make_tests(args: &[String], context: &Context<'_>, depth: usize) -> bool {
    let mut sub = String::new();
    let mut file: Option<String> = None;
    let mut targets = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        match word.as_str() {
            "-C" | "--directory" => {
                sub = words
                    .next()
                    .map(|dir| dir.trim_start_matches("./").trim_end_matches('/'))
                    .unwrap_or_default()
                    .to_string();
            }
            "-f" | "--file" | "--makefile" => file = words.next().cloned().or(file),
            word if word.starts_with('-') || word.contains('=') => {}
            target => targets.push(target.to_string()),
        }
    }
    let context = if sub.is_empty() || sub == "." {
        context.within("")
    } else {
        let base = context.dirs.first().map_or("", String::as_str);
        let dir = if base.is_empty() {
            sub
        } else {
            format!("{base}/{sub}")
        };
        context.within(&dir)
    };
    // Without `-f`, the first of the names GNU make looks for.
    let found = match &file {
        Some(file) => context.read(file),
        None => makefile::NAMES.iter().find_map(|name| context.read(name)),
    };
    let Some((_, text)) = found else {
        return false;
    };
    if targets.is_empty() {
        targets.extend(makefile::default_goal(&text));
    }
    let recipe = |target: &str| makefile::rule(&text, target).unwrap_or_default();
    targets.iter().any(|target| {
        let rule = recipe(target);
        rule.prerequisites
            .iter()
            .map(|prerequisite| recipe(prerequisite).recipe)
            .chain([rule.recipe])
            .any(|lines| {
                let script = lines
                    .iter()
                    .map(|line| line.trim_start_matches(['@', '-', '+']))
                    .collect::<Vec<_>>()
                    .join("\n");
                script_tests(&script, &context, depth - 1)
            })
    })
}

/// `sh [options] script` or `sh -c 'command'`.
fn shell_tests(args: &[String], context: &Context<'_>, depth: usize) -> bool {
    if let Some(at) = args.iter().position(|word| word == "-c") {
        return script_tests(&args[at + 1..].join(" "), context, depth);
    }
    args.iter()
        .find(|word| !word.starts_with('-'))
        .is_some_and(|script| file_tests(script, context, depth))
}

/// `hatch run [env:]script`: the script as `pyproject.toml` (or `hatch.toml`) defines it
/// for that environment (`default` when none is named).
fn hatch_tests(args: &[String], context: &Context<'_>, depth: usize) -> bool {
    if args.first().map(String::as_str) != Some("run") {
        return false;
    }
    let Some(call) = args[1..].iter().find(|word| !word.starts_with(['-', '+'])) else {
        return false;
    };
    let (env, script) = call.split_once(':').unwrap_or(("default", call));
    // Like `make test`: an environment or script named for tests runs them, however
    // hatch's matrix overrides define it.
    if [env, script].iter().any(|name| name.starts_with("test")) {
        return true;
    }
    let from_pyproject = context
        .toml("pyproject.toml", context.root.pyproject)
        .and_then(|table| hatch_script(table.get("tool")?.get("hatch")?, env, script));
    let from_hatch_toml = || {
        context
            .toml("hatch.toml", context.root.hatch)
            .and_then(|table| hatch_script(&toml::Value::Table(table.into_owned()), env, script))
    };
    from_pyproject
        .or_else(from_hatch_toml)
        .is_some_and(|lines| script_tests(&lines, context, depth - 1))
}

/// How a task runner is called: with one task, or with a matrix value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskCall<'a> {
    Named(&'a str),
    /// A GitHub expression (`poe ${{ matrix.task }}`) stands for every task the matrix
    /// names: the runner's tasks named for tests are judged instead.
    Matrix,
}

/// The task a runner is called with: its first word that is not an option.
fn task_name(args: &[String]) -> Option<TaskCall<'_>> {
    let word = args.iter().find(|word| !word.starts_with('-'))?;
    Some(if word.starts_with('$') {
        TaskCall::Matrix
    } else {
        TaskCall::Named(word)
    })
}

/// Whether a task name is one a matrix over tasks runs the tests with.
fn named_for_tests(name: &str) -> bool {
    name.starts_with("test")
}

/// `poe task`: the task as `[tool.poe.tasks]` of `pyproject.toml` defines it.
fn poe_tests(args: &[String], context: &Context<'_>, depth: usize) -> bool {
    use crate::project::poe::{RunnerTask, task};
    let Some(pyproject) = context.toml("pyproject.toml", context.root.pyproject) else {
        return false;
    };
    let runs = |name: &str| match task(&pyproject, name) {
        Some(RunnerTask::Cmd(script) | RunnerTask::Shell(script)) => {
            script_tests(&script, context, depth - 1)
        }
        // A sequence whose steps run tests, or one named for tests.
        Some(RunnerTask::Sequence(steps)) => {
            named_for_tests(name)
                || steps.iter().any(|step| match step {
                    RunnerTask::Cmd(script) | RunnerTask::Shell(script) => {
                        script_tests(script, context, depth - 1)
                    }
                    _ => false,
                })
        }
        // A task decided by poe at run time: named for tests, it runs them.
        Some(RunnerTask::Other) => named_for_tests(name),
        None => false,
    };
    match task_name(args) {
        Some(TaskCall::Named(name)) => runs(name),
        Some(TaskCall::Matrix) => pyproject
            .get("tool")
            .and_then(|tool| tool.get("poe")?.get("tasks")?.as_table())
            .is_some_and(|tasks| tasks.keys().any(|name| named_for_tests(name) && runs(name))),
        None => false,
    }
}

/// `just recipe`: the recipe's body and its dependencies' bodies in the `Justfile`.
fn just_tests(args: &[String], context: &Context<'_>, depth: usize) -> bool {
    use crate::project::justfile::recipe;
    let Some((_, text)) = context
        .read("Justfile")
        .or_else(|| context.read("justfile"))
    else {
        return false;
    };
    let runs = |name: &str| {
        recipe(&text, name).is_some_and(|recipe| {
            recipe
                .dependencies
                .iter()
                .filter_map(|dependency| recipe_body(&text, dependency))
                .chain([recipe.body.join(
                    "
",
                )])
                .any(|body| script_tests(&body, context, depth - 1))
        })
    };
    match task_name(args) {
        Some(TaskCall::Named(name)) => runs(name),
        Some(TaskCall::Matrix) => ["test", "tests"].iter().any(|name| runs(name)),
        None => false,
    }
}

/// A recipe's body as one script.
fn recipe_body(text: &str, name: &str) -> Option<String> {
    crate::project::justfile::recipe(text, name).map(|recipe| {
        recipe.body.join(
            "
",
        )
    })
}

/// `npm test`, `npm run name` (yarn and pnpm alike): the script of `package.json`, when it
/// reaches a Python test runner (a JavaScript suite does not count).
fn npm_tests(args: &[String], context: &Context<'_>, depth: usize) -> bool {
    let Some((_, text)) = context.read("package.json") else {
        return false;
    };
    let Ok(package) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let Some(scripts) = package
        .get("scripts")
        .and_then(serde_json::Value::as_object)
    else {
        return false;
    };
    let words: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|word| !word.starts_with('-'))
        .collect();
    let name = match words.as_slice() {
        ["test" | "t", ..] => "test",
        ["run" | "run-script", name, ..] | [name, ..] => name,
        [] => return false,
    };
    let runs = |name: &str| {
        scripts
            .get(name)
            .and_then(serde_json::Value::as_str)
            .is_some_and(|script| script_tests(script, context, depth - 1))
    };
    if name.starts_with('$') {
        scripts
            .keys()
            .any(|name| named_for_tests(name) && runs(name))
    } else {
        runs(name)
    }
}

/// The commands of hatch script `script` in environment `env` of a `[tool.hatch]` table.
fn hatch_script(hatch: &toml::Value, env: &str, script: &str) -> Option<String> {
    let value = hatch.get("envs")?.get(env)?.get("scripts")?.get(script)?;
    match value {
        toml::Value::String(line) => Some(line.clone()),
        toml::Value::Array(lines) => Some(
            lines
                .iter()
                .filter_map(toml::Value::as_str)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        _ => None,
    }
}

/// `python [options] -m module` or `python script.py`: a module of a test package
/// (`tests.run`, `pkg.tests.runner`) runs tests; otherwise the file is read.
fn python_tests(args: &[String], context: &Context<'_>) -> bool {
    let options = skip_options(args);
    let Some(first) = args.get(options) else {
        return false;
    };
    let (module, path) = if first == "-m" {
        let Some(module) = args.get(options + 1) else {
            return false;
        };
        (module.clone(), None)
    } else if first == "-c" {
        return false;
    } else {
        (String::new(), Some(first.clone()))
    };
    let test_part = |part: &str| {
        part == "test" || part == "tests" || part.starts_with("test_") || part.ends_with("_test")
    };
    if let Some(path) = path {
        let stem = path.trim_end_matches(".py");
        return stem.split('/').any(test_part)
            || context
                .read(&path)
                .is_some_and(|(_, text)| calls_test_runner(&text));
    }
    if module.split('.').any(test_part) {
        return true;
    }
    let file = module.replace('.', "/");
    [
        format!("{file}.py"),
        format!("{file}/__main__.py"),
        format!("src/{file}.py"),
        format!("src/{file}/__main__.py"),
    ]
    .iter()
    .find_map(|path| context.read(path))
    .is_some_and(|(_, text)| calls_test_runner(&text))
}

/// A program that is a file of the repository (`scripts/test`, `./run-tests.sh`): its text
/// names a test runner, or (a shell script) its own commands run one.
fn file_tests(program: &str, context: &Context<'_>, depth: usize) -> bool {
    let Some((path, text)) = context.read(program) else {
        return false;
    };
    let python = Path::new(&path)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("py"))
        || text
            .lines()
            .next()
            .is_some_and(|shebang| shebang.starts_with("#!") && shebang.contains("python"));
    if python {
        return calls_test_runner(&text);
    }
    names_test_runner(&text) || script_tests(&text, &context.beside(&path), depth - 1)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::ci::{Found, Provider};

    #[test]
    fn workflows_that_run_python_tests() {
        let rows = [
            ("jobs:\n  t:\n    steps:\n      - run: pytest -q\n", true),
            ("      - run: python -m pytest\n", true),
            ("      - run: tox -e py\n", true),
            ("      - run: nox -s tests\n", true),
            ("      - run: make test\n", true),
            ("      - run: python -m unittest discover\n", true),
            ("      - run: npm test\n", false),
            ("      - run: cargo test\n", false),
            ("      - uses: toxiproxy/x@v1\n", false),
            (
                "# Generated by pybootstrap: edit\n      - run: pytest\n",
                false,
            ),
        ];
        for (text, expected) in rows {
            assert_eq!(decide(text, &[]), expected, "{text:?}");
        }
    }

    /// Whether `provider` counts its pipeline at `path` as running the tests, with the
    /// repository's other files in `files`.
    fn own_tests(
        provider: Provider,
        path: &str,
        text: &str,
        files: &BTreeMap<String, String>,
    ) -> bool {
        let judge = Judge {
            files: &|path: &str| files.get(path).cloned(),
            root: RootTables::default(),
        };
        let found = [Found {
            path,
            text: Some(text),
        }];
        !provider.ci().read(&found, &judge).own_tests.is_empty()
    }

    fn decide(workflow: &str, files: &[(&str, &str)]) -> bool {
        let files: BTreeMap<String, String> = files
            .iter()
            .map(|(path, text)| ((*path).to_string(), (*text).to_string()))
            .collect();
        own_tests(
            Provider::Github,
            ".github/workflows/ci.yml",
            workflow,
            &files,
        )
    }

    fn step(run: &str) -> String {
        format!(
            "jobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n      - name: Run\n        run: {run}\n"
        )
    }

    #[test]
    fn steps_are_followed_into_poe_just_and_npm_tasks() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], bool);
        let pyproject = "[tool.poe.tasks]\nunit = \"pytest --capture=no\"\ncheck = { shell = \"ruff check . && python -m pytest\" }\ntests = [\"lint\", \"unit\"]\ndocs = \"mkdocs build\"\n";
        let justfile = "install:\n    uv sync\n\nci: unit\n    ruff check .\n\nunit *args:\n    uv run pytest {{args}}\n\ntest: unit\n\ndocs:\n    mkdocs build\n";
        let package =
            r#"{"scripts": {"test": "jest", "test:py": "pytest backend", "lint": "eslint ."}}"#;
        let rows: &[Row<'_>] = &[
            ("poe unit", &[("pyproject.toml", pyproject)], true),
            (
                "pipenv run tests",
                &[(
                    "Pipfile",
                    "[scripts]\ntests = \"pytest -v -m 'not internet'\"\n",
                )],
                true,
            ),
            (
                "pdm run test",
                &[("pyproject.toml", "[tool.pdm.scripts]\ntest = \"pytest\"\n")],
                true,
            ),
            (
                "pipenv run serve",
                &[("Pipfile", "[scripts]\nserve = \"flask run\"\n")],
                false,
            ),
            ("uv run poe check", &[("pyproject.toml", pyproject)], true),
            ("poe tests", &[("pyproject.toml", pyproject)], true),
            ("poe docs", &[("pyproject.toml", pyproject)], false),
            (
                "poe ${{ matrix.task }}",
                &[("pyproject.toml", pyproject)],
                true,
            ),
            (
                "poe ${{ matrix.task }}",
                &[(
                    "pyproject.toml",
                    "[tool.poe.tasks]\ndocs = \"mkdocs build\"\n",
                )],
                false,
            ),
            ("just ci", &[("Justfile", justfile)], true),
            ("just test", &[("justfile", justfile)], true),
            ("just docs", &[("Justfile", justfile)], false),
            ("just ${{ matrix.recipe }}", &[("Justfile", justfile)], true),
            ("npm test", &[("package.json", package)], false),
            ("npm run test:py", &[("package.json", package)], true),
            ("yarn test:py", &[("package.json", package)], true),
            ("npm run lint", &[("package.json", package)], false),
            ("npm run test:py", &[("package.json", "{not json")], false),
        ];
        for (run, files, expected) in rows {
            assert_eq!(decide(&step(run), files), *expected, "{run} with {files:?}");
        }
    }

    #[test]
    fn steps_are_followed_into_the_files_they_run() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], bool);
        let test_script = "#!/bin/sh\nset -ex\n${PREFIX}coverage run -m pytest \"$@\"\n";
        let makefile = ".PHONY: test ci\nci: deps\n\tpython -m pytest --junitxml=r.xml\ndeps:\n\tpip install -e .\ndocs:\n\tsphinx-build docs out\n";
        let rows: &[Row<'_>] = &[
            // A script the step runs, by path or through a shell or a runner.
            ("\"scripts/test\"", &[("scripts/test", test_script)], true),
            ("./run-tests.sh", &[("run-tests.sh", test_script)], true),
            (
                "bash scripts/test.sh",
                &[("scripts/test.sh", test_script)],
                true,
            ),
            (
                "uv run --frozen bash scripts/test.sh",
                &[("scripts/test.sh", test_script)],
                true,
            ),
            (
                "scripts/check",
                &[("scripts/check", "ruff check .\n")],
                false,
            ),
            ("scripts/test", &[], false),
            (
                "/usr/bin/scripts/test",
                &[("usr/bin/scripts/test", test_script)],
                false,
            ),
            // Two scripts deep.
            (
                "scripts/test",
                &[
                    ("scripts/test", "#!/bin/sh\nscripts/unit \"$@\"\n"),
                    ("scripts/unit", test_script),
                ],
                true,
            ),
            // A make target's recipe, or its prerequisites'.
            ("make ci", &[("Makefile", makefile)], true),
            ("make docs", &[("Makefile", makefile)], false),
            ("make", &[("Makefile", makefile)], true),
            (
                "make -C backend check",
                &[(
                    "backend/Makefile",
                    "check: lint unit\nlint:\n\truff .\nunit:\n\t@pytest\n",
                )],
                true,
            ),
            // hatch scripts from pyproject.toml.
            (
                "hatch run +py=3.12 test:with-coverage",
                &[(
                    "pyproject.toml",
                    "[tool.hatch.envs.test.scripts]\nwith-coverage = ['coverage run -m unittest discover', 'coverage xml']\n",
                )],
                true,
            ),
            (
                "hatch run cov",
                &[(
                    "pyproject.toml",
                    "[tool.hatch.envs.default.scripts]\ncov = 'pytest --cov'\n",
                )],
                true,
            ),
            (
                "hatch run +py=${{ matrix.py || matrix.python-version }} test:with-coverage",
                &[],
                true,
            ),
            (
                "hatch run docs:build",
                &[(
                    "pyproject.toml",
                    "[tool.hatch.envs.docs.scripts]\nbuild = 'mkdocs build'\n",
                )],
                false,
            ),
            // A module of a test package, or one whose file runs a test runner.
            ("python -m simplejson.tests._cibw_runner .", &[], true),
            ("python3 -m tests.run_tests --image base", &[], true),
            (
                "python -m tools.check",
                &[("tools/check.py", "import pytest\npytest.main()\n")],
                true,
            ),
            ("python -m build", &[], false),
            (
                "python scripts/docs.py build",
                &[("scripts/docs.py", "import mkdocs\n")],
                false,
            ),
            // pytest's options on a run in a container.
            (
                "docker compose run --name tests app tests --junitxml=junit.xml tests/",
                &[],
                true,
            ),
            // Not tests: a requirement named after a runner, a mention in a Python file.
            ("pip install pytest-cov tox-gh-actions", &[], false),
            (
                "python scripts/bench.py",
                &[("scripts/bench.py", "PROJECTS = ['pytest-cov', 'tox']\n")],
                false,
            ),
            (
                "python scripts/run.py",
                &[(
                    "scripts/run.py",
                    "import subprocess\nsubprocess.run(['python', '-m', 'pytest'])\n",
                )],
                true,
            ),
            ("pre-commit run --all-files", &[], false),
            ("mkdocs build --strict", &[], false),
        ];
        for (run, files, expected) in rows {
            assert_eq!(decide(&step(run), files), *expected, "{run} {files:?}");
        }
    }

    #[test]
    fn gitlab_jobs_are_followed_into_the_files_they_run() {
        let files: BTreeMap<String, String> = [
            ("scripts/test", "#!/bin/sh\ncoverage run -m pytest\n"),
            (
                "Makefile",
                "check:\n\tpython -m pytest\nbuild:\n\tpython -m build\n",
            ),
        ]
        .into_iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect();
        let decide = |text: &str| own_tests(Provider::Gitlab, ".gitlab-ci.yml", text, &files);
        let rows = [
            ("test:\n  script:\n    - scripts/test\n", true),
            ("test:\n  script:\n  - make check\n", true),
            ("test:\n  script: [pip install -e ., make check]\n", true),
            (
                "test:\n  script:\n    - |\n      set -e\n      scripts/test\n",
                true,
            ),
            (
                "build:\n  script:\n    - make build\n  artifacts:\n    paths: [scripts/test]\n",
                false,
            ),
            ("stages:\n  - test\nbuild:\n  script: make build\n", false),
            (
                "# Generated by pybootstrap\ntest:\n  script: [scripts/test]\n",
                false,
            ),
        ];
        for (text, expected) in rows {
            assert_eq!(decide(text), expected, "{text:?}");
        }
    }

    #[test]
    fn a_steps_working_directory_is_where_its_files_are() {
        let workflow = "jobs:\n  test:\n    steps:\n      - name: Run tests\n        run: uv run bash scripts/tests-start.sh \"Coverage\"\n        working-directory: backend\n";
        let script = "#!/usr/bin/env bash\nset -e\ncoverage run -m pytest tests/\n";
        assert!(decide(
            workflow,
            &[("backend/scripts/tests-start.sh", script)]
        ));
        assert!(!decide(
            workflow,
            &[("frontend/scripts/tests-start.sh", script)]
        ));
    }

    #[test]
    fn commands_split_at_operators_and_drop_wrappers() {
        let words = |text: &str| -> Vec<Vec<String>> { commands(text) };
        assert_eq!(
            words("a b && c || d; e | f\n# g\nh \\\n  i"),
            [
                vec!["a", "b"],
                vec!["c"],
                vec!["d"],
                vec!["e"],
                vec!["f"],
                vec!["h", "i"]
            ]
        );
        let stripped = |text: &str| strip_wrappers(&commands(text)[0]);
        assert_eq!(
            stripped("FOO=1 time uv run --with x scripts/t"),
            ["scripts/t"]
        );
        assert_eq!(
            stripped("coverage run --branch -m pytest"),
            ["python", "-m", "pytest"]
        );
        assert_eq!(stripped("poetry run python -m x"), ["python", "-m", "x"]);
    }

    #[test]
    fn pythons_by_name() {
        for (name, expected) in [
            ("python", true),
            ("python3", true),
            ("python3.12", true),
            ("python3.13t", true),
            ("pypy3", true),
            ("py", true),
            ("pytest", false),
            ("pyright", false),
        ] {
            assert_eq!(is_python(name), expected, "{name}");
        }
    }
}
