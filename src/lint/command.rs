//! What one shell command means for PEP 668: the findings it carries on its own, whether
//! it is a bare `pip install` into whatever Python is first on `PATH`, and how it changes
//! which Python later commands reach (activating or creating a venv).

use std::sync::LazyLock;

use regex::Regex;

use super::Position;
use super::reach::{self, Action, Base, Context, Evidence};
use super::rules::Rule;
use super::shell::{Command, Fragment, Word, commands};

/// Whether the commands of a script whose lines are `lines` may give a finding: every
/// finding of the command reader needs one of `COMMAND_FINDING`'s strings (`walk.rs` tests
/// it), in the words the shell reads, so also once the quotes and backslashes it removes
/// are gone (`p''ip`, a `\` line continuation). `false` is a promise: no finding.
pub(super) fn may_find<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> bool {
    let finding = &*super::walk::COMMAND_FINDING_REGEX;
    if lines.clone().any(|line| finding.is_match(line)) {
        return true;
    }
    let removed = |c: char| matches!(c, '\'' | '"' | '`' | '\\');
    if !lines.clone().any(|line| line.contains(removed)) {
        return false;
    }
    let words: String = lines
        .flat_map(str::chars)
        .filter(|&c| !removed(c))
        .collect();
    finding.is_match(&words)
}

/// Everything one command tells the linter.
#[derive(Debug, Default)]
pub(super) struct Facts {
    /// Findings that hold wherever the command runs.
    pub findings: Vec<(Rule, Position)>,
    /// A `pip install` into the first Python on `PATH`: the position of the program word.
    /// Only a finding where the caller knows that Python is externally managed.
    pub system_install: Option<Position>,
    /// `. venv/bin/activate`, `conda activate`, or `PATH` set to a venv's `bin`.
    pub activates_venv: bool,
    /// `deactivate`.
    pub deactivates_venv: bool,
    /// The directory of a venv this command creates (`python -m venv DIR`, `uv venv DIR`).
    pub creates_venv: Option<String>,
    /// The command runs through `sudo`/`doas`.
    pub sudo: bool,
    /// The command installs the distro's Python or pip with a package manager.
    pub distro_python: bool,
    /// A Python on `PATH` reading its script from stdin (`… | python3`, `python3 -`): the
    /// position of its program word (or `sudo`).
    pub python_stdin: Option<Position>,
    /// The command downloads `get-pip.py` (`curl -sS …/get-pip.py`).
    pub fetches_get_pip: bool,
    /// `NAME=value` assignments the command makes (shell variables, `export`).
    pub assignments: Vec<(String, String)>,
    /// `find … -name EXTERNALLY-MANAGED` that only lists the marker (for a pipe into
    /// `xargs rm`).
    pub lists_marker: bool,
    /// `xargs rm …`: the position of the program `xargs` runs, which removes what it reads.
    pub xargs_removes: Option<Position>,
    /// `pip install --target` into the distro's own `dist-packages`: the position of the
    /// program word. A system install wherever the command runs.
    pub distro_target: Option<Position>,
}

/// Environment variables that switch a check off, and the rule each one breaks.
pub(super) const ENVIRONMENT_RULES: [(&str, Rule); 4] = [
    ("PIP_BREAK_SYSTEM_PACKAGES", Rule::BreakSystemPackagesEnv),
    ("UV_BREAK_SYSTEM_PACKAGES", Rule::BreakSystemPackagesEnv),
    ("UV_SYSTEM_PYTHON", Rule::UvSystem),
    ("PIP_USER", Rule::UserInstall),
];

/// Whether pip (or uv) reads `value` as "on" for a boolean variable. pip: `strtobool`;
/// an unexpanded `$VARIABLE` might be anything, so it counts as on.
pub(super) fn is_truthy(value: &str) -> bool {
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    !matches!(
        value.to_ascii_lowercase().as_str(),
        "" | "0" | "n" | "no" | "f" | "false" | "off"
    )
}

/// Programs that only print, search or edit text: a flag in their arguments is data.
const TEXT_PROGRAMS: [&str; 14] = [
    "echo", "printf", "cat", "grep", "egrep", "fgrep", "rg", "sed", "awk", "tee", "logger", ":",
    "test", "[",
];

/// Words that may precede the program without changing which program runs.
const PREFIX_WORDS: [&str; 16] = [
    "!", "{", "}", "if", "then", "else", "elif", "do", "while", "until", "time", "exec", "nohup",
    "command", "builtin", "eval",
];

