//! A small shell reader: splits script text into simple commands of words (quotes,
//! `\` continuations, `&&`/`||`/`;`/`|` chains, comments, here-documents), keeping the
//! file position of every character so findings point at the exact column.

use super::Position;

/// A line of text a reader keeps (a YAML value line, a Dockerfile argument line), with
/// where it starts in the file.
#[derive(Debug, Clone)]
pub(super) struct SourceLine {
    pub text: String,
    pub line: usize,
    pub column: usize,
}

/// The lines as fragments, for the shell reader.
pub(super) fn fragments(lines: &[SourceLine]) -> Vec<Fragment<'_>> {
    lines
        .iter()
        .map(|line| Fragment {
            text: &line.text,
            line: line.line,
            column: line.column,
        })
        .collect()
}

/// A run of script text and where its first character sits in the file. A script is a list
/// of fragments, one per physical line; the end of a fragment is a newline.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fragment<'a> {
    pub text: &'a str,
    pub line: usize,
    pub column: usize,
}

impl<'a> Fragment<'a> {
    /// Every line of `text` as a fragment, the first on `first_line`, all from column 1.
    pub(super) fn lines(text: &'a str, first_line: usize) -> Vec<Fragment<'a>> {
        text.lines()
            .enumerate()
            .map(|(index, line)| Fragment {
                text: line,
                line: first_line + index,
                column: 1,
            })
            .collect()
    }
}

/// One shell word with its quotes removed, and the file position of each remaining character.
#[derive(Debug, Clone)]
pub(super) struct Word {
    pub text: String,
    positions: Vec<Position>,
    start: Position,
}

impl Word {
    /// Where the word starts (its first character, quote included).
    pub(super) fn start(&self) -> Position {
        self.start
    }

