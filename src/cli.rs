//! The command line, as clap definitions: the doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Detect PEP 668 externally managed Pythons, and write a venv bootstrap that never installs
/// system-wide.
#[derive(Debug, Parser)]
#[command(name = "pybootstrap", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    #[command(flatten)]
    pub global: GlobalArgs,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// When to use colour (`NO_COLOR` turns `auto` off).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Print only results and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print more about what is happening.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tell, for every Python on this machine, whether pip will refuse to install into it
    /// (PEP 668), why, and what to do instead.
    #[command(visible_alias = "doctor")]
    Detect(DetectArgs),

    /// Find every place in a repository that would install into a system Python or switch
    /// PEP 668 off: Dockerfiles, CI files, scripts, Makefiles, tox/nox files, pip config,
    /// requirement files and documentation code blocks.
    ///
    /// Exits 1 when there are findings, each printed as `path:line:col: RULE message` with
    /// its fix. Silence one with a `pybootstrap: ignore[PB101]` comment on its line or the
    /// line above, or skip rules and paths with `[lint] ignore = [...]` in
    /// `pybootstrap.toml`.
    Lint(LintArgs),
}

#[derive(Debug, Args)]
pub struct DetectArgs {
    /// Check this interpreter (repeatable); replaces the search of `PATH`.
    #[arg(long = "python", value_name = "PATH")]
    pub pythons: Vec<PathBuf>,

    /// Also check pyenv, uv-managed, Homebrew and `/usr/local/bin` Pythons.
    #[arg(long)]
    pub all: bool,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,

    /// Probe every interpreter again instead of reading the cache.
    #[arg(long)]
    pub no_cache: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The directory (or file) to lint; paths in the output are relative to it.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}
