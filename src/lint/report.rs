//! How findings reach the user: `path:line:col: RULE message` and a `fix:` line, a summary,
//! or one JSON object for tools.

use std::path::PathBuf;

use crate::output::{Printer, Style};

use super::{Applicability, Finding};

/// A file whose fixes were applied in memory: its text before and after.
#[derive(Debug, Clone)]
pub(crate) struct FixedFile {
    /// Relative to the linted directory, `/`-separated, as in findings.
    pub path: String,
    /// Where to write it.
    pub location: PathBuf,
    pub before: String,
    pub after: String,
}

/// The result of a walk.
#[derive(Debug, Clone, Default)]
pub(crate) struct Report {
    /// Sorted by path, line, column, rule.
    pub findings: Vec<Finding>,
    /// Files of a kind the linter reads.
    pub files_checked: usize,
    /// Files and directories that could not be read.
    pub warnings: Vec<String>,
    /// With fixes on, every file they change, sorted by path.
    pub fixed: Vec<FixedFile>,
}

/// The findings, each with its fix (`[*]` after the rule when `--fix` applies it, `[~]` when
/// `--unsafe-fixes` does), then a summary line (left out with `--quiet`).
pub(crate) fn render_text(report: &Report, printer: &Printer) -> String {
    let mut text = String::new();
    for finding in &report.findings {
        let marker = match finding.fixable {
            Some(Applicability::Safe) => " [*]",
            Some(Applicability::Unsafe) => " [~]",
            None => "",
        };
        text.push_str(&format!(
            "{}:{}:{}: {}{marker} {}\n  {} {}\n",
            printer.paint(Style::Bold, &finding.path),
            finding.line,
            finding.column,
            printer.paint(Style::Bad, finding.rule.id()),
            finding.message,
            printer.paint(Style::Good, "fix:"),
            finding.fix,
        ));
    }
    if printer.quiet {
        return text;
    }
    let files = plural(report.files_checked, "file");
    if report.findings.is_empty() {
        text.push_str(&format!("No findings ({files} checked).\n"));
    } else {
        let mut paths: Vec<&str> = report.findings.iter().map(|f| f.path.as_str()).collect();
        paths.dedup();
        text.push_str(&format!(
            "\n{} in {} ({files} checked).\n",
            plural(report.findings.len(), "finding"),
            plural(paths.len(), "file"),
        ));
        let count = |applicability| {
            report
                .findings
                .iter()
                .filter(|finding| finding.fixable == Some(applicability))
                .count()
        };
        let (safe, unsafe_fixes) = (count(Applicability::Safe), count(Applicability::Unsafe));
        if safe > 0 {
            text.push_str(&format!("[*] {safe} fixable with `--fix`.\n"));
        }
        if unsafe_fixes > 0 {
            text.push_str(&format!(
                "[~] {unsafe_fixes} fixable with `--fix --unsafe-fixes`.\n"
            ));
        }
    }
    text
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `{"schema": 1, "findings": [{path, line, column, rule, message, fix, fixable}],
/// "files_checked": N}`.
pub(crate) fn render_json(report: &Report) -> String {
    #[derive(serde::Serialize)]
    struct Json<'a> {
        schema: u32,
        findings: &'a [Finding],
        files_checked: usize,
    }
    let json = Json {
        schema: 1,
        findings: &report.findings,
        files_checked: report.files_checked,
    };
    serde_json::to_string_pretty(&json).unwrap_or_default()
}
