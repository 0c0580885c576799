//! Package-index URLs: where a credential hides in one (user:password, a token in the user
//! part or the query), the host and port a connection goes to, and `NO_PROXY` matching.

/// Query parameters that carry a secret in the index URLs of the registries teams use
/// (Artifactory `?token=`, GitLab `private_token`, signed `X-Amz-Signature` links).
const SECRET_PARAMETERS: &[&str] = &[
    "token",
    "access_token",
    "private_token",
    "auth",
    "password",
    "passwd",
    "secret",
    "api_key",
    "apikey",
    "key",
    "sig",
    "signature",
    "x-amz-signature",
];

/// The parts of an `http(s)://` URL a connection needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub https: bool,
    pub host: String,
    pub port: u16,
}

/// Why `url` carries a credential, `None` when it carries none. Reads any URL, so the lint
/// rule and the answers' check agree on what a credential is.
pub(crate) fn credential_in(url: &str) -> Option<&'static str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        return Some(if userinfo.contains(':') {
            "holds a user name and password (`user:password@`)"
        } else {
            "holds a user name or token before `@`"
        });
    }
    let query = tail.split_once('?').map(|(_, query)| query)?;
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .any(|(name, value)| {
            !value.is_empty() && SECRET_PARAMETERS.contains(&name.to_ascii_lowercase().as_str())
        })
        .then_some("holds a token in its query (`?token=…`)")
}

/// Whether `url` holds a credential someone could use: a password, a token-length user
/// part, or a secret query value that is not a placeholder (`$TOKEN`, `${{ secrets.X }}`,
/// `%PASSWORD%`, `<password>`, `***`, a word such as `password`). The lint rule's test: a
/// committed file may show where a credential goes, never one.
pub(crate) fn committed_credential(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        let secret = match userinfo.split_once(':') {
            Some((_, password)) => Some(password),
            // A user name alone is no secret; a token is long.
            None => (userinfo.len() >= 20).then_some(userinfo),
        };
        if secret.is_some_and(|secret| !secret.is_empty() && !is_placeholder(secret)) {
            return true;
        }
    }
    let Some((_, query)) = tail.split_once('?') else {
        return false;
    };
    query
        .split('#')
        .next()
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .any(|(name, value)| {
            SECRET_PARAMETERS.contains(&name.to_ascii_lowercase().as_str())
                && !value.is_empty()
                && !is_placeholder(value)
        })
}

/// Whether `secret` stands for a credential instead of being one.
fn is_placeholder(secret: &str) -> bool {
    const WORDS: &[&str] = &[
        "password",
        "passwd",
        "pass",
        "pwd",
        "token",
        "secret",
        "apikey",
        "api_key",
        "api-key",
        "changeme",
        "user",
        "username",
        "pat",
        "your-token",
        "your_token",
        "yourtoken",
        "__token__",
        "...",
        "…",
    ];
    let lower = secret.to_ascii_lowercase();
    secret.contains(['$', '{', '<', '*'])
        || (secret.len() > 1 && secret.starts_with('%') && secret.ends_with('%'))
        || WORDS.contains(&lower.as_str())
        || lower.chars().all(|character| character == 'x')
}

/// `url` with any password, token or secret query value replaced by `***`, for printing.
pub(crate) fn redact(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), url),
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("***@{host}"),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, value))
                        if !value.is_empty()
                            && SECRET_PARAMETERS.contains(&name.to_ascii_lowercase().as_str()) =>
                    {
                        format!("{name}=***")
                    }
                    _ => pair.to_string(),
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}{authority}{tail}")
}

/// The host and port `url` connects to; `None` for what is not an `http(s)://` URL.
pub(crate) fn endpoint(url: &str) -> Option<Endpoint> {
    let (scheme, rest) = url.split_once("://")?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return None,
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let (host, after) = bracketed.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    let port = match port {
        Some(port) => port.parse().ok()?,
        None if https => 443,
        None => 80,
    };
    (!host.is_empty()).then(|| Endpoint {
        https,
        host: host.to_ascii_lowercase(),
        port,
    })
}

