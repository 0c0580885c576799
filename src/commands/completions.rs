//! `pybootstrap completions SHELL` and `pybootstrap man`: both from the clap definition.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
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

pub(super) fn man(args: &ManArgs) -> Result<Outcome, Error> {
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    match &args.dir {
        Some(dir) => {
            fs_err::create_dir_all(dir)?;
            write_pages(&command, dir)?;
        }
        None => std::io::stdout().write_all(&one_page(&command)?)?,
    }
    Ok(Outcome::Success)
}

/// The page of `command` and of each of its subcommands, as `clap_mangen` names them
/// (`pybootstrap-templates-list.1`), so every page a page refers to exists.
fn write_pages(command: &clap::Command, dir: &std::path::Path) -> Result<(), Error> {
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        write_pages(sub, dir)?;
    }
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render(&mut page)?;
    fs_err::write(dir.join(man.get_filename()), page)?;
    Ok(())
}

/// The printed page: clap_mangen's sections, except that the commands are listed as
/// `pybootstrap detect` with their help line. Its own list names `pybootstrap-detect(1)`
/// and the like, pages that one printed page cannot bring along.
fn one_page(command: &clap::Command) -> Result<Vec<u8>, Error> {
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    let mut commands = String::from(".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        commands.push_str(&format!(
            ".TP\n\\fBpybootstrap {}\\fR\n{}\n",
            roff(sub.get_name()),
            roff(&about.replace('\n', " "))
        ));
    }
    commands.push_str(
        ".PP\nEach command's options: \\fBpybootstrap\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR, \
         or the pages \\fBpybootstrap man \\-\\-dir\\fR \\fIDIR\\fR writes.\n",
    );
    page.extend_from_slice(commands.as_bytes());
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// `text` as roff body text: backslashes and hyphens escaped, and a leading `.` or `'`
/// (which roff would read as a request) guarded.
fn roff(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_text_cannot_start_a_request() {
        assert_eq!(roff(".venv"), "\\&.venv");
        assert_eq!(roff("'x"), "\\&'x");
        assert_eq!(roff("a-b \\ c"), "a\\-b \\e c");
    }
}
