//! Dockerfiles. A stage on a distro Python that installs with pip gets a venv before its
//! first install — `RUN python3 -m venv /opt/venv` and `ENV PATH="/opt/venv/bin:$PATH"`,
//! with `python3-venv` added to the stage's `apt-get install` on Debian and Ubuntu, where
//! ensurepip is a package of its own — and its installs lose `--break-system-packages` and
//! `PIP_BREAK_SYSTEM_PACKAGES`, which a venv does not need. In a stage whose Python is not
//! the distro's (a `python:*` image, a venv on `PATH`) those overrides do nothing and are
//! removed.

use std::collections::HashMap;

use super::edit::{Builder, byte_of, indentation, token_end};
use super::pip::pip_install;
use super::{Applicability, Fix};
use crate::lint::Position;
use crate::lint::command::{analyze, path_starts_with_venv};
use crate::lint::dockerfile::{Instruction, escape_character, expand, image_base, instructions};
use crate::lint::reach::{Base, Evidence, base_after};
use crate::lint::rules::Rule;
use crate::lint::shell::{Command, Word, commands, fragments};

/// Where the fixed Dockerfile's venv lives: the path docs and images use most.
const VENV: &str = "/opt/venv";

/// Distribution images whose Python needs `python3-venv` for `python3 -m venv`.
const DEBIAN_LIKE: [&str; 4] = ["debian", "ubuntu", "buildpack-deps", "kali-rolling"];

/// A build stage as the fix sees it: where it starts, and (for a named stage) where it ends,
/// which is where the stages built on it start.
#[derive(Debug, Default, Clone)]
struct Stage {
    base: Base,
    debian_like: bool,
    variables: HashMap<String, String>,
    venv: bool,
    /// The venv on `PATH` is the one this fix inserts (in a stage this one is built on), at
    /// this applicability: installs it takes are fixed with that fix.
    venv_by_fix: Option<Applicability>,
    has_venv_package: bool,
}

/// A `pip install` the venv would take in.
struct Target {
    instruction: usize,
    /// The command's first word (its program, or the assignment before it).
    program: Position,
    /// The PB204 finding on it, when the install carried no override.
    finding: Option<Position>,
    python: String,
    /// A command earlier in the same `RUN` installed the distro's Python: the venv is
    /// created in that `RUN`, right before the install.
    after_python_install: bool,
}

pub(super) fn fixes(lines: &[&str], findings: &[(Rule, Position)]) -> Vec<Fix> {
    let escape = escape_character(lines);
    let instructions = instructions(lines);
    let has = |rule: Rule, position: Position| findings.contains(&(rule, position));
    // Each stage: its image, its name, and its instructions (the `FROM` first).
    let mut stages: Vec<(String, Option<String>, Vec<usize>)> = Vec::new();
    let mut global: HashMap<String, String> = HashMap::new();
    for (index, instruction) in instructions.iter().enumerate() {
        let words = words_of(instruction);
        match instruction.keyword.as_str() {
            "FROM" => {
                let operands: Vec<&str> = words
                    .iter()
                    .map(|w| w.text.as_str())
                    .filter(|w| !w.starts_with("--"))
                    .collect();
                let image = operands
                    .first()
                    .map_or(String::new(), |image| expand(image, &global));
                let name = (operands.len() >= 3 && operands[1].eq_ignore_ascii_case("as"))
                    .then(|| operands[2].to_string());
                stages.push((image, name, vec![index]));
            }
            "ARG" if stages.is_empty() => {
                for word in &words {
                    if let Some((name, value)) = word.text.split_once('=') {
                        global.insert(name.to_string(), value.to_string());
                    }
                }
            }
            _ => {
                if let Some((_, _, members)) = stages.last_mut() {
                    members.push(index);
                }
            }
        }
    }
    let mut ends: HashMap<String, Stage> = HashMap::new();
    let mut fixes = Vec::new();
    for (image, name, members) in &stages {
        let mut start = ends.get(image).cloned().unwrap_or_else(|| Stage {
            base: image_base(image),
            debian_like: debian_like(image),
            ..Stage::default()
        });
        start.variables.extend(global.clone());
        let (fix, end) = stage_fix(lines, escape, &instructions, start, members, &has);
        fixes.extend(fix);
        if let Some(name) = name {
            ends.insert(name.clone(), end);
        }
    }
    fixes
}

fn words_of(instruction: &Instruction) -> Vec<Word> {
    commands(&fragments(&instruction.arguments))
        .into_iter()
        .flat_map(|command| command.words)
        .collect()
}

/// Whether the image's Python needs `python3-venv` for `python3 -m venv` (Debian, Ubuntu).
pub(super) fn debian_like(image: &str) -> bool {
    let repository = image.split([':', '@']).next().unwrap_or(image);
    let name = repository.rsplit('/').next().unwrap_or(repository);
    DEBIAN_LIKE.contains(&name.to_ascii_lowercase().as_str())
}

