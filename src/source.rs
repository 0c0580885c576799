//! Where a team pack comes from: a directory, or a git repository at a ref, fetched with the
//! user's own `git` (their credentials and proxies) and cached per resolved commit, so that
//! every later run with that commit locked works offline.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::str::FromStr;

/// The manifest at the top of every pack.
pub const PACK_FILE: &str = "pack.toml";

/// The `templates` answer (or `--templates`), parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackSource {
    /// A directory holding `pack.toml`, as written: relative to the repo, or absolute.
    Directory(PathBuf),
    /// A git repository at a ref.
    Git(GitSource),
}

/// A git repository and the ref to take the pack from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitSource {
    /// How the user wrote it, so `pybootstrap.toml` and the lock keep their spelling.
    written: String,
    /// What `git fetch` is given: `https://…`, `ssh://…`, `file://…`.
    pub url: String,
    /// A tag, branch or commit; the remote's default branch when absent.
    pub reference: Option<String>,
}

/// A pack source that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("`{value}` is not a template pack source: {reason}")]
    Parse { value: String, reason: String },

    #[error("failed to fetch template pack `{source_text}`: {detail}")]
    Unreachable { source_text: String, detail: String },

    #[error("template pack `{source_text}` has no ref `{reference}`")]
    UnknownRef {
        source_text: String,
        reference: String,
    },

    #[error(
        "template pack `{source_text}` no longer has the locked commit `{commit}` (the ref now points at `{now}`)"
    )]
    LockedCommitGone {
        source_text: String,
        commit: String,
        now: String,
    },

    #[error("failed to run `git` to fetch template pack `{source_text}`")]
    Git {
        source_text: String,
        #[source]
        source: std::io::Error,
    },

    #[error("failed to cache template pack `{source_text}` in `{}`: {detail}", path.display())]
    Cache {
        source_text: String,
        path: PathBuf,
        detail: String,
    },

    #[error("template pack `{source_text}` at commit `{commit}` is invalid: {reason}")]
    Invalid {
        source_text: String,
        commit: String,
        reason: String,
    },

    #[error("there is no user cache directory to keep template pack `{source_text}` in")]
    NoCacheDir { source_text: String },
}

impl SourceError {
    /// The fix to suggest under the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Parse { .. } => Some(
                "use a directory, `git+https://host/org/pack.git@TAG`, `git+ssh://…@TAG`, `file:///path/to/repo@TAG` or `gh:org/pack@TAG`"
                    .into(),
            ),
            Self::Unreachable { .. } => Some(
                "check the address and that `git ls-remote <url>` works for you (pybootstrap fetches with your own git and credentials, without prompting)".into(),
            ),
            Self::UnknownRef { .. } => Some(
                "`git ls-remote --tags <url>` lists the tags; fix the part after `@`".into(),
            ),
            Self::LockedCommitGone { .. } => Some(
                "re-pin the pack with `pybootstrap regen --set templates=...` (it records the commit the ref has now)".into(),
            ),
            Self::Git { .. } => Some("install git, or use a directory pack".into()),
            Self::Cache { .. } => None,
            Self::Invalid { .. } => Some(format!(
                "fix the pack in its repository and tag a new version; `{PACK_FILE}` needs `name` and `version`"
            )),
            Self::NoCacheDir { .. } => {
                Some("set `XDG_CACHE_HOME` to a writable directory".into())
            }
        }
    }
}

/// Schemes `git+…` may wrap.
const GIT_SCHEMES: [&str; 5] = ["https://", "http://", "ssh://", "git://", "file://"];

