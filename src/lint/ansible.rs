//! Ansible tasks: the `pip` module run with the system's pip (`executable: pip3`, no
//! `virtualenv`), and the `file` module deleting `EXTERNALLY-MANAGED`. The modules'
//! `shell`/`command` strings and `extra_args` are read as shell by the YAML reader.

use super::Position;
use super::rules::Rule;
use super::salt::is_system_interpreter;
use super::yaml::{self, Node};

const PIP_MODULES: [&str; 3] = ["pip", "ansible.builtin.pip", "ansible.legacy.pip"];
const FILE_MODULES: [&str; 3] = ["file", "ansible.builtin.file", "ansible.legacy.file"];

/// Findings of the `pip` and `file` modules in any YAML file that uses them.
pub(super) fn check(text: &str) -> Vec<(Rule, Position)> {
    if !text.contains("executable") && !text.contains("EXTERNALLY-MANAGED") {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for node in yaml::parse(text) {
        visit(&node, &mut findings);
    }
    findings
}

fn visit(node: &Node, findings: &mut Vec<(Rule, Position)>) {
    let module = node.key.as_deref().unwrap_or("");
    if PIP_MODULES.contains(&module)
        && node.get("virtualenv").is_none()
        && let Some(executable) = node.get("executable")
        && let Some(value) = executable.value.first()
        && is_system_interpreter(&value.text)
    {
        findings.push((Rule::HostSystemInstall, position(value)));
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
        visit(child, findings);
    }
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
        check(text)
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
    fn leaves_venvs_and_kept_markers_alone() {
        let text = "- ansible.builtin.pip:\n    name: borgmatic\n    virtualenv: /opt/borgmatic\n    executable: pip3\n- pip:\n    name: x\n    executable: /opt/tool/bin/pip\n- ansible.builtin.file:\n    path: /usr/lib/python3.11/EXTERNALLY-MANAGED\n    state: file\n- ansible.builtin.file:\n    path: /tmp/x\n    state: absent\n";
        assert_eq!(ids(text), vec![]);
    }
}
