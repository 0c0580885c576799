//! Team packs from git: a real repository served through `file://`, pinned by tag, locked
//! by commit, upgraded with `--set`, and used offline from the cache.

use std::path::Path;
use std::process::Command;

use crate::support::Test;

/// Runs git in `dir` with a fixed identity, so the test needs no user configuration.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=Pack Maintainer",
            "-c",
            "user.email=pack@example.com",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "tag.gpgSign=false",
            "-c",
            "commit.gpgSign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A pack repository at `packsrc/` with tags `v1.3` and `v1.4`; returns their commits.
fn pack_repository(test: &Test) -> (String, String) {
    let dir = test.path().join("packsrc");
    std::fs::create_dir_all(&dir).expect("mkdir");
    git(&dir, &["init", "--quiet"]);
    test.run(&["templates", "export", "packsrc"]).assert_code(0);
    let release = |version: &str, step: &str| {
        test.write(
            "packsrc/pack.toml",
            format!("name = \"acme-python\"\nversion = \"{version}\"\n"),
        );
        test.write(
            "packsrc/ci/github/ci.yml",
            format!(
                "{{% extends \"builtin/ci/github/ci.yml\" %}}\n{{% block test_steps %}}{{{{ super() }}}}\n      - run: echo {step}\n{{% endblock %}}\n"
            ),
        );
        git(&dir, &["add", "--all"]);
        git(&dir, &["commit", "--quiet", "-m", version]);
        git(&dir, &["tag", &format!("v{version}")]);
        git(&dir, &["rev-parse", "HEAD"])
    };
    (
        release("1.3", "acme-audit-1"),
        release("1.4", "acme-audit-2"),
    )
}

fn source(test: &Test, tag: &str) -> String {
    format!("file://{}/packsrc@{tag}", test.path().display())
}

/// Every file under `dir`, with its contents, to prove a failed run wrote nothing.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in walk(dir) {
        let contents = std::fs::read(&entry).expect("read");
        files.push((entry.display().to_string(), contents));
    }
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn a_git_pack_is_pinned_locked_upgraded_and_used_offline() {
    let mut test = Test::new();
    let (first, second) = pack_repository(&test);
    let v13 = source(&test, "v1.3");
    test.run(&["init", "--yes", "--templates", &v13, "repo"])
        .assert_code(0);
    assert!(
        test.read("repo/pybootstrap.toml")
            .contains(&format!("templates = \"{v13}\"")),
        "the source is saved as written"
    );
    let lock = test.read("repo/pybootstrap.lock");
    assert!(
        lock.contains(&format!("commit = \"{first}\"")) && lock.contains("version = \"1.3\""),
        "{lock}"
    );
    assert!(
        test.read("repo/.github/workflows/pybootstrap.yml")
            .contains("echo acme-audit-1")
    );

    // The upgrade names the pack, both versions and both commits.
    let v14 = source(&test, "v1.4");
    let upgrade = test.run(&["regen", "repo", "--set", &format!("templates={v14}")]);
    upgrade.assert_code(0);
    let reason = format!(
        "because pack acme-python 1.3 → 1.4 (commit {} → {})",
        &first[..7],
        &second[..7]
    );
    assert!(upgrade.stdout.contains(&reason), "{}", upgrade.stdout);
    assert!(
        test.read("repo/.github/workflows/pybootstrap.yml")
            .contains("echo acme-audit-2")
    );
    assert!(
        test.read("repo/pybootstrap.lock")
            .contains(&format!("commit = \"{second}\""))
    );

    // The source is gone (no network): the locked commit comes from the cache.
    std::fs::rename(test.path().join("packsrc"), test.path().join("moved")).expect("move");
    test.run(&["regen", "--check", "repo"]).assert_code(0);
    test.run(&["regen", "repo"]).assert_code(0);
    let listed = test.run_in("repo", &["templates", "list"]);
    listed.assert_code(0);
    assert!(
        listed.stdout.contains("pack (extends built-in)"),
        "{}",
        listed.stdout
    );

    // A teammate's clone on another machine (an empty cache) fetches the same commit.
    std::fs::rename(test.path().join("moved"), test.path().join("packsrc")).expect("move back");
    // The tag moves after the lock was written: the lock still decides.
    let dir = test.path().join("packsrc");
    test.write("packsrc/extra.md", "later\n");
    git(&dir, &["add", "--all"]);
    git(&dir, &["commit", "--quiet", "-m", "later"]);
    git(&dir, &["tag", "--force", "v1.4"]);
    let fresh = test.path().join("teammate-cache");
    test.env("XDG_CACHE_HOME", fresh.to_str().expect("utf-8"));
    test.run(&["regen", "--check", "repo"]).assert_code(0);
    assert!(
        fresh
            .join("pybootstrap/packs")
            .join(&second)
            .join("pack.toml")
            .is_file(),
        "the teammate's cache holds the locked commit"
    );
    // Even with the tag deleted, the locked commit is fetched by its id.
    git(&dir, &["tag", "--delete", "v1.4"]);
    let third = test.path().join("third-cache");
    test.env("XDG_CACHE_HOME", third.to_str().expect("utf-8"));
    test.run(&["regen", "--check", "repo"]).assert_code(0);
    assert!(third.join("pybootstrap/packs").join(&second).is_dir());
}

