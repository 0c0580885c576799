//! The kit's manifest (`pybootstrap-kit.toml`: what it holds, for which Pythons and
//! platforms, from which answers and lock) and its checksums (`SHA256SUMS`, in the format
//! `sha256sum -c` and `shasum -a 256 -c` read, which is how the bootstrap checks a kit).

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{MANIFEST_FILE, SUMS_FILE};

/// Bumped when a kit's layout changes in a way an older bootstrap would misread.
pub(crate) const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub(crate) format: u32,
    /// `pybootstrap 0.1.0`.
    pub(crate) created_by: String,
    pub(crate) project: String,
    /// `3.N`, oldest first.
    pub(crate) pythons: Vec<String>,
    /// pip's platform tags; the first tag of this machine when none was asked for.
    pub(crate) platforms: Vec<String>,
    /// The index the wheels came from; `""` for pip's own default (or its configuration).
    pub(crate) index_url: String,
    /// The SHA-256 of `pybootstrap.toml` the kit was built from.
    pub(crate) answers_sha256: String,
    pub(crate) deps: DepsRecord,
    /// What the kit may lack, said when it was made (a target Python this machine did not
    /// have to resolve on).
    pub(crate) notes: Vec<String>,
    /// Each file of the kit with its SHA-256 (also in `SHA256SUMS`), sorted by path.
    pub(crate) files: Vec<FileRecord>,
}

/// What the answers say gets installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DepsRecord {
    pub(crate) source: String,
    pub(crate) files: Vec<String>,
    pub(crate) extras: Vec<String>,
    pub(crate) groups: Vec<String>,
    /// The lock file and its SHA-256, for the sources installed from one.
    pub(crate) lock: Option<String>,
    pub(crate) lock_sha256: Option<String>,
    /// The project's own wheel, under `wheels/`, when the bootstrap installs the project.
    pub(crate) project_wheel: Option<String>,
    /// The tools and extra requirements included (`uv==0.13.9`, `pip>=25.1`, ...).
    pub(crate) tools: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileRecord {
    pub(crate) path: String,
    pub(crate) sha256: String,
}

/// Why a kit's checksums do not hold.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum SumsError {
    #[error("`{SUMS_FILE}` line {line} is not `SHA256  PATH`")]
    Malformed { line: usize },
    #[error("`{path}` is listed in `{SUMS_FILE}` and missing from the kit")]
    Missing { path: String },
    #[error("`{path}` does not match its SHA-256 in `{SUMS_FILE}`: the kit was changed or damaged")]
    Mismatch { path: String },
    #[error("`{SUMS_FILE}` lists `{path}`, which is outside the kit")]
    Outside { path: String },
}

/// The SHA-256 of `bytes`, as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// `SHA256SUMS` for `files`: one `HEX  PATH` line each (two spaces: text mode, which both
/// GNU `sha256sum -c` and `shasum -c` read), sorted by path.
pub(crate) fn sums_text(files: &[FileRecord]) -> String {
    let mut sorted: Vec<&FileRecord> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    sorted
        .iter()
        .map(|file| format!("{}  {}\n", file.sha256, file.path))
        .collect()
}

/// The `(path, hex)` entries of a `SHA256SUMS` text; paths stay inside the kit.
pub(crate) fn parse_sums(text: &str) -> Result<Vec<FileRecord>, SumsError> {
    let mut files = Vec::new();
    for (at, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let malformed = || SumsError::Malformed { line: at + 1 };
        let (hex, path) = line.split_once(' ').ok_or_else(malformed)?;
        // `HEX  PATH` (text) or `HEX *PATH` (binary mode).
        let path = path
            .strip_prefix(' ')
            .or_else(|| path.strip_prefix('*'))
            .ok_or_else(malformed)?;
        if hex.len() != 64 || !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) || path.is_empty() {
            return Err(malformed());
        }
        let inside = Path::new(path)
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
        if !inside {
            return Err(SumsError::Outside {
                path: path.to_string(),
            });
        }
        files.push(FileRecord {
            path: path.to_string(),
            sha256: hex.to_ascii_lowercase(),
        });
    }
    Ok(files)
}

/// Checks every file `SHA256SUMS` lists in the kit at `dir`: the check the bootstrap does
/// with `sha256sum -c`, run by `bundle` on the kit it has just written.
pub(crate) fn verify(dir: &Path) -> Result<Result<(), SumsError>, std::io::Error> {
    let text = fs_err::read_to_string(dir.join(SUMS_FILE))?;
    let files = match parse_sums(&text) {
        Ok(files) => files,
        Err(error) => return Ok(Err(error)),
    };
    for file in files {
        let path = dir.join(&file.path);
        if !path.is_file() {
            return Ok(Err(SumsError::Missing { path: file.path }));
        }
        if sha256_hex(&fs_err::read(&path)?) != file.sha256 {
            return Ok(Err(SumsError::Mismatch { path: file.path }));
        }
    }
    Ok(Ok(()))
}

