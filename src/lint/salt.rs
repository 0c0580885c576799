//! Salt states (`*.sls`): `pip.installed` (and `pip.removed`) with a `bin_env` naming the
//! system Python or its pip, and the commands of `cmd.run` states, on the minion's distro Python. Jinja lines
//! (`{% … %}`) are skipped; the rest is read with the YAML outline.

use super::Position;
use super::command::{self, Created, assignment_findings, basename};
use super::reach::{self, Base, Context};
use super::rules::Rule;
use super::shell::{SourceLine, fragments};
use super::yaml::{self, Node};

/// State functions whose arguments are shell commands.
const COMMAND_FUNCTIONS: [&str; 4] = ["cmd.run", "cmd.wait", "cmd.script", "cmd.shell"];

/// Arguments of those functions that hold commands.
const COMMAND_ARGUMENTS: [&str; 4] = ["name", "names", "unless", "onlyif"];

/// Findings in a Salt state file.
pub(super) fn check(text: &str) -> Vec<(Rule, Position)> {
    let context = Context {
        base: Base::Distro,
        ..Context::default()
    };
    let outline: Vec<&str> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("{%") || trimmed.starts_with("{#") {
                ""
            } else {
                line
            }
        })
        .collect();
    let mut findings = Vec::new();
    for (index, line) in outline.iter().enumerate() {
        if !line.trim_start().starts_with('#') {
            findings.extend(
                assignment_findings(line, index + 1)
                    .into_iter()
                    .filter(|(rule, _)| reach::keeps(*rule, context)),
            );
        }
    }
    for state in yaml::parse(&outline.join("\n")) {
        for function in &state.children {
            let Some(name) = function.key.as_deref() else {
                continue;
            };
            // `- bin_env: /usr/bin/python3`: each argument is a one-key mapping in a list.
            let arguments = function
                .children
                .iter()
                .flat_map(|item| item.children.iter());
            if matches!(name, "pip.installed" | "pip.removed" | "pip.uptodate") {
                for argument in arguments {
                    if argument.key.as_deref() == Some("bin_env")
                        && let Some(value) = argument.value.first()
                        && is_system_interpreter(&value.text)
                    {
                        findings.push((Rule::HostSystemInstall, start(value)));
                    }
                }
            } else if COMMAND_FUNCTIONS.contains(&name) {
                for argument in arguments {
                    if argument
                        .key
                        .as_deref()
                        .is_some_and(|key| COMMAND_ARGUMENTS.contains(&key))
                    {
                        findings.extend(scan(argument, context));
                    }
                }
            }
        }
    }
    findings
}

fn scan(argument: &Node, context: Context) -> Vec<(Rule, Position)> {
    let mut scripts: Vec<&[SourceLine]> = vec![&argument.value];
    scripts.extend(argument.children.iter().map(|item| item.value.as_slice()));
    let mut findings = Vec::new();
    for lines in scripts.into_iter().filter(|lines| !lines.is_empty()) {
        let scan = command::scan(&fragments(lines), context, Created::Counts);
        findings.extend(scan.findings);
        findings.extend(
            scan.system_installs
                .into_iter()
                .map(|position| (Rule::HostSystemInstall, position)),
        );
    }
    findings
}

fn start(value: &SourceLine) -> Position {
    Position {
        line: value.line,
        column: value.column,
    }
}

/// The distro's own Python or pip, named by a configuration management tool: `pip3`,
/// `python3.11`, or either under `/usr/bin`, `/bin` or `/usr/local/bin`. A venv's
/// (`/opt/tool/bin/pip`) or a directory (`/opt/tool`) is not.
pub(super) fn is_system_interpreter(text: &str) -> bool {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    let name = basename(text);
    let directory = &text[..text.len() - name.len()];
    let versioned = |program: &str| {
        name.strip_prefix(program)
            .is_some_and(|version| version.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    (versioned("python") || versioned("pip"))
        && matches!(directory, "" | "/usr/bin/" | "/bin/" | "/usr/local/bin/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(&'static str, usize, usize)> {
        check(text)
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line, at.column))
            .collect()
    }

    #[test]
    fn finds_pip_states_on_the_system_python() {
        let text = "{% set v = '1' %}\nvolatility3:\n  pip.installed:\n    - bin_env: /usr/bin/python3\n    - upgrade: True\nyara:\n  pip.installed:\n    - name: yara-python\n    - bin_env: /usr/bin/pip3\noletools:\n  pip.installed:\n    - bin_env: /opt/oletools\n";
        assert_eq!(ids(text), vec![("PB206", 4, 16), ("PB206", 9, 16)]);
    }

    #[test]
    fn reads_command_states_as_shell() {
        let text = "unlock:\n  cmd.run:\n    - name: rm -f /usr/lib/python3*/EXTERNALLY-MANAGED\ncapstone:\n  cmd.run:\n    - names:\n      - pip3 install --break-system-packages capstone\n      - pip3 install keystone-engine\n    - unless: python3 -c 'import capstone'\nvenv:\n  cmd.run:\n    - name: /opt/x/bin/pip install y\n";
        assert_eq!(
            ids(text),
            vec![("PB104", 3, 13), ("PB101", 7, 22), ("PB206", 8, 9),]
        );
    }

    #[test]
    fn names_the_system_interpreter() {
        for system in [
            "pip3",
            "/usr/bin/python3",
            "/usr/bin/pip3.11",
            "'/bin/python3'",
        ] {
            assert!(is_system_interpreter(system), "{system}");
        }
        for other in [
            "/opt/venv/bin/pip",
            "/opt/oletools",
            "pipx",
            "python3-pip",
            "",
        ] {
            assert!(!is_system_interpreter(other), "{other}");
        }
    }
}
