//! `pybootstrap lint --fix`, `--unsafe-fixes` and `--diff`: each fix before and after
//! (snapshots of its diff), idempotence, CRLF, exit codes, a diff that writes nothing, and the
//! corpus under `tests/lint-corpus/fixable/`: every fixed file re-lints clean for what was
//! fixed and passes its own checker (shellcheck, actionlint, the GitLab CI schema, hadolint,
//! Python's config parser).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{self, Test};

/// Every file under `root` (relative path → bytes), skipping the test's own cache.
fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            let relative = path
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            if relative.starts_with(".test-cache") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(relative, std::fs::read(&path).expect("read file"));
            }
        }
    }
    files
}

/// `path → rule → count` of a `--json` run's findings, only those with `fixable` in `only`
/// (any when `only` is empty).
fn counts(json: &serde_json::Value, only: &[&str]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for finding in json["findings"].as_array().expect("findings") {
        let fixable = finding["fixable"].as_str().unwrap_or("none");
        if !only.is_empty() && !only.contains(&fixable) {
            continue;
        }
        *counts
            .entry(finding["path"].as_str().expect("path").to_string())
            .or_default()
            .entry(finding["rule"].as_str().expect("rule").to_string())
            .or_default() += 1;
    }
    counts
}

/// One fix: the file, and what `--diff --unsafe-fixes` shows for it.
const CASES: [(&str, &str, &str); 16] = [
    (
        "dockerfile_venv_before_install",
        "Dockerfile",
        "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y --no-install-recommends \\\n    python3 \\\n    python3-pip \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY requirements.txt .\nRUN pip3 install --no-cache-dir -r requirements.txt\nCMD [\"python3\", \"app.py\"]\n",
    ),
    (
        "dockerfile_venv_inside_the_run",
        "Dockerfile",
        "FROM debian:bookworm-slim\nENV PIP_BREAK_SYSTEM_PACKAGES=1\nRUN apt-get update && apt-get install -y python3-pip \\\n    && pip3 install --break-system-packages flask gunicorn\n",
    ),
    (
        "dockerfile_flag_on_python_image",
        "Dockerfile",
        "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir \\\n    --break-system-packages \\\n    -r requirements.txt\n",
    ),
    (
        "dockerfile_system_python_named_later",
        "Dockerfile",
        "FROM fedora:40\nRUN dnf -y install python3-pip && dnf clean all\nRUN pip3 install --no-cache-dir httpie==3.2.3\nCMD [\"/usr/bin/python3\", \"-m\", \"httpie\"]\n",
    ),
    (
        "dockerfile_stages_built_on_the_fixed_one",
        "Dockerfile",
        "FROM ubuntu:24.04 AS base\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip3 install -r requirements.txt\n\nFROM base AS test\nRUN pip3 install pytest\nRUN pip3 install --break-system-packages coverage\n",
    ),
    (
        "workflow_tool_to_pipx",
        ".github/workflows/lint.yml",
        "name: lint\non: [push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - run: sudo pip install pre-commit\n      - run: pre-commit run --all-files\n",
    ),
    (
        "workflow_project_to_setup_python",
        ".github/workflows/test.yml",
        "name: test\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - name: Install\n        run: |\n          sudo -H pip3 install -r requirements.txt\n          pip install --user -e .\n      - run: python3 -m pytest\n",
    ),
    (
        "workflow_override_after_setup_python",
        ".github/workflows/build.yml",
        "name: build\non: [push]\nenv:\n  PIP_BREAK_SYSTEM_PACKAGES: 1\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v6\n        with:\n          python-version: \"3.12\"\n      - run: pip install --break-system-packages build\n",
    ),
    (
        "gitlab_override_on_python_image",
        ".gitlab-ci.yml",
        "image: python:3.12\n\nvariables:\n  PIP_BREAK_SYSTEM_PACKAGES: \"1\"\n\ntest:\n  script:\n    - pip install --break-system-packages -r requirements.txt\n    - pytest\n",
    ),
    (
        "gitlab_venv_on_a_distro_image",
        ".gitlab-ci.yml",
        "test:\n  image: ubuntu:24.04\n  before_script:\n    - apt-get update -qq\n    - apt-get install -y -qq python3 python3-pip\n  script:\n    - pip3 install -r requirements.txt\n    - python3 -m pytest\n",
    ),
    (
        "script_sudo_pip_to_venv",
        "scripts/setup.sh",
        "#!/bin/sh\nset -e\nsudo apt-get install -y python3-pip python3-venv\nsudo pip3 install -r requirements.txt\nsudo pip3 install -r requirements-dev.txt\n",
    ),
    (
        "script_flag_in_a_venv",
        "scripts/dev.sh",
        "#!/bin/bash\nset -e\npython3 -m venv .venv\nsource .venv/bin/activate\npip install --break-system-packages \\\n    -r requirements.txt\n",
    ),
    (
        "gitlab_flag_in_an_activated_venv",
        ".gitlab-ci.yml",
        "test:\n  image: ubuntu:24.04\n  before_script:\n    - apt-get update && apt-get install -y python3-venv\n    - python3 -m venv .venv\n    - . .venv/bin/activate\n  script:\n    - pip install --break-system-packages -r requirements.txt\n    - pytest\n",
    ),
    (
        "script_provisioning_installs_in_each_branch",
        "provision/install.sh",
        "#!/bin/sh\nset -e\ncase \"$ID\" in\n    alpine)\n        apk add py3-pip\n        pip3 install selenium==4.24.0\n        pip3 install requests\n    ;;\n    debian)\n        apt-get install -y python3-pip python3-venv\n        python3 -m pip install selenium==4.24.0\n    ;;\nesac\n",
    ),
    (
        "pip_conf_setting_to_comment",
        "pip.conf",
        "[global]\nindex-url = https://pypi.org/simple\nbreak-system-packages = true\n",
    ),
    (
        "nothing_to_fix_on_markdown",
        "README.md",
        "Install:\n\n```sh\nsudo pip install tool\n```\n",
    ),
];

