//! Whether a task can run: the Python tools a task command calls, and which of them nothing
//! the bootstrap installs declares (else `make test` ends in `pytest: not found`).

use crate::answers::normalise_name;

/// Commands a task may call that are not Python distributions: the shell's, the system's,
/// or the environment's own (`pip`).
const NOT_PYTHON_TOOLS: &[&str] = &[
    "bash", "cd", "cp", "echo", "env", "exit", "export", "false", "git", "make", "mkdir", "mv",
    "pip", "pip3", "printf", "rm", "set", "sh", "test", "true", "xvfb-run",
];

/// Modules `python -m` finds in every environment: the standard library's and pip.
const ALWAYS_PRESENT_MODULES: &[&str] = &[
    "compileall",
    "cprofile",
    "doctest",
    "pip",
    "profile",
    "py-compile",
    "timeit",
    "trace",
    "unittest",
    "venv",
];

/// A command's name → the distribution that installs it, where the two differ.
const ALIASES: &[(&str, &str)] = &[
    ("py.test", "pytest"),
    ("sphinx-build", "sphinx"),
    ("nosetests", "nose"),
    ("poe", "poethepoet"),
    ("inv", "invoke"),
];

/// The distributions `command` needs, normalised (PEP 503), in order and without repeats:
/// the first word of each command of a `&&`/`||`/`;`/`|` list (after `VAR=value`
/// assignments), `X` for `python -m X`; nothing for the shell's and the system's commands,
/// the standard library, or a path (`./run-tests.sh`).
pub(crate) fn tools_of(command: &str) -> Vec<String> {
    let mut tools: Vec<String> = Vec::new();
    for part in command.split(['&', '|', ';']) {
        let mut words = part
            .split_whitespace()
            .map(|word| word.trim_matches(|character| character == '\'' || character == '"'))
            .skip_while(|word| is_assignment(word));
        let Some(first) = words.next() else {
            continue;
        };
        let tool = if is_python(first) {
            match (words.next(), words.next()) {
                (Some("-m"), Some(module)) => normalise_name(module),
                _ => continue,
            }
        } else if first.contains('/') || NOT_PYTHON_TOOLS.contains(&first) {
            continue;
        } else {
            normalise_name(first)
        };
        if ALWAYS_PRESENT_MODULES.contains(&tool.as_str()) {
            continue;
        }
        let tool = ALIASES
            .iter()
            .find(|(alias, _)| normalise_name(alias) == tool)
            .map_or(tool, |(_, distribution)| (*distribution).to_string());
        if !tools.contains(&tool) {
            tools.push(tool);
        }
    }
    tools
}

/// `python`, `python3`, `python3.12`.
pub(crate) fn is_python(word: &str) -> bool {
    word.strip_prefix("python").is_some_and(|version| {
        version
            .chars()
            .all(|character| character.is_ascii_digit() || character == '.')
    })
}

/// Whether `declared` installs `tool`: by its name, or, for a submodule (`zope-testrunner`
/// from `python -m zope.testrunner`, `mkdocs-tests` from the project's own), by the
/// distribution of a parent package.
fn is_declared(tool: &str, declared: &[String]) -> bool {
    declared
        .iter()
        .any(|name| tool == name || tool.starts_with(&format!("{name}-")) && !name.is_empty())
}

/// The tools `command` calls that are not among `declared`, in order.
pub(crate) fn missing_tools(command: &str, declared: &[String]) -> Vec<String> {
    tools_of(command)
        .into_iter()
        .filter(|tool| !is_declared(tool, declared))
        .collect()
}

/// The warning for `task` (`test`, `lint`, `fmt`) when its `command` calls a tool that is
/// not among `declared` (the distribution names the bootstrap installs, normalised);
/// `None` when every tool is declared.
pub(crate) fn missing_tool_warning(
    task: &str,
    command: &str,
    declared: &[String],
) -> Option<String> {
    let missing = missing_tools(command, declared);
    if missing.is_empty() {
        return None;
    }
    let names = missing
        .iter()
        .map(|tool| format!("`{tool}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    let (verb, it) = if missing.len() == 1 {
        ("is", "it")
    } else {
        ("are", "them")
    };
    Some(format!(
        "`tasks.{task}` runs `{command}`, but {names} {verb} not in anything the bootstrap installs, so `make {task}` would fail; hint: add {it} to the dev dependency group, the test extra, a requirements file the bootstrap installs or `deps.tools`, or set `tasks.{task}` to a command that can run"
    ))
}

/// Whether `word` sets a variable for the command after it (`PYTHONWARNINGS=default`).
pub(crate) fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        name.starts_with(|first: char| first.is_ascii_alphabetic() || first == '_')
            && name
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || character == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_string()).collect()
    }

    #[test]
    fn a_command_names_its_tools() {
        let rows: &[(&str, &[&str])] = &[
            ("pytest", &["pytest"]),
            ("pytest -q tests", &["pytest"]),
            ("python -m pytest", &["pytest"]),
            ("python3.12 -m pytest -x", &["pytest"]),
            ("py.test", &["pytest"]),
            ("python -m unittest discover -s tests -t .", &[]),
            (
                "python -m unittest discover -s mkdocs -p \"*tests.py\"",
                &[],
            ),
            ("python setup.py test", &[]),
            ("ruff check .", &["ruff"]),
            ("isort . && black .", &["isort", "black"]),
            ("coverage run -m pytest && coverage report", &["coverage"]),
            ("pre-commit run --all-files", &["pre-commit"]),
            ("sphinx-build -W docs build", &["sphinx"]),
            ("PYTHONWARNINGS=error pytest", &["pytest"]),
            ("./run-tests.sh", &[]),
            ("make check", &[]),
            ("Flake8", &["flake8"]),
            ("python -m zope.testrunner", &["zope-testrunner"]),
        ];
        for (command, tools) in rows {
            assert_eq!(tools_of(command), names(tools), "{command}");
        }
    }

    #[test]
    fn a_declared_tool_gives_no_warning() {
        let declared = names(&["pytest", "ruff"]);
        assert_eq!(
            missing_tool_warning("test", "python -m pytest", &declared),
            None
        );
        assert_eq!(
            missing_tool_warning("lint", "ruff check .", &declared),
            None
        );
        assert_eq!(
            missing_tool_warning("test", "python -m unittest discover", &[]),
            None
        );
        assert_eq!(
            missing_tool_warning(
                "test",
                "python -m mkdocs.tests.integration",
                &names(&["mkdocs"])
            ),
            None
        );
    }

    #[test]
    fn a_missing_tool_is_named_with_the_task_and_the_fix() {
        let warning =
            missing_tool_warning("lint", "flake8", &names(&["pytest"])).expect("flake8 is missing");
        assert!(
            warning.starts_with("`tasks.lint` runs `flake8`, but `flake8` is not"),
            "{warning}"
        );
        assert!(
            warning.contains("hint: add it to the dev dependency group"),
            "{warning}"
        );
        assert!(warning.contains("or set `tasks.lint`"), "{warning}");
        let both = missing_tool_warning("fmt", "isort . && black .", &[]).expect("missing");
        assert!(both.contains("`isort` and `black` are not"), "{both}");
        let one =
            missing_tool_warning("fmt", "isort . && black .", &names(&["isort"])).expect("missing");
        assert!(one.contains("but `black` is not"), "{one}");
    }
}
