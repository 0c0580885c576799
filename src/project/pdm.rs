//! What PDM's `[tool.pdm]` table says: its own development groups.

/// `[tool.pdm.dev-dependencies]`: each group's name and requirement strings (PDM before
/// PEP 735; newer projects use `[dependency-groups]`, read with the other PEP 735 groups).
pub(crate) fn dev_groups(pyproject: &toml::Table) -> Vec<(String, Vec<String>)> {
    pyproject
        .get("tool")
        .and_then(|tool| tool.get("pdm"))
        .and_then(|pdm| pdm.get("dev-dependencies"))
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .map(|(name, items)| {
            let requirements = items
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect();
            (name.clone(), requirements)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_dependencies_by_group() {
        let pyproject: toml::Table = toml::from_str(
            "[tool.pdm.dev-dependencies]\ntest = [\"pytest>=8\"]\nlint = [\"ruff\"]\n[tool.pdm.build]\nincludes = []\n",
        )
        .expect("valid TOML");
        assert_eq!(
            dev_groups(&pyproject),
            vec![
                ("lint".to_string(), vec!["ruff".to_string()]),
                ("test".to_string(), vec!["pytest>=8".to_string()]),
            ]
        );
        let built_only: toml::Table =
            toml::from_str("[tool.pdm.version]\nsource = \"scm\"\n").expect("valid TOML");
        assert!(dev_groups(&built_only).is_empty());
    }
}
