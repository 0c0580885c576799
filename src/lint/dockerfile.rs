//! Dockerfiles: instructions with their continuations, stages and their base images, `ENV`
//! and `ARG` settings, and the `RUN` scripts — with whether a venv is on `PATH` by then.

use std::collections::HashMap;

use super::Position;
use super::command::{self, Created, ENVIRONMENT_RULES, is_truthy, path_starts_with_venv};
use super::reach::{self, Base, Context};
use super::rules::Rule;
use super::shell::{SourceLine, commands, fragments};

/// One instruction: its keyword and its argument text, one fragment per physical line.
pub(super) struct Instruction {
    pub keyword: String,
    pub arguments: Vec<SourceLine>,
    /// For `RUN <<EOF`: the here-document's lines, which are the script.
    pub heredoc: Vec<SourceLine>,
}

/// What a build stage has done so far.
#[derive(Debug, Clone, Default)]
struct Stage {
    /// Which Python the base image has, updated when a `RUN` installs the distro's.
    base: Base,
    venv_on_path: bool,
    variables: HashMap<String, String>,
}

impl Stage {
    fn context(&self) -> Context {
        Context {
            base: self.base,
            venv: self.venv_on_path,
            sudo: false,
        }
    }
}

/// Findings in a whole Dockerfile.
pub(super) fn check(text: &str) -> Vec<(Rule, Position)> {
    let lines: Vec<&str> = text.lines().collect();
    let instructions = instructions(&lines);
    let mut findings = Vec::new();
    let mut global_arguments: HashMap<String, String> = HashMap::new();
    let mut stages: HashMap<String, Stage> = HashMap::new();
    let mut venvs: Vec<String> = Vec::new();
    let mut stage: Option<Stage> = None;
    // The name of the current stage (`FROM … AS name`).
    let mut stage_name: Option<String> = None;
    for instruction in &instructions {
        let arguments = fragments(&instruction.arguments);
        let words: Vec<_> = commands(&arguments)
            .into_iter()
            .flat_map(|command| command.words)
            .collect();
        match instruction.keyword.as_str() {
            "FROM" => {
                // A stage built on a named one starts where that one ended: its `ENV PATH`
                // and what its `RUN`s installed.
                if let (Some(name), Some(done)) = (stage_name.take(), &stage) {
                    stages.insert(name, done.clone());
                }
                let operands: Vec<&str> = words
                    .iter()
                    .map(|w| w.text.as_str())
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                let image = operands
                    .first()
                    .map_or(String::new(), |image| expand(image, &global_arguments));
                let mut next = stages.get(&image).cloned().unwrap_or_else(|| Stage {
                    base: image_base(&image),
                    ..Stage::default()
                });
                next.variables.extend(global_arguments.clone());
                if operands.len() >= 3 && operands[1].eq_ignore_ascii_case("as") {
                    stages.insert(operands[2].to_string(), next.clone());
                    stage_name = Some(operands[2].to_string());
                }
                stage = Some(next);
            }
            "ARG" | "ENV" => {
                for (index, word) in words.iter().enumerate() {
                    let (name, value) = match word.text.split_once('=') {
                        Some((name, value)) => (name.to_string(), value.to_string()),
                        // The legacy `ENV NAME value` form: everything after the name.
                        None if index == 0 && words.len() > 1 && !words[1].text.contains('=') => {
                            let value = words[1..]
                                .iter()
                                .map(|w| w.text.as_str())
                                .collect::<Vec<_>>()
                                .join(" ");
                            (word.text.clone(), value)
                        }
                        None => (word.text.clone(), String::new()),
                    };
                    // Before any `FROM` (an `ARG`, or a snippet in docs) the image is unknown.
                    let context = stage.as_ref().map_or(
                        Context {
                            base: Base::Unknown,
                            ..Context::default()
                        },
                        Stage::context,
                    );
                    for (variable, rule) in ENVIRONMENT_RULES {
                        if name == variable && is_truthy(&value) && reach::keeps(rule, context) {
                            findings.push((rule, word.start()));
                        }
                    }
                    match &mut stage {
                        Some(stage) => {
                            let value = expand(&value, &stage.variables);
                            if name == "PATH" {
                                let mut known = venvs.clone();
                                known.extend(stage.variables.get("VIRTUAL_ENV").cloned());
                                stage.venv_on_path = path_starts_with_venv(&value, &known);
                            }
                            stage.variables.insert(name, value);
                        }
                        None => {
                            global_arguments.insert(name, value);
                        }
                    }
                    if index == 0 && !word.text.contains('=') && words.len() > 1 {
                        break;
                    }
                }
            }
            "RUN" => {
                let script = if instruction.heredoc.is_empty() {
                    arguments
                } else {
                    fragments(&instruction.heredoc)
                };
                let current = stage.get_or_insert_with(|| Stage {
                    base: Base::Unknown,
                    ..Stage::default()
                });
                let scan = command::scan(&script, current.context(), Created::Ignored);
                current.base = scan.base;
                findings.extend(scan.findings);
                findings.extend(
                    scan.system_installs
                        .into_iter()
                        .map(|position| (Rule::DockerSystemInstall, position)),
                );
                venvs.extend(
                    scan.created_venvs
                        .iter()
                        .map(|venv| expand(venv, &current.variables)),
                );
            }
            "COPY" => {
                // `COPY --from=build /opt/venv /opt/venv` brings a venv built elsewhere.
                let operands: Vec<&str> = words
                    .iter()
                    .map(|w| w.text.as_str())
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                if let [sources @ .., destination] = operands.as_slice()
                    && sources
                        .iter()
                        .any(|source| venvs.iter().any(|venv| venv == source))
                {
                    venvs.push((*destination).to_string());
                }
            }
            _ => {}
        }
    }
    findings
}

