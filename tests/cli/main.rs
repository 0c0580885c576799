//! The one integration test binary: every test runs the real `pybootstrap` executable.

mod lint;
mod support;
