//! The answers of `pybootstrap.toml`: the model every other module reads.
mod model;
pub use model::*;
