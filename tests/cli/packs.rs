//! Team template packs: export, customise, init and regen with them, fixed keys, and output
//! paths that can never leave the repository.

use crate::support::{Output, Test};

/// Exports the built-in templates into `pack/` and turns them into a small team pack:
/// a default changed, a key fixed, one block overridden, one file of its own.
fn team_pack(test: &Test, version: &str) {
    if !test.path().join("pack").exists() {
        test.run(&["templates", "export", "pack", "--full"])
            .assert_code(0);
        assert!(test.read("pack/pack.toml").contains("fixed = []"));
    }
    test.write(
        "pack/pack.toml",
        format!(
            "name = \"acme-python\"\nversion = \"{version}\"\nfixed = [\"ci.providers\"]\n\n[defaults]\npython.versions = [\"3.12\", \"3.13\"]\ntasks.lint = \"ruff check src\"\n\n[files.\"lint.toml\"]\npath = \"config/lint.toml\"\ngroup = \"make\"\n"
        ),
    );
    test.write(
        "pack/ci/github/ci.yml",
        "{% extends \"builtin/ci/github/ci.yml\" %}\n{% block test_steps %}{{ super() }}\n      - run: echo acme-audit-{{ project.name }}\n{% endblock %}\n",
    );
    test.write("pack/lint.toml", "command = {{ tasks.lint | yaml }}\n");
}

fn init_with_pack(test: &Test) -> Output {
    test.run(&["init", "--yes", "--templates", "pack", "repo"])
}

#[test]
fn export_writes_a_small_pack_that_extends_a_built_in() {
    let test = Test::new();
    let output = test.run(&["templates", "export", "pack"]);
    output.assert_code(0);
    assert!(output.stdout.contains("next: edit"), "{}", output.stdout);
    let mut files: Vec<String> = std::fs::read_dir(test.path().join("pack"))
        .expect("read")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    assert_eq!(files, ["make", "pack.toml"]);
    let template = test.read("pack/make/Makefile");
    assert!(
        template.starts_with("{% extends \"builtin/make/Makefile\" %}")
            && template.contains("{% block targets %}"),
        "{template}"
    );
    // It renders: the built-in Makefile block with the pack's target added.
    test.run(&["init", "--yes", "--templates", "pack", "repo"])
        .assert_code(0);
    let makefile = test.read("repo/Makefile");
    assert!(makefile.contains("outdated: bootstrap"), "{makefile}");
    assert!(makefile.contains("test: bootstrap"), "{makefile}");
    // A pack beside the repository is saved relative to it, for teammates with the same layout.
    assert!(
        test.read("repo/pybootstrap.toml")
            .contains("templates = \"../pack\""),
    );
    test.run(&["-q", "templates", "export", "quiet"])
        .assert_code(0);
}

