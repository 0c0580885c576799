//! A YAML outline for CI files: block mappings, block sequences and scalars (plain, quoted,
//! `|`/`>` block scalars) with the file position of every key and value line. Flow
//! collections stay text. Enough for CI files, never an error: odd YAML gives odd nodes.

use super::shell::SourceLine;

/// A mapping entry (`key: value`) or a sequence item (`- value`), with what is nested in it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Node {
    pub(crate) key: Option<String>,
    /// A scalar value: one line per physical line of the value, with positions.
    pub(super) value: Vec<SourceLine>,
    pub(crate) children: Vec<Node>,
    pub(crate) item: bool,
    indent: usize,
    /// `&name` on this node.
    anchor: Option<String>,
    /// `*name`: this node stands for the anchored one.
    alias: Option<String>,
    /// The quote of a one-line quoted scalar value (`'` or `"`).
    quote: Option<char>,
}

impl Node {
    /// The value as one string (lines joined with newlines).
    pub(crate) fn text(&self) -> String {
        self.value
            .iter()
            .map(|line| line.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The value as YAML means it: a quoted scalar's escapes decoded (`\\"` in double
    /// quotes, `''` in single quotes). `None` for an escape this outline does not decode,
    /// so a caller copies no value it may have misread.
    pub(crate) fn scalar(&self) -> Option<String> {
        let text = self.text();
        match self.quote {
            Some('\'') => Some(text.replace("''", "'")),
            Some('"') => {
                let mut decoded = String::with_capacity(text.len());
                let mut characters = text.chars();
                while let Some(character) = characters.next() {
                    if character != '\\' {
                        decoded.push(character);
                        continue;
                    }
                    decoded.push(match characters.next()? {
                        '"' => '"',
                        '\\' => '\\',
                        '/' => '/',
                        ' ' => ' ',
                        _ => return None,
                    });
                }
                Some(decoded)
            }
            _ => Some(text),
        }
    }

    /// The child entry named `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.children
            .iter()
            .find(|child| child.key.as_deref() == Some(key))
    }

    /// The items of a block sequence child, or the values of a flow sequence (`[a, b]`).
    pub(crate) fn list(&self) -> Vec<String> {
        let text = self.text();
        let text = text.trim();
        if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            return inner
                .split(',')
                .map(|item| unquote(item.trim()).to_string())
                .filter(|item| !item.is_empty())
                .collect();
        }
        if !text.is_empty() {
            return vec![text.to_string()];
        }
        self.children
            .iter()
            .filter(|child| child.item)
            .map(Node::text)
            .collect()
    }
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')))
        .unwrap_or(text)
}

/// The document's top-level entries.
pub(crate) fn parse(text: &str) -> Vec<Node> {
    let lines: Vec<&str> = text.lines().collect();
    let mut flat: Vec<Node> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let content = line.trim_start_matches(' ');
        if content.trim().is_empty()
            || content.starts_with('#')
            || content.starts_with("---")
            || content.starts_with("...")
        {
            index += 1;
            continue;
        }
        let mut indent = line.len() - content.len();
        let mut owner_indent = indent;
        let mut rest = content;
        // `- - x` and `- key: v`: each dash opens an item one level deeper.
        while rest == "-" || rest.starts_with("- ") {
            flat.push(Node {
                item: true,
                indent,
                ..Node::default()
            });
            let after = rest[1..].trim_start_matches(' ');
            owner_indent = indent;
            indent += rest.len() - after.len();
            rest = after;
        }
        if rest.is_empty() {
            index += 1;
            continue;
        }
        let (key, value_start) = match split_key(rest) {
            Some((key, value_offset)) => (Some(key), value_offset),
            None => (None, 0),
        };
        let mut node = Node {
            key: key.map(|key| unquote(key).to_string()),
            indent,
            ..Node::default()
        };
        let mut trimmed = strip_comment(&rest[value_start..]).trim_end();
        let mut value_start = value_start;
        if let Some(anchored) = trimmed.strip_prefix('&') {
            let name_end = anchored.find(' ').unwrap_or(anchored.len());
            node.anchor = Some(anchored[..name_end].to_string());
            let after = anchored[name_end..].trim_start();
            value_start += trimmed.len() - after.len();
            trimmed = after;
        }
        let value_text = &rest[value_start.min(rest.len())..];
        let value_indent = indent + value_start;
        if let Some(name) = trimmed.strip_prefix('*')
            && !name.is_empty()
            && !name.contains(' ')
        {
            node.alias = Some(name.to_string());
        } else if trimmed.starts_with('[') && trimmed.ends_with(']') {
            // A flow sequence (`script: ["pip install ruff"]`): one item per element.
            let leading = value_text.len() - value_text.trim_start().len();
            let column = line[..value_indent + leading].chars().count() + 1;
            node.children = flow_items(trimmed, index + 1, column, indent + 1);
        } else if trimmed.starts_with('|') || trimmed.starts_with('>') {
            let parent_indent = if key.is_some() { indent } else { owner_indent };
            index = block_scalar(&lines, index, parent_indent, &mut node);
        } else if !trimmed.is_empty() {
            let leading = value_text.len() - value_text.trim_start().len();
            let (text, offset) = unquote_with_offset(trimmed.trim_start());
            if offset == 1 {
                node.quote = trimmed.trim_start().chars().next();
            }
            node.value.push(SourceLine {
                text: text.to_string(),
                line: index + 1,
                column: line[..value_indent + leading].chars().count() + 1 + offset,
            });
        }
        match (flat.last_mut(), key.is_none()) {
            // `- value`: the value belongs to the item just opened.
            (Some(last), true) if last.item && last.value.is_empty() && last.indent < indent => {
                last.value = node.value;
                last.quote = node.quote;
                last.alias = node.alias;
                last.anchor = last.anchor.take().or(node.anchor);
                last.children.extend(node.children);
            }
            _ => flat.push(node),
        }
        index += 1;
    }
    let mut roots = nest(flat);
    let mut anchors = std::collections::HashMap::new();
    collect_anchors(&roots, &mut anchors);
    if !anchors.is_empty() {
        for root in &mut roots {
            resolve(root, &anchors, 0);
        }
    }
    roots
}

