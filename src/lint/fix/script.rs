//! Shell scripts: `sudo pip install …`, and a bare `pip install` on a machine the script
//! provisions, become installs into a venv the script creates (`python3 -m venv .venv &&
//! .venv/bin/python -m pip install …`). Unsafe: what the script installed was importable by
//! every program on the machine, and now only by the venv's.
//! `--break-system-packages` on an install into a venv the script created or activated does
//! nothing and is removed (safe).

use super::dockerfile::{self, apt_python_word, installs_venv_package};
use super::edit::{Builder, byte_of, token_end};
use super::pip::{PipInstall, pip_install};
use super::{Applicability, Fix};
use crate::lint::Position;
use crate::lint::command::{Created, analyze};
use crate::lint::rules::Rule;
use crate::lint::shell::{Command, Fragment, Word, commands};

/// For each command, whether a venv is active when it runs: activated, put first on `PATH`
/// or (with `Created::Counts`, in a script) created earlier.
pub(super) fn venv_before(commands: &[Command], created: Created) -> Vec<bool> {
    let mut active = false;
    commands
        .iter()
        .map(|command| {
            let before = active;
            let facts = analyze(command);
            if facts.activates_venv || (created == Created::Counts && facts.creates_venv.is_some())
            {
                active = true;
            }
            if facts.deactivates_venv {
                active = false;
            }
            before
        })
        .collect()
}