#[test]
fn list_tells_a_template_that_extends_a_built_in_from_one_that_replaces_it() {
    let test = Test::new();
    team_pack(&test, "1.0");
    std::fs::remove_file(test.path().join("pack/snippets/azure.yml")).expect("remove");
    let listed = test.run(&["templates", "list", "--templates", "pack"]);
    listed.assert_code(0);
    let origin = |id: &str| {
        listed
            .stdout
            .lines()
            .find(|line| line.split_whitespace().next() == Some(id))
            .map(|line| {
                line.split_whitespace()
                    .skip(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_else(|| panic!("{id} not listed:\n{}", listed.stdout))
    };
    assert_eq!(origin("ci/github/ci.yml"), "pack (extends built-in)");
    assert_eq!(origin("scripts/bootstrap.sh"), "pack (replaces built-in)");
    assert_eq!(origin("snippets/azure.yml"), "built-in");
}

#[test]
fn export_full_copies_every_built_in_template_and_a_commented_manifest() {
    let test = Test::new();
    test.run(&["templates", "export", "pack", "--full"])
        .assert_code(0);
    let listed = test
        .run(&["templates", "list"])
        .assert_code(0)
        .stdout
        .clone();
    for id in [
        "scripts/bootstrap.sh",
        "scripts/bootstrap.ps1",
        "make/Makefile",
        "ci/github/ci.yml",
        "ci/gitlab/gitlab-ci.yml",
        "docs/python-environment.md",
        "ignore/gitignore",
    ] {
        assert!(listed.contains(id), "{listed}");
        assert!(
            test.path().join("pack").join(id).is_file(),
            "{id} not exported"
        );
    }
    let shown = test
        .run(&["templates", "show", "scripts/bootstrap.sh"])
        .assert_code(0)
        .stdout
        .clone();
    assert_eq!(shown, test.read("pack/scripts/bootstrap.sh"));
    test.run(&["templates", "show", "no/such"]).assert_code(2);
    // A second export refuses to overwrite the team's edits.
    test.run(&["templates", "export", "pack", "--full"])
        .assert_code(1);
    test.run(&["templates", "export", "pack", "--full", "--force"])
        .assert_code(0);
}

#[test]
fn init_and_regen_use_the_packs_defaults_blocks_and_files() {
    let test = Test::new();
    team_pack(&test, "1.3");
    init_with_pack(&test).assert_code(0);
    let answers = test.read("repo/pybootstrap.toml");
    assert!(
        answers.contains("versions = [\"3.12\", \"3.13\"]"),
        "{answers}"
    );
    assert!(answers.contains("lint = \"ruff check src\""), "{answers}");
    assert!(
        test.read("repo/.github/workflows/pybootstrap.yml")
            .contains("echo acme-audit-repo")
    );
    assert_eq!(
        test.read("repo/config/lint.toml"),
        "command = \"ruff check src\"\n"
    );
    let lock = test.read("repo/pybootstrap.lock");
    assert!(
        lock.contains("name = \"acme-python\"") && lock.contains("version = \"1.3\""),
        "{lock}"
    );

    // The team rolls out 1.4: regen names the pack as the reason.
    team_pack(&test, "1.4");
    test.write(
        "pack/ci/github/ci.yml",
        "{% extends \"builtin/ci/github/ci.yml\" %}\n{% block test_steps %}{{ super() }}\n      - run: echo acme-audit-v2\n{% endblock %}\n",
    );
    let check = test.run(&["regen", "--check", "repo"]);
    check.assert_code(1);
    assert!(
        check.stdout.contains("+      - run: echo acme-audit-v2"),
        "{}",
        check.stdout
    );
    let regen = test.run(&["regen", "repo"]);
    regen.assert_code(0);
    assert!(
        regen.stdout.contains("pack acme-python 1.3 → 1.4"),
        "{}",
        regen.stdout
    );
    test.run(&["regen", "--check", "repo"]).assert_code(0);
}

#[test]
fn fixed_keys_refuse_set_and_hand_edits_naming_the_pack() {
    let test = Test::new();
    team_pack(&test, "1.0");
    init_with_pack(&test).assert_code(0);
    let output = test.run(&["regen", "repo", "--set", "ci.providers=gitlab"]);
    output.assert_code(2);
    assert!(output.stderr.contains("acme-python"), "{}", output.stderr);
    let answers = test
        .read("repo/pybootstrap.toml")
        .replace("providers = [\"github\"]", "providers = [\"gitlab\"]");
    test.write("repo/pybootstrap.toml", answers);
    let output = test.run(&["regen", "repo"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("acme-python") && output.stderr.contains("pybootstrap.toml"),
        "{}",
        output.stderr
    );
}

#[test]
fn pack_paths_can_never_write_outside_the_repo() {
    for path in [
        "../escape.txt",
        "/tmp/pybootstrap-escape.txt",
        "sub/../../escape.txt",
    ] {
        let test = Test::new();
        team_pack(&test, "1.0");
        let manifest = test
            .read("pack/pack.toml")
            .replace("config/lint.toml", path);
        test.write("pack/pack.toml", manifest);
        let output = init_with_pack(&test);
        output.assert_code(2);
        assert!(!test.path().join("escape.txt").exists());
        assert!(!std::path::Path::new("/tmp/pybootstrap-escape.txt").exists());
        assert!(
            !test.path().join("repo/pybootstrap.toml").exists(),
            "{path}: wrote files"
        );
    }
    // A symlink in the repo that leads out of it.
    let test = Test::new();
    team_pack(&test, "1.0");
    std::fs::create_dir_all(test.path().join("repo")).expect("mkdir");
    std::fs::create_dir_all(test.path().join("outside")).expect("mkdir");
    std::os::unix::fs::symlink(test.path().join("outside"), test.path().join("repo/config"))
        .expect("symlink");
    let output = init_with_pack(&test);
    output.assert_code(2);
    assert!(!test.path().join("outside/lint.toml").exists());
}

#[test]
fn a_pack_only_this_machine_has_is_saved_absolute_with_a_warning() {
    let test = Test::new();
    team_pack(&test, "1.0");
    // Shares only `/` with the repository: no relative path a teammate could have.
    let elsewhere = tempfile::Builder::new()
        .prefix("pybootstrap-pack-")
        .tempdir_in("/var/tmp")
        .expect("temp dir in /var/tmp");
    for entry in ["pack.toml", "lint.toml", "ci"] {
        std::fs::rename(
            test.path().join("pack").join(entry),
            elsewhere.path().join(entry),
        )
        .expect("move the pack");
    }
    let pack = elsewhere.path().to_str().expect("utf-8").to_string();
    let output = test.run(&["init", "--yes", "--templates", &pack, "repo"]);
    output.assert_code(0);
    assert!(
        output.stderr.contains("teammates will not have"),
        "{}",
        output.stderr
    );
    assert!(
        test.read("repo/pybootstrap.toml")
            .contains(&format!("templates = \"{pack}\""))
    );
    // A missing directory pack says what it looked for and how to share one.
    let output = test.run(&["regen", "repo", "--set", "templates=../no-such-pack"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("no-such-pack/pack.toml") && output.stderr.contains("git+https://"),
        "{}",
        output.stderr
    );
}
