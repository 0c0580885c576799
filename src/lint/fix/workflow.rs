//! GitHub Actions and GitLab CI files.
//!
//! - A step that installs a command-line tool into the runner's Python (`sudo pip install
//!   pre-commit`, `pip install --user tox`) runs `pipx install` instead: pipx is on GitHub's
//!   runners and puts the tool on `PATH` as before (safe, unless the job runs the tool as a
//!   module, `python -m black`, which a pipx venv does not provide).
//! - A job that installs the project into the runner's Python gets `actions/setup-python`
//!   and a venv on `$GITHUB_PATH` before that step, and its installs lose `sudo` and
//!   `--user` (unsafe: the job runs on another Python).
//! - `PIP_BREAK_SYSTEM_PACKAGES` and `--break-system-packages` where the Python is not the
//!   distro's (after setup-python, a `python:*` image) do nothing and are removed (safe).

use std::collections::BTreeSet;

use super::dockerfile::{apt_python_word, debian_like, installs_venv_package, venv_package};
use super::edit::{Builder, byte_of, indentation, token_end};
use super::pip::pip_install;
use super::script::venv_before;
use super::{Applicability, Fix};
use crate::lint::Position;
use crate::lint::ci::{github_job_base, gitlab_job_image, step_provides_python};
use crate::lint::command::Created;
use crate::lint::dockerfile::image_base;
use crate::lint::reach::Base;
use crate::lint::rules::Rule;
use crate::lint::shell::{Command, SourceLine, Word, commands, fragments};
use crate::lint::yaml::{self, Node};

/// Command-line tools a CI step installs only to run them: `pipx install` gives the same
/// command on `PATH`. Tools that import the project (pytest, mypy, pylint) or are run as
/// modules (`python -m build`) are not here.
const TOOLS: [&str; 40] = [
    "ansible-lint",
    "awscli",
    "aws-sam-cli",
    "bump-my-version",
    "bump2version",
    "black",
    "check-jsonschema",
    "cibuildwheel",
    "cmake",
    "codecov",
    "codespell",
    "conan",
    "cookiecutter",
    "copier",
    "cpplint",
    "esptool",
    "flake8",
    "gcovr",
    "hatch",
    "httpie",
    "isort",
    "maturin",
    "meson",
    "ninja",
    "nox",
    "pdm",
    "pipenv",
    "platformio",
    "poetry",
    "pre-commit",
    "reuse",
    "ruff",
    "semgrep",
    "sqlfluff",
    "tox",
    "twine",
    "uv",
    "west",
    "yamllint",
    "zizmor",
];

/// The environment variable this module removes where it does nothing.
const BREAK_VARIABLE: &str = "PIP_BREAK_SYSTEM_PACKAGES";

/// pip options a tool install may carry that `pipx install` does without.
const DROPPED_OPTIONS: [&str; 9] = [
    "-U",
    "--upgrade",
    "--user",
    "-q",
    "-qq",
    "--quiet",
    "--no-cache-dir",
    "--disable-pip-version-check",
    "--no-warn-script-location",
];

/// The steps inserted before a job's first project install on the runner's Python.
fn setup_python_steps(indent: &str) -> Vec<String> {
    vec![
        format!("{indent}- uses: actions/setup-python@v6"),
        format!("{indent}  with:"),
        format!("{indent}    python-version: \"3.x\""),
        format!(
            "{indent}- run: python -m venv .venv && echo \"$PWD/.venv/bin\" >> \"$GITHUB_PATH\""
        ),
    ]
}

struct Findings<'a>(&'a [(Rule, Position)]);

impl Findings<'_> {
    fn has(&self, rule: Rule, position: Position) -> bool {
        self.0.contains(&(rule, position))
    }

    /// The findings of the rules on `word`.
    fn on(&self, word: &Word, rules: &[Rule]) -> Vec<(Rule, Position)> {
        rules
            .iter()
            .filter(|rule| self.has(**rule, word.start()))
            .map(|rule| (*rule, word.start()))
            .collect()
    }
}

/// Whether `word` stands unquoted on its line where the reader found it: only then can an
/// edit at its columns keep the line's quoting.
fn in_place(lines: &[&str], word: &Word) -> bool {
    lines.get(word.start().line - 1).is_some_and(|line| {
        let start = byte_of(line, word.start().column);
        line[start..token_end(line, start)] == word.text
    })
}