impl FromStr for PackSource {
    type Err = SourceError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        let refuse = |reason: &str| {
            Err(SourceError::Parse {
                value: value.escape_debug().to_string(),
                reason: reason.to_string(),
            })
        };
        if value.is_empty() {
            return refuse("it is empty (leave `templates` out for the built-in templates)");
        }
        if value.chars().any(char::is_control) {
            return refuse("it contains a control character");
        }
        if let Some(rest) = value.strip_prefix("gh:") {
            let (repo, reference) = match rest.rsplit_once('@') {
                Some((repo, reference)) => (repo, Some(reference)),
                None => (rest, None),
            };
            let parts: Vec<&str> = repo.split('/').collect();
            let valid_part = |part: &&str| {
                !part.is_empty()
                    && !part.starts_with('.')
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            };
            if parts.len() != 2 || !parts.iter().all(valid_part) {
                return refuse("`gh:` takes `ORG/REPO` or `ORG/REPO@REF`");
            }
            let name = parts[1].strip_suffix(".git").unwrap_or(parts[1]);
            return git(
                value,
                format!("https://github.com/{}/{name}.git", parts[0]),
                reference,
            );
        }
        let url = value.strip_prefix("git+").unwrap_or(value);
        let Some(scheme_end) = url.find("://") else {
            if value.starts_with("git+") {
                return refuse(
                    "`git+` needs a URL (`git+https://…`, `git+ssh://…`, `git+file://…`)",
                );
            }
            return Ok(Self::Directory(PathBuf::from(value)));
        };
        let scheme = &url[..scheme_end + 3];
        if !GIT_SCHEMES.contains(&scheme) {
            return refuse(&format!("git cannot fetch from `{scheme}` addresses"));
        }
        if scheme != "file://" && !value.starts_with("git+") {
            return refuse(&format!("write a git repository as `git+{scheme}…`"));
        }
        // As pip does: the ref is after the last `@` of the path, so `ssh://git@host/…` keeps
        // its user and a ref may hold `/` (`release/1.4`).
        let after_scheme = &url[scheme_end + 3..];
        let path_start = after_scheme.find('/').unwrap_or(after_scheme.len());
        let (authority, path) = after_scheme.split_at(path_start);
        if scheme != "file://" && authority.is_empty() {
            return refuse("the URL names no host");
        }
        if path.trim_matches('/').is_empty() {
            return refuse("the URL names no repository");
        }
        match path.rsplit_once('@') {
            Some((repo_path, reference)) => git(
                value,
                format!("{scheme}{authority}{repo_path}"),
                Some(reference),
            ),
            None => git(value, url.to_string(), None),
        }
    }
}

/// A git source, its ref checked: git would read a ref starting with `-` as an option.
fn git(written: &str, url: String, reference: Option<&str>) -> Result<PackSource, SourceError> {
    if let Some(reference) = reference {
        let bad = reference.is_empty()
            || reference.starts_with('-')
            || reference.chars().any(|c| c.is_whitespace() || c == '\\')
            || reference.contains("..");
        if bad {
            return Err(SourceError::Parse {
                value: written.escape_debug().to_string(),
                reason: format!("`{reference}` after `@` is not a git tag, branch or commit"),
            });
        }
    }
    Ok(PackSource::Git(GitSource {
        written: written.to_string(),
        url,
        reference: reference.map(str::to_string),
    }))
}

impl fmt::Display for PackSource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Directory(dir) => write!(formatter, "{}", dir.display()),
            Self::Git(git) => formatter.write_str(&git.written),
        }
    }
}

/// A git pack checked out in the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The pack's files at `commit` (no `.git`).
    pub dir: PathBuf,
    pub commit: String,
}

/// When a git pack may be taken from the cache without asking the remote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// The locked commit, from the cache when it is there (every `regen`, `regen --check`).
    Locked,
    /// Ask the remote what the ref points at now (`--set templates=…`, `init --templates`).
    Remote,
}

impl GitSource {
    /// The pack's files at the locked commit, or at the commit the ref resolves to. Touches
    /// the network only when that commit is not cached yet or `refresh` asks the remote.
    pub fn materialize(
        &self,
        locked: Option<&str>,
        refresh: Refresh,
    ) -> Result<Fetched, SourceError> {
        let root = cache_root().ok_or_else(|| SourceError::NoCacheDir {
            source_text: self.written.clone(),
        })?;
        self.materialize_in(&root, locked, refresh)
    }

