//! Dev container definitions (`.devcontainer/devcontainer.json`, `.devcontainer.json`):
//! JSON with comments, read with serde_json once comments and trailing commas are blanked
//! in place, so every value keeps its byte offset in the file. `containerEnv`/`remoteEnv`
//! settings and the lifecycle commands are judged on the container's image.

use std::collections::BTreeMap;

use serde_json::value::RawValue;

use super::Position;
use super::command::{self, Created, ENVIRONMENT_RULES, is_truthy};
use super::dockerfile::{image_base, unbracket};
use super::reach::{self, Base, Context};
use super::rules::Rule;
use super::shell::{SourceLine, fragments};

/// The lifecycle commands that run inside the container, in the order they run.
const LIFECYCLE: [&str; 5] = [
    "onCreateCommand",
    "updateContentCommand",
    "postCreateCommand",
    "postStartCommand",
    "postAttachCommand",
];

type Object<'a> = BTreeMap<String, &'a RawValue>;

/// Findings in a dev container definition.
pub(super) fn check(text: &str) -> Vec<(Rule, Position)> {
    let clean = blank_comments(text);
    let Ok(root) = serde_json::from_str::<Object<'_>>(&clean) else {
        return Vec::new();
    };
    let mut context = Context {
        base: base(&root),
        ..Context::default()
    };
    let mut findings = Vec::new();
    for key in ["containerEnv", "remoteEnv"] {
        let Some(environment) = root
            .get(key)
            .and_then(|raw| serde_json::from_str::<Object<'_>>(raw.get()).ok())
        else {
            continue;
        };
        for (name, raw) in environment {
            let Some((_, rule)) = ENVIRONMENT_RULES.iter().find(|(known, _)| *known == name) else {
                continue;
            };
            let on = serde_json::from_str::<String>(raw.get()).is_ok_and(|value| is_truthy(&value));
            if on && reach::keeps(*rule, context) {
                findings.push((*rule, key_position(&clean, offset(&clean, raw), &name)));
            }
        }
    }
    // `initializeCommand` runs on the developer's machine, the others in the container.
    if let Some(raw) = root.get("initializeCommand") {
        for lines in commands(&clean, raw) {
            let scan = command::scan(&fragments(&lines), Context::default(), Created::Ignored);
            findings.extend(scan.findings);
        }
    }
    for key in LIFECYCLE {
        let Some(raw) = root.get(key) else {
            continue;
        };
        // The commands of an object run in parallel, each from the same start.
        let mut after = context.base;
        for lines in commands(&clean, raw) {
            let scan = command::scan(&fragments(&lines), context, Created::Ignored);
            findings.extend(scan.findings);
            findings.extend(
                scan.system_installs
                    .into_iter()
                    .map(|position| (Rule::DockerSystemInstall, position)),
            );
            if scan.base == Base::Distro {
                after = Base::Distro;
            }
        }
        context.base = after;
    }
    findings
}