/// The `# escape=` parser directive's character; `\` without one.
pub(super) fn escape_character(lines: &[&str]) -> char {
    lines
        .iter()
        .take_while(|line| line.trim_start().starts_with('#'))
        .find_map(|line| {
            let directive = line.trim_start().trim_start_matches('#').trim();
            directive
                .strip_prefix("escape=")
                .and_then(|value| value.trim().chars().next())
        })
        .unwrap_or('\\')
}

/// Splits the file into instructions: `\` (or the `# escape=` character) continues a line,
/// comment lines inside a continuation are dropped, `<<EOF` here-documents are collected.
pub(super) fn instructions(lines: &[&str]) -> Vec<Instruction> {
    let escape = escape_character(lines);
    let mut instructions = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            index += 1;
            continue;
        }
        let indent = line.len() - trimmed.len();
        let keyword_end = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
        let keyword = trimmed[..keyword_end].to_ascii_uppercase();
        let rest = &trimmed[keyword_end..];
        let mut start = indent + keyword_end + (rest.len() - rest.trim_start().len());
        let mut text = &line[start..];
        if keyword == "RUN" {
            // Flags such as `--mount=type=cache,target=/root/.cache` come before the script.
            while text.starts_with("--") {
                let flag_end = text.find(char::is_whitespace).unwrap_or(text.len());
                let after = &text[flag_end..];
                start += flag_end + (after.len() - after.trim_start().len());
                text = &line[start..];
            }
        }
        let mut arguments = vec![fragment(line, start, index)];
        // The last line that carried the instruction: Docker drops comment and empty lines
        // inside a continuation, so the line after one goes on with the instruction.
        let mut carrying = index;
        while ends_with_escape(lines[carrying], escape) && index + 1 < lines.len() {
            index += 1;
            let next = lines[index].trim_start();
            if next.starts_with('#') || next.is_empty() {
                arguments.push(SourceLine {
                    text: "\\".to_string(),
                    line: index + 1,
                    column: 1,
                });
                continue;
            }
            carrying = index;
            arguments.push(fragment(lines[index], 0, index));
        }
        if escape != '\\' {
            // Shell reads `\`; a backtick escape means each line ends its own shell line.
            for argument in &mut arguments {
                let kept = argument.text.trim_end().trim_end_matches(escape).len();
                argument.text.truncate(kept);
            }
        }
        let mut heredoc = Vec::new();
        if keyword == "RUN" {
            if let Some(delimiter) = heredoc_delimiter(text) {
                while index + 1 < lines.len() {
                    index += 1;
                    if lines[index].trim() == delimiter {
                        break;
                    }
                    heredoc.push(fragment(lines[index], 0, index));
                }
            } else if let Some(delimiter) = text
                .match_indices("<<")
                .find(|(at, _)| !text[at + 2..].starts_with('<') && !text[..*at].ends_with('<'))
                .and_then(|(at, _)| heredoc_delimiter(&text[at..]))
            {
                // `RUN cat > /etc/pip.conf <<EOF`: the shell reader gets the here-document.
                while index + 1 < lines.len() {
                    index += 1;
                    arguments.push(fragment(lines[index], 0, index));
                    if lines[index].trim() == delimiter {
                        break;
                    }
                }
            } else if text.trim_start().starts_with('[') {
                // Exec form: a JSON array, read as words; brackets and commas outside the
                // strings become spaces so every column stays where it was.
                for argument in &mut arguments {
                    argument.text = unbracket(&argument.text);
                }
            }
        }
        instructions.push(Instruction {
            keyword,
            arguments,
            heredoc,
        });
        index += 1;
    }
    instructions
}

