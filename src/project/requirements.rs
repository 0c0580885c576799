//! Requirement files: which of a repository's `requirements*.txt` the test environment
//! installs, and the files each one pulls in with `-r`/`-c`, read the way pip reads them.

use std::collections::BTreeSet;

/// One argument of `pip install`: a requirement (`option` empty) or an option and its
/// value (`--requirement FILE`). Templates quote `value` and write `option` as it is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct PipArg {
    pub(crate) option: &'static str,
    pub(crate) value: String,
}

impl PipArg {
    pub(crate) fn requirement(value: impl Into<String>) -> Self {
        Self {
            option: "",
            value: value.into(),
        }
    }

    pub(crate) fn option(option: &'static str, value: impl Into<String>) -> Self {
        Self {
            option,
            value: value.into(),
        }
    }
}

/// What a requirement file is for, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// What the project needs to run: `requirements.txt`, `requirements/base.txt`.
    Base,
    /// What its tests need: `requirements-dev.txt`, `requirements/test.txt`.
    Test,
    /// Anything else (`requirements-container.txt`): installed only when no file is named
    /// for tests.
    Other,
    /// Documentation, lint, type-check and release tooling: never the test environment.
    Skip,
}

const TEST_WORDS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "dev",
    "develop",
    "development",
    "ci",
];
const BASE_WORDS: &[&str] = &[
    "base", "main", "common", "core", "install", "runtime", "default",
];
// `doc` is a prefix test (`docs`, `docs-insiders`); the others are whole words.
const SKIP_WORDS: &[&str] = &[
    "lint",
    "mypy",
    "typing",
    "style",
    "release",
    "build",
    "bench",
    "benchmark",
];

/// The role of the requirement file at repo-relative `path`.
pub(crate) fn role(path: &str) -> Role {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.strip_suffix(".txt").unwrap_or(name).to_lowercase();
    let words: Vec<&str> = stem
        .split(['-', '_', '.'])
        .filter(|word| *word != "requirements" && !word.is_empty())
        .collect();
    // `docs/requirements.txt`, which a pipeline's docs job installs, is named by its folder.
    let folders = path.rsplit('/').skip(1);
    if words.iter().any(|word| word.starts_with("doc"))
        || folders.into_iter().any(|folder| folder.starts_with("doc"))
    {
        Role::Skip
    } else if words.iter().any(|word| TEST_WORDS.contains(word)) {
        Role::Test
    } else if words.iter().any(|word| SKIP_WORDS.contains(word)) {
        Role::Skip
    } else if words.is_empty() || words.iter().all(|word| BASE_WORDS.contains(word)) {
        Role::Base
    } else {
        Role::Other
    }
}

/// Whether `name` (a file name, lowercase by convention) is a requirement file at the top
/// of a repository: `requirements*.txt`, `*-requirements.txt`, `*_requirements.txt`.
pub(crate) fn is_top_level_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".txt") else {
        return false;
    };
    stem.starts_with("requirements")
        || stem.ends_with("-requirements")
        || stem.ends_with("_requirements")
}

/// The files the test environment installs, from every candidate and what each pulls in
/// (`nested(file)`): the base and test files when any file is named for tests, else the
/// base and other ones; never docs/lint ones; and not a file another chosen file already
/// pulls in. Base files first, then by path.
pub(crate) fn choose(candidates: &[String], nested: impl Fn(&str) -> Vec<String>) -> Vec<String> {
    let roles: Vec<(&String, Role)> = candidates.iter().map(|path| (path, role(path))).collect();
    let any_test = roles.iter().any(|(_, role)| *role == Role::Test);
    let mut chosen: Vec<(&String, Role)> = roles
        .into_iter()
        .filter(|(_, role)| match role {
            Role::Base | Role::Test => true,
            Role::Other => !any_test,
            Role::Skip => false,
        })
        .collect();
    let pulled_in: BTreeSet<String> = chosen.iter().flat_map(|(path, _)| nested(path)).collect();
    chosen.retain(|(path, _)| !pulled_in.contains(path.as_str()));
    chosen.sort_by_key(|(path, role)| {
        (
            *role != Role::Base,
            path.as_str() != "requirements.txt",
            (*path).clone(),
        )
    });
    chosen.into_iter().map(|(path, _)| path.clone()).collect()
}

/// One line of a requirement file, as pip sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Line {
    /// `-r FILE` / `-c FILE` (any spelling): the file, as written.
    Include { target: String },
    /// `-e .`, `.`, `-e .[test]`: the project itself.
    Project,
    /// Anything else (a requirement, an option pip understands).
    Other,
}

