//! `setup.py`: only literal arguments (`python_requires="…"`, an `extras_require` dict); the
//! file is never run.

/// The string literal passed as `python_requires=`, when it is one.
pub(crate) fn python_requires(text: &str) -> Option<String> {
    let start = text.find("python_requires")?;
    let rest = text[start + "python_requires".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|quote| matches!(quote, '"' | '\''))?;
    let body = &rest[1..];
    let end = body.find(quote)?;
    let value = body[..end].trim();
    (!value.is_empty() && !value.contains('\n')).then(|| value.to_string())
}

/// How many names deep a value is looked up (`extras_require=EXTRAS`, `EXTRAS = {"test":
/// TESTS}`, `TESTS = [...]`).
const NAME_DEPTH: usize = 4;

/// The extras of `extras_require=` (a dict literal, `dict(name=…)`, or a name bound to one
/// at the top of the file), each with the requirements that could be read: a list of
/// string literals, a name bound to one, or a `+` of those. A key's environment marker
/// (`"test:python_version<'3.8'"`) is dropped, its requirements joined to the extra's.
/// pip reads the real values when it installs `.[extra]`: the requirements only tell which
/// tools the extra brings. `None` when there is no literal to read.
pub(crate) fn extras_require(text: &str) -> Option<Vec<(String, Vec<String>)>> {
    let at = keyword_argument(text, "extras_require")?;
    let value = Parser::new(&text[at..]).value()?;
    let mut extras: Vec<(String, Vec<String>)> = Vec::new();
    for (key, requirements) in dict_items(&resolve(text, value, NAME_DEPTH)?)? {
        let key = key.split(':').next().unwrap_or_default().trim().to_string();
        if key.is_empty() {
            continue;
        }
        let requirements = strings(text, &requirements, NAME_DEPTH);
        match extras.iter_mut().find(|(name, _)| *name == key) {
            Some((_, known)) => known.extend(requirements),
            None => extras.push((key, requirements)),
        }
    }
    Some(extras)
}

/// Where the value of `name=` starts (`name = ` as an argument or an assignment).
fn keyword_argument(text: &str, name: &str) -> Option<usize> {
    text.match_indices(name).find_map(|(at, _)| {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            return None;
        }
        let rest = &text[at + name.len()..];
        let trimmed = rest.trim_start_matches([' ', '\t']);
        let value = trimmed
            .strip_prefix('=')
            .filter(|value| !value.starts_with('='))?;
        Some(text.len() - value.len())
    })
}

/// A Python literal, as far as `setup.py` arguments need.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Str(String),
    List(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    Name(String),
    Add(Box<Value>, Box<Value>),
    /// `dict(name=value, …)`.
    Keywords(Vec<(String, Value)>),
    /// An expression that is not a literal (a call, a comprehension), skipped.
    Unknown,
}

/// `value` with names replaced by what the file binds them to at its top level.
fn resolve(text: &str, value: Value, depth: usize) -> Option<Value> {
    match value {
        Value::Name(name) if depth > 0 => {
            let assigned = text.lines().enumerate().find_map(|(at, line)| {
                let rest = line.strip_prefix(name.as_str())?.trim_start();
                let rest = rest
                    .strip_prefix('=')
                    .filter(|rest| !rest.starts_with('='))?;
                let offset: usize = text.lines().take(at).map(|line| line.len() + 1).sum();
                Some(offset + line.len() - rest.len())
            })?;
            let value = Parser::new(text.get(assigned..)?).value()?;
            resolve(text, value, depth - 1)
        }
        other => Some(other),
    }
}

/// The (key, value) pairs of a dict literal or `dict(…)` call.
fn dict_items(value: &Value) -> Option<Vec<(String, Value)>> {
    match value {
        Value::Dict(items) => Some(
            items
                .iter()
                .filter_map(|(key, value)| match key {
                    Value::Str(key) => Some((key.clone(), value.clone())),
                    _ => None,
                })
                .collect(),
        ),
        Value::Keywords(items) => Some(items.clone()),
        _ => None,
    }
}

