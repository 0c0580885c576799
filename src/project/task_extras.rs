//! Which of a project's extras its own task runner (a `Justfile`, `Makefile`, `noxfile.py`,
//! `tox.ini`) installs: all of them (`uv sync --all-extras`, `poetry install --all-extras`,
//! `pdm install -G :all`), or the ones named in `.[…]` of a pip install of the project.

/// What one runner file installs of the extras `declared` (normalised names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunnerExtras {
    All,
    Named(Vec<String>),
}

/// What `text` installs of `declared`; `None` when it installs none of them. A `.[…]`
/// that names an extra the project does not declare is someone else's (or a typo pip would
/// warn about) and is left out.
pub(crate) fn installed(text: &str, declared: &[String]) -> Option<RunnerExtras> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','))
        .filter(|word| !word.is_empty())
        .collect();
    let all = words.iter().enumerate().any(|(at, word)| {
        *word == "--all-extras"
            || (matches!(*word, "-G" | "--group" | "--with") && words.get(at + 1) == Some(&":all"))
            || *word == "-G:all"
    });
    if all {
        return Some(RunnerExtras::All);
    }
    let mut named: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(".[") {
        let after = &rest[at + 2..];
        let Some(close) = after.find(']') else {
            break;
        };
        let inside = &after[..close];
        rest = &after[close..];
        if inside.contains(['\n', '{', '$']) {
            continue;
        }
        for extra in inside.split(',') {
            let extra = crate::answers::value::normalise_name(extra.trim());
            if declared.contains(&extra) && !named.contains(&extra) {
                named.push(extra);
            }
        }
    }
    (!named.is_empty()).then_some(RunnerExtras::Named(named))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_extras_and_named_ones() {
        let declared: Vec<String> = ["test", "yaml", "all"].map(String::from).to_vec();
        let rows: &[(&str, Option<RunnerExtras>)] = &[
            (
                "install:\n    uv sync --all-extras --dev\n",
                Some(RunnerExtras::All),
            ),
            ("\tpoetry install --all-extras\n", Some(RunnerExtras::All)),
            ("\tpdm install -G :all\n", Some(RunnerExtras::All)),
            (
                "    session.install(\"-e\", \".[all]\")\n",
                Some(RunnerExtras::Named(vec!["all".into()])),
            ),
            (
                "\tpip install -e '.[Test,YAML,docs]'\n",
                Some(RunnerExtras::Named(vec!["test".into(), "yaml".into()])),
            ),
            ("\tpip install -e .[docs]\n", None),
            ("\tpip install -e .\n", None),
            ("    a[i]\n", None),
        ];
        for (text, expected) in rows {
            assert_eq!(&installed(text, &declared), expected, "{text}");
        }
    }
}
