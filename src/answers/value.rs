//! The values an answer can hold, each a type that can only hold a valid value: parsed once
//! at the border (`FromStr`, and `#[serde(try_from)]` for files, packs and `--set`), so the
//! renderer and the rest of the crate take them as they are and never check them again.

use std::borrow::Borrow;
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Deref;
use std::path::Path;
use std::str::FromStr;

use ignore::gitignore::GitignoreBuilder;
use serde::{Deserialize, Serialize};

use super::error::Problem;
use super::versions::{SUPPORTED_MINORS, allowed_minors, matrix_for, parse_minor, python_check};
use crate::lint::Rule;

/// A newtype over `String` whose every value passed `$check`.
macro_rules! text_value {
    ($(#[$meta:meta])* $name:ident, $check:path) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl FromStr for $name {
            type Err = Problem;
            fn from_str(text: &str) -> Result<Self, Problem> {
                $check(text)?;
                Ok(Self(text.to_string()))
            }
        }

        impl TryFrom<String> for $name {
            type Error = Problem;
            fn try_from(text: String) -> Result<Self, Problem> {
                $check(&text)?;
                Ok(Self(text))
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.0)
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

/// A closed set of values named by their serde names (`kebab-case`): the text of a value is
/// never written by hand, and unknown text is an error, never a fallback.
pub(crate) trait Choice: Copy + Serialize + 'static {
    /// Every value, in the order prompts offer them.
    const ALL: &'static [Self];

    /// The value's name in `pybootstrap.toml`, `--set` and the templates.
    fn name(self) -> String {
        match toml::Value::try_from(self) {
            Ok(toml::Value::String(name)) => name,
            _ => unreachable!("a choice serialises as a string"),
        }
    }
}

/// The value of `T` named `text`.
pub(crate) fn parse_choice<T: Choice>(text: &str) -> Result<T, Problem> {
    T::ALL
        .iter()
        .copied()
        .find(|choice| choice.name() == text)
        .ok_or_else(|| Problem::invalid(text, "is not one of the choices"))
}

/// Every name of `T`, for prompts and the key table.
pub(crate) fn choice_names<T: Choice>() -> Vec<String> {
    T::ALL.iter().map(|choice| choice.name()).collect()
}

/// `Choice` plus the `TryFrom<String>` serde reads it through.
macro_rules! choice {
    ($name:ident: $($variant:ident),+) => {
        impl Choice for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];
        }

        impl TryFrom<String> for $name {
            type Error = $crate::answers::Problem;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                $crate::answers::value::parse_choice(&text)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::answers::Problem;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                $crate::answers::value::parse_choice(text)
            }
        }
    };
}
pub(crate) use choice;

/// The format version of `pybootstrap.toml`; this pybootstrap reads `1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Schema(u32);

impl Schema {
    pub const CURRENT: Self = Self(1);
}

impl Default for Schema {
    fn default() -> Self {
        Self::CURRENT
    }
}

impl TryFrom<i64> for Schema {
    type Error = Problem;
    fn try_from(number: i64) -> Result<Self, Problem> {
        if number == 1 {
            Ok(Self::CURRENT)
        } else {
            Err(Problem::invalid(
                number,
                "is not a schema this pybootstrap reads (a newer pybootstrap may have written it)",
            ))
        }
    }
}

impl From<Schema> for i64 {
    fn from(schema: Schema) -> Self {
        i64::from(schema.0)
    }
}

/// A CPython `3.N` version pybootstrap supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PythonMinor(u32);

impl PythonMinor {
    /// `3.minor`, when pybootstrap supports it.
    pub fn new(minor: u32) -> Option<Self> {
        SUPPORTED_MINORS.contains(&minor).then_some(Self(minor))
    }

    /// The `N` of `3.N`.
    pub fn minor(self) -> u32 {
        self.0
    }
}

impl FromStr for PythonMinor {
    type Err = Problem;
    fn from_str(text: &str) -> Result<Self, Problem> {
        let minor =
            parse_minor(text).ok_or_else(|| Problem::invalid(text, "is not of the form `3.N`"))?;
        Self::new(minor).ok_or_else(|| Problem::invalid(text, "is not a supported CPython version"))
    }
}

impl TryFrom<String> for PythonMinor {
    type Error = Problem;
    fn try_from(text: String) -> Result<Self, Problem> {
        text.parse()
    }
}

impl From<PythonMinor> for String {
    fn from(version: PythonMinor) -> Self {
        version.to_string()
    }
}

impl fmt::Display for PythonMinor {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "3.{}", self.0)
    }
}

text_value!(
    /// `python.preferred`: the CPython `3.N` the project states it runs on, which the
    /// bootstrap tries first; the empty string when it states none.
    PreferredPython,
    check_preferred_python
);