    fn materialize_in(
        &self,
        root: &Path,
        locked: Option<&str>,
        refresh: Refresh,
    ) -> Result<Fetched, SourceError> {
        let pinned = self
            .reference
            .as_deref()
            .filter(|reference| is_full_commit(reference));
        let known = match refresh {
            Refresh::Locked => locked.or(pinned),
            Refresh::Remote => pinned,
        };
        if let Some(commit) = known
            && root.join(commit).join(PACK_FILE).is_file()
        {
            return Ok(Fetched {
                dir: root.join(commit),
                commit: commit.to_string(),
            });
        }
        let cache_error = |path: &Path, detail: String| SourceError::Cache {
            source_text: self.written.clone(),
            path: path.to_path_buf(),
            detail,
        };
        fs_err::create_dir_all(root).map_err(|error| cache_error(root, error.to_string()))?;
        let scratch = tempfile::Builder::new()
            .prefix(".fetch-")
            .tempdir_in(root)
            .map_err(|error| cache_error(root, error.to_string()))?;
        let repo = scratch.path().join("repo");
        self.git(scratch.path(), &["init", "--quiet", "--template=", "repo"])?;
        let wanted = self.reference.as_deref().unwrap_or("HEAD");
        let mut commit = match self.fetch(&repo, wanted) {
            Ok(()) => self.git(&repo, &["rev-parse", "--verify", "FETCH_HEAD^{commit}"])?,
            // A tag deleted since the lock: the locked commit may still be there.
            Err(error) => match (refresh, locked) {
                (Refresh::Locked, Some(locked)) if self.fetch(&repo, locked).is_ok() => {
                    locked.to_string()
                }
                _ => return Err(error),
            },
        };
        if refresh == Refresh::Locked
            && let Some(locked) = locked
            && locked != commit
        {
            // The ref moved (or was force-pushed) since the lock: the lock still decides.
            if self.fetch(&repo, locked).is_err() {
                return Err(SourceError::LockedCommitGone {
                    source_text: self.written.clone(),
                    commit: locked.to_string(),
                    now: commit,
                });
            }
            commit = locked.to_string();
        }
        let target = root.join(&commit);
        if target.join(PACK_FILE).is_file() {
            return Ok(Fetched {
                dir: target,
                commit,
            });
        }
        self.git(
            &repo,
            &[
                "-c",
                "advice.detachedHead=false",
                "checkout",
                "--quiet",
                "--detach",
                &commit,
            ],
        )?;
        let tree = scratch.path().join("tree");
        fs_err::create_dir_all(&tree).map_err(|error| cache_error(&tree, error.to_string()))?;
        let entries: Vec<PathBuf> = fs_err::read_dir(&repo)
            .map_err(|error| cache_error(&repo, error.to_string()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.file_name().is_some_and(|name| name != ".git"))
            .collect();
        fs_extra::copy_items(&entries, &tree, &fs_extra::dir::CopyOptions::new())
            .map_err(|error| cache_error(&tree, error.to_string()))?;
        // Renamed into place whole, so a cached commit is never half there; a concurrent
        // run that got there first has put the same files in place.
        if let Err(error) = fs_err::rename(&tree, &target)
            && !target.join(PACK_FILE).is_file()
        {
            return Err(cache_error(&target, error.to_string()));
        }
        Ok(Fetched {
            dir: target,
            commit,
        })
    }

    /// `git fetch --depth 1 URL REF` into `repo`.
    fn fetch(&self, repo: &Path, reference: &str) -> Result<(), SourceError> {
        let output = self.git_output(
            repo,
            &[
                "fetch",
                "--quiet",
                "--depth",
                "1",
                "--no-tags",
                "--",
                &self.url,
                reference,
            ],
        )?;
        if output.status.success() {
            return Ok(());
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("couldn't find remote ref") || stderr.contains("not our ref") {
            return Err(SourceError::UnknownRef {
                source_text: self.written.clone(),
                reference: reference.to_string(),
            });
        }
        Err(SourceError::Unreachable {
            source_text: self.written.clone(),
            detail: reason_line(&stderr),
        })
    }

    /// Runs git in `dir` and returns its trimmed stdout; a failure is `Unreachable`.
    fn git(&self, dir: &Path, args: &[&str]) -> Result<String, SourceError> {
        let output = self.git_output(dir, args)?;
        if !output.status.success() {
            return Err(SourceError::Unreachable {
                source_text: self.written.clone(),
                detail: reason_line(&String::from_utf8_lossy(&output.stderr)),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    fn git_output(&self, dir: &Path, args: &[&str]) -> Result<std::process::Output, SourceError> {
        Command::new("git")
            .args(args)
            .current_dir(dir)
            // Never wait on a password prompt: a pack fetch runs in CI and hooks too.
            .env("GIT_TERMINAL_PROMPT", "0")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .stdin(Stdio::null())
            .output()
            .map_err(|source| SourceError::Git {
                source_text: self.written.clone(),
                source,
            })
    }
}

/// `$XDG_CACHE_HOME/pybootstrap/packs` or the OS equivalent.
fn cache_root() -> Option<PathBuf> {
    dirs::cache_dir().map(|dir| dir.join("pybootstrap").join("packs"))
}

fn is_full_commit(reference: &str) -> bool {
    reference.len() == 40 && reference.chars().all(|c| c.is_ascii_hexdigit())
}

/// The line of git's stderr that carries the reason: its first `fatal:` line, else its
/// first line.
fn reason_line(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    lines
        .iter()
        .find_map(|line| line.strip_prefix("fatal: "))
        .or(lines.first().copied())
        .unwrap_or("git failed")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git_source(value: &str) -> (String, Option<String>) {
        match value.parse::<PackSource>() {
            Ok(PackSource::Git(git)) => (git.url, git.reference),
            other => panic!("{value}: {other:?}"),
        }
    }

    #[test]
    fn git_sources_split_url_and_ref() {
        let rows = [
            (
                "git+https://git.example.com/org/pack.git@v1.4",
                "https://git.example.com/org/pack.git",
                Some("v1.4"),
            ),
            (
                "git+ssh://git@github.com/org/pack.git@release/1.4",
                "ssh://git@github.com/org/pack.git",
                Some("release/1.4"),
            ),
            (
                "git+ssh://git@github.com/org/pack.git",
                "ssh://git@github.com/org/pack.git",
                None,
            ),
            (
                "file:///srv/packs/acme@v2",
                "file:///srv/packs/acme",
                Some("v2"),
            ),
            ("git+file:///srv/packs/acme", "file:///srv/packs/acme", None),
            (
                "gh:acme/python-pack@v1.4",
                "https://github.com/acme/python-pack.git",
                Some("v1.4"),
            ),
            ("gh:acme/pack.git", "https://github.com/acme/pack.git", None),
        ];
        for (value, url, reference) in rows {
            assert_eq!(
                git_source(value),
                (url.to_string(), reference.map(str::to_string)),
                "{value}"
            );
            assert_eq!(
                value.parse::<PackSource>().expect("parses").to_string(),
                value
            );
        }
    }

    #[test]
    fn other_values_are_directories() {
        for value in ["pack", "../packs/acme", "/srv/packs/acme", "packs/a@b"] {
            assert_eq!(
                value.parse::<PackSource>().expect("parses"),
                PackSource::Directory(PathBuf::from(value))
            );
        }
    }

    #[test]
    fn refused_sources_say_why() {
        let rows = [
            ("", "empty"),
            ("pack\n", "control"),
            ("https://example.com/pack.git", "git+https://"),
            ("git+ftp://example.com/pack", "ftp://"),
            ("git+pack", "needs a URL"),
            ("git+https:///pack", "no host"),
            ("git+https://example.com/", "no repository"),
            ("gh:acme", "ORG/REPO"),
            ("gh:acme/pack/extra@v1", "ORG/REPO"),
            ("gh:acme/pack@", "not a git tag"),
            ("gh:acme/pack@--upload-pack=x", "not a git tag"),
            ("git+https://example.com/pack.git@a b", "not a git tag"),
        ];
        for (value, reason) in rows {
            let error = value.parse::<PackSource>().expect_err(value).to_string();
            assert!(error.contains(reason), "{value}: {error}");
        }
    }

    #[test]
    fn a_cached_locked_commit_needs_no_git() {
        let cache = tempfile::tempdir().expect("tempdir");
        let commit = "0123456789abcdef0123456789abcdef01234567";
        fs_err::create_dir_all(cache.path().join(commit)).expect("mkdir");
        fs_err::write(cache.path().join(commit).join(PACK_FILE), "").expect("write");
        let PackSource::Git(source) = "git+https://invalid.invalid/pack.git@v1"
            .parse::<PackSource>()
            .expect("parses")
        else {
            panic!("not git");
        };
        let fetched = source
            .materialize_in(cache.path(), Some(commit), Refresh::Locked)
            .expect("from the cache");
        assert_eq!(fetched.commit, commit);
        // Asking the remote does go to the (unreachable) network.
        assert!(matches!(
            source.materialize_in(cache.path(), Some(commit), Refresh::Remote),
            Err(SourceError::Unreachable { .. })
        ));
    }
}