/// Reads one command.
pub(super) fn analyze(command: &Command) -> Facts {
    let mut facts = Facts::default();
    let words = &command.words;
    environment_findings(words, &mut facts);
    let program = program_start(words);
    let prefix = program
        .as_ref()
        .map_or(words.len(), |program| program.index);
    facts.assignments = words[..prefix]
        .iter()
        .filter(|w| is_assignment(&w.text))
        .filter_map(|w| w.text.split_once('='))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    let Some(program) = program else {
        activation_by_assignment(words, &mut facts);
        return facts;
    };
    facts.sudo = program.sudo.is_some();
    let name = basename(&words[program.index].text);
    if matches!(name, "echo" | "printf") {
        // `echo 'break-system-packages = true' >> /etc/pip.conf`.
        for word in &words[program.index + 1..] {
            if let Some(offset) = config_line_on(&word.text) {
                facts
                    .findings
                    .push((Rule::BreakSystemPackagesConfig, word.position_at(offset)));
            }
        }
    } else if !TEXT_PROGRAMS.contains(&name) {
        for word in &words[program.index..] {
            if let Some(offset) = break_flag_offset(&word.text) {
                facts
                    .findings
                    .push((Rule::BreakSystemPackagesFlag, word.position_at(offset)));
            }
        }
    }
    for line in &command.heredoc {
        if let Some(offset) = config_line_on(&line.text) {
            facts.findings.push((
                Rule::BreakSystemPackagesConfig,
                Position {
                    line: line.line,
                    column: line.column + line.text[..offset].chars().count(),
                },
            ));
        }
    }
    let rest = &words[program.index + 1..];
    facts.distro_python = installs_distro_python(name, rest);
    facts.fetches_get_pip =
        matches!(name, "curl" | "wget") && rest.iter().any(|w| w.text.ends_with("get-pip.py"));
    if system_python(words, program.index) {
        let at = program.sudo.unwrap_or(words[program.index].start());
        match first_operand_of_python(rest) {
            None => facts.python_stdin = Some(at),
            Some(script) if script.text == "-" => facts.python_stdin = Some(at),
            Some(script) if basename(&script.text) == "get-pip.py" => {
                facts.findings.push((Rule::GetPipSystem, at));
            }
            Some(_) => {}
        }
    }
    match name {
        "." | "source" if rest.first().is_some_and(|w| w.text.ends_with("/activate")) => {
            facts.activates_venv = true;
        }
        "deactivate" => facts.deactivates_venv = true,
        "conda" | "mamba" | "micromamba" if rest.first().is_some_and(|w| w.text == "activate") => {
            facts.activates_venv = true;
        }
        "export" | "readonly" | "local" | "declare" | "typeset" => {
            activation_by_assignment(rest, &mut facts);
            facts.assignments.extend(
                rest.iter()
                    .filter_map(|w| w.text.split_once('='))
                    .map(|(name, value)| (name.to_string(), value.to_string())),
            );
        }
        "rm" | "mv" | "unlink" | "shred" | "truncate" => {
            marker_removal(rest, &words[program.index], &mut facts);
            if words[..program.index].iter().any(|w| w.text == "xargs") && name != "mv" {
                facts.xargs_removes = Some(words[program.index].start());
            }
        }
        "find" if rest.iter().any(|w| w.text.contains("EXTERNALLY-MANAGED")) => {
            if rest
                .iter()
                .any(|w| matches!(w.text.as_str(), "-delete" | "-exec" | "-execdir"))
            {
                facts
                    .findings
                    .push((Rule::MarkerRemoved, words[program.index].start()));
            } else {
                facts.lists_marker = true;
            }
        }
        "virtualenv" => facts.creates_venv = first_operand(rest).map(|w| w.text.clone()),
        "uv" => uv(rest, &mut facts),
        "sh" | "bash" | "dash" | "zsh" | "ash" | "ksh" => inline_script(rest, &mut facts),
        _ => {}
    }
    if let Some(pip) = pip_call(words, program.index) {
        pip_findings(words, &pip, program.sudo, &mut facts);
    } else if let Some(directory) = python_venv(words, program.index) {
        facts.creates_venv = Some(directory);
    }
    activation_by_assignment(&words[..program.index], &mut facts);
    facts
}

const BREAK_FLAG: &str = "--break-system-packages";

/// Where `--break-system-packages`, or an abbreviation of it pip's option parser accepts
/// (`--break-system-package`, `--break`), stands as an option in `text`: alone, as
/// `flag=value`, or as the value of another option (`--pip-args=--break-system-packages`),
/// never inside prose ("… by passing --break-system-packages.").
fn break_flag_offset(text: &str) -> Option<usize> {
    text.match_indices("--break")
        .map(|(offset, _)| offset)
        .find(|&offset| {
            let flag: &str = text[offset..]
                .split(|c: char| !(c.is_ascii_lowercase() || c == '-'))
                .next()
                .unwrap_or("");
            let before = text[..offset].chars().next_back();
            let after = text[offset + flag.len()..].chars().next();
            BREAK_FLAG.starts_with(flag)
                && before.is_none_or(|c| c.is_whitespace() || matches!(c, '=' | '"' | '\'' | ','))
                && after.is_none_or(|c| c.is_whitespace() || matches!(c, '=' | '"' | '\'' | ','))
        })
}

/// Where a pip config line switching `break-system-packages` on starts in `text`
/// (`break-system-packages = true`, `break_system_packages: 1`), also inside `printf`'s
/// `\n`-joined lines.
pub(super) fn config_line_on(text: &str) -> Option<usize> {
    ["break-system-packages", "break_system_packages"]
        .iter()
        .flat_map(|key| text.match_indices(key))
        .map(|(offset, key)| (offset, key.len()))
        .find(|&(offset, length)| {
            let before = text[..offset].chars().next_back();
            let after_escape = text[..offset].ends_with("\\n");
            if !after_escape && before.is_some_and(|c| c == '-' || c.is_ascii_alphanumeric()) {
                return false;
            }
            let rest = text[offset + length..].trim_start_matches([' ', '\t']);
            let Some(value) = rest.strip_prefix(['=', ':']) else {
                return false;
            };
            let value: String = value
                .trim_start_matches([' ', '\t'])
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '\\')
                .collect();
            !value.is_empty() && is_truthy(&value)
        })
        .map(|(offset, _)| offset)
}

/// Package managers, and the words that make them install.
const PACKAGE_MANAGERS: [(&str, &[&str]); 11] = [
    ("apt-get", &["install"]),
    ("apt", &["install"]),
    ("aptitude", &["install"]),
    ("yum", &["install"]),
    ("dnf", &["install"]),
    ("microdnf", &["install"]),
    ("tdnf", &["install"]),
    ("zypper", &["install", "in"]),
    ("apk", &["add"]),
    ("pacman", &["-S", "-Sy", "-Syu", "--sync"]),
    ("brew", &["install"]),
];

/// `apt-get install python3-pip`, `apk add py3-pip`, `dnf install python3.11`: the distro's
/// own Python or pip.
fn installs_distro_python(name: &str, rest: &[Word]) -> bool {
    let Some((_, verbs)) = PACKAGE_MANAGERS
        .iter()
        .find(|(manager, _)| *manager == name)
    else {
        return false;
    };
    let Some(verb) = rest.iter().position(|w| verbs.contains(&w.text.as_str())) else {
        return false;
    };
    rest[verb + 1..].iter().any(|w| {
        let package = w.text.split(['=', '>', '<']).next().unwrap_or("");
        package == "python"
            || package == "pip"
            || package.starts_with("python3")
            || package.starts_with("python-pip")
            || package.starts_with("python2")
            || package.starts_with("py3-")
            || package.starts_with("python@")
            || package == "python-is-python3"
    })
}

