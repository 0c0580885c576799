//! The targets a user's `Makefile` defines outside pybootstrap's managed block.

use std::collections::BTreeSet;

use crate::plan::block;

/// The user's part of a `Makefile`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Makefile {
    /// Every explicit target name (special `.TARGETS` and patterns left out).
    pub(crate) targets: BTreeSet<String>,
}

impl Makefile {
    /// Reads the rule lines of `text`, skipping pybootstrap's own block (its targets are
    /// not the user's) and recipe lines.
    pub(crate) fn parse(text: &str) -> Self {
        let user = block::remove(text).unwrap_or_else(|_| text.to_string());
        let mut targets = BTreeSet::new();
        let mut continued = false;
        for line in user.lines() {
            let was_continued = continued;
            continued = line.trim_end().ends_with('\\');
            if was_continued || line.starts_with('\t') {
                continue;
            }
            targets.extend(rule_targets(line));
        }
        Self { targets }
    }
}

/// The recipe lines of `target` in the user's part of `text` (pybootstrap's block left
/// out), `None` when the user's part has no rule for it.
pub(crate) fn recipe(text: &str, target: &str) -> Option<Vec<String>> {
    let user = block::remove(text).unwrap_or_else(|_| text.to_string());
    let mut lines = user.lines();
    lines.find(|line| {
        !line.starts_with('\t') && rule_targets(line).iter().any(|name| name == target)
    })?;
    Some(
        lines
            .take_while(|line| line.starts_with('\t') || line.trim().is_empty())
            .filter(|line| !line.trim().is_empty())
            .map(str::to_string)
            .collect(),
    )
}

/// The targets a rule line defines: the words before its `:` (or `::`), when the line is a
/// rule and not an assignment (`X := y`, `X ?= y`) or a directive.
fn rule_targets(line: &str) -> Vec<String> {
    let line = line.split('#').next().unwrap_or_default();
    let Some(colon) = line.find(':') else {
        return Vec::new();
    };
    let (head, rest) = line.split_at(colon);
    // `:=` and `::=` assign; `=` before the colon means the colon is in a value.
    if rest.starts_with(":=") || rest.starts_with("::=") || head.contains('=') {
        return Vec::new();
    }
    let head = head.trim();
    if head.starts_with("ifeq")
        || head.starts_with("ifneq")
        || head.starts_with("define")
        || head.starts_with("export")
        || head.contains('$')
    {
        return Vec::new();
    }
    head.split_whitespace()
        .filter(|name| !name.starts_with('.') && !name.contains('%'))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(text: &str) -> Vec<String> {
        Makefile::parse(text).targets.into_iter().collect()
    }

    #[test]
    fn rules_are_read_and_everything_else_is_not() {
        let rows: &[(&str, &[&str])] = &[
            ("test:\n\tpytest\n", &["test"]),
            ("test clean: deps\n", &["clean", "test"]),
            ("fmt:: \n", &["fmt"]),
            (".PHONY: test clean\n", &[]),
            ("%.o: %.c\n", &[]),
            ("X := a:b\nY ::= c\nZ = d:e\nW ?= f\n", &[]),
            ("\techo a: b\n", &[]),
            ("all: \\\n  x: y\n", &["all"]),
            ("# test: nope\n", &[]),
            ("$(BUILD)/x: y\n", &[]),
            ("lint: ## run the linters\n", &["lint"]),
            ("html: export FOO=bar\n", &["html"]),
        ];
        for (text, expected) in rows {
            assert_eq!(targets(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn a_targets_recipe_is_its_tab_lines() {
        let text = "all: test\n\ntest: deps\n\tpytest -q\n\n\t@echo done\nclean:\n\trm -rf x\n";
        assert_eq!(
            recipe(text, "test"),
            Some(vec!["\tpytest -q".to_string(), "\t@echo done".to_string()])
        );
        assert_eq!(recipe(text, "lint"), None);
        assert_eq!(recipe("test:\n", "test"), Some(Vec::new()));
    }

    #[test]
    fn the_managed_block_is_not_the_users() {
        let text = format!(
            "test:\n\tpytest\n\n{}\nbootstrap:\n\tsh x\n{}\n",
            block::BEGIN,
            block::END
        );
        assert_eq!(targets(&text), ["test"]);
    }
}