fn fragment(line: &str, byte_start: usize, index: usize) -> SourceLine {
    SourceLine {
        text: line[byte_start..].to_string(),
        line: index + 1,
        column: line[..byte_start].chars().count() + 1,
    }
}

pub(super) fn unbracket(text: &str) -> String {
    let mut quoted = false;
    let mut escaped = false;
    text.chars()
        .map(|c| {
            let outside = !quoted;
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = !quoted;
            }
            if outside && matches!(c, '[' | ']' | ',') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn ends_with_escape(line: &str, escape: char) -> bool {
    line.trim_end().ends_with(escape)
}

fn heredoc_delimiter(text: &str) -> Option<String> {
    let rest = text.trim_start().strip_prefix("<<")?;
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace())
        .filter(|c| *c != '"' && *c != '\'')
        .collect();
    (!word.is_empty()).then_some(word)
}

/// `$NAME` and `${NAME}` (and `${NAME:-default}`) replaced from `variables`; unknown
/// names are left as written.
pub(super) fn expand(text: &str, variables: &HashMap<String, String>) -> String {
    let mut result = String::new();
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        result.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let (name, default, consumed) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => {
                    let inner = &braced[..end];
                    let (name, default) = match inner.split_once(":-") {
                        Some((name, default)) => (name, Some(default)),
                        None => (inner, None),
                    };
                    (name, default, end + 2)
                }
                None => ("", None, 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], None, end)
        };
        match variables.get(name).map(String::as_str).or(default) {
            Some(value) if !name.is_empty() => result.push_str(value),
            _ => result.push_str(&rest[dollar..dollar + 1 + consumed]),
        }
        rest = &after[consumed..];
    }
    result.push_str(rest);
    result
}

/// Distributions whose images ship (or install) the distribution's own Python.
const DISTROS: [&str; 22] = [
    "debian",
    "ubuntu",
    "buildpack-deps",
    "alpine",
    "fedora",
    "centos",
    "rockylinux",
    "rockylinux/rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "archlinux",
    "archlinux/archlinux",
    "opensuse/leap",
    "opensuse/tumbleweed",
    "kalilinux/kali-rolling",
    "redhat/ubi8",
    "redhat/ubi9",
    "redhat/ubi10",
    "ubi8/ubi",
    "ubi9/ubi",
    "quay.io/centos/centos",
];

