//! The rules every answer obeys before anything is rendered: versions, paths that stay inside
//! the repo, names, commands, runner labels, pinned actions, lint ignores. Each failure names
//! the key, the bad value and the valid values.

use std::collections::BTreeSet;

use super::error::{Error, Location, Problem};
use super::keys::{self, Kind};
use super::versions::{SUPPORTED_MINORS, parse_minor};
use super::{Answers, DepsSource};

/// Checks every answer and the rules between answers.
pub fn validate(answers: &Answers) -> Result<(), Error> {
    let at = || Location::Answers;
    let fail = |key: &str, problem: Problem| Err(problem.at(key, at()));
    if let Err(problem) = check_schema(i64::from(answers.schema)) {
        return fail("schema", problem);
    }
    let strings = [
        ("project.name", answers.project.name.as_str()),
        ("env.dir", answers.env.dir.as_str()),
        ("tasks.test", answers.tasks.test.as_str()),
        ("tasks.lint", answers.tasks.lint.as_str()),
        ("tasks.fmt", answers.tasks.fmt.as_str()),
        ("docs.path", answers.docs.path.as_str()),
    ];
    for (key, value) in strings {
        if let Err(problem) = check_string(key, value) {
            return fail(key, problem);
        }
    }
    if let Some(templates) = &answers.templates
        && let Err(problem) = check_string("templates", templates)
    {
        return fail("templates", problem);
    }
    let providers: Vec<String> = answers
        .ci
        .providers
        .iter()
        .map(|provider| provider_name(*provider).to_string())
        .collect();
    let lists = [
        ("python.versions", &answers.python.versions),
        ("deps.files", &answers.deps.files),
        ("deps.extras", &answers.deps.extras),
        ("ci.providers", &providers),
        ("ci.os", &answers.ci.os),
        ("lint.ignore", &answers.lint.ignore),
    ];
    for (key, items) in lists {
        if let Err(problem) = check_list(key, items) {
            return fail(key, problem);
        }
    }
    for (action, reference) in &answers.ci.actions {
        if let Err(problem) = check_action(action, reference) {
            return fail("ci.actions", problem);
        }
    }
    if answers.deps.source == DepsSource::Requirements && answers.deps.files.is_empty() {
        return fail(
            "deps.files",
            Problem::Invalid {
                value: "the empty list".to_string(),
                reason: "names no requirement file, but `deps.source` is `requirements`"
                    .to_string(),
            },
        );
    }
    if inside(&answers.docs.path, &answers.env.dir) {
        return fail(
            "docs.path",
            Problem::invalid(
                &answers.docs.path,
                format!(
                    "is inside the environment directory `{}`, which `--recreate` deletes",
                    answers.env.dir
                ),
            ),
        );
    }
    for file in &answers.deps.files {
        if inside(file, &answers.env.dir) {
            return fail(
                "deps.files",
                Problem::invalid(
                    file,
                    format!("is inside the environment directory `{}`", answers.env.dir),
                ),
            );
        }
    }
    Ok(())
}

/// Whether `path` is `directory` or below it (both normalised, `/`-separated).
fn inside(path: &str, directory: &str) -> bool {
    path == directory
        || path
            .strip_prefix(directory)
            .is_some_and(|rest| rest.starts_with('/'))
}

pub(crate) fn provider_name(provider: super::Provider) -> &'static str {
    match provider {
        super::Provider::Github => "github",
        super::Provider::Gitlab => "gitlab",
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

fn expected(kind: Kind) -> &'static str {
    match kind {
        Kind::Integer => "an integer",
        Kind::String => "a string",
        Kind::Bool => "`true` or `false`",
        Kind::List => "a list of strings",
        Kind::Table => "a table of strings",
    }
}

