//! Managed blocks: the marked part of a user's file (`Makefile`, `.gitignore`) that
//! pybootstrap owns, leaving every other line as it was.

/// The first line of a managed block.
pub(crate) const BEGIN: &str =
    "# >>> pybootstrap >>> generated: edit pybootstrap.toml and run `pybootstrap regen`";
/// The last line of a managed block.
pub(crate) const END: &str = "# <<< pybootstrap <<<";

const BEGIN_PREFIX: &str = "# >>> pybootstrap >>>";

/// Where the block sits in a file, as line indexes (markers included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    begin: usize,
    end: usize,
}

/// A file whose markers are unusable: one without the other, or several blocks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub(crate) struct BrokenMarkers(pub String);

fn find(text: &str) -> Result<Option<Span>, BrokenMarkers> {
    let lines: Vec<&str> = text.lines().collect();
    let begins: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_end().starts_with(BEGIN_PREFIX))
        .collect();
    let ends: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_end() == END)
        .collect();
    match (begins.as_slice(), ends.as_slice()) {
        ([], []) => Ok(None),
        ([begin], [end]) if begin < end => Ok(Some(Span {
            begin: *begin,
            end: *end,
        })),
        _ => Err(BrokenMarkers(format!(
            "its pybootstrap block markers are damaged (found {} begin and {} end markers); restore `{BEGIN_PREFIX}` … `{END}` or delete both",
            begins.len(),
            ends.len()
        ))),
    }
}

/// The block's inner lines in `text`, or `None` when the file has no block.
pub(crate) fn extract(text: &str) -> Result<Option<String>, BrokenMarkers> {
    let Some(span) = find(text)? else {
        return Ok(None);
    };
    let inner: Vec<&str> = text
        .lines()
        .skip(span.begin + 1)
        .take(span.end - span.begin - 1)
        .collect();
    Ok(Some(join_lines(&inner)))
}

/// `text` with its block replaced by `inner`, or the block appended when there is none.
/// Every line outside the block keeps its bytes; the block takes the file's line ending.
#[cfg(test)]
pub(crate) fn splice(text: &str, inner: &str) -> Result<String, BrokenMarkers> {
    splice_after(text, inner, None)
}

/// `splice`, except that a new block goes right after the first line that is `anchor`
/// (an entry of the user's own YAML list under its key), when there is one.
pub(crate) fn splice_after(
    text: &str,
    inner: &str,
    anchor: Option<&str>,
) -> Result<String, BrokenMarkers> {
    let ending = line_ending(text);
    let block = with_ending(
        &format!("{BEGIN}\n{}{END}\n", ensure_newline(inner)),
        ending,
    );
    let span = find(text)?;
    let lines = raw_lines(text);
    let anchored = anchor.and_then(|anchor| {
        lines
            .iter()
            .position(|line| line.trim_end() == anchor && line.ends_with('\n'))
    });
    if let (None, Some(index)) = (span, anchored) {
        return Ok(format!(
            "{}{block}{}",
            lines[..=index].concat(),
            lines[index + 1..].concat()
        ));
    }
    let Some(span) = span else {
        if text.trim().is_empty() {
            return Ok(block);
        }
        let mut out = text.to_string();
        if !out.ends_with('\n') {
            out.push_str(ending);
        }
        out.push_str(ending);
        out.push_str(&block);
        return Ok(out);
    };
    let lines = raw_lines(text);
    Ok(format!(
        "{}{block}{}",
        lines[..span.begin].concat(),
        lines[span.end + 1..].concat()
    ))
}

/// `text` without its block (and the blank line that `splice` put before it); every other
/// line keeps its bytes.
pub(crate) fn remove(text: &str) -> Result<String, BrokenMarkers> {
    let Some(span) = find(text)? else {
        return Ok(text.to_string());
    };
    let lines = raw_lines(text);
    let mut begin = span.begin;
    if begin > 0 && lines[begin - 1].trim().is_empty() {
        begin -= 1;
    }
    Ok(format!(
        "{}{}",
        lines[..begin].concat(),
        lines[span.end + 1..].concat()
    ))
}

