//! The CI systems pybootstrap writes no pipeline for (CircleCI, Azure Pipelines, Travis,
//! Jenkins), read only for whether they already run the Python tests: a repository tested
//! there gets pybootstrap's small bootstrap and PEP 668 job, not a second test pipeline.

use super::lines::{indent, key_value, unquote};
use super::{GENERATED, Scripts, Step};

/// Where each system keeps its pipeline, and how it is written.
pub(crate) const FILES: &[(&str, Syntax)] = &[
    (".circleci/config.yml", Syntax::Yaml),
    (".circleci/config.yaml", Syntax::Yaml),
    ("azure-pipelines.yml", Syntax::Yaml),
    ("azure-pipelines.yaml", Syntax::Yaml),
    (".azure-pipelines.yml", Syntax::Yaml),
    (".travis.yml", Syntax::Yaml),
    ("Jenkinsfile", Syntax::Groovy),
];

/// How a pipeline file states its commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// YAML keys whose values are shell scripts (`run:`/`command:` of CircleCI, `script:`
    /// `bash:` `pwsh:` of Azure, `script:` `install:` of Travis).
    Yaml,
    /// A Jenkins pipeline's `sh '…'`/`bat "…"` steps.
    Groovy,
}

/// The YAML keys whose values are commands, across the three systems.
const COMMAND_KEYS: &[&str] = &[
    "run",
    "command",
    "script",
    "bash",
    "sh",
    "pwsh",
    "powershell",
    "install",
    "before_script",
    "after_success",
];

/// Whether the pipeline `text` (written in `syntax`) runs Python tests: it names a test
/// runner, or one of its commands runs a file, target or task that does.
pub(crate) fn runs_tests(text: &str, syntax: Syntax, scripts: &dyn Scripts) -> bool {
    if text.starts_with(GENERATED) {
        return false;
    }
    if scripts.names_test_runner(text) {
        return true;
    }
    let commands = match syntax {
        Syntax::Yaml => yaml_commands(text),
        Syntax::Groovy => groovy_commands(text),
    };
    commands
        .into_iter()
        .any(|script| scripts.runs_tests(&Step { script, dir: None }))
}

/// The values of `COMMAND_KEYS`: inline, a `|`/`>` block, or a list of `- ` items.
fn yaml_commands(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut scripts = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some((column, value)) = COMMAND_KEYS.iter().find_map(|key| key_value(line, key)) else {
            continue;
        };
        let below = || {
            lines[at + 1..]
                .iter()
                .take_while(|line| line.trim().is_empty() || indent(line) > column)
                .map(|line| line.trim())
        };
        if value.starts_with(['|', '>']) {
            scripts.push(below().collect::<Vec<_>>().join("\n"));
        } else if value.is_empty() {
            scripts.extend(
                below()
                    .filter_map(|line| line.strip_prefix("- "))
                    .map(|item| unquote(item).to_string()),
            );
        } else {
            scripts.push(unquote(value).to_string());
        }
    }
    scripts
}

/// The scripts of a Jenkinsfile's `sh`/`bat` steps (`sh 'make test'`, `sh(script: "…")`,
/// `sh """…"""`).
fn groovy_commands(text: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    for step in ["sh", "bat", "powershell"] {
        for (at, _) in text.match_indices(step) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            let rest = text[at + step.len()..].trim_start();
            let rest = rest.strip_prefix('(').unwrap_or(rest).trim_start();
            let rest = rest.strip_prefix("script:").unwrap_or(rest).trim_start();
            let quote = ["'''", "\"\"\"", "'", "\""]
                .into_iter()
                .find(|quote| rest.starts_with(quote));
            let Some(quote) = quote else {
                continue;
            };
            let body = &rest[quote.len()..];
            if let Some(end) = body.find(quote) {
                scripts.push(body[..end].to_string());
            }
        }
    }
    scripts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs tests when a command is `make check` (as if its recipe ran pytest).
    struct MakeCheck;

    impl Scripts for MakeCheck {
        fn names_test_runner(&self, text: &str) -> bool {
            text.contains("pytest")
        }

        fn runs_tests(&self, step: &Step) -> bool {
            step.script.lines().any(|line| line.trim() == "make check")
        }
    }

    #[test]
    fn each_system_and_its_commands() {
        let rows: &[(&str, Syntax, bool)] = &[
            (
                "jobs:\n  test:\n    steps:\n      - checkout\n      - run:\n          name: tests\n          command: |\n            pip install .\n            make check\n",
                Syntax::Yaml,
                true,
            ),
            (
                "jobs:\n  build:\n    steps:\n      - run: make check\n",
                Syntax::Yaml,
                true,
            ),
            (
                "steps:\n- script: make check\n  displayName: Test\n",
                Syntax::Yaml,
                true,
            ),
            (
                "steps:\n- bash: |\n    echo start\n    make check\n",
                Syntax::Yaml,
                true,
            ),
            (
                "language: python\nscript:\n  - make lint\n  - make check\n",
                Syntax::Yaml,
                true,
            ),
            (
                "language: python\nscript: python -m pytest\n",
                Syntax::Yaml,
                true,
            ),
            ("language: python\nscript: make docs\n", Syntax::Yaml, false),
            (
                "pipeline {\n  stages {\n    stage('Test') {\n      steps {\n        sh 'make check'\n      }\n    }\n  }\n}\n",
                Syntax::Groovy,
                true,
            ),
            (
                "node {\n  sh(script: \"\"\"\n    make check\n  \"\"\")\n}\n",
                Syntax::Groovy,
                true,
            ),
            ("node {\n  sh 'make docs'\n}\n", Syntax::Groovy, false),
            (
                "# Generated by pybootstrap\nscript: make check\n",
                Syntax::Yaml,
                false,
            ),
        ];
        for (text, syntax, expected) in rows {
            assert_eq!(runs_tests(text, *syntax, &MakeCheck), *expected, "{text}");
        }
    }
}
