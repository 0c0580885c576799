//! The command line, as clap definitions: the doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::answers::{Choice, Provider};
use crate::render::PackSource;

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
    Detect(DetectArgs),

    /// Check the package index on this machine: DNS, TCP, the proxy in use, whether TLS
    /// verifies with the system store, certifi and `network.ca_bundle`, who signed the
    /// certificate, and the settings that override the answers; ends with one sentence
    /// naming the cause and the fix. Exits 0 whatever it finds (`--json` has `ok`).
    Doctor(DoctorArgs),

    /// Write a team-standard bootstrap into a repository: venv scripts, Makefile targets,
    /// CI, contributor docs, and the answers in `pybootstrap.toml`.
    Init(InitArgs),

    /// Re-render the generated files from `pybootstrap.toml`, keeping hand edits (3-way
    /// merge); `--check` fails when the repo has drifted.
    Regen(RegenArgs),

    /// List, show or export the templates (an export is the starting point of a team pack).
    #[command(subcommand)]
    Templates(TemplatesCommand),

    /// Print the steps to paste into a pipeline pybootstrap does not write (GitHub, GitLab,
    /// Azure, CircleCI, Bitbucket) or a Dockerfile stage, from the same answers.
    Snippet(SnippetArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = COMPLETIONS_AFTER_HELP)]
    Completions(CompletionsArgs),

    /// Print the man page (roff), or write it and one page per command into a directory.
    Man(ManArgs),

    /// Find every place in a repository that would install into a system Python or switch
    /// PEP 668 off: Dockerfiles, CI files, scripts, Makefiles, tox/nox files, pip config,
    /// requirement files and documentation code blocks.
    ///
    /// Each finding is printed as `path:line:col: RULE message` with its fix; `[*]` after
    /// the rule means `--fix` rewrites it, `[~]` that `--fix --unsafe-fixes` does. Exits 1
    /// while any finding remains (after `--fix`, what it did not fix), 0 when none does.
    /// Silence one with a `pybootstrap: ignore[PB101]` comment on its line or the line
    /// above, or skip rules and paths with `[lint] ignore = [...]` in `pybootstrap.toml`.
    Lint(LintArgs),

    /// Build an offline kit: the wheels the bootstrap would install for the answers (the
    /// locked or resolved dependencies, the project's own wheel, the tools it fetches), with
    /// a manifest and SHA-256 checksums, for `bootstrap.sh --offline DIR` on a machine with
    /// no index.
    ///
    /// pip, and the lock's own tool to export the lock, run in venvs pybootstrap makes and
    /// deletes, never system-wide. Wheels only: a dependency with no wheel for a chosen
    /// Python and platform stops the build and is named.
    Bundle(BundleArgs),
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    /// The directory the kit goes into: created, or replaced (once the new kit is complete)
    /// when it holds an earlier kit; a directory with other files in it is refused.
    #[arg(value_name = "DIR", required_unless_present = "archive")]
    pub dir: Option<PathBuf>,

    /// Also (or, without DIR, only) pack the kit into this one `.tar.gz` archive.
    #[arg(long, value_name = "FILE")]
    pub archive: Option<PathBuf>,

    /// A Python version the kit is for (repeatable; default: the answers' `python.versions`).
    #[arg(long = "python", value_name = "3.N")]
    pub pythons: Vec<String>,

    /// A platform tag the kit is for, as pip's `--platform` takes it (repeatable), e.g.
    /// `manylinux2014_x86_64`, `win_amd64`, `macosx_11_0_arm64` (default: this machine's).
    #[arg(long = "platform", value_name = "TAG")]
    pub platforms: Vec<String>,

    /// The package index to download from (default: the answers' `network.index`, else the
    /// one pip would use).
    #[arg(long, value_name = "URL")]
    pub index_url: Option<String>,

    /// The repository whose `pybootstrap.toml` to read, or a directory inside it (default:
    /// the current directory).
    #[arg(long, value_name = "DIR")]
    pub project: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// The repository, or a directory inside it, whose `network.*` answers are checked
    /// (default: the current directory; without a `pybootstrap.toml`, PyPI is checked).
    pub dir: Option<PathBuf>,

    /// Check this index URL instead of the answers' (`network.index` and
    /// `network.extra_indexes`).
    #[arg(long, value_name = "URL")]
    pub index: Option<String>,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
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
pub struct InitArgs {
    /// The repository to set up (default: the current directory; created if missing).
    pub dir: Option<PathBuf>,

    /// Ask nothing: take the defaults (what the repo and this machine say) and `--set`s.
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Set an answer, with the dotted keys of `pybootstrap.toml` (repeatable), e.g.
    /// `--set python.versions=3.12,3.13 --set env.backend=uv`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = SetParser, hide_possible_values = true)]
    pub sets: Vec<String>,

