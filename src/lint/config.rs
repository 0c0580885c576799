//! The `[lint]` settings of `pybootstrap.toml`: only `ignore`, read with the answers' own
//! definition of the key (`answers::IgnoreEntry`), so `lint` and `regen` accept and refuse
//! the same entries with the same error.

use std::collections::BTreeSet;
use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::error::LintError;
use super::rules::Rule;
use crate::answers::{self, IgnoreEntry, List, Location, Problem};

/// The dotted key `lint` reads.
const IGNORE: &str = "lint.ignore";

/// What the repository asks `lint` to skip.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub rules: BTreeSet<Rule>,
    /// Path globs in `.gitignore` syntax, relative to the linted directory.
    pub paths: Gitignore,
}

impl Settings {
    /// Nothing skipped.
    pub(crate) fn none() -> Self {
        Self {
            rules: BTreeSet::new(),
            paths: Gitignore::empty(),
        }
    }

    /// Reads `directory/pybootstrap.toml`; no file means nothing skipped.
    pub(crate) fn read(directory: &Path) -> Result<Self, LintError> {
        let path = directory.join("pybootstrap.toml");
        let text = match fs_err::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Self::none()),
            Err(source) => return Err(LintError::ConfigUnreadable { path, source }),
        };
        Self::parse(directory, &path, &text)
    }

    /// Reads the `[lint] ignore` key of a `pybootstrap.toml` text. The rest of the file is
    /// `regen`'s to check: `lint` works in a repository whose answers it cannot use.
    pub(crate) fn parse(directory: &Path, path: &Path, text: &str) -> Result<Self, LintError> {
        let table: toml::Table = toml::from_str(text).map_err(|error| LintError::ConfigSyntax {
            path: path.to_path_buf(),
            line: error.span().map_or(1, |span| line_at(text, span.start)),
            message: error.message().to_string(),
        })?;
        let Some(value) = table.get("lint").and_then(|lint| lint.get("ignore")) else {
            return Ok(Self::none());
        };
        let refused = |problem: Problem| {
            let at = Location::File {
                path: path.to_path_buf(),
                line: key_line(text),
            };
            LintError::Settings(problem.at(IGNORE, at))
        };
        answers::find_key(IGNORE)
            .expect("`lint.ignore` is a key of the answers")
            .check(value)
            .map_err(refused)?;
        let entries: List<IgnoreEntry> = value
            .clone()
            .try_into()
            .map_err(|error: toml::de::Error| refused(Problem::Detail(error.message().into())))?;
        let mut settings = Self::none();
        let mut globs = GitignoreBuilder::new(directory);
        for entry in &entries {
            settings.rules.extend(entry.rules());
            if let Some(glob) = entry.path_glob() {
                // `IgnoreEntry` parsed the glob with the same builder, so this never fails.
                globs
                    .add_line(None, glob)
                    .map_err(|error| refused(Problem::invalid(glob, error.to_string())))?;
            }
        }
        settings.paths = globs
            .build()
            .map_err(|error| refused(Problem::Detail(error.to_string())))?;
        Ok(settings)
    }

    /// Whether findings in `relative` (a `/`-separated path) are skipped.
    pub(crate) fn skips_path(&self, relative: &str, is_dir: bool) -> bool {
        !self.paths.is_empty()
            && self
                .paths
                .matched_path_or_any_parents(relative, is_dir)
                .is_ignore()
    }
}

/// The 1-based line holding byte `offset` of `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line of the `ignore` key in `[lint]`, as `regen` locates a bad value.
fn key_line(text: &str) -> Option<usize> {
    let document = toml_edit::Document::parse(text).ok()?;
    let (key, _) = document
        .get("lint")?
        .as_table_like()?
        .get_key_value("ignore")?;
    key.span().map(|span| line_at(text, span.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Settings, LintError> {
        Settings::parse(
            Path::new("/repo"),
            Path::new("/repo/pybootstrap.toml"),
            text,
        )
    }

    #[test]
    fn reads_rules_and_globs() {
        let settings = parse("schema = 1\n[lint]\nignore = [\"PB101\", \"vendor/**\", \"*.md\"]\n")
            .expect("valid settings");
        assert!(settings.rules.contains(&Rule::BreakSystemPackagesFlag));
        assert!(settings.skips_path("vendor/a/Dockerfile", false));
        assert!(settings.skips_path("docs/x.md", false));
        assert!(!settings.skips_path("Dockerfile", false));
    }

    #[test]
    fn reads_ids_in_any_case_and_globs_over_ids() {
        let settings = parse("[lint]\nignore = [\"pb101\", \"PB2*\"]\n").expect("valid settings");
        let expected: BTreeSet<Rule> = Rule::ALL
            .iter()
            .copied()
            .filter(|rule| rule.id() == "PB101" || rule.id().starts_with("PB2"))
            .collect();
        assert_eq!(settings.rules, expected);
        assert!(settings.paths.is_empty());
    }

    /// The answers' error for `key` in the file, with its line.
    fn refused(text: &str) -> (Option<usize>, String) {
        match parse(text) {
            Err(LintError::Settings(answers::Error::InvalidValue {
                at, key, detail, ..
            })) => {
                assert_eq!(key, IGNORE);
                match at {
                    Location::File { line, .. } => (line, detail),
                    other => panic!("{other:?}"),
                }
            }
            Err(LintError::Settings(answers::Error::WrongType { at, key, .. })) => {
                assert_eq!(key, IGNORE);
                match at {
                    Location::File { line, .. } => (line, "wrong type".into()),
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rejects_bad_settings() {
        let (line, detail) = refused("schema = 1\n[lint]\nignore = [\"PB999\"]\n");
        assert_eq!(line, Some(3));
        assert!(detail.starts_with("`PB999` is not a lint rule"), "{detail}");
        let (_, detail) = refused("[lint]\nignore = [\"PB1O1\"]\n");
        assert!(detail.starts_with("`PB1O1` is not a lint rule"), "{detail}");
        let (_, detail) = refused("[lint]\nignore = [\"src/[z-a]\"]\n");
        assert!(
            detail.starts_with("`src/[z-a]` is not a valid path glob"),
            "{detail}"
        );
        assert_eq!(refused("[lint]\nignore = \"PB101\"\n").1, "wrong type");
        match parse("schema = 1\n\n[lint\nignore = []\n") {
            Err(LintError::ConfigSyntax { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
        // Only `ignore` is `lint`'s to read: a file `regen` refuses for other keys still lints.
        assert!(parse("[lint]\nignore = []\n[python]\nversions = \"x\"\n").is_ok());
    }
}