impl PreferredPython {
    /// No preference: the newest inside `python.requires` comes first.
    pub fn none() -> Self {
        Self(String::new())
    }

    /// The preferred minor, when there is one.
    pub fn minor(&self) -> Option<PythonMinor> {
        self.0.parse().ok()
    }
}

impl Default for PreferredPython {
    fn default() -> Self {
        Self::none()
    }
}

fn check_preferred_python(text: &str) -> Result<(), Problem> {
    if text.is_empty() {
        Ok(())
    } else {
        text.parse::<PythonMinor>().map(|_| ())
    }
}

/// `python.requires`: a PEP 440 specifier (`>=3.10`, `>=3.9,<3.13`, `~=3.11`) that allows at
/// least one supported CPython minor; kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PythonRequires(String);

impl PythonRequires {
    /// Every supported CPython: `>=3.<oldest supported>`.
    pub fn any_supported() -> Self {
        Self(format!(">=3.{}", SUPPORTED_MINORS.start()))
    }

    /// The range an answers file without `python.requires` meant: its matrix was the
    /// allow-list, so anything from its oldest version on.
    pub fn from_oldest(oldest: PythonMinor) -> Self {
        Self(format!(">={oldest}"))
    }

    /// The supported minors inside the range, oldest first (never empty).
    pub fn minors(&self) -> Vec<u32> {
        allowed_minors(&self.0).unwrap_or_default()
    }

    /// The range as a Python expression over `v = tuple(sys.version_info[:3])`.
    pub fn python_check(&self) -> String {
        python_check(&self.0).unwrap_or_default()
    }

    /// The default CI matrix inside the range.
    pub fn default_matrix(&self) -> PythonVersions {
        matrix_for(&self.minors())
            .into_iter()
            .filter_map(PythonMinor::new)
            .collect::<Vec<_>>()
            .try_into()
            .expect("a valid range holds a supported minor")
    }

    /// Whether 3.`minor` is inside the range.
    pub fn allows(&self, minor: PythonMinor) -> bool {
        self.minors().contains(&minor.minor())
    }
}

impl FromStr for PythonRequires {
    type Err = Problem;
    fn from_str(text: &str) -> Result<Self, Problem> {
        let text = text.trim();
        let minors = allowed_minors(text).map_err(|reason| {
            Problem::invalid(
                text,
                format!("is not a PEP 440 version specifier: {reason}"),
            )
        })?;
        if minors.is_empty() {
            return Err(Problem::invalid(
                text,
                format!(
                    "allows none of the supported CPython versions `3.{}`–`3.{}`",
                    SUPPORTED_MINORS.start(),
                    SUPPORTED_MINORS.end()
                ),
            ));
        }
        python_check(text).map_err(|reason| Problem::invalid(text, reason))?;
        Ok(Self(text.to_string()))
    }
}

impl TryFrom<String> for PythonRequires {
    type Error = Problem;
    fn try_from(text: String) -> Result<Self, Problem> {
        text.parse()
    }
}

impl From<PythonRequires> for String {
    fn from(requires: PythonRequires) -> Self {
        requires.0
    }
}

impl fmt::Display for PythonRequires {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// The Python versions a project accepts: at least one, oldest first, each once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<PythonMinor>", into = "Vec<PythonMinor>")]
pub struct PythonVersions(Vec<PythonMinor>);

impl TryFrom<Vec<PythonMinor>> for PythonVersions {
    type Error = Problem;
    fn try_from(versions: Vec<PythonMinor>) -> Result<Self, Problem> {
        if versions.is_empty() {
            return Err(Problem::Invalid {
                value: "the empty list".to_string(),
                reason: "names no Python version".to_string(),
            });
        }
        for pair in versions.windows(2) {
            if pair[0] == pair[1] {
                return Err(Problem::invalid(pair[1], "is listed twice"));
            }
            if pair[0] > pair[1] {
                return Err(Problem::invalid(
                    pair[1],
                    "is out of order (list the oldest first)",
                ));
            }
        }
        Ok(Self(versions))
    }
}

impl PartialEq<Vec<&str>> for PythonVersions {
    fn eq(&self, other: &Vec<&str>) -> bool {
        self.0.len() == other.len()
            && self
                .0
                .iter()
                .zip(other)
                .all(|(mine, theirs)| mine.to_string() == *theirs)
    }
}

impl From<PythonVersions> for Vec<PythonMinor> {
    fn from(versions: PythonVersions) -> Self {
        versions.0
    }
}

impl Deref for PythonVersions {
    type Target = [PythonMinor];
    fn deref(&self) -> &[PythonMinor] {
        &self.0
    }
}

/// An item of a list answer: parsed like any value; two items with the same `identity` are
/// the same item, listed twice.
pub trait Item: Clone + Serialize + for<'de> Deserialize<'de> + fmt::Display {
    /// Why an empty list is refused, for lists that must name something.
    const EMPTY: Option<&'static str> = None;

