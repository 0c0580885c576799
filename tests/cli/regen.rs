//! `regen`: the whole lifecycle in temp git repos with the real binary — states from the base
//! in the lock, drift checks, 3-way merges, conflicts, orphans, managed blocks, `--only`,
//! `--json`, and the answers file's errors. No git and no Python are needed by `regen`.

use std::path::Path;
use std::process::Command;

use crate::support::{Output, Test};

const CI: &str = ".github/workflows/pybootstrap.yml";
const GITLAB: &str = ".gitlab-ci.yml";
const SH: &str = "scripts/bootstrap.sh";
const PS1: &str = "scripts/bootstrap.ps1";
const DOCS: &str = "docs/python-environment.md";
const ANSWERS: &str = "pybootstrap.toml";
const LOCK: &str = "pybootstrap.lock";

/// Every file `init` generates by default (the two managed blocks included).
const GENERATED: [&str; 8] = [
    CI,
    SH,
    PS1,
    "scripts/bootstrap.cmd",
    "Makefile",
    DOCS,
    ".gitattributes",
    ".gitignore",
];

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=pybootstrap tests",
            "-c",
            "user.email=tests@example.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

/// A git repo with `init` run in it (Pythons 3.11 and 3.12) and everything committed.
fn repo() -> Test {
    let test = Test::new();
    git(test.path(), &["init", "-q"]);
    // The per-test cache lives in the temp dir; keep it out of the commits.
    test.write(".git/info/exclude", ".test-cache/\n");
    test.run(&[
        "init",
        "--yes",
        "--set",
        "python.requires=>=3.11",
        "--set",
        "python.versions=3.11,3.12",
    ])
    .assert_code(0);
    // Saved as a file from before `python.requires`: the range follows the oldest version,
    // so editing `python.versions` by hand changes the bootstrap as well as CI.
    let answers = test.read(ANSWERS);
    let legacy: Vec<&str> = answers
        .lines()
        .filter(|line| !line.starts_with("requires = ") && !line.contains("(a PEP 440 specifier)"))
        .collect();
    test.write(ANSWERS, legacy.join("\n") + "\n");
    commit(&test, "init");
    test
}

fn commit(test: &Test, message: &str) {
    git(test.path(), &["add", "-A"]);
    git(
        test.path(),
        &["commit", "-q", "--allow-empty", "-m", message],
    );
}

