//! The repo's documentation build: the source trees Sphinx (`conf.py`) or MkDocs
//! (`mkdocs.yml`) read, where a stray page breaks `sphinx-build -W` or `mkdocs build --strict`.

use super::files::RepoFiles;

/// The tool that builds a docs tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DocsTool {
    Sphinx,
    MkDocs,
}

/// One directory a docs build reads every page from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocsTree {
    pub(crate) tool: DocsTool,
    /// Repo-relative, `/`-separated, without a trailing `/` (`docs`, `docs/source`).
    pub(crate) dir: String,
}

/// Where Sphinx projects keep `conf.py`, the way `sphinx-quickstart` and Read the Docs lay
/// them out.
const SPHINX_DIRS: &[&str] = &["docs", "doc", "docs/source", "doc/source"];

/// The docs trees of a repository whose files are `files` (each Sphinx `conf.py` looked
/// for, `mkdocs.yml` and `mkdocs.yaml` read).
pub(crate) fn read(files: &RepoFiles) -> Vec<DocsTree> {
    let mut trees: Vec<DocsTree> = SPHINX_DIRS
        .iter()
        .filter(|dir| files.is_file(&format!("{dir}/conf.py")))
        .map(|dir| DocsTree {
            tool: DocsTool::Sphinx,
            dir: (*dir).to_string(),
        })
        .collect();
    for name in ["mkdocs.yml", "mkdocs.yaml"] {
        if let Ok(Some(text)) = files.text(name) {
            trees.push(DocsTree {
                tool: DocsTool::MkDocs,
                dir: mkdocs_docs_dir(text),
            });
        }
    }
    trees
}

/// `docs_dir` from an `mkdocs.yml`, `docs` when unset. Read line by line: MkDocs configs
/// carry `!!python/name:` tags that a plain YAML reader refuses.
fn mkdocs_docs_dir(text: &str) -> String {
    text.lines()
        .find_map(|line| line.strip_prefix("docs_dir:"))
        .map(|value| {
            let value = value.split(" #").next().unwrap_or_default().trim();
            let value = value.trim_matches(|c| c == '"' || c == '\'');
            value
                .trim_start_matches("./")
                .trim_end_matches('/')
                .to_string()
        })
        .filter(|value| !value.is_empty())
        .unwrap_or_else(|| "docs".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mkdocs_docs_dir_is_read_or_defaulted() {
        let rows = [
            ("site_name: x\n", "docs"),
            ("site_name: x\ndocs_dir: site-src\n", "site-src"),
            ("docs_dir: \"./documentation/\"  # pages\n", "documentation"),
            ("docs_dir: ''\n", "docs"),
        ];
        for (text, expected) in rows {
            assert_eq!(mkdocs_docs_dir(text), expected, "{text:?}");
        }
    }
}
