//! The layered resolution: built-in defaults < what `detect` found < what the repo says < the
//! pack's defaults < the saved `pybootstrap.toml` < `--set`, into one validated `Answers`,
//! remembering where each answer came from.

use std::collections::BTreeMap;
use std::fmt;

use super::Answers;
use super::defaults::builtin;
use super::error::{Error, Location, Problem};
use super::file::{Entry, Saved, flatten};
use super::infer::infer;
use super::keys;
use super::set::Assignment;
use super::validate::validate;
use super::value::{List, PackageName, PythonMinor, PythonRequires};
use crate::project::Project;

/// What `detect` found on this machine that the answers care about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Detected {
    /// The `3.N` of the Python a user reaches first (`3.11`; a patch is tolerated).
    pub python_version: Option<String>,
    /// Whether `uv` is on `PATH`.
    pub uv_available: bool,
}

/// A team template pack's say in the answers.
#[derive(Debug, Clone, Copy)]
pub struct Pack<'a> {
    pub name: &'a str,
    /// `[defaults]` of `pack.toml`, shaped like `pybootstrap.toml`.
    pub defaults: &'a toml::Table,
    /// Dotted keys a repo may not change.
    pub fixed: &'a [String],
}

/// Everything that has a say, lowest precedence first.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layers<'a> {
    /// What the repository says, read once.
    pub(crate) project: &'a Project,
    pub(crate) pack: Option<Pack<'a>>,
    /// An existing `pybootstrap.toml`, loaded.
    pub(crate) saved: Option<&'a Saved>,
    /// Parsed `--set` arguments, in command-line order.
    pub(crate) sets: &'a [Assignment],
}

/// Where an answer came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    Detected,
    /// The repository: the reason names the file (`.python-version`, `uv.lock`, ...).
    Repo(String),
    Pack,
    Saved,
    Set,
}

impl fmt::Display for Origin {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Builtin => formatter.write_str("built-in default"),
            Self::Detected => formatter.write_str("detected on this machine"),
            Self::Repo(why) => write!(formatter, "from {why}"),
            Self::Pack => formatter.write_str("template pack default"),
            Self::Saved => formatter.write_str("pybootstrap.toml"),
            Self::Set => formatter.write_str("--set"),
        }
    }
}

/// The answers, validated, with the origin of each key and what could not be used.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    pub answers: Answers,
    /// Dotted key → where its value came from (`ci.actions` as one key).
    pub origins: BTreeMap<String, Origin>,
    /// Repository files that could not be read or understood.
    pub warnings: Vec<String>,
    /// Keys the pack fixes: not asked, not changeable.
    pub fixed: Vec<String>,
    /// The pack's name, when there is one.
    pub pack: Option<String>,
}

impl Resolved {
    /// Where `key`'s value came from.
    pub fn origin(&self, key: &str) -> &Origin {
        self.origins.get(key).unwrap_or(&Origin::Builtin)
    }

    /// Whether the pack fixes `key`.
    pub fn is_fixed(&self, key: &str) -> bool {
        is_fixed(&self.fixed, key)
    }

    /// One line per answer the repository decided, in the keys' order, with the file it
    /// came from: `tasks.test = pytest -q   (from the `test` target of the Makefile)`.
    pub fn inferred_lines(&self) -> Vec<String> {
        keys::keys()
            .iter()
            .filter_map(|info| match self.origins.get(info.key) {
                Some(origin @ Origin::Repo(_)) => {
                    let value = value_of(&self.answers, info.key);
                    let shown = match value.as_ref() {
                        Some(toml::Value::String(text)) if text.is_empty() => "\"\"".to_string(),
                        _ => display_typed(value.as_ref()),
                    };
                    Some(format!("{} = {shown}   ({origin})", info.key))
                }
                _ => None,
            })
            .collect()
    }
}

fn is_fixed(fixed: &[String], key: &str) -> bool {
    fixed
        .iter()
        .any(|fixed| fixed == key || (fixed == "ci.actions" && key.starts_with("ci.actions.")))
}

