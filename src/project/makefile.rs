//! The targets a user's `Makefile` (and the makefiles it `include`s) defines outside
//! pybootstrap's managed block, and the recipe of one of its rules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use regex::Regex;

use crate::block;

/// The names GNU make looks for, in its order: the first there is the one `make` reads,
/// and the one pybootstrap's block goes into (a lowercase `makefile` hides a `Makefile`).
pub(crate) const NAMES: [&str; 3] = ["GNUmakefile", "makefile", "Makefile"];

/// The makefile `make` reads among `names` (a directory's entries, exact case: on a
/// case-insensitive disk `makefile` and `Makefile` are one file, listed under its own
/// name); `Makefile` when there is none.
pub(crate) fn name_make_reads<'a>(
    names: impl IntoIterator<Item = &'a str> + Clone,
) -> &'static str {
    NAMES
        .iter()
        .find(|wanted| names.clone().into_iter().any(|name| name == **wanted))
        .copied()
        .unwrap_or("Makefile")
}

/// How deep `include`s are followed: make itself stops at a cycle only by running out of
/// file descriptors, so a bound keeps a self-including makefile from looping here.
const INCLUDE_DEPTH: usize = 8;

/// The user's part of a `Makefile`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Makefile {
    /// Every explicit target name (special `.TARGETS` and patterns left out), the ones of
    /// the makefiles it includes among them.
    pub(crate) targets: BTreeSet<String>,
}

/// One target's rules in a makefile: what it depends on and the commands it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Rule {
    /// The prerequisites (order-only ones included).
    pub(crate) prerequisites: Vec<String>,
    /// The recipe lines, without their leading tab.
    pub(crate) recipe: Vec<String>,
}

impl Makefile {
    /// `repo/<name>`, whose text is `text`, and every makefile it includes, read from
    /// `repo` (`include`, `-include`, `sinclude`; globs; paths relative to the repository,
    /// where make runs). An include that names no file is skipped, as `-include` does;
    /// `make` itself reports a missing plain `include`.
    pub(crate) fn read(repo: &Path, name: &str, text: &str) -> Self {
        let mut makefile = Self::parse(text);
        let mut seen = BTreeSet::from([repo.join(name)]);
        let mut pending: Vec<(String, usize)> = vec![(text.to_string(), 0)];
        while let Some((text, depth)) = pending.pop() {
            if depth >= INCLUDE_DEPTH {
                continue;
            }
            for pattern in includes(&text) {
                for path in expand(repo, &pattern) {
                    if !seen.insert(path.clone()) {
                        continue;
                    }
                    if let Ok(included) = fs_err::read_to_string(&path) {
                        makefile.targets.extend(Self::parse(&included).targets);
                        pending.push((included, depth + 1));
                    }
                }
            }
        }
        makefile
    }

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

/// The file names the `include` directives of `text` (outside pybootstrap's block) name;
/// names built from variables (`$(wildcard …)`, `$(DIR)/x.mk`) are left out.
pub(crate) fn includes(text: &str) -> Vec<String> {
    let user = block::remove(text).unwrap_or_else(|_| text.to_string());
    let mut names = Vec::new();
    for line in user.lines().filter(|line| !line.starts_with('\t')) {
        let line = line.split('#').next().unwrap_or_default().trim();
        let rest = ["include", "-include", "sinclude"]
            .iter()
            .find_map(|directive| line.strip_prefix(directive))
            .filter(|rest| rest.starts_with([' ', '\t']));
        if let Some(rest) = rest {
            names.extend(include_words(rest));
        }
    }
    names
}

/// The file names of one `include` line: its plain words, and the patterns of a
/// `$(wildcard …)` (which globs as the plain words do); other references are skipped.
fn include_words(rest: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut plain = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            plain.push(c);
            continue;
        }
        let close = match chars.peek() {
            Some('(') => ')',
            Some('{') => '}',
            _ => {
                // `$X` or `$$`: a one-character reference; the word it is in is not a name.
                chars.next();
                plain.push('\u{0}');
                continue;
            }
        };
        let open = chars.next().unwrap_or_default();
        let mut depth = 1;
        let mut inner = String::new();
        for c in chars.by_ref() {
            depth += usize::from(c == open);
            depth -= usize::from(c == close);
            if depth == 0 {
                break;
            }
            inner.push(c);
        }
        match inner.strip_prefix("wildcard ") {
            Some(patterns) if !patterns.contains('$') => {
                words.extend(patterns.split_whitespace().map(str::to_string));
                plain.push(' ');
            }
            _ => plain.push('\u{0}'),
        }
    }
    words.extend(
        plain
            .split_whitespace()
            .filter(|word| !word.contains('\u{0}'))
            .map(str::to_string),
    );
    words
}