/// The logical lines of a requirement file (continuations joined, comments dropped), each
/// with its 1-based first line number.
pub(crate) fn lines(text: &str) -> Vec<(usize, Line)> {
    let mut result = Vec::new();
    let mut pending = String::new();
    let mut start = 0;
    for (index, raw) in text.lines().enumerate() {
        if pending.is_empty() {
            start = index + 1;
        }
        // pip drops a comment only at a line start or after whitespace (a URL keeps `#`).
        let without_comment = match raw.find('#') {
            Some(0) => "",
            Some(at) if raw[..at].ends_with([' ', '\t']) => &raw[..at],
            _ => raw,
        };
        if let Some(continued) = without_comment.strip_suffix('\\') {
            pending.push_str(continued);
            continue;
        }
        pending.push_str(without_comment);
        let line = pending.trim().to_string();
        pending.clear();
        if !line.is_empty() {
            result.push((start, classify(&line)));
        }
    }
    result
}

fn classify(line: &str) -> Line {
    for option in ["--requirement", "--constraint", "-r", "-c"] {
        if let Some(rest) = line.strip_prefix(option) {
            let target = rest.trim_start_matches([' ', '\t', '=']).trim();
            let joined = !rest.starts_with([' ', '\t', '=']);
            // `--requirements` is not an option; `-rfile` is `-r file`.
            if target.is_empty() || (joined && option.starts_with("--")) {
                continue;
            }
            return Line::Include {
                target: target.to_string(),
            };
        }
    }
    let editable = ["--editable", "-e"]
        .into_iter()
        .find_map(|option| line.strip_prefix(option))
        .map(|rest| rest.trim_start_matches([' ', '\t', '=']).trim());
    let target = editable.unwrap_or(line);
    let target = target.strip_prefix("file:").unwrap_or(target);
    let path = target.split('[').next().unwrap_or(target);
    if matches!(path, "." | "./") {
        Line::Project
    } else {
        Line::Other
    }
}

/// `target` as written in the file at repo-relative `from`, made repo-relative; `None` when
/// it is a URL, absolute, or outside the repository (not a file the stamp can follow).
pub(crate) fn resolve(from: &str, target: &str) -> Option<String> {
    let target = target.strip_prefix("file:").unwrap_or(target);
    if target.contains("://") || target.starts_with('/') || target.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// Why the files a requirement file pulls in cannot be followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NestedError {
    /// `-r`/`-c` names a file that is not there.
    Missing {
        from: String,
        line: usize,
        target: String,
    },
    /// A file could not be read.
    Unreadable { path: String, reason: String },
}

impl std::fmt::Display for NestedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Missing { from, line, target } => write!(
                f,
                "`{from}` line {line} pulls in `{target}` with -r/-c, and `{target}` does not exist"
            ),
            Self::Unreadable { path, reason } => write!(f, "cannot read `{path}`: {reason}"),
        }
    }
}

/// The files `files` pull in with `-r`/`-c`, recursively (each relative to the file that
/// names it), in the order met, without `files` themselves; a cycle is followed once.
/// `read` gives a repo-relative file's text, `None` when it does not exist.
pub(crate) fn nested(
    files: &[String],
    read: &impl Fn(&str) -> Result<Option<String>, String>,
) -> Result<Vec<String>, NestedError> {
    let mut seen: Vec<String> = files.to_vec();
    let mut found = Vec::new();
    let mut queue: Vec<String> = files.to_vec();
    while let Some(file) = queue.pop() {
        let text = match read(&file) {
            Ok(Some(text)) => text,
            // A missing top-level file is the bootstrap's to report (it names the answer).
            Ok(None) => continue,
            Err(reason) => {
                return Err(NestedError::Unreadable { path: file, reason });
            }
        };
        let mut includes = Vec::new();
        for (number, line) in lines(&text) {
            let Line::Include { target } = line else {
                continue;
            };
            let Some(path) = resolve(&file, &target) else {
                continue;
            };
            if seen.contains(&path) {
                continue;
            }
            if matches!(read(&path), Ok(None)) {
                return Err(NestedError::Missing {
                    from: file.clone(),
                    line: number,
                    target: path,
                });
            }
            seen.push(path.clone());
            found.push(path.clone());
            includes.push(path);
        }
        queue.extend(includes);
    }
    Ok(found)
}

