//! The one integration test binary: every test runs the real `pybootstrap` executable.

mod detect;
mod generated;
mod init;
mod support;
