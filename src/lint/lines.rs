//! A text's lines, as `str::lines` splits them, found with `memchr`'s vectorised search.
//!
//! `str::lines` looks for each line end with core's byte-at-a-time search: splitting the
//! Markdown pages of the six projects into lines was 5% of lint's instructions.

/// The lines of `text`: split at `\n`, a `\r` just before it dropped, and no empty line
/// after a final `\n` (exactly what `str::lines` yields).
pub(super) fn of(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || {
        if let Some(end) = ends.next() {
            let line = &text[start..end];
            start = end + 1;
            Some(line.strip_suffix('\r').unwrap_or(line))
        } else if start < text.len() {
            let line = &text[start..];
            start = text.len();
            Some(line)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_as_str_lines_does() {
        for text in [
            "",
            "\n",
            "\n\n",
            "a",
            "a\n",
            "a\r\n",
            "a\r",
            "\r",
            "\r\n\r\n",
            "a\nb",
            "a\n\nb\n",
            "é\r\nü\r",
            "x\r\r\n",
            "  ```sh\n$ pip install x\r\n```\n\n",
        ] {
            assert_eq!(
                super::of(text).collect::<Vec<_>>(),
                text.lines().collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }
}
