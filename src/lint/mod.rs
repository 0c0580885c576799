//! `pybootstrap lint`: finds every place in a repository that would install into a system
//! Python or switch PEP 668 off — in Dockerfiles, CI files, scripts, Makefiles, tox/nox
//! files, pip config, requirement files, documentation and Python command strings.
//!
//! `lint` reads the `[lint]` settings, walks the tree in parallel, reads each file by its
//! kind, drops suppressed findings and returns them sorted.

mod ansible;
mod ci;
mod command;
mod config;
mod credentials;
mod devcontainer;
mod dockerfile;
mod docs;
mod error;
mod feed;
mod files;
mod fix;
mod kinds;
mod lines;
mod reach;
mod report;
mod rules;
mod salt;
mod shell;
mod terraform;
mod walk;
pub(crate) mod yaml;

use std::path::Path;

pub(crate) use config::Settings;
pub(crate) use error::LintError;
pub(crate) use fix::{Applicability, FixMode};
pub(crate) use kinds::Kind;
pub(crate) use report::{Report, render_json, render_text};
pub(crate) use rules::Rule;

/// A place in a file: 1-based line, 1-based column counted in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Position {
    pub line: usize,
    pub column: usize,
}

/// One finding: where, which rule, and the rule's message and fix.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub(crate) struct Finding {
    /// Relative to the linted directory, `/`-separated.
    pub path: String,
    pub line: usize,
    pub column: usize,
    #[serde(serialize_with = "serialize_rule")]
    pub rule: Rule,
    pub message: &'static str,
    pub fix: &'static str,
    /// Whether `--fix` (`safe`) or `--unsafe-fixes` (`unsafe`) rewrites it; `null` when no
    /// automatic fix exists.
    pub fixable: Option<Applicability>,
}

fn serialize_rule<S: serde::Serializer>(rule: &Rule, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(rule.id())
}

/// Lints the tree at `root` with the `[lint]` settings of `root/pybootstrap.toml`; with a
/// `mode` that applies fixes, the report also holds each fixed file's new text (nothing is
/// written here).
pub(crate) fn lint(root: &Path, mode: FixMode) -> Result<Report, LintError> {
    if !root.exists() {
        return Err(LintError::PathMissing {
            path: root.to_path_buf(),
        });
    }
    // For one file, the settings of the directory holding it.
    let directory = match root.parent() {
        Some(parent) if root.is_file() && !parent.as_os_str().is_empty() => parent,
        _ if root.is_file() => Path::new("."),
        _ => root,
    };
    let settings = Settings::read(directory)?;
    Ok(walk::walk(root, &settings, mode))
}

/// The findings in one file's text, suppression comments applied, sorted.
#[cfg(test)]
pub(crate) fn check(kind: Kind, text: &str) -> Vec<(Rule, Position)> {
    check_in(kind, text, reach::Base::Host)
}

/// `count` texts of `lengths` pieces each, drawn from `pieces` by a fixed pseudo-random
/// sequence from `seed`: the inputs of the property tests, the same on every run.
#[cfg(test)]
pub(crate) fn random_texts(
    pieces: &[&str],
    seed: u64,
    count: usize,
    lengths: std::ops::Range<usize>,
) -> Vec<String> {
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap_or(0)
    };
    (0..count)
        .map(|_| {
            let length = lengths.start + next() % (lengths.end - lengths.start);
            (0..length).map(|_| pieces[next() % pieces.len()]).collect()
        })
        .collect()
}

/// The findings in one file's text, for a file whose path says its commands run on `place`
/// (see [`kinds::place_of`]).
fn check_in(kind: Kind, text: &str, place: reach::Base) -> Vec<(Rule, Position)> {
    check_in_with_scripts(kind, text, place, true).0
}