pub(super) fn github(text: &str, lines: &[&str], findings: &[(Rule, Position)]) -> Vec<Fix> {
    let findings = Findings(findings);
    let roots = yaml::parse(text);
    let mut fixes = Vec::new();
    let Some(jobs) = roots
        .iter()
        .find(|node| node.key.as_deref() == Some("jobs"))
    else {
        return fixes;
    };
    // Whether every job's Python is its own before any pip runs: then a workflow-level
    // `PIP_BREAK_SYSTEM_PACKAGES` does nothing.
    let mut all_own = !jobs.children.is_empty();
    for job in &jobs.children {
        let container = job.get("container").is_some();
        let base = github_job_base(job);
        let steps: Vec<&Node> = job
            .get("steps")
            .map(|steps| steps.children.iter().filter(|step| step.item).collect())
            .unwrap_or_default();
        let mut own = base == Base::OwnPython;
        let mut own_before_pip = own;
        let mut pip_seen = false;
        let mut tool_fixes = Vec::new();
        let mut project: Vec<(usize, Command)> = Vec::new();
        let mut no_op = Builder::new(lines);
        let mut no_op_resolves = Vec::new();
        for (step_index, step) in steps.iter().enumerate() {
            if step_provides_python(step) {
                own = true;
                own_before_pip |= !pip_seen;
            }
            if let Some(env) = step.get("env")
                && own
            {
                remove_variables(lines, env, &findings, &mut no_op, &mut no_op_resolves);
            }
            let Some(run) = step.get("run") else {
                continue;
            };
            pip_seen |= run.text().contains("pip");
            let script = commands(&fragments(&run.value));
            let active = venv_before(&script, Created::Ignored);
            for (command, venv) in script.into_iter().zip(active) {
                if own || venv {
                    remove_overrides(lines, &command, &findings, &mut no_op, &mut no_op_resolves);
                    continue;
                }
                if base != Base::Distro || container {
                    continue;
                }
                let Some(install) = pip_install(&command.words) else {
                    continue;
                };
                let flagged = [Rule::SudoPip, Rule::UserInstall, Rule::CiSystemInstall]
                    .iter()
                    .any(|rule| {
                        command
                            .words
                            .iter()
                            .any(|word| findings.has(*rule, word.start()))
                    });
                if !flagged || install.other_user {
                    continue;
                }
                match tool_fix(lines, &command, &install, &findings, text) {
                    Some(fix) => tool_fixes.push(fix),
                    None => project.push((step_index, command)),
                }
            }
            // A venv put first on `PATH` for the following steps, as the checker reads it.
            let script_text = run.text();
            if script_text.contains("GITHUB_PATH")
                && (script_text.contains("venv") || script_text.contains("VIRTUAL_ENV"))
            {
                own = true;
                own_before_pip |= !pip_seen;
            }
        }
        all_own &= own_before_pip;
        if let Some(env) = job.get("env")
            && own_before_pip
        {
            remove_variables(lines, env, &findings, &mut no_op, &mut no_op_resolves);
        }
        if !no_op_resolves.is_empty() {
            fixes.push(Fix {
                applicability: Applicability::Safe,
                resolves: std::mem::take(&mut no_op_resolves),
                edits: no_op.finish(),
            });
        }
        fixes.extend(tool_fixes);
        if let Some(&(first_step, _)) = project.first()
            && let Some(fix) = setup_python_fix(lines, steps[first_step], &project, &findings)
        {
            fixes.push(fix);
        }
    }
    if all_own && let Some(env) = roots.iter().find(|node| node.key.as_deref() == Some("env")) {
        let mut builder = Builder::new(lines);
        let mut resolves = Vec::new();
        remove_variables(lines, env, &findings, &mut builder, &mut resolves);
        if !resolves.is_empty() {
            fixes.push(Fix {
                applicability: Applicability::Safe,
                resolves,
                edits: builder.finish(),
            });
        }
    }
    fixes
}