    fn identity(&self) -> String {
        self.to_string()
    }
}

/// A list answer whose items are each listed once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<T>", into = "Vec<T>")]
#[serde(bound(deserialize = "T: Item", serialize = "T: Item"))]
pub struct List<T: Item>(Vec<T>);

impl<T: Item> List<T> {
    /// The empty list (for a list that may be empty).
    pub fn empty() -> Self {
        Self(Vec::new())
    }
}

impl<T: Item> TryFrom<Vec<T>> for List<T> {
    type Error = Problem;
    fn try_from(items: Vec<T>) -> Result<Self, Problem> {
        if let (true, Some(reason)) = (items.is_empty(), T::EMPTY) {
            return Err(Problem::Invalid {
                value: "the empty list".to_string(),
                reason: reason.to_string(),
            });
        }
        let mut seen = BTreeSet::new();
        for item in &items {
            if !seen.insert(item.identity()) {
                return Err(Problem::invalid(item, "is listed twice"));
            }
        }
        Ok(Self(items))
    }
}

impl<T: Item + PartialEq<U>, U> PartialEq<Vec<U>> for List<T> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.0.len() == other.len()
            && self
                .0
                .iter()
                .zip(other)
                .all(|(mine, theirs)| mine == theirs)
    }
}

impl<T: Item> From<List<T>> for Vec<T> {
    fn from(list: List<T>) -> Self {
        list.0
    }
}

impl<T: Item> Deref for List<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'a, T: Item> IntoIterator for &'a List<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a PythonVersions {
    type Item = &'a PythonMinor;
    type IntoIter = std::slice::Iter<'a, PythonMinor>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

pub(crate) fn has_control(text: &str) -> bool {
    text.chars()
        .any(|character| character.is_control() || matches!(character, '\u{2028}' | '\u{2029}'))
}

text_value!(
    /// A project name: letters, digits, `.`, `_` and `-`, starting with a letter or digit.
    ProjectName,
    check_name
);

fn check_name(name: &str) -> Result<(), Problem> {
    let mut characters = name.chars();
    let valid_first = characters
        .next()
        .is_some_and(|first| first.is_ascii_alphanumeric());
    let valid_rest = characters
        .all(|character| character.is_ascii_alphanumeric() || matches!(character, '.' | '_' | '-'));
    if name.is_empty() {
        Err(Problem::invalid(name, "is empty"))
    } else if name.len() > 100 {
        Err(Problem::invalid(name, "is longer than 100 characters"))
    } else if !valid_first || !valid_rest {
        Err(Problem::invalid(name, "is not a valid name"))
    } else {
        Ok(())
    }
}

text_value!(
    /// A path relative to the repository root, `/`-separated and normalised, that cannot
    /// leave the repository or touch `.git` (in any case: case-insensitive file systems).
    RepoPath,
    check_repo_path
);

/// The rules of `RepoPath`.
pub(crate) fn check_repo_path(path: &str) -> Result<(), Problem> {
    let reason = if path.is_empty() {
        Some("is empty")
    } else if has_control(path) {
        Some("contains a control character")
    } else if path.contains('\\') {
        Some("contains a backslash (use `/`)")
    } else if path.starts_with('/') {
        Some("is absolute (it must be relative to the repository root)")
    } else if path.contains(':') {
        // `C:foo` and `C:/foo` leave the repository on Windows.
        Some("contains `:` (it could name a drive on Windows)")
    } else if path.split('/').any(|part| part == "..") {
        Some("contains `..` (it must stay inside the repository)")
    } else if path.split('/').any(|part| part.is_empty() || part == ".") {
        Some("is not normalised (no empty or `.` parts, no trailing `/`)")
    } else if path
        .split('/')
        .next()
        .is_some_and(|first| first.eq_ignore_ascii_case(".git"))
    {
        Some("is inside `.git`")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Problem::invalid(path, reason)),
        None => Ok(()),
    }
}

text_value!(
    /// A `RepoPath` the Makefile can name in a rule, where make has no quoting.
    MakePath,
    check_make_path
);

impl AsRef<Path> for RepoPath {
    fn as_ref(&self) -> &Path {
        Path::new(&self.0)
    }
}

impl AsRef<Path> for MakePath {
    fn as_ref(&self) -> &Path {
        Path::new(&self.0)
    }
}

impl Item for MakePath {}