#[test]
fn each_fix_before_and_after() {
    for (name, path, text) in CASES {
        let test = Test::new();
        test.write(path, text);
        let findings: String = test
            .run(&["lint", "-q"])
            .stdout
            .lines()
            .filter(|line| !line.starts_with("  fix:"))
            .map(|line| format!("{line}\n"))
            .collect();
        let diff = test.run(&["lint", "--diff", "--unsafe-fixes"]);
        diff.assert_code(1);
        insta::assert_snapshot!(
            format!("fix__{name}"),
            format!("{findings}\n{}", diff.stdout)
        );
        assert_eq!(test.read(path), text, "{name}: --diff wrote");

        let fixed = test.run(&["lint", "--fix", "--unsafe-fixes", "--json"]);
        let after = test.read(path);
        let second = test.run(&["lint", "--fix", "--unsafe-fixes", "--json"]);
        assert_eq!(
            test.read(path),
            after,
            "{name}: a second --fix changed the file"
        );
        if name == "nothing_to_fix_on_markdown" {
            fixed.assert_code(1);
            assert_eq!(after, text);
            continue;
        }
        fixed.assert_code(0);
        assert_eq!(fixed.json()["findings"], serde_json::json!([]), "{name}");
        second.assert_code(0);
        assert!(
            !diff.stdout.is_empty() && after != text,
            "{name}: nothing fixed"
        );
    }
}

