//! Action pins that a bot (Dependabot, Renovate) or a person bumped in a generated workflow:
//! `regen` adopts them into `ci.actions` instead of calling them hand edits or reverting them.

use std::collections::BTreeMap;

use crate::answers::{self, Assignment};

/// One `uses: OWNER/REPO@SHA # vX` that differs between what pybootstrap last wrote and the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bump {
    pub(crate) action: String,
    /// The pin as last written, `<sha> # vX` (the comment when there is one).
    pub(crate) from: String,
    /// The pin on disk now.
    pub(crate) to: String,
}

impl Bump {
    /// The answer that records the bump in `pybootstrap.toml`, checked as a `--set` is.
    pub(crate) fn assignment(&self) -> Result<Assignment, answers::Error> {
        answers::parse_set(&format!("ci.actions.{}={}", self.action, self.to))
    }

    /// `v5.0.0 → v5.1.0`, or the short SHAs when a pin has no version comment.
    pub(crate) fn versions(&self) -> String {
        format!("{} → {}", short(&self.from), short(&self.to))
    }
}

fn short(pin: &str) -> &str {
    match pin.split_once(" # ") {
        Some((_, version)) => version,
        None => &pin[..pin.len().min(12)],
    }
}

/// The actions whose pin in `disk` differs from the one in `base`, for the actions `base`
/// pins (an action the user added is theirs, not an answer).
pub(crate) fn bumps(base: &str, disk: &str) -> Vec<Bump> {
    let written = pins(base);
    let now = pins(disk);
    written
        .into_iter()
        .filter_map(|(action, from)| {
            let to = now.get(&action)?.clone();
            (to != from).then_some(Bump { action, from, to })
        })
        .collect()
}

/// `action → "<sha> # vX"` for every `uses:` pinned to a full commit SHA; an action pinned
/// to two different SHAs in one file is left out (it is not one answer).
fn pins(workflow: &str) -> BTreeMap<String, String> {
    let mut found: BTreeMap<String, Option<String>> = BTreeMap::new();
    for line in workflow.lines() {
        let Some(pin) = pin_of(line) else { continue };
        let (action, reference) = pin;
        let entry = found
            .entry(action)
            .or_insert_with(|| Some(reference.clone()));
        if entry.as_ref() != Some(&reference) {
            *entry = None;
        }
    }
    found
        .into_iter()
        .filter_map(|(action, pin)| Some((action, pin?)))
        .collect()
}

/// `uses: owner/repo@<40 hex> # v1.2.3` (the comment optional) as `(action, pin)`.
fn pin_of(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().trim_start_matches("- ").trim_start();
    let rest = rest.strip_prefix("uses:")?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let (action, after) = rest.split_once('@')?;
    let sha: String = after.chars().take(40).collect();
    if sha.len() != 40
        || !sha
            .bytes()
            .all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f'))
    {
        return None;
    }
    let tail = after[40..].trim_start_matches(['"', '\'']);
    if tail.starts_with(|character: char| !character.is_whitespace()) {
        return None;
    }
    let comment = tail
        .trim()
        .strip_prefix('#')
        .map(str::trim)
        .filter(|comment| comment.starts_with('v') && !comment.contains(char::is_whitespace));
    let pin = match comment {
        Some(version) => format!("{sha} # {version}"),
        None => sha,
    };
    Some((action.to_string(), pin))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "08c6903cd8c0fde910a37f88322edcfb5dd907a8";
    const NEW: &str = "71cf2267d89c5cb81562390fa70a37fa40b1305e";

    fn workflow(checkout: &str) -> String {
        format!(
            "jobs:\n  test:\n    steps:\n      - uses: actions/checkout@{checkout}\n      - name: Set up\n        uses: actions/setup-python@{OLD} # v6.0.0\n"
        )
    }

    #[test]
    fn a_bumped_sha_and_version_comment_is_adopted() {
        let base = workflow(&format!("{OLD} # v5.0.0"));
        let disk = workflow(&format!("{NEW} # v5.1.0"));
        assert_eq!(
            bumps(&base, &disk),
            vec![Bump {
                action: "actions/checkout".into(),
                from: format!("{OLD} # v5.0.0"),
                to: format!("{NEW} # v5.1.0"),
            }]
        );
        assert_eq!(bumps(&base, &disk)[0].versions(), "v5.0.0 → v5.1.0");
    }

    #[test]
    fn rows() {
        let base = workflow(&format!("{OLD} # v5.0.0"));
        let rows: [(&str, String, usize); 6] = [
            ("unchanged", base.clone(), 0),
            ("sha without a comment", workflow(NEW), 1),
            ("moved to a tag: not a pin", workflow("v5"), 0),
            ("short sha: not a pin", workflow(&NEW[..12]), 0),
            (
                "the action removed",
                base.replace("actions/checkout", "other/checkout"),
                0,
            ),
            (
                "quoted",
                base.replace(
                    &format!("actions/checkout@{OLD} # v5.0.0"),
                    &format!("\"actions/checkout@{NEW}\" # v5.1.0"),
                ),
                1,
            ),
        ];
        for (name, disk, expected) in rows {
            assert_eq!(bumps(&base, &disk).len(), expected, "{name}: {disk}");
        }
    }

    #[test]
    fn an_action_pinned_twice_differently_is_not_one_answer() {
        let base = format!("- uses: a/b@{OLD}\n- uses: a/b@{OLD}\n");
        let disk = format!("- uses: a/b@{NEW}\n- uses: a/b@{OLD}\n");
        assert!(bumps(&base, &disk).is_empty());
    }

    #[test]
    fn an_action_the_user_added_is_not_an_answer() {
        let base = format!("- uses: a/b@{OLD}\n");
        let disk = format!("- uses: a/b@{OLD}\n- uses: c/d@{NEW}\n");
        assert!(bumps(&base, &disk).is_empty());
    }
}
