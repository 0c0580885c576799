//! A one-line progress note on stderr for work that can take more than a moment (probing
//! many interpreters, linting a large tree): shown only on a terminal and without
//! `--quiet`, rewritten in place, and erased when the work is done, so it never reaches a
//! log or a pipe.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::output::Printer;

/// How often the line is redrawn at most, so a fast loop does not flood the terminal.
const REDRAW_INTERVAL: Duration = Duration::from_millis(80);

/// The progress line of one piece of work; erased when finished or dropped. It can be
/// shared between threads (`update` takes `&self`).
pub struct Progress {
    /// `None` when nothing is shown (not a terminal, or `--quiet`).
    drawn: Option<Mutex<Instant>>,
}

impl Progress {
    /// Shows `message` when stderr is a terminal and the printer is not quiet.
    pub fn start(printer: &Printer, message: &str) -> Self {
        let progress = Self {
            drawn: (!printer.quiet && std::io::stderr().is_terminal())
                .then(|| Mutex::new(Instant::now())),
        };
        progress.draw(message);
        progress
    }

    /// A progress line that never shows anything.
    pub fn hidden() -> Self {
        Self { drawn: None }
    }

    /// Whether the line is shown at all.
    pub fn is_visible(&self) -> bool {
        self.drawn.is_some()
    }

    /// Replaces the message, at most once per redraw interval.
    pub fn update(&self, message: &str) {
        let Some(drawn) = &self.drawn else { return };
        let Ok(mut last) = drawn.lock() else { return };
        if last.elapsed() < REDRAW_INTERVAL {
            return;
        }
        *last = Instant::now();
        self.draw(message);
    }

    /// Erases the line.
    pub fn finish(self) {}

    fn draw(&self, message: &str) {
        if self.drawn.is_none() {
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
        if self.drawn.is_some() {
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
        assert!(!progress.is_visible());
        progress.update("still probing");
        progress.finish();
        assert!(!Progress::hidden().is_visible());
    }

    #[test]
    fn messages_stay_on_one_line() {
        assert_eq!(one_line("a\nb\rc\x1b[2J"), "abc[2J");
    }
}
