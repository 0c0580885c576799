//! The small file kinds: pip config, requirement files, `tox.ini`, Makefiles, `noxfile.py`,
//! env files and other command files read line by line.

use super::Position;
use super::command::{self, Created, assignment_findings, is_truthy};
use super::reach::{self, Base, Context};
use super::rules::Rule;
use super::shell::Fragment;

/// Findings in a shell script or env file, which runs on `place` (a host unless its path
/// says it provisions one). A script that uses `sudo` or installs the distro's Python runs
/// on a distro Python; one that makes or activates a venv first installs there.
pub(super) fn check_shell(text: &str, place: Base) -> Vec<(Rule, Position)> {
    let start = Context {
        base: place,
        ..Context::default()
    };
    let scan = command::scan(&Fragment::lines(text, 1), start, Created::Counts);
    let mut findings = scan.findings;
    findings.extend(
        scan.system_installs
            .into_iter()
            .map(|position| (Rule::HostSystemInstall, position)),
    );
    findings
}

/// Findings in files of commands in another language (PowerShell, batch, Jenkinsfile):
/// each line read as a command, plus variables set on.
pub(super) fn check_commands(text: &str, place: Base) -> Vec<(Rule, Position)> {
    let context = Context {
        base: place,
        ..Context::default()
    };
    let mut findings = Vec::new();
    for (index, line) in super::lines::of(text).enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#')
            || trimmed.starts_with("//")
            || trimmed.to_ascii_lowercase().starts_with("rem ")
        {
            continue;
        }
        findings.extend(
            assignment_findings(line, index + 1)
                .into_iter()
                .filter(|(rule, _)| reach::keeps(*rule, context)),
        );
        // `sh 'pip install …'` and `"pip install …"`: the quoted command is read as words.
        let fragment = Fragment {
            text: line,
            line: index + 1,
            column: 1,
        };
        for command in super::shell::commands(&[fragment]) {
            for word in &command.words {
                if word.text.contains(' ') && word.text.contains("pip") {
                    let inner = Fragment {
                        text: &word.text,
                        line: index + 1,
                        column: word.start().column + 1,
                    };
                    findings.extend(scan_in(&[inner], context));
                }
            }
        }
        findings.extend(scan_in(&[fragment], context));
    }
    findings
}

/// `break-system-packages` (and `user`) switched on in pip's `[global]` or `[install]`.
pub(super) fn check_pip_config(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    let mut section = String::new();
    for (index, line) in super::lines::of(text).enumerate() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            section = name.trim().to_string();
            continue;
        }
        if !matches!(section.as_str(), "global" | "install") {
            continue;
        }
        let Some((key, value)) = trimmed.split_once(['=', ':']) else {
            continue;
        };
        // pip normalises option names: `break_system_packages` is the same key.
        let key = key.trim().to_ascii_lowercase().replace('_', "-");
        let rule = match key.as_str() {
            "break-system-packages" => Rule::BreakSystemPackagesConfig,
            "user" => Rule::UserInstall,
            _ => continue,
        };
        if is_truthy(value) {
            let column = line.len() - line.trim_start().len();
            findings.push((
                rule,
                Position {
                    line: index + 1,
                    column: line[..column].chars().count() + 1,
                },
            ));
        }
    }
    findings
}

/// `--break-system-packages` (or `--user`) as an option line of a requirements file.
pub(super) fn check_requirements(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    for (index, line) in super::lines::of(text).enumerate() {
        let code = match line.find(" #") {
            Some(comment) => &line[..comment],
            None if line.trim_start().starts_with('#') => "",
            None => line,
        };
        for (flag, rule) in [
            ("--break-system-packages", Rule::BreakSystemPackagesFlag),
            ("--user", Rule::UserInstall),
        ] {
            for (offset, _) in code.match_indices(flag) {
                let after = code[offset + flag.len()..].chars().next();
                if after.is_none_or(|c| c.is_whitespace() || c == '=') {
                    findings.push((
                        rule,
                        Position {
                            line: index + 1,
                            column: code[..offset].chars().count() + 1,
                        },
                    ));
                }
            }
        }
    }
    findings
}

