//! `pybootstrap completions SHELL` and `pybootstrap man`: both from the clap definition.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{Error, Outcome};

pub(super) fn completions(args: &CompletionsArgs) -> Result<Outcome, Error> {
    let mut command = Cli::command();
    clap_complete::generate(
        args.shell,
        &mut command,
        "pybootstrap",
        &mut std::io::stdout(),
    );
    Ok(Outcome::Success)
}

pub(super) fn man() -> Result<Outcome, Error> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
    Ok(Outcome::Success)
}
