//! Which templates a render needs: the ones it renders and, transitively, those they
//! `{% extends %}`, `{% include %}` or `{% import %}`, so that only those are parsed.

/// The template names `text` extends, includes or imports: every string literal inside
/// those tags. A name that is only text (in a `{% raw %}` block, say) is kept too; loading
/// a template too many is harmless, missing one is not.
pub(super) fn references(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{%") {
        let tag = &rest[start + 2..];
        let Some(end) = tag.find("%}") else {
            break;
        };
        rest = &tag[end + 2..];
        let body = tag[..end].trim_start_matches('-').trim_start();
        let keyword = body.split_whitespace().next().unwrap_or_default();
        if matches!(keyword, "extends" | "include" | "import") {
            names.extend(literals(&body[keyword.len()..]));
        }
    }
    names
}

/// The template `text` extends, if any: tera allows one `{% extends %}`, before any other tag.
pub(super) fn parent(text: &str) -> Option<&str> {
    let start = text.find("{%")?;
    let tag = &text[start + 2..];
    let body = tag[..tag.find("%}")?].trim_start_matches('-').trim_start();
    let arguments = body.strip_prefix("extends")?;
    literals(arguments).into_iter().next()
}

/// The contents of the string literals in a tag's arguments: tera quotes with `"`, `'`
/// or `` ` ``, and `include` takes a list of names to try.
fn literals(arguments: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = arguments;
    while let Some(open) = rest.find(['"', '\'', '`']) {
        let quote = &rest[open..=open];
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            break;
        };
        found.push(&after[..close]);
        rest = &after[close + 1..];
    }
    found
}

/// `roots` and every template they reach, each once, as (id, text). `source` gives a
/// template's text, or `None` for a name to leave out: one already parsed, or one that
/// does not exist (tera then reports it as it always has).
pub(super) fn needed<'text>(
    roots: &[&str],
    source: impl Fn(&str) -> Option<&'text str>,
) -> Vec<(String, &'text str)> {
    let mut found: Vec<(String, &'text str)> = Vec::new();
    let mut pending: Vec<String> = roots.iter().map(|id| (*id).to_string()).collect();
    while let Some(id) = pending.pop() {
        if found.iter().any(|(seen, _)| *seen == id) {
            continue;
        }
        let Some(text) = source(&id) else {
            continue;
        };
        pending.extend(references(text).into_iter().map(str::to_string));
        found.push((id, text));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_to_name_another_template_is_found() {
        let text = r#"{% extends "builtin/ci/github/ci.yml" %}
{%- include 'snippets/_commands.sh' -%}
{% import `macros.tera` as macros %}
{% include ["a", "b"] ignore missing %}
{% if x %}{{ "not/a/template" }}{% endif %}{% block body %}{% endblock body %}"#;
        assert_eq!(
            references(text),
            [
                "builtin/ci/github/ci.yml",
                "snippets/_commands.sh",
                "macros.tera",
                "a",
                "b"
            ]
        );
        assert!(references("{% include \"unclosed\"").is_empty());
        assert!(references("plain text, {{ value }}").is_empty());
    }

    #[test]
    fn the_parent_is_the_leading_extends_only() {
        assert_eq!(
            parent(
                "{# a pack #}\n{%- extends 'builtin/make/Makefile' -%}\n{% block x %}{% endblock x %}"
            ),
            Some("builtin/make/Makefile")
        );
        assert_eq!(parent(r#"{% include "builtin/make/Makefile" %}"#), None);
        assert_eq!(parent("{% if x %}{% extends \"late\" %}{% endif %}"), None);
        assert_eq!(parent("no tags at all"), None);
    }

    #[test]
    fn the_closure_follows_chains_once_and_skips_what_source_leaves_out() {
        let templates = [
            ("child", r#"{% extends "parent" %}{% include "part" %}"#),
            ("parent", r#"{% include "part" %}{% include "parsed" %}"#),
            ("part", "text"),
            ("parsed", "already in tera"),
        ];
        let source = |id: &str| {
            templates
                .iter()
                .find(|(name, _)| *name == id && id != "parsed")
                .map(|(_, text)| *text)
        };
        let mut ids: Vec<String> = needed(&["child", "missing"], source)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        assert_eq!(ids, ["child", "parent", "part"]);
    }
}
