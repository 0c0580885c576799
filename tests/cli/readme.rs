//! The README and `docs/` are the manual: their reference sections must name what the code knows.

/// The `pybootstrap.toml` table lists every key, with the values the code accepts.
#[test]
fn answers_table_names_every_key() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/answers.md"))
        .expect("docs/answers.md");
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("## `pybootstrap.toml`"))
        .take_while(|l| !l.starts_with("## What gets generated"))
        .collect();
    for info in pybootstrap::answers::keys() {
        assert!(
            table
                .iter()
                .any(|line| line.starts_with(&format!("| `{}` |", info.key))),
            "docs/answers.md's table lacks `{}`",
            info.key
        );
    }
    let rows = table.iter().filter(|line| line.starts_with("| `")).count();
    assert_eq!(
        rows,
        pybootstrap::answers::keys().len(),
        "docs/answers.md's table has keys the code does not know"
    );
}

/// A default written as one literal in the answers table (`` `true` ``, `` `.venv` ``) is the
/// built-in default of `model.rs`, so the two cannot drift; defaults in words (inferred from
/// the repo) are left to the reader.
#[test]
fn answers_table_literal_defaults_are_the_builtin_ones() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/answers.md"))
        .expect("docs/answers.md");
    let builtin = pybootstrap::answers::builtin("project");
    let tree = toml::Value::try_from(&builtin).expect("answers serialise");
    let mut checked = 0;
    for info in pybootstrap::answers::keys() {
        let row = format!("| `{}` | ", info.key);
        let Some(line) = page.lines().find(|line| line.starts_with(&row)) else {
            continue;
        };
        let default = line
            .trim_end_matches(" |")
            .rsplit(" | ")
            .next()
            .unwrap_or_default();
        let Some(literal) = default
            .strip_prefix('`')
            .and_then(|rest| rest.strip_suffix('`'))
            .filter(|literal| !literal.contains('`'))
        else {
            continue;
        };
        let value = info
            .key
            .split('.')
            .try_fold(&tree, |value, name| value.get(name))
            .unwrap_or_else(|| panic!("`{}` has no built-in value", info.key));
        let shown = value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string);
        assert_eq!(
            literal, shown,
            "docs/answers.md's default of `{}`",
            info.key
        );
        checked += 1;
    }
    assert!(checked > 0, "no literal default found in docs/answers.md");
}

/// Every subcommand is in the README's command table and has a section in `docs/`.
#[test]
fn every_subcommand_is_documented() {
    use clap::CommandFactory;
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let mut docs = String::new();
    for entry in std::fs::read_dir(format!("{root}/docs")).expect("docs/") {
        let path = entry.expect("docs/ entry").path();
        if path.extension().is_some_and(|extension| extension == "md") {
            docs += &std::fs::read_to_string(&path).expect("docs page");
        }
    }
    for command in pybootstrap::cli::Cli::command().get_subcommands() {
        let name = command.get_name();
        assert!(
            readme.contains(&format!("| `pybootstrap {name}")),
            "README's command table lacks `pybootstrap {name}`"
        );
        assert!(
            docs.lines()
                .any(|line| line.starts_with('#') && line.contains(&format!("pybootstrap {name}"))),
            "no page in docs/ has a section on `pybootstrap {name}`"
        );
    }
}
