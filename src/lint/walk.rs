//! The parallel walk: `.gitignore`-aware (the `ignore` crate, as ripgrep), skipping `.git`,
//! venvs, symlinks, binary and huge files; each file of a known kind is read, cheaply
//! prefiltered, then checked. Odd files become warnings and never stop the walk.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use ignore::{WalkBuilder, WalkState};
use regex::bytes::Regex;

use super::config::Settings;
use super::fix::{self, FixMode};
use super::kinds::{self, Kind};
use super::report::{FixedFile, Report};
use super::rules::Rule;
use super::{Finding, check_in_with_scripts};

/// Files bigger than this are not read: no script, CI file or doc page is this large.
const MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// Bytes every finding needs, one of them at least: a file without any is not parsed.
const PREFILTER: &str =
    "pip|break.system|BREAK_SYSTEM|EXTERNALLY-MANAGED|UV_SYSTEM_PYTHON|PIP_USER";

/// The same for `*.py` files, where only overrides, `sudo pip` and `get-pip.py` in command
/// strings, commands sent over SSH and cloud-init documents are findings: most Python files
/// name none of these, and are not parsed.
const PYTHON_PREFILTER: &str =
    "break.system|BREAK_SYSTEM|EXTERNALLY-MANAGED|sudo|get-pip|exec_command|cloud-config";

/// What any finding of the command readers needs — a `*.py` file's command strings, a shell
/// or command code block in the docs: one of [`PREFILTER`]'s strings, or `--break`, which
/// pip reads as `--break-system-packages`. A `*.py` file is parsed only when it holds one
/// besides one of [`PYTHON_PREFILTER`]'s: most files that name `sudo` (PerfKit
/// Benchmarker's remote commands) name no pip at all.
/// What a PB301 finding needs: a URL with a user part, or a secret-looking query parameter.
const CREDENTIAL_PREFILTER: &str = r#"(?i)://[^/\s"'`@]*@|[?&](token|access_token|private_token|auth|password|passwd|secret|api_?key|key|sig|signature|x-amz-signature)="#;

pub(super) const COMMAND_FINDING: &str =
    "pip|break.system|BREAK_SYSTEM|EXTERNALLY-MANAGED|UV_SYSTEM_PYTHON|PIP_USER|--break";

/// [`COMMAND_FINDING`], compiled once for the readers that skip text by it.
pub(super) static COMMAND_FINDING_REGEX: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| {
        regex::Regex::new(COMMAND_FINDING).expect("the command finding pattern is valid")
    });