/// Where the container's Python comes from: its image (`mcr.microsoft.com/devcontainers/
/// python` is its own, `devcontainers/base:ubuntu-24.04` the distro's), a Python feature
/// that installs its own, or unknown for a `build` or Compose file lint does not follow.
fn base(root: &Object<'_>) -> Base {
    let installs_python = root
        .get("features")
        .and_then(|raw| serde_json::from_str::<Object<'_>>(raw.get()).ok())
        .is_some_and(|features| {
            features.iter().any(|(feature, options)| {
                let name = feature.rsplit('/').next().unwrap_or(feature);
                let name = name.split(':').next().unwrap_or(name);
                // `"version": "os-provided"` keeps the image's own Python.
                matches!(name, "python" | "conda" | "anaconda" | "miniconda")
                    && !options.get().contains("os-provided")
            })
        });
    if installs_python {
        return Base::OwnPython;
    }
    let Some(image) = root
        .get("image")
        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
    else {
        return Base::Unknown;
    };
    let lower = image.to_ascii_lowercase();
    // The dev containers' `base` images are named for their distro in the tag.
    if let Some((repository, tag)) = lower.rsplit_once(':')
        && repository.ends_with("devcontainers/base")
        && [
            "ubuntu", "debian", "alpine", "bookworm", "bullseye", "trixie", "jammy", "noble",
            "focal",
        ]
        .iter()
        .any(|distro| tag.starts_with(distro))
    {
        return Base::Distro;
    }
    image_base(&image)
}

/// The commands a lifecycle value holds: a string (a shell command line), an array (one
/// command's words, no shell), or an object whose values are either.
fn commands(clean: &str, raw: &RawValue) -> Vec<Vec<SourceLine>> {
    let text = raw.get();
    let at = offset(clean, raw);
    if text.starts_with('"') {
        return string_lines(clean, raw).into_iter().collect();
    }
    if text.starts_with('[') {
        let mut lines = Vec::new();
        let pieces: Vec<&str> = text.split('\n').collect();
        let mut start = at;
        for (index, piece) in pieces.iter().enumerate() {
            let mut words = unbracket(piece);
            if index + 1 < pieces.len() {
                words.push_str(" \\");
            }
            let position = position_at(clean, start);
            lines.push(SourceLine {
                text: words,
                line: position.line,
                column: position.column,
            });
            start += piece.len() + 1;
        }
        return vec![lines];
    }
    serde_json::from_str::<Object<'_>>(text)
        .map(|object| {
            object
                .values()
                .flat_map(|value| commands(clean, value))
                .collect()
        })
        .unwrap_or_default()
}

/// A JSON string as script lines: at its own columns when it holds no escapes, else
/// decoded and placed at its opening quote.
fn string_lines(clean: &str, raw: &RawValue) -> Option<Vec<SourceLine>> {
    let decoded = serde_json::from_str::<String>(raw.get()).ok()?;
    let start = position_at(clean, offset(clean, raw) + 1);
    if !raw.get().contains('\\') {
        return Some(vec![SourceLine {
            text: decoded,
            line: start.line,
            column: start.column,
        }]);
    }
    Some(
        decoded
            .split('\n')
            .map(|text| SourceLine {
                text: text.to_string(),
                line: start.line,
                column: start.column,
            })
            .collect(),
    )
}

/// The byte offset of `raw` in `clean` (serde_json borrows it from there).
fn offset(clean: &str, raw: &RawValue) -> usize {
    (raw.get().as_ptr() as usize)
        .saturating_sub(clean.as_ptr() as usize)
        .min(clean.len())
}

/// Where the key `"name"` written before byte `value` starts.
fn key_position(clean: &str, value: usize, name: &str) -> Position {
    let quoted = format!("\"{name}\"");
    let at = clean[..value].rfind(&quoted).map_or(value, |at| at + 1);
    position_at(clean, at)
}

fn position_at(text: &str, offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    Position {
        line: before.matches('\n').count() + 1,
        column: before[line_start..].chars().count() + 1,
    }
}

/// The text with `//` and `/* */` comments and trailing commas replaced by spaces (newlines
/// kept), byte for byte, so offsets into it are offsets into the file.
fn blank_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut index = 0;
    let mut in_string = false;
    while index < bytes.len() {
        let byte = bytes[index];
        if in_string {
            match byte {
                b'\\' => index += 1,
                b'"' => in_string = false,
                _ => {}
            }
            index += 1;
            continue;
        }
        match (byte, bytes.get(index + 1)) {
            (b'"', _) => in_string = true,
            (b'/', Some(b'/')) => {
                while index < bytes.len() && bytes[index] != b'\n' {
                    out[index] = b' ';
                    index += 1;
                }
                continue;
            }
            (b'/', Some(b'*')) => {
                let end = text[index + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |at| index + 2 + at + 2);
                for blanked in &mut out[index..end] {
                    if *blanked != b'\n' {
                        *blanked = b' ';
                    }
                }
                index = end;
                continue;
            }
            (b',', _) => {
                let next = bytes[index + 1..]
                    .iter()
                    .copied()
                    .find(|c| !c.is_ascii_whitespace());
                // A comment between the comma and the bracket is blanked when reached.
                let rest = &text[index + 1..];
                let after_comments = skip_blank_and_comments(rest);
                if matches!(next, Some(b'}' | b']')) || matches!(after_comments, Some('}' | ']')) {
                    out[index] = b' ';
                }
            }
            _ => {}
        }
        index += 1;
    }
    // Only ASCII bytes were replaced, by ASCII spaces, and never inside a UTF-8 sequence:
    // comment bytes of a multi-byte character all become spaces.
    String::from_utf8(out)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// The first character after whitespace and comments.
fn skip_blank_and_comments(text: &str) -> Option<char> {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("//") {
            rest = after.split_once('\n').map_or("", |(_, next)| next);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, next)| next);
        } else {
            return rest.chars().next();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<(&'static str, usize, usize)> {
        let mut found: Vec<_> = check(text)
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line, at.column))
            .collect();
        found.sort_by_key(|&(id, line, column)| (line, column, id));
        found
    }

    #[test]
    fn blanks_comments_and_trailing_commas_in_place() {
        let text = "{\n  // a comment, with \"quotes\"\n  \"a\": \"x // not a comment\", /* b */\n  \"c\": [1, 2,],\n}\n";
        let clean = blank_comments(text);
        assert_eq!(clean.len(), text.len());
        let value: serde_json::Value = serde_json::from_str(&clean).expect("valid JSON");
        assert_eq!(value["a"], "x // not a comment");
        assert_eq!(value["c"], serde_json::json!([1, 2]));
    }

    #[test]
    fn reads_settings_and_lifecycle_commands_on_a_distro_image() {
        let text = r#"{
  // Ubuntu base
  "image": "mcr.microsoft.com/devcontainers/base:ubuntu-24.04",
  "containerEnv": { "PIP_BREAK_SYSTEM_PACKAGES": "1", "PIP_USER": "0" },
  "remoteEnv": { "UV_SYSTEM_PYTHON": "true" },
  "onCreateCommand": ["sudo", "apt-get", "install", "-y", "python3-pip"],
  "updateContentCommand": "pip3 install -r requirements.txt",
  "postCreateCommand": {
    "tools": "sudo pip3 install pre-commit",
    "venv": "python3 -m venv .venv && .venv/bin/pip install -e .",
  },
  "postStartCommand": [
    "sudo", "rm", "-f",
    "/usr/lib/python3.12/EXTERNALLY-MANAGED"
  ],
}"#;
        assert_eq!(
            ids(text),
            vec![
                ("PB102", 4, 22),
                ("PB203", 5, 19),
                ("PB204", 7, 28),
                ("PB201", 9, 15),
                ("PB104", 13, 13),
            ]
        );
    }

    #[test]
    fn a_python_image_or_feature_is_its_own_python() {
        let python_image = r#"{
  "image": "mcr.microsoft.com/devcontainers/python:1-3.12-bookworm",
  "remoteEnv": { "UV_SYSTEM_PYTHON": "1" },
  "postCreateCommand": "pip install --user pre-commit && pip install -e ."
}"#;
        assert_eq!(ids(python_image), vec![]);
        let feature = r#"{
  "image": "mcr.microsoft.com/devcontainers/base:debian-12",
  "features": { "ghcr.io/devcontainers/features/python:1": { "version": "3.12" } },
  "postCreateCommand": "pip install -e ."
}"#;
        assert_eq!(ids(feature), vec![]);
        let os_python = r#"{
  "image": "mcr.microsoft.com/devcontainers/base:debian-12",
  "features": { "ghcr.io/devcontainers/features/python:1": { "version": "os-provided" } },
  "postCreateCommand": "pip install -e ."
}"#;
        assert_eq!(ids(os_python), vec![("PB204", 4, 25)]);
    }

    #[test]
    fn a_built_image_is_unknown_until_it_installs_the_distro_python() {
        let text = r#"{
  "build": { "dockerfile": "Dockerfile" },
  "postCreateCommand": "sudo update-ca-certificates && pip install -e .",
  "postStartCommand": "sudo apt-get install -y python3-pip && pip3 install ruff"
}"#;
        assert_eq!(ids(text), vec![("PB204", 4, 63)]);
    }

    #[test]
    fn odd_files_give_nothing() {
        for text in [
            "",
            "{",
            "[]",
            "{\"postCreateCommand\": 3}",
            "/* */ {\"image\": 1}",
        ] {
            assert_eq!(ids(text), vec![]);
        }
    }
}