    /// Print the plan (one line per file), write nothing; `--diff` or `-v` adds the diffs.
    #[arg(long)]
    pub dry_run: bool,

    /// With `--dry-run`: print every change's diff after the plan.
    #[arg(long, requires = "dry_run")]
    pub diff: bool,

    /// Overwrite files pybootstrap did not write, and hand edits, instead of refusing or merging.
    #[arg(long)]
    pub force: bool,

    /// Take the default Python version from this interpreter instead of `python3` on `PATH`.
    #[arg(long, value_name = "PATH")]
    pub python: Option<PathBuf>,

    /// Use this team template pack (saved as the `templates` answer): a directory, or a git
    /// source such as `git+https://host/org/pack.git@v1.4` or `gh:org/pack@v1.4`.
    #[arg(long, value_name = "SOURCE")]
    pub templates: Option<PackSource>,
}

#[derive(Debug, Args)]
pub struct RegenArgs {
    /// The repository, or a directory inside it: `pybootstrap.toml` is looked for there and
    /// upward to the repository root (default: the current directory).
    pub dir: Option<PathBuf>,

    /// Write nothing; exit 1 with a diff when regen would change a file.
    #[arg(long)]
    pub check: bool,

    /// With `--check`, also fail on files edited by hand.
    #[arg(long, requires = "check")]
    pub strict: bool,

    /// Only these groups (repeatable).
    #[arg(long, value_name = "GROUP", value_enum)]
    pub only: Vec<crate::render::Group>,

    /// Overwrite hand edits and delete edited orphans instead of merging and keeping them.
    #[arg(long)]
    pub force: bool,

    /// Print the plan and the diffs, write nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Change an answer before re-rendering (saved to `pybootstrap.toml`), e.g.
    /// `--set python.versions=3.12,3.13`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = SetParser, hide_possible_values = true)]
    pub sets: Vec<String>,

    /// Print the plan as JSON, write nothing (as `--dry-run`).
    #[arg(long)]
    pub json: bool,

    /// With `--json`: write the files too, and print what was written as JSON.
    #[arg(long, requires = "json", conflicts_with_all = ["check", "dry_run"])]
    pub write: bool,
}

#[derive(Debug, Args)]
pub struct SnippetArgs {
    /// Where the steps go.
    #[arg(value_enum)]
    pub provider: SnippetProvider,

    /// The repository whose `pybootstrap.toml` to read, or a directory inside it (default:
    /// the current directory; without one, the defaults `init --yes` would use).
    pub dir: Option<PathBuf>,

    /// Change an answer for this snippet only (not saved), e.g. `--set python.versions=3.13`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = SetParser, hide_possible_values = true)]
    pub sets: Vec<String>,

    /// The base image of the `docker` stage (default: `python:<newest version>-slim`).
    #[arg(long, value_name = "IMAGE")]
    pub image: Option<String>,
}

/// A pipeline or container format `snippet` prints steps for: a CI provider pybootstrap
/// writes pipelines for, or one it only prints steps for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnippetProvider {
    /// Its provider module says its help line and template.
    Ci(Provider),
    /// Steps for an Azure Pipelines job's `steps:`.
    Azure,
    /// A CircleCI job, for `jobs:`.
    Circleci,
    /// A Bitbucket Pipelines step.
    Bitbucket,
    /// A Dockerfile stage with the environment at `/opt/venv` on `PATH`.
    Docker,
}

