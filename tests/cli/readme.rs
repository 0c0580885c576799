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