/// Walks `root` (a directory or one file) and checks every file of a known kind; with fixes
/// on, fixes each file in memory.
pub(super) fn walk(root: &Path, settings: &Settings, mode: FixMode) -> Report {
    let prefilter = Prefilter {
        any: Regex::new(PREFILTER).expect("the prefilter pattern is valid"),
        python: Regex::new(PYTHON_PREFILTER).expect("the Python prefilter pattern is valid"),
        python_finding: Regex::new(COMMAND_FINDING).expect("the command finding pattern is valid"),
        credential: Regex::new(CREDENTIAL_PREFILTER).expect("the credential pattern is valid"),
    };
    let root_is_file = root.is_file();
    // One file: its kind comes from where it is (`.github/workflows/ci.yml`), not its name.
    let root_kind_path = root_is_file.then(|| {
        let absolute = fs_err::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        relative_path(Path::new(""), &absolute)
    });
    let checked = AtomicUsize::new(0);
    let findings: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    let warnings: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let called: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let fixed: Mutex<Vec<FixedFile>> = Mutex::new(Vec::new());
    let ignored: Vec<Rule> = settings.rules.iter().copied().collect();
    let filter_settings = Arc::new(settings.clone());
    let filter_root = root.to_path_buf();
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir
                && entry.depth() > 0
                && (entry.file_name() == ".git" || entry.path().join("pyvenv.cfg").is_file())
            {
                return false;
            }
            if filter_settings.paths.is_empty() {
                return true;
            }
            let relative = relative_path(&filter_root, entry.path());
            relative.is_empty() || !filter_settings.skips_path(&relative, is_dir)
        })
        .build_parallel();
    walker.run(|| {
        let prefilter = &prefilter;
        let checked = &checked;
        let findings = &findings;
        let warnings = &warnings;
        let called = &called;
        let fixed = &fixed;
        let ignored = &ignored;
        let root_kind_path = &root_kind_path;
        // One buffer per thread, reused for every file it reads: no allocation and no
        // zeroing per file.
        let mut buffer = Vec::new();
        Box::new(move |entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    push(warnings, error.to_string());
                    return WalkState::Continue;
                }
            };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                return WalkState::Continue;
            }
            let kind_path = root_kind_path.clone();
            let relative = if root_is_file {
                entry
                    .path()
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default()
            } else {
                relative_path(root, entry.path())
            };
            let kind_path = kind_path.unwrap_or_else(|| relative.clone());
            let fixing = Fixing { mode, ignored };
            match check_file(
                entry.path(),
                &relative,
                &kind_path,
                prefilter,
                &fixing,
                &mut buffer,
            ) {
                Ok(None) => {}
                Ok(Some((found, scripts, fixed_file))) => {
                    if let Some(fixed_file) = fixed_file {
                        fixed
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(fixed_file);
                    }
                    checked.fetch_add(1, Ordering::Relaxed);
                    if !scripts.is_empty() && !root_is_file {
                        let mut all = called
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        all.extend(scripts);
                    }
                    if !found.is_empty() {
                        let mut all = findings
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        all.extend(found);
                    }
                }
                Err(warning) => push(warnings, warning),
            }
            WalkState::Continue
        })
    });
    let mut findings = findings
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut called = called
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    called.sort();
    called.dedup();
    for script in called {
        findings.extend(check_called(root, &script, settings, &findings));
    }
    findings.retain(|finding| !settings.rules.contains(&finding.rule));
    findings.sort();
    let mut warnings = warnings
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    warnings.sort();
    let mut fixed = fixed
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    fixed.sort_by(|a, b| a.path.cmp(&b.path));
    Report {
        findings,
        files_checked: checked.into_inner(),
        warnings,
        fixed,
    }
}

/// What the walk does about fixes: the mode, and the rules the settings ignore (never
/// fixed).
struct Fixing<'a> {
    mode: FixMode,
    ignored: &'a [Rule],
}

fn push(list: &Mutex<Vec<String>>, item: String) {
    list.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(item);
}