impl Manifest {
    /// The manifest as written to `pybootstrap-kit.toml`.
    pub(crate) fn to_toml(&self) -> String {
        let body = toml::to_string_pretty(self).unwrap_or_default();
        format!(
            "# An offline kit made by `pybootstrap bundle`: install from it with\n# `./scripts/bootstrap.sh --offline DIR`. `{SUMS_FILE}` has every file's SHA-256.\n{body}"
        )
    }

    /// Reads the manifest of the kit at `dir`, `None` when `dir` holds no kit.
    pub(crate) fn read(dir: &Path) -> Option<Self> {
        let text = fs_err::read_to_string(dir.join(MANIFEST_FILE)).ok()?;
        toml::from_str(&text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, contents: &[u8]) -> FileRecord {
        FileRecord {
            path: path.into(),
            sha256: sha256_hex(contents),
        }
    }

    #[test]
    fn the_sums_are_what_sha256sum_prints_sorted_by_path() {
        let text = sums_text(&[
            record("wheels/b.whl", b"b"),
            record("requirements.txt", b""),
        ]);
        assert_eq!(
            text,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  requirements.txt\n\
             3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  wheels/b.whl\n"
        );
        assert_eq!(parse_sums(&text).expect("parses").len(), 2);
    }

    #[test]
    fn sums_lines_are_checked_and_stay_inside_the_kit() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            parse_sums(&format!("{hex} *wheels/a.whl\n")).expect("binary mode parses")[0].path,
            "wheels/a.whl"
        );
        assert_eq!(
            parse_sums("abc  wheels/a.whl\n"),
            Err(SumsError::Malformed { line: 1 })
        );
        assert_eq!(
            parse_sums(&format!("\n{hex}wheels/a.whl\n")),
            Err(SumsError::Malformed { line: 2 })
        );
        for path in ["../a.whl", "/etc/passwd", "wheels/../../a"] {
            assert_eq!(
                parse_sums(&format!("{hex}  {path}\n")),
                Err(SumsError::Outside { path: path.into() })
            );
        }
    }

    #[test]
    fn verify_names_the_missing_and_the_changed_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = [
            record("wheels/a.whl", b"a"),
            record("requirements.txt", b"r"),
        ];
        fs_err::create_dir_all(dir.path().join("wheels")).expect("mkdir");
        fs_err::write(dir.path().join("wheels/a.whl"), b"a").expect("write");
        fs_err::write(dir.path().join("requirements.txt"), b"r").expect("write");
        fs_err::write(dir.path().join(SUMS_FILE), sums_text(&files)).expect("write");
        assert_eq!(verify(dir.path()).expect("reads"), Ok(()));
        fs_err::write(dir.path().join("requirements.txt"), b"changed").expect("write");
        assert_eq!(
            verify(dir.path()).expect("reads"),
            Err(SumsError::Mismatch {
                path: "requirements.txt".into()
            })
        );
        fs_err::write(dir.path().join("requirements.txt"), b"r").expect("write");
        fs_err::remove_file(dir.path().join("wheels/a.whl")).expect("remove");
        assert_eq!(
            verify(dir.path()).expect("reads"),
            Err(SumsError::Missing {
                path: "wheels/a.whl".into()
            })
        );
    }

    #[test]
    fn the_manifest_reads_back_as_written() {
        let manifest = Manifest {
            format: FORMAT,
            created_by: "pybootstrap 0.1.0".into(),
            project: "demo".into(),
            pythons: vec!["3.11".into(), "3.12".into()],
            platforms: vec!["manylinux2014_x86_64".into()],
            index_url: String::new(),
            answers_sha256: sha256_hex(b"answers"),
            deps: DepsRecord {
                source: "uv-lock".into(),
                files: vec![],
                extras: vec![],
                groups: vec!["dev".into()],
                lock: Some("uv.lock".into()),
                lock_sha256: Some(sha256_hex(b"lock")),
                project_wheel: Some("demo-0.1.0-py3-none-any.whl".into()),
                tools: vec!["uv==0.13.9".into()],
            },
            notes: vec![],
            files: vec![record("wheels/demo-0.1.0-py3-none-any.whl", b"w")],
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let text = manifest.to_toml();
        assert!(text.starts_with("# An offline kit"), "{text}");
        fs_err::write(dir.path().join(MANIFEST_FILE), text).expect("write");
        assert_eq!(Manifest::read(dir.path()), Some(manifest));
        assert_eq!(Manifest::read(&dir.path().join("nothing")), None);
    }
}
