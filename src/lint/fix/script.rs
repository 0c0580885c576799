//! Shell scripts: `sudo pip install …` becomes an install into a venv the script creates
//! (`python3 -m venv .venv && .venv/bin/python -m pip install …`). Unsafe: what the script
//! installed was importable by every program on the machine, and now only by the venv's.
//! `--break-system-packages` on an install into a venv the script created or activated does
//! nothing and is removed (safe).

use super::edit::{Builder, byte_of, token_end};
use super::pip::pip_install;
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
    fixes.extend(sudo_pip(&script, lines, findings));
    fixes
}

/// `sudo pip install …` → the install into a venv the script creates.
fn sudo_pip(script: &[Command], lines: &[&str], findings: &[(Rule, Position)]) -> Option<Fix> {
    let sudo_pips: Vec<Position> = findings
        .iter()
        .filter(|(rule, _)| *rule == Rule::SudoPip)
        .map(|(_, position)| *position)
        .collect();
    if sudo_pips.is_empty() {
        return None;
    }
    let mut builder = Builder::new(lines);
    let mut resolves = Vec::new();
    let mut created = false;
    for command in script {
        let Some(first) = command.words.first() else {
            continue;
        };
        if !sudo_pips.contains(&first.start()) {
            continue;
        }
        let Some(rewrite) = rewrite(command, lines) else {
            continue;
        };
        let line = first.start().line - 1;
        let venv_pip = format!("{VENV}/bin/python -m pip");
        let with = if created {
            venv_pip
        } else {
            format!("{} -m venv {VENV} && {venv_pip}", rewrite.python)
        };
        created = true;
        builder.splice(line, rewrite.start, rewrite.end, &with);
        for flag in rewrite.break_flags {
            builder.remove_word(flag, '\\');
            resolves.extend(
                findings
                    .iter()
                    .filter(|(rule, position)| {
                        *rule == Rule::BreakSystemPackagesFlag && *position == flag
                    })
                    .copied(),
            );
        }
        resolves.push((Rule::SudoPip, first.start()));
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

/// What to change in one `sudo pip install` command.
struct Rewrite {
    /// The Python that creates the venv (`python3`, `python3.12`).
    python: String,
    /// Bytes of the first line from `sudo` to the end of the pip program (`pip3`, `-m pip`).
    start: usize,
    end: usize,
    /// `--break-system-packages` words, useless in a venv.
    break_flags: Vec<Position>,
}

fn rewrite(command: &Command, lines: &[&str]) -> Option<Rewrite> {
    let words = &command.words;
    let sudo = &words[0];
    if !matches!(sudo.text.as_str(), "sudo" | "doas") {
        return None;
    }
    let mut index = 1;
    // `-H`, `-E`, `-n` keep the user root; `-u USER` installs as someone else.
    while words.get(index)?.text.starts_with('-') {
        if !matches!(
            words[index].text.as_str(),
            "-H" | "-E" | "-n" | "-HE" | "-EH"
        ) {
            return None;
        }
        index += 1;
    }
    let program = words.get(index)?;
    let name = program.text.as_str();
    let (python, last) = if let Some(version) = name.strip_prefix("pip") {
        if !version.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        let python = if version.is_empty() { "3" } else { version };
        (format!("python{python}"), index)
    } else if name.starts_with("python")
        && name[6..].chars().all(|c| c.is_ascii_digit() || c == '.')
        && words.get(index + 1)?.text == "-m"
        && words.get(index + 2)?.text == "pip"
    {
        (name.to_string(), index + 2)
    } else {
        return None;
    };
    if words.get(last + 1)?.text != "install" {
        return None;
    }
    let options = &words[last + 2..];
    let refused = |word: &Word| {
        let option = word.text.split('=').next().unwrap_or("");
        matches!(
            option,
            "--user" | "--target" | "-t" | "--prefix" | "--root" | "--python"
        )
    };
    if options.iter().any(refused) {
        return None;
    }
    let line = lines.get(sudo.start().line - 1)?;
    let start = byte_of(line, sudo.start().column);
    // `sudo` must start a command on its line, not follow a `|` or `||`.
    let before = line[..start].trim_end();
    let starts_command = before.is_empty()
        || ["&&", ";", "then", "do", "{", "else"]
            .iter()
            .any(|end| before.ends_with(end));
    let program_end = &words[last];
    if !starts_command
        || program_end.start().line != sudo.start().line
        || !in_place(line, program_end)
    {
        return None;
    }
    let end = token_end(line, byte_of(line, program_end.start().column));
    let break_flags = options
        .iter()
        .filter(|word| word.text.starts_with("--break") && in_place_any(lines, word))
        .map(Word::start)
        .collect();
    Some(Rewrite {
        python,
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
