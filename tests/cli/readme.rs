//! The README is the manual: its reference sections must name what the code knows.

/// The `pybootstrap.toml` table lists every key, with the values the code accepts.
#[test]
fn readme_answers_table_names_every_key() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
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
            "README's answers table lacks `{}`",
            info.key
        );
    }
    let rows = table.iter().filter(|line| line.starts_with("| `")).count();
    assert_eq!(
        rows,
        pybootstrap::answers::keys().len(),
        "README's answers table has keys the code does not know"
    );
}

/// Every subcommand has a section.
#[test]
fn readme_documents_every_subcommand() {
    use clap::CommandFactory;
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    for command in pybootstrap::cli::Cli::command().get_subcommands() {
        let name = command.get_name();
        assert!(
            readme.contains(&format!("pybootstrap {name}")),
            "README does not document `pybootstrap {name}`"
        );
    }
}
