//! The offline kit that `pybootstrap bundle` builds and `bootstrap.sh --offline` installs
//! from: what goes into it (`recipe`), its manifest and checksums (`manifest`), and the
//! distribution a failed download lacks (`missing`), and the venv its tools run from
//! (`venv`).

pub(crate) mod manifest;
pub(crate) mod missing;
pub(crate) mod recipe;
pub(crate) mod venv;

/// The manifest at the top of a kit: also how `bundle` recognises an earlier kit it may
/// replace, and how the bootstrap recognises a kit at all.
pub(crate) const MANIFEST_FILE: &str = "pybootstrap-kit.toml";
/// Every file of the kit with its SHA-256, in the format `sha256sum -c` reads.
pub(crate) const SUMS_FILE: &str = "SHA256SUMS";
/// The wheelhouse: pip's and uv's `--find-links`.
pub(crate) const WHEELS_DIR: &str = "wheels";
/// The pins a lock's tool exported, for sources the bootstrap installs with that tool.
pub(crate) const REQUIREMENTS_FILE: &str = "requirements.txt";
