//! The network a bootstrap installs through: index URLs and their credentials, the proxy
//! the environment names, and `doctor`'s checks of them on this machine.

pub(crate) mod overrides;
pub(crate) mod probe;
pub(crate) mod trust;
pub(crate) mod url;
pub(crate) mod verdict;
pub(crate) mod x509;

/// The rustls crypto provider `doctor` uses: ring's, which builds with a C compiler alone
/// (aws-lc-rs, rustls's default, needs cmake and doubles the binary's TLS code).
#[expect(
    deprecated,
    reason = "ring lacks post-quantum key exchange; doctor only diagnoses which CA signs a chain, and the index's TLS is negotiated by pip and uv, not by pybootstrap"
)]
pub(crate) fn crypto_provider() -> std::sync::Arc<rustls::crypto::CryptoProvider> {
    std::sync::Arc::new(rustls::crypto::ring::default_provider())
}