#[test]
fn a_bad_ref_or_an_unreachable_source_exits_2_and_writes_nothing() {
    let test = Test::new();
    pack_repository(&test);
    // Nothing at all yet: init writes no file and creates no directory.
    let output = test.run(&[
        "init",
        "--yes",
        "--templates",
        &source(&test, "v9.9"),
        "repo",
    ]);
    output.assert_code(2);
    assert!(output.stderr.contains("no ref `v9.9`"), "{}", output.stderr);
    assert!(output.stderr.contains("packsrc@v9.9"), "{}", output.stderr);
    assert!(!test.path().join("repo").exists());
    let missing = format!("file://{}/nowhere@v1.3", test.path().display());
    let output = test.run(&["init", "--yes", "--templates", &missing, "repo"]);
    output.assert_code(2);
    assert!(output.stderr.contains("nowhere@v1.3"), "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains("does not appear to be a git repository"),
        "{}",
        output.stderr
    );
    assert!(!test.path().join("repo").exists());

    // An existing repository: regen with either changes no file.
    test.run(&[
        "init",
        "--yes",
        "--templates",
        &source(&test, "v1.3"),
        "repo",
    ])
    .assert_code(0);
    let before = snapshot(&test.path().join("repo"));
    for bad in [source(&test, "v9.9"), missing] {
        let output = test.run(&["regen", "repo", "--set", &format!("templates={bad}")]);
        output.assert_code(2);
        assert!(output.stderr.contains(&bad), "{}", output.stderr);
        assert_eq!(snapshot(&test.path().join("repo")), before);
    }
}

#[test]
fn a_git_pack_that_fails_validation_names_its_source() {
    let test = Test::new();
    pack_repository(&test);
    let dir = test.path().join("packsrc");
    test.write("packsrc/pack.toml", "version = \"2.0\"\n");
    git(&dir, &["commit", "--quiet", "-am", "broken"]);
    git(&dir, &["tag", "v2.0"]);
    let output = test.run(&[
        "init",
        "--yes",
        "--templates",
        &source(&test, "v2.0"),
        "repo",
    ]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("packsrc@v2.0") && output.stderr.contains("is invalid"),
        "{}",
        output.stderr
    );
    assert!(!test.path().join("repo").exists());
}

#[test]
fn malformed_sources_are_refused_before_anything_runs() {
    let test = Test::new();
    for bad in [
        "gh:acme",
        "git+ftp://example.com/pack",
        "https://example.com/pack.git",
    ] {
        let output = test.run(&[
            "init",
            "--yes",
            "--set",
            &format!("templates={bad}"),
            "repo",
        ]);
        output.assert_code(2);
        assert!(output.stderr.contains(bad), "{bad}: {}", output.stderr);
        let output = test.run(&["init", "--yes", "--templates", bad, "repo"]);
        output.assert_code(2);
        assert!(!test.path().join("repo").exists());
    }
}

/// The Renovate custom managers in docs/packs.md find the `templates` line a repository
/// carries, for both spellings, and capture the pack and its tag.
#[test]
fn the_documented_renovate_rule_captures_the_pack_tag() {
    let docs = fs_err::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/packs.md"))
        .expect("docs/packs.md");
    let block = docs
        .split("## Rolling a pack out with a bot")
        .nth(1)
        .and_then(|section| section.split("```json").nth(1))
        .and_then(|rest| rest.split("```").next())
        .expect("a json block in the bot section");
    let config: serde_json::Value = serde_json::from_str(block).expect("valid JSON");
    let managers = config["customManagers"].as_array().expect("customManagers");
    let lines = [
        (
            "templates = \"gh:acme/python-pack@v1.4\"",
            "acme/python-pack",
        ),
        (
            "templates = \"git+https://git.example.com/acme/python-pack.git@v1.4\"",
            "https://git.example.com/acme/python-pack.git",
        ),
    ];
    for (line, pack) in lines {
        let text = format!("schema = 1\n{line}\n");
        let captured: Vec<(String, String)> = managers
            .iter()
            .filter_map(|manager| {
                let files = manager["managerFilePatterns"][0].as_str()?;
                let files = regex::Regex::new(files.trim_matches('/')).expect("file pattern");
                assert!(
                    files.is_match("pybootstrap.toml") && files.is_match("sub/pybootstrap.toml")
                );
                let pattern = manager["matchStrings"][0].as_str()?;
                let found = regex::Regex::new(pattern)
                    .expect("match string")
                    .captures(&text)?;
                let name = found
                    .name("depName")
                    .or_else(|| found.name("packageName"))?
                    .as_str()
                    .to_string();
                Some((name, found["currentValue"].to_string()))
            })
            .collect();
        assert_eq!(
            captured,
            vec![(pack.to_string(), "v1.4".to_string())],
            "{line}"
        );
    }
}