impl SnippetProvider {
    /// The targets that are not a CI provider, with their names, help lines and templates.
    const OTHERS: [(Self, &'static str, &'static str, &'static str); 4] = [
        (
            Self::Azure,
            "azure",
            "Steps for an Azure Pipelines job's `steps:`",
            "azure.yml",
        ),
        (
            Self::Circleci,
            "circleci",
            "A CircleCI job, for `jobs:`",
            "circleci.yml",
        ),
        (
            Self::Bitbucket,
            "bitbucket",
            "A Bitbucket Pipelines step",
            "bitbucket.yml",
        ),
        (
            Self::Docker,
            "docker",
            "A Dockerfile stage with the environment at `/opt/venv` on `PATH`",
            "Dockerfile",
        ),
    ];

    /// Its name on the command line, its `--help` line, and its template under
    /// `templates/snippets/`.
    pub(crate) fn describe(self) -> (&'static str, &'static str, &'static str) {
        if let Self::Ci(provider) = self {
            let ci = provider.ci();
            // Only a provider with a snippet is offered (`value_variants`).
            let (help, template) = ci.snippet().map_or(("", ""), |s| (s.help, s.template));
            return (ci.name(), help, template);
        }
        Self::OTHERS
            .into_iter()
            .find(|(target, ..)| *target == self)
            .map_or(("", "", ""), |(_, name, help, template)| {
                (name, help, template)
            })
    }
}

impl ValueEnum for SnippetProvider {
    fn value_variants<'a>() -> &'a [Self] {
        static ALL: std::sync::LazyLock<Vec<SnippetProvider>> = std::sync::LazyLock::new(|| {
            Provider::ALL
                .iter()
                .filter(|provider| provider.ci().snippet().is_some())
                .map(|provider| SnippetProvider::Ci(*provider))
                .chain(SnippetProvider::OTHERS.map(|(target, ..)| target))
                .collect()
        });
        &ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let (name, help, _) = self.describe();
        Some(clap::builder::PossibleValue::new(name).help(help))
    }
}

/// Where each shell's script goes, under `completions --help`: the lines are a table, which
/// clap would rewrap as a doc comment.
const COMPLETIONS_AFTER_HELP: &str = "\
The script goes where the shell loads completions from:

  bash        pybootstrap completions bash > ~/.local/share/bash-completion/completions/pybootstrap
  zsh         pybootstrap completions zsh > ~/.zfunc/_pybootstrap
              (with `fpath+=~/.zfunc` before `compinit` in ~/.zshrc)
  fish        pybootstrap completions fish > ~/.config/fish/completions/pybootstrap.fish
  powershell  pybootstrap completions powershell >> $PROFILE
  elvish      pybootstrap completions elvish >> ~/.config/elvish/rc.elv

`--set <TAB>` (init, regen, snippet) offers the answer keys (`python.versions=`, ...).";

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `pybootstrap.1` and a page per command (`pybootstrap-detect.1`, ...) into
    /// this directory (created if missing) instead of printing the one page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// `--set KEY=VALUE`: any text here (the answers check it, with their own messages); shell
/// completion offers `KEY=` for every answer key. A `PossibleValuesParser` would refuse
/// every `KEY=VALUE`, since it accepts only the listed strings whole.
#[derive(Debug, Clone, Copy)]
pub struct SetParser;

/// `KEY=` for every answer key; `ci.actions.` for the table set one action at a time.
static SET_PREFIXES: std::sync::LazyLock<Vec<(String, &'static str)>> =
    std::sync::LazyLock::new(|| {
        crate::answers::keys()
            .iter()
            .map(|info| {
                let prefix = if info.key == "ci.actions" {
                    "ci.actions.".to_string()
                } else {
                    format!("{}=", info.key)
                };
                (prefix, info.help)
            })
            .collect()
    });

impl clap::builder::TypedValueParser for SetParser {
    type Value = String;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(command, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(SET_PREFIXES.iter().map(|(prefix, help)| {
            clap::builder::PossibleValue::new(prefix.as_str()).help(*help)
        })))
    }
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// List the built-in templates and a pack's, with the group each belongs to.
    List {
        /// The pack to list as well, a directory or a git source (default: the `templates`
        /// answer of the repository's `pybootstrap.toml`).
        #[arg(long, value_name = "SOURCE")]
        templates: Option<PackSource>,
    },
    /// Print a template's source.
    Show {
        /// The template's id, as `templates list` prints it (e.g. `scripts/bootstrap.sh`).
        name: String,
        /// Look in this pack first, a directory or a git source (default: the `templates`
        /// answer of the repository's `pybootstrap.toml`).
        #[arg(long, value_name = "SOURCE")]
        templates: Option<PackSource>,
    },
    /// Write a small pack into DIR: a commented `pack.toml` and one template that extends a
    /// built-in and overrides one block (`--full` copies every built-in template instead).
    Export {
        /// Where the new pack goes (created if missing).
        dir: PathBuf,
        /// Overwrite files that already exist in DIR.
        #[arg(long)]
        force: bool,
        /// Copy every built-in template, to replace them whole (a fork to keep up to date).
        #[arg(long)]
        full: bool,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("fixing").args(["fix", "diff"])))]
pub struct LintArgs {
    /// The directory (or file) to lint; paths in the output are relative to it (default: the
    /// repository whose `pybootstrap.toml` is found from here, else the current directory).
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,

    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,

    /// Apply the safe fixes in place, then report what remains.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,

    /// With `--fix` or `--diff`: apply the unsafe fixes too (they change what a job, image
    /// or script does; review them).
    #[arg(long, requires = "fixing")]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff and write nothing.
    #[arg(long, conflicts_with = "json")]
    pub diff: bool,
}
