//! Line-level reading of pipeline YAML, shared by the providers: a key's value on its
//! line, the keys beside it in the same mapping. Pipelines are read for what they run, not
//! parsed: a file YAML rejects is still someone's pipeline.

/// `key:`'s column and value on `line` (a `- ` list item's first key included).
pub(super) fn key_value<'a>(line: &'a str, key: &str) -> Option<(usize, &'a str)> {
    let mut column = indent(line);
    let mut rest = line.trim_start();
    if let Some(item) = rest.strip_prefix("- ") {
        column += 2 + item.len() - item.trim_start().len();
        rest = item.trim_start();
    }
    let value = rest.strip_prefix(key)?.strip_prefix(':')?;
    (value.is_empty() || value.starts_with([' ', '\t'])).then(|| (column, value.trim()))
}

/// The value of `key` in the same mapping (step) as line `at`, whose keys sit at `column`.
pub(super) fn step_key(lines: &[&str], at: usize, column: usize, key: &str) -> Option<String> {
    let in_step = |line: &&&str| line.trim().is_empty() || indent(line) >= column;
    let at_key = |line: &str| {
        key_value(line, key)
            .filter(|(c, _)| *c == column)
            .map(|(_, value)| value.to_string())
    };
    // Before line `at`: back to the `- ` that opens the step (unless `at` opens it).
    let mut before = None;
    if !lines[at].trim_start().starts_with("- ") {
        for line in lines[..at].iter().rev() {
            if line.trim().is_empty() {
                continue;
            }
            let opens = line.trim_start().starts_with("- ") && indent(line) + 2 == column;
            if !opens && indent(line) < column {
                break;
            }
            before = before.or_else(|| at_key(line));
            if opens {
                break;
            }
        }
    }
    // After it: until a line less indented than its keys (the next `- ` item).
    let after = lines[at + 1..]
        .iter()
        .take_while(in_step)
        .find_map(|line| at_key(line));
    before.or(after)
}

pub(super) fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

pub(super) fn unquote(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}