/// Whether the command's program is a Python found through `PATH` (or a system path).
fn system_python(words: &[Word], program: usize) -> bool {
    let text = words[program].text.as_str();
    let name = basename(text);
    let through_path = !text.contains(['/', '$', '\\'])
        || ["/usr/bin/", "/bin/", "/usr/local/bin/"].iter().any(|dir| {
            text.strip_prefix(dir)
                .is_some_and(|rest| !rest.contains('/'))
        });
    through_path && (is_versioned(name, "python") || is_versioned(name, "pypy"))
}

/// The first word after a Python's own options: its script, `-`, or the value of `-c`/`-m`.
fn first_operand_of_python(rest: &[Word]) -> Option<&Word> {
    let mut index = 0;
    while index < rest.len() {
        let text = rest[index].text.as_str();
        if matches!(text, "-c" | "-m") || (text.starts_with("-m") && text.len() > 2) {
            return rest.get(index + 1).or(Some(&rest[index]));
        }
        if matches!(text, "-X" | "-W") {
            index += 2;
        } else if text.starts_with('-') && text != "-" {
            index += 1;
        } else {
            return Some(&rest[index]);
        }
    }
    None
}

pub(super) struct Program {
    pub index: usize,
    /// The `sudo`/`doas` word, when the program runs through one.
    pub sudo: Option<Position>,
}

/// Skips leading assignments, keywords, `env`, `sudo` and their options.
pub(super) fn program_start(words: &[Word]) -> Option<Program> {
    let mut index = 0;
    let mut sudo = None;
    while index < words.len() {
        let text = words[index].text.as_str();
        if is_assignment(text) || PREFIX_WORDS.contains(&text) {
            index += 1;
        } else if text == "env" {
            index += 1;
            while index < words.len()
                && (words[index].text.starts_with('-') || is_assignment(&words[index].text))
            {
                let takes_value = matches!(words[index].text.as_str(), "-u" | "-C" | "-S");
                index += if takes_value { 2 } else { 1 };
            }
        } else if text == "xargs" && index + 1 < words.len() {
            // `… | xargs sudo pip3 install -U`: xargs runs the command after its options.
            index += 1;
            while index < words.len() && words[index].text.starts_with('-') {
                let takes_value = matches!(
                    words[index].text.as_str(),
                    "-n" | "-I" | "-P" | "-L" | "-s" | "-d" | "-E" | "-a"
                );
                index += if takes_value { 2 } else { 1 };
            }
        } else if text == "sudo" || text == "doas" {
            sudo = Some(words[index].start());
            index += 1;
            while index < words.len() && words[index].text.starts_with('-') {
                let takes_value = matches!(
                    words[index].text.as_str(),
                    "-u" | "-g" | "-C" | "-D" | "-p" | "-r" | "-t" | "-T" | "-U" | "-h"
                );
                index += if takes_value { 2 } else { 1 };
            }
        } else {
            return Some(Program { index, sudo });
        }
    }
    None
}

fn is_assignment(text: &str) -> bool {
    match text.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

pub(super) fn basename(text: &str) -> &str {
    text.rsplit(['/', '\\']).next().unwrap_or(text)
}

/// `NAME=value` words anywhere in the command (`export`, `env`, a prefix, `docker run -e`,
/// `--build-arg`), and csh's `setenv NAME value`.
fn environment_findings(words: &[Word], facts: &mut Facts) {
    for (index, word) in words.iter().enumerate() {
        for (name, rule) in ENVIRONMENT_RULES {
            if let Some(value) = word
                .text
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix('='))
            {
                if is_truthy(value) {
                    facts.findings.push((rule, word.start()));
                }
            } else if word.text == name
                && index > 0
                && words[index - 1].text == "setenv"
                && words.get(index + 1).is_some_and(|v| is_truthy(&v.text))
            {
                facts.findings.push((rule, word.start()));
            }
        }
    }
}

/// `PATH=/opt/venv/bin:$PATH` or `VIRTUAL_ENV=...` put a venv first.
fn activation_by_assignment(words: &[Word], facts: &mut Facts) {
    for word in words {
        if let Some(value) = word.text.strip_prefix("PATH=")
            && path_starts_with_venv(value, &[])
        {
            facts.activates_venv = true;
        }
    }
}

/// Whether the first entry of a `PATH` value is the `bin` of a venv (or another non-system
/// Python: conda, pyenv). `venvs` are directories known to hold a venv.
pub(super) fn path_starts_with_venv(value: &str, venvs: &[String]) -> bool {
    let first = value
        .trim_matches(|c| c == '"' || c == '\'')
        .split(':')
        .next()
        .unwrap_or("");
    if first.is_empty() || first.starts_with("$PATH") || first.starts_with("${PATH") {
        return false;
    }
    let directory = first
        .trim_end_matches('/')
        .strip_suffix("/bin")
        .or_else(|| first.trim_end_matches('/').strip_suffix("/shims"))
        .unwrap_or("");
    if directory.is_empty() {
        return false;
    }
    if venvs
        .iter()
        .any(|venv| venv.trim_end_matches('/') == directory)
        || directory.contains("VIRTUAL_ENV")
    {
        return true;
    }
    directory.split('/').any(|component| {
        let component = component.to_ascii_lowercase();
        component.contains("venv")
            || component.contains("virtualenv")
            || component == "env"
            || component == ".env"
            || component.contains("conda")
            || component.contains("mamba")
            || component.contains("pyenv")
            || component.contains("pixi")
    })
}

