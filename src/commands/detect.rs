//! `pybootstrap detect`: pip's PEP 668 verdict for every Python on the machine, with the
//! advice that fits each one.

use std::collections::HashSet;
use std::path::PathBuf;

use serde::Serialize;

use crate::cli::DetectArgs;
use crate::error::{Error, Outcome};
use crate::output::{Printer, Style};
use crate::platform::{self, Platform};
use crate::progress::Progress;
use crate::python::discover::{self, Origin, Search};
use crate::python::inherited;
use crate::python::inspect::{self, Inspected};
use crate::python::next_steps::{Tools, next_steps};
use crate::python::pip_config::EnvView;
use crate::python::probe::ProbeFailure;
use crate::python::verdict::{self, InterpreterReport};

/// `detect --json`: the spec's schema 1.
#[derive(Serialize)]
struct DetectJson<'a> {
    schema: u32,
    platform: &'a Platform,
    interpreters: &'a [InterpreterReport],
    tools: &'a Tools,
}

pub(super) fn run(args: &DetectArgs, printer: &Printer) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir()?;
    let path_var = std::env::var_os("PATH");
    let virtual_env = std::env::var_os("VIRTUAL_ENV");
    let home = dirs::home_dir();
    let candidates = discover::discover(&Search {
        pythons: &args.pythons,
        all: args.all,
        path_var: path_var.as_deref(),
        virtual_env: virtual_env.as_deref(),
        home: home.as_deref(),
        cwd: &cwd,
    });
    if let Some(missing) = discover::missing_flag(&candidates) {
        return Err(Error::PythonMissing {
            path: missing.path.clone(),
        });
    }
    let probing = Progress::start(printer, &format!("probing Pythons ({})…", candidates.len()));
    let (inspected, skipped) = inspect::inspect(candidates, &cwd, !args.no_cache);
    probing.finish();
    if printer.verbose {
        for skip in skipped {
            printer.note(&format!(
                "skipped `{}`: {}",
                skip.candidate.path.display(),
                skip.why
            ));
        }
    }

    let env = EnvView::from_process();
    let mut reports = Vec::new();
    let mut seen = HashSet::new();
    for Inspected {
        candidate,
        real_path,
        result,
    } in inspected
    {
        let report = match result {
            Ok(facts) => verdict::assess(&candidate.path, real_path.clone(), facts, &env),
            Err(ProbeFailure::NotAPython(detail)) if candidate.origin == Origin::Flag => {
                return Err(Error::NotAPython {
                    path: candidate.path,
                    detail,
                });
            }
            Err(failure) => verdict::failed(&candidate.path, real_path.clone(), &failure),
        };
        // One entry per interpreter: the same file with the same prefix is the same Python.
        let identity = real_path.unwrap_or_else(|| report.path.clone());
        if seen.insert((identity, report.prefix.clone())) {
            reports.push(report);
        }
    }

    check_inherited(&mut reports);

    let platform = platform::detect();
    let tools = Tools {
        pipx: discover::find_executable("pipx", path_var.as_deref()),
        uv: discover::find_executable("uv", path_var.as_deref()),
    };
    if args.json {
        let json = DetectJson {
            schema: 1,
            platform: &platform,
            interpreters: &reports,
            tools: &tools,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(std::io::Error::other)?
        );
    } else {
        print_human(&reports, &platform, &tools, printer);
    }
    Ok(Outcome::Success)
}

/// With `PYTHONHOME` or `PYTHONPATH` set, starts each interpreter that answered the
/// (isolated) probe once more the way the user's shell would, in parallel, and records how
/// it fails: the verdict must not say "pip installs here" when `python -m pip` dies.
fn check_inherited(reports: &mut [InterpreterReport]) {
    let set = inherited::set_in(
        std::env::vars_os()
            .filter_map(|(key, value)| Some((key.into_string().ok()?, value.into_string().ok()?)))
            .collect::<Vec<_>>()
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str())),
    );
    if set.is_empty() {
        return;
    }
    let failures: Vec<Option<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = reports
            .iter()
            .map(|report| {
                let has_pip = report.pip.is_some();
                report
                    .facts
                    .is_some()
                    .then(|| scope.spawn(move || inherited::failure(&report.path, has_pip)))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.and_then(|handle| handle.join().ok().flatten()))
            .collect()
    });
    for (report, failure) in reports.iter_mut().zip(failures) {
        if let Some(cause) = failure {
            report.warnings.push(inherited::describe(&set, &cause));
            report.inherited_failure = Some(cause);
        }
    }
}