/// Resolves the layers into validated answers. A key the pack fixes that the saved file or
/// `--set` changes is an error naming the pack.
pub(crate) fn resolve(layers: &Layers) -> Result<Resolved, Error> {
    let mut answers = builtin(&layers.project.directory_name);
    let mut origins: BTreeMap<String, Origin> = keys::keys()
        .iter()
        .map(|info| (info.key.to_string(), Origin::Builtin))
        .collect();
    let mut record = |key: &str, origin: Origin| {
        let key = if key.starts_with("ci.actions.") {
            "ci.actions"
        } else {
            key
        };
        origins.insert(key.to_string(), origin);
    };

    // The machine's own Python says nothing about the project: the next contributor has
    // another one. The range comes from the repository, else every supported CPython.
    let inferred = infer(layers.project);
    for (key, why) in inferred.apply(&mut answers) {
        record(key, Origin::Repo(why));
    }

    let (pack_name, fixed) = match &layers.pack {
        Some(pack) => {
            let at = || Location::Pack {
                name: pack.name.to_string(),
            };
            for key in pack.fixed {
                if keys::find_key(key).is_none() {
                    return Err(Error::UnknownKey {
                        at: at(),
                        key: key.clone(),
                    });
                }
            }
            for entry in flatten(pack.defaults, &|_| at())? {
                apply(&mut answers, &entry.key, &entry.value, entry.at)?;
                record(&entry.key, Origin::Pack);
            }
            (Some(pack.name.to_string()), pack.fixed.to_vec())
        }
        None => (None, Vec::new()),
    };
    let pinned = answers.clone();
    let refuse_fixed = |key: &str, value: &toml::Value, at: &Location| -> Result<(), Error> {
        let Some(pack) = &pack_name else {
            return Ok(());
        };
        if !is_fixed(&fixed, key) {
            return Ok(());
        }
        let current = value_of(&pinned, key);
        let unchanged = match (&current, value) {
            (Some(current), value) => current == value,
            (None, toml::Value::String(text)) => text.is_empty(),
            (None, _) => false,
        };
        if unchanged {
            return Ok(());
        }
        Err(Error::Fixed {
            at: at.clone(),
            key: key.to_string(),
            pack: pack.clone(),
            fixed: current.map_or_else(|| "unset".to_string(), |value| format!("`{value}`")),
        })
    };

    let mut legacy_file = false;
    if let Some(saved) = layers.saved {
        let entries = saved.entries();
        let says = |wanted: &str| entries.iter().any(|entry| entry.key == wanted);
        let legacy = says("python.versions") && !says("python.requires");
        // The whole file in one round trip through the answers' serde form (one per key
        // was a fifth of a warm `regen --check`); on any error, key by key, so the error
        // is the one the file's first bad key gives.
        let at_once = entries
            .iter()
            .try_for_each(|entry| refuse_fixed(&entry.key, &entry.value, &entry.at))
            .ok()
            .and_then(|()| {
                let pairs = entries
                    .iter()
                    .map(|entry| (entry.key.as_str(), &entry.value));
                with_values(&answers, pairs).ok()
            });
        match at_once {
            Some(applied) => answers = applied,
            None => {
                for Entry { key, value, at } in entries {
                    refuse_fixed(key, value, at)?;
                    apply(&mut answers, key, value, at.clone())?;
                }
            }
        }
        for entry in entries {
            record(&entry.key, Origin::Saved);
        }
        legacy_file = legacy;
    }
    for set in layers.sets {
        let at = Location::Set {
            text: format!("{}={}", set.key, display_plain(&set.value)),
        };
        refuse_fixed(&set.key, &set.value, &at)?;
        apply(&mut answers, &set.key, &set.value, at)?;
        record(&set.key, Origin::Set);
    }
    if legacy_file && !layers.sets.iter().any(|set| set.key == "python.requires") {
        // Written when `python.versions` was the allow-list: keep what it allowed and
        // every newer version (docs/python-versions.md). Derived after `--set`, so that
        // the file `--set` saves loads back to the same range.
        answers.python.requires = PythonRequires::from_oldest(answers.python.versions[0]);
        record("python.requires", Origin::Saved);
    }
    fit_matrix_to_range(&mut answers, &mut origins);
    fit_preferred_to_range(&mut answers, &mut origins);
    derive_tools(layers.project, &mut answers, &mut origins);
    validate(&answers)?;
    Ok(Resolved {
        answers,
        origins,
        warnings: inferred.warnings,
        fixed,
        pack: pack_name,
    })
}