/// The string literals of a list value (names looked up, `+` followed); what cannot be read
/// is left out.
fn strings(text: &str, value: &Value, depth: usize) -> Vec<String> {
    match value {
        Value::Str(string) => vec![string.clone()],
        Value::List(items) => items
            .iter()
            .flat_map(|item| strings(text, item, depth))
            .collect(),
        Value::Add(left, right) => {
            let mut all = strings(text, left, depth);
            all.extend(strings(text, right, depth));
            all
        }
        Value::Name(_) if depth > 0 => resolve(text, value.clone(), 1)
            .map(|value| strings(text, &value, depth - 1))
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A recursive-descent reader of one Python literal expression.
struct Parser<'a> {
    rest: &'a str,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self { rest: text }
    }

    /// Skips whitespace, newlines and comments.
    fn skip(&mut self) {
        loop {
            self.rest = self.rest.trim_start();
            if self.rest.starts_with('#') {
                self.rest = self.rest.find('\n').map_or("", |end| &self.rest[end..]);
            } else if let Some(rest) = self.rest.strip_prefix("\\\n") {
                self.rest = rest;
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, token: char) -> bool {
        self.skip();
        match self.rest.strip_prefix(token) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// A value and any `+ value` after it.
    fn value(&mut self) -> Option<Value> {
        let mut value = self.atom()?;
        while self.eat('+') {
            let right = self.atom()?;
            value = Value::Add(Box::new(value), Box::new(right));
        }
        Some(value)
    }

    /// A dict's value: a literal, or any other expression skipped to the `,` or closing
    /// bracket that ends it (`Unknown`), so one computed value leaves the other keys
    /// readable.
    fn item(&mut self) -> Option<Value> {
        let start = self.rest;
        if let Some(value) = self.value() {
            self.skip();
            if self.rest.starts_with([',', '}', ')']) {
                return Some(value);
            }
        }
        self.rest = start;
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for (at, c) in start.char_indices() {
            match (quote, c) {
                (Some(open), _) if c == open => quote = None,
                (None, '"' | '\'') => quote = Some(c),
                (None, '(' | '[' | '{') => depth += 1,
                (None, ',' | ')' | ']' | '}') if depth == 0 => {
                    self.rest = &start[at..];
                    return Some(Value::Unknown);
                }
                (None, ')' | ']' | '}') => depth -= 1,
                _ => {}
            }
        }
        None
    }

    fn atom(&mut self) -> Option<Value> {
        self.skip();
        let first = self.rest.chars().next()?;
        match first {
            '"' | '\'' => self.string(),
            '[' | '(' => {
                let close = if first == '[' { ']' } else { ')' };
                self.rest = &self.rest[1..];
                let mut items = Vec::new();
                while !self.eat(close) {
                    items.push(self.value()?);
                    if !self.eat(',') {
                        self.eat(close).then_some(())?;
                        break;
                    }
                }
                Some(Value::List(items))
            }
            '{' => {
                self.rest = &self.rest[1..];
                let mut items = Vec::new();
                while !self.eat('}') {
                    let key = self.value()?;
                    self.eat(':').then_some(())?;
                    items.push((key, self.item()?));
                    if !self.eat(',') {
                        self.eat('}').then_some(())?;
                        break;
                    }
                }
                Some(Value::Dict(items))
            }
            _ if first.is_alphabetic() || first == '_' => {
                let end = self
                    .rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                    .unwrap_or(self.rest.len());
                let name = self.rest[..end].to_string();
                self.rest = &self.rest[end..];
                if name == "dict" && self.eat('(') {
                    return self.keywords();
                }
                Some(Value::Name(name))
            }
            _ => None,
        }
    }

    /// The `name=value, …)` of a `dict(` call.
    fn keywords(&mut self) -> Option<Value> {
        let mut items = Vec::new();
        while !self.eat(')') {
            self.skip();
            let end = self
                .rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(self.rest.len());
            let name = self.rest[..end].to_string();
            self.rest = &self.rest[end..];
            (!name.is_empty() && self.eat('=')).then_some(())?;
            items.push((name, self.item()?));
            if !self.eat(',') {
                self.eat(')').then_some(())?;
                break;
            }
        }
        Some(Value::Keywords(items))
    }

    /// A string literal, with adjacent literals joined; escapes other than a quote's are
    /// kept as written, and prefixed (f-, b-) strings are not read.
    fn string(&mut self) -> Option<Value> {
        let mut joined = String::new();
        loop {
            self.skip();
            let quote = self
                .rest
                .chars()
                .next()
                .filter(|c| matches!(c, '"' | '\''))?;
            let triple: String = std::iter::repeat_n(quote, 3).collect();
            let (delimiter, body) = match self.rest.strip_prefix(triple.as_str()) {
                Some(body) => (triple.as_str(), body),
                None => (&self.rest[..1], &self.rest[1..]),
            };
            let end = body.find(delimiter)?;
            let value = &body[..end];
            if delimiter.len() == 1 && value.contains('\n') {
                return None;
            }
            joined.push_str(&value.replace(&format!("\\{quote}"), &quote.to_string()));
            self.rest = &body[end + delimiter.len()..];
            self.skip();
            if !self.rest.starts_with(['"', '\'']) {
                return Some(Value::Str(joined));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_arguments_only() {
        assert_eq!(
            python_requires("setup(\n    name='x',\n    python_requires=\">=3.9\",\n)").as_deref(),
            Some(">=3.9")
        );
        assert_eq!(
            python_requires("setup(python_requires = '>=3.8, <4')").as_deref(),
            Some(">=3.8, <4")
        );
        assert_eq!(python_requires("setup(python_requires=REQUIRES)"), None);
        assert_eq!(python_requires("setup(name='x')"), None);
    }

    fn owned(rows: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        rows.iter()
            .map(|(name, items)| {
                (
                    (*name).to_string(),
                    items.iter().map(ToString::to_string).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn extras_require_dict_literals() {
        let text = "from setuptools import setup\n\nsetup(\n    name=\"x\",\n    extras_require={\n        \"tests\": [\"pytest>=7\", 'mock'],  # the suite\n        \"docs\": [\"sphinx\"],\n    },\n)\n";
        assert_eq!(
            extras_require(text),
            Some(owned(&[
                ("tests", &["pytest>=7", "mock"]),
                ("docs", &["sphinx"])
            ]))
        );
    }

    #[test]
    fn extras_require_through_names_and_calls() {
        let text = "TESTS = [\"pytest\"]\nLINT = ('ruff',)\nEXTRAS = {\n    'test': TESTS + [\"coverage\"],\n    'dev': TESTS + list(LINT),\n    'test:python_version < \"3.8\"': ['importlib-metadata'],\n}\nsetup(extras_require=EXTRAS)\n";
        assert_eq!(
            extras_require(text),
            Some(owned(&[
                ("test", &["pytest", "coverage", "importlib-metadata"]),
                ("dev", &[]),
            ])),
            "`list(…)` is a call, not read: the extra's name still is"
        );
        let text = text.replace("TESTS + list(LINT)", "TESTS + LINT");
        assert_eq!(
            extras_require(&text),
            Some(owned(&[
                ("test", &["pytest", "coverage", "importlib-metadata"]),
                ("dev", &["pytest", "ruff"]),
            ]))
        );
        let text = "setup(extras_require=dict(testing=[\"pytest\"], yaml=YAML_DEPS))\n";
        assert_eq!(
            extras_require(text),
            Some(owned(&[("testing", &["pytest"]), ("yaml", &[])]))
        );
    }

    #[test]
    fn extras_require_that_is_no_literal() {
        for text in [
            "setup(name='x')\n",
            "setup(extras_require=get_extras())\n",
            "setup(extras_require={f'test': []})\n",
            "setup(extras_require={'test': [x for x in TESTS]\n",
            "setup(extras_require={\"test\": [\"pytest\"]\n",
            "setup(extras_require=UNBOUND)\n",
            "extras_require == {}\n",
        ] {
            assert_eq!(extras_require(text), None, "{text}");
        }
    }
}
