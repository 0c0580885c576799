//! Which steps of a chained test command are the tests: a test task that also lints,
//! formats, type-checks or runs a JavaScript runner keeps its test steps and the steps they
//! need (cleanup, directories, environment), and leaves the others out.

/// Tools whose run only lints, formats or type-checks: a newcomer's `make test` should not
/// fail on today's linter before a single test runs.
const LINT_TOOLS: &[&str] = &[
    "autoflake",
    "autopep8",
    "bandit",
    "basedpyright",
    "black",
    "blue",
    "codespell",
    "darglint",
    "deptry",
    "djlint",
    "docformatter",
    "flake8",
    "interrogate",
    "isort",
    "mypy",
    "pre-commit",
    "prospector",
    "pycodestyle",
    "pydocstyle",
    "pyflakes",
    "pylama",
    "pylint",
    "pyright",
    "pytype",
    "pyupgrade",
    "ruff",
    "vulture",
    "yapf",
];

/// JavaScript runners, which the Python bootstrap does not install.
const JAVASCRIPT_RUNNERS: &[&str] = &["yarn", "npm", "npx", "pnpm", "pnpx", "bun", "bunx"];

/// Commands that prepare for the tests without running any: cleanup, directories, the
/// environment, moving about.
const SETUP_COMMANDS: &[&str] = &[
    "cd", "chmod", "cp", "echo", "export", "ln", "mkdir", "mv", "printf", "rm", "set", "touch",
    "true", "unset",
];

/// Wrappers that run the rest of their line: what counts is that rest.
const WRAPPERS: &[&str] = &["env", "time", "exec", "command", "nice"];

/// What one step of a chained test command does.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Runs tests (anything that is none of the kinds below counts).
    Test,
    /// Prepares for them.
    Setup,
    /// Lints, formats or type-checks, with the tool's name.
    Lint(String),
    /// Runs a JavaScript runner.
    JavaScript,
}

/// The steps a test command left out, to say so where `init` says where it came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LeftOut {
    /// The lint tools of the lint steps, in order and without repeats.
    lint_tools: Vec<String>,
    /// How many lint steps there were.
    lint_steps: usize,
    /// The JavaScript runners' steps, as written, without repeats.
    javascript: Vec<String>,
}

