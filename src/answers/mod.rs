//! The answers of `pybootstrap.toml`: the typed model and its key table, one type per kind
//! of value (checked once, at the border), built-in defaults, what the repo already says,
//! the rules between keys, `--set`, the layered resolution, and loading and saving the file.
//!
//! Precedence, lowest to highest: built-in defaults, what `detect` found, what the repo says,
//! the template pack's defaults, the saved `pybootstrap.toml`, `--set`.

mod model;
pub use model::*;

mod defaults;
mod error;
mod file;
mod infer;
mod keys;
mod resolve;
mod set;
mod validate;
pub(crate) mod value;
pub(crate) mod versions;

pub use defaults::{
    CHECKOUT_ACTION, SETUP_PYTHON_ACTION, SETUP_UV_ACTION, builtin, default_actions,
    sanitise_project_name,
};
pub use error::{Error, Location, Problem};
pub use file::{Saved, parse_saved, render_file, update_file};
pub use infer::Inferred;
pub(crate) use infer::task_warnings;
pub use keys::{KeyInfo, Kind, find_key, keys};
pub use resolve::{Detected, Origin, Pack, Resolved, changes};
pub(crate) use resolve::{Layers, resolve};
pub(crate) use resolve::{display_typed, value_of as current_value, with_value};
pub use set::{Assignment, parse_set};
pub(crate) use set::{parse_sets, typed_value};
pub use validate::validate;
#[cfg(test)]
pub(crate) use value::items;
pub use value::{
    ActionName, ActionPin, CaBundle, Command, ExtraName, IgnoreEntry, IndexUrl, Item, List,
    MakePath, OptionalCommand, OptionalIndexUrl, PackageName, ProjectName, PythonMinor,
    PythonRequires, PythonVersions, RepoPath, RunnerLabel, Schema,
};
pub(crate) use value::{Choice, check_repo_path, choice, make_safe, normalise_name};
pub use versions::{SUPPORTED_MINORS, supported_versions};