/// The elements of a one-line flow sequence, as items with their file positions.
fn flow_items(text: &str, line: usize, column: usize, indent: usize) -> Vec<Node> {
    let inner = &text[1..text.len() - 1];
    let mut items = Vec::new();
    let mut quote = None;
    let mut start = 0;
    let mut push = |from: usize, to: usize| {
        let raw = &inner[from..to];
        let trimmed = raw.trim_start();
        let (unquoted, offset) = unquote_with_offset(trimmed.trim_end());
        if unquoted.is_empty() {
            return;
        }
        let skipped = inner[..from].chars().count() + (raw.len() - trimmed.len()) + offset;
        items.push(Node {
            item: true,
            indent,
            value: vec![SourceLine {
                text: unquoted.to_string(),
                line,
                column: column + 1 + skipped,
            }],
            ..Node::default()
        });
    };
    for (offset, c) in inner.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ',' => {
                push(start, offset);
                start = offset + 1;
            }
            None => {}
        }
    }
    push(start, inner.len());
    items
}

fn collect_anchors(nodes: &[Node], anchors: &mut std::collections::HashMap<String, Node>) {
    for node in nodes {
        if let Some(name) = &node.anchor {
            anchors.entry(name.clone()).or_insert_with(|| node.clone());
        }
        collect_anchors(&node.children, anchors);
    }
}

/// Replaces each `*alias` with what its anchor holds, and merges `<<: *alias` into the
/// mapping holding it (its own keys win).
fn resolve(node: &mut Node, anchors: &std::collections::HashMap<String, Node>, depth: usize) {
    if depth > 32 {
        return;
    }
    if let Some(anchored) = node.alias.take().and_then(|name| anchors.get(&name)) {
        node.value.clone_from(&anchored.value);
        node.children.clone_from(&anchored.children);
    }
    for child in &mut node.children {
        resolve(child, anchors, depth + 1);
    }
    if let Some(merge) = node
        .children
        .iter()
        .position(|child| child.key.as_deref() == Some("<<"))
    {
        let merged = node.children.remove(merge);
        for child in merged.children {
            if node.get(child.key.as_deref().unwrap_or("")).is_none() || child.key.is_none() {
                node.children.push(child);
            }
        }
    }
}

/// `key: rest` → the key and the byte offset of the value; `None` for a plain scalar.
fn split_key(text: &str) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    let mut quote = None;
    for (index, &byte) in bytes.iter().enumerate() {
        match quote {
            Some(q) if byte == q => quote = None,
            Some(_) => {}
            None if index == 0 && (byte == b'"' || byte == b'\'') => quote = Some(byte),
            None if byte == b':' && (index + 1 == bytes.len() || bytes[index + 1] == b' ') => {
                let value = text[index + 1..].trim_start_matches(' ');
                // `run :` is the key `run`: YAML ends a plain key at the space before `:`.
                return Some((text[..index].trim_end(), text.len() - value.len()));
            }
            None if byte == b' ' && bytes.get(index + 1) == Some(&b'#') => return None,
            None if index == 0 && matches!(byte, b'[' | b'{' | b'|' | b'>') => return None,
            None => {}
        }
    }
    None
}

fn strip_comment(text: &str) -> &str {
    if text.starts_with('"') || text.starts_with('\'') {
        return text;
    }
    match text.find(" #") {
        Some(index) => &text[..index],
        None if text.starts_with('#') => "",
        None => text,
    }
}

fn unquote_with_offset(text: &str) -> (&str, usize) {
    let unquoted = unquote(text);
    if unquoted.len() == text.len() {
        (text, 0)
    } else {
        (unquoted, 1)
    }
}

