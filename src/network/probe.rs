//! Reaching an index from this machine, step by step, as pip and uv would: the proxy the
//! environment names (`HTTPS_PROXY`, `NO_PROXY`), DNS, TCP, the proxy's `CONNECT` tunnel
//! and the TLS handshake, whose certificate chain is kept for the trust stores to judge.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, DigitallySignedStruct, SignatureScheme};
use serde::Serialize;

use super::url::{Endpoint, bypasses_proxy, endpoint, redact};

const TIMEOUT: Duration = Duration::from_secs(10);

/// The proxy a tool would use for an index, from the environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Proxy {
    /// The variable it came from (`HTTPS_PROXY`, `https_proxy`, `ALL_PROXY`, …).
    pub variable: String,
    /// Its value, any password in it replaced by `***`.
    pub url: String,
    #[serde(skip)]
    pub endpoint: Endpoint,
    /// The `user:password` in it, for `Proxy-Authorization`.
    #[serde(skip)]
    pub credentials: Option<String>,
}

/// How the index is reached: direct (no proxy set, or `NO_PROXY` names it), or through a
/// proxy. `bypassed_by` says which `NO_PROXY` variable sent it direct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Route {
    pub proxy: Option<Proxy>,
    pub bypassed_by: Option<String>,
    /// A proxy variable whose value is no URL pybootstrap can use, in words.
    pub unusable: Option<String>,
}

/// The route to `target`, from the environment `var` reads, in the order curl, requests
/// and uv read it: the scheme's variable (lower case first), then `ALL_PROXY`.
pub(crate) fn route(var: &dyn Fn(&str) -> Option<String>, target: &Endpoint) -> Route {
    let names: &[&str] = if target.https {
        &["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]
    } else {
        &["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
    };
    let mut route = Route {
        proxy: None,
        bypassed_by: None,
        unusable: None,
    };
    let Some((variable, value)) = names.iter().find_map(|name| {
        var(name)
            .filter(|value| !value.is_empty())
            .map(|value| (*name, value))
    }) else {
        return route;
    };
    for no_proxy in ["no_proxy", "NO_PROXY"] {
        if let Some(list) = var(no_proxy)
            && bypasses_proxy(&list, &target.host, target.port)
        {
            route.bypassed_by = Some(no_proxy.to_string());
            return route;
        }
    }
    // A proxy given without a scheme is an http:// one, as requests and uv read it.
    let url = if value.contains("://") {
        value.clone()
    } else {
        format!("http://{value}")
    };
    match endpoint(&url) {
        Some(proxy) if !proxy.https => {
            let rest = url.split_once("://").map_or("", |(_, rest)| rest);
            let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
            route.proxy = Some(Proxy {
                variable: variable.to_string(),
                url: redact(&url),
                endpoint: proxy,
                credentials: authority
                    .rsplit_once('@')
                    .map(|(userinfo, _)| userinfo.to_string()),
            });
        }
        Some(_) => {
            route.unusable = Some(format!(
                "{variable} names an https:// proxy, which doctor does not check (pip and uv reach it with TLS to the proxy itself)"
            ));
        }
        None => {
            route.unusable = Some(format!(
                "{variable} = `{}` is not a proxy URL",
                redact(&value)
            ));
        }
    }
    route
}

/// A step as JSON: `{"ok": true, "detail": …}` or `{"ok": false, "error": "…"}`.
#[expect(
    clippy::ref_option,
    reason = "serde's `serialize_with` hands the field over by reference"
)]
fn step<T: Serialize, S: serde::Serializer>(
    step: &Option<Result<T, String>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match step {
        None => serializer.serialize_none(),
        Some(Ok(detail)) => serde_json::json!({"ok": true, "detail": detail}).serialize(serializer),
        Some(Err(error)) => serde_json::json!({"ok": false, "error": error}).serialize(serializer),
    }
}

/// Each step's outcome: `Ok` with what it found, `Err` with why it failed, in words.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Reach {
    /// The host looked up (the proxy's when there is one) and its addresses.
    #[serde(serialize_with = "step")]
    pub dns: Option<Result<Vec<String>, String>>,
    /// The address connected to.
    #[serde(serialize_with = "step")]
    pub tcp: Option<Result<String, String>>,
    /// The proxy's answer to `CONNECT`.
    #[serde(serialize_with = "step")]
    pub tunnel: Option<Result<String, String>>,
    /// The TLS handshake; the chain is kept for the trust stores.
    #[serde(serialize_with = "step")]
    pub tls: Option<Result<String, String>>,
    #[serde(skip)]
    pub chain: Vec<CertificateDer<'static>>,
}

/// Walks the steps to `target` by `route`, stopping at the first that fails.
pub(crate) fn reach(target: &Endpoint, route: &Route) -> Reach {
    let mut reach = Reach::default();
    let first_hop = route.proxy.as_ref().map_or(target, |proxy| &proxy.endpoint);
    let addresses: Vec<SocketAddr> =
        match (first_hop.host.as_str(), first_hop.port).to_socket_addrs() {
            Ok(addresses) => addresses.collect(),
            Err(error) => {
                reach.dns = Some(Err(error.to_string()));
                return reach;
            }
        };
    reach.dns = Some(Ok(addresses
        .iter()
        .map(|address| address.ip().to_string())
        .collect()));
    let mut last_error = String::from("no address");
    let mut stream = None;
    for address in &addresses {
        match TcpStream::connect_timeout(address, TIMEOUT) {
            Ok(connected) => {
                reach.tcp = Some(Ok(address.to_string()));
                stream = Some(connected);
                break;
            }
            Err(error) => last_error = format!("{address}: {error}"),
        }
    }
    let Some(mut stream) = stream else {
        reach.tcp = Some(Err(last_error));
        return reach;
    };
    let _ = stream.set_read_timeout(Some(TIMEOUT));
    let _ = stream.set_write_timeout(Some(TIMEOUT));
    if let Some(proxy) = &route.proxy {
        let answer = tunnel(&mut stream, target, proxy);
        let failed = answer.is_err();
        reach.tunnel = Some(answer);
        if failed {
            return reach;
        }
    }
    if target.https {
        match handshake(&mut stream, &target.host) {
            Ok((version, chain)) => {
                reach.tls = Some(Ok(version));
                reach.chain = chain;
            }
            Err(error) => reach.tls = Some(Err(error)),
        }
    }
    reach
}