impl LeftOut {
    /// `leaving out its `ruff` steps and `yarn test``; `None` when nothing was left out.
    pub(crate) fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if !self.lint_tools.is_empty() {
            let tools: Vec<String> = self
                .lint_tools
                .iter()
                .map(|tool| format!("`{tool}`"))
                .collect();
            let noun = if self.lint_steps == 1 {
                "step"
            } else {
                "steps"
            };
            parts.push(format!("its {} {noun}", and_list(&tools)));
        }
        parts.extend(self.javascript.iter().map(|command| format!("`{command}`")));
        (!parts.is_empty()).then(|| format!("leaving out {}", and_list(&parts)))
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A test command with only its test steps and the steps they need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TestSteps {
    /// The steps kept, joined by `&&`.
    pub(crate) command: String,
    /// What was left out.
    pub(crate) left_out: LeftOut,
}

/// `command` (steps joined by `&&`) without its lint, format and type-check steps and its
/// JavaScript runners' steps; `None` when no step that runs tests is left, so the caller
/// keeps what it had.
pub(crate) fn test_steps(command: &str) -> Option<TestSteps> {
    let mut kept = Vec::new();
    let mut left_out = LeftOut::default();
    let mut tests = false;
    for step in split_and(command) {
        match kind(step) {
            Step::Test => {
                tests = true;
                kept.push(step);
            }
            Step::Setup => kept.push(step),
            Step::Lint(tool) => {
                left_out.lint_steps += 1;
                if !left_out.lint_tools.contains(&tool) {
                    left_out.lint_tools.push(tool);
                }
            }
            Step::JavaScript => {
                if !left_out.javascript.iter().any(|seen| seen == step) {
                    left_out.javascript.push(step.to_string());
                }
            }
        }
    }
    tests.then(|| TestSteps {
        command: kept.join(" && "),
        left_out,
    })
}

/// Whether the rule leaves any step of `command` (an `&&` list) out of a test task.
pub(crate) fn leaves_some_out(command: &str) -> bool {
    split_and(command)
        .iter()
        .any(|step| matches!(kind(step), Step::Lint(_) | Step::JavaScript))
}

/// Whether the rule leaves all of `command` (an `&&` list) out of a test task.
pub(crate) fn is_left_out(command: &str) -> bool {
    let steps = split_and(command);
    !steps.is_empty()
        && steps
            .iter()
            .all(|step| matches!(kind(step), Step::Lint(_) | Step::JavaScript))
}

/// The commands of an `&&` list, trimmed; an `&&` inside quotes is no separator.
fn split_and(command: &str) -> Vec<&str> {
    let mut steps = Vec::new();
    let mut quote: Option<char> = None;
    let mut start = 0;
    let mut characters = command.char_indices().peekable();
    while let Some((at, character)) = characters.next() {
        match (quote, character) {
            (Some(open), _) if character == open => quote = None,
            (None, '\'' | '"') => quote = Some(character),
            (None, '&') if characters.peek().is_some_and(|(_, next)| *next == '&') => {
                steps.push(command[start..at].trim());
                characters.next();
                start = at + 2;
            }
            _ => {}
        }
    }
    steps.push(command[start..].trim());
    steps.retain(|step| !step.is_empty());
    steps
}

/// What `step` does, from the program it runs: its first word after `VAR=value`
/// assignments and wrappers, the module of `python -m X`, a path's file name.
fn kind(step: &str) -> Step {
    let mut words = step
        .split_whitespace()
        .map(|word| word.trim_matches(|character| character == '\'' || character == '"'))
        .skip_while(|word| super::tasks::is_assignment(word))
        .skip_while(|word| WRAPPERS.contains(word));
    let Some(first) = words.next() else {
        return Step::Setup;
    };
    let name = first.rsplit('/').next().unwrap_or(first).to_lowercase();
    let program = match (super::tasks::is_python(&name), words.next(), words.next()) {
        (true, Some("-m"), Some(module)) => module.to_lowercase().replace('_', "-"),
        _ => name,
    };
    if LINT_TOOLS.contains(&program.as_str()) {
        Step::Lint(program)
    } else if JAVASCRIPT_RUNNERS.contains(&program.as_str()) {
        Step::JavaScript
    } else if SETUP_COMMANDS.contains(&program.as_str()) {
        Step::Setup
    } else {
        Step::Test
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_steps_and_what_they_need_are_kept() {
        // (command, what is kept, what `init` says was left out)
        let rows: &[(&str, Option<&str>, Option<&str>)] = &[
            ("pytest", Some("pytest"), None),
            (
                "ruff format --check . && ruff check --select I . && ruff check src && rm -f tests/cache.db && yarn test && pytest",
                Some("rm -f tests/cache.db && pytest"),
                Some("leaving out its `ruff` steps and `yarn test`"),
            ),
            (
                "mypy src && python -m pytest -q && npm run test:js && npx jest",
                Some("python -m pytest -q"),
                Some("leaving out its `mypy` step, `npm run test:js` and `npx jest`"),
            ),
            (
                "python -m black --check . && flake8 && mkdir -p data && coverage run -m pytest && coverage report",
                Some("mkdir -p data && coverage run -m pytest && coverage report"),
                Some("leaving out its `black` and `flake8` steps"),
            ),
            (
                "export DJANGO_DEBUG=1 && .venv/bin/pre-commit run --all-files && python manage.py test",
                Some("export DJANGO_DEBUG=1 && python manage.py test"),
                Some("leaving out its `pre-commit` step"),
            ),
            (
                "cd svc && pytest -k 'a && b'",
                Some("cd svc && pytest -k 'a && b'"),
                None,
            ),
            ("./run-tests.sh", Some("./run-tests.sh"), None),
            // No test step left: the caller keeps what it had.
            ("ruff check . && mypy src", None, None),
            ("rm -f tests/cache.db && yarn test", None, None),
            ("", None, None),
        ];
        for (command, kept, said) in rows {
            let steps = test_steps(command);
            assert_eq!(
                steps.as_ref().map(|steps| steps.command.as_str()),
                *kept,
                "{command}"
            );
            assert_eq!(
                steps.and_then(|steps| steps.left_out.describe()).as_deref(),
                *said,
                "{command}"
            );
        }
    }

    #[test]
    fn a_command_is_left_out_when_all_its_steps_are() {
        assert!(is_left_out("ruff check . && npm test"));
        assert!(!is_left_out("ruff check . && pytest"));
        assert!(!is_left_out("rm -f a.db"));
        assert!(!is_left_out(""));
    }

    #[test]
    fn steps_split_on_and_outside_quotes() {
        assert_eq!(
            split_and("a && b \"c && d\" &&e&& 'f&&g'"),
            vec!["a", "b \"c && d\"", "e", "'f&&g'"]
        );
        assert_eq!(split_and("pytest & wait"), vec!["pytest & wait"]);
    }
}