/// `\r\n` when the file's first line ends so (a CRLF checkout), else `\n`.
pub(crate) fn line_ending(text: &str) -> &'static str {
    match text.find('\n') {
        Some(index) if text[..index].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// `text` (with `\n` endings) converted to `ending`.
pub(crate) fn with_ending(text: &str, ending: &str) -> String {
    if ending == "\n" {
        text.to_string()
    } else {
        text.replace("\r\n", "\n").replace('\n', ending)
    }
}

/// The lines of `text` with their endings, indexed like `str::lines`.
fn raw_lines(text: &str) -> Vec<&str> {
    text.split_inclusive('\n').collect()
}

fn join_lines(lines: &[&str]) -> String {
    lines.iter().map(|line| format!("{line}\n")).collect()
}

fn ensure_newline(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_then_replaces_keeping_user_lines() {
        let user = "all:\n\techo mine\n";
        let first = splice(user, "a\n").expect("splice");
        assert!(first.starts_with(user));
        assert_eq!(extract(&first).expect("extract").as_deref(), Some("a\n"));
        let second = splice(&(first.clone() + "after:\n"), "b\nc\n").expect("splice");
        assert_eq!(
            extract(&second).expect("extract").as_deref(),
            Some("b\nc\n")
        );
        assert!(second.starts_with(user) && second.ends_with("after:\n"));
        assert_eq!(remove(&second).expect("remove"), format!("{user}after:\n"));
    }

    #[test]
    fn empty_file_gets_only_the_block() {
        assert_eq!(
            splice("", "x\n").expect("splice"),
            format!("{BEGIN}\nx\n{END}\n")
        );
    }

    #[test]
    fn a_crlf_file_keeps_its_bytes_around_the_block() {
        let user = "all:\r\n\techo mine\r\n";
        let first = splice(user, "a\n").expect("splice");
        assert_eq!(first, format!("{user}\r\n{BEGIN}\r\na\r\n{END}\r\n"));
        let tail = "after:\r\n";
        let second = splice(&format!("{first}{tail}"), "b\n").expect("splice");
        assert_eq!(second, format!("{user}\r\n{BEGIN}\r\nb\r\n{END}\r\n{tail}"));
        assert_eq!(extract(&second).expect("extract").as_deref(), Some("b\n"));
        assert_eq!(remove(&second).expect("remove"), format!("{user}{tail}"));
        // No newline at the end of the user's last line: one is added before the block.
        assert_eq!(
            splice("x", "a\n").expect("splice"),
            format!("x\n\n{BEGIN}\na\n{END}\n")
        );
    }

    #[test]
    fn an_anchored_block_goes_under_its_key_and_stays_there() {
        let user = "stages: [test]\ninclude:\n  - local: a.yml\njob: {}\n";
        let first = splice_after(user, "  - local: b.yml\n", Some("include:")).expect("splice");
        assert_eq!(
            first,
            format!(
                "stages: [test]\ninclude:\n{BEGIN}\n  - local: b.yml\n{END}\n  - local: a.yml\njob: {{}}\n"
            )
        );
        let again = splice_after(&first, "  - local: c.yml\n", Some("include:")).expect("splice");
        assert_eq!(again, first.replace("b.yml", "c.yml"));
        assert_eq!(remove(&again).expect("remove"), user);
        // No such line: appended as usual.
        assert_eq!(
            splice_after("x: 1\n", "y\n", Some("include:")).expect("splice"),
            splice("x: 1\n", "y\n").expect("splice")
        );
    }

    #[test]
    fn damaged_markers_are_reported() {
        assert!(extract(&format!("{BEGIN}\nx\n")).is_err());
        assert!(splice(&format!("{END}\n{BEGIN}\n"), "x").is_err());
    }
}
