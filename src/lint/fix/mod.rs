//! `lint --fix`: rewrites a finding into the safe form, as ruff does — each fix says whether
//! it is safe (it keeps what the file does) or unsafe (it changes the job, the image or the
//! script in a way the author should review); `--fix` applies the safe ones, `--unsafe-fixes`
//! the others too. Fixes are line edits that keep the file's indentation, quoting,
//! continuations and line endings, and touch only the lines they must.

mod dockerfile;
mod edit;
mod pip;
mod pip_config;
mod script;
#[cfg(test)]
mod table;
mod workflow;

use super::kinds::Kind;
use super::reach::Base;
use super::rules::Rule;
use super::{Position, check_in};

pub(crate) use edit::Edit;
use edit::apply;

/// Whether a fix keeps what the file does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Applicability {
    /// Keeps what the file does: the line was a no-op where it runs, or the install lands
    /// in a venv every later command uses. `--fix` applies it.
    #[default]
    Safe,
    /// Changes what the file does (a CI job gets another Python, a script installs into a
    /// venv instead of the system): applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Which fixes `lint` applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum FixMode {
    /// Report only.
    #[default]
    Off,
    /// Apply the fixes up to this applicability (`Safe`: `--fix`; `Unsafe`: also
    /// `--unsafe-fixes`).
    Apply(Applicability),
}

/// One fix: the findings it resolves and the line edits that do it.
#[derive(Debug, Clone)]
pub(crate) struct Fix {
    pub applicability: Applicability,
    pub resolves: Vec<(Rule, Position)>,
    pub edits: Vec<Edit>,
}

/// The fixes for the `findings` of one file's `text`. A finding no fix resolves has none.
pub(super) fn fixes(kind: Kind, text: &str, findings: &[(Rule, Position)]) -> Vec<Fix> {
    if findings.is_empty() {
        return Vec::new();
    }
    let lines: Vec<&str> = text.lines().collect();
    match kind {
        Kind::PipConfig => pip_config::fixes(&lines, findings),
        Kind::Dockerfile => dockerfile::fixes(&lines, findings),
        Kind::GithubWorkflow => workflow::github(text, &lines, findings),
        Kind::GitlabCi => workflow::gitlab(text, &lines, findings),
        Kind::Shell => script::fixes(text, &lines, findings),
        _ => Vec::new(),
    }
}

/// The best fix available for each finding: `Safe` when a safe fix resolves it.
pub(super) fn availability(fixes: &[Fix], rule: Rule, position: Position) -> Option<Applicability> {
    fixes
        .iter()
        .filter(|fix| fix.resolves.contains(&(rule, position)))
        .map(|fix| fix.applicability)
        .min()
}

/// A file's text after the fixes up to `allowed`, applied and re-checked until nothing more
/// changes (a fix can make another one possible, as ruff iterates). `skip` are rules the
/// settings ignore: their findings are never fixed.
pub(super) fn fix_text(
    kind: Kind,
    text: &str,
    place: Base,
    allowed: Applicability,
    skip: &[Rule],
) -> String {
    // More rounds than any chain of fixes needs; a fix that does not resolve its finding
    // must not loop.
    const ROUNDS: usize = 4;
    let mut current = text.to_string();
    for _ in 0..ROUNDS {
        let findings: Vec<(Rule, Position)> = check_in(kind, &current, place)
            .into_iter()
            .filter(|(rule, _)| !skip.contains(rule))
            .collect();
        let chosen: Vec<Fix> = fixes(kind, &current, &findings)
            .into_iter()
            .filter(|fix| fix.applicability <= allowed)
            .collect();
        if chosen.is_empty() {
            break;
        }
        let next = apply(&current, &chosen);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

#[cfg(test)]
mod tests;