/// Whether `text` (a requirement file) installs the project itself (`-e .`).
pub(crate) fn installs_project(text: &str) -> bool {
    lines(text).iter().any(|(_, line)| *line == Line::Project)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_name() {
        for (path, expected) in [
            ("requirements.txt", Role::Base),
            ("requirements/base.txt", Role::Base),
            ("requirements/main.txt", Role::Base),
            ("requirements-dev.txt", Role::Test),
            ("test-requirements.txt", Role::Test),
            ("requirements/tests.txt", Role::Test),
            ("requirements/ci.txt", Role::Test),
            ("requirements_testing.txt", Role::Test),
            ("requirements-docs.txt", Role::Skip),
            ("requirements/docs.txt", Role::Skip),
            ("requirements-docs-insiders.txt", Role::Skip),
            ("requirements-mypy.txt", Role::Skip),
            ("requirements/lint.txt", Role::Skip),
            ("build-requirements.txt", Role::Skip),
            ("requirements-container.txt", Role::Other),
            ("requirements/prod.txt", Role::Other),
        ] {
            assert_eq!(role(path), expected, "{path}");
        }
    }

    #[test]
    fn top_level_names() {
        assert!(is_top_level_name("requirements.txt"));
        assert!(is_top_level_name("requirements-dev.txt"));
        assert!(is_top_level_name("test-requirements.txt"));
        assert!(is_top_level_name("dev_requirements.txt"));
        assert!(!is_top_level_name("requirements.in"));
        assert!(!is_top_level_name("myrequirements.txt"));
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_string()).collect()
    }

    #[test]
    fn choose_prefers_test_files_and_drops_what_they_pull_in() {
        let no_nesting = |_: &str| Vec::new();
        // A requirements/ dir: base + test, not docs or lint, base first.
        assert_eq!(
            choose(
                &strings(&[
                    "requirements/docs.txt",
                    "requirements/test.txt",
                    "requirements/base.txt",
                    "requirements/lint.txt",
                    "requirements/prod.txt",
                ]),
                no_nesting
            ),
            strings(&["requirements/base.txt", "requirements/test.txt"])
        );
        // No file named for tests: the others are what there is.
        assert_eq!(
            choose(
                &strings(&["requirements-container.txt", "requirements-docs.txt"]),
                no_nesting
            ),
            strings(&["requirements-container.txt"])
        );
        // test.txt already pulls in base.txt.
        let nesting = |path: &str| {
            if path == "requirements/test.txt" {
                strings(&["requirements/base.txt"])
            } else {
                Vec::new()
            }
        };
        assert_eq!(
            choose(
                &strings(&["requirements/base.txt", "requirements/test.txt"]),
                nesting
            ),
            strings(&["requirements/test.txt"])
        );
        assert_eq!(
            choose(
                &strings(&["requirements-dev.txt", "requirements.txt"]),
                no_nesting
            ),
            strings(&["requirements.txt", "requirements-dev.txt"])
        );
    }

    #[test]
    fn lines_as_pip_reads_them() {
        let text = "# comment\n-r base.txt\n-rother.txt  # why\n--requirement=x.txt\n--constraint \\\n  c.txt\n-c c2.txt\n-e .\npytest>=7 ; python_version > '3'\nhttps://h/x.whl#sha256=1\n--requirements y.txt\n";
        let found: Vec<(usize, Line)> = lines(text);
        let include = |line: usize, target: &str| {
            (
                line,
                Line::Include {
                    target: target.to_string(),
                },
            )
        };
        assert_eq!(
            found,
            vec![
                include(2, "base.txt"),
                include(3, "other.txt"),
                include(4, "x.txt"),
                include(5, "c.txt"),
                include(7, "c2.txt"),
                (8, Line::Project),
                (9, Line::Other),
                (10, Line::Other),
                (11, Line::Other),
            ]
        );
        assert!(installs_project(".[test]\n"));
        assert!(installs_project("--editable=file:.\n"));
        assert!(!installs_project("-e ./sub\n"));
    }

    #[test]
    fn resolve_relative_to_the_including_file() {
        assert_eq!(
            resolve("requirements/test.txt", "base.txt"),
            Some("requirements/base.txt".into())
        );
        assert_eq!(
            resolve("requirements/test.txt", "../constraints.txt"),
            Some("constraints.txt".into())
        );
        assert_eq!(
            resolve("requirements.txt", "./a/b.txt"),
            Some("a/b.txt".into())
        );
        assert_eq!(resolve("requirements.txt", "../outside.txt"), None);
        assert_eq!(resolve("requirements.txt", "/etc/x.txt"), None);
        assert_eq!(resolve("requirements.txt", "https://h/r.txt"), None);
    }

    #[test]
    fn nested_follows_cycles_once_and_names_a_missing_file() {
        let files = [
            (
                "requirements/test.txt",
                "-r base.txt\n-c ../constraints.txt\npytest\n",
            ),
            ("requirements/base.txt", "-r test.txt\n-r more/extra.txt\n"),
            ("requirements/more/extra.txt", "-r ../base.txt\n"),
            ("constraints.txt", "pytest<9\n"),
        ];
        let read = |path: &str| -> Result<Option<String>, String> {
            Ok(files
                .iter()
                .find(|(name, _)| *name == path)
                .map(|(_, text)| (*text).to_string()))
        };
        assert_eq!(
            nested(&strings(&["requirements/test.txt"]), &read),
            Ok(strings(&[
                "requirements/base.txt",
                "constraints.txt",
                "requirements/more/extra.txt",
            ]))
        );
        let broken = |path: &str| -> Result<Option<String>, String> {
            Ok((path == "requirements.txt").then(|| "pytest\n\n-r gone.txt\n".to_string()))
        };
        assert_eq!(
            nested(&strings(&["requirements.txt"]), &broken),
            Err(NestedError::Missing {
                from: "requirements.txt".into(),
                line: 3,
                target: "gone.txt".into(),
            })
        );
    }
}