    /// Where the character at byte `offset` of `text` came from.
    pub(super) fn position_at(&self, offset: usize) -> Position {
        let index = self.text[..offset.min(self.text.len())].chars().count();
        self.positions.get(index).copied().unwrap_or(self.start)
    }
}

/// A simple command: the words between two control operators.
#[derive(Debug, Clone, Default)]
pub(super) struct Command {
    pub words: Vec<Word>,
    /// The lines of the here-documents the command reads (`cat > pip.conf <<EOF`).
    pub heredoc: Vec<SourceLine>,
}

/// Splits the fragments into commands. Never fails: odd input gives odd words, not errors.
pub(super) fn commands(fragments: &[Fragment<'_>]) -> Vec<Command> {
    let mut reader = Reader::default();
    for (index, fragment) in fragments.iter().enumerate() {
        reader.fragment(fragment, index + 1 == fragments.len());
    }
    reader.finish()
}

#[derive(Default)]
struct Reader {
    commands: Vec<Command>,
    current: Command,
    word: Option<Word>,
    quote: Quote,
    /// Nesting of `$(`…`)` and `${`…`}` inside the current word.
    depth: usize,
    /// Here-documents opened on the current line: delimiter, whether `<<-`, and the index
    /// of the command reading it.
    pending_heredocs: Vec<(String, bool, usize)>,
    /// The here-document being read.
    heredoc: Option<(String, bool, usize)>,
    /// The previous word was `<<`/`<<-`: the next word is a here-document delimiter.
    expect_delimiter: Option<bool>,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Quote {
    #[default]
    None,
    Single,
    Double,
    Backtick,
}

impl Reader {
    fn fragment(&mut self, fragment: &Fragment<'_>, last: bool) {
        if let Some((delimiter, strip_tabs, owner)) = &self.heredoc {
            let line = if *strip_tabs {
                fragment.text.trim_start_matches('\t')
            } else {
                fragment.text
            };
            if line.trim_end() == delimiter {
                self.heredoc = self.pending_heredocs.pop();
            } else if let Some(command) = self.commands.get_mut(*owner) {
                command.heredoc.push(SourceLine {
                    text: fragment.text.to_string(),
                    line: fragment.line,
                    column: fragment.column,
                });
            }
            return;
        }
        let chars: Vec<char> = fragment.text.chars().collect();
        let mut index = 0;
        let mut continued = false;
        while index < chars.len() {
            let c = chars[index];
            let position = Position {
                line: fragment.line,
                column: fragment.column + index,
            };
            let next = chars.get(index + 1).copied();
            match self.quote {
                Quote::Single => {
                    if c == '\'' {
                        self.quote = Quote::None;
                    } else {
                        self.push(c, position);
                    }
                }
                Quote::Double | Quote::Backtick => {
                    let closing = if self.quote == Quote::Double {
                        '"'
                    } else {
                        '`'
                    };
                    if c == '\\' && index + 1 == chars.len() {
                        continued = true;
                    } else if c == '\\' && next.is_some_and(|n| matches!(n, '"' | '\\' | '$' | '`'))
                    {
                        index += 1;
                        self.push(
                            chars[index],
                            Position {
                                column: position.column + 1,
                                ..position
                            },
                        );
                    } else if c == closing {
                        self.quote = Quote::None;
                    } else {
                        self.push(c, position);
                    }
                }
                Quote::None => {
                    if self.depth > 0 {
                        match c {
                            '(' | '{' => self.depth += 1,
                            ')' | '}' => self.depth -= 1,
                            _ => {}
                        }
                        self.push(c, position);
                        index += 1;
                        continue;
                    }
                    match c {
                        '\\' if index + 1 == chars.len() => continued = true,
                        '\\' => {
                            index += 1;
                            if let Some(&escaped) = chars.get(index) {
                                self.push(
                                    escaped,
                                    Position {
                                        column: position.column + 1,
                                        ..position
                                    },
                                );
                            }
                        }
                        '\'' => {
                            self.start_word(position);
                            self.quote = Quote::Single;
                        }
                        '"' => {
                            self.start_word(position);
                            self.quote = Quote::Double;
                        }
                        '`' => {
                            self.start_word(position);
                            self.quote = Quote::Backtick;
                        }
                        '$' if matches!(next, Some('(' | '{')) => {
                            self.push(c, position);
                            index += 1;
                            self.push(
                                chars[index],
                                Position {
                                    column: position.column + 1,
                                    ..position
                                },
                            );
                            self.depth = 1;
                        }
                        '#' if self.word.is_none() => break,
                        ' ' | '\t' | '\r' => self.end_word(),
                        ';' | '&' | '|' | '(' | ')' => {
                            self.end_word();
                            self.end_command();
                        }
                        '<' if next == Some('<') && chars.get(index + 2) != Some(&'<') => {
                            self.end_word();
                            index += 2;
                            let strip = chars.get(index) == Some(&'-');
                            if strip {
                                index += 1;
                            }
                            self.expect_delimiter = Some(strip);
                            continue;
                        }
                        '<' | '>' => {
                            self.end_word();
                            // A redirection target is not an argument of the command.
                            self.push_redirection(&chars, &mut index);
                            continue;
                        }
                        _ => self.push(c, position),
                    }
                }
            }
            index += 1;
        }
        if continued {
            return;
        }
        if self.quote == Quote::None && self.depth == 0 {
            self.end_word();
            self.end_command();
            if !self.pending_heredocs.is_empty() {
                self.pending_heredocs.reverse();
                self.heredoc = self.pending_heredocs.pop();
            }
        } else if self.quote == Quote::Single || self.quote == Quote::Double {
            if last {
                self.end_word();
            } else if let Some(word) = &mut self.word {
                // A newline inside quotes is part of the word.
                word.text.push('\n');
                word.positions.push(Position {
                    line: fragment.line,
                    column: fragment.column + chars.len(),
                });
            }
        }
    }

    fn push_redirection(&mut self, chars: &[char], index: &mut usize) {
        while *index < chars.len() && matches!(chars[*index], '<' | '>' | '&' | '|') {
            *index += 1;
        }
        while *index < chars.len() && matches!(chars[*index], ' ' | '\t') {
            *index += 1;
        }
        let mut quote = None;
        while *index < chars.len() {
            let c = chars[*index];
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '\'' || c == '"' => quote = Some(c),
                None if matches!(c, ' ' | '\t' | ';' | '&' | '|' | ')') => break,
                None => {}
            }
            *index += 1;
        }
    }

    fn start_word(&mut self, position: Position) {
        if self.word.is_none() {
            // Room for a usual word at once: grown a character at a time, the two buffers
            // were reallocated several times a word.
            self.word = Some(Word {
                text: String::with_capacity(24),
                positions: Vec::with_capacity(24),
                start: position,
            });
        }
    }

    fn push(&mut self, c: char, position: Position) {
        self.start_word(position);
        if let Some(word) = &mut self.word {
            word.text.push(c);
            word.positions.push(position);
        }
    }

    fn end_word(&mut self) {
        if let Some(word) = self.word.take() {
            if let Some(strip) = self.expect_delimiter.take() {
                let owner = self.commands.len();
                self.pending_heredocs.push((word.text, strip, owner));
            } else {
                self.current.words.push(word);
            }
        }
    }

    fn end_command(&mut self) {
        if !self.current.words.is_empty() {
            self.commands.push(std::mem::take(&mut self.current));
        }
    }

    fn finish(mut self) -> Vec<Command> {
        self.end_word();
        self.end_command();
        self.commands
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        commands(&Fragment::lines(script, 1))
            .into_iter()
            .map(|command| command.words.into_iter().map(|word| word.text).collect())
            .collect()
    }

    #[test]
    fn splits_chains_and_continuations() {
        assert_eq!(
            words("apt-get update && \\\n  pip install 'a b' \"c\"; echo x # pip install y\n"),
            vec![
                vec!["apt-get", "update"],
                vec!["pip", "install", "a b", "c"],
                vec!["echo", "x"],
            ]
        );
    }

    #[test]
    fn keeps_positions_across_lines() {
        let commands = commands(&Fragment::lines("a \\\n  pip install --user x", 3));
        let user = &commands[0].words[3];
        assert_eq!(user.text, "--user");
        assert_eq!(
            user.start(),
            Position {
                line: 4,
                column: 15
            }
        );
    }

    #[test]
    fn skips_here_documents_and_redirections() {
        assert_eq!(
            words("cat > f <<'EOF'\npip install --user x\nEOF\nls\n"),
            vec![vec!["cat"], vec!["ls"]]
        );
    }

    #[test]
    fn keeps_substitutions_in_one_word() {
        assert_eq!(
            words("\"$(VENV)/bin/python\" -m pip install -r \"${dir}/r.txt\""),
            vec![vec![
                "$(VENV)/bin/python",
                "-m",
                "pip",
                "install",
                "-r",
                "${dir}/r.txt"
            ]]
        );
    }
}
