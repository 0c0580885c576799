//! Ansible tasks: the `pip` module run with the system's pip (`executable: pip3`, or in a
//! playbook or role no `virtualenv` at all: the managed machine's own Python), and the
//! `file` module deleting `EXTERNALLY-MANAGED`. The modules' `shell`/`command` strings and
//! `extra_args` are read as shell by the YAML reader.

use super::Position;
use super::reach::Base;
use super::rules::Rule;
use super::salt::is_system_interpreter;
use super::yaml::{self, Node};

const PIP_MODULES: [&str; 3] = ["pip", "ansible.builtin.pip", "ansible.legacy.pip"];
const FILE_MODULES: [&str; 3] = ["file", "ansible.builtin.file", "ansible.legacy.file"];

/// Findings of the `pip` and `file` modules in any YAML file that uses them; `base` is the
/// file's (a playbook, a role's tasks or a file naming `ansible.builtin` modules run on a
/// managed machine's distro Python).
pub(super) fn check(text: &str, base: Base) -> Vec<(Rule, Position)> {
    if !text.contains("pip") && !text.contains("EXTERNALLY-MANAGED") {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    // On `localhost` (or `connection: local`) the module runs the pip of the Python that
    // runs Ansible itself, most often a venv or pipx's: not the distro's.
    let local = lines.iter().any(|line| {
        let line = line.trim_start().trim_start_matches("- ");
        line.starts_with("hosts: localhost")
            || line.starts_with("hosts: 127.0.0.1")
            || line.starts_with("connection: local")
    });
    let base = if local { Base::Host } else { base };
    let mut findings = Vec::new();
    for node in yaml::parse(text) {
        visit(&node, &lines, base, &mut findings);
    }
    findings
}

fn visit(node: &Node, lines: &[&str], base: Base, findings: &mut Vec<(Rule, Position)>) {
    let module = node.key.as_deref().unwrap_or("");
    // A task's `pip:` names packages or a requirements file (a conda environment's `- pip:`
    // is a list).
    // `extra_args: --break-system-packages` is already PB101: one finding per problem.
    let overridden = node
        .get("extra_args")
        .is_some_and(|arguments| arguments.text().contains("--break"));
    let pip_task = PIP_MODULES.contains(&module)
        && (node.get("name").is_some() || node.get("requirements").is_some())
        && node.get("virtualenv").is_none()
        && !overridden;
    if pip_task {
        match node
            .get("executable")
            .and_then(|executable| executable.value.first())
        {
            Some(value) if is_system_interpreter(&value.text) => {
                findings.push((Rule::HostSystemInstall, position(value)));
            }
            // With no `executable`, the module runs the pip of the Python Ansible uses on
            // the machine: its system Python.
            None if base == Base::Distro => {
                if let Some(at) = key_position(node, lines, module) {
                    findings.push((Rule::HostSystemInstall, at));
                }
            }
            _ => {}
        }
    }
    if FILE_MODULES.contains(&module)
        && ["path", "dest", "name"].iter().any(|key| {
            node.get(key)
                .is_some_and(|path| path.text().contains("EXTERNALLY-MANAGED"))
        })
        && let Some(state) = node.get("state")
        && state.text().trim() == "absent"
        && let Some(value) = state.value.first()
    {
        findings.push((Rule::MarkerRemoved, position(value)));
    }
    for child in &node.children {
        visit(child, lines, base, findings);
    }
}

/// Where the key `module:` of `node` is written: the nearest line above its first value
/// that starts with it.
fn key_position(node: &Node, lines: &[&str], module: &str) -> Option<Position> {
    let first = first_line(node)?;
    let key = format!("{module}:");
    (0..first.saturating_sub(1).min(lines.len()))
        .rev()
        .find_map(|index| {
            let line = lines[index];
            let content = line.trim_start().trim_start_matches("- ");
            content.starts_with(&key).then(|| Position {
                line: index + 1,
                column: line[..line.len() - content.len()].chars().count() + 1,
            })
        })
}

fn first_line(node: &Node) -> Option<usize> {
    node.value
        .iter()
        .map(|value| value.line)
        .chain(node.children.iter().filter_map(first_line))
        .min()
}

fn position(value: &super::shell::SourceLine) -> Position {
    Position {
        line: value.line,
        column: value.column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(&'static str, usize, usize)> {
        check(text, Base::Host)
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line, at.column))
            .collect()
    }

    #[test]
    fn finds_the_system_pip_and_the_deleted_marker() {
        let text = "- name: k8s client\n  pip:\n    name: kubernetes\n    executable: pip3\n- name: docker\n  ansible.builtin.pip:\n    name: docker\n    executable: /usr/bin/pip3\n- name: unlock\n  ansible.builtin.file:\n    path: /usr/lib/python3.11/EXTERNALLY-MANAGED\n    state: absent\n";
        assert_eq!(
            ids(text),
            vec![("PB206", 4, 17), ("PB206", 8, 17), ("PB104", 12, 12)]
        );
    }

    #[test]
    fn a_playbook_pip_task_without_a_venv_installs_into_the_system_python() {
        let text = "- hosts: app\n  tasks:\n    - name: Flask\n      pip:\n        name:\n          - flask\n    - ansible.builtin.pip:\n        requirements: /srv/app/requirements.txt\n        virtualenv: /srv/app/venv\n    - pip:\n        name: x\n        extra_args: --break-system-packages\n";
        let found: Vec<_> = check(text, Base::Distro)
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line, at.column))
            .collect();
        assert_eq!(found, vec![("PB206", 4, 7)]);
        // Run on the controller, the module uses the Python that runs Ansible.
        let local = text.replace("hosts: app", "hosts: localhost");
        assert_eq!(check(&local, Base::Distro), vec![]);
        // Elsewhere (a conda environment), `pip:` is not a task.
        let conda = "dependencies:\n  - python=3.12\n  - pip:\n    - requests\n";
        assert_eq!(check(conda, Base::Distro), vec![]);
        assert_eq!(ids(text), vec![]);
    }

    #[test]
    fn leaves_venvs_and_kept_markers_alone() {
        let text = "- ansible.builtin.pip:\n    name: borgmatic\n    virtualenv: /opt/borgmatic\n    executable: pip3\n- pip:\n    name: x\n    executable: /opt/tool/bin/pip\n- ansible.builtin.file:\n    path: /usr/lib/python3.11/EXTERNALLY-MANAGED\n    state: file\n- ansible.builtin.file:\n    path: /tmp/x\n    state: absent\n";
        assert_eq!(ids(text), vec![]);
    }
}