/// `CONNECT host:port` through the proxy; the status line when it answers 2xx.
fn tunnel(stream: &mut TcpStream, target: &Endpoint, proxy: &Proxy) -> Result<String, String> {
    let authority = if target.host.contains(':') {
        format!("[{}]:{}", target.host, target.port)
    } else {
        format!("{}:{}", target.host, target.port)
    };
    let mut request = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n");
    if let Some(credentials) = &proxy.credentials {
        let decoded = percent_decode(credentials);
        request.push_str(&format!(
            "Proxy-Authorization: Basic {}\r\n",
            base64::engine::general_purpose::STANDARD.encode(decoded)
        ));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|error| format!("sending CONNECT to the proxy failed: {error}"))?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader
        .read_line(&mut status)
        .map_err(|error| format!("the proxy did not answer CONNECT: {error}"))?;
    let status = status.trim().to_string();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) if line.trim().is_empty() => break,
            Ok(_) => {}
            Err(error) => return Err(format!("the proxy's answer broke off: {error}")),
        }
    }
    let code = status.split_whitespace().nth(1).unwrap_or_default();
    if code.starts_with('2') {
        Ok(status)
    } else if status.is_empty() {
        Err("the proxy closed the connection without answering CONNECT".into())
    } else {
        Err(format!("the proxy answered `{status}`"))
    }
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%'
            && let Some(byte) = text
                .get(index + 1..index + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            index += 3;
            continue;
        }
        out.push(bytes[index]);
        index += 1;
    }
    out
}

/// Records the chain the server presents and accepts it, so one handshake serves every
/// trust store; the handshake's signatures are still checked against the leaf's key.
#[derive(Debug)]
struct Recorder {
    chain: Mutex<Vec<CertificateDer<'static>>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut chain) = self.chain.lock() {
            *chain = std::iter::once(end_entity)
                .chain(intermediates)
                .map(|certificate| certificate.clone().into_owned())
                .collect();
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The TLS handshake over `stream`: the protocol version and the chain presented.
fn handshake(
    stream: &mut TcpStream,
    host: &str,
) -> Result<(String, Vec<CertificateDer<'static>>), String> {
    let provider = super::crypto_provider();
    let recorder = Arc::new(Recorder {
        chain: Mutex::new(Vec::new()),
        provider: Arc::clone(&provider),
    });
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::clone(&recorder) as Arc<dyn ServerCertVerifier>)
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_string())
        .map_err(|_| format!("`{host}` is not a valid TLS server name"))?;
    let mut connection =
        ClientConnection::new(Arc::new(config), name).map_err(|error| error.to_string())?;
    while connection.is_handshaking() {
        connection
            .complete_io(stream)
            .map_err(|error| format!("the TLS handshake failed: {error}"))?;
    }
    let version = connection
        .protocol_version()
        .map_or_else(|| "TLS".to_string(), |version| format!("{version:?}"));
    let chain = recorder
        .chain
        .lock()
        .map(|chain| chain.clone())
        .unwrap_or_default();
    connection.send_close_notify();
    let _ = connection.complete_io(stream);
    Ok((version.replace('_', "."), chain))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_string())
        }
    }

    fn index() -> Endpoint {
        endpoint("https://pypi.corp.example/simple/").expect("valid")
    }

    #[test]
    fn the_proxy_comes_from_the_environment_and_no_proxy_bypasses_it() {
        let route_of = |pairs| route(&env(pairs), &index());
        assert_eq!(route_of(&[]).proxy, None);
        let proxied = route_of(&[("HTTPS_PROXY", "http://user:secret@proxy.corp:3128")]);
        let proxy = proxied.proxy.expect("a proxy");
        assert_eq!(proxy.variable, "HTTPS_PROXY");
        assert_eq!(proxy.url, "http://user:***@proxy.corp:3128");
        assert_eq!(proxy.endpoint.port, 3128);
        assert_eq!(proxy.credentials.as_deref(), Some("user:secret"));
        let lower_first = route_of(&[("HTTPS_PROXY", "http://a:1"), ("https_proxy", "b:2")]);
        assert_eq!(lower_first.proxy.expect("proxy").endpoint.host, "b");
        let bypassed = route_of(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", ".corp.example")]);
        assert_eq!(bypassed.proxy, None);
        assert_eq!(bypassed.bypassed_by.as_deref(), Some("NO_PROXY"));
        let plain_http = route(
            &env(&[("HTTPS_PROXY", "http://p:1")]),
            &endpoint("http://h/").expect("valid"),
        );
        assert_eq!(plain_http.proxy, None);
        assert!(
            route_of(&[("HTTPS_PROXY", "https://p:1")])
                .unusable
                .is_some()
        );
    }

    #[test]
    fn proxy_credentials_are_percent_decoded() {
        assert_eq!(percent_decode("us%40er:p%3Ass"), b"us@er:p:ss");
        assert_eq!(percent_decode("bad%zz"), b"bad%zz");
    }
}
