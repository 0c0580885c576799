//! The `[lint]` settings of `pybootstrap.toml`: only `ignore`, rule ids and path globs.

use std::collections::BTreeSet;
use std::path::Path;

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::error::LintError;
use super::rules::Rule;

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

    /// Reads the `[lint] ignore` key of a `pybootstrap.toml` text.
    pub(crate) fn parse(directory: &Path, path: &Path, text: &str) -> Result<Self, LintError> {
        let table: toml::Table = toml::from_str(text).map_err(|error| {
            let line = error.span().map_or(1, |span| {
                text[..span.start.min(text.len())].matches('\n').count() + 1
            });
            LintError::ConfigSyntax {
                path: path.to_path_buf(),
                line,
                message: error.message().to_string(),
            }
        })?;
        let mut settings = Self::none();
        let Some(lint) = table.get("lint") else {
            return Ok(settings);
        };
        let type_error = |found: &toml::Value| LintError::ConfigType {
            path: path.to_path_buf(),
            found: format!("{} `{found}`", found.type_str()),
        };
        let Some(ignore) = lint.get("ignore") else {
            return Ok(settings);
        };
        let entries = ignore.as_array().ok_or_else(|| type_error(ignore))?;
        let mut globs = GitignoreBuilder::new(directory);
        for entry in entries {
            let entry = entry.as_str().ok_or_else(|| type_error(entry))?;
            // `PB1O1` or `pb101` is a mistyped rule, not a file name to skip.
            let looks_like_rule = entry.to_ascii_uppercase().starts_with("PB")
                && !entry.contains(['/', '*', '?', '[', '.']);
            if looks_like_rule {
                let id = entry.to_ascii_uppercase();
                let rule = Rule::from_id(&id).ok_or_else(|| LintError::UnknownRule {
                    path: path.to_path_buf(),
                    id: entry.to_string(),
                })?;
                settings.rules.insert(rule);
            } else {
                globs
                    .add_line(None, entry)
                    .map_err(|source| LintError::BadGlob {
                        path: path.to_path_buf(),
                        glob: entry.to_string(),
                        source,
                    })?;
            }
        }
        settings.paths = globs.build().map_err(|source| LintError::BadGlob {
            path: path.to_path_buf(),
            glob: String::new(),
            source,
        })?;
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
    fn rejects_bad_settings() {
        assert!(matches!(
            parse("[lint]\nignore = [\"PB999\"]\n"),
            Err(LintError::UnknownRule { .. })
        ));
        assert!(matches!(
            parse("[lint]\nignore = [\"PB1O1\"]\n"),
            Err(LintError::UnknownRule { .. })
        ));
        assert!(parse("[lint]\nignore = [\"pb101\"]\n").is_ok());
        assert!(matches!(
            parse("[lint]\nignore = \"PB101\"\n"),
            Err(LintError::ConfigType { .. })
        ));
        match parse("schema = 1\n\n[lint\nignore = []\n") {
            Err(LintError::ConfigSyntax { line, .. }) => assert_eq!(line, 3),
            other => panic!("{other:?}"),
        }
    }
}