/// Checks one value of a dotted key as found in a file, a pack or `--set` (type and content).
/// `ci.actions.OWNER/REPO` checks one entry of the actions table.
pub(crate) fn check_value(key: &str, value: &toml::Value) -> Result<(), Problem> {
    let Some(info) = keys::find_key(key) else {
        return Err(Problem::invalid(key, "is not a key"));
    };
    let wrong_type = || Problem::WrongType {
        expected: expected(info.kind),
        found: type_name(value),
    };
    if let Some(action) = key.strip_prefix("ci.actions.") {
        let reference = value.as_str().ok_or(Problem::WrongType {
            expected: "a string",
            found: type_name(value),
        })?;
        return check_action(action, reference);
    }
    match (info.kind, value) {
        (Kind::Integer, toml::Value::Integer(number)) => check_schema(*number),
        (Kind::String, toml::Value::String(text)) => check_string(key, text),
        (Kind::Bool, toml::Value::Boolean(_)) => Ok(()),
        (Kind::List, toml::Value::Array(items)) => {
            let mut strings = Vec::with_capacity(items.len());
            for item in items {
                let text = item.as_str().ok_or(Problem::WrongType {
                    expected: "a list of strings",
                    found: "a list holding something else",
                })?;
                strings.push(text.to_string());
            }
            check_list(key, &strings)
        }
        (Kind::Table, toml::Value::Table(entries)) => {
            for (action, reference) in entries {
                let reference = reference.as_str().ok_or(Problem::WrongType {
                    expected: "a table of strings",
                    found: "a table holding something else",
                })?;
                check_action(action, reference)?;
            }
            Ok(())
        }
        _ => Err(wrong_type()),
    }
}

fn check_schema(number: i64) -> Result<(), Problem> {
    if number == 1 {
        Ok(())
    } else {
        Err(Problem::invalid(
            number,
            "is not a schema this pybootstrap reads (a newer pybootstrap may have written it)",
        ))
    }
}

pub(crate) fn check_string(key: &str, text: &str) -> Result<(), Problem> {
    let info = keys::find_key(key);
    if let Some(info) = info.filter(|info| !info.choices.is_empty()) {
        return if info.choices.contains(&text) {
            Ok(())
        } else {
            Err(Problem::invalid(text, "is not one of the choices"))
        };
    }
    match key {
        "project.name" => check_name(text),
        "env.dir" => check_repo_path(text).and_then(|()| check_make_path(text)),
        "docs.path" => check_repo_path(text),
        "tasks.test" | "tasks.lint" | "tasks.fmt" => check_command(text),
        "templates" => check_templates(text),
        _ => Ok(()),
    }
}

pub(crate) fn check_list(key: &str, items: &[String]) -> Result<(), Problem> {
    let info = keys::find_key(key);
    if let Some(info) = info.filter(|info| !info.choices.is_empty()) {
        for item in items {
            if !info.choices.contains(&item.as_str()) {
                return Err(Problem::invalid(item, "is not one of the choices"));
            }
        }
    }
    match key {
        "python.versions" => check_versions(items)?,
        "deps.files" => items
            .iter()
            .try_for_each(|file| check_repo_path(file).and_then(|()| check_make_path(file)))?,
        "deps.extras" => items.iter().try_for_each(|extra| check_extra(extra))?,
        "ci.os" => {
            if items.is_empty() {
                return Err(Problem::Invalid {
                    value: "the empty list".to_string(),
                    reason: "names no runner".to_string(),
                });
            }
            items
                .iter()
                .try_for_each(|label| check_runner_label(label))?;
        }
        "lint.ignore" => items.iter().try_for_each(|entry| check_ignore(entry))?,
        _ => {}
    }
    let normalise = |item: &String| {
        if key == "deps.extras" {
            normalise_name(item)
        } else {
            item.clone()
        }
    };
    let mut seen = BTreeSet::new();
    for item in items {
        if !seen.insert(normalise(item)) {
            return Err(Problem::invalid(item, "is listed twice"));
        }
    }
    Ok(())
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

fn check_versions(versions: &[String]) -> Result<(), Problem> {
    if versions.is_empty() {
        return Err(Problem::Invalid {
            value: "the empty list".to_string(),
            reason: "names no Python version".to_string(),
        });
    }
    let mut previous = None;
    for version in versions {
        let minor = parse_minor(version)
            .ok_or_else(|| Problem::invalid(version, "is not of the form `3.N`"))?;
        if !SUPPORTED_MINORS.contains(&minor) {
            return Err(Problem::invalid(
                version,
                "is not a supported CPython version",
            ));
        }
        match previous {
            Some(before) if before == minor => {
                return Err(Problem::invalid(version, "is listed twice"));
            }
            Some(before) if before > minor => {
                return Err(Problem::invalid(
                    version,
                    "is out of order (list the oldest first)",
                ));
            }
            _ => previous = Some(minor),
        }
    }
    Ok(())
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|character| character.is_control() || matches!(character, '\u{2028}' | '\u{2029}'))
}

