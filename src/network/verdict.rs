//! `doctor`'s conclusion: from what each step and each trust store said, the one sentence
//! that names the cause and the fix. Pure: it reads no file and opens no connection.

use serde::Serialize;

use super::trust::Verification;

/// What `doctor` found, as plain values.
#[derive(Debug, Clone, Default)]
pub(crate) struct Findings {
    /// The index's host and the redacted URL.
    pub host: String,
    pub https: bool,
    /// `HTTPS_PROXY = http://proxy:3128`, when a proxy is in use.
    pub proxy: Option<String>,
    /// A proxy variable doctor could not use, in words.
    pub proxy_unusable: Option<String>,
    /// The first step that failed, in words: `("dns" | "tcp" | "tunnel" | "tls", why)`.
    pub failed_step: Option<(&'static str, String)>,
    /// Who signed the top of the presented chain (`Corp Root CA`).
    pub issuer: Option<String>,
    pub system: Option<Verification>,
    /// `None`: no Python on this machine has certifi.
    pub certifi: Option<Verification>,
    /// `network.ca_bundle` as written and its verdict; `None` when unset.
    pub bundle: Option<(String, Verification)>,
}

/// Whether the tools can use the index, and the sentence that says so or names the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Conclusion {
    pub ok: bool,
    pub sentence: String,
}

fn bad(sentence: String) -> Conclusion {
    Conclusion {
        ok: false,
        sentence,
    }
}

/// The conclusion for `findings`.
pub(crate) fn conclude(findings: &Findings) -> Conclusion {
    let host = &findings.host;
    let via = findings.proxy.as_ref().map_or(String::new(), |proxy| {
        format!(" through the proxy ({proxy})")
    });
    if let Some((step, why)) = &findings.failed_step {
        return bad(match *step {
            "dns" if findings.proxy.is_some() => format!(
                "The proxy's name does not resolve ({why}): check {}.",
                findings.proxy.as_deref().unwrap_or("HTTPS_PROXY")
            ),
            "dns" => format!(
                "`{host}` does not resolve ({why}): check the index URL, or set HTTPS_PROXY if only your proxy can resolve it."
            ),
            "tcp" if findings.proxy.is_some() => format!(
                "The proxy does not accept connections ({why}): check {}.",
                findings.proxy.as_deref().unwrap_or("HTTPS_PROXY")
            ),
            "tcp" => match &findings.proxy_unusable {
                Some(unusable) => format!(
                    "`{host}` does not accept connections ({why}), and no proxy was used ({unusable})."
                ),
                None => format!(
                    "`{host}` does not accept connections ({why}): a firewall is in the way, or this network needs a proxy: set HTTPS_PROXY (and NO_PROXY for hosts reached directly)."
                ),
            },
            "tunnel" => format!(
                "The proxy refused to open a tunnel to `{host}` ({why}): it may need credentials (`http://user:password@proxy:port` in HTTPS_PROXY, never in a committed file) or may not allow that host."
            ),
            _ => format!("The TLS handshake with `{host}`{via} failed ({why})."),
        });
    }
    if !findings.https {
        return Conclusion {
            ok: true,
            sentence: format!(
                "`{host}` answers{via} over plain HTTP: nothing is verified, and pip warns unless the host is a `--trusted-host`; prefer an https:// index."
            ),
        };
    }
    let issuer = findings
        .issuer
        .clone()
        .unwrap_or_else(|| "an unnamed authority".to_string());
    let trusted =
        |verification: Option<&Verification>| verification == Some(&Verification::Trusted);
    let all = [
        findings.system.as_ref(),
        findings.certifi.as_ref(),
        findings
            .bundle
            .as_ref()
            .map(|(_, verification)| verification),
    ];
    if all.iter().flatten().any(|v| **v == Verification::WrongName) {
        return bad(format!(
            "The certificate `{host}` presents{via} is for another host name: check the index URL's host."
        ));
    }
    if all.iter().flatten().any(|v| **v == Verification::Expired) {
        return bad(format!(
            "The certificate `{host}` presents{via} has expired (or this machine's clock is wrong): the index's owner must renew it."
        ));
    }
    if let Some((path, verification)) = &findings.bundle {
        return if *verification == Verification::Trusted {
            Conclusion {
                ok: true,
                sentence: format!(
                    "TLS to `{host}`{via} is signed by `{issuer}`, which network.ca_bundle (`{path}`) holds: the bootstrap hands it to pip, uv, Poetry and PDM, so every tool verifies it."
                ),
            }
        } else if let Verification::Unavailable(why) = verification {
            bad(format!(
                "network.ca_bundle cannot be used ({why}): commit the PEM file at `{path}`, or correct network.ca_bundle."
            ))
        } else {
            bad(format!(
                "TLS to `{host}`{via} is signed by `{issuer}`, which network.ca_bundle (`{path}`) does not hold: add `{issuer}`'s certificate (PEM) to `{path}`."
            ))
        };
    }
    let suggestion = format!(
        "set `network.ca_bundle = \"certs/{}.pem\"` in pybootstrap.toml, a committed PEM file holding `{issuer}`'s certificate, and run `pybootstrap regen`",
        slug(&issuer)
    );
    match (trusted(findings.system.as_ref()), findings.certifi.as_ref()) {
        (true, Some(Verification::Trusted)) => Conclusion {
            ok: true,
            sentence: format!(
                "TLS to `{host}`{via} verifies with the system store and with certifi: pip, uv, Poetry and PDM can all reach it."
            ),
        },
        (true, None) => Conclusion {
            ok: true,
            sentence: format!(
                "TLS to `{host}`{via} verifies with the system store (no Python here has certifi, which Poetry and PDM would use)."
            ),
        },
        (true, Some(_)) => bad(format!(
            "TLS is re-signed by `{issuer}`, which your system trusts but certifi does not (Poetry, PDM, uv without --native-tls and older pip fail): {suggestion}."
        )),
        (false, Some(Verification::Trusted)) => bad(format!(
            "TLS to `{host}`{via} is signed by `{issuer}`, which certifi trusts but your system store does not (pip 24.2+ and uv --native-tls fail): add it to the system store, or {suggestion}."
        )),
        (false, _) => bad(format!(
            "TLS to `{host}`{via} is signed by `{issuer}`, which neither your system nor certifi trusts (a TLS-intercepting proxy or a private CA): get `{issuer}`'s root certificate from whoever runs it and {suggestion}."
        )),
    }
}

