//! What Poetry's `[tool.poetry]` table says: the `python` constraint as a PEP 440
//! specifier, and the dependency groups only Poetry installs.

/// A Poetry dependency group: `[tool.poetry.group.<name>]`, or the legacy
/// `[tool.poetry.dev-dependencies]`, which Poetry reads as the group `dev`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    pub(crate) name: String,
    /// `optional = true`: Poetry installs it only when asked (`--with`).
    pub(crate) optional: bool,
    /// The distribution names it declares (the keys of its dependencies table).
    pub(crate) packages: Vec<String>,
}

fn poetry_table(pyproject: &toml::Table) -> Option<&toml::Table> {
    pyproject.get("tool")?.get("poetry")?.as_table()
}

fn keys(table: Option<&toml::Value>) -> Vec<String> {
    table
        .and_then(toml::Value::as_table)
        .map(|table| table.keys().cloned().collect())
        .unwrap_or_default()
}

/// The groups `pyproject` declares to Poetry, legacy `dev-dependencies` first.
pub(crate) fn groups(pyproject: &toml::Table) -> Vec<Group> {
    let Some(poetry) = poetry_table(pyproject) else {
        return Vec::new();
    };
    let mut groups = Vec::new();
    if let Some(legacy) = poetry.get("dev-dependencies") {
        groups.push(Group {
            name: "dev".to_string(),
            optional: false,
            packages: keys(Some(legacy)),
        });
    }
    for (name, group) in poetry
        .get("group")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
    {
        let optional = group
            .get("optional")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false);
        let packages = keys(group.get("dependencies"));
        match groups
            .iter_mut()
            .find(|known: &&mut Group| known.name == *name)
        {
            Some(known) => known.packages.extend(packages),
            None => groups.push(Group {
                name: name.clone(),
                optional,
                packages,
            }),
        }
    }
    groups
}

/// The main dependencies of a Poetry 1 project (`[tool.poetry.dependencies]`, but `python`).
pub(crate) fn dependencies(pyproject: &toml::Table) -> Vec<String> {
    keys(poetry_table(pyproject).and_then(|poetry| poetry.get("dependencies")))
        .into_iter()
        .filter(|name| name != "python")
        .collect()
}

/// Whether the project is managed with Poetry beyond its metadata: it declares dependencies
/// (other than `python`) or groups that only Poetry installs.
pub(crate) fn manages(pyproject: &toml::Table) -> bool {
    !groups(pyproject).is_empty() || !dependencies(pyproject).is_empty()
}

/// Translates Poetry's constraint syntax (`^3.8`, `~3.9`, `>=3.8,<4.0`, `3.10.*`, `*`)
/// into PEP 440. `None` for `*` (no bound) ; an error for what has no single-range
/// translation (`||` alternatives, `~` without a minor).
pub(crate) fn python_specifier(constraint: &str) -> Result<Option<String>, String> {
    let constraint = constraint.trim();
    if constraint == "*" || constraint.is_empty() {
        return Ok(None);
    }
    if constraint.contains("||") || constraint.contains('|') {
        return Err(format!(
            "`{constraint}` names alternatives (`||`); set `python.requires` to one range"
        ));
    }
    let mut clauses = Vec::new();
    // Poetry separates clauses with `,` or spaces (`>=3.8 <4.0`).
    for clause in constraint
        .split([',', ' '])
        .map(str::trim)
        .filter(|clause| !clause.is_empty())
    {
        if let Some(version) = clause.strip_prefix('^') {
            let release = numbers(version, clause)?;
            // Caret: below the next bump of the first non-zero number.
            let position = release.iter().position(|&number| number != 0).unwrap_or(0);
            let mut upper = release[..=position].to_vec();
            upper[position] += 1;
            clauses.push(format!(">={version}"));
            clauses.push(format!("<{}", join(&upper)));
        } else if let Some(version) = clause
            .strip_prefix('~')
            .filter(|rest| !rest.starts_with('='))
        {
            let release = numbers(version, clause)?;
            // Tilde: `~3` is `>=3,<4`; `~3.9` and `~3.9.1` are below 3.10.
            let keep = release.len().min(2);
            let mut upper = release[..keep].to_vec();
            upper[keep - 1] += 1;
            clauses.push(format!(">={version}"));
            clauses.push(format!("<{}", join(&upper)));
        } else if clause.starts_with(|character: char| character.is_ascii_digit()) {
            clauses.push(format!("=={clause}"));
        } else {
            clauses.push(clause.to_string());
        }
    }
    Ok(Some(clauses.join(",")))
}

fn numbers(version: &str, clause: &str) -> Result<Vec<u64>, String> {
    let release: Option<Vec<u64>> = version.split('.').map(|part| part.parse().ok()).collect();
    release
        .filter(|release| !release.is_empty())
        .ok_or_else(|| format!("`{clause}` is not a version constraint"))
}

fn join(release: &[u64]) -> String {
    release
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        toml::from_str(text).expect("valid TOML")
    }

    #[test]
    fn groups_of_both_shapes() {
        let pyproject = table(
            "[tool.poetry.dependencies]\npython = \"^3.9\"\nrich = \"*\"\n[tool.poetry.dev-dependencies]\npytest = \"^8\"\n[tool.poetry.group.docs]\noptional = true\n[tool.poetry.group.docs.dependencies]\nsphinx = \"*\"\n",
        );
        assert_eq!(
            groups(&pyproject),
            vec![
                Group {
                    name: "dev".into(),
                    optional: false,
                    packages: vec!["pytest".into()],
                },
                Group {
                    name: "docs".into(),
                    optional: true,
                    packages: vec!["sphinx".into()],
                },
            ]
        );
        assert_eq!(dependencies(&pyproject), vec!["rich".to_string()]);
        assert!(manages(&pyproject));
    }

    #[test]
    fn a_python_constraint_alone_is_not_poetry_managed() {
        let pyproject = table("[tool.poetry.dependencies]\npython = \"^3.9\"\n");
        assert!(groups(&pyproject).is_empty());
        assert!(!manages(&pyproject));
        assert!(!manages(&table("[project]\nname = \"x\"\n")));
    }

    #[test]
    fn poetry_constraints_become_pep440() {
        let translate = |text: &str| python_specifier(text).expect(text);
        assert_eq!(translate("^3.9").as_deref(), Some(">=3.9,<4"));
        assert_eq!(translate("^3.8.1").as_deref(), Some(">=3.8.1,<4"));
        assert_eq!(translate("~3.9").as_deref(), Some(">=3.9,<3.10"));
        assert_eq!(translate("~3.9.2").as_deref(), Some(">=3.9.2,<3.10"));
        assert_eq!(translate(">=3.8,<4.0").as_deref(), Some(">=3.8,<4.0"));
        assert_eq!(translate(">=3.8 <3.13").as_deref(), Some(">=3.8,<3.13"));
        assert_eq!(translate("3.11.*").as_deref(), Some("==3.11.*"));
        assert_eq!(translate("~=3.10").as_deref(), Some("~=3.10"));
        assert_eq!(translate("*"), None);
        assert!(python_specifier("^3.8 || ^4.0").is_err());
        assert!(python_specifier("^x").is_err());
    }
}
