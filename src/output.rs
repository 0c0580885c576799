//! Where and how text reaches the user: stdout for results, stderr for errors and notes,
//! colour only when wanted (`--color`, `NO_COLOR`, a terminal).

use std::error::Error as _;
use std::io::IsTerminal;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::error::Error;

/// Prints results and diagnostics with the user's colour and verbosity choices.
#[derive(Debug, Clone)]
pub struct Printer {
    pub color: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// A text style for `Printer::paint`.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Bold,
    Good,
    Warn,
    Bad,
    Dim,
}

impl Printer {
    pub fn new(global: &GlobalArgs) -> Self {
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        };
        Self {
            color,
            quiet: global.quiet,
            verbose: global.verbose,
        }
    }

    /// A printer with no colour, for tests and for text that goes to files.
    pub fn plain() -> Self {
        Self {
            color: false,
            quiet: false,
            verbose: false,
        }
    }

    /// `text` wrapped in the ANSI codes of `style` when colour is on.
    pub fn paint(&self, style: Style, text: &str) -> String {
        if !self.color {
            return text.to_string();
        }
        let code = match style {
            Style::Bold => "1",
            Style::Good => "32",
            Style::Warn => "33",
            Style::Bad => "31",
            Style::Dim => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// A note on stderr (`pybootstrap: ...`), silenced by `--quiet`.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Prints an error, its cause chain and its hint to stderr.
    pub fn error(&self, err: &Error) {
        eprintln!("{} {err}", self.paint(Style::Bad, "error:"));
        let mut source = err.source();
        while let Some(cause) = source {
            eprintln!("  caused by: {cause}");
            source = cause.source();
        }
        if let Some(hint) = err.hint() {
            eprintln!("{} {hint}", self.paint(Style::Good, "hint:"));
        }
    }

    /// Prints something the user must act on (exit 1, not a failure) and its fix, styled
    /// like an error.
    pub fn problem(&self, message: &str, hint: Option<&str>) {
        eprintln!("{} {message}", self.paint(Style::Bad, "error:"));
        if let Some(hint) = hint {
            eprintln!("{} {hint}", self.paint(Style::Good, "hint:"));
        }
    }
}