/// `Corp Root CA` → `corp-root-ca`, for the suggested bundle's file name.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for character in name.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "ca".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tls(system: Verification, certifi: Option<Verification>) -> Findings {
        Findings {
            host: "pypi.corp.example".into(),
            https: true,
            issuer: Some("Corp Root CA".into()),
            system: Some(system),
            certifi,
            ..Findings::default()
        }
    }

    #[test]
    fn a_proxy_the_system_trusts_but_certifi_does_not_gets_the_bundle_fix() {
        let conclusion = conclude(&tls(
            Verification::Trusted,
            Some(Verification::UnknownIssuer),
        ));
        assert!(!conclusion.ok);
        assert_eq!(
            conclusion.sentence,
            "TLS is re-signed by `Corp Root CA`, which your system trusts but certifi does not (Poetry, PDM, uv without --native-tls and older pip fail): set `network.ca_bundle = \"certs/corp-root-ca.pem\"` in pybootstrap.toml, a committed PEM file holding `Corp Root CA`'s certificate, and run `pybootstrap regen`."
        );
    }

    #[test]
    fn every_row_of_the_trust_table() {
        use Verification::{Trusted, UnknownIssuer};
        let rows: &[(Verification, Option<Verification>, bool, &str)] = &[
            (
                Trusted,
                Some(Trusted),
                true,
                "verifies with the system store and with certifi",
            ),
            (Trusted, None, true, "no Python here has certifi"),
            (
                UnknownIssuer,
                Some(Trusted),
                false,
                "certifi trusts but your system store does not",
            ),
            (
                UnknownIssuer,
                Some(UnknownIssuer),
                false,
                "neither your system nor certifi trusts",
            ),
            (
                UnknownIssuer,
                None,
                false,
                "neither your system nor certifi trusts",
            ),
            (Verification::Expired, Some(Trusted), false, "has expired"),
            (
                Verification::WrongName,
                Some(Trusted),
                false,
                "for another host name",
            ),
        ];
        for (system, certifi, ok, words) in rows {
            let conclusion = conclude(&tls(system.clone(), certifi.clone()));
            assert_eq!(conclusion.ok, *ok, "{conclusion:?}");
            assert!(
                conclusion.sentence.contains(words),
                "{words}: {}",
                conclusion.sentence
            );
        }
    }

    #[test]
    fn the_configured_bundle_decides_when_set() {
        let mut findings = tls(
            Verification::UnknownIssuer,
            Some(Verification::UnknownIssuer),
        );
        findings.bundle = Some(("certs/corp.pem".into(), Verification::Trusted));
        let conclusion = conclude(&findings);
        assert!(conclusion.ok, "{conclusion:?}");
        assert!(
            conclusion
                .sentence
                .contains("network.ca_bundle (`certs/corp.pem`) holds")
        );
        findings.bundle = Some(("certs/corp.pem".into(), Verification::UnknownIssuer));
        let conclusion = conclude(&findings);
        assert!(!conclusion.ok);
        assert!(
            conclusion
                .sentence
                .contains("does not hold: add `Corp Root CA`")
        );
        findings.bundle = Some((
            "certs/x.pem".into(),
            Verification::Unavailable("missing".into()),
        ));
        assert!(
            conclude(&findings)
                .sentence
                .contains("cannot be used (missing)")
        );
    }

    #[test]
    fn the_first_failed_step_is_the_cause() {
        let failed = |step, proxy: Option<&str>| {
            conclude(&Findings {
                host: "pypi.corp.example".into(),
                https: true,
                proxy: proxy.map(str::to_string),
                failed_step: Some((step, "why".into())),
                ..Findings::default()
            })
        };
        assert!(
            failed("dns", None)
                .sentence
                .contains("does not resolve (why)")
        );
        assert!(
            failed("dns", Some("HTTPS_PROXY = http://p:1"))
                .sentence
                .contains("The proxy's name")
        );
        assert!(failed("tcp", None).sentence.contains("set HTTPS_PROXY"));
        assert!(
            failed("tunnel", Some("HTTPS_PROXY = http://p:1"))
                .sentence
                .contains("refused to open a tunnel")
        );
        assert!(failed("tls", None).sentence.contains("TLS handshake"));
        assert!(!failed("tcp", None).ok);
    }

    #[test]
    fn slugs_name_files() {
        assert_eq!(slug("Corp Root CA"), "corp-root-ca");
        assert_eq!(slug("  "), "ca");
        assert_eq!(slug("Zscaler Root CA (1)"), "zscaler-root-ca-1");
    }
}
