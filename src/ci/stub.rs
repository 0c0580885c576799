//! A provider only the unit tests know, the smallest a provider module can be: it proves
//! that a module and its template are all a provider needs beyond its registration.

use super::{CiFile, CiProvider, Fit};
use crate::project::{Existing, Project};

/// Its pipeline template; the tests add it to the renderer.
pub(crate) const TEMPLATE: &str = "ci/stub/pipeline.yml";
/// Where its pipeline goes.
pub(crate) const PATH: &str = ".stub/pipeline.yml";

pub(crate) struct Stub;

impl CiProvider for Stub {
    fn name(&self) -> &'static str {
        "stub"
    }

    fn templates(&self) -> &'static [&'static str] {
        &[TEMPLATE]
    }

    fn detected(&self, project: &Project) -> Option<&'static str> {
        project.files.is_file(PATH).then_some(PATH)
    }

    fn own_tests(&self, _: &Existing) -> Vec<String> {
        Vec::new()
    }

    fn fit(&self, _: Option<&Existing>) -> Fit {
        let mut context = serde_json::Map::new();
        context.insert("stub_runner".into(), "stub-runner".into());
        Fit {
            files: vec![CiFile::whole(TEMPLATE, PATH)],
            context,
        }
    }
}
