//! Escaping filters, one per target language, so that no answer can break out of the
//! place a template puts it: each turns any string into one literal of its language, or
//! fails when the language has no way to write it.

use std::collections::HashMap;

use tera::{Tera, Value};

/// Registers every filter on `tera` under the name templates use (`{{ x | sh }}`).
pub(super) fn register(tera: &mut Tera) {
    tera.register_filter("sh", filter(sh));
    tera.register_filter("ps", filter(powershell));
    tera.register_filter("yaml", filter(yaml));
    tera.register_filter("gha", filter(github_expression_safe));
    tera.register_filter("line", filter(line));
    tera.register_filter("make", filter(make));
    tera.register_filter("make_path", filter(make_path));
    tera.register_filter("md", filter(markdown_code));
    tera.register_filter("gitignore", filter(gitignore));
}

type Escape = fn(&str) -> Result<String, String>;

/// Adapts a string escaper to tera's filter signature; numbers and booleans are escaped as
/// their text, anything else (lists, maps, null) is a template bug and fails.
fn filter(escape: Escape) -> impl tera::Filter {
    move |value: &Value, _: &HashMap<String, Value>| -> tera::Result<Value> {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            other => {
                return Err(tera::Error::msg(format!(
                    "expected a string, got `{other}`"
                )));
            }
        };
        escape(&text).map(Value::String).map_err(tera::Error::msg)
    }
}

fn reject_nul(text: &str) -> Result<(), String> {
    if text.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            text.escape_debug()
        ));
    }
    Ok(())
}

fn reject_control(text: &str) -> Result<(), String> {
    if text.chars().any(char::is_control) {
        return Err(format!(
            "`{}` contains a line break or control character, which this file cannot hold",
            text.escape_debug()
        ));
    }
    Ok(())
}

/// One POSIX shell word: single quotes, inside which nothing is special; a quote is
/// written as `'\''` (close, escaped quote, reopen).
pub fn sh(text: &str) -> Result<String, String> {
    reject_nul(text)?;
    Ok(format!("'{}'", text.replace('\'', r"'\''")))
}

/// One PowerShell single-quoted string: no `$` expansion and no backtick escapes inside;
/// a quote is doubled. PowerShell also closes such a string with the typographic single
/// quotes, so those are doubled too.
pub fn powershell(text: &str) -> Result<String, String> {
    reject_nul(text)?;
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for character in text.chars() {
        if matches!(
            character,
            '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}'
        ) {
            quoted.push(character);
        }
        quoted.push(character);
    }
    quoted.push('\'');
    Ok(quoted)
}

/// One double-quoted YAML scalar: `"` and `\` escaped, every control character and every
/// character YAML 1.1 reads as a line break written as an escape.
pub fn yaml(text: &str) -> Result<String, String> {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}') => {
                quoted.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    Ok(quoted)
}

/// GitHub Actions evaluates `${{ … }}` in every string of a workflow, quoted or not, so
/// an opening `${{` in a value is replaced by an expression that yields the same text.
pub fn github_expression_safe(text: &str) -> Result<String, String> {
    Ok(text.replace("${{", "${{ '${{' }}"))
}

/// The text unchanged, when it fits on one line (a YAML block scalar line, a comment).
pub fn line(text: &str) -> Result<String, String> {
    reject_control(text)?;
    Ok(text.to_string())
}

/// Text for a Makefile recipe line: `$` doubled so make passes it to the shell as is.
/// A recipe cannot hold a line break, and a trailing backslash would join the next line.
pub fn make(text: &str) -> Result<String, String> {
    reject_control(text)?;
    if text.ends_with('\\') {
        return Err(format!(
            "`{text}` ends with a backslash, which would continue the Makefile line"
        ));
    }
    Ok(text.replace('$', "$$"))
}

/// A path make can use as a target or prerequisite. Make has no quoting for `:`, `=`,
/// `;`, `%`, `#` or blanks in rule lines, so a path holding anything else is refused.
pub fn make_path(text: &str) -> Result<String, String> {
    if !crate::answers::make_safe(text) {
        return Err(format!(
            "`{}` cannot be written in a Makefile rule: use letters, digits and `._-/+,@` only",
            text.escape_debug()
        ));
    }
    Ok(text.to_string())
}

/// A Markdown inline code span that cannot be closed early: its fence is one backtick
/// longer than the longest backtick run inside, padded with spaces when the text starts or
/// ends with a backtick. Line breaks become spaces, as CommonMark would render them, so no
/// blank line can end the paragraph mid-span.
pub fn markdown_code(text: &str) -> Result<String, String> {
    reject_nul(text)?;
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for character in flat.chars() {
        if character == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') || flat.trim().is_empty() {
        " "
    } else {
        ""
    };
    Ok(format!("{fence}{pad}{flat}{pad}{fence}"))
}

