//! Where and how text reaches the user: stdout for results, stderr for errors and notes,
//! colour only when wanted (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`, a terminal), decided
//! for each stream on its own.

use std::error::Error as _;

use anstream::AutoStream;
use anstyle::{AnsiColor, Effects};

use crate::cli::{ColorChoice, GlobalArgs};
use crate::error::Error;

/// Prints results and diagnostics with the user's colour and verbosity choices.
#[derive(Debug, Clone)]
pub(crate) struct Printer {
    /// Whether text for stdout is coloured (`paint`).
    pub(crate) color: bool,
    /// Whether text for stderr is coloured (errors, hints, prompts).
    pub(crate) color_stderr: bool,
    pub(crate) quiet: bool,
    pub(crate) verbose: bool,
}

/// A text style for `Printer::paint`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Style {
    Bold,
    Good,
    Warn,
    Bad,
    Dim,
}

impl Style {
    fn ansi(self) -> anstyle::Style {
        match self {
            Self::Bold => Effects::BOLD.into(),
            Self::Good => AnsiColor::Green.on_default(),
            Self::Warn => AnsiColor::Yellow.on_default(),
            Self::Bad => AnsiColor::Red.on_default(),
            Self::Dim => Effects::DIMMED.into(),
        }
    }
}

impl Printer {
    pub(crate) fn new(global: &GlobalArgs) -> Self {
        let choice = match global.color {
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
            ColorChoice::Auto => anstream::ColorChoice::Auto,
        };
        let wants = |stream_choice: anstream::ColorChoice| {
            !matches!(stream_choice, anstream::ColorChoice::Never)
        };
        Self {
            color: wants(AutoStream::new(std::io::stdout(), choice).current_choice()),
            color_stderr: wants(AutoStream::new(std::io::stderr(), choice).current_choice()),
            quiet: global.quiet,
            verbose: global.verbose,
        }
    }

    /// A printer with no colour, for tests.
    #[cfg(test)]
    pub(crate) fn plain() -> Self {
        Self {
            color: false,
            color_stderr: false,
            quiet: false,
            verbose: false,
        }
    }

    /// Whether prompts and diagnostics on stderr may be coloured.
    pub(crate) fn color_stderr(&self) -> bool {
        self.color_stderr
    }

    /// `text` in `style` for stdout, when stdout is coloured.
    pub(crate) fn paint(&self, style: Style, text: &str) -> String {
        paint(self.color, style, text)
    }

    /// `text` in `style` for stderr, when stderr is coloured.
    fn paint_stderr(&self, style: Style, text: &str) -> String {
        paint(self.color_stderr, style, text)
    }

    /// A note on stderr (`pybootstrap: ...`), silenced by `--quiet`.
    pub(crate) fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// Prints an error, its cause chain and its hint to stderr.
    pub(crate) fn error(&self, err: &Error) {
        eprintln!("{} {err}", self.paint_stderr(Style::Bad, "error:"));
        let mut source = err.source();
        while let Some(cause) = source {
            eprintln!("  caused by: {cause}");
            source = cause.source();
        }
        if let Some(hint) = err.hint() {
            eprintln!("{} {hint}", self.paint_stderr(Style::Good, "hint:"));
        }
    }

    /// Prints something the user must act on (exit 1, not a failure) and its fix, styled
    /// like an error.
    pub(crate) fn problem(&self, message: &str, hint: Option<&str>) {
        eprintln!("{} {message}", self.paint_stderr(Style::Bad, "error:"));
        if let Some(hint) = hint {
            eprintln!("{} {hint}", self.paint_stderr(Style::Good, "hint:"));
        }
    }
}

fn paint(color: bool, style: Style, text: &str) -> String {
    if !color {
        return text.to_string();
    }
    let style = style.ansi();
    format!("{style}{text}{style:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_the_ansi_codes_terminals_expect() {
        let printer = Printer {
            color: true,
            ..Printer::plain()
        };
        assert_eq!(printer.paint(Style::Bold, "x"), "\x1b[1mx\x1b[0m");
        assert_eq!(printer.paint(Style::Good, "x"), "\x1b[32mx\x1b[0m");
        assert_eq!(printer.paint(Style::Warn, "x"), "\x1b[33mx\x1b[0m");
        assert_eq!(printer.paint(Style::Bad, "x"), "\x1b[31mx\x1b[0m");
        assert_eq!(printer.paint(Style::Dim, "x"), "\x1b[2mx\x1b[0m");
        assert_eq!(
            printer.paint_stderr(Style::Bad, "x"),
            "x",
            "stderr decides alone"
        );
        assert_eq!(Printer::plain().paint(Style::Bad, "x"), "x");
    }
}
