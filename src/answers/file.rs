//! `pybootstrap.toml`: checking its text (every problem named by file, line and key),
//! rendering the commented file `init` writes, and updating a saved file for `--set` with its
//! comments and layout kept (toml_edit).

use std::path::{Path, PathBuf};

use toml_edit::TableLike;

use super::Answers;
use super::error::{Error, Location};
use super::keys::check_value;
use super::keys::{self, Kind};
use super::resolve::value_of;
use crate::project::files::line_of;

/// A loaded, per-key validated `pybootstrap.toml`. Keys it leaves out fall back to the layers
/// below it when resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved {
    pub path: PathBuf,
    pub text: String,
    pub table: toml::Table,
    /// The keys, each checked and located: read once, when the file is.
    entries: Vec<Entry>,
}

impl Saved {
    /// The file's keys, each checked and located, in the file's order.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The `templates` key: the pack this repo uses, as written (relative to the repo or
    /// absolute); `None` for the built-in templates.
    pub fn templates(&self) -> Option<&str> {
        self.table
            .get("templates")
            .and_then(toml::Value::as_str)
            .filter(|path| !path.is_empty())
    }
}

/// One key's value from a file or a pack, with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// The dotted key; one `ci.actions.OWNER/REPO` entry per action.
    pub key: String,
    pub value: toml::Value,
    pub at: Location,
}

/// Checks the text of a `pybootstrap.toml` read from `path`.
pub fn parse_saved(path: &Path, text: String) -> Result<Saved, Error> {
    // Both parsers must accept the file: `toml` reads it, `toml_edit` later updates it
    // (and locates each key for the errors).
    let (entries, table) = {
        let document = toml_edit::Document::parse(text.as_str())
            .map_err(|error| syntax_error(path, &text, error.span(), error.message()))?;
        let table = toml::from_str::<toml::Table>(&text)
            .map_err(|error| syntax_error(path, &text, error.span(), error.message()))?;
        let locate = |keys: &[&str]| Location::File {
            path: path.to_path_buf(),
            line: line_for(&document, &text, keys),
        };
        if !table.contains_key("schema") {
            return Err(Error::MissingSchema { at: locate(&[]) });
        }
        (flatten(&table, &locate)?, table)
    };
    Ok(Saved {
        path: path.to_path_buf(),
        text,
        table,
        entries,
    })
}