/// `sh -c 'script'`: the script is read as commands of its own. Its positions are exact
/// while the script holds no escapes or newlines (the usual one-liner).
fn inline_script(rest: &[Word], facts: &mut Facts) {
    let Some(index) = rest
        .iter()
        .position(|w| w.text == "-c" || w.text == "-ec" || w.text == "-euc")
    else {
        return;
    };
    let Some(script) = rest.get(index + 1) else {
        return;
    };
    let start = script.position_at(0);
    let fragments: Vec<Fragment<'_>> = script
        .text
        .split('\n')
        .enumerate()
        .map(|(offset, text)| Fragment {
            text,
            line: start.line + offset,
            column: if offset == 0 { start.column } else { 1 },
        })
        .collect();
    // Findings stay unresolved: the caller decides them in its own context.
    let mut venv = false;
    for command in commands(&fragments) {
        let inner = analyze(&command);
        facts.findings.extend(inner.findings);
        venv = (venv || inner.activates_venv || inner.creates_venv.is_some())
            && !inner.deactivates_venv;
        if facts.system_install.is_none() && !venv {
            facts.system_install = inner.system_install;
        }
        facts.distro_python |= inner.distro_python;
    }
}

fn marker_removal(rest: &[Word], program: &Word, facts: &mut Facts) {
    let touches_marker = rest
        .iter()
        .any(|w| !w.text.starts_with('-') && w.text.contains("EXTERNALLY-MANAGED"));
    // `mv X.bak EXTERNALLY-MANAGED` puts a marker back; only the first operand is removed.
    let first_is_marker =
        first_operand(rest).is_some_and(|w| w.text.contains("EXTERNALLY-MANAGED"));
    let moves = basename(&program.text) == "mv";
    if touches_marker && (!moves || first_is_marker) {
        facts.findings.push((Rule::MarkerRemoved, program.start()));
    }
}

fn first_operand(rest: &[Word]) -> Option<&Word> {
    rest.iter().find(|w| !w.text.starts_with('-'))
}

fn uv(rest: &[Word], facts: &mut Facts) {
    let Some(first) = first_operand(rest) else {
        return;
    };
    match first.text.as_str() {
        "venv" => {
            let after: Vec<&Word> = rest
                .iter()
                .skip_while(|w| w.text != "venv")
                .skip(1)
                .collect();
            let directory = after
                .iter()
                .find(|w| !w.text.starts_with('-'))
                .map_or_else(|| ".venv".to_string(), |w| w.text.clone());
            facts.creates_venv = Some(directory);
        }
        "pip" => {
            let subcommand = rest
                .iter()
                .skip_while(|w| w.text != "pip")
                .skip(1)
                .find(|w| !w.text.starts_with('-'));
            if subcommand
                .is_some_and(|w| matches!(w.text.as_str(), "install" | "sync" | "uninstall"))
            {
                for (index, word) in rest.iter().enumerate() {
                    // `--python /usr/bin/python3` names the distro's Python: the same as
                    // `--system` there.
                    let python = match word.text.as_str() {
                        "--python" | "-p" => rest.get(index + 1).map(|w| w.text.as_str()),
                        text => text.strip_prefix("--python="),
                    };
                    let distro_python = python.is_some_and(|python| {
                        ["/usr/bin/", "/bin/"].iter().any(|dir| {
                            python
                                .strip_prefix(dir)
                                .is_some_and(|name| name.starts_with("python"))
                        })
                    });
                    if word.text == "--system" || distro_python {
                        facts.findings.push((Rule::UvSystem, word.start()));
                    }
                }
            }
        }
        _ => {}
    }
}

/// A pip invocation: where its arguments start, and whether the program is a bare name
/// (resolved through `PATH`) or a system interpreter path.
struct PipCall {
    /// Index of the first word after `pip` / `-m pip`.
    arguments: usize,
    program: Position,
    through_path: bool,
    /// The `py` launcher or a `.exe`: Windows, whose Pythons have no PEP 668 marker.
    windows: bool,
}

fn pip_call(words: &[Word], program: usize) -> Option<PipCall> {
    let text = words[program].text.as_str();
    let name = basename(text);
    let through_path = !text.contains('/') && !text.contains('$') && !text.contains('\\')
        || ["/usr/bin/", "/bin/", "/usr/local/bin/"].iter().any(|dir| {
            text.strip_prefix(dir)
                .is_some_and(|rest| !rest.contains('/'))
        });
    let lower = name.to_ascii_lowercase();
    let windows = lower == "py" || lower.ends_with(".exe");
    let call = |arguments| PipCall {
        arguments,
        program: words[program].start(),
        through_path: through_path && !windows,
        windows,
    };
    if is_versioned(name, "pip") {
        return Some(call(program + 1));
    }
    let module = python_module(words, program)?;
    (words[module].text == "pip").then(|| call(module + 1))
}

/// `name`, `name3`, `name3.12`, `name2`.
fn is_versioned(text: &str, name: &str) -> bool {
    text.strip_prefix(name).is_some_and(|version| {
        version.is_empty()
            || version
                .strip_suffix(".exe")
                .unwrap_or(version)
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
    })
}

/// For `python … -m MODULE`, the index of the word naming the module.
fn python_module(words: &[Word], program: usize) -> Option<usize> {
    let name = basename(&words[program].text);
    let name = name.strip_suffix(".exe").unwrap_or(name);
    if !(is_versioned(name, "python") || is_versioned(name, "pypy") || name == "py") {
        return None;
    }
    let mut index = program + 1;
    while index < words.len() {
        let text = words[index].text.as_str();
        if text == "-m" {
            return (index + 1 < words.len()).then_some(index + 1);
        }
        if let Some(module) = text.strip_prefix("-m") {
            return (module == "pip").then_some(index);
        }
        if matches!(text, "-X" | "-W") {
            index += 2;
        } else if text.starts_with('-') {
            index += 1;
        } else {
            return None;
        }
    }
    None
}