/// `sudo pip install TOOL…` → `pipx install TOOL…`, when every package is a known tool and
/// the command sits on one line, unquoted.
fn tool_fix(
    lines: &[&str],
    command: &Command,
    install: &super::pip::PipInstall,
    findings: &Findings<'_>,
    text: &str,
) -> Option<Fix> {
    let words = &command.words;
    let first = words.first()?;
    let last = words.last()?;
    if first.start().line != last.start().line || !words.iter().all(|w| in_place(lines, w)) {
        return None;
    }
    let mut packages = Vec::new();
    for word in install.arguments(words) {
        if word.text.starts_with('-') {
            if !DROPPED_OPTIONS.contains(&word.text.as_str()) {
                return None;
            }
        } else {
            let name = word
                .text
                .split(['=', '<', '>', '!', '~', '[', ';'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase()
                .replace('_', "-");
            if !TOOLS.contains(&name.as_str()) {
                return None;
            }
            packages.push((name, word.text.as_str()));
        }
    }
    if packages.is_empty() {
        return None;
    }
    let line_index = first.start().line - 1;
    let line = lines[line_index];
    let start = byte_of(line, first.start().column);
    let end = token_end(line, byte_of(line, last.start().column));
    let specs: Vec<&str> = packages.iter().map(|(_, spec)| *spec).collect();
    let mut builder = Builder::new(lines);
    builder.splice(
        line_index,
        start,
        end,
        &format!("pipx install {}", specs.join(" ")),
    );
    let resolves = words
        .iter()
        .flat_map(|word| {
            findings.on(
                word,
                &[
                    Rule::SudoPip,
                    Rule::UserInstall,
                    Rule::CiSystemInstall,
                    Rule::BreakSystemPackagesFlag,
                    Rule::BreakSystemPackagesEnv,
                ],
            )
        })
        .collect();
    // A job that runs the tool as a module (`python -m black`) needs it importable.
    let as_module = packages.iter().any(|(name, _)| {
        let module = name.replace('-', "_");
        text.contains(&format!("-m {module}")) || text.contains(&format!("-m {name}"))
    });
    Some(Fix {
        applicability: if as_module {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        },
        resolves,
        edits: builder.finish(),
    })
}

/// `actions/setup-python` and a venv before `step`, and `sudo`/`--user` dropped from the
/// job's project installs.
fn setup_python_fix(
    lines: &[&str],
    step: &Node,
    project: &[(usize, Command)],
    findings: &Findings<'_>,
) -> Option<Fix> {
    let first_line = first_line(step)? - 1;
    let line = lines.get(first_line)?;
    if !line.trim_start().starts_with("- ") {
        return None;
    }
    let mut builder = Builder::new(lines);
    builder.insert(first_line, setup_python_steps(indentation(line)));
    let mut resolves = Vec::new();
    for (_, command) in project {
        let words = &command.words;
        let install = pip_install(words)?;
        if let Some(sudo) = install.sudo {
            // `sudo` and its options go: they would take the install back to the system.
            let first = &words[sudo];
            let program = &words[install.program];
            if first.start().line != program.start().line || !in_place(lines, first) {
                return None;
            }
            let line_index = first.start().line - 1;
            let text = lines[line_index];
            let start = byte_of(text, first.start().column);
            let end = byte_of(text, program.start().column);
            builder.splice(line_index, start, end, "");
        }
        for word in install.arguments(words) {
            if (word.text == "--user" || word.text.starts_with("--break")) && in_place(lines, word)
            {
                builder.remove_word(word.start(), '\\');
            }
        }
        resolves.extend(words.iter().flat_map(|word| {
            findings.on(
                word,
                &[
                    Rule::SudoPip,
                    Rule::UserInstall,
                    Rule::CiSystemInstall,
                    Rule::BreakSystemPackagesFlag,
                ],
            )
        }));
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        resolves,
        edits: builder.finish(),
    })
}

/// The first file line of a node's values.
fn first_line(node: &Node) -> Option<usize> {
    let own = node.value.iter().map(|line| line.line);
    let nested = node.children.iter().filter_map(first_line);
    own.chain(nested).min()
}

/// `--break-system-packages` and a `PIP_BREAK_SYSTEM_PACKAGES=1` prefix on a command that
/// runs on a Python the OS does not own.
fn remove_overrides(
    lines: &[&str],
    command: &Command,
    findings: &Findings<'_>,
    builder: &mut Builder<'_>,
    resolves: &mut Vec<(Rule, Position)>,
) {
    // `sudo` resets `PATH`: its pip is the system's, whatever the job set up.
    if command
        .words
        .iter()
        .any(|word| matches!(word.text.as_str(), "sudo" | "doas"))
    {
        return;
    }
    let program = command
        .words
        .iter()
        .position(|word| !word.text.contains('='))
        .unwrap_or(command.words.len());
    for (index, word) in command.words.iter().enumerate() {
        if !in_place(lines, word) {
            continue;
        }
        let flag = word.text.starts_with("--break")
            && findings.has(Rule::BreakSystemPackagesFlag, word.start());
        let prefix = index < program
            && word.text.starts_with(BREAK_VARIABLE)
            && findings.has(Rule::BreakSystemPackagesEnv, word.start());
        if flag || prefix {
            builder.remove_word(word.start(), '\\');
            resolves.extend(findings.on(
                word,
                &[Rule::BreakSystemPackagesFlag, Rule::BreakSystemPackagesEnv],
            ));
        }
    }
}

/// `PIP_BREAK_SYSTEM_PACKAGES: …` in an `env:`/`variables:` map: its line goes, and the
/// map's key too when nothing else is left in it.
fn remove_variables(
    lines: &[&str],
    map: &Node,
    findings: &Findings<'_>,
    builder: &mut Builder<'_>,
    resolves: &mut Vec<(Rule, Position)>,
) {
    let mut removed = BTreeSet::new();
    for entry in &map.children {
        if entry.key.as_deref() != Some(BREAK_VARIABLE) {
            continue;
        }
        let Some(value) = entry.value.first() else {
            continue;
        };
        let index = value.line - 1;
        let Some(line) = lines.get(index) else {
            continue;
        };
        let column = indentation(line).chars().count() + 1;
        let position = Position {
            line: value.line,
            column,
        };
        if !line.trim_start().starts_with(BREAK_VARIABLE)
            || !findings.has(Rule::BreakSystemPackagesEnv, position)
        {
            continue;
        }
        removed.insert(index);
        resolves.push((Rule::BreakSystemPackagesEnv, position));
    }
    if removed.is_empty() {
        return;
    }
    let whole = removed.len() == map.children.len();
    if whole
        && let (Some(first), Some(last)) = (removed.first(), removed.last())
        && let Some(key_line) = key_line(lines, *first, map.key.as_deref().unwrap_or(""))
        && *last - key_line == removed.len()
    {
        builder.delete_block(key_line, *last);
        return;
    }
    for &index in &removed {
        builder.delete(index);
    }
}

/// The line of `key:` opening the map whose first entry is on line `first`.
fn key_line(lines: &[&str], first: usize, key: &str) -> Option<usize> {
    let opening = format!("{key}:");
    (0..first).rev().find(|&index| {
        let trimmed = lines[index].trim_start().trim_start_matches("- ");
        trimmed.trim_end() == opening
    })
}

pub(super) fn gitlab(text: &str, lines: &[&str], findings: &[(Rule, Position)]) -> Vec<Fix> {
    let findings = Findings(findings);
    let roots = yaml::parse(text);
    let top = |key: &str| roots.iter().find(|node| node.key.as_deref() == Some(key));
    let mut builder = Builder::new(lines);
    let mut resolves = Vec::new();
    let mut venv_fixes = Vec::new();
    let mut jobs = 0;
    let mut all_own = true;
    for job in &roots {
        let Some(name) = job.key.as_deref() else {
            continue;
        };
        if job.get("script").is_none() || name.starts_with('.') && job.get("image").is_none() {
            continue;
        }
        jobs += 1;
        let image = gitlab_job_image(&roots, job);
        let own = image
            .as_deref()
            .is_some_and(|image| image_base(image) == Base::OwnPython);
        all_own &= own;
        if own && let Some(variables) = job.get("variables") {
            remove_variables(lines, variables, &findings, &mut builder, &mut resolves);
        }
        let mut script: Vec<SourceLine> = Vec::new();
        for key in ["before_script", "script"] {
            if let Some(section) = job.get(key) {
                script_lines(section, &mut script);
            }
        }
        let script = commands(&fragments(&script));
        let active = venv_before(&script, Created::Ignored);
        for (command, venv) in script.iter().zip(&active) {
            // In a venv the job activated, only an install's own override is known to do
            // nothing.
            let into_venv =
                *venv && pip_install(&command.words).is_some_and(|install| install.sudo.is_none());
            if own || into_venv {
                remove_overrides(lines, command, &findings, &mut builder, &mut resolves);
            }
        }
        if !own && let Some(image) = &image {
            venv_fixes.extend(gitlab_venv(lines, image, &script, &active, &findings));
        }
    }
    if jobs > 0
        && all_own
        && let Some(variables) = top("variables")
    {
        remove_variables(lines, variables, &findings, &mut builder, &mut resolves);
    }
    let mut fixes = Vec::new();
    if !resolves.is_empty() {
        resolves.sort();
        resolves.dedup();
        fixes.push(Fix {
            applicability: Applicability::Safe,
            resolves,
            edits: builder.finish(),
        });
    }
    fixes.extend(venv_fixes);
    fixes
}

/// A GitLab job on a distro image that installs with pip: `python3 -m venv .venv` and
/// `. .venv/bin/activate` as script items before its first install, with `python3-venv` added
/// to the job's `apt-get install` on Debian and Ubuntu images (unsafe: the job's installs
/// move into a venv).
fn gitlab_venv(
    lines: &[&str],
    image: &str,
    script: &[Command],
    active: &[bool],
    findings: &Findings<'_>,
) -> Option<Fix> {
    let mut anchor: Option<(&Command, super::pip::PipInstall)> = None;
    let mut resolves = Vec::new();
    let mut apt_python = None;
    let mut has_venv_package = false;
    let mut flag_words = Vec::new();
    for (command, venv) in script.iter().zip(active) {
        if anchor.is_none() {
            apt_python = apt_python_word(command).or(apt_python);
        }
        has_venv_package |= installs_venv_package(command);
        let Some(install) = pip_install(&command.words) else {
            continue;
        };
        if *venv {
            continue;
        }
        // `--user` fails in a venv and `sudo` leaves it: not this fix.
        if install.sudo.is_some() || install.has_option(&command.words, &["--user"]) {
            return None;
        }
        let program = command.words[install.program].start();
        let flags: Vec<&Word> = install
            .arguments(&command.words)
            .iter()
            .filter(|word| {
                word.text.starts_with("--break")
                    && findings.has(Rule::BreakSystemPackagesFlag, word.start())
            })
            .collect();
        let bare = findings.has(Rule::CiSystemInstall, program);
        if !bare && flags.is_empty() {
            continue;
        }
        if bare {
            resolves.push((Rule::CiSystemInstall, program));
        }
        for flag in flags {
            // In the venv the override does nothing.
            if !in_place(lines, flag) {
                return None;
            }
            resolves.push((Rule::BreakSystemPackagesFlag, flag.start()));
            flag_words.push(flag.start());
        }
        if anchor.is_none() {
            anchor = Some((command, install));
        }
    }
    let (command, install) = anchor?;
    // The install must be a script item of its own (`- pip install …`), the new items go
    // before it.
    let first = command.words.first()?.start();
    let line = lines.get(first.line - 1)?;
    let item = line.trim_start().strip_prefix("- ")?;
    if byte_of(line, first.column) != line.len() - item.len() || !in_place(lines, &command.words[0])
    {
        return None;
    }
    let mut builder = Builder::new(lines);
    let indent = indentation(line);
    let python = &install.python;
    if (debian_like(image) || apt_python.is_some()) && !has_venv_package {
        let position = apt_python?;
        let apt_line = lines.get(position.line - 1)?;
        let end = token_end(apt_line, byte_of(apt_line, position.column));
        builder.splice(
            position.line - 1,
            end,
            end,
            &format!(" {}", venv_package(python)),
        );
    }
    builder.insert(
        first.line - 1,
        vec![
            format!("{indent}- {python} -m venv .venv"),
            format!("{indent}- . .venv/bin/activate"),
        ],
    );
    for flag in flag_words {
        builder.remove_word(flag, '\\');
    }
    Some(Fix {
        applicability: Applicability::Unsafe,
        resolves,
        edits: builder.finish(),
    })
}

fn script_lines(node: &Node, lines: &mut Vec<SourceLine>) {
    lines.extend(node.value.iter().cloned());
    for item in node.children.iter().filter(|child| child.item) {
        script_lines(item, lines);
    }
}
