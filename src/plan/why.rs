//! Why a file changes: which answer (found by re-rendering with that one answer put back),
//! else the generator or the pack version.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::answers::Answers;
use crate::plan::lock::Lock;
use crate::render::{RenderedFile, Renderer};

/// For each path whose new render differs from its base, the reasons, in words.
pub fn reasons(
    renderer: &Renderer,
    answers: &Answers,
    rendered: &[RenderedFile],
    lock: &Lock,
    pack: Option<&str>,
) -> BTreeMap<String, Vec<String>> {
    let changed: Vec<&RenderedFile> = rendered
        .iter()
        .filter(|file| {
            lock.file(&file.path)
                .is_some_and(|locked| locked.base != file.contents)
        })
        .collect();
    let mut reasons: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if changed.is_empty() {
        return reasons;
    }
    let old = flatten(&lock.answers);
    let new = flatten(answers);
    for (key, new_value) in &new {
        let Some(old_value) = old.get(key).filter(|old_value| *old_value != new_value) else {
            continue;
        };
        let Some(reverted) = with_value(answers, key, old_value) else {
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
                    show(old_value),
                    show(new_value)
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
        let locked_pack = lock
            .pack
            .as_ref()
            .map(|p| format!("{} {}", p.name, p.version));
        if locked_pack.as_deref() != pack {
            entry.push(format!(
                "pack {} → {}",
                locked_pack.as_deref().unwrap_or("built-in"),
                pack.unwrap_or("built-in")
            ));
        } else if lock.generator != generator {
            entry.push(format!("pybootstrap {} → {generator}", lock.generator));
        } else {
            entry.push("the templates changed".into());
        }
    }
    reasons
}

/// Answers as dotted keys; tables like `ci.actions` stay one value.
fn flatten(answers: &Answers) -> BTreeMap<String, Value> {
    let mut flat = BTreeMap::new();
    if let Ok(Value::Object(top)) = serde_json::to_value(answers) {
        for (section, value) in top {
            match value {
                Value::Object(keys) => {
                    for (key, value) in keys {
                        flat.insert(format!("{section}.{key}"), value);
                    }
                }
                other => {
                    flat.insert(section, other);
                }
            }
        }
    }
    flat
}

fn with_value(answers: &Answers, key: &str, value: &Value) -> Option<Answers> {
    let mut json = serde_json::to_value(answers).ok()?;
    let slot = key
        .split('.')
        .try_fold(&mut json, |node, part| node.get_mut(part))?;
    *slot = value.clone();
    serde_json::from_value(json).ok()
}

fn show(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Value::Null => "unset".into(),
        other => other.to_string(),
    }
}