/// Replaces the one occurrence of `from` in the file `relative`.
#[track_caller]
fn edit(test: &Test, relative: &str, from: &str, to: &str) {
    let text = test.read(relative);
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` is not in {relative} exactly once:\n{text}"
    );
    test.write(relative, text.replacen(from, to, 1));
}

/// Changes `python.versions` in `pybootstrap.toml` by hand.
fn set_versions(test: &Test, from: &str, to: &str) {
    edit(
        test,
        ANSWERS,
        &format!("versions = [{from}]"),
        &format!("versions = [{to}]"),
    );
}

fn snapshot(test: &Test, files: &[&str]) -> Vec<Option<Vec<u8>>> {
    files
        .iter()
        .map(|file| std::fs::read(test.path().join(file)).ok())
        .collect()
}

/// The lock as a table, each file's base as text (the lock keeps it deflated, in base64).
fn lock(test: &Test) -> toml::Table {
    use base64::Engine as _;
    use std::io::Read as _;
    let mut table: toml::Table = toml::from_str(&test.read(LOCK)).expect("the lock is TOML");
    for entry in table
        .get_mut("file")
        .and_then(toml::Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        let entry = entry.as_table_mut().expect("a table");
        if let Some(packed) = entry.remove("base_deflate") {
            let bytes = base64::engine::general_purpose::URL_SAFE
                .decode(packed.as_str().expect("text"))
                .expect("base64");
            let mut base = String::new();
            flate2::read::DeflateDecoder::new(bytes.as_slice())
                .read_to_string(&mut base)
                .expect("deflated text");
            entry.insert("base".into(), toml::Value::String(base));
        }
    }
    table
}

/// The lock with every base as plain text, as locks were written before they deflated
/// it: what a test edits to stand for an older render.
fn plain_lock(test: &Test) -> String {
    toml::to_string(&lock(test)).expect("serialises")
}

/// The lock's entry for `path`.
#[track_caller]
fn locked(test: &Test, path: &str) -> toml::Table {
    lock(test)["file"]
        .as_array()
        .expect("[[file]] entries")
        .iter()
        .map(|entry| entry.as_table().expect("a table").clone())
        .find(|entry| entry["path"].as_str() == Some(path))
        .unwrap_or_else(|| panic!("no lock entry for {path}"))
}

fn locked_paths(test: &Test) -> Vec<String> {
    lock(test)["file"]
        .as_array()
        .expect("[[file]] entries")
        .iter()
        .map(|entry| entry["path"].as_str().expect("path").to_string())
        .collect()
}

/// The `files[]` entry for `path` in a `--json` output.
#[track_caller]
fn json_file(output: &Output, path: &str) -> serde_json::Value {
    output.json()["files"]
        .as_array()
        .expect("files[]")
        .iter()
        .find(|file| file["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in\n{}", output.stdout))
        .clone()
}

fn has_conflict_markers(text: &str) -> bool {
    ["<<<<<<< ", "=======", ">>>>>>> "]
        .iter()
        .all(|marker| text.lines().any(|line| line.starts_with(marker)))
}

#[test]
fn lifecycle_answer_change_drift_regen_clean() {
    let test = repo();
    test.run(&["regen", "--check"]).assert_code(0);
    let lock_before = test.read(LOCK);

    set_versions(&test, r#""3.11", "3.12""#, r#""3.12", "3.13""#);
    let unchanged = snapshot(&test, &GENERATED);
    let check = test.run(&["regen", "--check"]);
    check.assert_code(1);
    // A unified diff: git-style headers, hunks, removed and added lines.
    for needle in [
        "--- a/scripts/bootstrap.sh\n",
        "+++ b/scripts/bootstrap.sh\n",
        "\n@@ -",
        "\n-REQUIRES='>=3.11'\n",
        "\n+REQUIRES='>=3.12'\n",
    ] {
        assert!(
            check.stdout.contains(needle),
            "{needle:?} in\n{}",
            check.stdout
        );
    }
    assert!(
        check.stderr.contains("pybootstrap regen"),
        "{}",
        check.stderr
    );
    assert_eq!(snapshot(&test, &GENERATED), unchanged, "--check wrote");
    assert_eq!(test.read(LOCK), lock_before, "--check wrote the lock");

    let regen = test.run(&["regen"]);
    regen.assert_code(0);
    assert!(
        regen.stdout.contains("update scripts/bootstrap.sh"),
        "{}",
        regen.stdout
    );
    // Why: the answer that made each file change.
    assert!(
        regen
            .stdout
            .contains("because `python.versions` changed: [3.11, 3.12] → [3.12, 3.13]"),
        "{}",
        regen.stdout
    );
    assert!(test.read(SH).contains("REQUIRES='>=3.12'"));
    assert!(test.read(CI).contains("- \"3.13\""));
    // The Makefile's block and .gitignore do not depend on the Python versions.
    assert!(!regen.stdout.contains("Makefile"), "{}", regen.stdout);

    test.run(&["regen", "--check"]).assert_code(0);
    test.run(&["regen", "--check", "--strict"]).assert_code(0);
    let again = test.run(&["regen"]);
    again.assert_code(0);
    assert!(!again.stdout.contains("update"), "{}", again.stdout);
    commit(&test, "regen");
}

#[test]
fn the_lock_records_the_generator_and_per_file_written_and_base() {
    let test = repo();
    let table = lock(&test);
    assert_eq!(
        table["generator"].as_str(),
        Some(env!("CARGO_PKG_VERSION")),
        "{table:#?}"
    );
    let mut paths = locked_paths(&test);
    paths.sort();
    let mut expected: Vec<String> = GENERATED.iter().map(ToString::to_string).collect();
    expected.sort();
    assert_eq!(paths, expected);
    for path in GENERATED {
        let entry = locked(&test, path);
        let written = entry["written"].as_str().expect("written");
        assert!(
            written.starts_with("sha256:") && written.len() == "sha256:".len() + 64,
            "{written}"
        );
        let base = entry["base"].as_str().expect("base");
        assert!(!base.is_empty(), "{path}: empty base");
    }
    // `written` hashes what is on disk: the whole file, or the block's inside.
    let sha = |text: &str| {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(text.as_bytes());
        format!(
            "sha256:{}",
            digest
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        )
    };
    assert_eq!(
        locked(&test, SH)["written"].as_str(),
        Some(sha(&test.read(SH)).as_str())
    );
    let makefile = test.read("Makefile");
    let inner: String = makefile
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with("# <<< pybootstrap"))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(
        locked(&test, "Makefile")["written"].as_str(),
        Some(sha(&inner).as_str())
    );
    // A whole file's base is its render; a block's base is the block's inside.
    assert_eq!(
        locked(&test, SH)["base"].as_str(),
        Some(test.read(SH).as_str())
    );
    assert_eq!(
        locked(&test, "Makefile")["placement"].as_str(),
        Some("block")
    );
    let makefile_base = locked(&test, "Makefile")["base"]
        .as_str()
        .expect("base")
        .to_string();
    assert!(test.read("Makefile").contains(&makefile_base));
    assert!(
        !makefile_base.contains(">>> pybootstrap >>>"),
        "{makefile_base}"
    );
}

#[test]
fn neither_check_nor_regen_needs_git_or_python() {
    let test = repo();
    // A PATH with no git, and a `python3`/`python` that counts its calls.
    let bin = test.path().join(".fake-bin");
    let count = test.path().join(".fake-bin/calls");
    std::fs::create_dir_all(&bin).expect("create bin");
    for name in ["python3", "python", "git"] {
        let script = bin.join(name);
        std::fs::write(
            &script,
            format!("#!/bin/sh\necho {name} >> '{}'\nexit 1\n", count.display()),
        )
        .expect("write fake");
        let mut permissions = std::fs::metadata(&script).expect("meta").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        std::fs::set_permissions(&script, permissions).expect("chmod");
    }
    let run = |args: &[&str]| -> Output {
        let output = test
            .command(args)
            .env("PATH", &bin)
            .output()
            .expect("run pybootstrap");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    };
    run(&["regen", "--check"]).assert_code(0);
    set_versions(&test, r#""3.11", "3.12""#, r#""3.12", "3.13""#);
    run(&["regen", "--check"]).assert_code(1);
    run(&["regen", "--dry-run"]).assert_code(0);
    run(&["regen", "--json"]).assert_code(0);
    run(&["regen", "--check"]).assert_code(1);
    run(&["regen", "--json", "--write"]).assert_code(0);
    run(&["regen", "--check"]).assert_code(0);
    run(&["regen", "--set", "tasks.test=pytest -q"]).assert_code(0);
    assert!(test.read("Makefile").contains("pytest -q"));
    assert!(
        !count.exists(),
        "regen started: {}",
        std::fs::read_to_string(&count).unwrap_or_default()
    );
    // The fakes do count: `detect`, which must probe, is seen calling them.
    run(&["detect"]);
    assert!(count.exists(), "the fake Pythons were never found on PATH");
}

#[test]
fn a_crlf_checkout_is_not_drift() {
    let test = repo();
    for file in GENERATED {
        let crlf = test.read(file).replace('\n', "\r\n");
        test.write(file, crlf);
    }
    let before = snapshot(&test, &GENERATED);
    test.run(&["regen", "--check"]).assert_code(0);
    test.run(&["regen", "--check", "--strict"]).assert_code(0);
    let regen = test.run(&["regen", "--json"]);
    regen.assert_code(0);
    assert_eq!(regen.json()["changed"], false, "{}", regen.stdout);
    for file in GENERATED {
        assert_eq!(
            json_file(&regen, file)["state"],
            "current",
            "{}",
            regen.stdout
        );
    }
    assert_eq!(
        snapshot(&test, &GENERATED),
        before,
        "regen rewrote a CRLF file"
    );
}

#[test]
fn hand_edits_alone_are_kept_and_are_not_drift_unless_strict() {
    let test = repo();
    edit(&test, SH, "set -eu\n", "set -eu\n# our own note\n");
    let check = test.run(&["regen", "--check"]);
    check.assert_code(0);
    let strict = test.run(&["regen", "--check", "--strict"]);
    strict.assert_code(1);
    assert!(strict.stdout.contains(SH), "{}", strict.stdout);
    let json = test.run(&["regen", "--check", "--json"]);
    json.assert_code(0);
    let entry = json_file(&json, SH);
    assert_eq!(entry["state"], "edited");
    assert_eq!(entry["action"], "keep");
    let regen = test.run(&["regen"]);
    regen.assert_code(0);
    // Kept as on every run before: not repeated unless asked for with `-v`.
    assert!(!regen.stdout.contains(SH), "{}", regen.stdout);
    let verbose = test.run(&["regen", "-v"]);
    verbose.assert_code(0);
    assert!(
        verbose.stdout.contains("hand edits kept"),
        "{}",
        verbose.stdout
    );
    assert!(test.read(SH).contains("# our own note"));
    // The base stays the pure render, so the edit still counts as an edit.
    let base = locked(&test, SH)["base"]
        .as_str()
        .expect("base")
        .to_string();
    assert!(!base.contains("# our own note"));
    test.run(&["regen", "--check", "--strict"]).assert_code(1);

    let force = test.run(&["regen", "--force"]);
    force.assert_code(0);
    assert!(!test.read(SH).contains("# our own note"));
    test.run(&["regen", "--check", "--strict"]).assert_code(0);
}

#[test]
fn hand_edit_and_answer_change_merge_and_the_edit_survives_later_regens() {
    let test = repo();
    // An edit far from the lines the versions change.
    edit(
        &test,
        CI,
        "permissions: {}\n",
        "permissions: {}\n\n# Team note: keep this workflow small.\n",
    );
    commit(&test, "hand edit");
    set_versions(&test, r#""3.11", "3.12""#, r#""3.12", "3.13""#);

    let check = test.run(&["regen", "--check", "--json"]);
    check.assert_code(1);
    assert_eq!(json_file(&check, CI)["state"], "edited+outdated");
    assert_eq!(json_file(&check, CI)["action"], "merge");

    let regen = test.run(&["regen"]);
    regen.assert_code(0);
    assert!(
        regen
            .stdout
            .contains("merge .github/workflows/pybootstrap.yml"),
        "{}",
        regen.stdout
    );
    let merged = test.read(CI);
    assert!(
        merged.contains("# Team note: keep this workflow small."),
        "{merged}"
    );
    assert!(
        merged.contains("- \"3.13\"") && !merged.contains("- \"3.11\""),
        "{merged}"
    );
    assert!(!has_conflict_markers(&merged), "{merged}");
    // The base is the new pure render, not the merged file.
    let base = locked(&test, CI)["base"]
        .as_str()
        .expect("base")
        .to_string();
    assert!(
        !base.contains("Team note") && base.contains("- \"3.13\""),
        "{base}"
    );
    // Kept hand edits are not drift; --strict sees them.
    test.run(&["regen", "--check"]).assert_code(0);
    test.run(&["regen", "--check", "--strict"]).assert_code(1);
    commit(&test, "regen");

    // A second answer change: merged again, the edit still there.
    set_versions(&test, r#""3.12", "3.13""#, r#""3.13""#);
    let second = test.run(&["regen"]);
    second.assert_code(0);
    let merged = test.read(CI);
    assert!(
        merged.contains("# Team note: keep this workflow small."),
        "{merged}"
    );
    assert!(
        merged.contains("- \"3.13\"") && !merged.contains("- \"3.12\""),
        "{merged}"
    );
    test.run(&["regen", "--check"]).assert_code(0);

    // And a regen with no change keeps it too.
    test.run(&["regen"]).assert_code(0);
    assert!(test.read(CI).contains("# Team note"));

    // --force overwrites instead of merging: the file is the pure render again.
    set_versions(&test, r#""3.13""#, r#""3.12""#);
    let forced = test.run(&["regen", "--force", "--json", "--write"]);
    forced.assert_code(0);
    assert_eq!(json_file(&forced, CI)["state"], "edited+outdated");
    assert_eq!(json_file(&forced, CI)["action"], "update");
    let text = test.read(CI);
    assert!(!text.contains("Team note"), "{text}");
    assert_eq!(locked(&test, CI)["base"].as_str(), Some(text.as_str()));
    test.run(&["regen", "--check", "--strict"]).assert_code(0);
}

#[test]
fn overlapping_edits_get_markers_exit_1_and_resolve_cleanly() {
    let test = repo();
    edit(&test, SH, "REQUIRES='>=3.11'", "REQUIRES='>=3.10'");
    set_versions(&test, r#""3.11", "3.12""#, r#""3.12", "3.13""#);

    let json = test.run(&["regen", "--dry-run", "--json"]);
    json.assert_code(1);
    assert_eq!(json.json()["attention"], serde_json::json!([SH]));
    assert_eq!(json_file(&json, SH)["action"], "conflict");
    assert!(!has_conflict_markers(&test.read(SH)), "--dry-run wrote");

    let regen = test.run(&["regen"]);
    regen.assert_code(1);
    assert!(
        regen.stdout.contains("conflict scripts/bootstrap.sh"),
        "{}",
        regen.stdout
    );
    assert!(regen.stderr.contains(SH), "{}", regen.stderr);
    let conflicted = test.read(SH);
    assert!(has_conflict_markers(&conflicted), "{conflicted}");
    // Labelled like git's: which side is the user's, which the new render.
    for label in [
        "<<<<<<< your edits\n",
        "||||||| last render\n",
        ">>>>>>> new render\n",
    ] {
        assert!(conflicted.contains(label), "{label:?} in\n{conflicted}");
    }
    assert!(conflicted.contains("REQUIRES='>=3.10'"));
    assert!(conflicted.contains("REQUIRES='>=3.12'"));
    // The other files merged or updated without fuss.
    assert!(test.read(PS1).contains("$Requires = '>=3.12'"));
    // The new render is the base all the same: no markers, no edit in it.
    let base = locked(&test, SH)["base"]
        .as_str()
        .expect("base")
        .to_string();
    assert!(base.contains("REQUIRES='>=3.12'\n"), "{base}");
    assert!(
        !base.contains("3.10") && !has_conflict_markers(&base),
        "{base}"
    );

    // Markers left in the file are not "kept hand edits": --check fails until resolved.
    let unresolved = test.run(&["regen", "--check"]);
    unresolved.assert_code(1);
    assert!(unresolved.stdout.contains(SH), "{}", unresolved.stdout);
    let json = test.run(&["regen", "--json"]);
    json.assert_code(1);
    assert_eq!(json.json()["attention"], serde_json::json!([SH]));

    // Resolve by taking the new line, as a user would in an editor.
    let resolved: String = {
        let mut out = String::new();
        let mut side = None;
        for line in conflicted.lines() {
            if line.starts_with("<<<<<<< ") {
                side = Some("ours");
            } else if line.starts_with("||||||| ") {
                side = Some("original");
            } else if line == "=======" {
                side = Some("theirs");
            } else if line.starts_with(">>>>>>> ") {
                side = None;
            } else if matches!(side, None | Some("theirs")) {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    };
    test.write(SH, &resolved);
    test.run(&["regen", "--check", "--strict"]).assert_code(0);
    let second = test.run(&["regen"]);
    second.assert_code(0);
    assert_eq!(test.read(SH), resolved);
}

#[test]
fn regen_json_reports_a_conflict_with_exit_1() {
    let test = repo();
    edit(&test, SH, "REQUIRES='>=3.11'", "REQUIRES='>=3.9'");
    let output = test.run(&[
        "regen",
        "--json",
        "--write",
        "--set",
        "python.versions=3.13",
    ]);
    output.assert_code(1);
    let json = output.json();
    assert_eq!(json["attention"], serde_json::json!([SH]));
    assert_eq!(json["changed"], true);
    assert!(has_conflict_markers(&test.read(SH)));
    // JSON on stdout only: nothing else mixed in.
    assert!(output.stdout.trim_start().starts_with('{'));
}

/// Every file under the repository (`.git` and the test's cache left out), with its bytes.
fn tree(test: &Test) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(std::path::PathBuf, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|entry| entry.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().expect("name").to_string_lossy();
            if name == ".git" || name == ".test-cache" {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("inside").to_path_buf();
                out.push((relative, std::fs::read(&path).expect("read")));
            }
        }
    }
    let mut out = Vec::new();
    walk(test.path(), test.path(), &mut out);
    out
}

#[test]
fn regen_json_writes_nothing_without_write() {
    let test = repo();
    // Work for regen on every side: an answer changed by hand, a hand edit that
    // conflicts, a deleted file, and a `--set`.
    set_versions(&test, r#""3.11", "3.12""#, r#""3.12", "3.13""#);
    edit(&test, SH, "REQUIRES='>=3.11'", "REQUIRES='>=3.10'");
    std::fs::remove_file(test.path().join(PS1)).expect("remove");
    let before = tree(&test);
    let json = test.run(&["regen", "--json", "--set", "tasks.test=pytest -q"]);
    json.assert_code(1);
    assert_eq!(json.json()["changed"], true, "{}", json.stdout);
    assert_eq!(json_file(&json, SH)["action"], "conflict");
    assert_eq!(json_file(&json, PS1)["action"], "create");
    assert!(tree(&test) == before, "`regen --json` changed the tree");

    // `--write` is the explicit way to write and get the report.
    let written = test.run(&["regen", "--json", "--write"]);
    written.assert_code(1);
    assert_eq!(json_file(&written, PS1)["action"], "create");
    assert!(test.path().join(PS1).exists());
    assert!(has_conflict_markers(&test.read(SH)));

    // `--write` means nothing without `--json`, and contradicts `--check`.
    test.run(&["regen", "--write"]).assert_code(2);
    test.run(&["regen", "--json", "--write", "--check"])
        .assert_code(2);
}

#[test]
fn json_fields_are_stable() {
    let test = repo();
    let clean = test.run(&["regen", "--check", "--json"]);
    clean.assert_code(0);
    let json = clean.json();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["changed"], false);
    assert_eq!(json["attention"], serde_json::json!([]));
    let files = json["files"].as_array().expect("files");
    assert_eq!(files.len(), GENERATED.len(), "{}", clean.stdout);
    for file in files {
        let object = file.as_object().expect("object");
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["action", "group", "path", "reasons", "state"]);
        assert_eq!(file["state"], "current");
        assert_eq!(file["action"], "unchanged");
        assert_eq!(file["reasons"], serde_json::json!([]));
    }
    let groups: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_string(),
                f["group"].as_str().expect("group").to_string(),
            )
        })
        .collect();
    for (path, group) in [
        (CI, "ci"),
        (SH, "scripts"),
        (PS1, "scripts"),
        ("Makefile", "make"),
        (DOCS, "docs"),
        (".gitignore", "ignore"),
    ] {
        assert!(
            groups.contains(&(path.to_string(), group.to_string())),
            "{groups:?}"
        );
    }

    set_versions(&test, r#""3.11", "3.12""#, r#""3.12""#);
    let drift = test.run(&["regen", "--check", "--json"]);
    drift.assert_code(1);
    assert_eq!(drift.json()["changed"], true);
    let entry = json_file(&drift, SH);
    assert_eq!(entry["state"], "outdated");
    assert_eq!(entry["action"], "update");
    assert_eq!(
        entry["reasons"],
        serde_json::json!(["`python.requires` changed: >=3.11 → >=3.12"])
    );
    assert_eq!(json_file(&drift, "Makefile")["state"], "current");
}

#[test]
fn the_generator_version_is_a_reason() {
    let test = repo();
    // As if an older pybootstrap had rendered a different docs heading.
    let old = "# Python environment for contributors";
    let older = "# Python environment (for contributors)";
    edit(&test, DOCS, old, older);
    let lock_text = plain_lock(&test).replacen(old, older, 1).replacen(
        &format!("generator = \"{}\"", env!("CARGO_PKG_VERSION")),
        "generator = \"0.0.1\"",
        1,
    );
    test.write(LOCK, lock_text);
    let output = test.run(&["regen", "--check", "--json"]);
    output.assert_code(1);
    let entry = json_file(&output, DOCS);
    assert_eq!(entry["state"], "outdated", "{}", output.stdout);
    assert_eq!(
        entry["reasons"],
        serde_json::json!([format!("pybootstrap 0.0.1 → {}", env!("CARGO_PKG_VERSION"))])
    );
    test.run(&["regen"]).assert_code(0);
    assert!(test.read(DOCS).contains(old));
    assert_eq!(
        lock(&test)["generator"].as_str(),
        Some(env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn set_is_saved_keeping_the_files_comments_and_layout() {
    let test = repo();
    edit(
        &test,
        ANSWERS,
        "[tasks]\n",
        "[tasks]\n# We run the fast suite by default.\n",
    );
    let before = test.read(ANSWERS);
    let output = test.run(&["regen", "--set", "tasks.test=pytest -x"]);
    output.assert_code(0);
    let after = test.read(ANSWERS);
    assert!(
        after.contains("# We run the fast suite by default.\n"),
        "{after}"
    );
    assert!(after.contains("test = \"pytest -x\""), "{after}");
    // Only that line changed.
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed,
        [("test = \"pytest || test $? -eq 5\"", "test = \"pytest -x\"")]
    );
    assert_eq!(before.lines().count(), after.lines().count());
    assert!(test.read("Makefile").contains("pytest -x"));
    test.run(&["regen", "--check"]).assert_code(0);
}

/// A key the saved file lacks is added to its own table: a `[ci]` key goes above the
/// `[ci.actions]` header, never into the actions table (where it would be an action).
#[test]
fn a_set_key_the_file_lacks_goes_into_its_own_table() {
    let test = repo();
    let text = test.read(ANSWERS);
    let without: Vec<&str> = text
        .lines()
        .filter(|line| !line.starts_with("pep668_job = ") && !line.contains("(PEP 668)"))
        .collect();
    test.write(ANSWERS, without.join("\n") + "\n");
    let output = test.run(&["regen", "--set", "ci.pep668_job=false"]);
    output.assert_code(0);
    let after = test.read(ANSWERS);
    let start = after.find("\n[ci]\n").expect("a [ci] table");
    let end = after
        .find("\n[ci.actions]\n")
        .expect("a [ci.actions] table");
    assert!(
        after[start..end].contains(
            "\n# Add a CI job on a distro image whose system Python is externally managed (PEP 668).\n\
             pep668_job = false\n"
        ),
        "{after}"
    );
    assert!(!test.read(CI).contains("pep668"), "{}", test.read(CI));
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn a_managed_block_is_rerendered_without_touching_the_lines_around_it() {
    let test = repo();
    let generated = test.read("Makefile");
    let head = "# Our own targets.\nrelease:\n\t./release.sh\n\n";
    let tail = "\n# Added after the block by hand.\ndeploy: test\n\t./deploy.sh\n";
    test.write("Makefile", format!("{head}{generated}{tail}"));
    let ignore_head = "*.log\n/dist/\n";
    test.write(
        ".gitignore",
        format!("{ignore_head}{}", test.read(".gitignore")),
    );
    test.write(".gitignore", format!("{}build/\n", test.read(".gitignore")));
    commit(&test, "own lines");
    // Lines around the block are not hand edits of the block.
    test.run(&["regen", "--check", "--strict"]).assert_code(0);

    for (round, command) in ["pytest -q", "pytest -x", "python -m pytest"]
        .iter()
        .enumerate()
    {
        let output = test.run(&["regen", "--set", &format!("tasks.test={command}")]);
        output.assert_code(0);
        assert!(
            output.stdout.contains("update block Makefile"),
            "{round}: {}",
            output.stdout
        );
        let makefile = test.read("Makefile");
        assert!(makefile.starts_with(head), "{round}:\n{makefile}");
        assert!(makefile.ends_with(tail), "{round}:\n{makefile}");
        assert!(
            makefile.contains(&format!("$(PYBOOTSTRAP_RUN) {command}\n")),
            "{round}:\n{makefile}"
        );
        assert_eq!(makefile.matches(">>> pybootstrap >>>").count(), 1);
        test.run(&["regen", "--check", "--strict"]).assert_code(0);
    }
    let ignore = test.read(".gitignore");
    assert!(
        ignore.starts_with(ignore_head) && ignore.ends_with("build/\n"),
        "{ignore}"
    );

    // A hand edit inside the block plus an answer change: merged, lines around untouched.
    edit(
        &test,
        "Makefile",
        "clean:\n\trm -rf -- '.venv'\n",
        "clean:\n\trm -rf -- '.venv' dist\n",
    );
    let output = test.run(&["regen", "--set", "tasks.test=pytest"]);
    output.assert_code(0);
    assert!(
        output.stdout.contains("merge Makefile"),
        "{}",
        output.stdout
    );
    let makefile = test.read("Makefile");
    assert!(
        makefile.starts_with(head) && makefile.ends_with(tail),
        "{makefile}"
    );
    assert!(
        makefile.contains("'.venv' dist\n") && makefile.contains("$(PYBOOTSTRAP_RUN) pytest\n")
    );
}

#[test]
fn damaged_block_markers_exit_2_naming_the_file() {
    let test = repo();
    let makefile = test.read("Makefile");
    test.write("Makefile", makefile.replace("# <<< pybootstrap <<<\n", ""));
    for args in [
        &["regen", "--check"][..],
        &["regen"][..],
        &["regen", "--force"][..],
    ] {
        let output = test.run(args);
        output.assert_code(2);
        assert!(
            output.stderr.contains("`Makefile`"),
            "{args:?}: {}",
            output.stderr
        );
        assert!(output.stderr.contains("marker"), "{}", output.stderr);
    }
    // Nothing was written.
    assert_eq!(
        test.read("Makefile"),
        makefile.replace("# <<< pybootstrap <<<\n", "")
    );

    // Two blocks are as damaged as none closed.
    test.write("Makefile", format!("{makefile}{makefile}"));
    test.run(&["regen", "--check"]).assert_code(2);
}

#[test]
fn provider_switch_leaves_exactly_the_gitlab_file() {
    let test = repo();
    let output = test.run(&["regen", "--set", "ci.providers=gitlab"]);
    output.assert_code(0);
    assert!(
        output.stdout.contains("create .gitlab-ci.yml"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("delete .github/workflows/pybootstrap.yml"),
        "{}",
        output.stdout
    );
    assert!(test.path().join(GITLAB).is_file());
    assert!(!test.path().join(CI).exists());
    // The directories the workflow lived in are gone too.
    assert!(!test.path().join(".github").exists());
    assert!(test.read(ANSWERS).contains("providers = [\"gitlab\"]"));
    let paths = locked_paths(&test);
    assert!(paths.contains(&GITLAB.to_string()) && !paths.contains(&CI.to_string()));
    test.run(&["regen", "--check"]).assert_code(0);
    git(test.path(), &["add", "-A"]);
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(test.path())
        .output()
        .expect("git status");
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    let mut lines: Vec<&str> = status.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "A  .gitlab-ci.yml",
            "D  .github/workflows/pybootstrap.yml",
            "M  pybootstrap.lock",
            "M  pybootstrap.toml",
        ]
    );
}

#[test]
fn a_hand_edited_file_in_the_pipelines_is_switched_by_merge_then_orphaned() {
    let test = repo();
    edit(&test, CI, "permissions: {}\n", "permissions: {}\n# ours\n");
    let check = test.run(&["regen", "--check", "--set", "ci.providers=gitlab"]);
    check.assert_code(1);
    assert!(check.stdout.contains(CI), "{}", check.stdout);

    let output = test.run(&["regen", "--set", "ci.providers=gitlab"]);
    output.assert_code(1);
    assert!(
        output.stdout.contains(CI) && output.stdout.contains("edited by hand"),
        "{}",
        output.stdout
    );
    assert!(test.read(CI).contains("# ours"), "kept");
    assert!(test.path().join(GITLAB).is_file());
    // Still reported on the next run, and by --check.
    let json = test.run(&["regen", "--json"]);
    json.assert_code(1);
    assert_eq!(json.json()["attention"], serde_json::json!([CI]));
    assert_eq!(json_file(&json, CI)["state"], "orphan");
    assert_eq!(json_file(&json, CI)["action"], "keep");
    test.run(&["regen", "--check"]).assert_code(1);

    let force = test.run(&["regen", "--force"]);
    force.assert_code(0);
    assert!(!test.path().join(CI).exists());
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn disabling_make_removes_the_block_and_keeps_the_users_lines() {
    let test = repo();
    let own = "release:\n\t./release.sh\n";
    test.write("Makefile", format!("{own}\n{}", test.read("Makefile")));
    test.write(".gitignore", format!("{}*.log\n", test.read(".gitignore")));
    let output = test.run(&["regen", "--set", "make.enabled=false"]);
    output.assert_code(0);
    assert_eq!(test.read("Makefile"), own);
    test.run(&["regen", "--check"]).assert_code(0);
    assert!(!locked_paths(&test).contains(&"Makefile".to_string()));

    // A Makefile that held only the block goes with it.
    let test = repo();
    test.run(&["regen", "--set", "make.enabled=false"])
        .assert_code(0);
    assert!(!test.path().join("Makefile").exists());
}

#[test]
fn only_ci_touches_nothing_else() {
    let test = repo();
    set_versions(&test, r#""3.11", "3.12""#, r#""3.12", "3.13""#);
    let others = [SH, PS1, "Makefile", DOCS, ".gitignore", LOCK];
    let before = snapshot(&test, &others[..5]);
    let locked_before: Vec<toml::Table> = others[..5].iter().map(|p| locked(&test, p)).collect();

    let check = test.run(&["regen", "--check", "--only", "ci", "--json"]);
    check.assert_code(1);
    let files = check.json()["files"].as_array().expect("files").clone();
    assert!(files.iter().all(|f| f["group"] == "ci"), "{}", check.stdout);

    let output = test.run(&["regen", "--only", "ci"]);
    output.assert_code(0);
    assert!(test.read(CI).contains("- \"3.13\""));
    assert_eq!(snapshot(&test, &others[..5]), before);
    let locked_after: Vec<toml::Table> = others[..5].iter().map(|p| locked(&test, p)).collect();
    assert_eq!(locked_after, locked_before);
    test.run(&["regen", "--check", "--only", "ci"])
        .assert_code(0);

    // The rest is still drift, still explained by the answer that changed.
    let rest = test.run(&["regen", "--check", "--json"]);
    rest.assert_code(1);
    assert_eq!(json_file(&rest, CI)["action"], "unchanged");
    assert_eq!(
        json_file(&rest, SH)["reasons"],
        serde_json::json!(["`python.requires` changed: >=3.11 → >=3.12"])
    );
    test.run(&["regen", "--only", "scripts", "--only", "docs"])
        .assert_code(0);
    test.run(&["regen", "--check"]).assert_code(0);

    // An orphan outside the group stays until its group is regenerated.
    test.run(&["regen", "--set", "ci.providers=gitlab", "--only", "docs"])
        .assert_code(0);
    assert!(test.path().join(CI).exists() && !test.path().join(GITLAB).exists());
    test.run(&["regen", "--only", "ci"]).assert_code(0);
    assert!(!test.path().join(CI).exists() && test.path().join(GITLAB).exists());

    let bad = test.run(&["regen", "--only", "python"]);
    bad.assert_code(2);
}

#[test]
fn dry_run_prints_the_plan_and_diffs_and_writes_nothing() {
    let test = repo();
    set_versions(&test, r#""3.11", "3.12""#, r#""3.12""#);
    let mut all: Vec<&str> = GENERATED.to_vec();
    all.extend([ANSWERS, LOCK]);
    let before = snapshot(&test, &all);
    let output = test.run(&["regen", "--dry-run", "--set", "ci.providers=gitlab"]);
    output.assert_code(0);
    for needle in [
        "update scripts/bootstrap.sh",
        "create .gitlab-ci.yml",
        "delete .github/workflows/pybootstrap.yml",
        "+++ b/.gitlab-ci.yml",
        "--- a/.github/workflows/pybootstrap.yml",
        "+++ /dev/null",
        "-REQUIRES='>=3.11'",
    ] {
        assert!(
            output.stdout.contains(needle),
            "{needle:?} in\n{}",
            output.stdout
        );
    }
    assert_eq!(snapshot(&test, &all), before);
    assert!(!test.path().join(GITLAB).exists());
}

#[test]
fn the_lock_changes_only_with_the_files() {
    let test = repo();
    let untouched = test.read(LOCK);
    // A hand edit regen keeps: `--check` passes, and regen leaves the lock as it is.
    edit(&test, SH, "set -eu\n", "set -eu\n# our note\n");
    test.run(&["regen", "--check"]).assert_code(0);
    test.run(&["regen"]).assert_code(0);
    assert_eq!(
        test.read(LOCK),
        untouched,
        "a kept hand edit rewrote the lock"
    );
    // An answer no generated file shows, edited by hand: nothing to record either.
    edit(&test, ANSWERS, "ignore = []", "ignore = [\"PB101\"]");
    test.run(&["regen", "--check"]).assert_code(0);
    test.run(&["regen"]).assert_code(0);
    assert_eq!(test.read(LOCK), untouched, "an answer that changed no file");
    // Nor does another pybootstrap version that renders the same files.
    let older = untouched.replacen(
        &format!("generator = \"{}\"", env!("CARGO_PKG_VERSION")),
        "generator = \"0.0.1\"",
        1,
    );
    test.write(LOCK, &older);
    test.run(&["regen", "--check"]).assert_code(0);
    test.run(&["regen"]).assert_code(0);
    assert_eq!(test.read(LOCK), older, "a generator bump alone");
    // A change of the files is recorded, with the generator that made it.
    set_versions(&test, r#""3.11", "3.12""#, r#""3.12", "3.13""#);
    test.run(&["regen"]).assert_code(0);
    let after = lock(&test);
    assert_eq!(after["generator"].as_str(), Some(env!("CARGO_PKG_VERSION")));
    assert_ne!(test.read(LOCK), older);
    assert!(test.read(SH).contains("# our note"));
}

#[test]
fn scripts_dir_moves_the_bootstrap_scripts_and_everything_that_names_them() {
    let test = repo();
    let output = test.run(&["regen", "--set", "scripts.dir=tools/dev"]);
    output.assert_code(0);
    // The old scripts equal their base: they go, with their emptied directory.
    assert!(!test.path().join("scripts").exists(), "{}", output.stdout);
    let script = test.read("tools/dev/bootstrap.sh");
    assert!(
        script.contains("\ncd \"$(dirname -- \"$0\")/../..\"\n")
            && script.contains("say \"usage: sh tools/dev/bootstrap.sh [--recreate]\"")
            && script.contains("set -- tools/dev/bootstrap.sh"),
        "{script}"
    );
    let ps1 = test.read("tools/dev/bootstrap.ps1");
    assert!(
        ps1.contains("Set-Location -LiteralPath (Join-Path $PSScriptRoot '../..')")
            && ps1.contains("#     tools\\dev\\bootstrap.ps1 "),
        "{ps1}"
    );
    assert!(
        test.read("tools/dev/bootstrap.cmd")
            .contains("rem     tools\\dev\\bootstrap.cmd ")
    );
    assert!(test.read("Makefile").contains("sh tools/dev/bootstrap.sh"));
    let attributes = test.read(".gitattributes");
    assert!(
        attributes.contains("/tools/dev/bootstrap.sh text eol=lf")
            && attributes.contains("/tools/dev/bootstrap.cmd text eol=crlf"),
        "{attributes}"
    );
    assert!(test.read(CI).contains("run: sh tools/dev/bootstrap.sh"));
    assert!(test.read(DOCS).contains("sh tools/dev/bootstrap.sh"));
    let mut paths = locked_paths(&test);
    paths.sort();
    assert!(
        paths.contains(&"tools/dev/bootstrap.sh".to_string())
            && !paths.iter().any(|path| path.starts_with("scripts/")),
        "{paths:?}"
    );
    test.run(&["regen", "--check", "--strict"]).assert_code(0);
    // And back: a hand-edited script in the old place is kept, not lost.
    edit(
        &test,
        "tools/dev/bootstrap.sh",
        "set -eu\n",
        "set -eu\n# ours\n",
    );
    let back = test.run(&["regen", "--set", "scripts.dir=scripts"]);
    back.assert_code(1);
    assert!(test.read("tools/dev/bootstrap.sh").contains("# ours"));
    assert!(test.path().join(SH).is_file());
}

#[test]
fn regen_without_a_lock_is_sane() {
    let test = repo();
    std::fs::remove_file(test.path().join(LOCK)).expect("remove lock");
    // Files that match the render are ours again; the lock is written anew.
    let check = test.run(&["regen", "--check"]);
    check.assert_code(0);
    let output = test.run(&["regen"]);
    output.assert_code(0);
    let paths = locked_paths(&test);
    assert_eq!(paths.len(), GENERATED.len(), "{paths:?}");
    test.run(&["regen", "--check"]).assert_code(0);

    // Without a base, a whole file that differs from the render cannot be told from a
    // hand edit: it is refused (kept as it is), never overwritten silently.
    std::fs::remove_file(test.path().join(LOCK)).expect("remove lock");
    set_versions(&test, r#""3.11", "3.12""#, r#""3.12""#);
    edit(
        &test,
        ANSWERS,
        "test = \"pytest || test $? -eq 5\"",
        "test = \"pytest -q\"",
    );
    let before = test.read(SH);
    let output = test.run(&["regen"]);
    output.assert_code(1);
    assert!(
        output.stdout.contains("refuse scripts/bootstrap.sh"),
        "{}",
        output.stdout
    );
    assert_eq!(test.read(SH), before);
    // Managed blocks are ours by their markers, lock or not.
    assert!(
        test.read("Makefile")
            .contains("$(PYBOOTSTRAP_RUN) pytest -q\n")
    );
    let forced = test.run(&["regen", "--force"]);
    forced.assert_code(0);
    assert!(test.read(SH).contains("REQUIRES='>=3.12'"));
    test.run(&["regen", "--check", "--strict"]).assert_code(0);
}

#[test]
fn a_deleted_generated_file_is_recreated() {
    let test = repo();
    std::fs::remove_file(test.path().join(DOCS)).expect("remove docs");
    let check = test.run(&["regen", "--check"]);
    check.assert_code(1);
    assert!(
        check.stdout.contains("create docs/python-environment.md"),
        "{}",
        check.stdout
    );
    test.run(&["regen"]).assert_code(0);
    assert!(test.path().join(DOCS).is_file());
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn no_answers_file_exits_2_saying_to_run_init() {
    let test = Test::new();
    for args in [
        &["regen"][..],
        &["regen", "--check"][..],
        &["regen", "--json"][..],
    ] {
        let output = test.run(args);
        output.assert_code(2);
        assert!(
            output.stderr.contains("run `pybootstrap init`"),
            "{}",
            output.stderr
        );
        assert!(output.stderr.contains(ANSWERS), "{}", output.stderr);
    }
}

#[test]
fn a_hand_broken_answers_file_exits_2_naming_file_line_and_key() {
    // (what is replaced, by what, the 1-based line the error is on, the key it names)
    let cases: [(&str, &str, usize, Option<&str>); 3] = [
        ("backend = \"venv\"\n", "backend = \"venv\n", 0, None),
        (
            "enabled = true\n",
            "enabled = \"yes\"\n",
            0,
            Some("make.enabled"),
        ),
        (
            "[make]\n",
            "[make]\ncolour = true\n",
            1,
            Some("make.colour"),
        ),
    ];
    for (from, to, after, key) in cases {
        let test = repo();
        let text = test.read(ANSWERS);
        let line = text[..text.find(from).expect("in the file")]
            .lines()
            .count()
            + 1
            + after;
        edit(&test, ANSWERS, from, to);
        for args in [
            &["regen"][..],
            &["regen", "--check"][..],
            &["regen", "--json"][..],
        ] {
            let output = test.run(args);
            output.assert_code(2);
            let place = format!("pybootstrap.toml:{line}:");
            assert!(
                output.stderr.contains(&place),
                "{to:?}: {place} in\n{}",
                output.stderr
            );
            if let Some(key) = key {
                assert!(
                    output.stderr.contains(&format!("`{key}`")),
                    "{to:?}: {}",
                    output.stderr
                );
            }
        }
    }
}

#[test]
fn answers_set_on_the_command_line_are_validated() {
    let test = repo();
    let output = test.run(&["regen", "--set", "ci.providers=jenkins"]);
    output.assert_code(2);
    assert!(output.stderr.contains("ci.providers"), "{}", output.stderr);
    let output = test.run(&["regen", "--set", "nope.key=1"]);
    output.assert_code(2);
    assert!(test.read(ANSWERS).contains("providers = [\"github\"]"));
}

#[test]
fn a_crlf_checkout_keeps_its_line_endings_through_a_regen() {
    let test = repo();
    let head = "release:\r\n\t./release.sh\r\n\r\n";
    let tail = "deploy:\r\n\t./deploy.sh\r\n";
    let block = test.read("Makefile").replace('\n', "\r\n");
    test.write("Makefile", format!("{head}{block}{tail}"));
    test.write(SH, test.read(SH).replace('\n', "\r\n"));
    test.write(CI, test.read(CI).replace('\n', "\r\n"));
    edit(
        &test,
        CI,
        "permissions: {}\r\n",
        "permissions: {}\r\n# ours\r\n",
    );
    test.run(&["regen", "--check", "--strict"]).assert_code(1);
    test.run(&["regen", "--check"]).assert_code(0);

    let output = test.run(&[
        "regen",
        "--set",
        "tasks.test=pytest -q",
        "--set",
        "python.versions=3.12",
    ]);
    output.assert_code(0);
    let makefile = test.read("Makefile");
    assert!(
        makefile.starts_with(head) && makefile.ends_with(tail),
        "{makefile:?}"
    );
    assert!(
        makefile.contains("$(PYBOOTSTRAP_RUN) pytest -q\r\n"),
        "{makefile:?}"
    );
    assert!(
        !makefile.replace("\r\n", "").contains('\n'),
        "mixed endings: {makefile:?}"
    );
    for file in [SH, CI] {
        let text = test.read(file);
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "{file}: mixed endings"
        );
    }
    assert!(test.read(SH).contains("REQUIRES='>=3.12'\r\n"));
    assert!(test.read(CI).contains("# ours\r\n"));
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn the_pack_version_is_a_reason() {
    let test = repo();
    // As if the files had come from a team pack whose docs heading differs.
    let old = "# Python environment for contributors";
    let older = "# Python environment (acme)";
    edit(&test, DOCS, old, older);
    let lock_text = plain_lock(&test).replacen(old, older, 1).replacen(
        "\n[answers]\n",
        "\n[pack]\nname = \"acme-python\"\nversion = \"1.3\"\n\n[answers]\n",
        1,
    );
    test.write(LOCK, lock_text);
    let output = test.run(&["regen", "--check", "--json"]);
    output.assert_code(1);
    let entry = json_file(&output, DOCS);
    assert_eq!(entry["state"], "outdated", "{}", output.stdout);
    assert_eq!(
        entry["reasons"],
        serde_json::json!(["pack acme-python 1.3 → built-in"])
    );
}

#[test]
fn a_damaged_lock_exits_2_naming_it() {
    let test = repo();
    test.write(LOCK, "generator = \"0.1.0\"\n[[file]]\npath = 3\n");
    for args in [&["regen"][..], &["regen", "--check"][..]] {
        let output = test.run(args);
        output.assert_code(2);
        assert!(output.stderr.contains(LOCK), "{}", output.stderr);
        assert!(output.stderr.contains("hint:"), "{}", output.stderr);
    }
}

#[test]
fn a_damaged_base_is_an_error_only_when_a_run_needs_it() {
    let test = repo();
    let lock = test.read(LOCK);
    let script = "scripts/bootstrap.sh";
    let entry = lock
        .find(&format!("path = \"{script}\""))
        .expect("the script is locked");
    let at = entry + lock[entry..].find("base_deflate = \"").expect("packed") + 16;
    let damaged = format!("{}!{}", &lock[..at], &lock[at..]);
    test.write(LOCK, &damaged);
    // Every file matches its render: no base is needed, the check passes.
    let output = test.run(&["regen", "--check"]);
    output.assert_code(0);
    assert!(output.stderr.contains("up to date"), "{}", output.stderr);
    // A run that would rewrite the lock, and a check of a file that differs from its
    // render, need it: the lock is named, with the file and the hint.
    let text = test.read(script);
    test.write(script, format!("{text}echo edited\n"));
    for args in [
        &["regen", "--check"][..],
        &["regen"][..],
        &["regen", "--dry-run"][..],
    ] {
        let output = test.run(args);
        output.assert_code(2);
        for wanted in [
            "pybootstrap.lock` is damaged: `scripts/bootstrap.sh`: `base_deflate`: not base64",
            "hint: restore it from version control",
        ] {
            assert!(
                output.stderr.contains(wanted),
                "{args:?}: {}",
                output.stderr
            );
        }
    }
    test.write(script, &text);
    let output = test.run(&["regen"]);
    output.assert_code(2);
    assert!(output.stderr.contains("is damaged"), "{}", output.stderr);
    // Nothing was written over the damaged lock.
    assert_eq!(test.read(LOCK), damaged);
}

