//! Documentation: only code blocks are code. Markdown fenced and indented blocks, rst
//! literal blocks and code directives are read as the language they name; prose, inline
//! code spans and everything else are never findings.

use std::sync::LazyLock;

use regex::Regex;

use super::command::{self, Created};
use super::kinds::Kind;
use super::reach::{Base, Context};
use super::rules::Rule;
use super::shell::Fragment;
use super::{Position, suppressed};

/// What any finding of a shell or command block, or of an inline code span, needs.
static COMMAND_FINDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(super::walk::COMMAND_FINDING).expect("the command finding pattern is valid")
});

/// A code block: its language and its lines, each with where it starts in the file.
#[derive(Debug)]
struct Block {
    language: String,
    /// The whole info string of a Markdown fence (`yaml title=".gitlab-ci.yml"`).
    info: String,
    lines: Vec<BlockLine>,
    /// The line of the opening fence or directive: a suppression comment on it or just
    /// above it covers the whole block.
    opening: usize,
}

#[derive(Debug)]
struct BlockLine {
    text: String,
    line: usize,
    /// Characters cut from the start of the file's line.
    cut: usize,
}

/// Findings in a Markdown file's code blocks, and the commands in its inline code spans.
pub(super) fn check_markdown(text: &str) -> Vec<(Rule, Position)> {
    let lines: Vec<&str> = super::lines::of(text).collect();
    let blocks = markdown_blocks(&lines);
    // By line number: the lines of a code block, its opening fence included.
    let mut in_block = vec![false; lines.len() + 1];
    for block in &blocks {
        in_block[block.opening] = true;
        for line in &block.lines {
            in_block[line.line] = true;
        }
    }
    let mut findings = check_blocks(&lines, blocks);
    // A span with a finding holds one of `COMMAND_FINDING`'s strings, so only the lines
    // that hold one are read for spans (most lines of a page hold none).
    let starts: Vec<usize> = lines
        .iter()
        .map(|line| line.as_ptr() as usize - text.as_ptr() as usize)
        .collect();
    let mut read = None;
    for found in COMMAND_FINDING.find_iter(text) {
        let index = starts.partition_point(|&start| start <= found.start()) - 1;
        if read == Some(index) {
            continue;
        }
        read = Some(index);
        if !in_block[index + 1] {
            findings.extend(inline_code(lines[index], index + 1));
        }
    }
    findings
}

/// Words that make a sentence a warning against what its code span shows.
const NEGATIONS: [&str; 11] = [
    "never",
    "don't",
    "do not",
    "avoid",
    "instead of",
    "not ",
    "rather than",
    "without",
    "warning",
    "dangerous",
    "n't",
];

/// Inline code spans that hold a whole command (`` `sudo rm …/EXTERNALLY-MANAGED` ``), read
/// for the rules that hold anywhere, unless the sentence warns against them. A span that
/// only names a flag (`` `--break-system-packages` ``) is a name, not a command.
fn inline_code(line: &str, number: usize) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    let mut rest = line;
    let mut offset = 0;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('`') else {
            break;
        };
        let span = &after[..close];
        let start = offset + open + 1;
        let command_like = span.contains(' ') && !span.starts_with('-');
        // A span with none of the strings a finding needs is not read (nor its sentence).
        if command_like && COMMAND_FINDING.is_match(span) {
            let before = line[..start].to_ascii_lowercase();
            if !NEGATIONS.iter().any(|word| before.contains(word)) {
                let fragment = Fragment {
                    text: span,
                    line: number,
                    column: line[..start].chars().count() + 1,
                };
                let scan = command::scan(&[fragment], Context::default(), Created::Ignored);
                findings.extend(
                    scan.findings
                        .into_iter()
                        .filter(|(rule, _)| rule.definition().inline_code),
                );
            }
        }
        let consumed = open + 1 + close + 1;
        offset += consumed;
        rest = &rest[consumed..];
    }
    findings
}

