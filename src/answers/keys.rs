//! Looking keys up: what a dotted key's entry holds, finding it (and the likely typo), and
//! checking a value for it. Errors, prompts, the saved file's comments and `--set` all
//! read the table; the table itself is defined beside the fields, in `model.rs`.

use std::fmt;

use serde::de::DeserializeOwned;

use super::error::Problem;
use super::model::KEYS;
use super::value::{Choice, check_action, choice_names};

/// The TOML shape a key's value has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Integer,
    String,
    Bool,
    /// An array of strings; `--set` takes it comma-separated.
    List,
    /// A table of strings (`ci.actions`); `--set` sets one entry: `ci.actions.OWNER/REPO=REF`.
    Table,
}

/// One dotted key of `pybootstrap.toml`. The table itself sits beside the fields it
/// describes, in `model.rs`.
#[derive(Clone, Copy)]
pub struct KeyInfo {
    /// The dotted key, exactly as in the file and in `--set`.
    pub key: &'static str,
    /// One line: what the key decides. Used as the comment above the key in the saved file.
    pub help: &'static str,
    pub kind: Kind,
    /// The valid values in words, for error messages and prompts.
    pub values: &'static str,
    /// Reads a value of the right kind as the field's type: where its rules are checked.
    check: fn(&toml::Value) -> Result<(), Problem>,
    /// The closed set of values, from the type's serde names (for lists: the allowed items).
    choices: fn() -> Vec<String>,
}

impl fmt::Debug for KeyInfo {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("KeyInfo")
            .field("key", &self.key)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Deserialises `value` as `T`, turning the type's refusal into a problem with the value.
fn check_as<T: DeserializeOwned>(value: &toml::Value) -> Result<(), Problem> {
    T::deserialize(value.clone())
        .map(drop)
        .map_err(|error| Problem::Detail(error.message().to_string()))
}

fn no_choices() -> Vec<String> {
    Vec::new()
}

impl KeyInfo {
    /// A key whose values are checked by `check`.
    pub(super) const fn new(
        key: &'static str,
        help: &'static str,
        kind: Kind,
        values: &'static str,
        check: fn(&toml::Value) -> Result<(), Problem>,
    ) -> Self {
        Self {
            key,
            help,
            kind,
            values,
            check,
            choices: no_choices,
        }
    }

    /// A key whose field has type `T`, which checks its values.
    pub(super) const fn of<T: DeserializeOwned>(
        key: &'static str,
        help: &'static str,
        kind: Kind,
        values: &'static str,
    ) -> Self {
        Self::new(key, help, kind, values, check_as::<T>)
    }

    /// The key's values (or list items) are the names of `C`.
    pub(super) const fn choices<C: Choice>(self) -> Self {
        Self {
            choices: choice_names::<C>,
            ..self
        }
    }

    /// The names of the key's closed set of values; empty when the set is open.
    pub fn choice_names(&self) -> Vec<String> {
        (self.choices)()
    }

    /// Checks one value for this key: its TOML kind, then the field type's rules.
    pub(crate) fn check(&self, value: &toml::Value) -> Result<(), Problem> {
        let wrong_type = || Problem::WrongType {
            expected: self.kind.expected(),
            found: type_name(value),
        };
        match (self.kind, value) {
            (Kind::Integer, toml::Value::Integer(_))
            | (Kind::String, toml::Value::String(_))
            | (Kind::Bool, toml::Value::Boolean(_)) => {}
            (Kind::List, toml::Value::Array(items)) => {
                if !items.iter().all(toml::Value::is_str) {
                    return Err(Problem::WrongType {
                        expected: "a list of strings",
                        found: "a list holding something else",
                    });
                }
            }
            (Kind::Table, toml::Value::Table(entries)) => {
                for (action, reference) in entries {
                    let reference = reference.as_str().ok_or(Problem::WrongType {
                        expected: "a table of strings",
                        found: "a table holding something else",
                    })?;
                    check_action(action, reference)?;
                }
            }
            _ => return Err(wrong_type()),
        }
        (self.check)(value)
    }

    /// The table the key lives in (`ci` for `ci.os`), `None` for a top-level key.
    pub fn section(&self) -> Option<&'static str> {
        self.key.split_once('.').map(|(section, _)| section)
    }

    /// The key's name inside its table (`os` for `ci.os`).
    pub fn name(&self) -> &'static str {
        self.key.split_once('.').map_or(self.key, |(_, name)| name)
    }
}

impl Kind {
    fn expected(self) -> &'static str {
        match self {
            Self::Integer => "an integer",
            Self::String => "a string",
            Self::Bool => "`true` or `false`",
            Self::List => "a list of strings",
            Self::Table => "a table of strings",
        }
    }
}

