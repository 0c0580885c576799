//! The real prompts: dialoguer on stderr, so stdout stays for results. Ctrl-C becomes
//! `Error::Interrupted` and the cursor is shown again.

use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use dialoguer::console::{Term, style};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use super::{Check, Error, Prompter, Question};

/// Whether a prompt is reading keys (or stopped on Ctrl-C), so the SIGINT console raises is
/// expected.
static READING: AtomicBool = AtomicBool::new(false);
static HANDLER: Once = Once::new();

/// console reads keys in raw mode and, on Ctrl-C, raises SIGINT itself before returning an
/// `Interrupted` error. While a prompt reads, this handler lets that error reach `ask`, which
/// stops without writing anything; at any other time Ctrl-C ends the process as it would
/// without a handler (exit 130), with the cursor shown again.
fn install_interrupt_handler() {
    HANDLER.call_once(|| {
        // Another handler already installed (by an embedding program) keeps its behaviour.
        let _ = ctrlc::set_handler(|| {
            if !READING.load(Ordering::SeqCst) {
                let _ = Term::stderr().show_cursor();
                std::process::exit(130);
            }
        });
    });
}

/// Asks on the terminal attached to stderr.
pub(crate) struct TerminalPrompter {
    term: Term,
    color: bool,
    colorful: ColorfulTheme,
}

impl TerminalPrompter {
    /// A prompter on stderr; `color` follows the printer's colour choice.
    pub(crate) fn new(color: bool) -> Self {
        install_interrupt_handler();
        Self {
            term: Term::stderr(),
            color,
            colorful: ColorfulTheme::default(),
        }
    }

    fn theme(&self) -> &dyn Theme {
        if self.color {
            &self.colorful
        } else {
            &SimpleTheme
        }
    }

    fn help(&self, question: &Question) -> Result<(), Error> {
        if question.help.is_empty() {
            return Ok(());
        }
        let line = if self.color {
            style(&question.help).dim().to_string()
        } else {
            question.help.clone()
        };
        self.term.write_line(&line).map_err(Error::Terminal)
    }

    /// Runs one dialoguer prompt, turning Ctrl-C into `Error::Interrupted`.
    fn read<T>(&self, prompt: impl FnOnce(&Term) -> dialoguer::Result<T>) -> Result<T, Error> {
        READING.store(true, Ordering::SeqCst);
        match prompt(&self.term) {
            Ok(value) => {
                READING.store(false, Ordering::SeqCst);
                Ok(value)
            }
            // `READING` stays set after an error: the SIGINT console raised may reach the
            // handler thread only after this returns, and the caller is stopping anyway.
            Err(error) => Err(self.failed(error)),
        }
    }

    fn failed(&self, error: dialoguer::Error) -> Error {
        let dialoguer::Error::IO(error) = error;
        if error.kind() == std::io::ErrorKind::Interrupted {
            // dialoguer hides the cursor while it reads keys; leave the terminal usable.
            let _ = self.term.show_cursor();
            let _ = self.term.write_line("");
            Error::Interrupted
        } else {
            Error::Terminal(error)
        }
    }
}

impl Default for TerminalPrompter {
    fn default() -> Self {
        Self::new(true)
    }
}

impl Prompter for TerminalPrompter {
    fn text(
        &mut self,
        question: &Question,
        default: &str,
        check: &Check<'_>,
    ) -> Result<String, Error> {
        self.help(question)?;
        // Checked inside dialoguer, so a refused reply is asked again with its error and
        // never shown with the accepted mark first.
        let mut input = Input::<String>::with_theme(self.theme())
            .with_prompt(&question.title)
            .allow_empty(true)
            .validate_with(|reply: &String| check(reply));
        if !default.is_empty() {
            input = input.default(default.to_string());
        }
        self.read(|term| input.interact_text_on(term))
    }

    fn select(
        &mut self,
        question: &Question,
        choices: &[&str],
        default: usize,
    ) -> Result<usize, Error> {
        self.help(question)?;
        let select = Select::with_theme(self.theme())
            .with_prompt(&question.title)
            .items(choices)
            .default(default);
        self.read(|term| select.interact_on(term))
    }

    fn multi_select(
        &mut self,
        question: &Question,
        choices: &[&str],
        selected: &[bool],
    ) -> Result<Vec<usize>, Error> {
        self.help(question)?;
        let select = MultiSelect::with_theme(self.theme())
            .with_prompt(format!("{} (space toggles, enter accepts)", question.title))
            .items(choices)
            .defaults(selected);
        self.read(|term| select.interact_on(term))
    }

    fn confirm(&mut self, question: &Question, default: bool) -> Result<bool, Error> {
        self.help(question)?;
        let confirm = Confirm::with_theme(self.theme())
            .with_prompt(&question.title)
            .default(default);
        self.read(|term| confirm.interact_on(term))
    }

    fn error(&mut self, message: &str) -> Result<(), Error> {
        let line = if self.color {
            format!("{} {message}", style("error:").red().bold())
        } else {
            format!("error: {message}")
        };
        self.term.write_line(&line).map_err(Error::Terminal)
    }

    fn note(&mut self, text: &str) -> Result<(), Error> {
        self.term.write_line(text).map_err(Error::Terminal)
    }
}
