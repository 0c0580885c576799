//! The fixes' building blocks (line edits, line endings, removing a word from a continued
//! command), the fix table against what the fixers produce and against docs/lint.md, and odd
//! text that must never make a fixer panic.

use super::edit::{Builder, apply};
use super::table::FIXES;
use super::*;

fn fix(edits: Vec<Edit>) -> Fix {
    Fix {
        applicability: Applicability::Safe,
        resolves: Vec::new(),
        edits,
    }
}

#[test]
fn edits_keep_every_other_byte_and_the_line_endings() {
    let text = "a\r\nb\r\nc";
    let fixes = [fix(vec![
        Edit::Replace {
            line: 1,
            text: "B".to_string(),
        },
        Edit::Insert {
            before: 1,
            lines: vec!["new".to_string()],
        },
        Edit::Insert {
            before: 3,
            lines: vec!["end".to_string()],
        },
    ])];
    assert_eq!(apply(text, &fixes), "a\r\nnew\r\nB\r\nc\r\nend\r\n");
    let deleted = [fix(vec![Edit::Delete { line: 0 }])];
    assert_eq!(apply("a\nb\n", &deleted), "b\n");
    assert_eq!(apply("a\nb", &[fix(vec![Edit::Delete { line: 1 }])]), "a\n");
}

#[test]
fn a_fix_touching_a_line_another_one_did_waits() {
    let first = fix(vec![Edit::Replace {
        line: 0,
        text: "x".to_string(),
    }]);
    let second = fix(vec![
        Edit::Replace {
            line: 0,
            text: "y".to_string(),
        },
        Edit::Replace {
            line: 1,
            text: "z".to_string(),
        },
    ]);
    // The whole second fix waits: half a fix is never applied.
    assert_eq!(apply("a\nb\n", &[first, second]), "x\nb\n");
}

fn removed(text: &str, line: usize, column: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut builder = Builder::new(&lines);
    builder.remove_word(Position { line, column }, '\\');
    apply(text, &[fix(builder.finish())])
}

#[test]
fn removing_a_word_keeps_the_command_whole() {
    assert_eq!(
        removed("pip install --break-system-packages x\n", 1, 13),
        "pip install x\n"
    );
    assert_eq!(
        removed("pip install x --break-system-packages\n", 1, 15),
        "pip install x\n"
    );
    // Alone on a continued line: the line goes.
    assert_eq!(
        removed(
            "pip install \\\n    --break-system-packages \\\n    x\n",
            2,
            5
        ),
        "pip install \\\n    x\n"
    );
    // The last line of a continuation: the line goes, and the `\` before it.
    assert_eq!(
        removed(
            "pip install x \\\n    --break-system-packages\nnext\n",
            2,
            5
        ),
        "pip install x\nnext\n"
    );
    // First on its line, with more after it.
    assert_eq!(
        removed("pip install \\\n    --break-system-packages x\n", 2, 5),
        "pip install \\\n    x\n"
    );
}

#[test]
fn two_installs_on_one_line_share_the_venv() {
    let text = "#!/bin/sh\nsudo pip install a; sudo pip install b\n";
    assert_eq!(
        fix_text(Kind::Shell, text, Base::Host, Applicability::Unsafe, &[]),
        "#!/bin/sh\npython3 -m venv .venv && .venv/bin/python -m pip install a; .venv/bin/python -m pip install b\n"
    );
}

#[test]
fn deleting_a_block_leaves_one_blank_line() {
    let text = "a\n\nkey:\n  X: 1\n\nb\n";
    let lines: Vec<&str> = text.lines().collect();
    let mut builder = Builder::new(&lines);
    builder.delete_block(2, 3);
    assert_eq!(apply(text, &[fix(builder.finish())]), "a\n\nb\n");
}