#[test]
fn findings_say_whether_a_fix_is_safe() {
    let test = Test::new();
    test.write(
        "Dockerfile",
        "FROM python:3.12\nRUN pip install --break-system-packages flask\n",
    );
    test.write(
        "setup.sh",
        "#!/bin/sh\nsudo pip install -r requirements.txt\n",
    );
    test.write("docs/a.md", "```sh\nsudo pip install x\n```\n");
    let output = test.run(&["lint"]);
    output.assert_code(1);
    let stdout = &output.stdout;
    assert!(
        stdout.contains("Dockerfile:2:17: PB101 [*] `--break-system-packages`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("setup.sh:2:1: PB201 [~] `sudo pip`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("docs/a.md:2:1: PB201 `sudo pip`"),
        "{stdout}"
    );
    assert!(
        stdout
            .ends_with("[*] 1 fixable with `--fix`.\n[~] 1 fixable with `--fix --unsafe-fixes`.\n"),
        "{stdout}"
    );
    let json = test.run(&["lint", "--json"]).json();
    let fixable: Vec<(&str, &serde_json::Value)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["path"].as_str().expect("path"), &f["fixable"]))
        .collect();
    assert_eq!(
        fixable,
        vec![
            ("Dockerfile", &serde_json::json!("safe")),
            ("docs/a.md", &serde_json::Value::Null),
            ("setup.sh", &serde_json::json!("unsafe")),
        ]
    );
}

#[test]
fn fix_applies_safe_fixes_and_exits_by_what_remains() {
    let test = Test::new();
    let dockerfile = "FROM python:3.12\nRUN pip install --break-system-packages flask\n";
    let script = "#!/bin/sh\nsudo pip install -r requirements.txt\n";
    test.write("Dockerfile", dockerfile);
    test.write("setup.sh", script);

    let safe = test.run(&["lint", "--fix"]);
    safe.assert_code(1);
    assert_eq!(
        test.read("Dockerfile"),
        "FROM python:3.12\nRUN pip install flask\n"
    );
    assert_eq!(
        test.read("setup.sh"),
        script,
        "an unsafe fix needs --unsafe-fixes"
    );
    assert!(
        safe.stderr.contains("Fixed 1 finding in 1 file."),
        "{}",
        safe.stderr
    );
    assert!(
        safe.stdout.starts_with("setup.sh:2:1: PB201 [~]"),
        "{}",
        safe.stdout
    );

    let all = test.run(&["lint", "--fix", "--unsafe-fixes"]);
    all.assert_code(0);
    assert!(all.stdout.starts_with("No findings ("), "{}", all.stdout);
    assert_eq!(
        test.read("setup.sh"),
        "#!/bin/sh\npython3 -m venv .venv && .venv/bin/python -m pip install -r requirements.txt\n"
    );

    let before = tree(test.path());
    test.run(&["lint", "--fix", "--unsafe-fixes"])
        .assert_code(0);
    assert_eq!(tree(test.path()), before, "a second --fix changes nothing");

    // Nothing to fix: --fix reports and exits like lint.
    let clean = Test::new();
    clean.write("a.sh", "#!/bin/sh\necho hi\n");
    clean.run(&["lint", "--fix"]).assert_code(0);
}

#[test]
fn diff_writes_nothing() {
    let test = Test::new();
    test.write(
        "Dockerfile",
        "FROM debian:12\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip3 install flask\n",
    );
    test.write("pip.conf", "[global]\r\nbreak-system-packages = true\r\n");
    test.write("setup.sh", "#!/bin/sh\nsudo pip install x\n");
    let before = tree(test.path());
    let output = test.run(&["lint", "--diff", "--unsafe-fixes"]);
    output.assert_code(1);
    assert!(
        output
            .stdout
            .starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("--- a/pip.conf\n"),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stderr
            .contains("Would fix 3 findings in 3 files; 3 findings in all."),
        "{}",
        output.stderr
    );
    assert_eq!(tree(test.path()), before, "--diff wrote");
    // Only the safe fixes without --unsafe-fixes.
    let safe = test.run(&["lint", "--diff"]);
    safe.assert_code(1);
    assert!(
        safe.stdout.contains("--- a/Dockerfile\n"),
        "{}",
        safe.stdout
    );
    assert!(
        !safe.stdout.contains("pip.conf") && !safe.stdout.contains("setup.sh"),
        "{}",
        safe.stdout
    );
    assert_eq!(tree(test.path()), before);
}

