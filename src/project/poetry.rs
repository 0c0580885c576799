//! Poetry's `[tool.poetry.dependencies] python` constraint, as a PEP 440 specifier.

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
