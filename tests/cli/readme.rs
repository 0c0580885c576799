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

/// README.md, CONTRIBUTING.md and every page of `docs/`, with their paths.
fn pages() -> Vec<(std::path::PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
        .collect();
    docs.sort();
    paths.extend(docs);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("page");
            (path, text)
        })
        .collect()
}

fn is_fence(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with("```") || line.starts_with("~~~")
}

/// The page's lines outside code: fenced blocks blanked, inline code removed (a link
/// written inside code is an example, not a link).
fn prose(text: &str) -> Vec<String> {
    let inline = regex::Regex::new("`+[^`]*`+").expect("regex");
    let mut fenced = false;
    text.lines()
        .map(|line| {
            if is_fence(line) {
                fenced = !fenced;
                return String::new();
            }
            if fenced {
                String::new()
            } else {
                inline.replace_all(line, "").into_owned()
            }
        })
        .collect()
}

/// The code of a page: each inline code span, and each line of a fenced block.
fn code(text: &str) -> Vec<String> {
    let inline = regex::Regex::new("`+([^`]+)`+").expect("regex");
    let mut fenced = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if is_fence(line) {
            fenced = !fenced;
        } else if fenced {
            found.push(line.to_string());
        } else {
            found.extend(inline.captures_iter(line).map(|c| c[1].to_string()));
        }
    }
    found
}

/// GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces
/// to `-`.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every anchor of a page's headings, a repeated heading's as GitHub numbers it (`x-1`).
fn anchors(text: &str) -> std::collections::HashSet<String> {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    let mut fenced = false;
    let mut found = std::collections::HashSet::new();
    for line in text.lines() {
        if is_fence(line) {
            fenced = !fenced;
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if fenced || hashes == 0 || hashes > 6 || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(line[hashes..].trim_end_matches('#'));
        let count = seen.entry(base.clone()).or_default();
        found.insert(if *count == 0 {
            base
        } else {
            format!("{base}-{count}")
        });
        *count += 1;
    }
    found
}

/// Every relative link of the README, CONTRIBUTING and `docs/` names a file that exists,
/// and its `#anchor` a heading of that page.
#[test]
fn every_relative_link_resolves() {
    let link = regex::Regex::new(r"\]\(([^)\s]+)\)").expect("regex");
    let mut broken = Vec::new();
    let mut checked = 0;
    for (page, text) in pages() {
        let name = page
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(&page)
            .display()
            .to_string();
        for (number, line) in prose(&text).iter().enumerate() {
            for captures in link.captures_iter(line) {
                let target = &captures[1];
                let scheme = target
                    .split_once(':')
                    .is_some_and(|(scheme, _)| scheme.chars().all(|c| c.is_ascii_alphanumeric()));
                if scheme {
                    continue;
                }
                checked += 1;
                let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
                let file = if path.is_empty() {
                    page.clone()
                } else {
                    page.parent().expect("page dir").join(path)
                };
                let at = format!("{name}:{}: `{target}`", number + 1);
                if !file.exists() {
                    broken.push(format!("{at}: no file {}", file.display()));
                    continue;
                }
                let markdown = file.extension().is_some_and(|extension| extension == "md");
                if !anchor.is_empty() && markdown {
                    let text = std::fs::read_to_string(&file).expect("linked page");
                    if !anchors(&text).contains(anchor) {
                        broken.push(format!("{at}: no heading `#{anchor}`"));
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > 50, "only {checked} links found");
}

#[test]
fn anchors_are_githubs() {
    let page = "# Team packs\n## `pybootstrap.toml` — the answers\n## Fetching, the lock and the cache\n```\n# not a heading\n```\n## Fetching, the lock and the cache\n";
    let found = anchors(page);
    for anchor in [
        "team-packs",
        "pybootstraptoml--the-answers",
        "fetching-the-lock-and-the-cache",
        "fetching-the-lock-and-the-cache-1",
    ] {
        assert!(found.contains(anchor), "{anchor} not in {found:?}");
    }
    assert!(!found.contains("not-a-heading"));
}

/// The long flags a command takes, its global ones included; for a command with
/// subcommands (`templates`), theirs too.
fn long_flags(command: &clap::Command) -> std::collections::HashSet<String> {
    let mut flags: std::collections::HashSet<String> = command
        .get_arguments()
        .filter_map(|arg| arg.get_long().map(str::to_string))
        .collect();
    for sub in command.get_subcommands() {
        flags.extend(long_flags(sub));
    }
    flags.extend(["help", "version"].map(str::to_string));
    flags
}

/// Every `pybootstrap COMMAND ... --flag` in the code of the README, CONTRIBUTING and
/// `docs/`, and every `--flag` in a command's section of docs/commands.md, is a flag of
/// that command in the clap definition.
#[test]
fn documented_flags_exist() {
    use clap::CommandFactory;
    let mut cli = pybootstrap::cli::Cli::command();
    cli.build();
    let global = long_flags(
        &clap::Command::new("global").args(
            cli.get_arguments()
                .filter(|arg| arg.is_global_set())
                .cloned(),
        ),
    );
    let find = |name: &str| {
        cli.get_subcommands()
            .find(|sub| sub.get_name() == name || sub.get_all_aliases().any(|alias| alias == name))
    };
    let flag = regex::Regex::new(r"(?:^|[\s\[(])--([a-z][a-z0-9-]*)").expect("regex");
    let invocation = regex::Regex::new(r"\bpybootstrap ([a-z]+)([^|;&#>`]*)").expect("regex");
    let mut unknown = Vec::new();
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut check = |at: &str, command: &clap::Command, text: &str| {
        let known = long_flags(command);
        for captures in flag.captures_iter(text) {
            checked += 1;
            let name = &captures[1];
            if !known.contains(name) && !global.contains(name) {
                unknown.push(format!(
                    "{at}: `--{name}` is not a flag of `{}`",
                    command.get_name()
                ));
            }
        }
    };
    for (page, text) in pages() {
        let name = page
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        for snippet in code(&text) {
            // A command line that starts with `pybootstrap` names a command the binary has.
            let line = snippet.trim_start().trim_start_matches("$ ");
            if let Some(word) = line
                .strip_prefix("pybootstrap ")
                .and_then(|rest| rest.split_whitespace().next())
                .filter(|word| !word.starts_with('-'))
                .filter(|word| find(word).is_none())
                .filter(|word| !word.chars().all(|c| c.is_ascii_uppercase()))
            {
                missing.push(format!("{name}: `{line}`: no command `{word}`"));
            }
            for captures in invocation.captures_iter(&snippet) {
                if let Some(command) = find(&captures[1]) {
                    check(&name, command, &captures[2]);
                }
            }
        }
    }
    // docs/commands.md: a flag named alone in a command's section is that command's.
    let commands =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/commands.md"))
            .expect("docs/commands.md");
    let mut section: Option<&clap::Command> = None;
    for line in commands.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading
                .strip_prefix("`pybootstrap ")
                .and_then(|rest| rest.split([' ', '`']).next())
                .and_then(find);
            continue;
        }
        let Some(command) = section else {
            continue;
        };
        for snippet in code(line) {
            if snippet.starts_with("--") {
                check("docs/commands.md", command, &snippet);
            }
        }
    }
    unknown.extend(missing);
    assert!(unknown.is_empty(), "{}", unknown.join("\n"));
    assert!(checked > 40, "only {checked} flags found");
}

/// A `cargo install` the docs show uses the lock (`--locked`): without it cargo resolves
/// every dependency again, to newer versions than the ones tested.
#[test]
fn cargo_install_lines_are_locked() {
    for (page, text) in pages() {
        for snippet in code(&text) {
            // `cargo install` alone names the command; with arguments it is one to run.
            for (at, _) in snippet.match_indices("cargo install ") {
                let rest = &snippet[at..];
                let command = rest.split(['#', ';', '|']).next().unwrap_or(rest);
                assert!(
                    command.contains("--locked"),
                    "{}: `{command}` lacks --locked",
                    page.display()
                );
            }
        }
    }
}

/// The paths `init --dry-run` lists in `dir`, run with `args`.
fn planned_paths(test: &crate::support::Test, dir: &str, args: &[&str]) -> Vec<String> {
    let mut all = vec!["init", "--yes", "--dry-run"];
    all.extend_from_slice(args);
    let output = test.run_in(dir, &all);
    output.assert_code(0);
    output
        .stdout
        .lines()
        .filter_map(|line| line.split_whitespace().last())
        .map(str::to_string)
        .collect()
}

/// Plan listings shown in the docs (`   update .github/workflows/pybootstrap.yml`) name
/// files `init` writes, as the binary lists them: a renamed file cannot linger in an
/// example.
#[test]
fn plan_listings_in_docs_name_files_init_writes() {
    let test = crate::support::Test::new();
    test.write("empty/.keep", "");
    let mut written = planned_paths(&test, "empty", &["--set", "ci.providers=github,gitlab"]);
    // Around a docs build the guide moves; beside a GitLab pipeline of the user's, the
    // pipeline goes to a file of its own.
    test.write("site/mkdocs.yml", "site_name: x\n");
    test.write("site/docs/index.md", "# x\n");
    written.extend(planned_paths(&test, "site", &[]));
    test.write("gitlab/.gitlab-ci.yml", "test:\n  script: [\"true\"]\n");
    written.extend(planned_paths(
        &test,
        "gitlab",
        &["--set", "ci.providers=gitlab"],
    ));
    assert!(
        written.iter().any(|path| path == "scripts/bootstrap.cmd"),
        "{written:?}"
    );

    let row = regex::Regex::new(
        r"^\s*(?:merge block|update block|remove block|create|update|merge|delete|keep|refuse|unchanged|conflict)\s+(\S+)",
    )
    .expect("regex");
    let mut checked = 0;
    for (page, text) in pages() {
        let mut fenced = false;
        for line in text.lines() {
            if is_fence(line) {
                fenced = !fenced;
                continue;
            }
            let Some(captures) = row.captures(line).filter(|_| fenced) else {
                continue;
            };
            let path = &captures[1];
            if !path.contains(['.', '/']) {
                continue;
            }
            checked += 1;
            assert!(
                written.iter().any(|file| file == path),
                "{}: `{line}` names `{path}`, which init does not write ({written:?})",
                page.display()
            );
        }
    }
    assert!(checked >= 5, "only {checked} plan rows found in the docs");
}