#[test]
fn crlf_files_stay_crlf() {
    let test = Test::new();
    let workflow = "name: ci\r\non: [push]\r\njobs:\r\n  a:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - uses: actions/checkout@v5\r\n      - run: pip install -r requirements.txt\r\n";
    let dockerfile = "FROM ubuntu:24.04\r\nRUN apt-get update && apt-get install -y python3-pip\r\nRUN pip3 install --break-system-packages flask\r\n";
    test.write(".github/workflows/ci.yml", workflow);
    test.write("Dockerfile", dockerfile);
    test.run(&["lint", "--fix", "--unsafe-fixes"])
        .assert_code(0);
    for path in [".github/workflows/ci.yml", "Dockerfile"] {
        let after = test.read(path);
        assert!(after.len() > dockerfile.len().min(workflow.len()), "{path}");
        assert_eq!(
            after.matches('\n').count(),
            after.matches("\r\n").count(),
            "{path}: every line ends with CRLF:\n{after:?}"
        );
    }
}

#[test]
fn ignored_and_suppressed_findings_are_not_fixed() {
    let test = Test::new();
    test.write(
        "pybootstrap.toml",
        "schema = 1\n\n[lint]\nignore = [\"PB101\"]\n",
    );
    let dockerfile = "FROM python:3.12\nRUN pip install --break-system-packages flask\n";
    let suppressed =
        "FROM python:3.12\n# pybootstrap: ignore[PB102]\nENV PIP_BREAK_SYSTEM_PACKAGES=1\n";
    test.write("Dockerfile", dockerfile);
    test.write("other.Dockerfile", suppressed);
    test.run(&["lint", "--fix", "--unsafe-fixes"])
        .assert_code(0);
    assert_eq!(test.read("Dockerfile"), dockerfile);
    assert_eq!(test.read("other.Dockerfile"), suppressed);
}

#[test]
fn fix_flags_are_checked() {
    let test = Test::new();
    test.run(&["lint", "--unsafe-fixes"]).assert_code(2);
    test.run(&["lint", "--diff", "--json"]).assert_code(2);
    test.run(&["lint", "--diff", "--fix"]).assert_code(2);
}

/// The checker of each kind of file in the corpus, by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checker {
    Shellcheck,
    Actionlint,
    GitlabSchema,
    Hadolint,
    PipConfig,
}

fn checker_of(path: &str) -> Checker {
    // The corpora keep files in project-shaped folders (`fresh/.github/workflows/…`).
    let under = |dir: &str| path.starts_with(dir) || path.contains(&format!("/{dir}"));
    if Path::new(path)
        .extension()
        .is_some_and(|extension| extension == "sh")
    {
        Checker::Shellcheck
    } else if under(".github/workflows/") {
        Checker::Actionlint
    } else if path.ends_with("gitlab-ci.yml") || under(".gitlab/") {
        Checker::GitlabSchema
    } else if path.contains("Dockerfile") || path.contains("Containerfile") {
        Checker::Hadolint
    } else if path.ends_with("pip.conf") || path.ends_with("pip.ini") {
        Checker::PipConfig
    } else if Path::new(path).extension().is_none() {
        // A script named by its shebang (`bin/provision`).
        Checker::Shellcheck
    } else {
        panic!("no checker for {path}")
    }
}

fn run(program: &Path, args: &[&str], dir: &Path) -> std::process::Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|error| panic!("run {}: {error}", program.display()))
}

