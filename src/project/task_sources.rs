//! The test command a project already runs through its own tool (a `Makefile` `test`
//! target, tox, nox, Hatch), translated to a command run inside the environment: only when
//! the translation is certain to mean the same, else `None` and the pytest/unittest rule
//! decides.

use super::tox::Conditional;

/// Tools that build environments of their own: a command that calls one is not a command
/// to run inside ours.
const ENV_RUNNERS: &[&str] = &[
    "tox", "nox", "hatch", "poetry", "pdm", "uv", "pipenv", "make", "$(MAKE)", "docker", "just",
    "poe", "invoke", "inv",
];

/// The commands of one task, joined as one shell line; `None` when there are none or one is
/// not runnable as it stands.
fn join(commands: Vec<String>) -> Option<String> {
    if commands.is_empty() {
        return None;
    }
    let runnable = commands.iter().all(|command| {
        let first = command.split_whitespace().next().unwrap_or_default();
        !ENV_RUNNERS.contains(&first)
            && !command.contains('\n')
            && !command.ends_with('\\')
            && !command.trim().is_empty()
    });
    runnable.then(|| commands.join(" && "))
}

/// Replaces the `{name}` and `{name:default}` substitutions of tox and Hatch: `passthrough`
/// (`posargs`, `args`) becomes its default or nothing, `python` names (`envpython`) become
/// `python`, `root` names (`toxinidir`, `root`) become `.`; any other substitution means the
/// line cannot be translated.
fn substitute(line: &str, passthrough: &str, python: &str, root: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        // A default may hold substitutions of its own: `{posargs: "{toxinidir}/tests"}`.
        let mut depth = 0usize;
        let close = rest[open..].find(|character| {
            depth += usize::from(character == '{');
            depth -= usize::from(character == '}');
            depth == 0
        })? + open;
        let inner = &rest[open + 1..close];
        let (name, default) = match inner.split_once(':') {
            Some((name, default)) => (name, Some(default)),
            None => (inner, None),
        };
        match name {
            _ if name == passthrough => out.push_str(&substitute(
                default.unwrap_or_default(),
                passthrough,
                python,
                root,
            )?),
            _ if !python.is_empty() && name == python && default.is_none() => {
                out.push_str("python");
            }
            _ if name == root && default.is_none() => out.push('.'),
            _ => return None,
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(collapsed)
}

/// Whether a tox command only installs into its environment (`pip-sync requirements/x.txt`,
/// `pip install -e .`, `python -m pip install …`).
fn installs_into_the_env(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let words = match words.as_slice() {
        [python, "-m", rest @ ..] if python.contains("python") => rest,
        all => all,
    };
    matches!(
        words,
        ["pip-sync" | "pip-sync-faster", ..] | ["pip" | "pip3", "install", ..]
    )
}

/// tox: the `commands` of `[testenv]` (the value of the ini key, lines and all), for the
/// environment whose factors other than Python's are `chosen` (`tox::test_factors`).
pub(crate) fn from_tox(commands: &str, chosen: &[String]) -> Option<String> {
    let mut translated = Vec::new();
    let mut pending = String::new();
    for line in commands.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(start) = line.strip_suffix('\\') {
            pending.push_str(start);
            pending.push(' ');
            continue;
        }
        let line = std::mem::take(&mut pending) + line;
        // `-cmd` ignores a failure, `!cmd` inverts it, `py38: cmd` runs in some envs only.
        let factor = line.split_once(':').is_some_and(|(head, tail)| {
            tail.starts_with(char::is_whitespace)
                && !head.is_empty()
                && head.chars().all(|character| {
                    character.is_ascii_alphanumeric()
                        || matches!(character, ',' | '-' | '!' | '.' | '_')
                })
        });
        let line = if factor {
            match super::tox::conditional_command(&line, chosen) {
                Conditional::Runs(command) => command.to_string(),
                Conditional::Skipped => continue,
                Conditional::Unknown => return None,
            }
        } else {
            line
        };
        if line.starts_with(['-', '!']) {
            return None;
        }
        if installs_into_the_env(&line) {
            // What the command installs, the bootstrap has installed.
            continue;
        }
        translated.push(substitute(&line, "posargs", "envpython", "toxinidir")?);
    }
    if !pending.is_empty() {
        return None;
    }
    join(translated)
}

