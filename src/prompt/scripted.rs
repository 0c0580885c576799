//! A prompter that answers from a list, for tests: it records every question, the default it
//! showed and every error, so a test can check the flow without a terminal.

use std::collections::VecDeque;

use super::{Check, Error, Prompter, Question};

/// One scripted reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Accept the default (Enter).
    Default,
    /// Typed text; for a choice, the choice's name; for several choices, their names
    /// comma-separated (`none` for none); for yes/no, `y` or `n`.
    Text(String),
    /// Ctrl-C.
    Interrupt,
}

impl From<&str> for Reply {
    /// `""` is `Default`, anything else is typed text.
    fn from(text: &str) -> Self {
        if text.is_empty() {
            Self::Default
        } else {
            Self::Text(text.to_string())
        }
    }
}

/// A question as the scripted prompter saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asked {
    pub key: String,
    /// The default shown, as text (`true`/`false` for yes/no, names for choices).
    pub default: String,
    pub choices: Vec<String>,
    pub help: String,
}

/// Replies from a queue, in order; records what was asked.
#[derive(Debug, Clone, Default)]
pub(crate) struct ScriptedPrompter {
    replies: VecDeque<Reply>,
    pub asked: Vec<Asked>,
    pub errors: Vec<String>,
    pub notes: Vec<String>,
}

impl ScriptedPrompter {
    pub(crate) fn new<R: Into<Reply>>(replies: impl IntoIterator<Item = R>) -> Self {
        Self {
            replies: replies.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// The keys asked, in order (a key asked again after an error appears again).
    pub(crate) fn keys(&self) -> Vec<&str> {
        self.asked.iter().map(|asked| asked.key.as_str()).collect()
    }

    /// Replies not used yet.
    pub(crate) fn remaining(&self) -> usize {
        self.replies.len()
    }

    fn next(
        &mut self,
        question: &Question,
        default: String,
        choices: &[&str],
    ) -> Result<Reply, Error> {
        self.asked.push(Asked {
            key: question.key.clone(),
            default,
            choices: choices.iter().map(|choice| (*choice).to_string()).collect(),
            help: question.help.clone(),
        });
        match self.replies.pop_front() {
            Some(Reply::Interrupt) => Err(Error::Interrupted),
            Some(reply) => Ok(reply),
            None => Err(Error::NoReply {
                key: question.key.clone(),
            }),
        }
    }
}

fn not_a_choice(reply: &str) -> Error {
    Error::Terminal(std::io::Error::other(format!(
        "scripted reply `{reply}` is not one of the choices"
    )))
}

impl Prompter for ScriptedPrompter {
    // Replies are checked by `ask`, which records the refusal through `error`.
    fn text(
        &mut self,
        question: &Question,
        default: &str,
        _check: &Check<'_>,
    ) -> Result<String, Error> {
        match self.next(question, default.to_string(), &[])? {
            Reply::Text(text) => Ok(text),
            Reply::Default | Reply::Interrupt => Ok(default.to_string()),
        }
    }

    fn select(
        &mut self,
        question: &Question,
        choices: &[&str],
        default: usize,
    ) -> Result<usize, Error> {
        let shown = choices
            .get(default)
            .copied()
            .unwrap_or_default()
            .to_string();
        match self.next(question, shown, choices)? {
            Reply::Text(name) => choices
                .iter()
                .position(|choice| *choice == name)
                .ok_or_else(|| not_a_choice(&name)),
            Reply::Default | Reply::Interrupt => Ok(default),
        }
    }

    fn multi_select(
        &mut self,
        question: &Question,
        choices: &[&str],
        selected: &[bool],
    ) -> Result<Vec<usize>, Error> {
        let defaults: Vec<usize> = (0..choices.len())
            .filter(|index| selected.get(*index).copied().unwrap_or(false))
            .collect();
        let shown = defaults
            .iter()
            .filter_map(|index| choices.get(*index).copied())
            .collect::<Vec<_>>()
            .join(",");
        match self.next(question, shown, choices)? {
            Reply::Text(names) if names == "none" => Ok(Vec::new()),
            Reply::Text(names) => names
                .split(',')
                .map(|name| {
                    choices
                        .iter()
                        .position(|choice| *choice == name.trim())
                        .ok_or_else(|| not_a_choice(name))
                })
                .collect(),
            Reply::Default | Reply::Interrupt => Ok(defaults),
        }
    }

    fn confirm(&mut self, question: &Question, default: bool) -> Result<bool, Error> {
        match self.next(question, default.to_string(), &["y", "n"])? {
            Reply::Text(text) => match text.to_ascii_lowercase().as_str() {
                "y" | "yes" | "true" => Ok(true),
                "n" | "no" | "false" => Ok(false),
                _ => Err(not_a_choice(&text)),
            },
            Reply::Default | Reply::Interrupt => Ok(default),
        }
    }

    fn error(&mut self, message: &str) -> Result<(), Error> {
        self.errors.push(message.to_string());
        Ok(())
    }

    fn note(&mut self, text: &str) -> Result<(), Error> {
        self.notes.push(text.to_string());
        Ok(())
    }
}