/// `deps.tools`, unless someone chose it (a pack, the saved file, `--set`): the well-known
/// tools the final tasks run that no dependency declares, so that no task is written that
/// cannot run.
fn derive_tools(project: &Project, answers: &mut Answers, origins: &mut BTreeMap<String, Origin>) {
    let origin = origins.get("deps.tools").unwrap_or(&Origin::Builtin);
    if rank(origin) >= rank(&Origin::Pack) {
        return;
    }
    let (tools, runners) = super::infer::tools_to_install(project, answers);
    let Ok(tools) = tools
        .iter()
        .map(|tool| tool.parse::<PackageName>())
        .collect::<Result<Vec<_>, _>>()
        .and_then(List::try_from)
    else {
        return;
    };
    if tools.is_empty() {
        return;
    }
    answers.deps.tools = tools;
    let (verb, pronoun) = if runners.len() == 1 {
        ("runs", "it")
    } else {
        ("run", "them")
    };
    let named = match runners.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    origins.insert(
        "deps.tools".to_string(),
        Origin::Repo(format!(
            "what {named} {verb}: no dependency installs {pronoun}"
        )),
    );
}

/// How strongly an origin speaks: a later layer overrides an earlier one.
fn rank(origin: &Origin) -> u8 {
    match origin {
        Origin::Builtin => 0,
        Origin::Detected => 1,
        Origin::Repo(_) => 2,
        Origin::Pack => 3,
        Origin::Saved => 4,
        Origin::Set => 5,
    }
}

/// The CI matrix follows the range unless someone chose it after the range was chosen: a
/// matrix from a weaker layer than the range is recomputed, or narrowed to the range; a
/// chosen matrix outside the range is left for `validate` to refuse.
fn fit_matrix_to_range(answers: &mut Answers, origins: &mut BTreeMap<String, Origin>) {
    let origin = |key: &str| origins.get(key).cloned().unwrap_or(Origin::Builtin);
    let (requires_origin, versions_origin) = (origin("python.requires"), origin("python.versions"));
    let python = &mut answers.python;
    if rank(&requires_origin) > rank(&versions_origin) {
        python.versions = python.requires.default_matrix();
        origins.insert("python.versions".to_string(), requires_origin);
        return;
    }
    if rank(&versions_origin) >= rank(&Origin::Saved) {
        return;
    }
    let inside: Vec<PythonMinor> = python
        .versions
        .iter()
        .copied()
        .filter(|minor| python.requires.allows(*minor))
        .collect();
    if inside.len() != python.versions.len() {
        python.versions = inside
            .try_into()
            .unwrap_or_else(|_| python.requires.default_matrix());
    }
}

/// The preferred Python follows the range like the matrix: one from a weaker layer than the
/// range (`.python-version` read by `init`, then `--set python.requires=>=3.13`) that the
/// range leaves out is dropped; a chosen one outside is left for `validate` to refuse.
fn fit_preferred_to_range(answers: &mut Answers, origins: &mut BTreeMap<String, Origin>) {
    let origin = |key: &str| origins.get(key).cloned().unwrap_or(Origin::Builtin);
    let python = &mut answers.python;
    let outside = python
        .preferred
        .minor()
        .is_some_and(|minor| !python.requires.allows(minor));
    let requires_origin = origin("python.requires");
    if outside && rank(&requires_origin) > rank(&origin("python.preferred")) {
        python.preferred = super::value::PreferredPython::none();
        origins.insert("python.preferred".to_string(), requires_origin);
    }
}

/// The assignments that turn `before` into `after`, in key order: what `update_file` needs
/// to save prompt answers into an existing file, and which answers changed. An action
/// removed from `ci.actions` cannot be expressed and is left out.
pub fn changes(before: &Answers, after: &Answers) -> Vec<Assignment> {
    let mut assignments = Vec::new();
    for info in keys::keys() {
        if info.key == "ci.actions" {
            for (action, reference) in &after.ci.actions {
                if before.ci.actions.get(action) != Some(reference) {
                    assignments.push(Assignment {
                        key: format!("ci.actions.{action}"),
                        value: toml::Value::String(reference.to_string()),
                    });
                }
            }
            continue;
        }
        let old = value_of(before, info.key);
        let new = value_of(after, info.key);
        if old != new {
            assignments.push(Assignment {
                key: info.key.to_string(),
                // An unset `templates` is written as the empty string, as `--set templates=`.
                value: new.unwrap_or_else(|| toml::Value::String(String::new())),
            });
        }
    }
    assignments
}