/// Platforms whose Python has no PEP 668 marker: a code block in a section about one of
/// them installs into a Python the OS does not own.
const UNMANAGED_PLATFORMS: [&str; 3] = ["windows", "freebsd", "powershell"];

/// The base a block's commands run on: what its section heading (Markdown) or the line
/// introducing it says.
fn block_base(file_lines: &[&str], opening: usize) -> Base {
    let before = &file_lines[..opening.saturating_sub(1).min(file_lines.len())];
    // A Markdown `#` heading, or an rst title (a line over a row of `=`, `-`, `~`, …).
    let heading = (0..before.len())
        .rev()
        .find(|&index| {
            before[index].trim_start().starts_with('#')
                || before
                    .get(index + 1)
                    .is_some_and(|under| is_rst_underline(under))
                    && !before[index].trim().is_empty()
        })
        .map_or("", |index| before[index]);
    // The line introducing the block (`On Windows::`, `.. tab:: Windows`), and the block's
    // own opening line.
    let introduction = before
        .iter()
        .rev()
        .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with(".. code"))
        .copied()
        .unwrap_or("");
    let opening_line = file_lines
        .get(opening.saturating_sub(1))
        .copied()
        .unwrap_or("");
    let names_platform = |text: &str| {
        let lower = text.to_ascii_lowercase();
        UNMANAGED_PLATFORMS
            .iter()
            .any(|platform| lower.contains(platform))
    };
    if names_platform(heading) || names_platform(introduction) || names_platform(opening_line) {
        Base::OwnPython
    } else {
        Base::Host
    }
}

fn is_rst_underline(line: &str) -> bool {
    let line = line.trim_end();
    let Some(first) = line.chars().next() else {
        return false;
    };
    line.len() >= 3 && "=-~^*+#".contains(first) && line.chars().all(|c| c == first)
}

/// Findings in an rst file's literal blocks and code directives.
pub(super) fn check_rst(text: &str) -> Vec<(Rule, Position)> {
    let lines: Vec<&str> = super::lines::of(text).collect();
    check_blocks(&lines, rst_blocks(text))
}

/// The findings of `blocks`, read from the file whose lines are `file_lines`.
fn check_blocks(file_lines: &[&str], blocks: Vec<Block>) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    for block in blocks {
        let Some(kind) = block_kind(&block) else {
            continue;
        };
        let body = block
            .lines
            .iter()
            .map(|line| line.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        // Most blocks of a page that names pip somewhere are other commands: not parsed.
        if matches!(kind, Kind::Shell | Kind::Commands) && !COMMAND_FINDING.is_match(&body) {
            continue;
        }
        // pip's own refusal (which names `--break-system-packages`) is output, not code.
        if body.contains("externally-managed-environment")
            || body.contains("This environment is externally managed")
            || under_warning(file_lines, block.opening)
        {
            continue;
        }
        let base = match kind {
            Kind::Commands => Base::OwnPython,
            _ => block_base(file_lines, block.opening),
        };
        for (rule, position) in super::check_kind(kind, &body, base) {
            let Some(origin) = block.lines.get(position.line.saturating_sub(1)) else {
                continue;
            };
            if suppressed(file_lines, block.opening, rule) {
                continue;
            }
            findings.push((
                rule,
                Position {
                    line: origin.line,
                    column: position.column + origin.cut,
                },
            ));
        }
    }
    findings
}

