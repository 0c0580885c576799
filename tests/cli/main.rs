//! The one integration test binary: every test runs the real `pybootstrap` executable.

mod marker;
mod support;
