//! Conflict markers: labelling the ones a 3-way merge writes so the user can tell the sides
//! apart, and finding the ones a user has not resolved yet.

/// The side holding the user's edits (the file on disk).
pub(crate) const YOURS: &str = "<<<<<<< your edits";
/// The last render, shown between the two sides (diff3 style, diffy's default).
pub(crate) const BASE: &str = "||||||| last render";
/// The side holding the new render.
pub(crate) const NEW: &str = ">>>>>>> new render";

/// `merged` with diffy's generic labels (`ours`, `original`, `theirs`) replaced by what each
/// side is here; only whole marker lines are touched.
pub(crate) fn relabel(merged: &str) -> String {
    let mut out = String::with_capacity(merged.len() + 64);
    for line in merged.split_inclusive('\n') {
        let (text, ending) = match line.strip_suffix('\n') {
            Some(text) => (text, "\n"),
            None => (line, ""),
        };
        let label = match text {
            "<<<<<<< ours" => YOURS,
            "||||||| original" => BASE,
            ">>>>>>> theirs" => NEW,
            other => other,
        };
        out.push_str(label);
        out.push_str(ending);
    }
    out
}

/// Whether `text` still holds a git-style conflict: a `<<<<<<<` line, then `=======`, then
/// `>>>>>>>` (whoever wrote them: this merge, or git's own).
pub(crate) fn unresolved(text: &str) -> bool {
    let is_marker = |line: &str, mark: char| {
        let line = line.trim_end_matches('\r');
        let rest = line.trim_start_matches(mark);
        line.len() - rest.len() == 7 && (rest.is_empty() || rest.starts_with(' '))
    };
    let mut stage = 0;
    for line in text.lines() {
        stage = match stage {
            0 if is_marker(line, '<') => 1,
            1 if is_marker(line, '=') && line.trim_end_matches('\r') == "=======" => 2,
            2 if is_marker(line, '>') => return true,
            other => other,
        };
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merge_conflict_is_labelled_and_found() {
        let marked = diffy::merge("a\nb\nc\n", "a\nmine\nc\n", "a\nnew\nc\n")
            .expect_err("the edits overlap");
        let labelled = relabel(&marked);
        assert_eq!(
            labelled,
            format!("a\n{YOURS}\nmine\n{BASE}\nb\n=======\nnew\n{NEW}\nc\n")
        );
        assert!(unresolved(&labelled));
        assert!(unresolved(&labelled.replace('\n', "\r\n")));
    }

    #[test]
    fn ordinary_text_is_not_a_conflict() {
        assert!(!unresolved("a\n=======\nb\n"));
        assert!(!unresolved("<<<<<<<< eight\n=======\n>>>>>>> x\n"));
        assert!(!unresolved(">>>>>>> x\n=======\n<<<<<<< y\n"));
        assert_eq!(relabel("x <<<<<<< ours\n"), "x <<<<<<< ours\n");
    }
}