/// What a block's language says it is. Unknown languages are not read.
fn block_kind(block: &Block) -> Option<Kind> {
    let language = block.language.to_ascii_lowercase();
    let body_has = |needle: &str| block.lines.iter().any(|line| line.text.contains(needle));
    match language.as_str() {
        // A block that names no language is shell only when its lines read as commands.
        "" if block.lines.iter().any(|line| reads_as_prose(&line.text)) => None,
        // `text`, `output`, `log` and the like show what a command printed (pip's own error
        // names `--break-system-packages`): not code.
        "" | "sh" | "bash" | "shell" | "console" | "shell-session" | "sh-session" | "zsh"
        | "terminal" | "shellsession" | "bash-session" => Some(Kind::Shell),
        "powershell" | "ps1" | "pwsh" | "bat" | "batch" | "cmd" | "doscon" | "ps1con" => {
            Some(Kind::Commands)
        }
        "dockerfile" | "docker" | "containerfile" => Some(Kind::Dockerfile),
        // A fragment of a workflow or pipeline is judged as one: a setting with no job to
        // judge it in is not a finding.
        "yaml" | "yml" => Some(if block.info.contains("gitlab-ci") || body_has("script:") {
            Kind::GitlabCi
        } else if ["runs-on:", "jobs:", "steps:", "uses:"]
            .iter()
            .any(|key| body_has(key))
            || block.info.contains(".github/workflows")
        {
            Kind::GithubWorkflow
        } else {
            Kind::Yaml
        }),
        "ini" | "cfg" | "conf" | "config" | "dosini" => Some(if body_has("[testenv") {
            Kind::Tox
        } else {
            Kind::PipConfig
        }),
        "make" | "makefile" | "mk" => Some(Kind::Makefile),
        "python" | "py" | "python3" => Some(Kind::Nox),
        _ => None,
    }
}

/// Whether a line of a block without a language is a sentence, not a command: it starts
/// with a capitalised word that is not an assignment (`The installer prints …`), or ends a
/// word with a full stop or a comma (`… and the path.`). Commands start with a lowercase
/// program, a path, `$`, or `NAME=value`, and end with an argument (`pip install .`).
fn reads_as_prose(line: &str) -> bool {
    let (line, _) = strip_prompt(line.trim());
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return false;
    }
    let first = line.split_whitespace().next().unwrap_or("");
    let capitalised = first.chars().next().is_some_and(char::is_uppercase)
        && first.chars().nth(1).is_some_and(char::is_lowercase)
        && !first.contains(['=', '/', '.', '-', '_']);
    let mut tail = line.chars().rev();
    let sentence_end = matches!(tail.next(), Some('.' | ',' | '!' | '?'))
        && tail.next().is_some_and(char::is_alphabetic);
    capitalised || sentence_end
}

/// Headings and introductions that present what follows as what not to do.
const WARNING_WORDS: [&str; 9] = [
    "don't",
    "do not",
    "avoid",
    "wrong",
    "bad",
    "never",
    "incorrect",
    "unsafe",
    "what not to",
];

/// Whether the section a block sits in (its nearest heading), or the sentence introducing
/// it (ending with a colon), presents it as what not to do: `### Don't do this`,
/// `### Wrong: deleting the marker`, `Avoid:`. Such a block is an example of a mistake, not a finding.
fn under_warning(file_lines: &[&str], opening: usize) -> bool {
    let before = &file_lines[..opening.saturating_sub(1).min(file_lines.len())];
    let heading = (0..before.len()).rev().find(|&index| {
        before[index].trim_start().starts_with('#')
            || before
                .get(index + 1)
                .is_some_and(|under| is_rst_underline(under))
                && !before[index].trim().is_empty()
    });
    // A sentence introduces the block when it ends with a colon (`Avoid:`, `Don't do
    // this:`); "Never `pip install --user`." warns about its own code span only.
    let introduction = before
        .iter()
        .rposition(|line| !line.trim().is_empty() && !line.trim_start().starts_with(".. code"))
        .filter(|&index| {
            before[index]
                .trim_end()
                .trim_end_matches(['*', '_'])
                .ends_with(':')
        });
    [heading, introduction]
        .into_iter()
        .flatten()
        .any(|index| warns(before[index]))
}