/// `tox.ini`: commands in any key's value, and variables set on in `setenv`.
pub(super) fn check_tox(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    for (index, line) in super::lines::of(text).enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || trimmed.starts_with(';') || trimmed.starts_with('[') {
            continue;
        }
        findings.extend(assignment_findings(line, index + 1));
        // `key = value` on the first line of a value; continuation lines are all value.
        let start = if line.starts_with(char::is_whitespace) {
            line.len() - trimmed.len()
        } else {
            match line.find('=') {
                Some(equals) => {
                    let value = &line[equals + 1..];
                    equals + 1 + (value.len() - value.trim_start().len())
                }
                None => continue,
            }
        };
        let fragment = Fragment {
            text: &line[start..],
            line: index + 1,
            column: line[..start].chars().count() + 1,
        };
        let start = Context {
            venv: true,
            ..Context::default()
        };
        findings.extend(command::scan(&[fragment], start, Created::Ignored).findings);
    }
    findings
}

/// Makefiles: recipes are shell (`@`, `-`, `+` prefixes dropped); variables set on in
/// assignments and `export` lines.
pub(super) fn check_makefile(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    let lines: Vec<&str> = super::lines::of(text).collect();
    let mut recipe: Vec<Fragment<'_>> = Vec::new();
    let mut continued = false;
    for (index, line) in lines.iter().enumerate() {
        if let Some(body) = line
            .strip_prefix('\t')
            .or_else(|| continued.then_some(*line))
        {
            let prefix = body.len() - body.trim_start_matches(['@', '-', '+', ' ']).len();
            let body = &body[prefix..];
            recipe.push(Fragment {
                text: body,
                line: index + 1,
                column: line.len() - body.len() + 1,
            });
            continued = body.trim_end().ends_with('\\');
            continue;
        }
        if !recipe.is_empty() {
            findings.extend(scan_in(&recipe, Context::default()));
            recipe.clear();
        }
        if !line.trim_start().starts_with('#') {
            findings.extend(assignment_findings(line, index + 1));
        }
    }
    findings.extend(scan_in(&recipe, Context::default()));
    findings
}