/// Whether make can use `text` as a target or prerequisite: it has no quoting for `:`,
/// `=`, `;`, `%`, `#` or blanks in rule lines.
pub(crate) fn make_safe(text: &str) -> bool {
    !text.is_empty()
        && text.chars().all(|character| {
            character.is_ascii_alphanumeric()
                || matches!(character, '.' | '_' | '-' | '/' | '+' | ',' | '@')
        })
}

fn check_make_path(path: &str) -> Result<(), Problem> {
    check_repo_path(path)?;
    if make_safe(path) {
        Ok(())
    } else {
        Err(Problem::invalid(
            path,
            "cannot be named in a Makefile rule: use letters, digits and `._-/+,@` only",
        ))
    }
}

text_value!(
    /// An extra (PEP 508) or dependency group (PEP 735) name.
    ExtraName,
    check_extra
);

impl Item for ExtraName {
    fn identity(&self) -> String {
        normalise_name(self)
    }
}

fn check_extra(name: &str) -> Result<(), Problem> {
    let valid = !name.is_empty()
        && name.chars().all(|character| {
            character.is_ascii_alphanumeric() || matches!(character, '.' | '_' | '-')
        })
        && name.starts_with(|character: char| character.is_ascii_alphanumeric())
        && name.ends_with(|character: char| character.is_ascii_alphanumeric());
    if valid {
        Ok(())
    } else {
        Err(Problem::invalid(
            name,
            "is not a valid extra or dependency-group name",
        ))
    }
}

text_value!(
    /// A distribution name (PEP 508) on the package index: `pytest`, `ruff`.
    PackageName,
    check_package
);

impl Item for PackageName {
    fn identity(&self) -> String {
        normalise_name(self)
    }
}

fn check_package(name: &str) -> Result<(), Problem> {
    check_extra(name).map_err(|_| {
        Problem::invalid(
            name,
            "is not a distribution name (letters, digits, `.`, `_`, `-`)",
        )
    })
}

/// PEP 503 / PEP 685 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`.
pub(crate) fn normalise_name(name: &str) -> String {
    let mut normalised = String::with_capacity(name.len());
    let mut separator = false;
    for character in name.chars() {
        if matches!(character, '-' | '_' | '.') {
            separator = true;
        } else {
            if separator && !normalised.is_empty() {
                normalised.push('-');
            }
            separator = false;
            normalised.push(character.to_ascii_lowercase());
        }
    }
    normalised
}

text_value!(
    /// A task command: generated files escape it, so shell syntax is allowed, but it is one
    /// line of printable text that the Makefile can hold.
    Command,
    check_command
);

fn check_command(command: &str) -> Result<(), Problem> {
    if command.trim().is_empty() {
        Err(Problem::invalid(command, "is empty"))
    } else if has_control(command) {
        Err(Problem::invalid(
            command,
            "contains a line break or control character",
        ))
    } else if command.ends_with('\\') {
        Err(Problem::invalid(
            command,
            "ends with a backslash, which would continue the Makefile line",
        ))
    } else {
        Ok(())
    }
}

text_value!(
    /// A task that may be absent: a `Command`, or the empty string when the project has no
    /// such task (no linter configured), so the generated files leave it out.
    OptionalCommand,
    check_optional_command
);

impl OptionalCommand {
    /// No task.
    pub fn absent() -> Self {
        Self(String::new())
    }

    /// The command, `None` when the task is absent.
    pub fn command(&self) -> Option<&str> {
        Some(self.0.as_str()).filter(|command| !command.is_empty())
    }
}

fn check_optional_command(command: &str) -> Result<(), Problem> {
    if command.is_empty() {
        Ok(())
    } else {
        check_command(command)
    }
}

text_value!(
    /// A CI runner label (`ubuntu-latest`).
    RunnerLabel,
    check_runner_label
);

impl Item for RunnerLabel {
    const EMPTY: Option<&'static str> = Some("names no runner");
}

impl RunnerLabel {
    /// Whether the label names a Windows runner.
    pub fn is_windows(&self) -> bool {
        self.0.to_ascii_lowercase().starts_with("windows")
    }
}

fn check_runner_label(label: &str) -> Result<(), Problem> {
    let valid = label.starts_with(|character: char| character.is_ascii_alphanumeric())
        && label.chars().all(|character| {
            character.is_ascii_alphanumeric() || matches!(character, '.' | '_' | '-')
        });
    if valid {
        Ok(())
    } else {
        Err(Problem::invalid(label, "is not a valid runner label"))
    }
}

/// An entry of `lint.ignore`: rules, by id in any case (`PB101`, `pb101`) or by a glob over
/// ids (`PB2*`), or a path glob in `.gitignore` syntax (`vendor/**`). `lint` and the answers
/// both read the key through this type, so they accept and refuse the same entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IgnoreEntry {
    /// As written, so a saved file keeps it.
    text: String,
    /// The rules it names; empty for a path glob.
    rules: Vec<Rule>,
}