/// Hatch: the `test` script of an environment (a string, or a list of strings run in order),
/// given with the environment's other script names, which a command may call by name.
pub(crate) fn from_hatch_script(commands: &[&str], scripts: &[&str]) -> Option<String> {
    let mut translated = Vec::new();
    for command in commands {
        let command = substitute(command.trim(), "args", "", "root")?;
        let first = command.split_whitespace().next().unwrap_or_default();
        // `- cmd` ignores a failure; a script name runs another script.
        if first.starts_with('-') || scripts.contains(&first) {
            return None;
        }
        translated.push(command);
    }
    join(translated)
}

/// nox: the `session.run(...)` calls of the session function named `tests` or `test` in
/// `noxfile.py`, when each is only string literals and `*session.posargs`, and the function
/// has no branches or loops that could change what runs.
pub(crate) fn from_noxfile(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|line| {
        let line = line.trim_start();
        (line.starts_with("def tests(") || line.starts_with("def test(")) && !line.starts_with(' ')
    })?;
    let decorated = lines[..start]
        .iter()
        .rev()
        .take_while(|line| line.trim_start().starts_with('@'))
        .any(|line| line.contains("session"));
    if !decorated {
        return None;
    }
    let body = indented_body(&lines[start + 1..]);
    let mut calls = Vec::new();
    for (at, _) in body.match_indices("session.run(") {
        let arguments = &body[at + "session.run(".len()..];
        let close = arguments.find(')')?;
        calls.push(nox_arguments(&arguments[..close])?);
    }
    for keyword in ["if ", "for ", "while ", "try:", "with "] {
        if body
            .lines()
            .any(|line| line.trim_start().starts_with(keyword))
        {
            return None;
        }
    }
    join(calls)
}

/// `"pytest", "-q", *session.posargs` → `pytest -q`.
fn nox_arguments(arguments: &str) -> Option<String> {
    let mut words = Vec::new();
    for argument in arguments.split(',') {
        let argument = argument.trim();
        if argument.is_empty() || argument == "*session.posargs" {
            continue;
        }
        let quote = argument.chars().next()?;
        if !matches!(quote, '"' | '\'') || !argument.ends_with(quote) || argument.len() < 2 {
            return None;
        }
        let word = &argument[1..argument.len() - 1];
        if word.contains(['\\', '"', '\'']) {
            return None;
        }
        words.push(shell_word(word));
    }
    (!words.is_empty()).then(|| words.join(" "))
}

/// `word` as the shell reads it back: quoted when it holds anything but plain characters.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "-_./=:,+@%".contains(character));
    if plain {
        word.to_string()
    } else {
        format!("'{word}'")
    }
}

/// Tools whose `run` subcommand runs the rest of the line in the project's environment,
/// which the bootstrap's environment stands for in a task.
const PROJECT_RUNNERS: &[&str] = &["uv", "poetry", "pdm", "pipenv"];

/// Their `run` options that take the next word as a value.
const RUN_OPTIONS_WITH_VALUE: &[&str] = &[
    "--with",
    "--extra",
    "--group",
    "--python",
    "-p",
    "--package",
    "--env-file",
    "-G",
];

/// `command` without a leading `uv run` (`poetry run`, `pdm run`, `pipenv run`) and its
/// options, after any `NAME=value` words it starts with: inside the environment the rest
/// runs the same. A script they run by its name (`uv run runtests.py`) runs with `python`.
pub(crate) fn without_env_run(command: &str) -> String {
    let words: Vec<&str> = command.split_whitespace().collect();
    let assignments = words
        .iter()
        .take_while(|word| super::tasks::is_assignment(word))
        .count();
    let (assigned, words) = words.split_at(assignments);
    let [tool, "run", rest @ ..] = words else {
        return command.to_string();
    };
    if !PROJECT_RUNNERS.contains(tool) {
        return command.to_string();
    }
    let mut at = 0;
    while let Some(word) = rest.get(at) {
        if !word.starts_with('-') {
            break;
        }
        at += if RUN_OPTIONS_WITH_VALUE.contains(word) {
            2
        } else {
            1
        };
    }
    let rest = rest.get(at..).unwrap_or_default();
    let python = rest.first().is_some_and(|word| {
        std::path::Path::new(word)
            .extension()
            .is_some_and(|extension| extension == "py")
    });
    let python: &[&str] = if python { &["python"] } else { &[] };
    [assigned, python, rest].concat().join(" ")
}