/// Whether `NO_PROXY` (comma-separated hosts, `.domain` or `domain` suffixes, `*`, optional
/// `:port`) sends `host` direct, as curl, pip (requests) and uv read it.
pub(crate) fn bypasses_proxy(no_proxy: &str, host: &str, port: u16) -> bool {
    let host = host.to_ascii_lowercase();
    no_proxy
        .split([',', ' '])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .any(|entry| {
            if entry == "*" {
                return true;
            }
            let (pattern, entry_port) = match entry.rsplit_once(':') {
                Some((pattern, entry_port)) if entry_port.chars().all(|c| c.is_ascii_digit()) => {
                    (pattern, entry_port.parse::<u16>().ok())
                }
                _ => (entry, None),
            };
            if entry_port.is_some_and(|entry_port| entry_port != port) {
                return false;
            }
            let pattern = pattern.trim_start_matches('*').to_ascii_lowercase();
            let domain = pattern.trim_start_matches('.');
            host == domain || host.ends_with(&format!(".{domain}"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_found_in_the_user_part_and_the_query() {
        for (url, found) in [
            ("https://pypi.org/simple", false),
            ("https://corp.example/api/pypi/simple/", false),
            ("https://user:secret@corp.example/simple", true),
            ("https://__token__@corp.example/simple", true),
            ("https://corp.example/simple?token=abc", true),
            ("https://corp.example/simple?PRIVATE_TOKEN=abc", true),
            ("https://corp.example/simple?page=2", false),
            ("https://corp.example/simple?token=", false),
            ("https://corp.example/simple/a@b", false),
            ("user:pw@host/simple", true),
        ] {
            assert_eq!(credential_in(url).is_some(), found, "{url}");
        }
    }

    #[test]
    fn committed_credentials_are_real_secrets_not_placeholders() {
        for (url, found) in [
            ("https://user:s3cr3t@corp.example/simple", true),
            ("https://user:p%40ss@corp.example/simple", true),
            (
                "https://ghp_0123456789abcdefghij0123@github.com/org/repo",
                true,
            ),
            ("https://corp.example/simple?token=abc123", true),
            ("https://user:$PASSWORD@corp.example/simple", false),
            ("https://user:${INDEX_TOKEN}@corp.example/simple", false),
            (
                "https://__token__:${{ secrets.PYPI }}@corp.example/simple",
                false,
            ),
            ("https://user:%PASSWORD%@corp.example/simple", false),
            ("https://user:<password>@corp.example/simple", false),
            ("https://user:password@corp.example/simple", false),
            ("https://user:***@corp.example/simple", false),
            ("https://user:xxxx@corp.example/simple", false),
            ("https://git@github.com/org/repo", false),
            ("https://corp.example/simple?token=$TOKEN", false),
            ("https://corp.example/simple?page=2", false),
        ] {
            assert_eq!(committed_credential(url), found, "{url}");
        }
    }

    #[test]
    fn redaction_hides_passwords_tokens_and_secret_parameters() {
        assert_eq!(redact("https://u:pw@h/simple"), "https://u:***@h/simple");
        assert_eq!(redact("https://tok@h/simple"), "https://***@h/simple");
        assert_eq!(
            redact("https://h/s?token=abc&page=2"),
            "https://h/s?token=***&page=2"
        );
        assert_eq!(redact("https://h/simple/"), "https://h/simple/");
    }

    #[test]
    fn endpoints_have_default_ports_and_bracketed_ipv6() {
        let endpoint_of = |url| endpoint(url).map(|e| (e.https, e.host, e.port));
        assert_eq!(
            endpoint_of("https://Corp.Example/simple"),
            Some((true, "corp.example".into(), 443))
        );
        assert_eq!(
            endpoint_of("http://127.0.0.1:8080/simple"),
            Some((false, "127.0.0.1".into(), 8080))
        );
        assert_eq!(
            endpoint_of("https://[::1]:4443/"),
            Some((true, "::1".into(), 4443))
        );
        assert_eq!(endpoint_of("ftp://host/"), None);
        assert_eq!(endpoint_of("https://host:port/"), None);
    }

    #[test]
    fn no_proxy_matches_hosts_suffixes_ports_and_star() {
        assert!(bypasses_proxy("localhost,127.0.0.1", "127.0.0.1", 443));
        assert!(bypasses_proxy(".corp.example", "pypi.corp.example", 443));
        assert!(bypasses_proxy("corp.example", "pypi.corp.example", 443));
        assert!(bypasses_proxy("corp.example", "corp.example", 443));
        assert!(!bypasses_proxy("corp.example", "notcorp.example", 443));
        assert!(bypasses_proxy("*", "anything", 1));
        assert!(bypasses_proxy("host:8443", "host", 8443));
        assert!(!bypasses_proxy("host:8443", "host", 443));
        assert!(!bypasses_proxy("", "host", 443));
    }
}
