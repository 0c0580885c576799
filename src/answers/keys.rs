//! The key table: every dotted key of `pybootstrap.toml`, its one-line help, its TOML kind and
//! its valid values. Errors, prompts, the saved file's comments and `--set` all read it.

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

/// One dotted key of `pybootstrap.toml`.
#[derive(Debug, Clone, Copy)]
pub struct KeyInfo {
    /// The dotted key, exactly as in the file and in `--set`.
    pub key: &'static str,
    /// One line: what the key decides. Used as the comment above the key in the saved file.
    pub help: &'static str,
    pub kind: Kind,
    /// The closed set of values, for keys that have one (for lists: the allowed items).
    pub choices: &'static [&'static str],
    /// The valid values in words, for error messages and prompts.
    pub values: &'static str,
}

impl KeyInfo {
    /// The table the key lives in (`ci` for `ci.os`), `None` for a top-level key.
    pub fn section(&self) -> Option<&'static str> {
        self.key.split_once('.').map(|(section, _)| section)
    }

    /// The key's name inside its table (`os` for `ci.os`).
    pub fn name(&self) -> &'static str {
        self.key.split_once('.').map_or(self.key, |(_, name)| name)
    }
}

static KEYS: &[KeyInfo] = &[
    KeyInfo {
        key: "schema",
        help: "Format version of this file.",
        kind: Kind::Integer,
        choices: &[],
        values: "`1`",
    },
    KeyInfo {
        key: "project.name",
        help: "Project name, shown in generated files and docs.",
        kind: Kind::String,
        choices: &[],
        values: "a name of letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 100 characters",
    },
    KeyInfo {
        key: "python.versions",
        help: "CPython versions the bootstrap accepts and CI tests, oldest first.",
        kind: Kind::List,
        choices: &[],
        values: "a list of `3.N` versions from `3.9` to `3.14`, e.g. `3.12,3.13`",
    },
    KeyInfo {
        key: "env.backend",
        help: "Tool that creates the environment.",
        kind: Kind::String,
        choices: &["venv", "uv", "virtualenv"],
        values: "`venv`, `uv` or `virtualenv`",
    },
    KeyInfo {
        key: "env.dir",
        help: "Where the environment lives, relative to the repository root.",
        kind: Kind::String,
        choices: &[],
        values: "a relative path inside the repository, `/`-separated, e.g. `.venv`",
    },
    KeyInfo {
        key: "deps.source",
        help: "Where dependencies are declared.",
        kind: Kind::String,
        choices: &["requirements", "pyproject", "uv-lock", "none"],
        values: "`requirements`, `pyproject`, `uv-lock` or `none`",
    },
    KeyInfo {
        key: "deps.files",
        help: "Requirement files installed, in order (when deps.source = \"requirements\").",
        kind: Kind::List,
        choices: &[],
        values: "a list of relative paths inside the repository, e.g. `requirements.txt,requirements-dev.txt`",
    },
    KeyInfo {
        key: "deps.extras",
        help: "Extras or dependency groups installed (when deps.source is \"pyproject\" or \"uv-lock\").",
        kind: Kind::List,
        choices: &[],
        values: "a list of extra or dependency-group names (letters, digits, `.`, `_`, `-`), e.g. `dev`",
    },
    KeyInfo {
        key: "tasks.test",
        help: "Command that runs the tests, inside the environment.",
        kind: Kind::String,
        choices: &[],
        values: "a non-empty, single-line command",
    },
    KeyInfo {
        key: "tasks.lint",
        help: "Command that runs the linters, inside the environment.",
        kind: Kind::String,
        choices: &[],
        values: "a non-empty, single-line command",
    },
    KeyInfo {
        key: "tasks.fmt",
        help: "Command that formats the code, inside the environment.",
        kind: Kind::String,
        choices: &[],
        values: "a non-empty, single-line command",
    },
    KeyInfo {
        key: "ci.providers",
        help: "CI systems to generate pipelines for; empty for none.",
        kind: Kind::List,
        choices: &["github", "gitlab"],
        values: "a list of `github`, `gitlab` (or empty: no CI)",
    },
    KeyInfo {
        key: "ci.os",
        help: "Runner OS labels the CI matrix covers.",
        kind: Kind::List,
        choices: &[],
        values: "a non-empty list of runner labels (letters, digits, `.`, `_`, `-`), e.g. `ubuntu-latest,windows-latest`",
    },
    KeyInfo {
        key: "ci.pep668_job",
        help: "Add a CI job on a distro image whose system Python is externally managed (PEP 668).",
        kind: Kind::Bool,
        choices: &["true", "false"],
        values: "`true` or `false`",
    },
    KeyInfo {
        key: "ci.actions",
        help: "GitHub Actions used by the workflow, pinned by full commit SHA (the comment names the release).",
        kind: Kind::Table,
        choices: &[],
        values: "`OWNER/REPO` = \"<40 lowercase hex digits>\", optionally followed by ` # vX.Y.Z`",
    },
    KeyInfo {
        key: "make.enabled",
        help: "Maintain a block of targets in the Makefile.",
        kind: Kind::Bool,
        choices: &["true", "false"],
        values: "`true` or `false`",
    },
    KeyInfo {
        key: "lint.ignore",
        help: "Rule ids (PB101) and path globs that `pybootstrap lint` skips.",
        kind: Kind::List,
        choices: &[],
        values: "a list of rule ids (`PB` and three digits) or path globs",
    },
    KeyInfo {
        key: "docs.path",
        help: "Where the contributor guide is written, relative to the repository root.",
        kind: Kind::String,
        choices: &[],
        values: "a relative path inside the repository, `/`-separated, e.g. `docs/python-environment.md`",
    },
    KeyInfo {
        key: "templates",
        help: "Team template pack: a directory (relative to the repository, or absolute) or a git source (`git+https://…@TAG`, `gh:org/pack@TAG`); unset for the built-in templates.",
        kind: Kind::String,
        choices: &[],
        values: "a directory holding `pack.toml`, or a git source: `git+https://…@REF`, `git+ssh://…@REF`, `file://…@REF`, `gh:org/pack@REF` (empty for the built-in templates)",
    },
];

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

/// Every key, comma-separated in backticks, for "valid keys" hints.
pub fn key_list() -> String {
    let mut keys: Vec<String> = KEYS.iter().map(|info| format!("`{}`", info.key)).collect();
    keys.push("`ci.actions.OWNER/REPO`".to_string());
    keys.join(", ")
}

/// The known key closest in spelling to `key`, when it is close enough to be a likely typo.
pub fn suggest(key: &str) -> Option<&'static str> {
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
