//! Line edits and how they are applied: a fix replaces, deletes or inserts whole lines, so
//! every line it does not name stays byte for byte, line ending included; inserted lines
//! take the file's own line ending (CRLF stays CRLF).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Fix;
use crate::lint::Position;

/// One change to a file, by 0-based line index into the text's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Edit {
    /// The line's text becomes `text` (its line ending stays).
    Replace { line: usize, text: String },
    /// The line goes, with its line ending.
    Delete { line: usize },
    /// `lines` go before line `before` (the number of lines: at the end).
    Insert { before: usize, lines: Vec<String> },
}

/// What an edit touches: two fixes touching the same place are not applied together (the
/// later one waits for the next round, on the text the first one left).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Place {
    Line(usize),
    Gap(usize),
}

impl Edit {
    fn place(&self) -> Place {
        match self {
            Edit::Replace { line, .. } | Edit::Delete { line } => Place::Line(*line),
            Edit::Insert { before, .. } => Place::Gap(*before),
        }
    }
}

/// `text` with `fixes` applied, in order, skipping a fix that touches a place an earlier one
/// did.
pub(super) fn apply(text: &str, fixes: &[Fix]) -> String {
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let pieces: Vec<(&str, &str)> = text
        .split_inclusive('\n')
        .map(|piece| {
            if let Some(content) = piece.strip_suffix("\r\n") {
                (content, "\r\n")
            } else if let Some(content) = piece.strip_suffix('\n') {
                (content, "\n")
            } else {
                (piece, "")
            }
        })
        .collect();
    let mut used: BTreeSet<Place> = BTreeSet::new();
    let mut replaced: HashMap<usize, String> = HashMap::new();
    let mut deleted: BTreeSet<usize> = BTreeSet::new();
    let mut inserted: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for fix in fixes {
        let places: BTreeSet<Place> = fix.edits.iter().map(Edit::place).collect();
        if places.iter().any(|place| used.contains(place)) {
            continue;
        }
        used.extend(places);
        for edit in &fix.edits {
            match edit {
                Edit::Replace { line, text } => {
                    replaced.insert(*line, text.clone());
                }
                Edit::Delete { line } => {
                    deleted.insert(*line);
                }
                Edit::Insert { before, lines } => {
                    inserted.entry(*before).or_default().extend(lines.clone());
                }
            }
        }
    }
    let mut out = String::with_capacity(text.len() + 256);
    for index in 0..=pieces.len() {
        if let Some(lines) = inserted.get(&index) {
            if index == pieces.len() && pieces.last().is_some_and(|(_, end)| end.is_empty()) {
                out.push_str(eol);
            }
            for line in lines {
                out.push_str(line);
                out.push_str(eol);
            }
        }
        let Some((content, end)) = pieces.get(index) else {
            continue;
        };
        if deleted.contains(&index) {
            continue;
        }
        out.push_str(replaced.get(&index).map_or(*content, String::as_str));
        out.push_str(end);
    }
    out
}

/// The byte offset of 1-based character `column` in `line` (its end when past it).
pub(super) fn byte_of(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line.len(), |(offset, _)| offset)
}

/// The end of the whitespace-delimited token starting at byte `start`.
pub(super) fn token_end(line: &str, start: usize) -> usize {
    line[start..]
        .find(char::is_whitespace)
        .map_or(line.len(), |length| start + length)
}

/// The edits of one fix, built line by line: several changes to one line become one
/// `Replace`.
#[derive(Debug)]
pub(super) struct Builder<'a> {
    lines: &'a [&'a str],
    splices: BTreeMap<usize, Vec<(usize, usize, String)>>,
    deleted: BTreeSet<usize>,
    inserted: BTreeMap<usize, Vec<String>>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(lines: &'a [&'a str]) -> Self {
        Self {
            lines,
            splices: BTreeMap::new(),
            deleted: BTreeSet::new(),
            inserted: BTreeMap::new(),
        }
    }

    /// Replaces bytes `start..end` of line `line` with `with`.
    pub(super) fn splice(&mut self, line: usize, start: usize, end: usize, with: &str) {
        self.splices
            .entry(line)
            .or_default()
            .push((start, end, with.to_string()));
    }

    pub(super) fn insert(&mut self, before: usize, lines: Vec<String>) {
        self.inserted.entry(before).or_default().extend(lines);
    }

    pub(super) fn delete(&mut self, line: usize) {
        self.deleted.insert(line);
    }

    /// Deletes lines `first..=last`, a block of their own; when blank lines stood on both
    /// sides of it, the one after goes too, so no double gap is left.
    pub(super) fn delete_block(&mut self, first: usize, last: usize) {
        for line in first..=last {
            self.delete(line);
        }
        let blank = |index: usize| {
            self.lines
                .get(index)
                .is_some_and(|line| line.trim().is_empty())
        };
        if first > 0 && blank(first - 1) && blank(last + 1) {
            self.delete(last + 1);
        }
    }

    /// Whether line `index` ends with a `\` continuation (`escape`).
    fn continues(&self, index: usize, escape: char) -> bool {
        self.lines
            .get(index)
            .is_some_and(|line| line.trim_end().ends_with(escape))
    }

    /// Removes the shell word at `position` (a flag, a `NAME=value`) with the space before
    /// it. A word alone on its line goes with the line; when that line ended a `\`
    /// continuation, the previous line's `\` goes too, so the command still ends where it
    /// did.
    pub(super) fn remove_word(&mut self, position: Position, escape: char) {
        let index = position.line - 1;
        let Some(line) = self.lines.get(index) else {
            return;
        };
        let start = byte_of(line, position.column);
        let end = token_end(line, start);
        let before = &line[..start];
        let after = &line[end..];
        if before.trim().is_empty() {
            let rest = after.trim();
            if rest == escape.to_string() {
                self.delete(index);
                return;
            }
            if rest.is_empty() {
                self.delete(index);
                if index > 0 && self.continues(index - 1, escape) {
                    let previous = self.lines[index - 1];
                    let kept = previous.trim_end();
                    let kept = kept[..kept.len() - escape.len_utf8()].trim_end();
                    self.splice(index - 1, kept.len(), previous.len(), "");
                }
                return;
            }
            let spaces = after.len() - after.trim_start().len();
            self.splice(index, start, end + spaces, "");
            return;
        }
        let spaces = before.len() - before.trim_end().len();
        self.splice(index, start - spaces, end, "");
    }

    pub(super) fn finish(self) -> Vec<crate::lint::fix::Edit> {
        let mut edits = Vec::new();
        for (line, mut splices) in self.splices {
            if self.deleted.contains(&line) {
                continue;
            }
            let mut text = self.lines[line].to_string();
            splices.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
            for (start, end, with) in splices {
                if start <= end && end <= text.len() {
                    text.replace_range(start..end, &with);
                }
            }
            edits.push(Edit::Replace { line, text });
        }
        edits.extend(self.deleted.into_iter().map(|line| Edit::Delete { line }));
        edits.extend(
            self.inserted
                .into_iter()
                .map(|(before, lines)| Edit::Insert { before, lines }),
        );
        edits
    }
}

/// The indentation of `line`.
pub(super) fn indentation(line: &str) -> &str {
    &line[..line.len() - line.trim_start().len()]
}