/// Files with every fix in them, one per kind a fixer reads.
const SAMPLES: [(Kind, &str); 10] = [
    (
        Kind::Dockerfile,
        "FROM ubuntu:24.04\nENV PIP_BREAK_SYSTEM_PACKAGES=1\nRUN apt-get update && apt-get install -y python3-pip\nRUN pip3 install --break-system-packages -r r.txt\nCMD [\"/usr/bin/python3\"]\n",
    ),
    (
        Kind::Dockerfile,
        "FROM debian:12\nRUN apt-get update && apt-get install -y python3-pip && pip3 install x\nCMD [\"/usr/bin/python3\", \"app.py\"]\n",
    ),
    (
        Kind::Dockerfile,
        "FROM python:3.12\nENV A=1 PIP_BREAK_SYSTEM_PACKAGES=1\nRUN PIP_BREAK_SYSTEM_PACKAGES=1 pip install --break-system-packages x\n",
    ),
    (
        Kind::GithubWorkflow,
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: sudo pip install ruff\n      - run: pip install --user tox\n      - run: pip install yamllint\n      - run: pip install --user black\n      - run: python -m black .\n      - run: sudo pip install --break-system-packages -r r.txt\n      - run: pip install -r r.txt\n  b:\n    runs-on: ubuntu-latest\n    env:\n      PIP_BREAK_SYSTEM_PACKAGES: 1\n    steps:\n      - uses: actions/setup-python@v6\n      - run: pip install --break-system-packages x\n",
    ),
    (
        Kind::GitlabCi,
        "image: python:3.12\nvariables:\n  PIP_BREAK_SYSTEM_PACKAGES: 1\njob:\n  variables:\n    PIP_BREAK_SYSTEM_PACKAGES: 1\n  script:\n    - pip install --break-system-packages x\n",
    ),
    (
        Kind::GitlabCi,
        "test:\n  image: debian:12\n  script:\n    - apt-get update && apt-get install -y python3-pip\n    - pip3 install -r r.txt\n    - pip3 install --break-system-packages x\n",
    ),
    (
        Kind::Shell,
        "#!/bin/sh\nsudo apt-get install -y python3-pip\npip3 install flask\nsudo pip install --break-system-packages -r r.txt\n",
    ),
    (
        Kind::Shell,
        "#!/bin/sh\npython3 -m venv .venv\n. .venv/bin/activate\npip install --break-system-packages x\n",
    ),
    (Kind::PipConfig, "[global]\nbreak-system-packages = true\n"),
    (
        Kind::Dockerfile,
        "FROM alpine:3.20\nRUN apk add py3-pip\nRUN pip install x\n",
    ),
];

/// Every fix the fixers produce for `text`, as `(rule, applicability)` pairs.
fn produced(kind: Kind, text: &str) -> Vec<(Rule, Applicability)> {
    let findings = check_in(kind, text, Base::Host);
    fixes(kind, text, &findings)
        .into_iter()
        .flat_map(|fix| {
            fix.resolves
                .into_iter()
                .map(move |(rule, _)| (rule, fix.applicability))
        })
        .collect()
}

#[test]
fn every_fix_is_in_the_table() {
    let mut seen = Vec::new();
    for (kind, text) in SAMPLES {
        let pairs = produced(kind, text);
        assert!(!pairs.is_empty(), "{kind:?}: no fix for\n{text}");
        for (rule, applicability) in pairs {
            assert!(
                FIXES.iter().any(|row| row.rule == rule
                    && row.kind == kind
                    && row.applicability == applicability),
                "{rule} {kind:?} {applicability:?}: not in the fix table"
            );
            seen.push((rule, kind, applicability));
        }
    }
    for row in FIXES {
        assert!(
            seen.contains(&(row.rule, row.kind, row.applicability)),
            "{} {:?} {:?}: in the table, never produced by the samples",
            row.rule,
            row.kind,
            row.applicability
        );
    }
}