/// `--break-system-packages` on `pip install`s into an active venv (not through `sudo`,
/// which leaves it): the words to remove and the findings that go with them.
pub(super) fn flags_in_venv(
    commands: &[Command],
    created: Created,
    lines: &[&str],
    findings: &[(Rule, Position)],
) -> Vec<Position> {
    let active = venv_before(commands, created);
    commands
        .iter()
        .zip(active)
        .filter(|(_, active)| *active)
        .filter_map(|(command, _)| {
            let install = pip_install(&command.words)?;
            install.sudo.is_none().then_some((command, install))
        })
        .flat_map(|(command, install)| {
            install
                .arguments(&command.words)
                .iter()
                .filter(|word| {
                    word.text.starts_with("--break")
                        && findings.contains(&(Rule::BreakSystemPackagesFlag, word.start()))
                        && in_place_any(lines, word)
                })
                .map(Word::start)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The venv the fixed script creates, relative to where it runs, as a project's is.
const VENV: &str = ".venv";

pub(super) fn fixes(text: &str, lines: &[&str], findings: &[(Rule, Position)]) -> Vec<Fix> {
    let mut fixes = Vec::new();
    let script = commands(&Fragment::lines(text, 1));
    let flags = flags_in_venv(&script, Created::Counts, lines, findings);
    if !flags.is_empty() {
        let mut builder = Builder::new(lines);
        for flag in &flags {
            builder.remove_word(*flag, '\\');
        }
        fixes.push(Fix {
            applicability: Applicability::Safe,
            resolves: flags
                .iter()
                .map(|flag| (Rule::BreakSystemPackagesFlag, *flag))
                .collect(),
            edits: builder.finish(),
        });
    }
    fixes.extend(into_venv(&script, lines, findings));
    fixes
}

/// `sudo pip install …`, and a bare `pip install` into the distro's Python of a machine the
/// script provisions (PB206) → the install into a venv the script creates.
fn into_venv(script: &[Command], lines: &[&str], findings: &[(Rule, Position)]) -> Option<Fix> {
    let has = |rule: Rule, position: Position| findings.contains(&(rule, position));
    let mut builder = Builder::new(lines);
    let mut resolves = Vec::new();
    // The line of the last install made to create the venv.
    let mut created: Option<usize> = None;
    // The last `apt-get install` of the distro's Python so far, and whether ensurepip's
    // package is installed by then.
    let mut apt_python: Option<Position> = None;
    let mut venv_package = false;
    let mut extended: Vec<Position> = Vec::new();
    for command in script {
        apt_python = apt_python_word(command).or(apt_python);
        venv_package |= installs_venv_package(command);
        let words = &command.words;
        let Some(install) = pip_install(words) else {
            continue;
        };
        let first = words[0].start();
        let program = words[install.program].start();
        let finding = match install.sudo {
            Some(_) if has(Rule::SudoPip, first) => (Rule::SudoPip, first),
            None if has(Rule::HostSystemInstall, program) => (Rule::HostSystemInstall, program),
            _ => continue,
        };
        let Some(rewrite) = rewrite(command, &install, lines) else {
            continue;
        };
        let venv_pip = format!("{VENV}/bin/python -m pip");
        let line = first.line - 1;
        let with = if created.is_some_and(|earlier| same_block(lines, earlier, line)) {
            venv_pip
        } else {
            created = Some(line);
            // Debian and Ubuntu keep ensurepip in `python3-venv`: it goes with the
            // distro's Python the script installs.
            if let Some(position) = apt_python
                && !venv_package
                && !extended.contains(&position)
            {
                extended.push(position);
                let apt_line = lines[position.line - 1];
                let end = token_end(apt_line, byte_of(apt_line, position.column));
                builder.splice(
                    position.line - 1,
                    end,
                    end,
                    &format!(" {}", dockerfile::venv_package(&install.python)),
                );
            }
            format!("{} -m venv {VENV} && {venv_pip}", install.python)
        };
        builder.splice(first.line - 1, rewrite.start, rewrite.end, &with);
        for flag in rewrite.break_flags {
            builder.remove_word(flag, '\\');
            if has(Rule::BreakSystemPackagesFlag, flag) {
                resolves.push((Rule::BreakSystemPackagesFlag, flag));
            }
        }
        resolves.push(finding);
    }
    if resolves.is_empty() {
        return None;
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        resolves,
        edits: builder.finish(),
    })
}

/// Whether line `later` surely runs after line `earlier` once that one ran: same
/// indentation, and no line between them opens or closes a branch, loop or function (a
/// `case` branch, an `else`). Otherwise the later install creates the venv again, which is
/// harmless when it exists.
fn same_block(lines: &[&str], earlier: usize, later: usize) -> bool {
    let indentation = |line: &str| line.len() - line.trim_start().len();
    let control = |line: &&str| {
        let trimmed = line.trim();
        let first = trimmed.split_whitespace().next().unwrap_or("");
        matches!(
            first,
            "if" | "then"
                | "else"
                | "elif"
                | "fi"
                | "case"
                | "esac"
                | "for"
                | "while"
                | "until"
                | "do"
                | "done"
                | "function"
                | "{"
                | "}"
                | ";;"
        ) || trimmed.ends_with(')')
            || trimmed.ends_with(";;")
            || trimmed.contains("()")
    };
    // Two installs on one line (`sudo pip install a; sudo pip install b`) run in order.
    let between = lines.get(earlier + 1..later).unwrap_or_default();
    indentation(lines[earlier]) == indentation(lines[later]) && !between.iter().any(control)
}

/// What to change in one install command.
struct Rewrite {
    /// Bytes of the first line from the command's start (`sudo` or the program) to the end
    /// of the pip program (`pip3`, `-m pip`).
    start: usize,
    end: usize,
    /// `--break-system-packages` words, useless in a venv.
    break_flags: Vec<Position>,
}

fn rewrite(command: &Command, install: &PipInstall, lines: &[&str]) -> Option<Rewrite> {
    let words = &command.words;
    // Nothing in front of `sudo` or the program (a `VAR=value` would then apply to the venv's
    // creation), and `sudo` only with options that keep the user root.
    if install.sudo.unwrap_or(install.program) != 0 || install.other_user {
        return None;
    }
    if let Some(sudo) = install.sudo
        && !words[sudo + 1..install.program]
            .iter()
            .all(|word| matches!(word.text.as_str(), "-H" | "-E" | "-n" | "-HE" | "-EH"))
    {
        return None;
    }
    // A venv refuses `--user`; the others put the packages elsewhere on purpose.
    if install.has_option(
        words,
        &["--user", "--target", "-t", "--prefix", "--root", "--python"],
    ) {
        return None;
    }
    let first = &words[0];
    let line = lines.get(first.start().line - 1)?;
    let start = byte_of(line, first.start().column);
    // The command must start a command on its line, not follow a `|` or `||`.
    let before = line[..start].trim_end();
    let starts_command = before.is_empty()
        || ["&&", ";", "then", "do", "{", "else"]
            .iter()
            .any(|end| before.ends_with(end));
    let pip_end = &words[install.pip_end];
    if !starts_command
        || pip_end.start().line != first.start().line
        || !words[..=install.pip_end]
            .iter()
            .all(|word| in_place(line, word))
    {
        return None;
    }
    let end = token_end(line, byte_of(line, pip_end.start().column));
    let break_flags = install
        .arguments(words)
        .iter()
        .filter(|word| word.text.starts_with("--break") && in_place_any(lines, word))
        .map(Word::start)
        .collect();
    Some(Rewrite {
        start,
        end,
        break_flags,
    })
}

/// Whether `word` stands unquoted in `line` where the reader found it.
fn in_place(line: &str, word: &Word) -> bool {
    let start = byte_of(line, word.start().column);
    line[start..token_end(line, start)] == word.text
}

fn in_place_any(lines: &[&str], word: &Word) -> bool {
    lines
        .get(word.start().line - 1)
        .is_some_and(|line| in_place(line, word))
}