#[test]
fn regen_check_lint_and_snippet_find_the_answers_from_a_subdirectory() {
    let test = repo();
    std::fs::create_dir_all(test.path().join("src/pkg")).expect("mkdir");
    test.run_in("src/pkg", &["regen", "--check"]).assert_code(0);
    test.run_in("src/pkg", &["regen"]).assert_code(0);
    assert!(!test.path().join("src/pkg/pybootstrap.toml").exists());
    let snippet = test.run_in("src", &["snippet", "github"]);
    snippet.assert_code(0);
    // The saved answers decide: the project is the repository's, not `src`.
    let name = test
        .path()
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(
        snippet
            .stdout
            .contains(&format!("({})", name.trim_start_matches('.'))),
        "{}",
        snippet.stdout
    );
    // lint reads the repository's `lint.ignore` and walks the whole repository.
    test.write(
        "tools/install.sh",
        "pip install --break-system-packages requests\n",
    );
    let output = test.run_in("src", &["lint"]);
    output.assert_code(1);
    assert!(
        output.stdout.contains("tools/install.sh"),
        "{}",
        output.stdout
    );
    edit(&test, ANSWERS, "ignore = []", "ignore = [\"tools/**\"]");
    test.run_in("src", &["lint"]).assert_code(0);

    // An edit is drift from anywhere in the repository.
    set_versions(&test, "\"3.11\", \"3.12\"", "\"3.12\"");
    test.run_in("src/pkg", &["regen", "--check"]).assert_code(1);

    // `init` in a subdirectory points at the existing setup instead of nesting a second one.
    let output = test.run_in("src", &["init", "--yes"]);
    output.assert_code(1);
    assert!(
        output.stderr.contains("already set up") && output.stderr.contains("regen"),
        "{}",
        output.stderr
    );
    assert!(!test.path().join("src/scripts").exists());
    assert!(!test.path().join("src/pybootstrap.toml").exists());
}

