//! Commands that run a here-document as a script of its own (`bash <<EOF`, `sudo chroot DIR
//! /bin/bash <<'EOF'`, `ssh host <<EOF`, `sudo -u user -i <<EOF`), and where that script runs.

use super::command::{basename, program_start};
use super::reach::{Base, Context};
use super::shell::Command;

/// Where the script a command feeds to a shell starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Start {
    /// The same shell's context: `bash <<EOF`.
    Same,
    /// Root on a distro's own Python: a root shell (`sudo -i`, `sudo bash`), a chroot of a
    /// root filesystem.
    Root,
    /// A fresh login on a machine of unknown OS (`ssh host`, `sudo -u user -i`): no venv.
    Login,
}

impl Start {
    /// The context the script's first command runs in, given the feeding command's own.
    pub(super) fn context(self, outer: Context) -> Context {
        match self {
            Start::Same => outer,
            Start::Root => Context {
                base: Base::Distro,
                ..Context::default()
            },
            Start::Login => Context {
                base: Base::Host,
                ..Context::default()
            },
        }
    }
}

const SHELLS: [&str; 7] = ["sh", "bash", "dash", "zsh", "ash", "ksh", "mksh"];

/// Where the here-document of `command` runs as a script, if `command` feeds it to a shell.
pub(super) fn fed_shell(command: &Command) -> Option<Start> {
    if command.heredoc.is_empty() {
        return None;
    }
    let words: Vec<&str> = command.words.iter().map(|w| w.text.as_str()).collect();
    let Some(program) = program_start(&command.words) else {
        // `sudo -i`, `sudo -u deploy -s`: sudo's own shell reads the here-document.
        return sudo_shell(&words);
    };
    let root = program.sudo.is_some();
    let name = basename(words[program.index]);
    let rest = &words[program.index + 1..];
    match name {
        _ if SHELLS.contains(&name) => {
            reads_stdin(rest).then_some(if root { Start::Root } else { Start::Same })
        }
        "chroot" => {
            let after = skip_options(rest, &["--userspec", "--groups"]);
            match after.get(1) {
                None => Some(Start::Root),
                Some(shell) if SHELLS.contains(&basename(shell)) => {
                    reads_stdin(&after[2..]).then_some(Start::Root)
                }
                Some(_) => None,
            }
        }
        "ssh" => {
            let after = skip_options(
                rest,
                &[
                    "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O",
                    "-o", "-p", "-Q", "-R", "-S", "-W", "-w",
                ],
            );
            // ssh joins the remote words into one command line: `'bash -s'` is two words.
            let remote: Vec<&str> = after
                .get(1..)
                .unwrap_or(&[])
                .iter()
                .flat_map(|word| word.split_whitespace())
                .collect();
            match remote.first() {
                None => Some(Start::Login),
                Some(&"sudo") => sudo_shell(&remote).map(|_| Start::Root),
                Some(shell) if SHELLS.contains(&basename(shell)) => {
                    reads_stdin(&remote[1..]).then_some(Start::Login)
                }
                Some(_) => None,
            }
        }
        "su" => {
            let has_command = rest.iter().any(|w| matches!(*w, "-c" | "--command"));
            let user = rest.iter().find(|w| !w.starts_with('-'));
            (!has_command).then_some(match user {
                None | Some(&"root") => Start::Root,
                Some(_) => Start::Login,
            })
        }
        _ => None,
    }
}

/// `sudo` with `-i`/`-s` and no command: a shell as root, or as the `-u` user.
fn sudo_shell(words: &[&str]) -> Option<Start> {
    let at = words.iter().position(|w| matches!(*w, "sudo" | "doas"))?;
    let mut user = None;
    let mut shell = false;
    let mut index = at + 1;
    while index < words.len() && words[index].starts_with('-') {
        match words[index] {
            "-u" => {
                user = words.get(index + 1).copied();
                index += 1;
            }
            "-i" | "-s" | "--login" | "--shell" => shell = true,
            option => {
                shell |=
                    option.len() > 2 && !option.starts_with("--") && option.contains(['i', 's'])
            }
        }
        index += 1;
    }
    if !shell || index < words.len() {
        return None;
    }
    Some(match user {
        None | Some("root") => Start::Root,
        Some(_) => Start::Login,
    })
}

/// Whether a shell with these arguments reads its script from standard input: no `-c` and
/// no script operand, or `-s`.
fn reads_stdin(arguments: &[&str]) -> bool {
    let mut index = 0;
    while index < arguments.len() && arguments[index].starts_with('-') {
        let option = arguments[index];
        if option == "-s" || (!option.starts_with("--") && option.contains('s')) {
            return true;
        }
        if option == "-c" || (!option.starts_with("--") && option.contains('c')) {
            return false;
        }
        index += if option == "-o" || option == "+o" {
            2
        } else {
            1
        };
    }
    index == arguments.len()
}

/// The words after the options (those in `with_value` take the next word).
fn skip_options<'a>(words: &'a [&'a str], with_value: &[&str]) -> &'a [&'a str] {
    let mut index = 0;
    while index < words.len() && words[index].starts_with('-') {
        index += if with_value.contains(&words[index]) {
            2
        } else {
            1
        };
    }
    &words[index.min(words.len())..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::shell::{Fragment, commands};

    fn start(script: &str) -> Option<Start> {
        let commands = commands(&Fragment::lines(script, 1));
        commands.first().and_then(fed_shell)
    }

    #[test]
    fn knows_which_commands_run_their_here_document() {
        assert_eq!(start("bash <<EOF\nx\nEOF\n"), Some(Start::Same));
        assert_eq!(start("sudo bash -s <<'EOF'\nx\nEOF\n"), Some(Start::Root));
        assert_eq!(
            start("sudo chroot \"$ROOTFS\" /bin/bash <<'EOF'\nx\nEOF\n"),
            Some(Start::Root)
        );
        assert_eq!(start("chroot /mnt <<EOF\nx\nEOF\n"), Some(Start::Root));
        assert_eq!(
            start("ssh -p 22 \"$host\" <<EOF\nx\nEOF\n"),
            Some(Start::Login)
        );
        assert_eq!(start("ssh host sudo -i <<EOF\nx\nEOF\n"), Some(Start::Root));
        assert_eq!(
            start("ssh host 'bash -s' <<EOF\nx\nEOF\n"),
            Some(Start::Login)
        );
        assert_eq!(start("ssh host uptime <<EOF\nx\nEOF\n"), None);
        assert_eq!(
            start("sudo -u deploy -i <<'EOF'\nx\nEOF\n"),
            Some(Start::Login)
        );
        assert_eq!(start("sudo -i <<'EOF'\nx\nEOF\n"), Some(Start::Root));
        assert_eq!(start("su - app <<EOF\nx\nEOF\n"), Some(Start::Login));
    }

    #[test]
    fn leaves_other_here_documents_alone() {
        assert_eq!(start("cat > /etc/motd <<EOF\nx\nEOF\n"), None);
        assert_eq!(start("sudo tee /etc/motd <<EOF\nx\nEOF\n"), None);
        assert_eq!(start("bash -c 'echo' <<EOF\nx\nEOF\n"), None);
        assert_eq!(start("bash setup.sh <<EOF\nx\nEOF\n"), None);
        assert_eq!(
            start("chroot /mnt apt-get install -y x <<EOF\nx\nEOF\n"),
            None
        );
        assert_eq!(start("python3 - <<EOF\nx\nEOF\n"), None);
        assert_eq!(start("bash\n"), None);
    }
}