/// Whether `instruction` is a shell-form `RUN` whose commands the fix can edit (not the
/// exec form, not a here-document script).
fn editable_run(instruction: &Instruction) -> bool {
    instruction.keyword == "RUN"
        && instruction.heredoc.is_empty()
        && !instruction
            .arguments
            .first()
            .is_some_and(|first| first.text.trim_start().starts_with('['))
}

fn stage_fix(
    lines: &[&str],
    escape: char,
    instructions: &[Instruction],
    stage: Stage,
    members: &[usize],
    has: &dyn Fn(Rule, Position) -> bool,
) -> (Option<Fix>, Stage) {
    let mut base = stage.base;
    let mut venv = stage.venv;
    let mut variables_set = stage.variables.clone();
    // PB204 findings on installs a venv this fix inserts in an earlier stage takes.
    let mut borrowed: Vec<Position> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    // Overrides to drop, and whether each sits where the Python is the distro's.
    let mut flags: Vec<(Position, bool)> = Vec::new();
    let mut variables: Vec<(Position, usize, bool)> = Vec::new();
    let mut refuses_venv = false;
    let mut apt_python: Option<Position> = None;
    let mut has_venv_package = stage.has_venv_package;
    for &index in &members[1..] {
        let instruction = &instructions[index];
        match instruction.keyword.as_str() {
            "ENV" | "ARG" => {
                for word in words_of(instruction) {
                    if let Some((name, value)) = word.text.split_once('=') {
                        let value = expand(value, &variables_set);
                        if name == "PATH" {
                            venv = path_starts_with_venv(&value, &[]);
                        }
                        variables_set.insert(name.to_string(), value);
                        if has(Rule::BreakSystemPackagesEnv, word.start()) {
                            variables.push((word.start(), index, base == Base::Distro && !venv));
                        }
                    }
                }
            }
            "RUN" => {
                let script = if instruction.heredoc.is_empty() {
                    fragments(&instruction.arguments)
                } else {
                    fragments(&instruction.heredoc)
                };
                let mut python_here = false;
                for command in commands(&script) {
                    let facts = analyze(&command);
                    base = base_after(
                        base,
                        Evidence {
                            distro_python: facts.distro_python,
                            sudo: false,
                        },
                    );
                    if let Some(position) = apt_python_word(&command) {
                        apt_python = Some(position);
                    }
                    has_venv_package |= installs_venv_package(&command);
                    let distro = base == Base::Distro && !venv && !facts.activates_venv;
                    let editable = editable_run(instruction);
                    let install = pip_install(&command.words);
                    for word in &command.words {
                        if word.text.starts_with("--break")
                            && has(Rule::BreakSystemPackagesFlag, word.start())
                        {
                            if install.is_some() && editable {
                                flags.push((word.start(), distro));
                            } else if distro {
                                refuses_venv = true;
                            }
                        }
                        if has(Rule::BreakSystemPackagesEnv, word.start())
                            && word.text.contains('=')
                            && install.as_ref().is_some_and(|install| {
                                command.words[..install.program]
                                    .iter()
                                    .any(|w| w.start() == word.start())
                            })
                        {
                            variables.push((word.start(), index, distro));
                        }
                    }
                    if let Some(install) = &install {
                        let program = command.words[0].start();
                        let bare = command.words[install.program].start();
                        let finding = has(Rule::DockerSystemInstall, bare).then_some(bare);
                        let system = finding.is_some()
                            || (distro
                                && command
                                    .words
                                    .iter()
                                    .any(|w| has(Rule::BreakSystemPackagesFlag, w.start())));
                        if distro
                            && (install.sudo.is_some()
                                || install.has_option(&command.words, &["--user"]))
                        {
                            // `--user` fails in a venv and `sudo` leaves it: not this fix.
                            refuses_venv = true;
                        }
                        if let Some(finding) = finding
                            && venv
                            && stage.venv_by_fix.is_some()
                        {
                            borrowed.push(finding);
                        } else if system {
                            if !editable {
                                refuses_venv = true;
                            }
                            targets.push(Target {
                                instruction: index,
                                program,
                                finding,
                                python: install.python.clone(),
                                after_python_install: python_here,
                            });
                        }
                    }
                    python_here |= facts.distro_python;
                    if facts.activates_venv {
                        venv = true;
                    }
                }
            }
            _ => {}
        }
    }
    let end = |inserted: Option<Applicability>| Stage {
        base,
        debian_like: stage.debian_like,
        variables: variables_set.clone(),
        venv: venv || inserted.is_some(),
        venv_by_fix: inserted.or(stage.venv_by_fix),
        has_venv_package: has_venv_package || inserted.is_some(),
    };
    let mut builder = Builder::new(lines);
    let mut resolves: Vec<(Rule, Position)> = borrowed
        .iter()
        .map(|position| (Rule::DockerSystemInstall, *position))
        .collect();
    // Installs into a venv an earlier stage's fix inserts are fixed with that fix.
    let mut applicability = stage.venv_by_fix.unwrap_or(Applicability::Safe);
    let first = targets.first();
    if first.is_some() && refuses_venv {
        return (None, end(None));
    }
    if let Some(first) = first {
        let Some(anchor) = instructions[first.instruction].arguments.first() else {
            return (None, end(None));
        };
        let anchor_line = anchor.line - 1;
        let indent = indentation(lines[anchor_line]).to_string();
        let mut inserted = Vec::new();
        let python = first.python.as_str();
        if (stage.debian_like || apt_python.is_some()) && !has_venv_package {
            let package = venv_package(python);
            match apt_python {
                Some(position) => append_word(&mut builder, lines, position, &package),
                None => inserted.push(format!(
                    "{indent}RUN apt-get update && apt-get install -y --no-install-recommends {package} && rm -rf /var/lib/apt/lists/*"
                )),
            }
        }
        if first.after_python_install {
            let line = lines[first.program.line - 1];
            let at = byte_of(line, first.program.column);
            let before = line[..at].trim_end();
            if !(before.ends_with("&&") || before.ends_with(';')) {
                return (None, end(None));
            }
            builder.splice(
                first.program.line - 1,
                at,
                at,
                &format!("{python} -m venv {VENV} && "),
            );
        } else {
            inserted.push(format!("{indent}RUN {python} -m venv {VENV}"));
        }
        inserted.push(format!("{indent}ENV PATH=\"{VENV}/bin:$PATH\""));
        builder.insert(anchor_line, inserted);
        resolves.extend(
            targets
                .iter()
                .filter_map(|target| target.finding)
                .map(|position| (Rule::DockerSystemInstall, position)),
        );
        if uses_system_python_after(lines, anchor_line) {
            applicability = Applicability::Unsafe;
        }
    }
    let inserted = first.is_some().then_some(applicability);
    // On the distro's Python an override goes only with the venv that takes the installs.
    for &(position, distro) in &flags {
        if distro && first.is_none() {
            continue;
        }
        builder.remove_word(position, escape);
        resolves.push((Rule::BreakSystemPackagesFlag, position));
    }
    for &(position, index, distro) in &variables {
        if distro && first.is_none() {
            continue;
        }
        if remove_variable(&mut builder, lines, escape, &instructions[index], position).is_none() {
            return (None, end(inserted));
        }
        resolves.push((Rule::BreakSystemPackagesEnv, position));
    }
    let end = end(inserted);
    if resolves.is_empty() {
        return (None, end);
    }
    resolves.sort();
    resolves.dedup();
    let fix = Fix {
        applicability,
        resolves,
        edits: builder.finish(),
    };
    (Some(fix), end)
}