/// Which Python an image has (PEP668.md §5, and docs/lint.md "Images").
///
/// - An image named for a Python it brings (`python`, `pypy`, conda, micromamba, pyenv,
///   `cimg/python`, `ghcr.io/astral-sh/uv:python…`, Gitpod's pyenv workspaces): its own.
/// - A distribution image, any release (Debian 11 has no marker, but `pip install` there
///   still writes into the distro's `/usr`): the distro's.
/// - Anything else is unknown until a `RUN` installs `python3`/`python3-pip` with a package
///   manager ([`reach::base_after`]).
pub(super) fn image_base(image: &str) -> Base {
    let image = image
        .split('@')
        .next()
        .unwrap_or(image)
        .to_ascii_lowercase();
    let (repository, tag) = match image.rsplit_once(':') {
        Some((repository, tag)) if !tag.contains('/') => (repository, tag),
        _ => (image.as_str(), ""),
    };
    let repository = repository
        .strip_prefix("docker.io/")
        .unwrap_or(repository)
        .strip_prefix("library/")
        .unwrap_or(repository);
    let repository = repository.strip_prefix("library/").unwrap_or(repository);
    let name = repository.rsplit('/').next().unwrap_or(repository);
    let own = [
        "python", "pypy", "conda", "mamba", "pyenv", "jupyter", "anaconda",
    ];
    if own.iter().any(|word| name.contains(word))
        || repository.starts_with("gitpod/workspace-")
        || (repository.ends_with("astral-sh/uv") && tag.contains("python"))
    {
        return Base::OwnPython;
    }
    let registry_free = repository
        .split_once('/')
        .filter(|(first, _)| first.contains('.'))
        .map_or(repository, |(_, rest)| rest);
    if DISTROS.contains(&repository)
        || DISTROS.contains(&registry_free)
        || registry_free.starts_with("ubi8")
        || registry_free.starts_with("ubi9")
    {
        return Base::Distro;
    }
    Base::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_lines_do_not_end_a_continued_run() {
        let text = "FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04\nRUN apt-get update \\\n    # python for the helper scripts\n\n && apt-get install -y python3-pip \\\n    # and tidy up\n && pip3 install numpy\nRUN pip3 install -r requirements.txt\n";
        let found: Vec<(&str, usize)> = check(text)
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line))
            .collect();
        assert_eq!(found, vec![("PB204", 7), ("PB204", 8)]);
    }

    #[test]
    fn knows_which_python_an_image_has() {
        for image in [
            "debian",
            "debian:bookworm-slim",
            "debian:11-slim",
            "docker.io/library/debian:trixie",
            "ubuntu:24.04",
            "ubuntu:20.04",
            "ubuntu:jammy",
            "alpine:3.18",
            "archlinux:latest",
            "buildpack-deps:bookworm",
            "debian:${DEBIAN_VERSION}",
            "fedora:40",
            "quay.io/centos/centos:stream9",
            "amazonlinux:2023",
            "registry.access.redhat.com/ubi9/ubi-minimal",
        ] {
            assert_eq!(image_base(image), Base::Distro, "{image}");
        }
        for image in [
            "python:3.12-slim",
            "python:3.12-alpine",
            "pypy:3.10",
            "continuumio/miniconda3",
            "mambaorg/micromamba:1.5",
            "cimg/python:3.12",
            "gitpod/workspace-full",
            "ghcr.io/astral-sh/uv:python3.12-bookworm-slim",
        ] {
            assert_eq!(image_base(image), Base::OwnPython, "{image}");
        }
        for image in [
            "node:20",
            "ghcr.io/acme/debian-tools:1",
            "ghcr.io/astral-sh/uv:latest",
            "nvidia/cuda:12.4.1-runtime-ubuntu22.04",
        ] {
            assert_eq!(image_base(image), Base::Unknown, "{image}");
        }
    }

    #[test]
    fn a_stage_starts_where_its_named_base_ended() {
        let venv = "FROM ubuntu:24.04 AS base\nRUN apt-get update && apt-get install -y python3-venv\nRUN python3 -m venv /opt/venv\nENV PATH=\"/opt/venv/bin:$PATH\"\n\nFROM base\nRUN pip install flask\n";
        assert_eq!(check(venv), vec![]);
        let python = "FROM node:20 AS base\nRUN apt-get update && apt-get install -y python3-pip\n\nFROM base\nRUN pip install flask\n";
        assert_eq!(
            check(python),
            vec![(Rule::DockerSystemInstall, Position { line: 5, column: 5 })]
        );
    }

    #[test]
    fn expands_variables() {
        let variables = HashMap::from([("VIRTUAL_ENV".to_string(), "/opt/venv".to_string())]);
        assert_eq!(
            expand("$VIRTUAL_ENV/bin:$PATH", &variables),
            "/opt/venv/bin:$PATH"
        );
        assert_eq!(expand("${VIRTUAL_ENV}/bin", &variables), "/opt/venv/bin");
        assert_eq!(expand("${X:-/v}/bin", &variables), "/v/bin");
    }
}
