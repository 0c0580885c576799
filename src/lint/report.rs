//! How findings reach the user: `path:line:col: RULE message` and a `fix:` line, a summary,
//! or one JSON object for tools.

use crate::output::{Printer, Style};

use super::Finding;

/// The result of a walk.
#[derive(Debug, Clone, Default)]
pub(crate) struct Report {
    /// Sorted by path, line, column, rule.
    pub findings: Vec<Finding>,
    /// Files of a kind the linter reads.
    pub files_checked: usize,
    /// Files and directories that could not be read.
    pub warnings: Vec<String>,
}

/// The findings, each with its fix, then a summary line (left out with `--quiet`).
pub(crate) fn render_text(report: &Report, printer: &Printer) -> String {
    let mut text = String::new();
    for finding in &report.findings {
        text.push_str(&format!(
            "{}:{}:{}: {} {}\n  {} {}\n",
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

/// `{"schema": 1, "findings": [{path, line, column, rule, message, fix}], "files_checked": N}`.
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
