//! Why a file changes: which answer (found by re-rendering with that one answer put back),
//! else the generator or the pack version.

use std::collections::BTreeMap;

use crate::answers::{self, Answers};
use crate::plan::lock::Lock;
use crate::render::{RenderedFile, Renderer};

/// For each path whose new render differs from its base, the reasons, in words.
pub(crate) fn reasons(
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
