//! A one-line progress note on stderr for work that can take more than a moment (probing
//! many interpreters, linting a large tree): shown only on a terminal and without
//! `--quiet`, and erased when the work is done, so it never reaches a log or a pipe.

use std::io::{IsTerminal, Write};

use crate::output::Printer;

/// The progress line of one piece of work; erased when finished or dropped.
pub(crate) struct Progress {
    /// Whether anything is shown (a terminal, and not `--quiet`).
    shown: bool,
}

impl Progress {
    /// Shows `message` when stderr is a terminal and the printer is not quiet.
    pub(crate) fn start(printer: &Printer, message: &str) -> Self {
        let progress = Self {
            shown: !printer.quiet && std::io::stderr().is_terminal(),
        };
        progress.draw(message);
        progress
    }

    /// Erases the line.
    #[expect(
        clippy::unused_self,
        reason = "taking the progress by value drops it, which erases"
    )]
    pub(crate) fn finish(self) {}

    fn draw(&self, message: &str) {
        if !self.shown {
            return;
        }
        // Carriage return and "erase to end of line": the line is rewritten, never added to.
        let mut stderr = std::io::stderr().lock();
        let _ = write!(stderr, "\r\x1b[K{}", one_line(message));
        let _ = stderr.flush();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "\r\x1b[K");
            let _ = stderr.flush();
        }
    }
}

/// The message without control characters, which would break the in-place redraw.
fn one_line(message: &str) -> String {
    message.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_printers_show_nothing() {
        let printer = Printer {
            quiet: true,
            ..Printer::plain()
        };
        let progress = Progress::start(&printer, "probing");
        assert!(!progress.shown);
        progress.finish();
    }

    #[test]
    fn messages_stay_on_one_line() {
        assert_eq!(one_line("a\nb\rc\x1b[2J"), "abc[2J");
    }
}