fn print_human(
    reports: &[InterpreterReport],
    platform: &Platform,
    tools: &Tools,
    printer: &Printer,
) {
    let distro = match (&platform.distro_id, &platform.distro_version) {
        (Some(id), Some(version)) => format!("{id} {version}"),
        (Some(id), None) => id.clone(),
        _ => platform.os.clone(),
    };
    let manager = platform
        .package_manager
        .map_or("unknown package manager".to_string(), |pm| {
            serde_json::to_value(pm)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        });
    let tool = |name: &str, path: &Option<PathBuf>| match path {
        Some(p) => format!("{name} {}", p.display()),
        None => format!("{name} not found"),
    };
    println!(
        "{} {distro} ({manager}); {}; {}",
        printer.paint(Style::Bold, "platform:"),
        tool("pipx", &tools.pipx),
        tool("uv", &tools.uv)
    );
    for warning in &platform.warnings {
        println!("  {} {warning}", printer.paint(Style::Warn, "warning:"));
    }
    if reports.is_empty() {
        println!(
            "\nno Python interpreter found on PATH; pass one with `--python PATH`, or add `--all`"
        );
    }
    for report in reports {
        println!();
        let name = match (&report.implementation, &report.version) {
            (Some(implementation), Some(version)) => {
                format!("{} {version}", display_implementation(implementation))
            }
            _ => "did not answer the probe".to_string(),
        };
        let runs = match &report.real_path {
            Some(real) if *real != report.path => format!(" → {}", real.display()),
            _ => String::new(),
        };
        println!(
            "{}{runs} ({name})",
            printer.paint(Style::Bold, &report.path.display().to_string())
        );
        if report.inherited_failure.is_some() {
            println!(
                "  {}",
                printer.paint(
                    Style::Bad,
                    "broken in this environment: `python -m pip` dies here (see the warning)"
                )
            );
            println!(
                "  without those variables: {}",
                verdict_line(report, printer)
            );
        } else {
            println!("  {}", verdict_line(report, printer));
        }
        if let (Some(message), true) = (&report.message, report.externally_managed == Some(true)) {
            let key = report
                .message_key
                .as_deref()
                .unwrap_or("pip's default text");
            let mut lines = message.lines();
            let first = lines.next().unwrap_or_default();
            println!("  pip says ({key}): {first}");
            let rest: Vec<&str> = lines.collect();
            if printer.verbose {
                for line in rest {
                    println!("    {line}");
                }
            } else if !rest.is_empty() {
                println!(
                    "    {}",
                    printer.paint(
                        Style::Dim,
                        &format!("… {} more lines (-v shows them)", rest.len())
                    )
                );
            }
        }
        for warning in &report.warnings {
            println!("  {} {warning}", printer.paint(Style::Warn, "warning:"));
        }
        for step in next_steps(report, platform, tools) {
            if step.warning {
                println!("  {} {}", printer.paint(Style::Warn, "warning:"), step.text);
            } else {
                println!("  {} {}", printer.paint(Style::Good, "→"), step.text);
            }
        }
    }
}

fn display_implementation(name: &str) -> String {
    match name {
        "cpython" => "CPython".into(),
        "pypy" => "PyPy".into(),
        other => other.to_string(),
    }
}

fn verdict_line(report: &InterpreterReport, printer: &Printer) -> String {
    use crate::python::verdict::{PipMissing, Reason};
    let breaks = report
        .overrides
        .as_ref()
        .is_some_and(|o| o.break_system_packages);
    let marker = report
        .marker
        .as_ref()
        .map(|m| m.display().to_string())
        .unwrap_or_default();
    match report.reason {
        Reason::Venv if report.pip_missing == Some(PipMissing::Incomplete) => printer.paint(
            Style::Warn,
            "incomplete: a virtual environment without pip (`python -m pip` fails here)",
        ),
        Reason::Venv => printer.paint(
            Style::Good,
            "free: a virtual environment, pip installs here",
        ),
        Reason::NoMarker => printer.paint(
            Style::Good,
            "free: not externally managed, pip installs here",
        ),
        Reason::Marker | Reason::MarkerUnparsable | Reason::MarkerUnreadable if breaks => printer
            .paint(
                Style::Warn,
                &format!(
                    "externally managed ({marker}), but an override makes pip install here anyway"
                ),
            ),
        Reason::Marker | Reason::MarkerUnparsable | Reason::MarkerUnreadable => printer.paint(
            Style::Bad,
            &format!("externally managed: `pip install` is refused ({marker})"),
        ),
        Reason::Unsupported => printer.paint(Style::Warn, "unsupported"),
        Reason::Broken => printer.paint(Style::Bad, "broken"),
    }
}