/// The rules `text` gives `target`, merged (make joins a target's rules; one of them has
/// the recipe); `None` when no rule names it.
pub(crate) fn rule(text: &str, target: &str) -> Option<Rule> {
    let user = block::remove(text).unwrap_or_else(|_| text.to_string());
    let mut found: Option<Rule> = None;
    let mut in_rule = false;
    let mut continued = false;
    for line in user.lines() {
        let was_continued = continued;
        continued = line.trim_end().ends_with('\\');
        if let Some(command) = line.strip_prefix('\t') {
            if in_rule && let Some(rule) = found.as_mut() {
                rule.recipe.push(command.to_string());
            }
            continue;
        }
        if was_continued || line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        in_rule = rule_targets(line).iter().any(|name| name == target);
        if in_rule {
            let rule = found.get_or_insert_with(Rule::default);
            let after = line
                .split_once(':')
                .map(|(_, after)| after)
                .unwrap_or_default();
            let after = after.trim_start_matches(':');
            let (prerequisites, inline) = after.split_once(';').unwrap_or((after, ""));
            let prerequisites = prerequisites.split('#').next().unwrap_or_default();
            rule.prerequisites.extend(
                prerequisites
                    .split_whitespace()
                    .filter(|word| *word != "|")
                    .map(str::to_string),
            );
            if !inline.trim().is_empty() {
                rule.recipe.push(inline.trim().to_string());
            }
        }
    }
    found
}

/// The target `make` with no argument builds: `.DEFAULT_GOAL`, else the first target.
pub(crate) fn default_goal(text: &str) -> Option<String> {
    let user = block::remove(text).unwrap_or_else(|_| text.to_string());
    let assigned = user.lines().find_map(|line| {
        let rest = line.trim().strip_prefix(".DEFAULT_GOAL")?;
        let value = rest.trim_start().trim_start_matches([':', '?', '+']);
        Some(value.strip_prefix('=')?.trim().to_string())
    });
    assigned.filter(|goal| !goal.is_empty()).or_else(|| {
        let mut continued = false;
        user.lines().find_map(|line| {
            let was_continued = continued;
            continued = line.trim_end().ends_with('\\');
            if was_continued || line.starts_with('\t') {
                return None;
            }
            rule_targets(line).into_iter().next()
        })
    })
}

/// The files an include pattern names under `dir`: itself, or its glob's matches, sorted
/// (make expands `*`, `?` and `[…]` in include names).
fn expand(dir: &Path, pattern: &str) -> Vec<PathBuf> {
    let wild = |segment: &str| segment.contains(['*', '?', '[']);
    if !wild(pattern) {
        return vec![dir.join(pattern)];
    }
    let root = if pattern.starts_with('/') {
        PathBuf::from("/")
    } else {
        dir.to_path_buf()
    };
    let mut paths = vec![root];
    for segment in pattern.split('/').filter(|segment| !segment.is_empty()) {
        if !wild(segment) {
            paths = paths.into_iter().map(|path| path.join(segment)).collect();
            continue;
        }
        let Some(matcher) = glob_regex(segment) else {
            return Vec::new();
        };
        let mut matched = Vec::new();
        for path in paths {
            let Ok(entries) = fs_err::read_dir(&path) else {
                continue;
            };
            for entry in entries.filter_map(Result::ok) {
                let name = entry.file_name().to_string_lossy().into_owned();
                // As in the shell, a wildcard does not match a leading dot.
                if (!name.starts_with('.') || segment.starts_with('.')) && matcher.is_match(&name) {
                    matched.push(entry.path());
                }
            }
        }
        paths = matched;
    }
    paths.sort();
    paths
}