#[test]
fn the_search_stops_at_the_repository_root() {
    let test = Test::new();
    test.run(&["init", "--yes", "--set", "python.versions=3.12"])
        .assert_code(0);
    std::fs::create_dir_all(test.path().join("vendor/lib")).expect("mkdir");
    git(&test.path().join("vendor/lib"), &["init", "-q"]);
    let output = test.run_in("vendor/lib", &["regen", "--check"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("up to the repository root"),
        "{}",
        output.stderr
    );
}

#[test]
fn quiet_regen_prints_only_what_needs_acting_on() {
    let test = repo();
    set_versions(&test, "\"3.11\", \"3.12\"", "\"3.12\"");
    let check = test.run(&["-q", "regen", "--check"]);
    check.assert_code(1);
    assert_eq!(check.stdout, "");
    assert!(check.stderr.contains("out of date"), "{}", check.stderr);
    let regen = test.run(&["-q", "regen"]);
    regen.assert_code(0);
    assert_eq!((regen.stdout.as_str(), regen.stderr.as_str()), ("", ""));
    let check = test.run(&["--quiet", "regen", "--check"]);
    check.assert_code(0);
    assert_eq!((check.stdout.as_str(), check.stderr.as_str()), ("", ""));
    let init = Test::new().run(&["-q", "init", "--set", "python.versions=3.12"]);
    init.assert_code(0);
    assert_eq!((init.stdout.as_str(), init.stderr.as_str()), ("", ""));
}

/// Dependabot bumps a pinned action the way it does: the SHA and the version comment.
/// `regen` takes the bump as the answer (no hand edit, no revert) and `--check --strict`
/// does not fail on it.
#[test]
fn a_bot_bumped_action_pin_is_adopted_into_the_answers() {
    let test = repo();
    let before = test.read(CI);
    let line = before
        .lines()
        .find(|line| line.contains("uses: actions/checkout@"))
        .expect("checkout step");
    let old_pin = line.split_once('@').expect("pinned").1.to_string();
    let new_pin = "71cf2267d89c5cb81562390fa70a37fa40b1305e # v5.9.9";
    fs_err::write(test.path().join(CI), before.replace(&old_pin, new_pin)).expect("bump");
    commit(&test, "Bump actions/checkout");

    let check = test.run(&["regen", "--check", "--strict"]);
    check.assert_code(0);
    assert!(check.stderr.contains("v5.9.9"), "{}", check.stderr);
    assert!(
        test.read(ANSWERS)
            .contains(old_pin.split(' ').next().expect("sha"))
    );

    let regen = test.run(&["regen"]);
    regen.assert_code(0);
    assert!(test.read(CI).contains(new_pin), "the bump was reverted");
    let answers: toml::Table = toml::from_str(&test.read(ANSWERS)).expect("answers");
    assert_eq!(
        answers["ci"]["actions"]["actions/checkout"].as_str(),
        Some(new_pin)
    );
    assert!(
        locked(&test, CI)["base"]
            .as_str()
            .expect("base")
            .contains(new_pin)
    );
    test.run(&["regen", "--check", "--strict"]).assert_code(0);
    // Nothing left to do: a second regen writes nothing.
    let files = snapshot(&test, &[CI, ANSWERS, LOCK]);
    test.run(&["regen"]).assert_code(0);
    assert_eq!(snapshot(&test, &[CI, ANSWERS, LOCK]), files);
}

/// Every file regen may write, the answers and the lock included.
fn all_files() -> Vec<&'static str> {
    GENERATED.iter().copied().chain([ANSWERS, LOCK]).collect()
}

