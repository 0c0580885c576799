//! Where the contributor guide goes so that it fits around the repo's docs builds: a pure
//! decision over the facts in `project`, one unit test per row.

use crate::project::docs::DocsTree;

/// Where the contributor guide goes by default.
pub(crate) const DOCS_PATH: &str = "docs/python-environment.md";

/// Where the guide goes when `DOCS_PATH` lies inside a docs build's source tree: beside
/// the README, where neither Sphinx nor MkDocs reads it.
pub(crate) const DOCS_PATH_BESIDE_TREE: &str = "python-environment.md";

/// The contributor guide's default path: `DOCS_PATH`, unless a Sphinx or MkDocs build
/// reads that directory, where an unlisted page fails `sphinx-build -W` (not in any
/// toctree) or `mkdocs build --strict`; then the tree that holds it, and the path beside it.
pub(crate) fn docs_path(trees: &[DocsTree]) -> (&'static str, Option<&DocsTree>) {
    let inside = |tree: &&DocsTree| {
        tree.dir.is_empty() || tree.dir == "." || DOCS_PATH.starts_with(&format!("{}/", tree.dir))
    };
    match trees.iter().find(inside) {
        Some(tree) => (DOCS_PATH_BESIDE_TREE, Some(tree)),
        None => (DOCS_PATH, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_stays_out_of_docs_build_trees() {
        use crate::project::docs::DocsTool;
        let tree = |tool, dir: &str| DocsTree {
            tool,
            dir: dir.to_string(),
        };
        let rows = [
            (vec![], DOCS_PATH),
            (vec![tree(DocsTool::Sphinx, "docs")], DOCS_PATH_BESIDE_TREE),
            (vec![tree(DocsTool::Sphinx, "docs/source")], DOCS_PATH),
            (vec![tree(DocsTool::Sphinx, "doc")], DOCS_PATH),
            (vec![tree(DocsTool::MkDocs, "docs")], DOCS_PATH_BESIDE_TREE),
            (vec![tree(DocsTool::MkDocs, "site")], DOCS_PATH),
            (vec![tree(DocsTool::MkDocs, "docsite")], DOCS_PATH),
        ];
        for (trees, expected) in rows {
            assert_eq!(docs_path(&trees).0, expected, "{trees:?}");
        }
    }
}
