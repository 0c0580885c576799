//! `pybootstrap doctor`: can this machine reach the team's package index the way pip, uv,
//! Poetry and PDM would — DNS, TCP, the proxy, TLS against each trust store — and, when it
//! cannot, the one sentence naming the cause and the fix.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::answers::IndexUrl;
use crate::cli::DoctorArgs;
use crate::error::{Error, Outcome};
use crate::network::overrides::{self, Override};
use crate::network::probe::{self, Proxy, Reach};
use crate::network::trust::{self, Certifi, Store, Verification};
use crate::network::url::{endpoint, redact};
use crate::network::verdict::{self, Conclusion, Findings};
use crate::network::x509;
use crate::output::{Printer, Style};
use crate::progress::Progress;
use crate::python::pip_config::EnvView;
use crate::workspace::{Workspace, find_repo};

/// What `pip` and uv use when no index is configured.
const PYPI: &str = "https://pypi.org/simple/";

/// `doctor --json`.
#[derive(Serialize)]
struct DoctorJson<'a> {
    schema: u32,
    /// Whether every index checked is usable by every tool.
    ok: bool,
    indexes: &'a [IndexReport],
    /// Where certifi's bundle was found, `null` when no Python here has certifi.
    certifi: Option<&'a Certifi>,
    overrides: &'a [Override],
    /// What else stands between the answers and a tool, in words.
    notes: &'a [String],
}

/// One index, checked.
#[derive(Serialize)]
struct IndexReport {
    /// The URL, any credential in it replaced by `***`.
    url: String,
    /// Where it came from: `--index`, `network.index`, `network.extra_indexes`, or `default`.
    origin: &'static str,
    host: String,
    port: u16,
    proxy: Option<Proxy>,
    /// The `NO_PROXY` variable that sends this host direct.
    no_proxy: Option<String>,
    proxy_unusable: Option<String>,
    steps: Reach,
    /// Who signed the top of the chain the server presented, and the leaf's subject.
    issuer: Option<String>,
    subject: Option<String>,
    trust: Trust,
    conclusion: Conclusion,
}

#[derive(Serialize)]
struct Trust {
    system: Option<Verification>,
    certifi: Option<Verification>,
    ca_bundle: Option<BundleVerdict>,
}

#[derive(Serialize)]
struct BundleVerdict {
    path: String,
    result: Verification,
}

pub(super) fn run(args: &DoctorArgs, printer: &Printer) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir()?;
    let start = args.dir.as_ref().map_or(cwd.clone(), |dir| cwd.join(dir));
    if !start.is_dir() {
        return Err(Error::Input {
            message: format!("no such directory: `{}`", start.display()),
            hint: Some("give the repository (or a directory inside it) to check".into()),
        });
    }
    let repo = find_repo(&start);
    let answers = match &repo {
        Some(repo) => Some(Workspace::open(repo, Vec::new(), None)?.resolved.answers),
        None => None,
    };
    let root = repo.clone().unwrap_or_else(|| start.clone());

    let mut targets: Vec<(String, &'static str)> = Vec::new();
    if let Some(index) = &args.index {
        let checked: IndexUrl =
            index
                .parse()
                .map_err(|problem: crate::answers::Problem| Error::Input {
                    message: format!("`--index`: {problem}"),
                    hint: Some(
                        "give an `https://` index URL with no user, password or token in it".into(),
                    ),
                })?;
        targets.push((checked.to_string(), "--index"));
    } else if let Some(answers) = &answers {
        if let Some(index) = answers.network.index.url() {
            targets.push((index.to_string(), "network.index"));
        }
        for extra in &answers.network.extra_indexes {
            targets.push((extra.to_string(), "network.extra_indexes"));
        }
    }
    if targets.is_empty() {
        targets.push((PYPI.to_string(), "default"));
    }
    let bundle = answers
        .as_ref()
        .and_then(|answers| answers.network.ca_bundle.path().map(str::to_string))
        .map(|written| {
            let path = if Path::new(&written).is_absolute() {
                PathBuf::from(&written)
            } else {
                root.join(&written)
            };
            (written, Store::pem(&path))
        });

    let checking = Progress::start(printer, "checking the package index…");
    let path_var = std::env::var_os("PATH");
    let certifi = trust::find_certifi(path_var.as_deref());
    let certifi_store = certifi.as_ref().map(|found| Store::pem(&found.bundle));
    let system = Store::system();
    let env = |name: &str| std::env::var(name).ok();
    let reports: Vec<IndexReport> = targets
        .iter()
        .map(|(url, origin)| {
            check(
                url,
                origin,
                &env,
                &system,
                certifi_store.as_ref(),
                bundle.as_ref(),
            )
        })
        .collect();
    let env_dir = answers.as_ref().map_or_else(
        || root.join(".venv"),
        |answers| root.join(&*answers.env.dir),
    );
    let overrides = overrides::find(&root, &env_dir, &EnvView::from_process());
    checking.finish();
    let mut notes = answers
        .as_ref()
        .map_or_else(Vec::new, |answers| notes(answers, &overrides));
    let scripts_dir = answers.as_ref().map_or_else(
        || "scripts".to_string(),
        |answers| answers.scripts.dir.to_string(),
    );
    notes.extend(
        crate::platform::execution_policy::query()
            .and_then(|policy| crate::platform::execution_policy::note(&policy, &scripts_dir)),
    );

    let ok = reports.iter().all(|report| report.conclusion.ok);
    if args.json {
        let json = DoctorJson {
            schema: 1,
            ok,
            indexes: &reports,
            certifi: certifi.as_ref(),
            overrides: &overrides,
            notes: &notes,
        };
        println!(
            "{}",
            serde_json::to_string_pretty(&json).map_err(std::io::Error::other)?
        );
    } else {
        print_human(&reports, certifi.as_ref(), &overrides, printer);
        for note in &notes {
            println!("{} {note}", printer.paint(Style::Warn, "note:"));
        }
    }
    Ok(Outcome::Success)
}