/// A path relative to the repository root that cannot leave it or touch `.git`.
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

/// An extra (PEP 508) or dependency group (PEP 735) name.
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

/// A command for `tasks.*`: generated files escape it, so shell syntax is allowed, but it
/// must be one line of printable text that the Makefile can hold.
fn check_command(command: &str) -> Result<(), Problem> {
    if command.trim().is_empty() {
        Err(Problem::invalid(command, "is empty"))
    } else if has_control(command) {
        Err(Problem::invalid(
            command,
            "contains a line break or control character",
        ))
    } else {
        crate::render::make(command).map(drop).map_err(|_| {
            Problem::invalid(
                command,
                "ends with a backslash, which would continue the Makefile line",
            )
        })
    }
}

/// Paths the Makefile names in its rules, where make has no quoting: the renderer's own
/// rule, asked here so the error names the key before anything renders.
fn check_make_path(path: &str) -> Result<(), Problem> {
    crate::render::make_path(path).map(drop).map_err(|_| {
        Problem::invalid(
            path,
            "cannot be named in a Makefile rule: use letters, digits and `._-/+,@` only",
        )
    })
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

/// `OWNER/REPO` (optionally `/PATH` inside it) pinned to `<40 hex> [# vX.Y.Z]`.
pub(crate) fn check_action(action: &str, reference: &str) -> Result<(), Problem> {
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
                && parts
                    .iter()
                    .all(|part| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit()))
        })
    });
    if sha_ok && comment_ok {
        Ok(())
    } else {
        Err(Problem::invalid(
            format!("{action} = {reference}"),
            "is not pinned to a full commit SHA (`<40 lowercase hex digits>`, optionally ` # vX.Y.Z`)",
        ))
    }
}

/// A rule id (`PB101`) or a path glob.
fn check_ignore(entry: &str) -> Result<(), Problem> {
    let looks_like_rule = entry.len() > 2
        && entry
            .get(..2)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("pb"))
        && entry.bytes().skip(2).all(|byte| byte.is_ascii_digit());
    if looks_like_rule {
        let exact = entry.starts_with("PB") && entry.len() == 5;
        return if exact {
            Ok(())
        } else {
            Err(Problem::invalid(
                entry,
                "is not a rule id (`PB` and three digits)",
            ))
        };
    }
    if entry.trim().is_empty() {
        Err(Problem::invalid(entry, "is empty"))
    } else if has_control(entry) {
        Err(Problem::invalid(entry, "contains a control character"))
    } else if entry.contains('\\') {
        Err(Problem::invalid(
            entry,
            "contains a backslash (use `/` in globs)",
        ))
    } else {
        Ok(())
    }
}