#[test]
fn one_unwritable_target_writes_nothing_and_names_the_target() {
    let test = repo();
    let before = snapshot(&test, &all_files());
    let Some(output) = test.run_with_read_only("scripts", &["regen", "--set", "env.dir=venv2"])
    else {
        return;
    };
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains("error: failed to write `scripts/bootstrap.ps1`; nothing was changed"),
        "{}",
        output.stderr
    );
    assert!(
        !output.stderr.contains(".pybootstrap-"),
        "{}",
        output.stderr
    );
    assert_eq!(snapshot(&test, &all_files()), before);
    let leftovers: Vec<_> = ["scripts", "docs", "."]
        .iter()
        .flat_map(|dir| std::fs::read_dir(test.path().join(dir)).expect("read dir"))
        .map(|entry| entry.expect("entry").file_name())
        .filter(|name| name.to_string_lossy().starts_with(".pybootstrap-"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    test.run(&["regen", "--check"]).assert_code(0);

    // Writable again, the same command writes every file.
    test.run(&["regen", "--set", "env.dir=venv2"])
        .assert_code(0);
    assert!(test.read("Makefile").contains("venv2"));
    assert!(test.read(SH).contains("venv2"));
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn a_directory_pybootstrap_must_create_under_a_read_only_one_is_undone() {
    let test = repo();
    std::fs::remove_dir_all(test.path().join(".github")).expect("remove .github");
    let before = snapshot(&test, &all_files());
    // `.github/workflows/` must be created, and the repository root is read-only.
    let Some(output) = test.run_with_read_only(".", &["regen", "--set", "env.dir=venv2"]) else {
        return;
    };
    output.assert_code(2);
    assert!(
        output.stderr.contains("nothing was changed"),
        "{}",
        output.stderr
    );
    assert_eq!(snapshot(&test, &all_files()), before);
    assert!(!test.path().join(".github").exists());
}

#[cfg(unix)]
#[test]
fn a_read_only_generated_file_is_refused_without_force() {
    use std::os::unix::fs::PermissionsExt;
    let test = repo();
    let makefile = test.path().join("Makefile");
    std::fs::set_permissions(&makefile, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let before = test.read("Makefile");
    let output = test.run(&["regen", "--set", "env.dir=venv2"]);
    output.assert_code(1);
    assert!(
        output.stderr.contains(
            "`Makefile` is read-only: make it writable (`chmod u+w Makefile`), or `--force` overwrites it"
        ),
        "{}",
        output.stderr
    );
    assert!(
        output
            .stdout
            .contains("refuse Makefile (read-only; --force overwrites)"),
        "{}",
        output.stdout
    );
    assert_eq!(test.read("Makefile"), before);
    // Still outdated, never taken for a hand edit.
    test.run(&["regen", "--check"]).assert_code(1);

    test.run(&["regen", "--force"]).assert_code(0);
    assert!(test.read("Makefile").contains("venv2"));
    let mode = std::fs::metadata(&makefile)
        .expect("stat")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o444, "the file keeps its mode");
    test.run(&["regen", "--check"]).assert_code(0);
}

#[test]
fn a_range_that_is_not_pep_440_is_refused_naming_the_key() {
    let test = repo();
    let before = snapshot(&test, &all_files());
    for value in [">=3.x", ">=3.9;rm"] {
        let output = test.run(&["regen", "--set", &format!("python.requires={value}")]);
        output.assert_code(2);
        assert!(
            output.stderr.contains("`python.requires`"),
            "{}",
            output.stderr
        );
    }
    edit(
        &test,
        ANSWERS,
        "[python]\n",
        "[python]\nrequires = \">=3.x\"\n",
    );
    let output = test.run(&["regen"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("pybootstrap.toml:") && output.stderr.contains("`python.requires`"),
        "{}",
        output.stderr
    );
    let mut after = snapshot(&test, &all_files());
    after[GENERATED.len()] = before[GENERATED.len()].clone();
    assert_eq!(after, before, "nothing but the hand edit changed");
}

#[test]
fn a_lock_from_a_newer_pybootstrap_is_refused() {
    let test = repo();
    let lock = test.read(LOCK);
    let generator = lock
        .lines()
        .find(|line| line.starts_with("generator = "))
        .expect("a generator line");
    test.write(LOCK, lock.replacen(generator, "generator = \"9.9.9\"", 1));
    for args in [&["regen"][..], &["regen", "--check"]] {
        let output = test.run(args);
        output.assert_code(2);
        assert!(
            output.stderr.contains("`generator`: `9.9.9` is not a version this pybootstrap reads (a newer pybootstrap wrote it"),
            "{}",
            output.stderr
        );
        assert!(
            output
                .stderr
                .contains("hint: upgrade pybootstrap to `9.9.9` or later"),
            "{}",
            output.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_orphan_is_kept_without_force() {
    use std::os::unix::fs::PermissionsExt;
    let test = repo();
    std::fs::set_permissions(test.path().join(CI), std::fs::Permissions::from_mode(0o444))
        .expect("chmod");
    let output = test.run(&["regen", "--set", "ci.providers=gitlab"]);
    output.assert_code(1);
    assert!(
        output.stderr.contains(
            "`.github/workflows/pybootstrap.yml` is no longer generated but is read-only: delete it yourself, or `--force` does"
        ),
        "{}",
        output.stderr
    );
    assert!(test.path().join(CI).is_file());
    assert!(test.path().join(GITLAB).is_file());
    assert!(locked_paths(&test).contains(&CI.to_string()));

    test.run(&["regen", "--force"]).assert_code(0);
    assert!(!test.path().join(CI).exists());
    test.run(&["regen", "--check"]).assert_code(0);
}

/// The render cache can make a run faster, never different: a corrupt entry is a miss
/// (and is rewritten), a changed answer misses the entry of the old one, and with
/// `PYBOOTSTRAP_NO_CACHE=1` nothing is kept.
#[test]
fn the_render_cache_never_changes_a_verdict() {
    let mut test = repo();
    let cache = test.path().join(".test-cache/pybootstrap/render");
    let entries = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&cache)
            .map(|dir| dir.map(|entry| entry.expect("entry").path()).collect())
            .unwrap_or_default()
    };
    assert!(!entries().is_empty(), "init kept no render");
    for entry in entries() {
        std::fs::write(entry, "{ not json").expect("corrupt the entry");
    }
    test.run(&["regen", "--check"]).assert_code(0);
    for entry in entries() {
        let text = std::fs::read_to_string(&entry).expect("read the entry");
        serde_json::from_str::<serde_json::Value>(&text).expect("the entry was rewritten");
    }

    set_versions(&test, r#""3.11", "3.12""#, r#""3.12", "3.13""#);
    test.run(&["regen", "--check"]).assert_code(1);
    set_versions(&test, r#""3.12", "3.13""#, r#""3.11", "3.12""#);
    test.run(&["regen", "--check"]).assert_code(0);

    std::fs::remove_dir_all(&cache).expect("empty the cache");
    test.env("PYBOOTSTRAP_NO_CACHE", "1");
    test.run(&["regen", "--check"]).assert_code(0);
    assert!(entries().is_empty(), "{:?}", entries());
}

#[test]
fn a_directory_that_does_not_exist_is_named_as_such() {
    let test = Test::new();
    let output = test.run(&["regen", "no/such/dir"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("no such directory: `") && output.stderr.contains("no/such/dir`"),
        "{}",
        output.stderr
    );
    assert!(
        !output.stderr.contains("pybootstrap init"),
        "{}",
        output.stderr
    );
    // An existing directory without answers still says to run init.
    std::fs::create_dir(test.path().join("empty")).expect("mkdir");
    let output = test.run(&["regen", "empty"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("pybootstrap init"),
        "{}",
        output.stderr
    );
}