/// `python -m venv DIR` (or `virtualenv`): the directory created.
fn python_venv(words: &[Word], program: usize) -> Option<String> {
    let module = python_module(words, program)?;
    if !matches!(words[module].text.as_str(), "venv" | "virtualenv") {
        return None;
    }
    words[module + 1..]
        .iter()
        .rev()
        .find(|w| !w.text.starts_with('-'))
        .map(|w| w.text.clone())
}

/// pip's global options that take a value as the next word.
const PIP_OPTIONS_WITH_VALUE: [&str; 14] = [
    "--python",
    "--log",
    "--proxy",
    "--retries",
    "--timeout",
    "--exists-action",
    "--trusted-host",
    "--cert",
    "--client-cert",
    "--cache-dir",
    "--src",
    "--use-feature",
    "--use-deprecated",
    "--keyring-provider",
];

fn pip_findings(words: &[Word], pip: &PipCall, sudo: Option<Position>, facts: &mut Facts) {
    let mut index = pip.arguments;
    let mut python = None;
    while index < words.len() && words[index].text.starts_with('-') {
        let text = words[index].text.as_str();
        if let Some(value) = text.strip_prefix("--python=") {
            python = Some(value.to_string());
        } else if PIP_OPTIONS_WITH_VALUE.contains(&text) {
            if text == "--python" {
                python = words.get(index + 1).map(|w| w.text.clone());
            }
            index += 1;
        }
        index += 1;
    }
    let Some(subcommand) = words.get(index) else {
        return;
    };
    let installs = subcommand.text == "install";
    if !installs && subcommand.text != "uninstall" {
        let key = words[index..].iter().position(|w| {
            w.text.ends_with("break-system-packages") || w.text.ends_with("break_system_packages")
        });
        if subcommand.text == "config"
            && let Some(key) = key
            && words[index + key + 1..]
                .first()
                .is_none_or(|value| is_truthy(&value.text))
            && words[index..].iter().any(|w| w.text == "set")
        {
            facts
                .findings
                .push((Rule::BreakSystemPackagesConfig, subcommand.start()));
        }
        return;
    }
    let options = &words[index + 1..];
    if let Some(sudo) = sudo {
        facts.findings.push((Rule::SudoPip, sudo));
    }
    let mut user = false;
    let mut skips_check = false;
    for word in options {
        let text = word.text.as_str();
        let option = text.split_once('=').map_or(text, |(name, _)| name);
        match option {
            "--user" if installs => {
                user = true;
                if !pip.windows {
                    facts.findings.push((Rule::UserInstall, word.start()));
                }
            }
            "--target"
            | "-t"
            | "--prefix"
            | "--root"
            | "--dry-run"
            | "--require-virtualenv"
            | "--help"
            | "-h"
            | "--version" => skips_check = true,
            _ if text.starts_with("-t") && text.len() > 2 && !text.starts_with("--") => {
                skips_check = true;
            }
            _ => {}
        }
    }
    let through_path = match &python {
        Some(python) => ["/usr/bin/", "/bin/", "/usr/local/bin/"]
            .iter()
            .any(|dir| python.starts_with(dir)),
        None => pip.through_path,
    };
    let flagged = !facts.findings.is_empty();
    if through_path && !skips_check && !user && sudo.is_none() && !flagged {
        facts.system_install = Some(pip.program);
    }
    if installs && !flagged && sudo.is_none() && target(options).is_some_and(is_distro_site) {
        facts.distro_target = Some(pip.program);
    }
}

/// The directory of `pip install --target DIR` (`-t DIR`, `--target=DIR`, `-tDIR`).
fn target(options: &[Word]) -> Option<&str> {
    options.iter().enumerate().find_map(|(index, word)| {
        let text = word.text.as_str();
        match text {
            "--target" | "-t" => options.get(index + 1).map(|w| w.text.as_str()),
            _ => text.strip_prefix("--target=").or_else(|| {
                text.strip_prefix("-t")
                    .filter(|rest| !rest.starts_with('-'))
            }),
        }
    })
}

/// A site directory of the distro's own Python: Debian's and Ubuntu's `dist-packages`
/// under `/usr`, or `/usr/lib/python3*/site-packages` (Fedora, Alpine, Arch). An official
/// image's `/usr/local/lib/python3.12/site-packages` is not one.
fn is_distro_site(directory: &str) -> bool {
    let directory = directory.trim_matches(|c| c == '"' || c == '\'');
    (directory.starts_with("/usr/") && directory.contains("/dist-packages"))
        || ["/usr/lib/python", "/usr/lib64/python"]
            .iter()
            .any(|prefix| directory.starts_with(prefix) && directory.contains("/site-packages"))
}

/// Whether a shell variable's value carries what a finding needs when the variable is used
/// (`MARKER=…/EXTERNALLY-MANAGED`, `PIP_ARGS="--break-system-packages"`,
/// `GET_PIP=/tmp/get-pip.py`).
fn carries_finding(value: &str) -> bool {
    value.contains("EXTERNALLY-MANAGED")
        || break_flag_offset(value).is_some()
        || value.trim_end_matches(['"', '\'']).ends_with("get-pip.py")
}

/// What a whole script (a list of commands run in one shell) tells the linter.
#[derive(Debug, Default)]
pub(super) struct Scan {
    /// Findings, the context-dependent ones decided where each command runs.
    pub findings: Vec<(Rule, Position)>,
    /// `pip install`s into the first Python on `PATH` where that is the distro's Python.
    pub system_installs: Vec<Position>,
    /// Whether a venv is active when the script ends.
    pub venv_active: bool,
    /// Directories of venvs the script created.
    pub created_venvs: Vec<String>,
    /// The base once the script ran (installing the distro's Python makes it a distro one).
    pub base: Base,
    /// Scripts of the repository this one runs where a bare `pip install` would reach the
    /// distro's Python (`bash ci/install.sh`, `./scripts/setup.sh`).
    pub called_scripts: Vec<String>,
}

