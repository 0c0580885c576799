//! pip config: `break-system-packages = true` is removed, and a comment in its place says
//! why, so the next reader does not put it back.

use super::edit::{Builder, indentation};
use super::{Applicability, Fix};
use crate::lint::Position;
use crate::lint::rules::Rule;

/// What replaces the setting.
const REASON: &str = "break-system-packages removed: it switched PEP 668 off for every pip install; install into a venv (python3 -m venv .venv) or with pipx instead";

pub(super) fn fixes(lines: &[&str], findings: &[(Rule, Position)]) -> Vec<Fix> {
    findings
        .iter()
        .filter(|(rule, _)| *rule == Rule::BreakSystemPackagesConfig)
        .filter_map(|&(rule, position)| {
            let line = lines.get(position.line - 1)?;
            let mut builder = Builder::new(lines);
            builder.splice(
                position.line - 1,
                0,
                line.len(),
                &format!("{}# {REASON}", indentation(line)),
            );
            Some(Fix {
                // An install that relied on the setting fails on a managed Python afterwards.
                applicability: Applicability::Unsafe,
                resolves: vec![(rule, position)],
                edits: builder.finish(),
            })
        })
        .collect()
}