fn check_templates(path: &str) -> Result<(), Problem> {
    match path.parse::<crate::render::PackSource>() {
        Ok(_) => Ok(()),
        Err(crate::render::SourceError::Parse { reason, .. }) => {
            Err(Problem::invalid(path, reason))
        }
        Err(other) => Err(Problem::invalid(path, other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::answers::builtin;

    fn sample() -> Answers {
        builtin(Path::new("/tmp/demo"))
    }

    fn refused(change: impl FnOnce(&mut Answers)) -> Error {
        let mut answers = sample();
        change(&mut answers);
        validate(&answers).expect_err("invalid answers")
    }

    #[test]
    fn versions() {
        for bad in [
            vec![],
            vec!["3.8"],
            vec!["3.15"],
            vec!["3.12", "3.12"],
            vec!["3.13", "3.12"],
            vec!["3.12.1"],
            vec!["py3"],
        ] {
            let error = refused(|answers| {
                answers.python.versions = bad.iter().map(|v| v.to_string()).collect()
            });
            assert_eq!(error.key(), Some("python.versions"), "{bad:?}");
            assert!(error.to_string().contains("`3.9` to `3.14`"), "{error}");
        }
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
            let error = refused(|answers| answers.env.dir = bad.to_string());
            assert_eq!(error.key(), Some("env.dir"), "{bad:?}");
            let error = refused(|answers| answers.docs.path = bad.to_string());
            assert_eq!(error.key(), Some("docs.path"), "{bad:?}");
            let error = refused(|answers| answers.deps.files = vec![bad.to_string()]);
            assert_eq!(error.key(), Some("deps.files"), "{bad:?}");
        }
        for good in [".venv", "envs/py3", ".gitignore-dir", "a/.git"] {
            let mut answers = sample();
            answers.env.dir = good.to_string();
            validate(&answers).unwrap_or_else(|error| panic!("{good}: {error}"));
        }
    }

    #[test]
    fn names_commands_labels() {
        for bad in [
            "",
            "-lead",
            "has space",
            "semi;colon",
            &"a".repeat(101),
            "é",
        ] {
            assert_eq!(
                refused(|answers| answers.project.name = bad.to_string()).key(),
                Some("project.name"),
                "{bad}"
            );
        }
        for bad in ["", "-dev", "dev-", "a b", "x!"] {
            assert_eq!(
                refused(|answers| answers.deps.extras = vec![bad.to_string()]).key(),
                Some("deps.extras"),
                "{bad}"
            );
        }
        assert_eq!(
            refused(|answers| answers.deps.extras = vec!["Dev".into(), "dev".into()]).key(),
            Some("deps.extras")
        );
        for bad in ["", "   ", "a\nb", "a\rb", "a\tb", "a\u{2028}b"] {
            assert_eq!(
                refused(|answers| answers.tasks.fmt = bad.to_string()).key(),
                Some("tasks.fmt"),
                "{bad:?}"
            );
        }
        for bad in ["", "ubuntu latest", "-x", "${{ matrix.os }}"] {
            assert_eq!(
                refused(|answers| answers.ci.os = vec![bad.to_string()]).key(),
                Some("ci.os"),
                "{bad}"
            );
        }
        assert_eq!(
            refused(|answers| answers.ci.os.clear()).key(),
            Some("ci.os")
        );
    }

    #[test]
    fn providers_may_be_empty_but_not_repeated() {
        let mut answers = sample();
        answers.ci.providers.clear();
        validate(&answers).expect("no CI is allowed");
        let error = refused(|answers| {
            answers.ci.providers = vec![
                crate::answers::Provider::Github,
                crate::answers::Provider::Github,
            ]
        });
        assert_eq!(error.key(), Some("ci.providers"));
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
        for good in ["PB101", "docs/**", "*.md", "scripts/legacy.sh"] {
            check_ignore(good).unwrap_or_else(|problem| panic!("{good}: {problem:?}"));
        }
        for bad in ["PB1", "pb101", "PB1010", "", " ", "a\\b", "a\nb", "€€"] {
            if bad == "€€" {
                check_ignore(bad).expect("multi-byte globs do not panic");
                continue;
            }
            assert!(check_ignore(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rules_between_keys() {
        let error = refused(|answers| {
            answers.deps.source = DepsSource::Requirements;
            answers.deps.files.clear();
        });
        assert_eq!(error.key(), Some("deps.files"));
        assert_eq!(
            refused(|answers| answers.docs.path = ".venv/guide.md".into()).key(),
            Some("docs.path")
        );
        let mut answers = sample();
        answers.docs.path = ".venv-docs/guide.md".into();
        validate(&answers).expect("a sibling that shares a prefix is fine");
    }

    #[test]
    fn messages_name_key_value_and_valid_values() {
        let error = refused(|answers| answers.env.dir = "../x".into());
        assert_eq!(
            error.to_string(),
            "`env.dir`: `../x` contains `..` (it must stay inside the repository) (valid: a relative path inside the repository, `/`-separated, e.g. `.venv`)"
        );
        let error = refused(|answers| answers.tasks.test = "a\u{1b}[31mred".into());
        assert!(
            error.to_string().contains("\\u{1b}"),
            "control characters are escaped: {error}"
        );
    }
}
