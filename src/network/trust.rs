//! The trust stores `doctor` checks an index's certificate chain against — the system's
//! (what pip ≥ 24.2 and `uv --native-tls` use), certifi's (what Poetry, PDM, requests and
//! older pip use; found through this machine's Pythons) and `network.ca_bundle` — and the
//! verdict of each on one chain.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, RootCertStore};
use rustls_pki_types::pem::PemObject;
use serde::Serialize;
use wait_timeout::ChildExt;

/// What one trust store says about a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "result", content = "detail")]
pub(crate) enum Verification {
    Trusted,
    /// No root of the store signs the chain: the case of a TLS-intercepting proxy or a
    /// private CA the store lacks.
    UnknownIssuer,
    Expired,
    /// The certificate is for another host name.
    WrongName,
    /// Anything else the verifier refused, in its words.
    Refused(String),
    /// The store could not be read (an empty or unreadable bundle), in words.
    Unavailable(String),
}

/// One store's roots, or why it has none.
pub(crate) struct Store {
    roots: Result<Arc<RootCertStore>, String>,
}

impl Store {
    /// The system's store, as rustls-native-certs reads it (`SSL_CERT_FILE` and
    /// `SSL_CERT_DIR` included, as OpenSSL would).
    pub(crate) fn system() -> Self {
        let loaded = rustls_native_certs::load_native_certs();
        let mut roots = RootCertStore::empty();
        let (added, _) = roots.add_parsable_certificates(loaded.certs);
        Self {
            roots: if added == 0 {
                Err(loaded
                    .errors
                    .first()
                    .map_or_else(|| "no certificate found".to_string(), ToString::to_string))
            } else {
                Ok(Arc::new(roots))
            },
        }
    }

    /// A PEM bundle file.
    pub(crate) fn pem(path: &Path) -> Self {
        let roots = match fs_err::read(path) {
            Err(error) => Err(error.to_string()),
            Ok(bytes) => {
                let mut roots = RootCertStore::empty();
                let certificates = CertificateDer::pem_slice_iter(&bytes).filter_map(Result::ok);
                let (added, _) = roots.add_parsable_certificates(certificates);
                if added == 0 {
                    Err(format!("`{}` holds no PEM certificate", path.display()))
                } else {
                    Ok(Arc::new(roots))
                }
            }
        };
        Self { roots }
    }

    /// What this store says about `chain` (leaf first) presented by `host`.
    pub(crate) fn verify(&self, chain: &[CertificateDer<'static>], host: &str) -> Verification {
        let roots = match &self.roots {
            Ok(roots) => Arc::clone(roots),
            Err(why) => return Verification::Unavailable(why.clone()),
        };
        let Some((leaf, intermediates)) = chain.split_first() else {
            return Verification::Refused("the server sent no certificate".into());
        };
        let Ok(name) = ServerName::try_from(host.to_string()) else {
            return Verification::Refused(format!("`{host}` is not a valid server name"));
        };
        let provider = super::crypto_provider();
        let verifier = match WebPkiServerVerifier::builder_with_provider(roots, provider).build() {
            Ok(verifier) => verifier,
            Err(error) => return Verification::Unavailable(error.to_string()),
        };
        match verifier.verify_server_cert(leaf, intermediates, &name, &[], UnixTime::now()) {
            Ok(_) => Verification::Trusted,
            Err(rustls::Error::InvalidCertificate(error)) => match error {
                CertificateError::UnknownIssuer => Verification::UnknownIssuer,
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    Verification::Expired
                }
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => Verification::WrongName,
                other => Verification::Refused(format!("{other:?}")),
            },
            Err(other) => Verification::Refused(other.to_string()),
        }
    }
}

/// Where certifi's bundle was found: the Python asked and which certifi it imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Certifi {
    pub python: PathBuf,
    /// `certifi` (the package) or `pip._vendor.certifi` (the copy inside pip).
    pub module: String,
    pub bundle: PathBuf,
}

/// Asks each Python on `PATH` (`python3`, then `python`) where its certifi bundle is: the
/// package when it imports, else the copy pip vendors. `None` when no Python has one.
pub(crate) fn find_certifi(path_var: Option<&std::ffi::OsStr>) -> Option<Certifi> {
    const SNIPPET: &str = "import sys\n\
try:\n    import certifi\n    sys.stdout.write('certifi\\n' + certifi.where() + '\\n')\n\
except Exception:\n    from pip._vendor import certifi\n    sys.stdout.write('pip._vendor.certifi\\n' + certifi.where() + '\\n')\n";
    for name in ["python3", "python"] {
        let Some(python) = crate::python::discover::find_executable(name, path_var) else {
            continue;
        };
        let Some(output) = run_briefly(&python, SNIPPET) else {
            continue;
        };
        let mut lines = output.lines();
        if let (Some(module), Some(bundle)) = (lines.next(), lines.next()) {
            return Some(Certifi {
                python,
                module: module.to_string(),
                bundle: PathBuf::from(bundle),
            });
        }
    }
    None
}

/// What `python -I -c code` prints, when it exits 0 within five seconds.
fn run_briefly(python: &Path, code: &str) -> Option<String> {
    let mut child = Command::new(python)
        .args(["-I", "-c", code])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let Ok(Some(status)) = child.wait_timeout(Duration::from_secs(5)) else {
        let _ = child.kill();
        let _ = child.wait();
        return None;
    };
    let text = reader.join().ok()?;
    status.success().then_some(text)
}