/// Whether a venv created earlier in the script counts as the one later commands use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Created {
    /// A script: `python3 -m venv .venv` says it knows about venvs; a bare `pip install`
    /// after it is taken to mean the venv's.
    Counts,
    /// A Dockerfile or CI step: only `PATH` or activation counts (a venv is often made for
    /// a tool while the app still installs system-wide).
    Ignored,
}

/// Reads a script command by command from `start`, following venv activation, `sudo` and
/// installs of the distro's Python, and deciding each context-dependent finding with
/// [`reach::keeps`].
pub(super) fn scan(fragments: &[Fragment<'_>], start: Context, created: Created) -> Scan {
    let mut result = Scan {
        venv_active: start.venv,
        base: start.base,
        ..Scan::default()
    };
    let mut evidence = Evidence::default();
    let mut variables: Vec<(String, String)> = Vec::new();
    let mut fetched_get_pip = false;
    let mut listed_marker = false;
    for mut command in commands(fragments) {
        if !variables.is_empty() {
            substitute(&mut command, &variables);
        }
        let facts = analyze(&command);
        evidence.distro_python |= facts.distro_python;
        evidence.sudo |= facts.sudo;
        result.base = reach::base_after(result.base, evidence);
        let context = Context {
            base: result.base,
            venv: result.venv_active,
            sudo: facts.sudo,
        };
        result.findings.extend(
            facts
                .findings
                .into_iter()
                .filter(|(rule, _)| reach::keeps(*rule, context)),
        );
        if let Some(position) = facts.system_install
            && reach::finding(Action::BareInstall, context)
        {
            result.system_installs.push(position);
        }
        if let Some(script) = called_script(&command)
            && reach::finding(Action::BareInstall, context)
        {
            result.called_scripts.push(script);
        }
        if let Some(position) = facts.python_stdin
            && fetched_get_pip
            && reach::finding(Action::GetPip, context)
        {
            result.findings.push((Rule::GetPipSystem, position));
        }
        fetched_get_pip = facts.fetches_get_pip;
        if listed_marker && let Some(position) = facts.xargs_removes {
            result.findings.push((Rule::MarkerRemoved, position));
        }
        listed_marker = facts.lists_marker;
        result.system_installs.extend(facts.distro_target);
        result.findings.extend(super::feed::cloud_config(&command));
        if let Some(start) = super::feed::fed_shell(&command) {
            // A here-document fed to a shell (`sudo chroot DIR bash <<EOF`, `ssh host <<EOF`)
            // is a script of its own, run where the feeding command says.
            let inner_start = start.context(Context {
                base: result.base,
                venv: result.venv_active,
                sudo: false,
            });
            let inner = scan(
                &super::shell::fragments(&command.heredoc),
                inner_start,
                created,
            );
            result.findings.extend(inner.findings);
            result.system_installs.extend(inner.system_installs);
        }
        for (name, value) in facts.assignments {
            variables.retain(|(known, _)| *known != name);
            if carries_finding(&value) {
                variables.push((name, value));
            }
        }
        if facts.activates_venv || (created == Created::Counts && facts.creates_venv.is_some()) {
            result.venv_active = true;
        }
        if facts.deactivates_venv {
            result.venv_active = false;
        }
        result.created_venvs.extend(facts.creates_venv);
    }
    result
}

/// The repository script a command runs (`bash ci/install.sh`, `sh -e ./setup.sh`,
/// `./scripts/ci.sh`), relative to where the command runs, without `./`.
fn called_script(command: &Command) -> Option<String> {
    let words = &command.words;
    let program = program_start(words)?;
    let text = words[program.index].text.as_str();
    let script = if matches!(
        basename(text),
        "sh" | "bash" | "dash" | "zsh" | "ash" | "ksh"
    ) {
        let rest = &words[program.index + 1..];
        if rest
            .iter()
            .any(|w| w.text.starts_with('-') && w.text.contains('c'))
        {
            return None;
        }
        first_operand(rest)?.text.as_str()
    } else {
        text
    };
    let relative = script.strip_prefix("./").unwrap_or(script);
    let plain = !relative.starts_with('/')
        && !relative.contains(['$', '`', '~'])
        && !relative.split('/').any(|part| part == "..");
    (plain && (script.starts_with("./") || relative.ends_with(".sh") || script != text))
        .then(|| relative.to_string())
}

/// `$NAME` and `${NAME}` of variables whose value carries a finding, replaced by the value
/// so `rm -f "$MARKER"` and `pip install $PIP_ARGS x` read as what they run.
fn substitute(command: &mut Command, variables: &[(String, String)]) {
    for word in &mut command.words {
        if !word.text.contains('$') {
            continue;
        }
        for (name, value) in variables {
            let braced = format!("${{{name}}}");
            if word.text.contains(&braced) {
                word.text = word.text.replace(&braced, value);
            }
            let plain = format!("${name}");
            let mut from = 0;
            while let Some(found) = word.text[from..].find(&plain) {
                let at = from + found;
                let end = at + plain.len();
                let continues = word.text[end..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                if continues {
                    from = end;
                } else {
                    word.text.replace_range(at..end, value);
                    from = at + value.len();
                }
            }
        }
    }
}

static ASSIGNMENT: LazyLock<Regex> = LazyLock::new(|| {
    let names = ENVIRONMENT_RULES.map(|(name, _)| name).join("|");
    Regex::new(&format!(
        r#"(?:^|[^A-Za-z0-9_$.{{])({names})["'\]]*[ \t]*(?:[:?+!]?=|:|[ \t])[ \t]*["']?([^"'\s,;}})\]]*)"#
    ))
    .expect("the assignment pattern is valid")
});

/// `NAME = value`, `NAME: value`, `NAME value` settings of the variables in
/// `ENVIRONMENT_RULES` on one line of a non-shell file (YAML maps, Dockerfile `ENV`,
/// Makefile and tox variables, Python dicts), when the value turns the variable on.
pub(super) fn assignment_findings(text: &str, line: usize) -> Vec<(Rule, Position)> {
    if !text.contains("_SYSTEM_") && !text.contains("PIP_USER") {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for captures in ASSIGNMENT.captures_iter(text) {
        let (Some(name), Some(value)) = (captures.get(1), captures.get(2)) else {
            continue;
        };
        if !is_truthy(value.as_str()) {
            continue;
        }
        let rule = ENVIRONMENT_RULES
            .iter()
            .find(|(known, _)| *known == name.as_str())
            .map_or(Rule::BreakSystemPackagesEnv, |(_, rule)| *rule);
        findings.push((
            rule,
            Position {
                line,
                column: text[..name.start()].chars().count() + 1,
            },
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(script: &str) -> Vec<Facts> {
        commands(&Fragment::lines(script, 1))
            .iter()
            .map(analyze)
            .collect()
    }

    fn rules(script: &str) -> Vec<(&'static str, usize)> {
        facts(script)
            .iter()
            .flat_map(|f| f.findings.iter().map(|(rule, at)| (rule.id(), at.column)))
            .collect()
    }

    #[test]
    fn finds_overrides_and_system_installs() {
        assert_eq!(
            rules("pip install --break-system-packages x"),
            vec![("PB101", 13)]
        );
        assert_eq!(
            rules("sudo -H python3 -m pip install x"),
            vec![("PB201", 1)]
        );
        assert_eq!(
            rules("python3 -m pip install -U --user x"),
            vec![("PB202", 27)]
        );
        assert_eq!(rules("uv pip install --system ruff"), vec![("PB203", 16)]);
        assert_eq!(
            rules("uv pip install --python /usr/bin/python3 ruff"),
            vec![("PB203", 16)]
        );
        assert_eq!(rules("uv pip install -p .venv/bin/python ruff"), vec![]);
        assert_eq!(
            rules("export PIP_BREAK_SYSTEM_PACKAGES=1"),
            vec![("PB102", 8)]
        );
        assert_eq!(rules("PIP_BREAK_SYSTEM_PACKAGES=0 pip install x"), vec![]);
        assert_eq!(
            rules("sudo rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED"),
            vec![("PB104", 6)]
        );
        assert_eq!(
            rules("pip config set global.break-system-packages true"),
            vec![("PB103", 5)]
        );
    }

    fn rules_scanned(script: &str) -> Vec<(&'static str, usize, usize)> {
        let scan = scan(
            &Fragment::lines(script, 1),
            Context::default(),
            Created::Counts,
        );
        scan.findings
            .iter()
            .map(|(rule, at)| (rule.id(), at.line, at.column))
            .collect()
    }

    fn scanned(script: &str, base: Base) -> (Vec<(&'static str, usize)>, Vec<usize>) {
        let start = Context {
            base,
            ..Context::default()
        };
        let scan = scan(&Fragment::lines(script, 1), start, Created::Counts);
        let mut findings: Vec<_> = scan
            .findings
            .iter()
            .map(|(rule, at)| (rule.id(), at.line))
            .collect();
        findings.sort_unstable();
        (
            findings,
            scan.system_installs.iter().map(|at| at.line).collect(),
        )
    }

    #[test]
    fn reads_here_documents_fed_to_a_shell() {
        let chroot = "sudo chroot \"$ROOTFS\" /bin/bash <<'EOF'\napt-get install -y python3-pip\npip3 install pyserial\nrm -f /usr/lib/python3.11/EXTERNALLY-MANAGED\nEOF\n";
        assert_eq!(scanned(chroot, Base::Host), (vec![("PB104", 4)], vec![3]));
        // A login over ssh or as another user starts with no venv, on a host of unknown OS.
        let ssh = "ssh \"$host\" <<EOF\npip3 install x\nsudo pip3 install psutil\nEOF\n";
        assert_eq!(scanned(ssh, Base::Host), (vec![("PB201", 3)], vec![]));
        let login = "sudo -u deploy -i <<'EOF'\npython3 -m venv .venv\n.venv/bin/pip install -r r.txt\npip install --user httpie\nEOF\n";
        assert_eq!(scanned(login, Base::Host), (vec![("PB202", 4)], vec![]));
        // `bash <<EOF` runs where the script runs: after a venv, in it.
        let same = "python3 -m venv .venv\n. .venv/bin/activate\nbash <<'EOF'\npip install -r r.txt\npip3 install --break-system-packages x\nEOF\n";
        assert_eq!(scanned(same, Base::Distro), (vec![("PB101", 5)], vec![]));
        // Text written to a file is never read as commands.
        let text = "sudo tee /etc/motd <<'EOF'\nUse pip install --user for your tools.\nsudo pip install x\nEOF\n";
        assert_eq!(scanned(text, Base::Host), (vec![], vec![]));
    }

    #[test]
    fn follows_variables_holding_flags_and_paths() {
        let flags = "pip_args=\"--break-system-packages --quiet\"\npip3 install $pip_args rich\npip3 install ${pip_args} rich\npip3 install $pip_args_other rich\n";
        assert_eq!(
            rules_scanned(flags),
            vec![("PB101", 2, 14), ("PB101", 3, 14)]
        );
        let get_pip = "GET_PIP=/tmp/get-pip.py\ncurl -fsSL https://bootstrap.pypa.io/get-pip.py -o \"$GET_PIP\"\npython3 \"$GET_PIP\"\n";
        assert_eq!(rules_scanned(get_pip), vec![("PB207", 3, 1)]);
        // A variable set again to something harmless no longer carries the flag.
        let reset = "ARGS=--break-system-packages\nARGS=--quiet\npip install $ARGS x\n";
        assert_eq!(rules_scanned(reset), vec![]);
    }

    #[test]
    fn finds_the_marker_removed_through_find() {
        let piped = "find /usr/lib/python3* -name EXTERNALLY-MANAGED | xargs rm -f\n";
        assert_eq!(rules_scanned(piped), vec![("PB104", 1, 57)]);
        let sudo = "find / -name EXTERNALLY-MANAGED -print0 | sudo xargs -0 rm\n";
        assert_eq!(rules_scanned(sudo), vec![("PB104", 1, 57)]);
        assert_eq!(
            rules_scanned("find /usr/lib -name 'EXTERNALLY-MANAGED' -exec rm -f {} +\n"),
            vec![("PB104", 1, 1)]
        );
        assert_eq!(
            rules_scanned("find /usr/lib -name EXTERNALLY-MANAGED -print\nls | xargs rm\n"),
            vec![]
        );
        assert_eq!(
            rules_scanned(
                "find /usr/lib -name EXTERNALLY-MANAGED\nfind . -name '*.pyc' | xargs rm\n"
            ),
            vec![]
        );
    }

    #[test]
    fn a_target_in_the_distro_site_is_a_system_install() {
        for script in [
            "pip3 install --target /usr/lib/python3/dist-packages yq",
            "pip install -t /usr/local/lib/python3.11/dist-packages yq",
            "python3 -m pip install --target=/usr/lib64/python3.12/site-packages yq",
        ] {
            assert_eq!(
                scanned(script, Base::OwnPython),
                (vec![], vec![1]),
                "{script}"
            );
        }
        for script in [
            "pip3 install --target ./vendor yq",
            "pip install --target /usr/local/lib/python3.12/site-packages yq",
            "sudo pip install --target /usr/lib/python3/dist-packages yq",
        ] {
            assert_eq!(
                scanned(script, Base::Host).1,
                Vec::<usize>::new(),
                "{script}"
            );
        }
    }

    #[test]
    fn reads_real_shell_shapes() {
        // Abbreviations pip's option parser accepts.
        assert_eq!(rules("pip install --break-sys x"), vec![("PB101", 13)]);
        assert_eq!(rules("pip install --break x"), vec![("PB101", 13)]);
        assert_eq!(rules("pip install --breakfast x"), vec![]);
        // Windows' `py` launcher: no PEP 668 there.
        assert_eq!(rules("py -m pip install --user pipx"), vec![]);
        // xargs runs the command after its options.
        assert_eq!(
            rules("cat tools.txt | xargs -n 1 sudo pip3 install -U"),
            vec![("PB201", 28)]
        );
        // pip config set, on and off.
        assert_eq!(
            rules("pip config set global.break-system-packages false"),
            vec![]
        );
        // Config written by echo, printf and here-documents.
        assert_eq!(
            rules("echo 'break-system-packages = true' >> /etc/pip.conf"),
            vec![("PB103", 7)]
        );
        assert_eq!(
            rules("printf '[global]\\nbreak-system-packages = true\\n' > pip.conf"),
            vec![("PB103", 19)]
        );
        assert_eq!(
            scanned(
                "cat > pip.conf <<EOF\n[global]\nbreak-system-packages = true\nEOF\n",
                Base::Host
            ),
            (vec![("PB103", 3)], vec![])
        );
        // The marker through a variable.
        assert_eq!(
            scanned(
                "M=/usr/lib/python3.11/EXTERNALLY-MANAGED\nrm -f \"$M\"\nls \"${M}\"\n",
                Base::Host
            ),
            (vec![("PB104", 2)], vec![])
        );
        // get-pip.py piped into, or run by, a system Python; a venv's is fine.
        assert_eq!(
            scanned(
                "curl -sS https://bootstrap.pypa.io/get-pip.py | sudo python3.12\nsudo python3 get-pip.py\n.venv/bin/python get-pip.py\n",
                Base::Host
            ),
            (vec![("PB207", 1), ("PB207", 2)], vec![])
        );
        assert_eq!(
            scanned("python3 get-pip.py\n", Base::OwnPython),
            (vec![], vec![])
        );
    }

    #[test]
    fn follows_what_a_script_shows() {
        // A host: a bare install is not judged until the script shows a distro machine.
        assert_eq!(scanned("pip install x\n", Base::Host), (vec![], vec![]));
        assert_eq!(
            scanned(
                "sudo apt-get install -y libpq-dev\npip install x\n",
                Base::Host
            ),
            (vec![], vec![2])
        );
        assert_eq!(
            scanned("apk add py3-pip\npip install x\n", Base::Unknown),
            (vec![], vec![2])
        );
        assert_eq!(
            scanned("sudo true\npip install x\n", Base::Unknown),
            (vec![], vec![])
        );
        // A venv created or activated first.
        assert_eq!(
            scanned(
                "sudo apt-get install -y python3-venv\npython3 -m venv .venv\npip install x\n",
                Base::Host
            ),
            (vec![], vec![])
        );
        // `--user` and `--system` on an own Python are fine.
        assert_eq!(
            scanned(
                "pip install --user x\nuv pip install --system y\n",
                Base::OwnPython
            ),
            (vec![], vec![])
        );
        assert_eq!(
            scanned(
                "pip install --user x\nuv pip install --system y\n",
                Base::Host
            ),
            (vec![("PB202", 1), ("PB203", 2)], vec![])
        );
    }

    #[test]
    fn leaves_correct_uses_alone() {
        for script in [
            "\"$venv/bin/python\" -m pip install -r requirements.txt",
            "uv pip install --python \"$venv/bin/python\" -r requirements.txt",
            "python3 -m venv \"$venv\"",
            "pipx install pre-commit",
            "echo 'never use --break-system-packages'",
            "grep -r -- --break-system-packages .",
            "$(VENV)/bin/python -m pip install -e .",
            "pip download x",
            "pip install --target vendor x",
        ] {
            let all = facts(script);
            assert!(
                all.iter()
                    .all(|f| f.findings.is_empty() && f.system_install.is_none()),
                "{script}"
            );
        }
        assert!(facts("pip install x")[0].system_install.is_some());
        assert!(
            facts("/usr/bin/python3 -m pip install x")[0]
                .system_install
                .is_some()
        );
        assert!(facts(". /opt/venv/bin/activate")[0].activates_venv);
        assert_eq!(
            facts("python3 -m venv /opt/venv")[0]
                .creates_venv
                .as_deref(),
            Some("/opt/venv")
        );
    }
}
