//! Why a file changes: which answer (found by re-rendering with that one answer put back),
//! else the generator or the pack version.

use std::collections::BTreeMap;

use crate::answers::{self, Answers};
use crate::plan::lock::{Lock, LockError, PackStamp};
use crate::render::{RenderedFile, Renderer};

/// For each path in `explain` whose new render differs from its base, the reasons, in
/// words. Only the bases of those paths are read: a run that shows no change asks for
/// none.
pub(crate) fn reasons(
    renderer: &Renderer,
    answers: &Answers,
    rendered: &[RenderedFile],
    lock: &Lock,
    pack: Option<&PackStamp>,
    explain: &[&str],
) -> Result<BTreeMap<String, Vec<String>>, LockError> {
    let mut changed: Vec<&RenderedFile> = Vec::new();
    for file in rendered
        .iter()
        .filter(|file| explain.contains(&file.path.as_str()))
    {
        if let Some(locked) = lock.file(&file.path)
            && locked.base()? != file.contents
        {
            changed.push(file);
        }
    }
    let mut reasons: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if changed.is_empty() {
        return Ok(reasons);
    }
    // Each assignment puts one answer back to its value in the lock.
    for previous in answers::changes(answers, &lock.answers) {
        let key = &previous.key;
        let Ok(reverted) = answers::with_value(answers, key, &previous.value) else {
            continue;
        };
        let Ok(rerendered) = renderer.render_all(&reverted) else {
            continue;
        };
        for file in &changed {
            let same = rerendered
                .iter()
                .find(|r| r.path == file.path)
                .is_some_and(|r| r.contents == file.contents);
            if !same {
                reasons.entry(file.path.clone()).or_default().push(format!(
                    "`{key}` changed: {} → {}",
                    show(Some(&previous.value)),
                    show(current(answers, key).as_ref())
                ));
            }
        }
    }
    let generator = env!("CARGO_PKG_VERSION");
    for file in changed {
        let entry = reasons.entry(file.path.clone()).or_default();
        if !entry.is_empty() {
            continue;
        }
        if let Some(change) = pack_change(lock.pack.as_ref(), pack) {
            entry.push(change);
        } else if lock.generator != generator {
            entry.push(format!("pybootstrap {} → {generator}", lock.generator));
        } else {
            entry.push("the templates changed".into());
        }
    }
    Ok(reasons)
}

/// "pack acme-python 1.3 → 1.4 (commit abc1234 → def5678)", when the pack is another one
/// than the lock's: another name, version or commit.
fn pack_change(locked: Option<&PackStamp>, now: Option<&PackStamp>) -> Option<String> {
    let identity = |stamp: Option<&PackStamp>| {
        stamp.map(|stamp| {
            (
                stamp.name.clone(),
                stamp.version.clone(),
                stamp.commit.clone(),
            )
        })
    };
    if identity(locked) == identity(now) {
        return None;
    }
    let describe = |stamp: Option<&PackStamp>| {
        stamp.map_or("built-in".to_string(), |stamp| {
            format!("{} {}", stamp.name, stamp.version)
        })
    };
    let mut text = match (locked, now) {
        (Some(before), Some(after)) if before.name == after.name => {
            if before.version == after.version {
                format!("pack {} {}", after.name, after.version)
            } else {
                format!("pack {} {} → {}", after.name, before.version, after.version)
            }
        }
        _ => format!("pack {} → {}", describe(locked), describe(now)),
    };
    let short = |stamp: Option<&PackStamp>| {
        stamp
            .and_then(|stamp| stamp.commit.as_deref())
            .map(|commit| commit.chars().take(7).collect::<String>())
    };
    match (short(locked), short(now)) {
        (Some(before), Some(after)) if before != after => {
            text.push_str(&format!(" (commit {before} → {after})"));
        }
        (None, Some(after)) => text.push_str(&format!(" (commit {after})")),
        _ => {}
    }
    Some(text)
}

/// The value of `key` in `answers`, as `changes` names it (`ci.actions.<action>` too).
fn current(answers: &Answers, key: &str) -> Option<toml::Value> {
    answers::current_value(answers, key)
}

fn show(value: Option<&toml::Value>) -> String {
    match value {
        Some(toml::Value::String(text)) if text.is_empty() => "unset".into(),
        Some(toml::Value::String(text)) => text.clone(),
        Some(toml::Value::Array(items)) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| show(Some(item)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(other) => other.to_string(),
        None => "unset".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(name: &str, version: &str, commit: Option<&str>) -> PackStamp {
        PackStamp {
            name: name.into(),
            version: version.into(),
            source: commit.map(|_| "gh:acme/pack@v1".into()),
            commit: commit.map(str::to_string),
        }
    }

    #[test]
    fn pack_changes_name_version_and_commit() {
        let v13 = stamp("acme-python", "1.3", None);
        let v14 = stamp("acme-python", "1.4", None);
        let git13 = stamp("acme-python", "1.3", Some("abc1234aaaaaaaa"));
        let git14 = stamp("acme-python", "1.4", Some("def5678bbbbbbbb"));
        let git13_moved = stamp("acme-python", "1.3", Some("0123456cccccccc"));
        let other = stamp("other", "2.0", None);
        let rows: [(Option<&PackStamp>, Option<&PackStamp>, Option<&str>); 7] = [
            (Some(&v13), Some(&v13), None),
            (Some(&v13), Some(&v14), Some("pack acme-python 1.3 → 1.4")),
            (
                Some(&git13),
                Some(&git14),
                Some("pack acme-python 1.3 → 1.4 (commit abc1234 → def5678)"),
            ),
            (
                Some(&git13),
                Some(&git13_moved),
                Some("pack acme-python 1.3 (commit abc1234 → 0123456)"),
            ),
            (
                Some(&v13),
                Some(&git14),
                Some("pack acme-python 1.3 → 1.4 (commit def5678)"),
            ),
            (None, Some(&v13), Some("pack built-in → acme-python 1.3")),
            (
                Some(&v13),
                Some(&other),
                Some("pack acme-python 1.3 → other 2.0"),
            ),
        ];
        for (locked, now, expected) in rows {
            assert_eq!(pack_change(locked, now).as_deref(), expected);
        }
    }
}
