//! A provider only the unit tests know, the smallest a provider module can be: it proves
//! that a module and its template are all a provider needs beyond its registration.

use super::{CiFile, CiProvider, Facts, Fit, Found, Location, Scripts};

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

    fn locations(&self) -> &'static [Location] {
        &[Location::File(PATH)]
    }

    fn read(&self, found: &[Found<'_>], _: &dyn Scripts) -> Facts {
        let mut context = serde_json::Map::new();
        context.insert("stub_runner".into(), "stub-runner".into());
        Facts {
            detected: found.first().map(|_| PATH),
            own_tests: Vec::new(),
            test_steps: Vec::new(),
            fit: Fit {
                files: vec![CiFile::whole(TEMPLATE, PATH)],
                context,
            },
            notes: Vec::new(),
            python: None,
            services: None,
        }
    }
}

/// A judge for which naming pytest is running the tests, for the providers' reader tests.
pub(crate) struct Pytest;

impl Scripts for Pytest {
    fn names_test_runner(&self, text: &str) -> bool {
        text.contains("pytest")
    }

    fn runs_tests(&self, _: &super::Step) -> bool {
        false
    }
}