/// The findings of a script in `context`; a bare `pip install` on a distro Python (a
/// provisioning file) is PB206.
fn scan_in(fragments: &[Fragment<'_>], context: Context) -> Vec<(Rule, Position)> {
    let scan = command::scan(fragments, context, Created::Counts);
    let mut findings = scan.findings;
    findings.extend(
        scan.system_installs
            .into_iter()
            .map(|position| (Rule::HostSystemInstall, position)),
    );
    findings
}

/// Python (`noxfile.py`, Python code blocks): the string literals of each statement read as
/// command words at their own columns, `session.install(...)` read as `pip install`, and
/// variables set on in dicts and `os.environ`.
pub(super) fn check_python(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    let mut statement: Vec<(String, usize)> = Vec::new();
    let mut depth: i32 = 0;
    for (index, line) in super::lines::of(text).enumerate() {
        let (words_only, code, opened) = literals(line);
        findings.extend(assignment_findings(code, index + 1));
        depth = (depth + opened).max(0);
        statement.push((words_only, index + 1));
        if depth == 0 {
            findings.extend(scan_statement(&statement));
            statement.clear();
        }
    }
    findings.extend(scan_statement(&statement));
    findings
}

/// Calls that run their string on a remote machine a program provisions (PerfKit
/// Benchmarker's `vm.RemoteCommand`, Fabric's `c.sudo`/`sudo`, paramiko's `exec_command`): a
/// shell command on a distro host, where a bare `pip install` reaches the system Python.
const REMOTE_CALLS: [&str; 5] = [
    "RemoteCommand(",
    "RemoteHostCommand(",
    "RobustRemoteCommand(",
    "sudo(",
    "exec_command(",
];

/// Calls whose string arguments are commands.
const COMMAND_CALLS: [&str; 9] = [
    "os.system(",
    "os.popen(",
    "subprocess.",
    "check_call(",
    "check_output(",
    "Popen(",
    "call(",
    "run(",
    "spawn(",
];

/// Any other `*.py` file: only the statements that call `os.system`, `os.popen` or
/// `subprocess` (a string with spaces is a shell command, a list of strings its words),
/// and variables set on in `os.environ` and dicts.
pub(super) fn check_python_calls(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = cloud_config_strings(text);
    let mut statement: Vec<(String, usize)> = Vec::new();
    let mut depth: i32 = 0;
    let mut in_call = false;
    let mut remote = false;
    let mut as_root = false;
    // What a line is searched for, narrowed to what the whole file holds: a line can hold
    // only what its file does, and most files hold few of these.
    let assignments = text.contains("_SYSTEM_") || text.contains("PIP_USER");
    let marker = text.contains("EXTERNALLY-MANAGED");
    let subprocess = text.contains("subprocess.");
    let sudo = text.contains("sudo(");
    let remote_calls: Vec<&str> = REMOTE_CALLS
        .into_iter()
        .filter(|call| text.contains(call))
        .collect();
    let command_calls: Vec<&str> = COMMAND_CALLS
        .into_iter()
        .filter(|call| text.contains(call))
        .collect();
    for (index, line) in super::lines::of(text).enumerate() {
        let (code, opened) = code_and_depth(line);
        if assignments {
            findings.extend(
                assignment_findings(code, index + 1)
                    .into_iter()
                    .filter(|(_, position)| python_assignment(code, position.column)),
            );
        }
        if depth == 0 {
            // Every call but `subprocess.` has a `(`: most lines have none, and are not
            // searched for each call.
            let paren = code.contains('(');
            remote = paren && remote_calls.iter().any(|call| code.contains(call));
            // Fabric's `c.sudo("…")` (and Fabric 1's `sudo("…")`) runs the string as root.
            as_root = paren
                && sudo
                && (code.contains(".sudo(") || code.trim_start().starts_with("sudo("));
            in_call = remote
                || subprocess && code.contains("subprocess.")
                || paren && command_calls.iter().any(|call| code.contains(call));
        }
        // `os.remove(".../EXTERNALLY-MANAGED")`, `Path(marker).unlink()` on a marker path.
        if marker
            && code.contains("EXTERNALLY-MANAGED")
            && let Some(at) = ["os.remove(", "os.unlink(", ".unlink(", "shutil.move("]
                .iter()
                .find_map(|call| code.find(call))
        {
            findings.push((
                Rule::MarkerRemoved,
                Position {
                    line: index + 1,
                    column: code[..at].chars().count() + 1,
                },
            ));
        }
        depth = (depth + opened).max(0);
        if in_call {
            for (column, literal) in string_literals(code) {
                if literal.contains(' ') {
                    findings.extend(command_string(&literal, index + 1, column, remote, as_root));
                }
            }
            // Only a call's lines are blanked for their words: most lines are in none.
            let (words_only, _, _) = literals(line);
            statement.push((words_only, index + 1));
        }
        if depth == 0 {
            findings.extend(scan_statement(&statement));
            statement.clear();
        }
    }
    findings.extend(scan_statement(&statement));
    findings
}

/// The findings of a command string at `column` of line `line`: on a remote distro host, a
/// bare `pip install` too; run as root, as `sudo` would run it (the findings never point
/// before the string).
fn command_string(
    literal: &str,
    line: usize,
    column: usize,
    remote: bool,
    as_root: bool,
) -> Vec<(Rule, Position)> {
    // `sudo` and a remote host change only what a pip command means.
    if !command::may_find(std::iter::once(literal)) {
        return Vec::new();
    }
    let prefix = if as_root { "sudo " } else { "" };
    let text = format!("{prefix}{literal}");
    let fragment = Fragment {
        text: &text,
        line,
        column: column.saturating_sub(prefix.len()).max(1),
    };
    let context = Context {
        base: if remote { Base::Distro } else { Base::Host },
        ..Context::default()
    };
    let scan = command::scan(&[fragment], context, Created::Ignored);
    let mut findings = scan.findings;
    if remote {
        findings.extend(
            scan.system_installs
                .into_iter()
                .map(|position| (Rule::HostSystemInstall, position)),
        );
    }
    for (_, position) in &mut findings {
        if position.line == line {
            position.column = position.column.max(column);
        }
    }
    findings
}

/// Triple-quoted strings that start with `#cloud-config` (user data a program hands to a
/// cloud API), read as cloud-init on the distro's Python of the machine they provision.
fn cloud_config_strings(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    for quotes in ["\"\"\"", "'''"] {
        let opening = format!("{quotes}#cloud-config");
        let mut from = 0;
        while let Some(found) = text[from..].find(&opening) {
            let start = from + found + quotes.len();
            let end = text[start..]
                .find(quotes)
                .map_or(text.len(), |at| start + at);
            let first_line = text[..start].matches('\n').count() + 1;
            let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
            let offset = text[line_start..start].chars().count();
            for (rule, position) in super::ci::check_yaml(&text[start..end], Base::Distro) {
                findings.push((
                    rule,
                    Position {
                        line: first_line + position.line - 1,
                        column: position.column + if position.line == 1 { offset } else { 0 },
                    },
                ));
            }
            from = end;
        }
    }
    findings
}

/// Whether the variable named at `column` of `code` is given a value (`env["NAME"] = "1"`,
/// `{"NAME": "1"}`), not only named (`"NAME" in os.environ`).
fn python_assignment(code: &str, column: usize) -> bool {
    let rest: String = code.chars().skip(column - 1).collect();
    let after_name = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    let after = after_name.trim_start_matches(['"', '\'', ']', ' ', '\t']);
    after.starts_with('=') && !after.starts_with("==") || after.starts_with(':')
}

/// The contents of the string literals on one line of Python, with the column of each
/// one's first character.
fn string_literals(code: &str) -> Vec<(usize, String)> {
    let mut literals = Vec::new();
    let mut current: Option<(char, usize, String)> = None;
    let mut escaped = false;
    for (column, c) in code.chars().enumerate() {
        match &mut current {
            Some((quote, start, text)) => {
                if escaped {
                    escaped = false;
                    text.push(c);
                } else if c == '\\' {
                    escaped = true;
                } else if c == *quote {
                    literals.push((*start, std::mem::take(text)));
                    current = None;
                } else {
                    text.push(c);
                }
            }
            None if c == '"' || c == '\'' => current = Some((c, column + 2, String::new())),
            None => {}
        }
    }
    literals
}

fn scan_statement(statement: &[(String, usize)]) -> Vec<(Rule, Position)> {
    // Most calls' strings name no pip (PerfKit Benchmarker's remote commands): not read.
    if !command::may_find(statement.iter().map(|(text, _)| text.as_str())) {
        return Vec::new();
    }
    let count = statement.len();
    let texts: Vec<String> = statement
        .iter()
        .enumerate()
        .map(|(index, (text, _))| {
            if index + 1 < count {
                format!("{text} \\")
            } else {
                text.clone()
            }
        })
        .collect();
    let fragments: Vec<Fragment<'_>> = texts
        .iter()
        .zip(statement)
        .map(|(text, (_, line))| Fragment {
            text,
            line: *line,
            column: 1,
        })
        .collect();
    command::scan(&fragments, Context::default(), Created::Ignored).findings
}

/// The code before any comment, and how many brackets it opens: what `literals` says of
/// them, without blanking the line.
fn code_and_depth(line: &str) -> (&str, i32) {
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let mut opened = 0;
    // Every byte that matters is ASCII, which is never part of a longer UTF-8 character.
    for (offset, byte) in line.bytes().enumerate() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == q {
                quote = None;
            }
        } else {
            match byte {
                b'"' | b'\'' => quote = Some(byte),
                b'(' | b'[' | b'{' => opened += 1,
                b')' | b']' | b'}' => opened -= 1,
                b'#' => return (&line[..offset], opened),
                _ => {}
            }
        }
    }
    (line, opened)
}

