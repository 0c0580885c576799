//! Here-documents that are programs of their own: a script fed to a shell (`bash <<EOF`,
//! `sudo chroot DIR /bin/bash <<'EOF'`, `ssh host <<EOF`, `sudo -u user -i <<EOF`) and where
//! it runs, and cloud-init user data written or passed on (`cat > user-data <<EOF`).

use super::Position;
use super::command::{basename, program_start};
use super::reach::{Base, Context};
use super::rules::Rule;
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
    // `sudo -i`, `sudo -u deploy -s`: sudo's own shell reads the here-document.
    if let Some(start) = sudo_shell(&words) {
        return Some(start);
    }
    let program = program_start(&command.words)?;
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

/// The findings of a here-document that is a `#cloud-config` document, whatever the command
/// does with it (`cat > "$BOOT/user-data"`, `lxc profile set P user.user-data -`): cloud-init
/// runs it on the distro's Python of the machine it provisions.
pub(super) fn cloud_config(command: &Command) -> Vec<(Rule, Position)> {
    let heredoc = &command.heredoc;
    let Some(first) = heredoc.iter().find(|line| !line.text.trim().is_empty()) else {
        return Vec::new();
    };
    let content = first.text.trim_start();
    if !content.starts_with("#cloud-config") {
        return Vec::new();
    }
    // An indented document (`<<-EOF` in a function) is read from its first line's column.
    let cut = first.text.len() - content.len();
    let body: Vec<&str> = heredoc
        .iter()
        .map(|line| line.text.get(cut..).unwrap_or(""))
        .collect();
    super::ci::check_yaml(&body.join("\n"), Base::Distro)
        .into_iter()
        .filter_map(|(rule, position)| {
            let origin = heredoc.get(position.line.checked_sub(1)?)?;
            let cut_columns = origin
                .text
                .get(..cut)
                .map_or(0, |text| text.chars().count());
            Some((
                rule,
                Position {
                    line: origin.line,
                    column: origin.column + cut_columns + position.column - 1,
                },
            ))
        })
        .collect()
}

/// `sudo` with `-i`/`-s` and no command: a shell as root, or as the `-u` user.
fn sudo_shell(words: &[&str]) -> Option<Start> {
    let at = words.iter().position(|w| matches!(*w, "sudo" | "doas"))?;
    // Only `sudo` as the command (after `NAME=value` words), not an argument of another.
    if !words[..at].iter().all(|word| word.contains('=')) {
        return None;
    }
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
            // Bundled short options: `sudo -Hi`, `sudo -iu deploy`.
            option if option.len() > 2 && !option.starts_with("--") => {
                shell |= option.contains(['i', 's']);
                if option.ends_with('u') {
                    user = words.get(index + 1).copied();
                    index += 1;
                }
            }
            _ => {}
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
        assert_eq!(start("sudo -iu app <<'EOF'\nx\nEOF\n"), Some(Start::Login));
        assert_eq!(start("sudo -Hs <<'EOF'\nx\nEOF\n"), Some(Start::Root));
        assert_eq!(start("su - app <<EOF\nx\nEOF\n"), Some(Start::Login));
    }

    #[test]
    fn reads_cloud_init_user_data_in_here_documents() {
        let script = "lxc profile set web user.user-data - <<'EOF'\n#cloud-config\nruncmd:\n  - pip3 install flask\n  - [ sh, -c, \"pip3 install --break-system-packages x\" ]\nEOF\n";
        let profile = commands(&Fragment::lines(script, 1));
        let found: Vec<_> = cloud_config(&profile[0])
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line, at.column))
            .collect();
        assert_eq!(found, vec![("PB206", 4, 5), ("PB101", 5, 29)]);
        let other = commands(&Fragment::lines(
            "cat > notes <<EOF\nruncmd:\n  - pip3 install x\nEOF\n",
            1,
        ));
        assert_eq!(cloud_config(&other[0]), vec![]);
    }

    #[test]
    fn leaves_other_here_documents_alone() {
        assert_eq!(start("cat > /etc/motd <<EOF\nx\nEOF\n"), None);
        assert_eq!(start("echo sudo -i <<EOF\nx\nEOF\n"), None);
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