/// A regex matching one path segment the way the glob `segment` does.
pub(crate) fn glob_regex(segment: &str) -> Option<Regex> {
    let mut pattern = String::from("^");
    let mut chars = segment.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => pattern.push_str("[^/]*"),
            '?' => pattern.push_str("[^/]"),
            '[' => {
                let mut class = String::from("[");
                if chars.peek() == Some(&'!') {
                    chars.next();
                    class.push('^');
                }
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    if c == '\\' || c == '^' || c == '[' {
                        class.push('\\');
                    }
                    class.push(c);
                }
                if !closed {
                    return None;
                }
                class.push(']');
                pattern.push_str(&class);
            }
            c => pattern.push_str(&regex::escape(&c.to_string())),
        }
    }
    pattern.push('$');
    Regex::new(&pattern).ok()
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
    fn include_directives_name_files() {
        let rows: &[(&str, &[&str])] = &[
            ("include common.mk\n", &["common.mk"]),
            ("-include local.mk other.mk\n", &["local.mk", "other.mk"]),
            ("sinclude mk/*.mk # shared\n", &["mk/*.mk"]),
            ("include $(wildcard *.mk) fixed.mk\n", &["*.mk", "fixed.mk"]),
            ("include $(DIR)/x.mk ${Y} y.mk\n", &["y.mk"]),
            ("\tinclude x.mk\n", &[]),
            ("included: x\n", &[]),
            ("# include x.mk\n", &[]),
        ];
        for (text, expected) in rows {
            assert_eq!(includes(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn a_rule_is_its_prerequisites_and_recipe() {
        let text = ".PHONY: test\ntest: deps | venv\n\tpytest -q\n\n\tcoverage report\nlint: ; ruff check .\ntest: more\nother:\n\techo no\n";
        assert_eq!(
            rule(text, "test"),
            Some(Rule {
                prerequisites: vec!["deps".into(), "venv".into(), "more".into()],
                recipe: vec!["pytest -q".into(), "coverage report".into()],
            })
        );
        assert_eq!(
            rule(text, "lint").map(|rule| rule.recipe),
            Some(vec!["ruff check .".to_string()])
        );
        assert_eq!(rule(text, "missing"), None);
    }

    #[test]
    fn the_default_goal_is_the_first_target_unless_set() {
        let rows = [
            (".PHONY: all\nall: test\ntest:\n", Some("all")),
            ("X := 1\n.DEFAULT_GOAL := help\nall:\nhelp:\n", Some("help")),
            ("X = 1\n", None),
        ];
        for (text, expected) in rows {
            assert_eq!(default_goal(text).as_deref(), expected, "{text:?}");
        }
    }

    #[test]
    fn globs_match_one_segment_like_the_shell() {
        let rows = [
            ("*.mk", "common.mk", true),
            ("*.mk", ".hidden.mk", true),
            ("*.mk", "common.mkx", false),
            ("c?mmon.mk", "common.mk", true),
            ("[a-c]*.mk", "common.mk", true),
            ("[!c]*.mk", "common.mk", false),
            ("a.b", "axb", false),
        ];
        for (glob, name, expected) in rows {
            let matcher = glob_regex(glob).expect("a valid glob");
            assert_eq!(matcher.is_match(name), expected, "{glob} {name}");
        }
        assert!(glob_regex("[abc").is_none());
    }

    #[test]
    fn the_block_goes_into_the_makefile_make_reads() {
        assert_eq!(name_make_reads(["Makefile", "setup.py"]), "Makefile");
        assert_eq!(name_make_reads(["Makefile", "makefile"]), "makefile");
        assert_eq!(name_make_reads(["makefile", "GNUmakefile"]), "GNUmakefile");
        assert_eq!(name_make_reads(["MAKEFILE", "README"]), "Makefile");
        let dir = tempfile::tempdir().expect("tempdir");
        fs_err::write(dir.path().join("makefile"), "test:\n\tpipenv run pytest\n").expect("write");
        let project = crate::project::Project::read(dir.path());
        assert_eq!(project.makefile_name, "makefile");
        let targets = project
            .existing
            .makefile
            .expect("the lowercase makefile")
            .targets;
        assert!(targets.contains("test"), "{targets:?}");
    }

    #[test]
    fn included_makefiles_add_their_targets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |path: &str, text: &str| {
            let path = dir.path().join(path);
            fs_err::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs_err::write(path, text).expect("write");
        };
        write(
            "Makefile",
            "include common.mk\n-include missing.mk\nsinclude mk/*.mk\nall:\n",
        );
        write("common.mk", "test:\n\tpytest\ninclude common.mk\n");
        write("mk/a.mk", "clean:\n\trm -rf build\n");
        write("mk/b.mk", "include mk/deeper/c.mk\n");
        write("mk/deeper/c.mk", "fmt:\n\tblack .\n");
        let read = |repo: &Path| crate::project::Project::read(repo).existing.makefile;
        let makefile = read(dir.path()).expect("a Makefile");
        assert_eq!(
            makefile.targets.into_iter().collect::<Vec<_>>(),
            ["all", "clean", "fmt", "test"]
        );
        assert_eq!(read(&dir.path().join("mk")), None);
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