#[test]
fn fixed_samples_relint_clean_for_what_was_fixed() {
    for (kind, text) in SAMPLES {
        let before = check_in(kind, text, Base::Host);
        let resolved: Vec<(Rule, Position)> = fixes(kind, text, &before)
            .into_iter()
            .flat_map(|fix| fix.resolves)
            .collect();
        let after = fix_text(kind, text, Base::Host, Applicability::Unsafe, &[]);
        let left = check_in(kind, &after, Base::Host);
        assert!(
            left.len() + resolved.len() <= before.len(),
            "{kind:?}: {left:?} left after\n{after}"
        );
        assert_eq!(
            fix_text(kind, &after, Base::Host, Applicability::Unsafe, &[]),
            after,
            "{kind:?}: a second pass changed\n{after}"
        );
    }
}

#[test]
fn docs_list_every_fix() {
    let docs = fs_err::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lint.md"))
        .expect("docs/lint.md");
    let (_, section) = docs
        .split_once("\n## Fixing\n")
        .expect("docs/lint.md has a `## Fixing` section");
    let rows: Vec<&str> = section
        .lines()
        .skip_while(|line| !line.starts_with("| PB"))
        .take_while(|line| line.starts_with('|'))
        .collect();
    let mut expected: Vec<String> = FIXES
        .iter()
        .map(|row| {
            let applicability = match row.applicability {
                Applicability::Safe => "safe",
                Applicability::Unsafe => "unsafe",
            };
            format!("| {} | {} | {applicability} |", row.rule, row.file)
        })
        .collect();
    expected.dedup();
    let listed: Vec<String> = rows
        .iter()
        .map(|row| row.split(" | ").take(3).collect::<Vec<_>>().join(" | ") + " |")
        .collect();
    assert_eq!(
        listed, expected,
        "docs/lint.md's `## Fixing` table: one row per rule, file kind and safety, in the fix table's order"
    );
}

#[test]
fn odd_text_never_makes_a_fixer_panic() {
    let pieces = [
        "pip",
        " install",
        " --user",
        " --break-system-packages",
        "sudo ",
        "sudo -H ",
        "\\",
        "\n",
        "\r\n",
        "\t",
        "'",
        "\"",
        "$(",
        ")",
        "<<",
        "EOF",
        "#",
        ":",
        "- ",
        "  ",
        "&&",
        ";",
        "FROM debian",
        "FROM python:3",
        "RUN ",
        "ENV ",
        "PATH=",
        "=",
        "[",
        "]",
        "é",
        "\u{3000}",
        "PIP_BREAK_SYSTEM_PACKAGES",
        "PIP_BREAK_SYSTEM_PACKAGES=1",
        "apt-get install python3-pip",
        "jobs:\n",
        "  a:\n",
        "    runs-on: ubuntu-latest\n",
        "    steps:\n",
        "      - run: ",
        "env:\n",
        "variables:\n",
        "image: python:3\n",
        "script:\n",
        "[global]\n",
        "break-system-packages = true",
        "python3 -m pip",
        " ruff",
        " -r r.txt",
        "sudo pip install a; sudo pip install b",
        "case x in\n",
        "a)\n",
        ";;\n",
        "esac\n",
        "    - pip install x\n",
        "image: debian:12\n",
        "FROM base AS b\n",
        "FROM b\n",
        ". .venv/bin/activate\n",
        "python3 -m venv .venv\n",
        "--break-system-packages \\\n",
        "apt-get install -y python3-pip\n",
    ];
    let mut state: u64 = 668;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(state >> 33).unwrap_or(0)
    };
    let kinds = [
        Kind::Dockerfile,
        Kind::GithubWorkflow,
        Kind::GitlabCi,
        Kind::Shell,
        Kind::PipConfig,
    ];
    for _ in 0..3000 {
        let length = next() % 40;
        let text: String = (0..length).map(|_| pieces[next() % pieces.len()]).collect();
        for kind in kinds {
            let _ = fix_text(kind, &text, Base::Host, Applicability::Unsafe, &[]);
        }
    }
}