/// Whether a heading or sentence starts with a warning word (`Don't do this`, `❌ Wrong:`,
/// `**Avoid**`), as a whole word: "Avoiding the system Python" is not a warning.
fn warns(text: &str) -> bool {
    let lower = text.to_lowercase().replace('\u{2019}', "'");
    let start = lower.trim_start_matches(|c: char| !c.is_alphanumeric());
    WARNING_WORDS.iter().any(|word| {
        start
            .strip_prefix(word)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// Removes a shell prompt (`$ `, `% `, `PS> `): no command starts with one.
fn strip_prompt(text: &str) -> (&str, usize) {
    for prompt in ["$ ", "% ", "PS> "] {
        if let Some(rest) = text.strip_prefix(prompt) {
            return (rest, prompt.len());
        }
    }
    (text, 0)
}

fn block_line(line: &str, index: usize, cut_bytes: usize, prompts: bool) -> BlockLine {
    let cut_bytes = cut_bytes.min(line.len() - line.trim_start_matches([' ', '\t']).len());
    let mut text = &line[cut_bytes..];
    let mut cut = line[..cut_bytes].chars().count();
    if prompts {
        let (rest, prompt) = strip_prompt(text);
        text = rest;
        cut += prompt;
    }
    BlockLine {
        text: text.to_string(),
        line: index + 1,
        cut,
    }
}

fn markdown_blocks(lines: &[&str]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut index = 0;
    let mut previous_blank = true;
    let mut previous_list = false;
    while index < lines.len() {
        let line = lines[index];
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        if let Some((marker, length)) = fence(content) {
            let info = content[length..].trim();
            let language = info
                .trim_start_matches('{')
                .trim_start_matches('.')
                .split(|c: char| c.is_whitespace() || c == ',' || c == '}')
                .next()
                .unwrap_or("")
                .to_string();
            let opening = index + 1;
            let mut block_lines = Vec::new();
            index += 1;
            while index < lines.len() {
                let inner = lines[index].trim_start();
                if fence(inner).is_some_and(|(c, l)| c == marker && l >= length)
                    && inner.trim_start_matches(marker).trim().is_empty()
                {
                    break;
                }
                block_lines.push(block_line(lines[index], index, indent, true));
                index += 1;
            }
            blocks.push(Block {
                language,
                info: info.to_string(),
                lines: block_lines,
                opening,
            });
            index += 1;
            previous_blank = false;
            continue;
        }
        let is_blank = content.is_empty();
        let indented = line.starts_with("    ") || line.starts_with('\t');
        if indented && !is_blank && previous_blank && !previous_list {
            let opening = index + 1;
            let mut block_lines = Vec::new();
            while index < lines.len() {
                let line = lines[index];
                let indented = line.starts_with("    ") || line.starts_with('\t');
                if !indented && !line.trim().is_empty() {
                    break;
                }
                let cut = if line.starts_with('\t') { 1 } else { 4 };
                block_lines.push(block_line(line, index, cut, true));
                index += 1;
            }
            blocks.push(Block {
                language: String::new(),
                info: String::new(),
                lines: block_lines,
                opening,
            });
            previous_blank = false;
            continue;
        }
        if !is_blank {
            // Text indented under a list item continues the item; it is not code.
            previous_list = is_list_item(content) || (previous_list && indent > 0);
        }
        previous_blank = is_blank;
        index += 1;
    }
    blocks
}

fn fence(content: &str) -> Option<(char, usize)> {
    let first = content.chars().next()?;
    if first != '`' && first != '~' {
        return None;
    }
    let length = content.chars().take_while(|&c| c == first).count();
    (length >= 3 && !(first == '`' && content[length..].contains('`'))).then_some((first, length))
}

fn is_list_item(content: &str) -> bool {
    if let Some(rest) = content.strip_prefix(['-', '*', '+']) {
        return rest.is_empty() || rest.starts_with(' ');
    }
    let digits = content.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && content[digits..].starts_with(['.', ')'])
}

fn rst_blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = super::lines::of(text).collect();
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let content = line.trim_start_matches([' ', '\t']);
        let indent = line.len() - content.len();
        let directive = ["code-block::", "code::", "sourcecode::", "prompt::"]
            .iter()
            .find_map(|name| content.strip_prefix(".. ")?.trim_start().strip_prefix(name));
        let language = match directive {
            Some(language) => Some(language.trim().to_string()),
            None if content.ends_with("::") && !content.starts_with("..") => Some(String::new()),
            None => None,
        };
        let Some(language) = language else {
            index += 1;
            continue;
        };
        let opening = index + 1;
        index += 1;
        // Directive options (`:linenos:`) come first.
        while index < lines.len()
            && lines[index].trim_start().starts_with(':')
            && directive.is_some()
        {
            index += 1;
        }
        let mut block_lines = Vec::new();
        let mut content_indent = None;
        while index < lines.len() {
            let line = lines[index];
            let inner = line.trim_start_matches([' ', '\t']);
            let inner_indent = line.len() - inner.len();
            if inner.is_empty() {
                if content_indent.is_some() {
                    block_lines.push(BlockLine {
                        text: String::new(),
                        line: index + 1,
                        cut: 0,
                    });
                }
                index += 1;
                continue;
            }
            if inner_indent <= indent {
                break;
            }
            let cut = *content_indent.get_or_insert(inner_indent);
            block_lines.push(block_line(line, index, cut, true));
            index += 1;
        }
        blocks.push(Block {
            language,
            info: String::new(),
            lines: block_lines,
            opening,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markdown_blocks_only() {
        let text = "Never run `pip install --user x`.\n\n```sh\n$ sudo pip install x\n```\n\n- item\n\n    continued item text\n\nprose\n\n    pip install --user y\n";
        let blocks = markdown_blocks(&crate::lint::lines::of(text).collect::<Vec<_>>());
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].language, "sh");
        assert_eq!(blocks[0].lines[0].text, "sudo pip install x");
        assert_eq!(blocks[0].lines[0].cut, 2);
        assert_eq!(blocks[1].lines[0].text, "pip install --user y");
    }

    fn ids(text: &str) -> Vec<(&'static str, usize)> {
        check_markdown(text)
            .into_iter()
            .map(|(rule, at)| (rule.id(), at.line))
            .collect()
    }

    #[test]
    fn blocks_shown_as_mistakes_are_not_findings() {
        let text = "### Don't do this\n\n```bash\nsudo pip install x\n```\n\n## \u{274c} Wrong: deleting the marker\n\n```sh\nsudo rm /usr/lib/python3.12/EXTERNALLY-MANAGED\n```\n\nAvoid:\n\n```sh\npip install --user x\n```\n\n## Installing system-wide on a build box\n\n```sh\nsudo pip install y\n```\n\n## Avoiding the system Python\n\nNever `pip install --user`.\n\n```sh\nsudo pip install z\n```\n";
        assert_eq!(ids(text), vec![("PB201", 22), ("PB201", 30)]);
    }

    #[test]
    fn a_block_without_a_language_is_shell_only_when_it_reads_as_commands() {
        let prose = "```\nThe installer prints where it put the venv, then\npip install finishes with the path.\n```\n";
        assert_eq!(ids(prose), vec![]);
        let commands =
            "```\n$ sudo pip install x\nPIP_USER=1 pip install y\ncd ..\npip install .\n```\n";
        // `sudo` makes the block a distro machine's: the bare install after it is PB206.
        assert_eq!(
            ids(commands),
            vec![("PB201", 2), ("PB202", 3), ("PB206", 5)]
        );
        assert!(reads_as_prose("Note: pip install x works."));
        assert!(!reads_as_prose("# Install it"));
        assert!(!reads_as_prose("PATH=/opt/venv/bin:$PATH pip install x"));
    }

    #[test]
    fn finds_rst_blocks() {
        let text = "Run this::\n\n    pip install --user x\n\nText.\n\n.. code-block:: bash\n   :linenos:\n\n   sudo pip install y\n\n.. note::\n\n   pip install --user z\n";
        let blocks = rst_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[1].language, "bash");
        assert_eq!(blocks[1].lines[0].text, "sudo pip install y");
        assert_eq!(blocks[1].lines[0].line, 10);
    }
}
