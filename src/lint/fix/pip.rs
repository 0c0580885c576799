//! What a `pip install` command is made of, for the fixes that rewrite one: the words of
//! its program (`pip3`, `python3 -m pip`), `sudo` in front, and the Python behind it.

use crate::lint::shell::Word;

/// A `pip install` command, by word index.
#[derive(Debug)]
pub(super) struct PipInstall {
    /// The `sudo`/`doas` word, when there is one.
    pub sudo: Option<usize>,
    /// `sudo`'s options change the user (`-u`): the install is not root's.
    pub other_user: bool,
    /// The first word of the program (`pip3`, `python3`).
    pub program: usize,
    /// Its last word: `pip3`, or `pip` after `-m`.
    pub pip_end: usize,
    /// The `install` word.
    pub install: usize,
    /// The Python the pip belongs to, as a command (`python3`, `python3.12`).
    pub python: String,
}

impl PipInstall {
    /// The words after `install`.
    pub(super) fn arguments<'a>(&self, words: &'a [Word]) -> &'a [Word] {
        &words[self.install + 1..]
    }

    /// Whether an argument is one of `options` (also as `--option=value`).
    pub(super) fn has_option(&self, words: &[Word], options: &[&str]) -> bool {
        self.arguments(words).iter().any(|word| {
            let option = word.text.split('=').next().unwrap_or("");
            options.contains(&option)
        })
    }
}

fn is_assignment(text: &str) -> bool {
    text.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn version_of<'a>(name: &'a str, program: &str) -> Option<&'a str> {
    name.strip_prefix(program)
        .filter(|version| version.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// The `pip install` in `words`, when the command is one: `[NAME=v…] [sudo [-opts]] pip…
/// install` or `… python3… -m pip install` (the program named by its bare name or a system
/// path, so it is the first or the system Python).
pub(super) fn pip_install(words: &[Word]) -> Option<PipInstall> {
    let mut index = 0;
    while words
        .get(index)
        .is_some_and(|word| is_assignment(&word.text))
    {
        index += 1;
    }
    let mut sudo = None;
    let mut other_user = false;
    if matches!(words.get(index)?.text.as_str(), "sudo" | "doas") {
        sudo = Some(index);
        index += 1;
        while words.get(index)?.text.starts_with('-') {
            let option = words[index].text.as_str();
            if matches!(option, "-u" | "-g" | "--user") || option.starts_with("--user=") {
                other_user = true;
            }
            let takes_value = matches!(option, "-u" | "-g" | "-C" | "-D" | "-p" | "-r" | "-t");
            index += if takes_value { 2 } else { 1 };
        }
    }
    let program = index;
    let text = words.get(program)?.text.as_str();
    let name = ["/usr/bin/", "/bin/", "/usr/local/bin/"]
        .iter()
        .find_map(|dir| text.strip_prefix(dir))
        .unwrap_or(text);
    if name.contains('/') || name.contains('$') {
        return None;
    }
    let (python, after) = if let Some(version) = version_of(name, "pip") {
        let version = if version.is_empty() { "3" } else { version };
        (format!("python{version}"), program + 1)
    } else if let Some(version) = version_of(name, "python") {
        let mut at = program + 1;
        while words.get(at)?.text.starts_with('-') && words[at].text != "-m" {
            at += 1;
        }
        if words.get(at)?.text != "-m" || words.get(at + 1)?.text != "pip" {
            return None;
        }
        let version = if version.is_empty() { "3" } else { version };
        (format!("python{version}"), at + 2)
    } else {
        return None;
    };
    // pip's global options before the subcommand (`pip -q install`).
    let mut install = after;
    while words.get(install)?.text.starts_with('-') {
        install += 1;
    }
    (words[install].text == "install").then_some(PipInstall {
        sudo,
        other_user,
        program,
        pip_end: after - 1,
        install,
        python,
    })
}