/// The findings in one file's text (see `check_in`), and for a CI file the repository
/// scripts it runs on a distro Python (`ci::called_scripts`), from one reading of the file.
/// `credentials` is false when the file names no URL a credential could be in.
fn check_in_with_scripts(
    kind: Kind,
    text: &str,
    place: reach::Base,
    credentials: bool,
) -> (Vec<(Rule, Position)>, Vec<String>) {
    let (findings, scripts) = if matches!(kind, Kind::GithubWorkflow | Kind::GitlabCi) {
        ci::check_and_called_scripts(kind, text)
    } else {
        (check_kind(kind, text, place), Vec::new())
    };
    let findings = if credentials {
        with_credentials(kind, findings, text)
    } else {
        findings
    };
    (applied(findings, text), scripts)
}

/// `findings` and the committed credentials in `text`.
fn with_credentials(
    kind: Kind,
    mut findings: Vec<(Rule, Position)>,
    text: &str,
) -> Vec<(Rule, Position)> {
    // Documentation shows where a credential goes, in words a reader replaces; every other
    // file is read as it will run.
    if !matches!(kind, Kind::Markdown | Kind::Rst) {
        findings.extend(credentials::check(text));
    }
    findings
}

/// `findings` with suppression comments applied, in order, each once.
fn applied(mut findings: Vec<(Rule, Position)>, text: &str) -> Vec<(Rule, Position)> {
    // Most files parsed give no finding: their lines are split only when one does.
    if !findings.is_empty() {
        let lines: Vec<&str> = lines::of(text).collect();
        findings.retain(|(rule, position)| !suppressed(&lines, position.line, *rule));
    }
    findings.sort_by_key(|(rule, position)| (*position, *rule));
    findings.dedup();
    findings
}

/// A bare `pip install` (PB205) in a repository script that a CI job runs on a distro
/// Python, suppression comments applied.
fn check_called_script(text: &str) -> Vec<(Rule, Position)> {
    let lines: Vec<&str> = lines::of(text).collect();
    files::check_shell(text, reach::Base::Distro)
        .into_iter()
        .filter(|(rule, _)| *rule == Rule::HostSystemInstall)
        .map(|(_, position)| (Rule::CiSystemInstall, position))
        .filter(|(rule, position)| !suppressed(&lines, position.line, *rule))
        .collect()
}

fn check_kind(kind: Kind, text: &str, place: reach::Base) -> Vec<(Rule, Position)> {
    match kind {
        Kind::Dockerfile => dockerfile::check(text),
        Kind::GithubWorkflow => ci::check_github(text),
        Kind::GitlabCi => ci::check_gitlab(text),
        Kind::Yaml => {
            let base = ci::yaml_base(text, place);
            let mut findings = ci::check_yaml(text, base);
            findings.extend(ansible::check(text, base));
            findings
        }
        Kind::Shell => files::check_shell(text, place),
        Kind::Makefile => files::check_makefile(text),
        Kind::Tox => files::check_tox(text),
        Kind::Nox => files::check_python(text),
        Kind::Python => files::check_python_calls(text),
        Kind::PipConfig => files::check_pip_config(text),
        Kind::Requirements => files::check_requirements(text),
        Kind::Markdown => docs::check_markdown(text),
        Kind::Rst => docs::check_rst(text),
        Kind::Commands => files::check_commands(text, place),
        Kind::Devcontainer => devcontainer::check(text),
        Kind::Terraform => terraform::check(text),
        Kind::Salt => salt::check(text),
        // Read for the rules that hold in any file (PB301) only.
        Kind::PackageConfig => Vec::new(),
    }
}

/// Whether a `pybootstrap: ignore[PB101, PB202]` comment (or a bare `pybootstrap: ignore`,
/// for every rule) on line `line` or the line above silences `rule`.
fn suppressed(lines: &[&str], line: usize, rule: Rule) -> bool {
    [line, line.saturating_sub(1)]
        .into_iter()
        .filter(|&number| number >= 1)
        .filter_map(|number| lines.get(number - 1))
        .any(|text| ignores(text, rule))
}