/// Collects the lines of a `|` or `>` scalar; returns the index of its last line.
fn block_scalar(lines: &[&str], start: usize, parent_indent: usize, node: &mut Node) -> usize {
    let mut index = start + 1;
    let mut block_indent = None;
    let mut last = start;
    while index < lines.len() {
        let line = lines[index];
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if content.trim().is_empty() {
            node.value.push(SourceLine {
                text: String::new(),
                line: index + 1,
                column: 1,
            });
            index += 1;
            continue;
        }
        if indent <= parent_indent {
            break;
        }
        let block = *block_indent.get_or_insert(indent);
        let cut = block.min(indent);
        node.value.push(SourceLine {
            text: line[cut..].to_string(),
            line: index + 1,
            column: line[..cut].chars().count() + 1,
        });
        last = index;
        index += 1;
    }
    while node.value.last().is_some_and(|line| line.text.is_empty()) {
        node.value.pop();
    }
    last
}

/// Turns the flat list into a tree by indentation. An item at the same indentation as the
/// key before it belongs to that key (`steps:` followed by `- run: x` at the same column).
fn nest(flat: Vec<Node>) -> Vec<Node> {
    let mut stack: Vec<Node> = Vec::new();
    let mut roots = Vec::new();
    for node in flat {
        while let Some(top) = stack.last() {
            let contains = top.indent < node.indent
                || (node.item && !top.item && top.indent == node.indent && top.value.is_empty());
            if contains {
                break;
            }
            let done = stack.pop().expect("the stack is not empty");
            attach(&mut stack, &mut roots, done);
        }
        stack.push(node);
    }
    while let Some(done) = stack.pop() {
        attach(&mut stack, &mut roots, done);
    }
    roots
}

fn attach(stack: &mut [Node], roots: &mut Vec<Node>, node: Node) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None => roots.push(node),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_workflow() {
        let text = "on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n    steps:\n    - uses: actions/checkout@v4\n    - name: install\n      run: |\n        pip install -r r.txt\n        pytest\n";
        let roots = parse(text);
        let jobs = roots
            .iter()
            .find(|n| n.key.as_deref() == Some("jobs"))
            .expect("jobs");
        let test = jobs.get("test").expect("test job");
        assert_eq!(test.get("runs-on").expect("runs-on").text(), "ubuntu-24.04");
        let steps = test.get("steps").expect("steps");
        assert_eq!(steps.children.len(), 2);
        let run = steps.children[1].get("run").expect("run");
        assert_eq!(run.value[0].text, "pip install -r r.txt");
        assert_eq!((run.value[0].line, run.value[0].column), (9, 9));
    }

    #[test]
    fn reads_flow_sequences_and_aliases() {
        let text = ".install: &install pip install ruff\n.base: &base\n  image: debian:12\njob:\n  <<: *base\n  script: [\"pip install x\", 'ruff check']\n  after_script:\n    - *install\n";
        let roots = parse(text);
        let job = roots
            .iter()
            .find(|n| n.key.as_deref() == Some("job"))
            .expect("job");
        assert_eq!(job.get("image").expect("merged image").text(), "debian:12");
        let script = job.get("script").expect("script");
        assert_eq!(script.list(), vec!["pip install x", "ruff check"]);
        assert_eq!(
            (
                script.children[0].value[0].line,
                script.children[0].value[0].column
            ),
            (6, 13)
        );
        let after = job.get("after_script").expect("after_script");
        assert_eq!(after.children[0].text(), "pip install ruff");
        assert_eq!(after.children[0].value[0].line, 1);
    }

    #[test]
    fn a_space_before_the_colon_ends_the_key() {
        let text = "steps:\n  - name : Install\n    run : pip install sphinx\n";
        let roots = parse(text);
        let step = &roots[0].children[0];
        assert_eq!(step.get("name").expect("name").text(), "Install");
        let run = step.get("run").expect("run");
        assert_eq!(run.text(), "pip install sphinx");
        assert_eq!((run.value[0].line, run.value[0].column), (3, 11));
    }

    #[test]
    fn quoted_scalars_decode_their_escapes() {
        let text = "a: \"it's \\\"x\\\" \\\\ y\"\nb: 'it''s'\nc: plain # comment\nd: \"\\u2028\"\n";
        let roots = parse(text);
        let value = |key: &str| {
            roots
                .iter()
                .find(|n| n.key.as_deref() == Some(key))
                .and_then(Node::scalar)
        };
        assert_eq!(value("a").as_deref(), Some("it's \"x\" \\ y"));
        assert_eq!(value("b").as_deref(), Some("it's"));
        assert_eq!(value("c").as_deref(), Some("plain"));
        assert_eq!(value("d"), None);
    }

    #[test]
    fn reads_lists_and_quotes() {
        let text =
            "job:\n  script:\n    - 'pip install --user x'\n    - echo\n  tags: [a, \"b\"]\n";
        let roots = parse(text);
        let script = roots[0].get("script").expect("script");
        assert_eq!(script.list(), vec!["pip install --user x", "echo"]);
        assert_eq!(script.children[0].value[0].column, 8);
        assert_eq!(roots[0].get("tags").expect("tags").list(), vec!["a", "b"]);
    }
}