impl IgnoreEntry {
    /// The rules the entry skips; empty for a path glob.
    pub(crate) fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The path glob the entry skips, `None` for rules.
    pub(crate) fn path_glob(&self) -> Option<&str> {
        self.rules.is_empty().then_some(self.text.as_str())
    }
}

impl Item for IgnoreEntry {
    fn identity(&self) -> String {
        if self.rules.is_empty() {
            self.text.clone()
        } else {
            self.text.to_ascii_uppercase()
        }
    }
}

impl FromStr for IgnoreEntry {
    type Err = Problem;
    fn from_str(text: &str) -> Result<Self, Problem> {
        // `pb101`, `PB1O1` and `PB2*` are meant as rules, not file names: a mistyped id
        // must be an error, never a path glob that silently matches nothing.
        let names_rules = text
            .get(..2)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("pb"))
            && !text.contains(['/', '.']);
        if names_rules {
            let rules = Rule::matching(text);
            if rules.is_empty() {
                let reason = if text.contains(['*', '?']) {
                    "matches no lint rule"
                } else {
                    "is not a lint rule"
                };
                return Err(Problem::invalid(
                    text,
                    format!("{reason}; the rules are {}", Rule::id_list()),
                ));
            }
            return Ok(Self {
                text: text.to_string(),
                rules,
            });
        }
        check_path_glob(text)?;
        Ok(Self {
            text: text.to_string(),
            rules: Vec::new(),
        })
    }
}

fn check_path_glob(glob: &str) -> Result<(), Problem> {
    if glob.trim().is_empty() {
        return Err(Problem::invalid(glob, "is empty"));
    }
    if has_control(glob) {
        return Err(Problem::invalid(glob, "contains a control character"));
    }
    if glob.contains('\\') {
        return Err(Problem::invalid(
            glob,
            "contains a backslash (use `/` in globs)",
        ));
    }
    GitignoreBuilder::new("")
        .add_line(None, glob)
        .map(drop)
        .map_err(|error| {
            let reason = match error {
                ignore::Error::Glob { err, .. } => err,
                other => other.to_string(),
            };
            Problem::invalid(glob, format!("is not a valid path glob: {reason}"))
        })
}

impl TryFrom<String> for IgnoreEntry {
    type Error = Problem;
    fn try_from(text: String) -> Result<Self, Problem> {
        text.parse()
    }
}

impl From<IgnoreEntry> for String {
    fn from(entry: IgnoreEntry) -> Self {
        entry.text
    }
}

impl fmt::Display for IgnoreEntry {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.text)
    }
}

text_value!(
    /// A GitHub Action: `OWNER/REPO`, optionally `/PATH` inside it.
    ActionName,
    check_action_name
);

impl Borrow<str> for ActionName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

fn check_action_name(action: &str) -> Result<(), Problem> {
    let segment_ok = |segment: &str| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment.chars().all(|character| {
                character.is_ascii_alphanumeric() || matches!(character, '.' | '_' | '-')
            })
    };
    let segments: Vec<&str> = action.split('/').collect();
    if segments.len() < 2 || !segments.iter().all(|segment| segment_ok(segment)) {
        return Err(Problem::invalid(
            action,
            "is not an action name of the form `OWNER/REPO`",
        ));
    }
    Ok(())
}

/// An action's pin: a full commit SHA, optionally followed by ` # vX.Y.Z` naming the
/// release, written `"<sha> # v5.0.0"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ActionPin {
    sha: String,
    version: Option<String>,
}

impl ActionPin {
    /// The 40 lowercase hex digits.
    pub fn sha(&self) -> &str {
        &self.sha
    }

    /// The release the comment names (`v5.0.0`), when there is one.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }
}

impl FromStr for ActionPin {
    type Err = Problem;
    fn from_str(reference: &str) -> Result<Self, Problem> {
        let (sha, comment) = match reference.split_once(" # ") {
            Some((sha, comment)) => (sha, Some(comment)),
            None => (reference, None),
        };
        let sha_ok = sha.len() == 40
            && sha
                .bytes()
                .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'));
        let comment_ok = comment.is_none_or(|comment| {
            comment.strip_prefix('v').is_some_and(|version| {
                let parts: Vec<&str> = version.split('.').collect();
                parts.len() <= 3
                    && parts.iter().all(|part| {
                        !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit())
                    })
            })
        });
        if sha_ok && comment_ok {
            Ok(Self {
                sha: sha.to_string(),
                version: comment.map(str::to_string),
            })
        } else {
            Err(Problem::invalid(
                reference,
                "is not pinned to a full commit SHA (`<40 lowercase hex digits>`, optionally ` # vX.Y.Z`)",
            ))
        }
    }
}