/// The TOML type name of a value, for "must be a list, not a string" messages.
pub(crate) fn type_name(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a float",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date-time",
        toml::Value::Array(_) => "a list",
        toml::Value::Table(_) => "a table",
    }
}

/// Every key of `pybootstrap.toml`, in the spec's order.
pub fn keys() -> &'static [KeyInfo] {
    KEYS
}

/// The key table's entry for `key`, `None` when no such key exists. `ci.actions.OWNER/REPO`
/// (one entry of the table) finds `ci.actions`.
pub fn find_key(key: &str) -> Option<&'static KeyInfo> {
    KEYS.iter().find(|info| info.key == key).or_else(|| {
        key.strip_prefix("ci.actions.")
            .filter(|action| !action.is_empty())
            .and_then(|_| KEYS.iter().find(|info| info.key == "ci.actions"))
    })
}

/// Checks one value of a dotted key as found in a file, a pack or `--set` (type and
/// content). `ci.actions.OWNER/REPO` checks one entry of the actions table.
pub(crate) fn check_value(key: &str, value: &toml::Value) -> Result<(), Problem> {
    let info = find_key(key).ok_or_else(|| Problem::invalid(key, "is not a key"))?;
    match key.strip_prefix("ci.actions.") {
        Some(action) => {
            let reference = value.as_str().ok_or(Problem::WrongType {
                expected: "a string",
                found: type_name(value),
            })?;
            check_action(action, reference)
        }
        None => info.check(value),
    }
}

/// Every key, comma-separated in backticks, for "valid keys" hints.
pub(super) fn key_list() -> String {
    let mut keys: Vec<String> = KEYS.iter().map(|info| format!("`{}`", info.key)).collect();
    keys.push("`ci.actions.OWNER/REPO`".to_string());
    keys.join(", ")
}

/// The known key closest in spelling to `key`, when it is close enough to be a likely typo.
pub(super) fn suggest(key: &str) -> Option<&'static str> {
    KEYS.iter()
        .map(|info| (edit_distance(key, info.key), info.key))
        .filter(|(distance, candidate)| *distance <= 3.max(candidate.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance over chars.
fn edit_distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut previous: Vec<usize> = (0..=right.len()).collect();
    for (i, left_char) in left.chars().enumerate() {
        let mut current = vec![i + 1; right.len() + 1];
        for (j, right_char) in right.iter().enumerate() {
            let substitution = previous[j] + usize::from(left_char != *right_char);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[right.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_one_key_and_every_key_a_field() {
        let mut answers = crate::answers::builtin("demo");
        answers.templates = Some("pack".into());
        let toml::Value::Table(tree) = toml::Value::try_from(&answers).expect("serialises") else {
            panic!("answers serialise as a table");
        };
        let mut fields = Vec::new();
        for (name, value) in &tree {
            match value {
                toml::Value::Table(section) => {
                    for field in section.keys() {
                        fields.push(format!("{name}.{field}"));
                    }
                }
                _ => fields.push(name.clone()),
            }
        }
        fields.sort();
        let mut keys: Vec<String> = keys().iter().map(|info| info.key.to_string()).collect();
        keys.sort();
        assert_eq!(fields, keys);
    }

    #[test]
    fn choices_are_the_serde_names_and_the_values_name_them() {
        for info in keys() {
            for choice in info.choice_names() {
                assert!(
                    info.values.contains(&format!("`{choice}`")),
                    "{}: {choice}",
                    info.key
                );
            }
        }
        assert_eq!(
            find_key("deps.source").map(KeyInfo::choice_names),
            Some(vec![
                "requirements".to_string(),
                "pyproject".into(),
                "setuptools".into(),
                "uv-lock".into(),
                "poetry".into(),
                "pdm".into(),
                "pipenv".into(),
                "tox".into(),
                "hatch".into(),
                "none".into()
            ])
        );
    }

    #[test]
    fn every_key_is_found_and_unique() {
        for info in keys() {
            assert_eq!(find_key(info.key).map(|found| found.key), Some(info.key));
            assert_eq!(
                keys().iter().filter(|other| other.key == info.key).count(),
                1
            );
            assert!(!info.help.contains('\n'), "{} help is one line", info.key);
        }
    }

    #[test]
    fn action_entries_find_the_actions_table() {
        assert_eq!(
            find_key("ci.actions.actions/checkout").map(|info| info.key),
            Some("ci.actions")
        );
        assert!(find_key("ci.actions.").is_none());
        assert!(find_key("python.version").is_none());
    }

    #[test]
    fn typos_get_a_suggestion() {
        assert_eq!(suggest("python.version"), Some("python.versions"));
        assert_eq!(suggest("env.backnd"), Some("env.backend"));
        assert_eq!(suggest("completely.different.thing"), None);
    }
}
