//! PB301: a package index URL with a password or token in it, in any committed file the
//! linter reads — `--index-url` in scripts and CI, `pip.conf`, `uv.toml`, `[[tool.uv.index]]`,
//! Poetry sources, requirement files, Dockerfiles. A URL that shows where a credential goes
//! (`$TOKEN`, `${{ secrets.X }}`) is fine: only a usable secret is a finding.

use super::{Position, Rule};
use crate::network::url::committed_credential;

/// Every `http(s)://` (or `git+https://`) URL in `text` that holds a usable credential.
pub(super) fn check(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut searched = 0;
        while let Some(found) = line[searched..].find("://") {
            let separator = searched + found;
            searched = separator + 3;
            let start = line[..separator]
                .rfind(|character: char| {
                    !(character.is_ascii_alphanumeric() || matches!(character, '+' | '.' | '-'))
                })
                .map_or(0, |before| before + 1);
            let scheme = line[start..separator].to_ascii_lowercase();
            if !matches!(scheme.rsplit('+').next(), Some("http" | "https")) {
                continue;
            }
            let end = line[separator..]
                .find(|character: char| {
                    character.is_whitespace() || matches!(character, '"' | '\'' | '`' | '<' | '>')
                })
                .map_or(line.len(), |length| separator + length);
            if committed_credential(&line[start..end]) {
                findings.push((
                    Rule::IndexCredential,
                    Position {
                        line: index + 1,
                        column: line[..start].chars().count() + 1,
                    },
                ));
            }
            searched = end.max(searched);
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(text: &str) -> Vec<(usize, usize)> {
        check(text)
            .into_iter()
            .map(|(_, position)| (position.line, position.column))
            .collect()
    }

    #[test]
    fn urls_with_credentials_are_found_where_they_start() {
        assert_eq!(
            columns("pip install --index-url https://u:s3cret@pypi.corp/simple pkg\n"),
            [(1, 25)]
        );
        assert_eq!(
            columns("[global]\nindex-url = \"https://ci:hunter22@corp/simple\"\n"),
            [(2, 14)]
        );
        assert_eq!(
            columns("-e git+https://ghp_0123456789abcdefghij0123@github.com/o/r#egg=r\n"),
            [(1, 4)]
        );
        assert_eq!(
            columns("url = 'https://pypi.corp/simple?token=abc123'\n"),
            [(1, 8)]
        );
    }

    #[test]
    fn placeholders_and_plain_urls_are_not_findings() {
        for text in [
            "pip install --index-url https://pypi.corp/simple pkg",
            "pip install --index-url \"https://u:${PASSWORD}@pypi.corp/simple\" pkg",
            "PIP_INDEX_URL: https://ci:${{ secrets.TOKEN }}@pypi.corp/simple",
            "ssh://git:secret@host/repo",
            "see https://user:password@host/simple for the form",
            "",
            "://",
            "https://",
        ] {
            assert!(check(text).is_empty(), "{text}");
        }
    }
}