/// A line with everything but string contents blanked (so words keep their columns), the
/// code before any comment, and how many brackets it opens.
fn literals(line: &str) -> (String, &str, i32) {
    let mut blanked = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut opened = 0;
    let mut code_end = line.len();
    let mut literal_start = 0;
    for (offset, c) in line.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
                blanked.push(c);
            } else if c == '\\' {
                escaped = true;
                blanked.push(' ');
            } else if c == q {
                quote = None;
                blanked.push(' ');
                // A literal with spaces is a message, not an argument: blank it.
                if line[literal_start..offset].contains(char::is_whitespace) {
                    let kept = blanked.len() - (offset - literal_start) - 1;
                    let width = blanked[kept..].chars().count();
                    blanked.truncate(kept);
                    blanked.extend(std::iter::repeat_n(' ', width));
                }
            } else {
                blanked.push(if c == '\'' || c == '"' || c == '#' {
                    ' '
                } else {
                    c
                });
            }
        } else {
            match c {
                '"' | '\'' => {
                    quote = Some(c);
                    literal_start = offset + 1;
                }
                '(' | '[' | '{' => opened += 1,
                ')' | ']' | '}' => opened -= 1,
                '#' => {
                    code_end = offset;
                    break;
                }
                _ => {}
            }
            blanked.push(' ');
        }
    }
    // `session.install(` and `session.run_install(` install with pip into the session's venv.
    for call in [".install(", ".run_install("] {
        if let Some(at) = line[..code_end].find(call) {
            let word = "pip install";
            let start = blanked[..at].chars().count();
            if start >= word.len() {
                let mut characters: Vec<char> = blanked.chars().collect();
                let begin = start - word.len();
                if characters[begin..start].iter().all(|c| *c == ' ') {
                    characters.splice(begin..start, word.chars());
                    blanked = characters.into_iter().collect();
                }
            }
        }
    }
    (blanked, &line[..code_end], opened)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(findings: Vec<(Rule, Position)>) -> Vec<(&'static str, usize, usize)> {
        findings
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line, at.column))
            .collect()
    }

    #[test]
    fn code_and_depth_says_what_literals_says() {
        for line in [
            "subprocess.run(['pip', 'install', x])  # a comment (",
            "x = \"a # not a comment\" + f('b\\'c') # (",
            "print(\"é ü \\\"quoted\\\" ( [\", {'k': [1, 2]}",
            "s = 'unterminated ( [ # still a string",
            "\\ ) ] } #",
            "",
            "session.install(\"-e\", \".\")",
        ] {
            let (_, code, opened) = literals(line);
            assert_eq!(code_and_depth(line), (code, opened), "{line}");
        }
    }

    #[test]
    fn reads_pip_config() {
        let text = "[global]\nindex-url = x\nbreak-system-packages = true\n[install]\nuser = yes\n[freeze]\nuser = true\n";
        assert_eq!(
            ids(check_pip_config(text)),
            vec![("PB103", 3, 1), ("PB202", 5, 1)]
        );
        assert_eq!(
            ids(check_pip_config(
                "[global]\nbreak_system_packages = false\n"
            )),
            vec![]
        );
    }

    #[test]
    fn reads_noxfiles() {
        let text = "@nox.session\ndef tests(session):\n    session.install(\"--user\", \"-e\", \".\")\n    session.run(\n        \"pip\", \"install\", \"--break-system-packages\", \"x\"\n    )\n    session.env[\"PIP_BREAK_SYSTEM_PACKAGES\"] = \"1\"  # never\n";
        assert_eq!(
            ids(check_python(text)),
            vec![("PB202", 3, 22), ("PB101", 5, 28), ("PB102", 7, 18)]
        );
    }

    #[test]
    fn reads_commands_sent_to_remote_machines() {
        let text = "def Install(vm):\n  vm.RemoteCommand('sudo rm -f /usr/lib/python3*/EXTERNALLY-MANAGED')\n  vm.RemoteCommand(f'sudo pip3 install locust=={VERSION}')\n  vm.RemoteCommand('pip3 install pyzmq')\n  vm.RemoteCommand('python3 -m venv ~/lg && ~/lg/bin/pip install locust')\n  logging.info('pip install --break-system-packages is not used')\n";
        assert_eq!(
            ids(check_python_calls(text)),
            vec![("PB104", 2, 26), ("PB201", 3, 22), ("PB206", 4, 21)]
        );
        let fabric = "@task\ndef provision(c):\n    c.sudo(\"pip3 install gunicorn\")\n    c.run(\"pip3 install supervisor\")\n    sudo(\"pip install --user x\")\n";
        assert_eq!(
            ids(check_python_calls(fabric)),
            vec![("PB201", 3, 13), ("PB201", 5, 11), ("PB202", 5, 23)]
        );
    }

    #[test]
    fn reads_cloud_config_in_python_strings() {
        let text = "def user_data(name):\n    return f\"\"\"#cloud-config\npackages:\n  - python3-pip\nruncmd:\n  - pip3 install skcapstone\n  - echo \"{name} ready\"\n\"\"\"\nNOTE = '''pip3 install x'''\n";
        assert_eq!(ids(check_python_calls(text)), vec![("PB206", 6, 5)]);
        let paramiko = "client.exec_command(\"sudo pip3 install psutil\")\nclient.exec_command(\"pip3 install --break-system-packages requests\")\n";
        assert_eq!(
            ids(check_python_calls(paramiko)),
            vec![("PB201", 1, 22), ("PB101", 2, 35)]
        );
    }

    #[test]
    fn a_dev_container_script_using_sudo_for_certificates_provisions_nothing() {
        let text = "sudo cp certs/*.crt /usr/local/share/ca-certificates/\nsudo update-ca-certificates\npip install -r requirements-dev.txt\n";
        let place = super::super::kinds::place_of(".devcontainer/post-create.sh");
        assert_eq!(ids(check_shell(text, place)), vec![]);
        // The same script elsewhere runs on a machine someone administers.
        assert_eq!(ids(check_shell(text, Base::Host)), vec![("PB206", 3, 1)]);
        // In a dev container that installs the distro's pip, the install is the distro's.
        let distro = "sudo apt-get install -y python3-pip\npip3 install --user -r r.txt\n";
        assert_eq!(ids(check_shell(distro, place)), vec![("PB202", 2, 14)]);
    }

    #[test]
    fn reads_makefiles() {
        let text = "export PIP_BREAK_SYSTEM_PACKAGES := 1\nVENV ?= .venv\ninstall:\n\t@$(VENV)/bin/python -m pip install -r requirements.txt\n\tsudo pip install \\\n\t  x\n";
        assert_eq!(
            ids(check_makefile(text)),
            vec![("PB102", 1, 8), ("PB201", 5, 2)]
        );
    }
}