/// Poetry takes no index from the environment: with `network.index` set, a Poetry project
/// that declares no source of its own installs from PyPI all the same.
fn notes(answers: &crate::answers::Answers, overrides: &[Override]) -> Vec<String> {
    let mut notes = Vec::new();
    if answers.deps.source == crate::answers::DepsSource::Poetry
        && let Some(index) = answers.network.index.url()
        && !overrides.iter().any(|found| found.tool == "poetry")
    {
        notes.push(format!(
            "Poetry installs from its project's sources, not from network.index: add `[[tool.poetry.source]]` with `name = \"corp\"`, `url = \"{index}\"` and `priority = \"primary\"` to pyproject.toml (docs/networks.md#poetry)"
        ));
    }
    notes
}

fn check(
    url: &str,
    origin: &'static str,
    env: &dyn Fn(&str) -> Option<String>,
    system: &Store,
    certifi: Option<&Store>,
    bundle: Option<&(String, Store)>,
) -> IndexReport {
    // The answers and `--index` hold only URLs `IndexUrl` accepted, which have an endpoint.
    let target = endpoint(url).unwrap_or_else(|| crate::network::url::Endpoint {
        https: true,
        host: String::new(),
        port: 443,
    });
    let route = probe::route(env, &target);
    let steps = probe::reach(&target, &route);
    let names = steps.chain.last().and_then(|top| x509::names(top));
    let subject = steps
        .chain
        .first()
        .and_then(|leaf| x509::names(leaf))
        .map(|(_, subject)| subject.display());
    let issuer = names.map(|(issuer, _)| issuer.display());
    let has_chain = !steps.chain.is_empty();
    let verify = |store: &Store| store.verify(&steps.chain, &target.host);
    let trust = Trust {
        system: has_chain.then(|| verify(system)),
        certifi: has_chain.then(|| certifi.map(verify)).flatten(),
        ca_bundle: has_chain
            .then(|| {
                bundle.map(|(path, store)| BundleVerdict {
                    path: path.clone(),
                    result: verify(store),
                })
            })
            .flatten(),
    };
    let failed_step = [
        (
            "dns",
            steps.dns.as_ref().map(|step| step.as_ref().map(drop)),
        ),
        (
            "tcp",
            steps.tcp.as_ref().map(|step| step.as_ref().map(drop)),
        ),
        (
            "tunnel",
            steps.tunnel.as_ref().map(|step| step.as_ref().map(drop)),
        ),
        (
            "tls",
            steps.tls.as_ref().map(|step| step.as_ref().map(drop)),
        ),
    ]
    .into_iter()
    .find_map(|(name, step)| match step {
        Some(Err(why)) => Some((name, why.clone())),
        _ => None,
    });
    let findings = Findings {
        host: target.host.clone(),
        https: target.https,
        proxy: route
            .proxy
            .as_ref()
            .map(|proxy| format!("{} = {}", proxy.variable, proxy.url)),
        proxy_unusable: route.unusable.clone(),
        failed_step,
        issuer: issuer.clone(),
        system: trust.system.clone(),
        certifi: trust.certifi.clone(),
        bundle: trust
            .ca_bundle
            .as_ref()
            .map(|bundle| (bundle.path.clone(), bundle.result.clone())),
    };
    let conclusion = verdict::conclude(&findings);
    IndexReport {
        url: redact(url),
        origin,
        host: target.host.clone(),
        port: target.port,
        proxy: route.proxy,
        no_proxy: route.bypassed_by,
        proxy_unusable: route.unusable,
        steps,
        issuer,
        subject,
        trust,
        conclusion,
    }
}