/// `ENV`/`ARG NAME=value`: the word goes; an instruction left with no other word goes whole.
fn remove_variable(
    builder: &mut Builder<'_>,
    lines: &[&str],
    escape: char,
    instruction: &Instruction,
    position: Position,
) -> Option<()> {
    if instruction.keyword == "RUN" {
        builder.remove_word(position, escape);
        return Some(());
    }
    let words = words_of(instruction);
    if words.len() == 1 {
        let first = instruction.arguments.first()?.line - 1;
        let last = instruction.arguments.last()?.line - 1;
        builder.delete_block(first, last);
        return Some(());
    }
    let line = lines.get(position.line - 1)?;
    let start = byte_of(line, position.column);
    if !line[start..token_end(line, start)].contains('=') {
        return None;
    }
    builder.remove_word(position, escape);
    Some(())
}

/// The last package word of an `apt-get install`/`apt install` command that installs the
/// distro's Python, where `python3-venv` goes after it.
pub(super) fn apt_python_word(command: &Command) -> Option<Position> {
    let words = &command.words;
    let manager = words
        .iter()
        .position(|w| matches!(w.text.as_str(), "apt-get" | "apt" | "aptitude"))?;
    let verb = words[manager..].iter().position(|w| w.text == "install")? + manager;
    words[verb + 1..]
        .iter()
        .filter(|w| !w.text.starts_with('-'))
        .rfind(|w| w.text.starts_with("python3") || w.text == "python-is-python3")
        .map(Word::start)
}

/// Whether the command installs ensurepip's package (`python3-venv`, `python3.12-venv`,
/// `python3-full`).
pub(super) fn installs_venv_package(command: &Command) -> bool {
    command.words.iter().any(|word| {
        let text = word.text.as_str();
        text == "python3-full" || text.starts_with("python3") && text.ends_with("-venv")
    })
}

/// `python3-venv`, or `python3.12-venv` for a versioned Python.
pub(super) fn venv_package(python: &str) -> String {
    format!("{python}-venv")
}

/// Adds ` word` after the package word at `position` on its line.
fn append_word(builder: &mut Builder<'_>, lines: &[&str], position: Position, word: &str) {
    if let Some(line) = lines.get(position.line - 1) {
        let end = token_end(line, byte_of(line, position.column));
        builder.splice(position.line - 1, end, end, &format!(" {word}"));
    }
}

/// Whether an instruction after the venv names the system Python or its directories: what
/// it runs or reads would no longer see the packages.
fn uses_system_python_after(lines: &[&str], anchor: usize) -> bool {
    lines[anchor..].iter().any(|line| {
        [
            "/usr/bin/python",
            "/usr/local/bin/python",
            "dist-packages",
            "site-packages",
        ]
        .iter()
        .any(|path| line.contains(path))
    })
}