/// `path` relative to `root`, `/`-separated.
fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        relative.into_owned()
    } else {
        relative.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

struct Prefilter {
    any: Regex,
    python: Regex,
    python_finding: Regex,
    credential: Regex,
}

/// What a file may give, by the prefilter: findings of its kind's reader, and a committed
/// credential (PB301).
#[derive(Clone, Copy)]
struct MayFind {
    commands: bool,
    credentials: bool,
}

impl MayFind {
    /// Whether the file is parsed at all.
    fn any(self) -> bool {
        self.commands || self.credentials
    }
}

impl Prefilter {
    /// What a file of `kind` holding `bytes` may give.
    fn may_find(&self, kind: Kind, bytes: &[u8]) -> MayFind {
        let commands = match kind {
            Kind::Python => self.python.is_match(bytes) && self.python_finding.is_match(bytes),
            Kind::PackageConfig => false,
            _ => self.any.is_match(bytes),
        };
        MayFind {
            commands,
            credentials: !matches!(kind, Kind::Markdown | Kind::Rst)
                && self.credential.is_match(bytes),
        }
    }
}

/// A bare `pip install` (PB205) in a shell script of the tree that a CI job runs on a
/// distro Python, where the script alone did not show it (`known` findings win).
fn check_called(root: &Path, script: &str, settings: &Settings, known: &[Finding]) -> Vec<Finding> {
    let path = root.join(script);
    let is_shell = match kinds::by_name(script) {
        Some(kind) => kind == Kind::Shell,
        None => matches!(shebang_kind(&path, script), Ok(Some(Kind::Shell))),
    };
    if !is_shell || settings.skips_path(script, false) || !path.is_file() {
        return Vec::new();
    }
    let Ok(text) = fs_err::read_to_string(&path) else {
        return Vec::new();
    };
    super::check_called_script(&text)
        .into_iter()
        .filter(|(_, position)| {
            !known.iter().any(|finding| {
                finding.path == script
                    && finding.line == position.line
                    && finding.column == position.column
            })
        })
        .map(|(rule, position)| Finding {
            path: script.to_string(),
            line: position.line,
            column: position.column,
            rule,
            message: rule.message(),
            fix: rule.fix_for(Kind::Shell),
            fixable: None,
        })
        .collect()
}

/// What one file gave: its findings, the scripts of the tree it runs on a distro Python, and
/// its fixed text when fixes changed it.
type Checked = (Vec<Finding>, Vec<String>, Option<FixedFile>);

/// The findings of one file; `None` when it is not a kind the linter reads (or is
/// binary); a warning when it cannot be read or is too big to read. `kind_path` is the path
/// its kind and place are judged by.
fn check_file(
    path: &Path,
    relative: &str,
    kind_path: &str,
    prefilter: &Prefilter,
    fixing: &Fixing<'_>,
    buffer: &mut Vec<u8>,
) -> Result<Option<Checked>, String> {
    let kind = match kinds::by_name(kind_path) {
        Some(kind) => kind,
        None if kinds::may_have_shebang(relative) => match shebang_kind(path, relative)? {
            Some(kind) => kind,
            None => return Ok(None),
        },
        None => return Ok(None),
    };
    let unreadable = |error: std::io::Error| format!("cannot read `{relative}`: {}", error.kind());
    let mut file = fs_err::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_SIZE {
        // A file of a kind lint reads: say it was not read rather than report it clean.
        return Err(format!("`{relative}` is over {} MiB", MAX_FILE_SIZE >> 20));
    }
    let length = read_into(&mut file, usize::try_from(size).unwrap_or(0), buffer)
        .map_err(|error| error.to_string())?;
    let bytes = &buffer[..length];
    let head = &bytes[..bytes.len().min(8192)];
    if memchr::memchr(0, head).is_some() {
        return Ok(None);
    }
    let may_find = prefilter.may_find(kind, bytes);
    // A CI file that only runs the repository's scripts matters for those scripts.
    let ci = matches!(kind, Kind::GithubWorkflow | Kind::GitlabCi);
    if !ci && !may_find.any() {
        return Ok(Some((Vec::new(), Vec::new(), None)));
    }
    // Valid UTF-8 (nearly every file) is checked by the fast validator, not the lossy one.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    if !may_find.any() {
        let scripts = super::ci::called_scripts(kind, &text);
        return Ok(Some((Vec::new(), scripts, None)));
    }
    let place = kinds::place_of(kind_path);
    // A CI file is read once for its findings and the scripts it runs.
    // Each line is searched for a credential only in a file the credential prefilter
    // passes (most files a reader parses name no such URL).
    let (found, scripts) = check_in_with_scripts(kind, &text, place, may_find.credentials);
    // Text read with replacement characters is never written back.
    let writable = matches!(text, std::borrow::Cow::Borrowed(_));
    let fixable: Vec<(Rule, super::Position)> = found
        .iter()
        .filter(|(rule, _)| !fixing.ignored.contains(rule))
        .copied()
        .collect();
    let fixes = if writable {
        fix::fixes(kind, &text, &fixable)
    } else {
        Vec::new()
    };
    let findings = found
        .into_iter()
        .map(|(rule, position)| Finding {
            path: relative.to_string(),
            line: position.line,
            column: position.column,
            rule,
            message: rule.message(),
            fix: rule.fix_for(kind),
            fixable: fix::availability(&fixes, rule, position),
        })
        .collect();
    let fixed = match fixing.mode {
        FixMode::Apply(allowed) if fixes.iter().any(|fix| fix.applicability <= allowed) => {
            let after = fix::fix_text(kind, &text, place, allowed, fixing.ignored);
            (after != text).then(|| FixedFile {
                path: relative.to_string(),
                location: path.to_path_buf(),
                before: text.to_string(),
                after,
            })
        }
        _ => None,
    };
    Ok(Some((findings, scripts, fixed)))
}