fn syntax_error(
    path: &Path,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> Error {
    Error::Syntax {
        at: Location::File {
            path: path.to_path_buf(),
            line: span.map(|span| line_of(text, span.start)),
        },
        message: message.trim().to_string(),
    }
}

/// The line of the innermost key of `path` that exists in the document.
fn line_for(document: &toml_edit::Document<&str>, text: &str, path: &[&str]) -> Option<usize> {
    let mut table: &dyn TableLike = document.as_table();
    let mut line = None;
    for name in path {
        let Some((key, item)) = table.get_key_value(name) else {
            return line;
        };
        if let Some(span) = key.span().or_else(|| item.span()) {
            line = Some(line_of(text, span.start));
        }
        match item.as_table_like() {
            Some(inner) => table = inner,
            None => return line,
        }
    }
    line
}

/// Splits a table shaped like `pybootstrap.toml` into checked dotted-key entries. Unknown
/// keys, wrong types and bad values are errors located by `locate`.
pub(crate) fn flatten(
    table: &toml::Table,
    locate: &dyn Fn(&[&str]) -> Location,
) -> Result<Vec<Entry>, Error> {
    let mut entries = Vec::new();
    walk(table, &mut Vec::new(), locate, &mut entries)?;
    Ok(entries)
}

fn walk<'a>(
    table: &'a toml::Table,
    path: &mut Vec<&'a str>,
    locate: &dyn Fn(&[&str]) -> Location,
    entries: &mut Vec<Entry>,
) -> Result<(), Error> {
    for (name, value) in table {
        path.push(name);
        let dotted = path.join(".");
        let info = keys::keys().iter().find(|info| info.key == dotted);
        let is_section = keys::keys().iter().any(|info| {
            info.key
                .strip_prefix(dotted.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
        });
        match (info, value) {
            (Some(info), toml::Value::Table(actions)) if info.kind == Kind::Table => {
                for (action, reference) in actions {
                    path.push(action);
                    let key = format!("{dotted}.{action}");
                    check_value(&key, reference)
                        .map_err(|problem| problem.at(&key, locate(path)))?;
                    entries.push(Entry {
                        key,
                        value: reference.clone(),
                        at: locate(path),
                    });
                    path.pop();
                }
            }
            (Some(info), value) => {
                check_value(info.key, value)
                    .map_err(|problem| problem.at(info.key, locate(path)))?;
                entries.push(Entry {
                    key: dotted,
                    value: value.clone(),
                    at: locate(path),
                });
            }
            (None, toml::Value::Table(inner)) if is_section => walk(inner, path, locate, entries)?,
            (None, other) if is_section => {
                return Err(Error::WrongType {
                    at: locate(path),
                    key: dotted,
                    expected: "a table",
                    found: super::keys::type_name(other),
                });
            }
            (None, _) => {
                return Err(Error::UnknownKey {
                    at: locate(path),
                    key: dotted,
                });
            }
        }
        path.pop();
    }
    Ok(())
}

/// A value as TOML source (`"text"`, `["a", "b"]`, `true`), quoted and escaped by toml_edit.
fn source_of(value: &toml::Value) -> String {
    edit_value(value).to_string()
}

fn edit_value(value: &toml::Value) -> toml_edit::Value {
    match value {
        toml::Value::String(text) => toml_edit::Value::from(text.as_str()),
        toml::Value::Integer(number) => toml_edit::Value::from(*number),
        toml::Value::Float(number) => toml_edit::Value::from(*number),
        toml::Value::Boolean(flag) => toml_edit::Value::from(*flag),
        toml::Value::Datetime(datetime) => toml_edit::Value::from(datetime.to_string()),
        toml::Value::Array(items) => {
            toml_edit::Value::Array(items.iter().map(edit_value).collect())
        }
        toml::Value::Table(entries) => {
            let mut inline = toml_edit::InlineTable::new();
            for (key, entry) in entries {
                inline.insert(key, edit_value(entry));
            }
            toml_edit::Value::InlineTable(inline)
        }
    }
}

/// What the rendered file says where `templates` would be, when it is unset.
const TEMPLATES_PLACEHOLDER: &str = "# templates = \"path/to/pack\"\n";

fn comment(help: &str) -> String {
    format!("# {help}\n")
}

/// The commented `pybootstrap.toml` that `init` writes: `schema` first, then one table per
/// section in the spec's order, every key under a one-line comment saying what it decides.
pub fn render_file(answers: &Answers) -> String {
    render_keys(answers, keys::keys())
}

/// `render_file` over `keys`, so a test can put a key anywhere in its section.
fn render_keys(answers: &Answers, keys: &[keys::KeyInfo]) -> String {
    let mut out = String::from(
        "# pybootstrap.toml: the answers this repository's Python bootstrap is generated from.\n\
         # Edit it by hand (or with `pybootstrap regen --set KEY=VALUE`), then run\n\
         # `pybootstrap regen` to re-render the generated files from it.\n",
    );
    let info = |key: &str| keys::find_key(key).map_or("", |info| info.help);
    out.push('\n');
    out.push_str(&comment(info("schema")));
    out.push_str("schema = 1\n");
    out.push('\n');
    out.push_str(&comment(info("templates")));
    match &answers.templates {
        Some(path) => out.push_str(&format!(
            "templates = {}\n",
            source_of(&toml::Value::String(path.clone()))
        )),
        None => out.push_str(TEMPLATES_PLACEHOLDER),
    }
    let mut sections: Vec<&str> = Vec::new();
    for section in keys.iter().filter_map(keys::KeyInfo::section) {
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    for section in sections {
        out.push_str(&format!("\n[{section}]\n"));
        let (tables, plain): (Vec<&keys::KeyInfo>, Vec<_>) = keys
            .iter()
            .filter(|key| key.section() == Some(section))
            .partition(|key| key.kind == Kind::Table);
        for key in plain {
            if let Some(value) = value_of(answers, key.key) {
                out.push_str(&comment(key.help));
                out.push_str(&format!("{} = {}\n", key.name(), source_of(&value)));
            }
        }
        // A sub-table's header ends the section's own keys: every plain key is above it.
        for key in tables {
            let Some(toml::Value::Table(entries)) = value_of(answers, key.key) else {
                continue;
            };
            out.push('\n');
            out.push_str(&comment(key.help));
            out.push_str(&format!("[{section}.{}]\n", key.name()));
            for (name, value) in &entries {
                out.push_str(&format!(
                    "{} = {}\n",
                    toml_edit::Key::new(name.as_str()),
                    source_of(value)
                ));
            }
        }
    }
    out
}

/// The saved file's text with `sets` applied: values replaced in place (their comments and
/// the file's layout kept), missing keys and tables added with their help comment.
pub fn update_file(saved_text: &str, sets: &[super::Assignment]) -> Result<String, Error> {
    let path = PathBuf::from("pybootstrap.toml");
    let mut document = saved_text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|error| syntax_error(&path, saved_text, error.span(), error.message()))?;
    for set in sets {
        let segments: Vec<&str> = match set.key.strip_prefix("ci.actions.") {
            Some(action) => vec!["ci", "actions", action],
            None => set.key.split('.').collect(),
        };
        let at = Location::File {
            path: path.clone(),
            line: None,
        };
        if set.key == "templates" {
            if set.value.as_str() == Some("") {
                document.as_table_mut().remove("templates");
                continue;
            }
            if !document.as_table().contains_key("templates") {
                insert_templates(&mut document, edit_value(&set.value));
                continue;
            }
        }
        let help = keys::find_key(&set.key).map_or("", |info| info.help);
        let help = if set.key.starts_with("ci.actions.") {
            ""
        } else {
            help
        };
        set_path(
            document.as_table_mut(),
            &segments,
            edit_value(&set.value),
            help,
        )
        .map_err(|(expected, found)| Error::WrongType {
            at: at.clone(),
            key: set.key.clone(),
            expected,
            found,
        })?;
    }
    let updated = document.to_string();
    // The result must load again, exactly as `regen` will read it.
    parse_saved(&path, updated.clone())?;
    Ok(updated)
}

/// Adds `templates` where the rendered file shows its commented-out placeholder (which it
/// replaces), else after the document's other top-level keys.
fn insert_templates(document: &mut toml_edit::DocumentMut, value: toml_edit::Value) {
    let help = comment(keys::find_key("templates").map_or("", |info| info.help));
    // With the blank line before it, so the key takes the placeholder's place exactly.
    let placeholder = format!("\n{help}{TEMPLATES_PLACEHOLDER}");
    let mut replaced = false;
    for (_, item) in document.as_table_mut().iter_mut() {
        let Some(table) = item.as_table_mut() else {
            continue;
        };
        let prefix = table
            .decor()
            .prefix()
            .and_then(|prefix| prefix.as_str())
            .unwrap_or_default()
            .to_string();
        if prefix.contains(&placeholder) {
            table
                .decor_mut()
                .set_prefix(prefix.replacen(&placeholder, "", 1));
            replaced = true;
            break;
        }
    }
    let root = document.as_table_mut();
    root.insert("templates", toml_edit::Item::Value(value));
    if let Some(mut key) = root.key_mut("templates") {
        let prefix = if replaced { format!("\n{help}") } else { help };
        key.leaf_decor_mut().set_prefix(prefix);
    }
}

/// Sets `segments` (a key path) in `table`; `Err` says what was expected and what stood in
/// the way.
fn set_path(
    table: &mut dyn TableLike,
    segments: &[&str],
    value: toml_edit::Value,
    help: &str,
) -> Result<(), (&'static str, &'static str)> {
    let Some((first, rest)) = segments.split_first() else {
        return Ok(());
    };
    if rest.is_empty() {
        match table.get_mut(first) {
            Some(toml_edit::Item::Value(existing)) => {
                let decor = existing.decor().clone();
                *existing = value;
                *existing.decor_mut() = decor;
            }
            Some(toml_edit::Item::None) | None => {
                table.insert(first, toml_edit::Item::Value(value));
                if !help.is_empty()
                    && let Some(mut key) = table.key_mut(first)
                {
                    key.leaf_decor_mut().set_prefix(comment(help));
                }
            }
            Some(_) => return Err(("a value", "a table")),
        }
        return Ok(());
    }
    if table.get(first).is_none() {
        let mut inner = toml_edit::Table::new();
        inner.decor_mut().set_prefix("\n");
        table.insert(first, toml_edit::Item::Table(inner));
    }
    match table
        .get_mut(first)
        .and_then(toml_edit::Item::as_table_like_mut)
    {
        Some(inner) => set_path(inner, rest, value, help),
        None => Err(("a table", "a value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{Assignment, builtin, parse_set};

    fn sample() -> Answers {
        let mut answers = builtin("demo-project");
        answers.project.name = "demo".parse().expect("valid");
        answers
    }

    fn roundtrip(answers: &Answers) -> Answers {
        let text = render_file(answers);
        let saved = parse_saved(Path::new("pybootstrap.toml"), text.clone())
            .unwrap_or_else(|error| panic!("{error}\n{text}"));
        let mut rebuilt = builtin("other");
        for entry in saved.entries() {
            rebuilt = crate::answers::with_value(&rebuilt, &entry.key, &entry.value)
                .unwrap_or_else(|problem| panic!("{problem:?}"));
        }
        rebuilt
    }

    const HOSTILE: &[&str] = &[
        "pytest \"$@\" 'single' `backtick` $(rm -rf /) ; echo > /etc/passwd",
        "ruff check . # not a comment",
        "echo '''triple''' \"\"\"double\"\"\" \\\\ back\\slash",
        "unicode: été ✓ 😀 \u{200b}zero-width",
        "make -j4 && exit 1 || true | cat <in >out 2>&1 &",
        "%PATH% ${{ github.token }} {{ tera }} {% raw %} $$ @echo",
    ];

    #[test]
    fn render_then_load_gives_the_same_answers() {
        let answers = sample();
        assert_eq!(roundtrip(&answers), answers);
        let parsed: Answers = toml::from_str(&render_file(&answers)).expect("deserialises");
        assert_eq!(parsed, answers);
    }

    /// A key added after the last plain key of `[ci]` (here `ci.pep668_job` moved first, so
    /// the others follow it) is still written above the `[ci.actions]` header.
    #[test]
    fn a_sections_plain_keys_come_before_its_tables_in_any_key_order() {
        let mut reordered = keys::keys().to_vec();
        let at = reordered
            .iter()
            .position(|info| info.key == "ci.pep668_job")
            .expect("a ci key");
        let moved = reordered.remove(at);
        let first = reordered
            .iter()
            .position(|info| info.section() == Some("ci"))
            .expect("a ci key");
        reordered.insert(first, moved);
        let answers = sample();
        let text = render_keys(&answers, &reordered);
        let parsed: Answers =
            toml::from_str(&text).unwrap_or_else(|error| panic!("{error}\n{text}"));
        assert_eq!(parsed, answers, "{text}");
    }

    #[test]
    fn hostile_strings_survive_the_file() {
        for text in HOSTILE {
            let mut answers = sample();
            answers.tasks.test = text.parse().expect("valid");
            answers.tasks.lint = format!("{text}{text}").parse().expect("valid");
            answers.docs.path = "docs/é ✓/[x] \"quoted\" 'x' $y #z.md"
                .parse()
                .expect("valid");
            answers.lint.ignore = crate::answers::items(&["PB101", "**/\"we'ird\" #.sh"]);
            answers.templates = Some(format!("/abs/{text}"));
            answers.ci.os = crate::answers::items(&["ubuntu-24.04", "macos_15.arm64"]);
            answers.deps.extras = crate::answers::items(&["dev", "Test.Extra_1"]);
            answers.ci.actions.insert(
                "github/codeql-action/init".parse().expect("valid"),
                "0123456789abcdef0123456789abcdef01234567"
                    .parse()
                    .expect("valid"),
            );
            crate::answers::validate(&answers).expect("valid answers");
            assert_eq!(roundtrip(&answers), answers, "{text}");
        }
    }

    fn load_text(text: &str) -> Result<Saved, Error> {
        parse_saved(Path::new("/repo/pybootstrap.toml"), text.to_string())
    }

    fn located(error: &Error) -> (Option<usize>, Option<&str>) {
        let line = match error {
            Error::Syntax { at, .. }
            | Error::UnknownKey { at, .. }
            | Error::WrongType { at, .. }
            | Error::InvalidValue { at, .. }
            | Error::MissingSchema { at }
            | Error::Fixed { at, .. } => match at {
                Location::File { line, .. } => *line,
                _ => None,
            },
            _ => None,
        };
        (line, error.key())
    }

    #[test]
    fn broken_files_name_file_line_and_key() {
        let cases: &[(&str, Option<usize>, Option<&str>)] = &[
            (
                "schema = 1\n[python]\nversions = [\"3.12\"\n",
                Some(3),
                None,
            ),
            (
                "schema = 1\n\n[pyhton]\nversions = []\n",
                Some(3),
                Some("pyhton"),
            ),
            (
                "schema = 1\n[python]\nversion = [\"3.12\"]\n",
                Some(3),
                Some("python.version"),
            ),
            (
                "schema = 1\n[python]\nversions = \"3.12\"\n",
                Some(3),
                Some("python.versions"),
            ),
            (
                "schema = 1\n[python]\n\nversions = [\"3.8\"]\n",
                Some(4),
                Some("python.versions"),
            ),
            (
                "schema = 1\n[python]\nversions = [\"3.13\", \"3.12\"]\n",
                Some(3),
                Some("python.versions"),
            ),
            (
                "schema = 1\n[env]\nbackend = \"conda\"\n",
                Some(3),
                Some("env.backend"),
            ),
            ("schema = 1\nenv.dir = \"../x\"\n", Some(2), Some("env.dir")),
            ("schema = 1\nci = { os = [] }\n", Some(2), Some("ci.os")),
            (
                "schema = 1\n[ci.actions]\n\"actions/checkout\" = \"v5\"\n",
                Some(3),
                Some("ci.actions.actions/checkout"),
            ),
            (
                "schema = 1\n[tasks]\ntest = \"a\\nb\"\n",
                Some(3),
                Some("tasks.test"),
            ),
            ("schema = 1\nproject = \"x\"\n", Some(2), Some("project")),
            ("schema = 2\n", Some(1), Some("schema")),
            ("[project]\nname = \"x\"\n", None, Some("schema")),
        ];
        for (text, line, key) in cases {
            let error = load_text(text).expect_err(text);
            assert_eq!(located(&error), (*line, *key), "{text}\n{error}");
            let message = error.to_string();
            assert!(message.starts_with("/repo/pybootstrap.toml"), "{message}");
        }
        let error = load_text("schema = 1\n[env]\nbackend = \"conda\"\n").expect_err("bad");
        assert_eq!(
            error.to_string(),
            "/repo/pybootstrap.toml:3: `env.backend`: `conda` is not one of the choices (valid: `venv`, `uv` or `virtualenv`)"
        );
    }

    #[test]
    fn a_partial_file_loads() {
        let saved = load_text("schema = 1\n[ci]\nproviders = []\n").expect("valid");
        assert_eq!(saved.templates(), None);
    }

    #[test]
    fn update_keeps_comments_and_layout() {
        let text = "# my own header\nschema = 1\n\n[python]\n# keep me\nversions = [\"3.12\"] # trailing\n\n[ci]\nos = [\"ubuntu-latest\"]\n";
        let sets: Vec<Assignment> = [
            "python.versions=3.13,3.12",
            "ci.pep668_job=false",
            "ci.actions.actions/checkout=08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
            "env.backend=uv",
        ]
        .iter()
        .map(|set| parse_set(set).expect("valid set"))
        .collect();
        let updated = update_file(text, &sets).expect("updates");
        println!("{updated}");
        assert!(updated.starts_with("# my own header\nschema = 1\n\n[python]\n# keep me\nversions = [\"3.12\", \"3.13\"] # trailing\n"), "{updated}");
        assert!(updated.contains("os = [\"ubuntu-latest\"]\n"), "{updated}");
        assert!(updated.contains("pep668_job = false"), "{updated}");
        let saved = load_text(&updated).expect("still valid");
        assert_eq!(saved.table["env"]["backend"].as_str(), Some("uv"));
        assert_eq!(
            saved.table["ci"]["actions"]["actions/checkout"].as_str(),
            Some("08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0")
        );
    }

    #[test]
    fn update_a_rendered_file_changes_only_the_line() {
        let text = render_file(&sample());
        let sets = [
            parse_set("env.dir=.env").expect("valid"),
            parse_set("templates=../pack").expect("valid"),
        ];
        let updated = update_file(&text, &sets).expect("updates");
        let changed: Vec<_> = text
            .lines()
            .zip(updated.lines())
            .filter(|(before, after)| before != after)
            .collect();
        assert!(
            changed.contains(&("dir = \".venv\"", "dir = \".env\"")),
            "{updated}"
        );
        assert_eq!(text.lines().count(), updated.lines().count(), "{updated}");
        assert!(
            updated.contains("schema = 1\n\n# Team template pack"),
            "{updated}"
        );
        assert!(
            updated.contains("built-in templates.\ntemplates = \"../pack\"\n\n[project]"),
            "{updated}"
        );
        assert!(!updated.contains(TEMPLATES_PLACEHOLDER), "{updated}");
        let unset =
            update_file(&updated, &[parse_set("templates=").expect("valid")]).expect("updates");
        assert!(!unset.contains("templates = "), "{unset}");
        assert!(load_text(&unset).expect("valid").templates().is_none());
    }

    /// A key added to a section with sub-tables goes into the section's own table, before
    /// the sub-tables' headers, whether the file spells `[ci]` out or only `[ci.actions]`.
    #[test]
    fn a_missing_key_lands_in_its_own_table_not_in_a_sub_table() {
        let actions = "[ci.actions]\n\"actions/checkout\" = \"08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0\"\n";
        let texts = [
            render_file(&sample()).replace("pep668_job = true\n", ""),
            format!("schema = 1\n\n{actions}"),
            format!("schema = 1\nci.os = [\"ubuntu-latest\"]\n\n{actions}"),
        ];
        for text in texts {
            let updated = update_file(&text, &[parse_set("ci.pep668_job=false").expect("valid")])
                .expect("updates");
            let header = updated.find("[ci.actions]").expect("actions table");
            let key = updated.find("pep668_job = false").expect("key written");
            assert!(key < header, "{updated}");
            let saved = load_text(&updated).expect("still valid");
            assert_eq!(saved.table["ci"]["pep668_job"].as_bool(), Some(false));
        }
    }

    #[test]
    fn update_refuses_a_table_where_a_value_goes() {
        let error = update_file(
            "schema = 1\n[env.backend]\nx = 1\n",
            &[parse_set("env.backend=uv").expect("valid")],
        )
        .expect_err("conflict");
        assert_eq!(error.key(), Some("env.backend"));
        assert!(update_file("schema = ", &[]).is_err());
    }
}