/// Shellcheck's codes for a script: a fixed script may not gain one its original lacked.
fn shellcheck_codes(shellcheck: &Path, file: &Path) -> BTreeSet<String> {
    let output = run(
        shellcheck,
        &["--format=gcc", file.to_str().expect("utf-8 path")],
        Path::new("."),
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .filter_map(|word| {
            word.strip_prefix("[SC")
                .and_then(|code| code.strip_suffix(']'))
        })
        .map(str::to_string)
        .collect()
}

/// hadolint as a parser: a parse error (DL1000) means invalid, and so does an error or
/// warning its original did not have; `info` and `style` findings (DL3059, consecutive
/// `RUN`s, which the inserted venv line can make) are style.
fn hadolint_findings(hadolint: &Path, file: &Path) -> BTreeSet<String> {
    let output = run(
        hadolint,
        &[
            "--no-fail",
            "--format",
            "json",
            file.to_str().expect("utf-8 path"),
        ],
        Path::new("."),
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "hadolint's JSON for {}: {error}\n{}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    json.as_array()
        .expect("hadolint findings")
        .iter()
        .filter(|finding| matches!(finding["level"].as_str(), Some("error" | "warning")))
        .map(|finding| finding["code"].as_str().expect("code").to_string())
        .collect()
}

/// The corpus copied to a scratch tree, its relative file paths.
fn corpus_copy(test: &Test, name: &str) -> Vec<String> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lint-corpus")
        .join(name);
    let files = tree(&corpus);
    for (path, bytes) in &files {
        test.write(path, bytes);
    }
    files.into_keys().collect()
}

#[test]
fn fixable_corpus_fixes_clean() {
    let test = Test::new();
    let paths = corpus_copy(&test, "fixable");
    let before = test.run(&["lint", "--json"]).json();
    let fixable = counts(&before, &["safe", "unsafe"]);
    let unfixable = counts(&before, &["none"]);
    assert!(paths.len() >= 30, "{} files", paths.len());
    for path in &paths {
        assert!(fixable.contains_key(path), "{path}: no fixable finding");
    }
    let diff = test.run(&["lint", "--diff", "--unsafe-fixes"]);
    insta::assert_snapshot!("fix__corpus", diff.stdout);

    let original = tree(test.path());
    test.run(&["lint", "--fix", "--unsafe-fixes"]);
    let fixed = tree(test.path());
    let after = counts(&test.run(&["lint", "--json"]).json(), &[]);
    for path in &paths {
        assert_ne!(original[path], fixed[path], "{path}: unchanged");
        // What remains is at most what had no fix.
        for (rule, count) in after.get(path).into_iter().flatten() {
            let left = unfixable.get(path).and_then(|rules| rules.get(rule));
            assert!(
                left.is_some_and(|left| count <= left),
                "{path}: {rule} remains after --fix:\n{}",
                String::from_utf8_lossy(&fixed[path])
            );
        }
        let crlf = |bytes: &[u8]| bytes.windows(2).any(|pair| pair == b"\r\n");
        assert_eq!(
            crlf(&original[path]),
            crlf(&fixed[path]),
            "{path}: line endings"
        );
    }
    test.run(&["lint", "--fix", "--unsafe-fixes"]);
    assert_eq!(tree(test.path()), fixed, "a second --fix changes nothing");
}

/// The problems a checker reports on a file, without their positions: a fixed file may not
/// have one its original lacked.
fn problems(checker: Checker, file: &Path, tools: &Tools) -> Option<BTreeSet<String>> {
    let path = file.to_str().expect("utf-8 path");
    let dir = file.parent().expect("parent");
    let lines = |output: std::process::Output| -> BTreeSet<String> {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    match checker {
        Checker::Shellcheck => {
            let shellcheck = tools.shellcheck.as_deref()?;
            Some(shellcheck_codes(shellcheck, file))
        }
        Checker::Actionlint => {
            let actionlint = tools.actionlint.as_deref()?;
            let output = run(actionlint, &["-oneline", path], dir);
            // `path:line:col: message [kind]`: the message and kind.
            Some(
                lines(output)
                    .iter()
                    .map(|line| {
                        line.splitn(4, ':')
                            .nth(3)
                            .unwrap_or(line)
                            .trim()
                            .to_string()
                    })
                    .collect(),
            )
        }
        Checker::GitlabSchema => {
            let schema = tools.schema.as_deref()?;
            let output = run(schema, &["--builtin-schema", "vendor.gitlab-ci", path], dir);
            Some(if output.status.success() {
                BTreeSet::new()
            } else {
                BTreeSet::from([String::from_utf8_lossy(&output.stdout).into_owned()])
            })
        }
        Checker::Hadolint => {
            let hadolint = tools.hadolint.as_deref()?;
            Some(hadolint_findings(hadolint, file))
        }
        Checker::PipConfig => {
            let python = tools.python.as_deref()?;
            // pip reads its config with RawConfigParser: the file must still parse, and the
            // setting must be gone from every section pip reads.
            let script = "import configparser, sys\n\
                parser = configparser.RawConfigParser()\n\
                parser.read(sys.argv[1])\n\
                for section in ('global', 'install'):\n\
                \x20   for key in ('break-system-packages', 'break_system_packages'):\n\
                \x20       if parser.has_option(section, key): print(section, key)\n";
            let output = run(python, &["-c", script, path], dir);
            let mut found = lines(output.clone());
            if !output.status.success() {
                found.insert(String::from_utf8_lossy(&output.stderr).into_owned());
            }
            Some(found)
        }
    }
}

struct Tools {
    shellcheck: Option<PathBuf>,
    actionlint: Option<PathBuf>,
    schema: Option<PathBuf>,
    hadolint: Option<PathBuf>,
    python: Option<PathBuf>,
}

#[test]
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: runs shellcheck, actionlint, check-jsonschema and hadolint over every fixed corpus file"
)]
fn fixed_corpus_files_pass_their_checkers() {
    let tools = Tools {
        shellcheck: support::tool("shellcheck"),
        actionlint: support::tool("actionlint"),
        schema: support::tool("check-jsonschema"),
        hadolint: support::tool("hadolint"),
        python: support::tool("python3"),
    };
    let mut checked = 0;
    let mut changed_files = 0;
    // The fixable corpus, and the fixes lint finds in the rule corpora.
    for corpus in ["fixable", "positive", "labelled"] {
        let original = Test::new();
        let paths = corpus_copy(&original, corpus);
        let test = Test::new();
        corpus_copy(&test, corpus);
        test.run(&["lint", "--fix", "--unsafe-fixes"]);
        for path in &paths {
            let (was, fixed) = (original.path().join(path), test.path().join(path));
            if std::fs::read(&was).ok() == std::fs::read(&fixed).ok() {
                assert_ne!(corpus, "fixable", "{path}: not fixed");
                continue;
            }
            changed_files += 1;
            let checker = checker_of(path);
            let (Some(before), Some(after)) = (
                problems(checker, &was, &tools),
                problems(checker, &fixed, &tools),
            ) else {
                continue;
            };
            let new: Vec<&String> = after.difference(&before).collect();
            assert!(
                new.is_empty(),
                "{corpus}/{path}: {checker:?} reports after --fix: {new:?}\n{}",
                std::fs::read_to_string(&fixed).unwrap_or_default()
            );
            if checker == Checker::GitlabSchema || checker == Checker::PipConfig {
                assert!(after.is_empty(), "{corpus}/{path}: {after:?}");
            }
            checked += 1;
        }
    }
    assert!(changed_files >= 50, "{changed_files} files fixed");
    if [
        &tools.shellcheck,
        &tools.actionlint,
        &tools.schema,
        &tools.hadolint,
        &tools.python,
    ]
    .iter()
    .all(|tool| tool.is_some())
    {
        assert_eq!(checked, changed_files, "every fixed file checked");
    }
}