fn step_line<T>(
    printer: &Printer,
    name: &str,
    step: Option<&Result<T, String>>,
    show: impl Fn(&T) -> String,
) {
    match step {
        Some(Ok(value)) => println!("  {name:<8}{}", printer.paint(Style::Good, &show(value))),
        Some(Err(why)) => println!("  {name:<8}{}", printer.paint(Style::Bad, why)),
        None => {}
    }
}

fn verification_text(verification: &Verification) -> String {
    match verification {
        Verification::Trusted => "trusted".into(),
        Verification::UnknownIssuer => "not trusted: no root in it signs the chain".into(),
        Verification::Expired => "not trusted: expired".into(),
        Verification::WrongName => "not trusted: issued for another host name".into(),
        Verification::Refused(why) => format!("not trusted: {why}"),
        Verification::Unavailable(why) => format!("unusable: {why}"),
    }
}

fn trust_line(printer: &Printer, name: &str, verification: Option<&Verification>) {
    let Some(verification) = verification else {
        return;
    };
    let style = if *verification == Verification::Trusted {
        Style::Good
    } else {
        Style::Bad
    };
    println!(
        "    {name}: {}",
        printer.paint(style, &verification_text(verification))
    );
}

fn print_human(
    reports: &[IndexReport],
    certifi: Option<&Certifi>,
    overrides: &[Override],
    printer: &Printer,
) {
    for report in reports {
        println!(
            "{} {} ({})",
            printer.paint(Style::Bold, "index:"),
            report.url,
            report.origin
        );
        let proxy = match (&report.proxy, &report.no_proxy, &report.proxy_unusable) {
            (Some(proxy), _, _) => format!("{} = {}", proxy.variable, proxy.url),
            (None, Some(no_proxy), _) => format!("none: {no_proxy} sends {} direct", report.host),
            (None, None, Some(why)) => format!("none used: {why}"),
            (None, None, None) => "none (no HTTPS_PROXY in the environment)".into(),
        };
        println!("  {:<8}{proxy}", "proxy");
        step_line(printer, "dns", report.steps.dns.as_ref(), |addresses| {
            addresses.join(", ")
        });
        step_line(printer, "tcp", report.steps.tcp.as_ref(), |address| {
            format!("connected to {address}")
        });
        step_line(
            printer,
            "tunnel",
            report.steps.tunnel.as_ref(),
            Clone::clone,
        );
        step_line(printer, "tls", report.steps.tls.as_ref(), |version| {
            let mut text = version.clone();
            if let Some(subject) = &report.subject {
                text.push_str(&format!(", certificate for `{subject}`"));
            }
            if let Some(issuer) = &report.issuer {
                text.push_str(&format!(", signed by `{issuer}`"));
            }
            text
        });
        if report.trust.system.is_some() {
            println!("  trust");
            trust_line(printer, "system store", report.trust.system.as_ref());
            match certifi {
                Some(found) => trust_line(
                    printer,
                    &format!(
                        "certifi ({}, {} of {})",
                        found.bundle.display(),
                        found.module,
                        found.python.display()
                    ),
                    report.trust.certifi.as_ref(),
                ),
                None => println!("    certifi: absent (no python3 or python on PATH imports it)"),
            }
            if let Some(bundle) = &report.trust.ca_bundle {
                trust_line(
                    printer,
                    &format!("network.ca_bundle ({})", bundle.path),
                    Some(&bundle.result),
                );
            }
        }
        let style = if report.conclusion.ok {
            Style::Good
        } else {
            Style::Bad
        };
        println!(
            "  {} {}",
            printer.paint(
                style,
                if report.conclusion.ok {
                    "ok:"
                } else {
                    "problem:"
                }
            ),
            report.conclusion.sentence
        );
        println!();
    }
    if overrides.is_empty() {
        println!("{} none", printer.paint(Style::Bold, "overrides:"));
    } else {
        println!(
            "{} settings outside pybootstrap.toml that choose an index or CA (a variable the caller sets wins over the answers in the bootstrap; a file wins for the tools you run yourself):",
            printer.paint(Style::Bold, "overrides:")
        );
        for found in overrides {
            println!(
                "  {} {} {} = {}",
                found.tool, found.source, found.setting, found.value
            );
        }
    }
}
