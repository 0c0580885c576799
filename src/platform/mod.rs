//! The operating system and distribution, and the package-manager commands that fit it.