/// A `Justfile`'s `test` (or `tests`) recipe: its lines, a parameter's `{{args}}`
/// passed nothing (like tox's `{posargs}`), `uv run` and its kin dropped; `None` when a
/// line uses another `{{…}}`, a shell variable, ignores its failure (`-`), or the recipe
/// is a script (`#!`).
pub(crate) fn from_justfile(recipe: &super::justfile::Recipe) -> Option<String> {
    let mut translated = Vec::new();
    for line in &recipe.body {
        if line.starts_with('#') {
            if line.starts_with("#!") {
                return None;
            }
            continue;
        }
        if line.starts_with('-') || line.contains('$') {
            return None;
        }
        let mut out = String::new();
        let mut rest = line.trim_start_matches('@');
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let close = rest[open..].find("}}")? + open;
            let inner = rest[open + 2..close].trim();
            if !recipe.parameters.iter().any(|parameter| parameter == inner) {
                return None;
            }
            rest = &rest[close + 2..];
        }
        out.push_str(rest);
        let command = out.split_whitespace().collect::<Vec<_>>().join(" ");
        translated.push(without_env_run(&command));
    }
    join(translated)
}

/// A poe task's command (`[tool.poe.tasks] test = "pytest --capture=no"`, or its `cmd`/
/// `shell`), or a sequence's steps in order, `uv run` and its kin dropped; `None` for a
/// task poe composes at run time (`script`, `expr`, a step of those in a sequence) or a
/// command with poe's `${…}` variables.
pub(crate) fn from_poe(task: &super::poe::RunnerTask) -> Option<String> {
    let commands: Vec<String> = poe_steps(task).into_iter().collect::<Option<_>>()?;
    if commands.iter().any(|command| command.contains('$')) {
        return None;
    }
    join(
        commands
            .iter()
            .map(|command| {
                without_env_run(&command.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .collect(),
    )
}

/// The commands a poe or PDM task runs that can be read, those poe composes at run time
/// left out.
pub(crate) fn poe_commands(task: &super::poe::RunnerTask) -> Vec<String> {
    poe_steps(task).into_iter().flatten().collect()
}

/// The commands a poe or PDM task runs, in order: a shell script's lines, a sequence's
/// steps; `None` for a part poe composes at run time.
fn poe_steps(task: &super::poe::RunnerTask) -> Vec<Option<String>> {
    use super::poe::RunnerTask;
    match task {
        RunnerTask::Cmd(command) => vec![Some(command.clone())],
        RunnerTask::Shell(script) => script
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| Some(line.to_string()))
            .collect(),
        RunnerTask::Sequence(steps) => steps.iter().flat_map(poe_steps).collect(),
        RunnerTask::Other => vec![None],
    }
}

/// An invoke task's `c.run("…")` commands (`invoke::task_commands`), `uv run` and its kin
/// dropped.
pub(crate) fn from_invoke(commands: &[String]) -> Option<String> {
    if commands.iter().any(|command| command.contains(['$', '{'])) {
        return None;
    }
    join(
        commands
            .iter()
            .map(|command| without_env_run(command))
            .collect(),
    )
}

/// A `Makefile`'s `test` recipe (the user's lines, pybootstrap's block already removed):
/// one command that names no make variable, `uv run` and its kin dropped. It may first
/// enter one of the repository's directories (`cd svc && pytest`); a trailing `&& cd ..`
/// goes, since each recipe line runs in a shell of its own. Any other `cd` is refused.
pub(crate) fn from_makefile_recipe(recipe: &[&str]) -> Option<String> {
    let commands: Vec<&str> = recipe
        .iter()
        .map(|line| line.trim())
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect();
    let [command] = commands.as_slice() else {
        return None;
    };
    if command.starts_with('-') {
        return None;
    }
    let command = command.trim_start_matches(['@', '+']).trim();
    if command.contains('$') {
        return None;
    }
    let mut parts: Vec<&str> = command.split("&&").map(str::trim).collect();
    if parts.len() > 1
        && parts
            .last()
            .is_some_and(|last| *last == "cd .." || *last == "cd -")
    {
        parts.pop();
    }
    let directory = match parts.first()?.strip_prefix("cd ") {
        Some(directory) if parts.len() > 1 && is_subdirectory(directory.trim()) => {
            parts.remove(0);
            Some(directory.trim())
        }
        Some(_) => return None,
        None => None,
    };
    if parts
        .iter()
        .any(|part| part.starts_with("cd ") || part.contains("; cd ") || part.contains('\n'))
    {
        return None;
    }
    let translated = join(parts.into_iter().map(without_env_run).collect())?;
    Some(match directory {
        Some(directory) => format!("cd {directory} && {translated}"),
        None => translated,
    })
}

/// `line` without the make variables that pass a caller's extra arguments (`$(ARG)`,
/// `$(ARGS)`, `$(PYTEST_ARGS)`, `$(OPTS)`, `${TEST_FLAGS}`) when the Makefile `text` never
/// assigns them: unset, they expand to nothing, as when a newcomer runs `make test`.
pub(crate) fn without_unset_arguments(line: &str, text: &str) -> String {
    let mut out = line.to_string();
    for (open, close) in [("$(", ')'), ("${", '}')] {
        let mut from = 0;
        while let Some(start) = out[from..].find(open).map(|at| at + from) {
            let name_start = start + open.len();
            let Some(end) = out[name_start..].find(close).map(|at| at + name_start) else {
                break;
            };
            let name = &out[name_start..end];
            if passes_arguments(name) && !assigns(text, name) {
                let before = out[..start].trim_end().len();
                out.replace_range(before..=end, "");
                from = before;
            } else {
                from = end;
            }
        }
    }
    out
}

/// A make variable named for extra arguments: `ARG`, `ARGS`, `TEST_ARGS`, `OPTS`, `FLAGS`…
/// (not make's own `MAKEFLAGS`, which make sets).
fn passes_arguments(name: &str) -> bool {
    name != "MAKEFLAGS"
        && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        && ["ARG", "ARGS", "OPTS", "OPTIONS", "FLAGS"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// Whether the Makefile `text` assigns `name` (`NAME = …`, `:=`, `?=`, `+=`, `!=`, `export NAME=…`).
fn assigns(text: &str, name: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        line.strip_prefix(name).is_some_and(|rest| {
            let rest = rest.trim_start();
            ["=", ":=", "::=", "?=", "+=", "!="]
                .iter()
                .any(|operator| rest.starts_with(operator))
        })
    })
}

/// A plain relative path below the repository root: `svc`, `src/app`.
fn is_subdirectory(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with(['/', '-'])
        && path
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != ".")
        && path
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "_-./".contains(character))
}