fn ignores(text: &str, rule: Rule) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find("pybootstrap:") {
        let after = rest[at + "pybootstrap:".len()..].trim_start();
        if let Some(directive) = after.strip_prefix("ignore") {
            match directive.strip_prefix('[') {
                Some(list) => {
                    let list = list.split(']').next().unwrap_or("");
                    if list.split(',').any(|id| id.trim() == rule.id()) {
                        return true;
                    }
                }
                None => return true,
            }
        }
        rest = &rest[at + 1..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [Kind; 18] = [
        Kind::Dockerfile,
        Kind::GithubWorkflow,
        Kind::GitlabCi,
        Kind::Yaml,
        Kind::Shell,
        Kind::Makefile,
        Kind::Tox,
        Kind::Nox,
        Kind::Python,
        Kind::PipConfig,
        Kind::Requirements,
        Kind::Markdown,
        Kind::Rst,
        Kind::Commands,
        Kind::Devcontainer,
        Kind::Terraform,
        Kind::Salt,
        Kind::PackageConfig,
    ];

    #[test]
    fn odd_text_never_panics() {
        let odd = [
            "",
            "\\",
            "pip install 'unterminated",
            "pip install \"unterminated\\",
            "RUN pip install $(",
            "RUN <<",
            "RUN [\"pip\", ",
            "cat <<EOF",
            "FROM\nRUN pip install x",
            "- - - pip install --user",
            "key: |\n",
            "  \u{3000}\u{3000}pip install --user x",
            "    \u{3000}pip install --user x\n  \u{3000}  pip install --user y",
            "```\n\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}sudo pip install x",
            "Run::\n\n  \u{3000}pip install --user x\n \u{3000} pip install --user y",
            "\tsudo pip install x \\\r\n\t--user",
            "session.install(\"--user\")",
            "x.install(\"é\", \"--user\")",
            "[global]\nbreak-system-packages",
            "jobs:\n  a:\n    runs-on: [\n    steps:\n    - run: pip install",
            "PIP_BREAK_SYSTEM_PACKAGES=",
            "é\u{fffd}pip install --user ü",
        ];
        for kind in KINDS {
            for text in odd {
                let _ = check(kind, text);
            }
        }
    }

    #[test]
    fn random_text_never_panics() {
        let pieces = [
            "pip",
            " install",
            " --user",
            " --break-system-packages",
            "sudo ",
            "\\",
            "\n",
            "\t",
            "'",
            "\"",
            "`",
            "$(",
            "${",
            ")",
            "}",
            "<<",
            "EOF",
            "#",
            ":",
            "- ",
            "  ",
            "|",
            "&&",
            ";",
            "```",
            "::",
            "..",
            "FROM debian",
            "RUN ",
            "ENV ",
            "PATH=",
            "=",
            "[",
            "]",
            ",",
            "é",
            "\u{3000}",
            "\u{fffd}",
            "\r",
            "PIP_BREAK_SYSTEM_PACKAGES",
            "EXTERNALLY-MANAGED",
        ];
        for text in crate::lint::random_texts(&pieces, 668, 1500, 0..40) {
            for kind in KINDS {
                let _ = check(kind, &text);
            }
        }
    }

    #[test]
    fn reads_suppression_comments() {
        assert!(ignores(
            "pip install --user x  # pybootstrap: ignore[PB202]",
            Rule::UserInstall
        ));
        assert!(ignores(
            "# pybootstrap: ignore[PB101, PB202]",
            Rule::UserInstall
        ));
        assert!(!ignores("# pybootstrap: ignore[PB101]", Rule::UserInstall));
        assert!(ignores("<!-- pybootstrap: ignore -->", Rule::SudoPip));
        let text = "# pybootstrap: ignore[PB202]\npip install --user x\npip install --user y\n";
        assert_eq!(
            check(Kind::Shell, text),
            vec![(
                Rule::UserInstall,
                Position {
                    line: 3,
                    column: 13
                }
            )]
        );
    }
}
