//! The real prompts: dialoguer on stderr, so stdout stays for results. Ctrl-C becomes
//! `Error::Interrupted` and the cursor is shown again.

use dialoguer::console::{Term, style};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use super::{Error, Prompter, Question};

/// Asks on the terminal attached to stderr.
pub struct TerminalPrompter {
    term: Term,
    color: bool,
    colorful: ColorfulTheme,
}

impl TerminalPrompter {
    /// A prompter on stderr; `color` follows the printer's colour choice.
    pub fn new(color: bool) -> Self {
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
    fn text(&mut self, question: &Question, default: &str) -> Result<String, Error> {
        self.help(question)?;
        let mut input = Input::<String>::with_theme(self.theme())
            .with_prompt(&question.title)
            .allow_empty(true);
        if !default.is_empty() {
            input = input.default(default.to_string());
        }
        input
            .interact_text_on(&self.term)
            .map_err(|error| self.failed(error))
    }

    fn select(
        &mut self,
        question: &Question,
        choices: &[&str],
        default: usize,
    ) -> Result<usize, Error> {
        self.help(question)?;
        Select::with_theme(self.theme())
            .with_prompt(&question.title)
            .items(choices)
            .default(default)
            .interact_on(&self.term)
            .map_err(|error| self.failed(error))
    }

    fn multi_select(
        &mut self,
        question: &Question,
        choices: &[&str],
        selected: &[bool],
    ) -> Result<Vec<usize>, Error> {
        self.help(question)?;
        MultiSelect::with_theme(self.theme())
            .with_prompt(format!("{} (space toggles, enter accepts)", question.title))
            .items(choices)
            .defaults(selected)
            .interact_on(&self.term)
            .map_err(|error| self.failed(error))
    }

    fn confirm(&mut self, question: &Question, default: bool) -> Result<bool, Error> {
        self.help(question)?;
        Confirm::with_theme(self.theme())
            .with_prompt(&question.title)
            .default(default)
            .interact_on(&self.term)
            .map_err(|error| self.failed(error))
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