/// An optional value as it would be typed (empty when unset).
pub(crate) fn display_typed(value: Option<&toml::Value>) -> String {
    value.map(display_plain).unwrap_or_default()
}

/// A value as it would be typed after `--set KEY=` (lists comma-separated).
pub(crate) fn display_plain(value: &toml::Value) -> String {
    match value {
        toml::Value::String(text) => text.clone(),
        toml::Value::Array(items) => items
            .iter()
            .map(display_plain)
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

fn apply(answers: &mut Answers, key: &str, value: &toml::Value, at: Location) -> Result<(), Error> {
    *answers = with_value(answers, key, value).map_err(|problem| problem.at(key, at))?;
    Ok(())
}

/// `answers` with `key` set to `value`, checked by the key's type. `ci.actions` merges
/// entry by entry; `ci.actions.OWNER/REPO` sets one entry; `templates = ""` means the
/// built-in templates. The change goes through the answers' own serde form, so no key is
/// handled by name here.
pub(crate) fn with_value(
    answers: &Answers,
    key: &str,
    value: &toml::Value,
) -> Result<Answers, Problem> {
    with_values(answers, [(key, value)])
}

/// `answers` with each `(key, value)` set in turn, as `with_value` one after the other
/// would, through one round trip of the serde form.
pub(crate) fn with_values<'a>(
    answers: &Answers,
    values: impl IntoIterator<Item = (&'a str, &'a toml::Value)>,
) -> Result<Answers, Problem> {
    let mut tree =
        toml::Value::try_from(answers).map_err(|error| Problem::Detail(error.to_string()))?;
    for (key, value) in values {
        set_in_tree(&mut tree, key, value)?;
    }
    tree.try_into()
        .map_err(|error: toml::de::Error| Problem::Detail(error.message().to_string()))
}

fn set_in_tree(tree: &mut toml::Value, key: &str, value: &toml::Value) -> Result<(), Problem> {
    let unset = key == "templates" && value.as_str() == Some("");
    if !unset {
        keys::check_value(key, value)?;
    }
    let (parent, name) = slot(tree, key)?;
    match (value, parent.get_mut(&name)) {
        _ if unset => {
            parent.remove(&name);
        }
        (toml::Value::Table(entries), Some(toml::Value::Table(current))) => {
            current.extend(entries.clone());
        }
        _ => {
            parent.insert(name, value.clone());
        }
    }
    Ok(())
}

/// The value of `key` in `answers` as TOML, read from their serde form; `None` for an unset
/// `templates` or a missing action.
pub(crate) fn value_of(answers: &Answers, key: &str) -> Option<toml::Value> {
    let mut tree = toml::Value::try_from(answers).ok()?;
    let (parent, name) = slot(&mut tree, key).ok()?;
    parent.get(&name).cloned()
}

/// The table that holds `key`'s value in the serde form, and the value's name in it.
/// `ci.actions.OWNER/REPO` names one entry of the actions table (the name holds `/` and
/// may hold `.`).
fn slot<'a>(
    tree: &'a mut toml::Value,
    key: &str,
) -> Result<(&'a mut toml::Table, String), Problem> {
    let path: Vec<&str> = match key.strip_prefix("ci.actions.") {
        Some(action) => vec!["ci", "actions", action],
        None => key.split('.').collect(),
    };
    let not_a_key = || Problem::invalid(key, "is not a key");
    let (name, sections) = path.split_last().ok_or_else(not_a_key)?;
    let mut table = tree.as_table_mut().ok_or_else(not_a_key)?;
    for section in sections {
        table = table
            .get_mut(*section)
            .and_then(toml::Value::as_table_mut)
            .ok_or_else(not_a_key)?;
    }
    Ok((table, (*name).to_string()))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::answers::{Backend, DepsSource, Provider, parse_saved, parse_set, render_file};

    fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let directory = tempfile::Builder::new()
            .prefix("my repo")
            .tempdir()
            .expect("temp dir");
        for (name, text) in files {
            fs_err::write(directory.path().join(name), text).expect("write file");
        }
        directory
    }

    fn resolve_with(
        repo: &Path,
        pack: Option<Pack>,
        saved: Option<&Saved>,
        sets: &[&str],
    ) -> Result<Resolved, Error> {
        let sets: Vec<Assignment> = sets
            .iter()
            .map(|set| parse_set(set).expect("valid set"))
            .collect();
        resolve(&Layers {
            project: &Project::read(repo),
            pack,
            saved,
            sets: &sets,
        })
    }

    fn saved(text: &str) -> Saved {
        parse_saved(Path::new("/repo/pybootstrap.toml"), text.to_string()).expect("valid file")
    }

    #[test]
    fn inferred_answers_are_listed_with_their_source() {
        let directory = repo(&[
            ("Makefile", "test:\n\tpython -m pytest -q tests\n"),
            ("requirements-dev.txt", "pytest\n"),
            ("ruff.toml", ""),
            (
                "pyproject.toml",
                "[project]\nname = \"demo\"\nrequires-python = \">=3.12\"\n",
            ),
        ]);
        let resolved = resolve_with(
            directory.path(),
            None,
            None,
            &["deps.files=requirements-dev.txt"],
        )
        .expect("resolves");
        let lines = resolved.inferred_lines();
        assert!(
            lines.contains(
                &"tasks.test = python -m pytest -q tests   (from the `test` target of the Makefile)"
                    .to_string()
            ),
            "{lines:#?}"
        );
        assert!(
            lines.contains(
                &"python.requires = >=3.12   (from requires-python in pyproject.toml)".to_string()
            ),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|line| line.starts_with("project.name = demo   (from ")),
            "{lines:#?}"
        );
        assert!(
            lines
                .iter()
                .any(|line| line.starts_with("tasks.lint = ruff check .   (from ")),
            "{lines:#?}"
        );
        // `--set` wins, and is no inference.
        assert!(
            !lines.iter().any(|line| line.starts_with("deps.files")),
            "{lines:#?}"
        );
        let order: Vec<&str> = lines
            .iter()
            .map(|line| line.split(' ').next().unwrap_or(""))
            .collect();
        let mut sorted = order.clone();
        sorted.sort_by_key(|key| keys::keys().iter().position(|info| info.key == *key));
        assert_eq!(order, sorted, "in the keys' order");
        // A new repository: only the tool its default task needs.
        assert_eq!(
            resolve_with(repo(&[]).path(), None, None, &[])
                .expect("resolves")
                .inferred_lines(),
            [
                "deps.tools = pytest   (from what tasks.test runs: no dependency installs it)",
                "tasks.test = pytest || test $? -eq 5   (from a repository with no tests yet: pytest's exit 5, no tests collected, passes)"
            ]
        );
    }

    #[test]
    fn the_tasks_tools_nothing_installs_go_to_deps_tools_unless_chosen() {
        let directory = repo(&[("ruff.toml", ""), ("requirements.txt", "requests\n")]);
        let sets = ["tasks.test=python -m mypkg.tests"];
        let resolved = resolve_with(directory.path(), None, None, &sets).expect("resolves");
        assert_eq!(resolved.answers.tasks.lint.command(), Some("ruff check ."));
        // ruff for lint and fmt; the project's own module is no package to fetch.
        assert_eq!(resolved.answers.deps.tools, vec!["ruff"]);
        assert_eq!(
            resolved.origin("deps.tools"),
            &Origin::Repo("what tasks.lint and tasks.fmt run: no dependency installs them".into())
        );
        let declared = repo(&[
            ("ruff.toml", ""),
            ("requirements.txt", "ruff==0.6.9\npytest\n"),
        ]);
        let resolved = resolve_with(declared.path(), None, None, &[]).expect("resolves");
        assert_eq!(resolved.answers.deps.tools, Vec::<&str>::new());
        let file = saved("schema = 1\n[deps]\ntools = []\n");
        let resolved = resolve_with(directory.path(), None, Some(&file), &[]).expect("resolves");
        assert_eq!(
            resolved.answers.deps.tools,
            Vec::<&str>::new(),
            "a saved choice stays"
        );
        let resolved = resolve_with(directory.path(), None, None, &["deps.tools=pytest,mypy"])
            .expect("resolves");
        assert_eq!(resolved.answers.deps.tools, vec!["pytest", "mypy"]);
    }

    #[test]
    fn built_in_defaults() {
        let directory = repo(&[]);
        let resolved = resolve_with(directory.path(), None, None, &[]).expect("resolves");
        assert!(
            resolved.answers.project.name.starts_with("my-repo"),
            "{}",
            resolved.answers.project.name
        );
        assert_eq!(resolved.answers.python.requires.to_string(), ">=3.9");
        assert_eq!(
            resolved.answers.python.versions,
            vec!["3.9", "3.11", "3.12", "3.13", "3.14", "3.15"]
        );
        assert_eq!(resolved.answers.env.backend, Backend::Venv);
        assert_eq!(resolved.answers.deps.source, DepsSource::None);
        // Nothing installs the default task's pytest, so the environment gets it.
        assert_eq!(resolved.answers.deps.tools, vec!["pytest"]);
        assert!(
            resolved
                .origins
                .iter()
                .all(|(key, origin)| *origin == Origin::Builtin
                    || key == "deps.tools"
                    || key == "tasks.test")
        );
        assert!(resolved.warnings.is_empty());
    }

    #[test]
    fn each_layer_overrides_the_one_below() {
        let directory = repo(&[]);
        let resolved = resolve_with(directory.path(), None, None, &[]).expect("resolves");
        assert_eq!(
            resolved.answers.python.versions,
            vec!["3.9", "3.11", "3.12", "3.13", "3.14", "3.15"],
            "no Python narrows the default matrix"
        );
        assert_eq!(resolved.origin("python.versions"), &Origin::Builtin);
        // uv on PATH is only a prompt default; without a prompt the answer stays `venv`.
        assert_eq!(resolved.answers.env.backend, Backend::Venv);

        let directory = repo(&[
            (".python-version", "3.12\n"),
            ("uv.lock", ""),
            (
                "pyproject.toml",
                "[project]\nrequires-python = \">=3.10\"\n",
            ),
        ]);
        let resolved = resolve_with(directory.path(), None, None, &[]).expect("resolves");
        assert_eq!(resolved.answers.python.requires.to_string(), ">=3.10");
        assert_eq!(
            resolved.answers.python.versions,
            vec!["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"],
            "the floor, past its end of life, and every maintained minor"
        );
        let from_pyproject = Origin::Repo("requires-python in pyproject.toml".into());
        assert_eq!(resolved.origin("python.requires"), &from_pyproject);
        assert_eq!(resolved.origin("python.versions"), &from_pyproject);
        assert_eq!(resolved.answers.env.backend, Backend::Uv);
        assert_eq!(resolved.answers.deps.source, DepsSource::UvLock);

        let defaults: toml::Table = toml::from_str(
            "python.versions = [\"3.10\", \"3.13\"]\n[ci]\nos = [\"ubuntu-24.04\"]\n",
        )
        .expect("toml");
        let pack = Pack {
            name: "acme",
            defaults: &defaults,
            fixed: &[],
        };
        let resolved = resolve_with(directory.path(), Some(pack), None, &[]).expect("resolves");
        assert_eq!(resolved.answers.python.versions, vec!["3.10", "3.13"]);
        assert_eq!(resolved.answers.ci.os, vec!["ubuntu-24.04"]);
        assert_eq!(resolved.origin("ci.os"), &Origin::Pack);

        let file = saved("schema = 1\n[python]\nversions = [\"3.9\"]\n");
        let resolved =
            resolve_with(directory.path(), Some(pack), Some(&file), &[]).expect("resolves");
        assert_eq!(resolved.answers.python.versions, vec!["3.9"]);
        assert_eq!(resolved.origin("python.versions"), &Origin::Saved);
        assert_eq!(
            resolved.answers.python.requires.to_string(),
            ">=3.9",
            "a file from before python.requires keeps what it allowed"
        );
        assert_eq!(
            resolved.answers.ci.os,
            vec!["ubuntu-24.04"],
            "keys the file leaves out fall through"
        );

        let resolved = resolve_with(
            directory.path(),
            Some(pack),
            Some(&file),
            &["python.versions=3.14"],
        )
        .expect("resolves");
        assert_eq!(resolved.answers.python.versions, vec!["3.14"]);
        assert_eq!(resolved.origin("python.versions"), &Origin::Set);

        let file = saved("schema = 1\n[python]\nrequires = \">=3.12\"\n");
        let resolved =
            resolve_with(directory.path(), Some(pack), Some(&file), &[]).expect("resolves");
        assert_eq!(
            resolved.answers.python.versions,
            vec!["3.12", "3.13", "3.14", "3.15"],
            "a range chosen after the matrix recomputes it"
        );

        let error = resolve_with(directory.path(), None, None, &["python.versions=3.9"])
            .expect_err("3.9 is outside >=3.10");
        let message = error.to_string();
        assert!(message.contains("python.versions"), "{message}");
    }

    #[test]
    fn actions_merge_entry_by_entry() {
        let directory = repo(&[]);
        let file = saved(
            "schema = 1\n[ci.actions]\n\"actions/checkout\" = \"0123456789abcdef0123456789abcdef01234567\"\n",
        );
        let resolved = resolve_with(
            directory.path(),
            None,
            Some(&file),
            &["ci.actions.acme/tool=89abcdef0123456789abcdef0123456789abcdef # v1.2.3"],
        )
        .expect("resolves");
        let actions = &resolved.answers.ci.actions;
        assert_eq!(
            actions["actions/checkout"].to_string(),
            "0123456789abcdef0123456789abcdef01234567"
        );
        assert_eq!(
            actions["actions/setup-python"].to_string(),
            crate::answers::SETUP_PYTHON_ACTION.1
        );
        assert_eq!(
            actions["acme/tool"].to_string(),
            "89abcdef0123456789abcdef0123456789abcdef # v1.2.3"
        );
        assert_eq!(resolved.origin("ci.actions"), &Origin::Set);
    }

    #[test]
    fn fixed_keys_cannot_change() {
        let directory = repo(&[]);
        let defaults: toml::Table =
            toml::from_str("[ci]\nproviders = [\"gitlab\"]\n").expect("toml");
        let fixed = vec!["ci.providers".to_string(), "ci.actions".to_string()];
        let pack = Pack {
            name: "acme-python",
            defaults: &defaults,
            fixed: &fixed,
        };
        let same = saved("schema = 1\n[ci]\nproviders = [\"gitlab\"]\n");
        let resolved = resolve_with(directory.path(), Some(pack), Some(&same), &[])
            .expect("an unchanged fixed key is fine");
        assert_eq!(resolved.answers.ci.providers, vec![Provider::Gitlab]);
        assert!(resolved.is_fixed("ci.providers"));
        assert_eq!(resolved.pack.as_deref(), Some("acme-python"));

        let edited = saved("schema = 1\n\n[ci]\nproviders = [\"github\"]\n");
        let error = resolve_with(directory.path(), Some(pack), Some(&edited), &[])
            .expect_err("a hand edit of a fixed key");
        assert!(matches!(error, Error::Fixed { .. }), "{error}");
        assert_eq!(
            error.to_string(),
            "/repo/pybootstrap.toml:4: `ci.providers` is fixed by the template pack `acme-python` (its value: `[\"gitlab\"]`)"
        );

        let error = resolve_with(directory.path(), Some(pack), None, &["ci.providers=github"])
            .expect_err("a --set of a fixed key");
        assert!(error.to_string().starts_with("`--set ci.providers=github`: `ci.providers` is fixed by the template pack `acme-python`"), "{error}");
        let error = resolve_with(
            directory.path(),
            Some(pack),
            None,
            &["ci.actions.actions/checkout=0123456789abcdef0123456789abcdef01234567"],
        )
        .expect_err("an action of a fixed table");
        assert!(matches!(error, Error::Fixed { .. }), "{error}");
    }

    #[test]
    fn bad_packs_are_named() {
        let directory = repo(&[]);
        let defaults: toml::Table = toml::from_str("[env]\nbackend = \"conda\"\n").expect("toml");
        let pack = Pack {
            name: "acme",
            defaults: &defaults,
            fixed: &[],
        };
        let error = resolve_with(directory.path(), Some(pack), None, &[]).expect_err("bad default");
        assert!(
            error
                .to_string()
                .starts_with("template pack `acme`: `env.backend`"),
            "{error}"
        );
        let empty = toml::Table::new();
        let fixed = vec!["python.version".to_string()];
        let pack = Pack {
            name: "acme",
            defaults: &empty,
            fixed: &fixed,
        };
        let error =
            resolve_with(directory.path(), Some(pack), None, &[]).expect_err("bad fixed key");
        assert!(matches!(error, Error::UnknownKey { .. }), "{error}");
    }

    #[test]
    fn a_rendered_file_resolves_to_the_same_answers_anywhere() {
        let directory = repo(&[]);
        let mut answers = builtin(&Project::read(directory.path()).directory_name);
        answers.python.versions = crate::answers::items(&["3.9", "3.12"]);
        answers.tasks.test = "pytest -q \"$@\" 'x' ; $(whoami)".parse().expect("valid");
        answers.ci.providers = crate::answers::List::empty();
        answers.templates = Some("../packs/acme".into());
        let file = saved(&render_file(&answers));
        let other = repo(&[
            (".python-version", "3.10\n"),
            ("requirements.txt", ""),
            ("uv.lock", ""),
        ]);
        let resolved = resolve_with(other.path(), None, Some(&file), &[]).expect("resolves");
        assert_eq!(resolved.answers, answers);
        assert_eq!(file.templates(), Some("../packs/acme"));
    }

    #[test]
    fn cross_key_rules_apply_after_every_layer() {
        let directory = repo(&[]);
        let error = resolve_with(directory.path(), None, None, &["deps.source=requirements"])
            .expect_err("no requirement files");
        assert_eq!(error.key(), Some("deps.files"));
        let resolved = resolve_with(
            directory.path(),
            None,
            None,
            &[
                "deps.source=requirements",
                "deps.files=requirements/base.txt",
            ],
        )
        .expect("resolves");
        assert_eq!(resolved.answers.deps.files, vec!["requirements/base.txt"]);
    }

    #[test]
    fn changes_update_a_saved_file_to_new_answers() {
        let directory = repo(&[]);
        let before = builtin(&Project::read(directory.path()).directory_name);
        let mut after = before.clone();
        after.env.backend = Backend::Uv;
        after.templates = Some("pack".into());
        after.ci.actions.insert(
            "acme/tool".parse().expect("valid"),
            "89abcdef0123456789abcdef0123456789abcdef"
                .parse()
                .expect("valid"),
        );
        let assignments = changes(&before, &after);
        let keys: Vec<&str> = assignments.iter().map(|set| set.key.as_str()).collect();
        assert_eq!(
            keys,
            vec!["env.backend", "ci.actions.acme/tool", "templates"]
        );
        let text =
            crate::answers::update_file(&render_file(&before), &assignments).expect("updates");
        let file = saved(&text);
        let resolved = resolve_with(directory.path(), None, Some(&file), &[]).expect("resolves");
        assert_eq!(resolved.answers, after);
        let back = changes(&after, &before);
        let text = crate::answers::update_file(&text, &back).expect("updates");
        assert!(!text.contains("templates = "), "{text}");
    }

    #[test]
    fn messages_name_key_value_and_valid_values() {
        let error = parse_set("env.dir=../x").expect_err("outside the repo");
        assert_eq!(
            error.to_string(),
            "`--set env.dir=../x`: `env.dir`: `../x` contains `..` (it must stay inside the repository) (valid: a relative path inside the repository, `/`-separated, e.g. `.venv`)"
        );
        let error = parse_set("env.backend=conda").expect_err("not a backend");
        assert_eq!(
            error.to_string(),
            "`--set env.backend=conda`: `env.backend`: `conda` is not one of the choices (valid: `venv`, `uv` or `virtualenv`)"
        );
        let directory = repo(&[]);
        let answers = builtin(&Project::read(directory.path()).directory_name);
        let problem = with_value(
            &answers,
            "tasks.test",
            &toml::Value::String("a\u{1b}[31mred".into()),
        )
        .expect_err("a control character");
        assert!(
            problem.to_string().contains("\\u{1b}"),
            "control characters are escaped: {problem}"
        );
        let problem =
            with_value(&answers, "ci.os", &toml::Value::Array(Vec::new())).expect_err("no runner");
        assert_eq!(problem.to_string(), "the empty list names no runner");
        let error = parse_set("deps.files=a.txt,../x").expect_err("an item outside the repo");
        assert_eq!(
            error.to_string(),
            "`--set deps.files=a.txt,../x`: `deps.files`: `../x` contains `..` (it must stay inside the repository) (valid: a list of relative paths inside the repository, e.g. `requirements.txt,requirements-dev.txt`)"
        );
        let error = parse_set("deps.extras=dev,Dev").expect_err("listed twice");
        assert!(
            error.to_string().contains("`Dev` is listed twice"),
            "{error}"
        );
    }

    #[test]
    fn repo_warnings_are_returned() {
        let directory = repo(&[("pyproject.toml", "[project\n")]);
        let resolved = resolve_with(directory.path(), None, None, &[]).expect("resolves");
        assert_eq!(resolved.warnings.len(), 1);
    }
}