impl TryFrom<String> for ActionPin {
    type Error = Problem;
    fn try_from(reference: String) -> Result<Self, Problem> {
        reference.parse()
    }
}

impl From<ActionPin> for String {
    fn from(pin: ActionPin) -> Self {
        pin.to_string()
    }
}

impl fmt::Display for ActionPin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.version {
            Some(version) => write!(formatter, "{} # {version}", self.sha),
            None => formatter.write_str(&self.sha),
        }
    }
}

/// One entry of `ci.actions`, checked as a pair so the message names both.
pub(crate) fn check_action(action: &str, reference: &str) -> Result<(), Problem> {
    check_action_name(action)?;
    reference.parse::<ActionPin>().map(drop).map_err(|_| {
        Problem::invalid(
            format!("{action} = {reference}"),
            "is not pinned to a full commit SHA (`<40 lowercase hex digits>`, optionally ` # vX.Y.Z`)",
        )
    })
}

text_value!(
    /// A package index URL (`https://…/simple`): the team's index, with no credential in it,
    /// since `pybootstrap.toml` and the generated files are committed.
    IndexUrl,
    check_index_url
);

impl Item for IndexUrl {}

fn check_index_url(url: &str) -> Result<(), Problem> {
    let reason = if url.is_empty() {
        Some("is empty")
    } else if has_control(url) || url.contains(char::is_whitespace) {
        Some("contains a blank or control character")
    } else if url.contains(['"', '\'', '`', '$', '\\', '<', '>', '{', '}', '|', '^']) {
        Some("contains a character a URL cannot hold unencoded (`\"'`$\\<>{}|^`)")
    } else if crate::network::url::endpoint(url).is_none() {
        Some("is not an `http://` or `https://` URL with a host")
    } else if let Some(reason) = crate::network::url::credential_in(url) {
        // Redacted: the message may end up in a CI log.
        return Err(Problem::invalid(
            crate::network::url::redact(url),
            format!(
                "{reason}: credentials never go in pybootstrap.toml; give them at run time \
                 (PYBOOTSTRAP_INDEX_USERNAME and PYBOOTSTRAP_INDEX_PASSWORD, .netrc or keyring, \
                 see docs/networks.md)"
            ),
        ));
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Problem::invalid(url, reason)),
        None => Ok(()),
    }
}

text_value!(
    /// `network.index`: an `IndexUrl`, or empty for the tools' own default (PyPI).
    OptionalIndexUrl,
    check_optional_index_url
);

impl OptionalIndexUrl {
    /// No index of the team's: each tool's default.
    pub fn absent() -> Self {
        Self(String::new())
    }

    /// The URL, `None` when unset.
    pub fn url(&self) -> Option<&str> {
        Some(self.0.as_str()).filter(|url| !url.is_empty())
    }
}

fn check_optional_index_url(url: &str) -> Result<(), Problem> {
    if url.is_empty() {
        Ok(())
    } else {
        check_index_url(url)
    }
}

text_value!(
    /// `network.ca_bundle`: a PEM file of CA certificates, relative to the repository root
    /// (`/`-separated, inside it) or absolute (`/etc/…`, `C:/…`; `/` only); empty for none.
    CaBundle,
    check_ca_bundle
);

impl CaBundle {
    /// No bundle: each tool's own trust store.
    pub fn absent() -> Self {
        Self(String::new())
    }

    /// The path as written, `None` when unset.
    pub fn path(&self) -> Option<&str> {
        Some(self.0.as_str()).filter(|path| !path.is_empty())
    }

    /// Whether the path is absolute (used as written) rather than repository-relative.
    pub fn is_absolute(&self) -> bool {
        is_absolute_path(&self.0)
    }
}

fn is_absolute_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || (bytes.len() >= 3
            && bytes[0].is_ascii_alphabetic()
            && bytes[1] == b':'
            && bytes[2] == b'/')
}

fn check_ca_bundle(path: &str) -> Result<(), Problem> {
    if path.is_empty() {
        Ok(())
    } else if has_control(path) {
        Err(Problem::invalid(path, "contains a control character"))
    } else if path.contains(['"', '\'', '`', '$', '\\']) {
        Err(Problem::invalid(
            path,
            "contains a quote, `$` or a backslash, which the generated files cannot pass on safely (use `/`)",
        ))
    } else if is_absolute_path(path) {
        Ok(())
    } else {
        check_repo_path(path)
    }
}