/// Reads the whole of `file`, whose length was `size` when opened, into the start of
/// `buffer` and returns how many bytes it holds. The buffer has room for a byte more than
/// `size`, so a read that returns `size` bytes has met the end: one `read` per file rather
/// than a second one returning nothing. A file that grew since is read to its end.
fn read_into(file: &mut fs_err::File, size: usize, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
    if buffer.len() <= size {
        buffer.resize(size + 1, 0);
    }
    let mut filled = 0;
    loop {
        if filled == buffer.len() {
            let grown = buffer.len() * 2;
            buffer.resize(grown, 0);
        }
        match file.read(&mut buffer[filled..]) {
            Ok(0) => return Ok(filled),
            Ok(read) => {
                filled += read;
                if filled == size && filled < buffer.len() {
                    return Ok(filled);
                }
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
}

fn shebang_kind(path: &Path, relative: &str) -> Result<Option<Kind>, String> {
    let unreadable = |error: std::io::Error| format!("cannot read `{relative}`: {}", error.kind());
    let mut file = fs_err::File::open(path).map_err(unreadable)?;
    let mut head = [0u8; 128];
    let mut length = 0;
    while length < head.len() {
        match file.read(&mut head[length..]) {
            Ok(0) => break,
            Ok(read) => length += read,
            Err(error) => return Err(unreadable(error)),
        }
    }
    Ok(kinds::by_content(&head[..length]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file the credential prefilter does not pass is never searched for PB301: no text
    /// without a match may hold a finding.
    #[test]
    fn credential_findings_need_the_credential_prefilter() {
        let pieces = [
            "https://",
            "git+https://",
            "http://",
            "u",
            ":",
            "s3cr3tpass",
            "@",
            "/",
            "?",
            "&",
            "#",
            "token=",
            "TOKEN=",
            "Api_Key=",
            "sig=",
            "abc123",
            "corp.example",
            " ",
            "\"",
            "'",
            "<",
            "\n",
            "ghp_0123456789abcdefghij0123",
            "$PASSWORD",
        ];
        let prefilter = Regex::new(CREDENTIAL_PREFILTER).expect("the credential pattern is valid");
        let (mut skipped, mut found) = (0, 0);
        for text in crate::lint::random_texts(&pieces, 301, 20_000, 2..14) {
            let findings = super::super::credentials::check(&text);
            if prefilter.is_match(text.as_bytes()) {
                found += usize::from(!findings.is_empty());
            } else {
                skipped += 1;
                assert_eq!(findings, vec![], "{text:?}");
            }
        }
        assert!(
            skipped > 1000 && found > 100,
            "{skipped} skipped, {found} found"
        );
    }

    /// A `*.py` file without any of `COMMAND_FINDING`'s strings is never parsed, nor is a
    /// shell or command block of the docs: their readers must give no finding for such
    /// text, whatever else it holds.
    #[test]
    fn command_findings_need_the_command_finding_strings() {
        let pieces = [
            "subprocess.run(\"",
            "subprocess.check_call([\"",
            "os.system('",
            "vm.RemoteCommand('",
            "c.sudo(\"",
            "client.exec_command(\"",
            "pip3 install x",
            "sudo ",
            "python3 -m ",
            "pip",
            " install",
            " --user",
            " --break",
            "-system-packages",
            " --system",
            "uv ",
            "rm -f /usr/lib/python3.11/EXTERNALLY-MANAGED",
            "os.remove(\"",
            "get-pip.py",
            "curl -sS https://bootstrap.pypa.io/",
            " | python3",
            "\"\"\"#cloud-config\nruncmd:\n  - ",
            "env[\"PIP_BREAK_SYSTEM_PACKAGES\"] = \"1\"",
            "PIP_USER=1 ",
            "UV_SYSTEM_PYTHON=true ",
            "\", \"",
            "\")",
            "')",
            "\"])",
            "\n",
            " ",
        ];
        let needed = Regex::new(COMMAND_FINDING).expect("the command finding pattern is valid");
        let (mut skipped, mut found) = (0, 0);
        for text in crate::lint::random_texts(&pieces, 668, 20_000, 2..14) {
            for kind in [Kind::Python, Kind::Shell, Kind::Commands] {
                let findings = super::super::check(kind, &text);
                if needed.is_match(text.as_bytes()) {
                    found += usize::from(!findings.is_empty());
                } else {
                    skipped += 1;
                    assert_eq!(findings, vec![], "{kind:?}: {text:?}");
                }
            }
        }
        // Both sides were exercised: texts the filter skips, and texts with findings.
        assert!(
            skipped > 1000 && found > 1000,
            "{skipped} skipped, {found} found"
        );
    }
}
