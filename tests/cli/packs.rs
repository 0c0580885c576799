//! Team template packs: export, customise, init and regen with them, fixed keys, and output
//! paths that can never leave the repository.

use crate::support::{Output, Test};

/// Exports the built-in templates into `pack/` and turns them into a small team pack:
/// a default changed, a key fixed, one block overridden, one file of its own.
fn team_pack(test: &Test, version: &str) {
    if !test.path().join("pack").exists() {
        test.run(&["templates", "export", "pack"]).assert_code(0);
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
fn export_lists_every_built_in_template_and_a_commented_manifest() {
    let test = Test::new();
    test.run(&["templates", "export", "pack"]).assert_code(0);
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
    test.run(&["templates", "export", "pack"]).assert_code(1);
    test.run(&["templates", "export", "pack", "--force"])
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
        test.read("repo/.github/workflows/ci.yml")
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
        regen
            .stdout
            .contains("pack acme-python 1.3 → acme-python 1.4"),
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