/// A literal `.gitignore` pattern: glob characters, a leading `#` or `!` and trailing
/// blanks are backslash-escaped, so the pattern matches exactly this path.
pub fn gitignore(text: &str) -> Result<String, String> {
    reject_control(text)?;
    let mut escaped = String::with_capacity(text.len());
    for (index, character) in text.chars().enumerate() {
        let leading = index == 0 && matches!(character, '#' | '!');
        if leading || matches!(character, '\\' | '*' | '?' | '[' | ']') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    let trimmed = escaped.trim_end_matches(' ');
    let trailing = escaped.len() - trimmed.len();
    Ok(format!("{trimmed}{}", "\\ ".repeat(trailing)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "it's",
        "$(rm -rf /)",
        "`id`",
        "a\nb",
        "# comment",
        "100%",
        "{{ x }}",
        "key: value",
        "- item",
        "$(Get-Process)",
        "`$x`n",
        "‘smart’",
        "${{ secrets.TOKEN }}",
        "\"double\"",
        "back\\slash",
    ];

    /// What `sh -c 'printf %s WORD'` prints, so the test checks the shell's reading.
    fn shell_reads(word: &str) -> String {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("printf %s {word}"))
            .output()
            .expect("run sh");
        String::from_utf8(output.stdout).expect("utf-8")
    }

    #[test]
    fn sh_words_read_back_unchanged() {
        for value in HOSTILE {
            assert_eq!(shell_reads(&sh(value).expect("escape")), *value);
        }
        assert!(sh("a\0b").is_err());
    }

    #[test]
    fn powershell_strings_have_only_doubled_quotes_inside() {
        assert_eq!(powershell("it's").expect("escape"), "'it''s'");
        assert_eq!(
            powershell("$(Get-Process)").expect("escape"),
            "'$(Get-Process)'"
        );
        assert_eq!(powershell("`$x`n").expect("escape"), "'`$x`n'");
        assert_eq!(powershell("‘x’").expect("escape"), "'‘‘x’’'");
        for value in HOSTILE {
            let quoted = powershell(value).expect("escape");
            let inner = &quoted[1..quoted.len() - 1];
            // Every quote character inside comes in a pair, so none closes the string.
            let mut chars = inner.chars().peekable();
            while let Some(c) = chars.next() {
                if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
                    assert_eq!(chars.next(), Some(c), "unpaired quote in {quoted}");
                }
            }
        }
    }

    #[test]
    fn yaml_scalars_are_json_compatible_strings() {
        for value in HOSTILE {
            let quoted = yaml(value).expect("escape");
            // A YAML double-quoted scalar with these escapes is also a JSON string.
            let back: String = serde_json::from_str(&quoted).expect("valid JSON string");
            assert_eq!(back, *value);
            assert!(!quoted.contains('\n'));
        }
        assert_eq!(yaml("a\u{2028}b").expect("escape"), "\"a\\u2028b\"");
    }

    #[test]
    fn github_expressions_are_neutralised() {
        assert_eq!(
            github_expression_safe("${{ secrets.TOKEN }}").expect("escape"),
            "${{ '${{' }} secrets.TOKEN }}"
        );
    }

    #[test]
    fn make_doubles_dollars_and_refuses_line_breaks() {
        assert_eq!(
            make("echo $(id) $$HOME").expect("escape"),
            "echo $$(id) $$$$HOME"
        );
        assert_eq!(
            make("# not a comment in a recipe").expect("escape"),
            "# not a comment in a recipe"
        );
        assert!(make("a\nb").is_err());
        assert!(make("a\rb").is_err());
        assert!(make("pytest \\").is_err());
        assert!(make_path("requirements.txt").is_ok());
        for bad in ["a b", "a:b", "a=b", "a;b", "a%b", "a#b", "$(x)", "", "a\nb"] {
            assert!(make_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn markdown_spans_cannot_be_closed_early() {
        assert_eq!(markdown_code("pytest").expect("escape"), "`pytest`");
        assert_eq!(markdown_code("a`b").expect("escape"), "``a`b``");
        assert_eq!(markdown_code("`x`").expect("escape"), "`` `x` ``");
        assert_eq!(markdown_code("a\n\n# b").expect("escape"), "`a  # b`");
        for value in HOSTILE {
            let span = markdown_code(value).expect("escape");
            assert!(!span.contains('\n'));
        }
    }

    #[test]
    fn gitignore_patterns_are_literal() {
        assert_eq!(gitignore(".venv").expect("escape"), ".venv");
        assert_eq!(gitignore("!x*").expect("escape"), "\\!x\\*");
        assert_eq!(gitignore("#env ").expect("escape"), "\\#env\\ ");
        assert!(gitignore("a\nb").is_err());
    }
}
