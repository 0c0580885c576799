//! Terraform (`*.tf`) and Packer (`*.pkr.hcl`): the machines they create run their
//! `user_data` and provisioner commands as root on a distro image. Here-documents (`<<EOF`, `<<-EOF`) that are a
//! `#cloud-config` document or a shell script, and the strings of a provisioner's `inline`
//! list, are read on the distro's Python.

use super::Position;
use super::command::{self, Created};
use super::reach::{Base, Context};
use super::rules::Rule;
use super::shell::Fragment;

/// Findings in a Terraform file.
pub(super) fn check(text: &str) -> Vec<(Rule, Position)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut findings = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        if let Some((delimiter, indented)) = heredoc_start(line) {
            let first = index + 1;
            let mut end = first;
            while end < lines.len() && lines[end].trim() != delimiter {
                end += 1;
            }
            findings.extend(heredoc(&lines[first..end], first, indented));
            index = end + 1;
            continue;
        }
        if let Some(after) = line.trim_start().strip_prefix("inline")
            && after.trim_start().starts_with('=')
        {
            let mut end = index;
            while end < lines.len() && !lines[end].contains(']') {
                end += 1;
            }
            for (number, text) in lines
                .iter()
                .enumerate()
                .take((end + 1).min(lines.len()))
                .skip(index)
            {
                findings.extend(inline_commands(text, number + 1));
            }
            index = end + 1;
            continue;
        }
        index += 1;
    }
    findings
}

/// `… = <<EOF` or `<<-EOF` at the end of a line: the delimiter, and whether the body is
/// indented (Terraform strips the smallest indentation of `<<-` bodies).
fn heredoc_start(line: &str) -> Option<(&str, bool)> {
    let at = line.find("<<")?;
    let rest = &line[at + 2..];
    let (rest, indented) = match rest.strip_prefix('-') {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    let delimiter = rest.trim();
    (!delimiter.is_empty()
        && delimiter
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some((delimiter, indented))
}

/// A here-document body starting at file line `first + 1` (0-based `first`).
fn heredoc(body: &[&str], first: usize, indented: bool) -> Vec<(Rule, Position)> {
    let cut = if indented {
        body.iter()
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.len() - line.trim_start().len())
            .min()
            .unwrap_or(0)
    } else {
        0
    };
    let text: Vec<&str> = body
        .iter()
        .map(|line| line.get(cut..).unwrap_or(""))
        .collect();
    let Some(head) = text.iter().find(|line| !line.trim().is_empty()) else {
        return Vec::new();
    };
    let head = head.trim();
    let joined = text.join("\n");
    let findings = if head.starts_with("#cloud-config") {
        super::ci::check_yaml(&joined, Base::Distro)
    } else if head.starts_with("#!") && super::kinds::by_content(head.as_bytes()).is_some() {
        super::files::check_shell(&joined, Base::Distro)
    } else {
        return Vec::new();
    };
    findings
        .into_iter()
        .map(|(rule, position)| {
            (
                rule,
                Position {
                    line: position.line + first,
                    column: position.column + cut,
                },
            )
        })
        .collect()
}

/// The string literals on one line of an `inline` list, each a command run as root (a
/// `remote-exec` provisioner logs in as the image's user; `sudo` or not, on its distro).
fn inline_commands(line: &str, number: usize) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    let context = Context {
        base: Base::Distro,
        ..Context::default()
    };
    for (column, literal) in literals(line) {
        let fragment = Fragment {
            text: &literal,
            line: number,
            column,
        };
        let scan = command::scan(&[fragment], context, Created::Ignored);
        findings.extend(scan.findings);
        findings.extend(
            scan.system_installs
                .into_iter()
                .map(|position| (Rule::HostSystemInstall, position)),
        );
    }
    findings
}

/// The contents of the double-quoted strings on a line, with the column of each one's first
/// character (HCL strings: `\"` escapes a quote).
fn literals(line: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut escaped = false;
    for (column, c) in line.chars().enumerate() {
        match &mut current {
            Some((_, text)) if escaped => {
                escaped = false;
                text.push(c);
            }
            Some(_) if c == '\\' => escaped = true,
            Some((start, text)) if c == '"' => {
                found.push((*start, std::mem::take(text)));
                current = None;
            }
            Some((_, text)) => text.push(c),
            None if c == '"' => current = Some((column + 2, String::new())),
            None if c == '#' => break,
            None => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(&'static str, usize, usize)> {
        let mut found: Vec<_> = check(text)
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line, at.column))
            .collect();
        found.sort_by_key(|&(id, line, column)| (line, column, id));
        found
    }

    #[test]
    fn reads_cloud_config_and_scripts_in_user_data() {
        let text = "resource \"aws_instance\" \"w\" {\n  user_data = <<-EOF\n    #cloud-config\n    runcmd:\n      - pip3 install --break-system-packages x\n      - pip3 install y\n  EOF\n}\nresource \"aws_instance\" \"b\" {\n  user_data = <<EOF\n#!/bin/bash\napt-get install -y python3-pip\npip3 install ansible-core\nEOF\n}\n";
        assert_eq!(
            ids(text),
            vec![("PB101", 5, 22), ("PB206", 6, 9), ("PB206", 13, 1)]
        );
    }

    #[test]
    fn reads_inline_provisioner_commands() {
        let text = "provisioner \"remote-exec\" {\n  inline = [\n    \"sudo pip3 install docker-compose\",\n    \"echo 'pip3 install --user x'\",\n    \"pip3 install --break-system-packages z\"\n  ]\n}\n";
        assert_eq!(ids(text), vec![("PB201", 3, 6), ("PB101", 5, 19)]);
    }

    #[test]
    fn leaves_other_here_documents_alone() {
        let text = "resource \"x\" \"y\" {\n  policy = <<EOF\n{\"pip install --user\": 1}\nEOF\n  user_data = <<-EOT\n    Section: IOS configuration\n    sudo pip install x\n  EOT\n}\n";
        assert_eq!(ids(text), vec![]);
    }
}
