//! The network a bootstrap installs through: index URLs and their credentials, the proxy
//! the environment names, and `doctor`'s checks of them on this machine.

pub(crate) mod url;