/// A list answer from its items as typed, for tests.
#[cfg(test)]
pub(crate) fn items<T, L>(texts: &[&str]) -> L
where
    T: FromStr<Err = Problem>,
    L: TryFrom<Vec<T>, Error = Problem>,
{
    let items: Vec<T> = texts
        .iter()
        .map(|text| text.parse().expect("a valid item"))
        .collect();
    items.try_into().expect("a valid list")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused<T: FromStr<Err = Problem>>(text: &str) -> bool {
        text.parse::<T>().is_err()
    }

    #[test]
    fn index_urls_refuse_credentials_and_non_urls() {
        assert!(!refused::<IndexUrl>("https://pypi.corp.example/simple/"));
        assert!(!refused::<IndexUrl>("http://127.0.0.1:8080/simple"));
        assert!(!refused::<OptionalIndexUrl>(""));
        assert!(refused::<IndexUrl>(""));
        for bad in [
            "https://user:pass@corp.example/simple",
            "https://__token__@corp.example/simple",
            "https://corp.example/simple?token=abc",
            "corp.example/simple",
            "ftp://corp.example/",
            "https://corp.example/sim ple",
            "https://corp.example/$(id)",
        ] {
            assert!(refused::<OptionalIndexUrl>(bad), "{bad}");
        }
        let message = "https://u:hunter22@corp.example/"
            .parse::<IndexUrl>()
            .expect_err("credential")
            .to_string();
        assert!(message.contains("user name and password"), "{message}");
        assert!(
            message.contains("`https://u:***@corp.example/`"),
            "{message}"
        );
        assert!(message.contains("PYBOOTSTRAP_INDEX_USERNAME"), "{message}");
    }

    #[test]
    fn ca_bundles_are_repository_paths_or_absolute() {
        for good in [
            "",
            "certs/corp-root.pem",
            "/etc/ssl/corp.pem",
            "C:/certs/corp.pem",
        ] {
            assert!(!refused::<CaBundle>(good), "{good}");
        }
        for bad in ["../corp.pem", "certs/$HOME.pem", ".git/ca.pem", "a\nb"] {
            assert!(refused::<CaBundle>(bad), "{bad}");
        }
        assert!(
            "/etc/ssl/corp.pem"
                .parse::<CaBundle>()
                .expect("valid")
                .is_absolute()
        );
        assert!(
            !"certs/corp.pem"
                .parse::<CaBundle>()
                .expect("valid")
                .is_absolute()
        );
    }

    #[test]
    fn versions() {
        for bad in ["3.8", "3.16", "3.12.1", "py3", "3.012"] {
            assert!(refused::<PythonMinor>(bad), "{bad}");
        }
        let minor = |text: &str| text.parse::<PythonMinor>().expect("valid");
        assert_eq!(minor("3.12").to_string(), "3.12");
        for bad in [
            vec![],
            vec![minor("3.12"), minor("3.12")],
            vec![minor("3.13"), minor("3.12")],
        ] {
            assert!(PythonVersions::try_from(bad.clone()).is_err(), "{bad:?}");
        }
        PythonVersions::try_from(vec![minor("3.9"), minor("3.14")]).expect("ordered");
    }

    #[test]
    fn paths_stay_inside_the_repo() {
        for bad in [
            "",
            "/abs",
            "../up",
            "a/../b",
            "a//b",
            "a/",
            "./a",
            ".",
            "a\\b",
            "C:x",
            ".git",
            ".GIT/hooks",
            "a\nb",
            "a\u{7}b",
        ] {
            assert!(refused::<RepoPath>(bad), "{bad:?}");
            assert!(refused::<MakePath>(bad), "{bad:?}");
        }
        for good in [".venv", "envs/py3", ".gitignore-dir", "a/.git"] {
            good.parse::<RepoPath>()
                .unwrap_or_else(|problem| panic!("{good}: {problem:?}"));
            good.parse::<MakePath>()
                .unwrap_or_else(|problem| panic!("{good}: {problem:?}"));
        }
        assert!(refused::<MakePath>("my env"));
        "my env".parse::<RepoPath>().expect("other files can quote");
    }

    #[test]
    fn names_commands_labels() {
        let long = "a".repeat(101);
        for bad in ["", "-lead", "has space", "semi;colon", &long, "é"] {
            assert!(refused::<ProjectName>(bad), "{bad}");
        }
        for bad in ["", "-dev", "dev-", "a b", "x!"] {
            assert!(refused::<ExtraName>(bad), "{bad}");
        }
        for bad in ["", "-pytest", "pytest>=8", "a b", "pytest;rm", "ruff[x]"] {
            assert!(refused::<PackageName>(bad), "{bad}");
        }
        assert_eq!(
            "Zope.Testrunner"
                .parse::<PackageName>()
                .expect("valid")
                .identity(),
            "zope-testrunner"
        );
        for bad in ["", "   ", "a\nb", "a\rb", "a\tb", "a\u{2028}b", "pytest \\"] {
            assert!(refused::<Command>(bad), "{bad:?}");
        }
        for bad in ["", "ubuntu latest", "-x", "${{ matrix.os }}"] {
            assert!(refused::<RunnerLabel>(bad), "{bad}");
        }
    }

    #[test]
    fn lists_refuse_repeats_and_required_emptiness() {
        let extras = |names: &[&str]| -> Result<List<ExtraName>, Problem> {
            names
                .iter()
                .map(|name| name.parse::<ExtraName>().expect("valid"))
                .collect::<Vec<_>>()
                .try_into()
        };
        assert!(extras(&["Dev", "dev"]).is_err(), "normalised names repeat");
        extras(&[]).expect("no extras is fine");
        assert!(List::<RunnerLabel>::try_from(Vec::new()).is_err());
    }

    #[test]
    fn actions_are_pinned_by_sha() {
        let sha = "08c6903cd8c0fde910a37f88322edcfb5dd907a8";
        for good in [
            sha.to_string(),
            format!("{sha} # v5"),
            format!("{sha} # v5.0.0"),
        ] {
            check_action("actions/checkout", &good)
                .unwrap_or_else(|problem| panic!("{good}: {problem:?}"));
            assert_eq!(good.parse::<ActionPin>().expect("valid").to_string(), good);
        }
        for bad in [
            "v5",
            &sha[..39],
            &sha.to_uppercase(),
            &format!("{sha} # 5.0.0"),
            &format!("{sha} # v5.0.0.1"),
            &format!("{sha}  # v5"),
        ] {
            assert!(check_action("actions/checkout", bad).is_err(), "{bad}");
        }
        for bad in ["checkout", "/checkout", "actions/", "actions/../x", "a b/c"] {
            assert!(check_action(bad, sha).is_err(), "{bad}");
        }
        check_action("github/codeql-action/init", sha).expect("a sub-action");
    }

    #[test]
    fn lint_ignores() {
        // Rule ids in any case, as `lint` has always read them; globs over ids.
        let pb2 = Rule::ALL
            .iter()
            .filter(|rule| rule.id().starts_with("PB2"))
            .count();
        for (good, rules) in [
            ("PB101", 1),
            ("pb101", 1),
            ("Pb203", 1),
            ("PB2*", pb2),
            ("docs/**", 0),
            ("*.md", 0),
            ("scripts/legacy.sh", 0),
            ("pbuilder/", 0),
            ("€€", 0),
        ] {
            let entry = good
                .parse::<IgnoreEntry>()
                .unwrap_or_else(|problem| panic!("{good}: {problem:?}"));
            assert_eq!(entry.rules().len(), rules, "{good}");
            assert_eq!(entry.path_glob().is_some(), rules == 0, "{good}");
            assert_eq!(entry.to_string(), good);
        }
        for bad in [
            "PB1",
            "PB999",
            "PB1O1",
            "pb1010",
            "PB9*",
            "",
            " ",
            "a\\b",
            "a\nb",
            "src/[z-a]",
        ] {
            assert!(refused::<IgnoreEntry>(bad), "{bad:?}");
        }
        let problem = "PB999".parse::<IgnoreEntry>().expect_err("unknown");
        assert!(
            problem
                .to_string()
                .starts_with("`PB999` is not a lint rule; the rules are PB101, "),
            "{problem}"
        );
        // The same rule written twice, in two cases, is listed twice.
        assert!(
            List::<IgnoreEntry>::try_from(vec![
                "PB101".parse::<IgnoreEntry>().expect("valid"),
                "pb101".parse::<IgnoreEntry>().expect("valid"),
            ])
            .is_err()
        );
    }

    #[test]
    fn schema_is_one() {
        assert!(Schema::try_from(1).is_ok());
        assert!(Schema::try_from(2).is_err());
    }

    #[test]
    fn python_requires_is_a_pep_440_specifier_set() {
        for valid in [
            ">=3.9",
            ">=3.9,<3.13",
            "~=3.10",
            "==3.12.*",
            ">= 3.10, != 3.11.*",
            ">=3.13.0rc1",
            ">=3.10.post1",
            "==3.12.1+local.7",
        ] {
            let requires: PythonRequires = valid.parse().expect(valid);
            assert_eq!(requires.to_string(), valid);
        }
        for invalid in [
            ">=3.x",
            ">=3.9;rm",
            ">=3.9 rm",
            ">=3.9,<3.x",
            ">=3.",
            ">=3.9.*",
            ">=3.9+local",
            "~=3.*",
            ">=3.9$(id)",
            "3.12",
            ">=4",
        ] {
            assert!(invalid.parse::<PythonRequires>().is_err(), "{invalid}");
        }
    }
}