/// The indented lines that open `lines` (blank ones included): the body of the Python
/// function defined on the line before them.
pub(super) fn indented_body(lines: &[&str]) -> String {
    lines
        .iter()
        .take_while(|line| line.is_empty() || line.starts_with([' ', '\t']))
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tox_commands() {
        let rows: &[(&str, Option<&str>)] = &[
            ("pytest {posargs}", Some("pytest")),
            (
                "pip-sync-faster requirements/tests.txt\n{envpython} -m pip install -e .\npytest",
                Some("pytest"),
            ),
            (
                "\n    python -m pytest {posargs:tests}",
                Some("python -m pytest tests"),
            ),
            ("{envpython} -m pytest", Some("python -m pytest")),
            (
                "coverage run -m pytest {posargs}\n  coverage report",
                Some("coverage run -m pytest && coverage report"),
            ),
            ("pytest \\\n  --cov=pkg {posargs}", Some("pytest --cov=pkg")),
            (
                "python -m pytest {posargs: \"{toxinidir}/tests\" --cov-config=\"{toxinidir}/tox.ini\"}",
                Some("python -m pytest \"./tests\" --cov-config=\"./tox.ini\""),
            ),
            ("pytest {posargs:{envtmpdir}}", None),
            ("pytest {posargs", None),
            ("pytest --basetemp={envtmpdir}", None),
            ("py38: pytest", None),
            (
                "unit: pytest tests {posargs}\ndoctest: sphinx-build docs x",
                None,
            ),
            ("- coverage erase\npytest", None),
            ("{[base]commands}", None),
            ("tox -e lint", None),
            ("", None),
        ];
        for (commands, expected) in rows {
            assert_eq!(
                from_tox(commands, &[]).as_deref(),
                *expected,
                "{commands:?}"
            );
        }
        // The factors of the environment the bootstrap stands for pick the lines.
        let unit = ["unit".to_string()];
        assert_eq!(
            from_tox(
                "unit: pytest tests {posargs}\ndoctest: sphinx-build docs x",
                &unit
            )
            .as_deref(),
            Some("pytest tests")
        );
        assert_eq!(from_tox("py38-unit: pytest", &unit), None);
    }

    #[test]
    fn hatch_scripts() {
        let rows: &[(&[&str], Option<&str>)] = &[
            (&["pytest {args:tests}"], Some("pytest tests")),
            (
                &["python -m unittest discover -s mkdocs -p \"*tests.py\""],
                Some("python -m unittest discover -s mkdocs -p \"*tests.py\""),
            ),
            (
                &["pytest {args}", "coverage report"],
                Some("pytest && coverage report"),
            ),
            (&["cov"], None),
            (&["- coverage combine"], None),
            (&["hatch run test:test"], None),
            (&["pytest {env:PYTEST_ARGS}"], None),
        ];
        for (commands, expected) in rows {
            assert_eq!(
                from_hatch_script(commands, &["cov", "test"]).as_deref(),
                *expected,
                "{commands:?}"
            );
        }
    }

    #[test]
    fn nox_sessions() {
        let session = |body: &str| {
            format!(
                "import nox\n\n\n@nox.session(python=[\"3.12\"])\ndef tests(session):\n{body}\n\n\ndef other():\n    session.run(\"x\")\n"
            )
        };
        let rows = [
            (
                session(
                    "    session.install(\"-e\", \".[test]\")\n    session.run(\"pytest\", \"-q\", *session.posargs)",
                ),
                Some("pytest -q"),
            ),
            (
                session(
                    "    session.run(\n        \"python\", \"-m\", \"pytest\", \"-k\", \"not slow\"\n    )",
                ),
                Some("python -m pytest -k 'not slow'"),
            ),
            (session("    session.run(\"pytest\", env=ENV)"), None),
            (
                session("    if session.python == \"3.12\":\n        session.run(\"pytest\")"),
                None,
            ),
            (session("    session.install(\"pytest\")"), None),
            (
                "def tests(session):\n    session.run(\"pytest\")\n".to_string(),
                None,
            ),
        ];
        for (text, expected) in rows {
            assert_eq!(from_noxfile(&text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn justfile_recipes() {
        let recipe = |parameters: &[&str], body: &[&str]| crate::project::justfile::Recipe {
            parameters: parameters.iter().map(ToString::to_string).collect(),
            dependencies: Vec::new(),
            body: body.iter().map(ToString::to_string).collect(),
        };
        let rows: &[(&[&str], &[&str], Option<&str>)] = &[
            (
                &["args"],
                &["uv run --frozen pytest --capture=no {{ args }}"],
                Some("pytest --capture=no"),
            ),
            (
                &[],
                &["@poetry run pytest -q", "coverage report"],
                Some("pytest -q && coverage report"),
            ),
            (&[], &["pytest {{tests_dir}}"], None),
            (&[], &["pytest $ARGS"], None),
            (&[], &["-pytest"], None),
            (&[], &["#!/usr/bin/env bash", "pytest"], None),
            (&[], &["just lint", "pytest"], None),
            (&[], &["tox -e py"], None),
        ];
        for (parameters, body, expected) in rows {
            assert_eq!(
                from_justfile(&recipe(parameters, body)).as_deref(),
                *expected,
                "{body:?}"
            );
        }
    }

    #[test]
    fn poe_and_invoke_tasks() {
        use crate::project::poe::RunnerTask;
        let rows = [
            (
                RunnerTask::Cmd("pytest  --capture=no tests".into()),
                Some("pytest --capture=no tests"),
            ),
            (
                RunnerTask::Shell("coverage run -m pytest\ncoverage report".into()),
                Some("coverage run -m pytest && coverage report"),
            ),
            (RunnerTask::Cmd("pytest ${PYTEST_ARGS}".into()), None),
            (RunnerTask::Other, None),
            (
                RunnerTask::Sequence(vec![
                    RunnerTask::Cmd("uv run ruff check .".into()),
                    RunnerTask::Shell("rm -f a.db\nmkdir -p out".into()),
                    RunnerTask::Cmd("pytest".into()),
                ]),
                Some("ruff check . && rm -f a.db && mkdir -p out && pytest"),
            ),
            (
                RunnerTask::Sequence(vec![RunnerTask::Cmd("pytest".into()), RunnerTask::Other]),
                None,
            ),
        ];
        for (task, expected) in rows {
            assert_eq!(from_poe(&task).as_deref(), expected, "{task:?}");
        }
        assert_eq!(
            from_invoke(&["pytest --capture=no".to_string()]).as_deref(),
            Some("pytest --capture=no")
        );
        assert_eq!(
            from_invoke(&["pipenv run pytest -x".to_string()]).as_deref(),
            Some("pytest -x")
        );
        assert_eq!(from_invoke(&["pytest {opts}".to_string()]), None);
        assert_eq!(from_invoke(&["tox".to_string()]), None);
    }

    #[test]
    fn unset_argument_variables_expand_to_nothing() {
        let recipe = "\tpoetry run backend/manage.py test backend/ $(ARG) --parallel";
        assert_eq!(
            without_unset_arguments(recipe, "test:\n"),
            "\tpoetry run backend/manage.py test backend/ --parallel"
        );
        // Assigned, or not an arguments variable: kept, and the recipe is not translated.
        for text in ["ARG ?= -v\n", "export ARG := -v\n"] {
            assert_eq!(without_unset_arguments(recipe, text), recipe);
        }
        let python = "\t$(PYTHON) -m pytest ${PYTEST_ARGS}";
        assert_eq!(without_unset_arguments(python, ""), "\t$(PYTHON) -m pytest");
    }

    #[test]
    fn makefile_recipes() {
        let rows: &[(&[&str], Option<&str>)] = &[
            (&["\tpytest -q"], Some("pytest -q")),
            (
                &["\t@python -m pytest tests"],
                Some("python -m pytest tests"),
            ),
            (&["\t$(PYTHON) -m pytest"], None),
            (
                &["\tcd svc && uv run pytest -vv && cd .."],
                Some("cd svc && pytest -vv"),
            ),
            (&["\tcd tests && pytest"], Some("cd tests && pytest")),
            (&["\tcd .. && pytest"], None),
            (&["\tcd /tmp && pytest"], None),
            (&["\tcd svc"], None),
            (&["\tpytest && cd docs && make html"], None),
            (&["\tuv run --frozen pytest -q"], Some("pytest -q")),
            (
                &["\tPYTHONWARNINGS=default uv run runtests.py"],
                Some("PYTHONWARNINGS=default python runtests.py"),
            ),
            (
                &["\tENV=test poetry run pytest tests -s"],
                Some("ENV=test pytest tests -s"),
            ),
            (&["\ttox"], None),
            (&["\tpip install -e .", "\tpytest"], None),
            (&["\t-pytest"], None),
            (&[], None),
        ];
        for (recipe, expected) in rows {
            assert_eq!(
                from_makefile_recipe(recipe).as_deref(),
                *expected,
                "{recipe:?}"
            );
        }
    }
}
