//! The built-in templates (embedded from `templates/`) and the renderer that turns answers
//! into every file `init` and `regen` write.

mod cache;
mod context;
mod filters;
mod needed;
mod pack;

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use include_dir::{Dir, include_dir};
use serde::Deserialize;

use crate::answers::Answers;
use crate::ci;
use crate::project::{Existing, Project};

pub use crate::source::{PackSource, Refresh, SourceError};
pub(crate) use context::pep668_image;
pub use context::{Context, MakeTargets, STAMP_FILE};
pub(crate) use context::{DepsContext, ServicesContext, UV_VERSION};
pub use filters::{
    github_expression_safe, gitignore, line, make, make_path, markdown_code, powershell, sh, yaml,
};
pub use pack::{
    PACK_FILE, Pack, PackOrigin, PackOutput, canonical_root, check_output_path,
    check_output_path_under, check_relative_output,
};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// The prefix under which every built-in template is also registered, so a pack's template
/// can `{% extends "builtin/<id>" %}` the one it replaces.
pub const BUILTIN_PREFIX: &str = "builtin/";

/// What a generated file is for; `regen --only` selects by group.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Scripts,
    Make,
    Ci,
    Docs,
    Ignore,
}

impl Group {
    pub const ALL: [Group; 5] = [
        Group::Scripts,
        Group::Make,
        Group::Ci,
        Group::Docs,
        Group::Ignore,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Scripts => "scripts",
            Group::Make => "make",
            Group::Ci => "ci",
            Group::Docs => "docs",
            Group::Ignore => "ignore",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Group {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Group::ALL
            .into_iter()
            .find(|group| group.as_str() == text)
            .ok_or_else(|| Error::UnknownGroup {
                group: text.to_string(),
            })
    }
}

/// The folder of the templates `pybootstrap snippet` prints; they are never written as files.
pub const SNIPPETS_DIR: &str = "snippets/";

/// How a rendered file lands in the repo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
pub enum Placement {
    /// The file is pybootstrap's, whole.
    Whole,
    /// A marked block inside the user's own file (`Makefile`, `.gitignore`); the caller
    /// adds the markers and keeps every other line.
    ManagedBlock,
}

/// One generated file (or managed block), rendered in memory.
#[derive(Debug, Clone, PartialEq, serde::Serialize, Deserialize)]
pub struct RenderedFile {
    /// Repo-relative, `/`-separated output path.
    pub path: String,
    /// The template id, e.g. `scripts/bootstrap.sh`.
    pub template: String,
    pub group: Group,
    pub placement: Placement,
    /// The whole file, or for a `ManagedBlock` only the block's inner lines.
    pub contents: String,
    pub executable: bool,
    /// For a `ManagedBlock` not yet in the file: the line it goes right after (the end of
    /// the file when `None` or absent).
    pub anchor: Option<String>,
}

/// Where a built-in template's output goes and when the answers call for it. The CI
/// providers' templates are not here: each provider's module places its own (`crate::ci`),
/// and they render between the `make` and the `docs` groups.
struct Builtin {
    id: &'static str,
    group: Group,
    placement: Placement,
    executable: bool,
    /// The output path, which an answer may decide (`docs.path`, `scripts.dir`).
    path: fn(&Context) -> String,
    wanted: fn(&Context) -> bool,
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        id: "scripts/bootstrap.sh",
        group: Group::Scripts,
        placement: Placement::Whole,
        executable: true,
        path: |context| context.scripts.sh.clone(),
        wanted: |_| true,
    },
    Builtin {
        id: "scripts/bootstrap.ps1",
        group: Group::Scripts,
        placement: Placement::Whole,
        executable: false,
        path: |context| context.scripts.ps1.clone(),
        wanted: |_| true,
    },
    Builtin {
        id: "scripts/bootstrap.cmd",
        group: Group::Scripts,
        placement: Placement::Whole,
        executable: false,
        path: |context| context.scripts.cmd.clone(),
        wanted: |_| true,
    },
    Builtin {
        id: "make/Makefile",
        group: Group::Make,
        placement: Placement::ManagedBlock,
        executable: false,
        path: |context| context.make.file.clone(),
        wanted: |context| context.make.enabled,
    },
    Builtin {
        id: "docs/python-environment.md",
        group: Group::Docs,
        placement: Placement::Whole,
        executable: false,
        path: |context| context.docs.path.clone(),
        wanted: |_| true,
    },
    Builtin {
        id: "ignore/gitattributes",
        group: Group::Ignore,
        placement: Placement::ManagedBlock,
        executable: false,
        path: |_| ".gitattributes".into(),
        wanted: |_| true,
    },
    Builtin {
        id: "ignore/gitignore",
        group: Group::Ignore,
        placement: Placement::ManagedBlock,
        executable: false,
        path: |_| ".gitignore".into(),
        wanted: |_| true,
    },
];

/// Why rendering failed. Tera's own top-level message says only which template failed,
/// so the messages here carry its whole cause chain.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("template `{id}` is invalid: {chain}")]
    Template { id: String, chain: String },

    #[error("failed to render `{id}`: {chain}")]
    Render { id: String, chain: String },

    #[error("`{key}` = `{value}` cannot be used in generated files: {reason}")]
    Answer {
        key: String,
        value: String,
        reason: String,
    },

    #[error("`ci.actions` has no pinned ref for `{action}`, which the GitHub workflow uses")]
    MissingAction { action: String },

    #[error("`{group}` is not a group of generated files")]
    UnknownGroup { group: String },

    #[error("template pack `{}` is invalid: {reason}", path.display())]
    Pack { path: PathBuf, reason: String },

    #[error("failed to read template pack file `{}`", path.display())]
    PackIo {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("output path `{path}` is refused: {reason}")]
    OutputPath { path: String, reason: String },

    /// What the repository declares for `deps` cannot be followed (a file a requirement
    /// file pulls in is missing, tox's configuration does not parse, …).
    #[error("{reason}")]
    Declared { reason: String, hint: String },

    #[error(transparent)]
    Source(#[from] SourceError),
}

impl Error {
    fn answer(key: &str, value: &str, reason: &str) -> Self {
        Self::Answer {
            key: key.to_string(),
            value: value.escape_debug().to_string(),
            reason: reason.to_string(),
        }
    }

    fn template(id: &str, error: &tera::Error) -> Self {
        Self::Template {
            id: id.to_string(),
            chain: chain(error),
        }
    }

    fn render(id: &str, error: &tera::Error) -> Self {
        Self::Render {
            id: id.to_string(),
            chain: chain(error),
        }
    }

    /// The fix to suggest under the error, when there is one.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Template { .. } | Self::Render { .. } => Some(
                "check the answers in `pybootstrap.toml`, or the template pack's templates".into(),
            ),
            Self::Answer { key, .. } => Some(format!(
                "change `{key}` in `pybootstrap.toml` (or with `--set {key}=...`)"
            )),
            Self::MissingAction { action } => Some(format!(
                "add `\"{action}\" = \"<full commit sha> # vX.Y.Z\"` under `[ci.actions]` in `pybootstrap.toml`"
            )),
            Self::UnknownGroup { .. } => Some(format!(
                "use one of: {}",
                Group::ALL.map(Group::as_str).join(", ")
            )),
            Self::Pack { .. } => Some(format!(
                "`{PACK_FILE}` needs `name` and `version`, and may have `fixed`, `[defaults]` and `[files]`"
            )),
            Self::PackIo { source, .. } if source.kind() == std::io::ErrorKind::NotFound => Some(
                "`templates` names a directory holding `pack.toml`, relative to the repository or absolute; a pack teammates share lives in git: `templates = \"git+https://host/org/pack.git@TAG\"`".into(),
            ),
            Self::PackIo { .. } => None,
            Self::OutputPath { .. } => Some(
                "generated files stay inside the repo: use a relative path without `..`".into(),
            ),
            Self::Declared { hint, .. } => Some(hint.clone()),
            Self::Source(err) => err.hint(),
        }
    }
}

/// Tera's error and all its causes, joined: `Failed to render 'x': Variable `y` not found`.
fn chain(error: &tera::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.join(": ")
}

/// The built-in templates (and a team pack's, when one is loaded), with the escaping
/// filters registered. A template is parsed the first time a render needs it: parsing is
/// most of a `regen --check`, and one run renders only some of the templates.
pub struct Renderer {
    /// The templates parsed so far; `&self` renders parse more, hence the cell.
    tera: RefCell<tera::Tera>,
    pack: Option<Pack>,
    /// The repository the files are rendered for: what its answers' dependency files
    /// declare, and what it already has, which generated files fit around. `None` renders
    /// the answers alone.
    project: Option<Project>,
    /// Whether a template was added from text (`add_template`): the cache's key knows only
    /// the built-in and pack templates, so such a renderer does not use it.
    added: bool,
}

impl Renderer {
    /// The built-in templates, each under its id.
    pub fn builtin() -> Result<Self, Error> {
        let mut tera = tera::Tera::default();
        // Nothing generated is HTML; escaping is the per-language filters' job.
        tera.autoescape_on(Vec::new());
        filters::register(&mut tera);
        Ok(Self {
            tera: RefCell::new(tera),
            pack: None,
            project: None,
            added: false,
        })
    }

    /// The built-in templates with the pack at `dir` over them (see `with_loaded_pack`).
    pub fn with_pack(dir: &Path) -> Result<Self, Error> {
        Self::with_loaded_pack(Pack::load(dir)?)
    }

    /// The built-in templates with `pack` over them: a pack template with a
    /// built-in's id replaces it (and can `{% extends "builtin/<id>" %}` it); any other
    /// pack template is a file of its own, written where `[files]` in `pack.toml` says.
    pub fn with_loaded_pack(pack: Pack) -> Result<Self, Error> {
        let mut renderer = Self::builtin()?;
        renderer.pack = Some(pack);
        Ok(renderer)
    }

    /// Renders for `project` from now on (what its files declare, the user's `Makefile`
    /// targets, …).
    pub(crate) fn fit(&mut self, project: Project) {
        self.project = Some(project);
    }

    /// The repository rendered for, when there is one.
    pub(crate) fn project(&self) -> Option<&Project> {
        self.project.as_ref()
    }

    /// The repository rendered for, to add the files answers name.
    pub(crate) fn project_mut(&mut self) -> Option<&mut Project> {
        self.project.as_mut()
    }

    fn existing(&self) -> Option<&Existing> {
        self.project.as_ref().map(|project| &project.existing)
    }

    /// The text of the template named `id`: the pack's, else the built-in's. Only a pack
    /// extends the built-ins, so only with one are they also found under `builtin/<id>`.
    fn source(&self, id: &str) -> Option<&str> {
        if let Some(pack) = &self.pack {
            if let Some(text) = pack.templates.get(id) {
                return Some(text);
            }
            if let Some(builtin) = id.strip_prefix(BUILTIN_PREFIX) {
                return template_source(builtin);
            }
        }
        template_source(id)
    }

    /// Parses the templates rendering `ids` needs that are not parsed yet, in one batch:
    /// tera resolves inheritance when templates are added, so parents come along.
    fn load(&self, ids: &[&str]) -> Result<(), Error> {
        let mut tera = self.tera.borrow_mut();
        let parsed: HashSet<String> = tera.get_template_names().map(str::to_string).collect();
        // A parsed template's own references were parsed with it.
        let missing = needed::needed(ids, |id| {
            (!parsed.contains(id)).then(|| self.source(id)).flatten()
        });
        if missing.is_empty() {
            return Ok(());
        }
        let what = match &self.pack {
            Some(pack)
                if missing
                    .iter()
                    .any(|(id, _)| pack.templates.contains_key(id)) =>
            {
                format!("pack `{}`", pack.name)
            }
            _ => "built-in templates".to_string(),
        };
        tera.add_raw_templates(missing)
            .map_err(|error| Error::template(&what, &error))
    }

    /// pybootstrap's `Makefile` target names in this repo.
    pub(crate) fn make_targets(&self) -> MakeTargets {
        self.existing()
            .and_then(|existing| existing.makefile.as_ref())
            .map_or_else(MakeTargets::plain, |makefile| {
                MakeTargets::around(&makefile.targets)
            })
    }

    /// What the bootstrap rendered for `answers` installs, read from the repository as a
    /// render reads it (`bundle` fetches exactly that).
    pub(crate) fn deps_context(&self, answers: &Answers) -> Result<DepsContext, Error> {
        Ok(self.context(answers)?.deps)
    }

    /// The context for `answers`, placed around what the repo already has.
    fn context(&self, answers: &Answers) -> Result<Context, Error> {
        let mut context = Context::new(answers)?;
        if let Some(project) = &self.project {
            context.deps.read_repo(project, answers)?;
            context.make.file = project.makefile_name.to_string();
            context.services =
                ServicesContext::new(project.services(&answers.tasks.test.to_string()).as_ref())?;
        }
        context.make.targets = self.make_targets();
        let no_repo = ci::Own::default();
        let own = self.existing().map_or(&no_repo, |existing| &existing.ci);
        context.ci.full = own.tests().is_empty();
        context.ci.fit(own);
        let place = self
            .project
            .as_ref()
            .map(|project| project.place.clone())
            .unwrap_or_default();
        context.ci.place(&place, &context.deps);
        Ok(context)
    }

    /// The loaded pack, if any (its name and version go into the lock).
    pub fn pack(&self) -> Option<&Pack> {
        self.pack.as_ref()
    }

    /// Renders every file the answers call for, in a stable order; from the cache when
    /// these templates rendered this context before.
    pub fn render_all(&self, answers: &Answers) -> Result<Vec<RenderedFile>, Error> {
        let context = self.context(answers)?;
        let key = (!self.added)
            .then(|| cache::Key::new(self.pack.as_ref(), &format!("{context:?}")))
            .flatten();
        if let Some(files) = key.as_ref().and_then(cache::load) {
            return Ok(files);
        }
        let files = self.render_context(&context)?;
        if let Some(key) = &key {
            cache::save(key, &files);
        }
        Ok(files)
    }

    fn render_context(&self, context: &Context) -> Result<Vec<RenderedFile>, Error> {
        let tera_context = tera::Context::from_serialize(context)
            .map_err(|error| Error::render("context", &error))?;
        let builtins: Vec<&Builtin> = BUILTINS
            .iter()
            .filter(|builtin| (builtin.wanted)(context))
            .collect();
        // A pack's own templates, but not its `_name` partials for `{% include %}`.
        let own: Vec<&String> = self
            .pack
            .iter()
            .flat_map(|pack| pack.templates.keys())
            .filter(|id| {
                let partial = id
                    .rsplit('/')
                    .next()
                    .is_some_and(|name| name.starts_with('_'));
                template_source(id).is_none() && !partial
            })
            .collect();
        let ids: Vec<&str> = builtins
            .iter()
            .map(|builtin| builtin.id)
            .chain(context.ci.files.iter().map(|file| file.template))
            .chain(own.iter().map(|id| id.as_str()))
            .collect();
        self.load(&ids)?;
        let mut files = Vec::new();
        let (before_ci, after_ci): (Vec<&Builtin>, Vec<&Builtin>) = builtins
            .into_iter()
            .partition(|builtin| builtin.group < Group::Ci);
        for builtin in before_ci {
            files.push(self.render_builtin(builtin, context, &tera_context)?);
        }
        self.render_ci(context, &tera_context, &mut files)?;
        for builtin in after_ci {
            files.push(self.render_builtin(builtin, context, &tera_context)?);
        }
        if let Some(pack) = &self.pack {
            for id in own {
                let output = pack.files.get(id);
                let path = output
                    .and_then(|output| output.path.clone())
                    .unwrap_or_else(|| id.clone());
                files.push(RenderedFile {
                    anchor: None,
                    path,
                    template: id.clone(),
                    group: output
                        .and_then(|output| output.group)
                        .unwrap_or(Group::Docs),
                    placement: Placement::Whole,
                    contents: self.render_one(id, &tera_context)?,
                    executable: output.is_some_and(|output| output.executable),
                });
            }
        }
        // A monorepo project's pipeline goes up to the repository root, and only there.
        let up = self
            .project
            .as_ref()
            .map(|project| project.place.up())
            .unwrap_or_default();
        for file in &files {
            let path = match file.path.strip_prefix(&up) {
                Some(from_root) if file.group == Group::Ci && !up.is_empty() => from_root,
                _ => &file.path,
            };
            check_relative_output(path)?;
        }
        Ok(files)
    }

    /// Renders `builtin` into `files` when the answers call for it.
    fn render_builtin(
        &self,
        builtin: &Builtin,
        context: &Context,
        tera_context: &tera::Context,
    ) -> Result<RenderedFile, Error> {
        Ok(RenderedFile {
            anchor: None,
            path: (builtin.path)(context),
            template: builtin.id.to_string(),
            group: builtin.group,
            placement: builtin.placement,
            contents: self.render_one(builtin.id, tera_context)?,
            executable: builtin.executable,
        })
    }

    /// Renders the chosen CI providers' files into `files`, where their modules placed them.
    fn render_ci(
        &self,
        context: &Context,
        tera_context: &tera::Context,
        files: &mut Vec<RenderedFile>,
    ) -> Result<(), Error> {
        let place = self
            .project
            .as_ref()
            .map(|project| project.place.clone())
            .unwrap_or_default();
        for file in &context.ci.files {
            files.push(RenderedFile {
                anchor: file.anchor.map(ToString::to_string),
                path: place.ci_path(file.path),
                template: file.template.to_string(),
                group: Group::Ci,
                placement: if file.block {
                    Placement::ManagedBlock
                } else {
                    Placement::Whole
                },
                contents: self.render_one(file.template, tera_context)?,
                executable: false,
            });
        }
        Ok(())
    }

    /// Renders one template by id over the answers.
    pub fn render(&self, id: &str, answers: &Answers) -> Result<String, Error> {
        let context = self.context(answers)?;
        let tera_context = tera::Context::from_serialize(&context)
            .map_err(|error| Error::render("context", &error))?;
        self.load(&[id])?;
        self.render_one(id, &tera_context)
    }

    /// Renders one template by id over the answers, with `extra` beside them under `name`
    /// (e.g. what a snippet's own flags chose).
    pub fn render_with(
        &self,
        id: &str,
        answers: &Answers,
        name: &str,
        extra: &impl serde::Serialize,
    ) -> Result<String, Error> {
        let context = self.context(answers)?;
        let mut tera_context = tera::Context::from_serialize(&context)
            .map_err(|error| Error::render("context", &error))?;
        tera_context.insert(name, extra);
        self.load(&[id])?;
        self.render_one(id, &tera_context)
    }

    /// Renders a template whose needs `load` has parsed.
    fn render_one(&self, id: &str, context: &tera::Context) -> Result<String, Error> {
        self.tera
            .borrow()
            .render(id, context)
            .map_err(|error| Error::render(id, &error))
    }

    /// Adds (or replaces) a template from text, for packs and for tests.
    pub fn add_template(&mut self, id: &str, contents: &str) -> Result<(), Error> {
        self.added = true;
        self.load(&needed::references(contents))?;
        self.tera
            .get_mut()
            .add_raw_template(id, contents)
            .map_err(|error| Error::template(id, &error))
    }
}

/// The ids of the built-in templates, e.g. `scripts/bootstrap.sh`.
pub fn template_ids() -> Vec<&'static str> {
    builtin_templates().into_iter().map(|(id, _)| id).collect()
}

/// The group a built-in template belongs to.
pub fn template_group(id: &str) -> Option<Group> {
    let ci = ci::providers().any(|provider| provider.templates().contains(&id));
    BUILTINS
        .iter()
        .find(|builtin| builtin.id == id)
        .map(|builtin| builtin.group)
        .or(ci.then_some(Group::Ci))
}

/// Whether a pack's template `text` for the built-in `id` extends that built-in (and so
/// overrides some of its blocks) rather than replacing it whole.
pub fn extends_builtin(id: &str, text: &str) -> bool {
    needed::parent(text).and_then(|parent| parent.strip_prefix(BUILTIN_PREFIX)) == Some(id)
}

/// The text of a built-in template.
pub fn template_source(id: &str) -> Option<&'static str> {
    TEMPLATES.get_file(id).and_then(|file| file.contents_utf8())
}

/// Every embedded template: (id, text), sorted by id.
fn builtin_templates() -> Vec<(&'static str, &'static str)> {
    fn walk(dir: &'static Dir<'static>, out: &mut Vec<(&'static str, &'static str)>) {
        for file in dir.files() {
            if let (Some(id), Some(text)) = (file.path().to_str(), file.contents_utf8()) {
                out.push((id, text));
            }
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut templates = Vec::new();
    walk(&TEMPLATES, &mut templates);
    templates.sort_unstable();
    templates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_has_a_template_and_every_template_a_builtin() {
        let ids = template_ids();
        let ci_ids: Vec<&str> = ci::providers()
            .flat_map(|provider| provider.templates().iter().copied())
            .collect();
        let builtin_ids = BUILTINS.iter().map(|builtin| builtin.id);
        for id in builtin_ids.clone().chain(ci_ids.iter().copied()) {
            assert!(ids.contains(&id), "{id} has no template");
        }
        let files = ids.iter().filter(|id| !id.starts_with(SNIPPETS_DIR));
        assert_eq!(files.count(), BUILTINS.len() + ci_ids.len(), "{ids:?}");
    }

    #[test]
    fn undefined_variables_are_errors() {
        let mut renderer = Renderer::builtin().expect("built-ins load");
        renderer
            .add_template("test/undefined", "{{ nope.value }}")
            .expect("parses");
        let error = renderer
            .render_one("test/undefined", &tera::Context::new())
            .expect_err("undefined variable");
        let message = error.to_string();
        assert!(message.contains("nope.value"), "{message}");
    }

    /// The templates tera has parsed, sorted.
    fn parsed(renderer: &Renderer) -> Vec<String> {
        let mut names: Vec<String> = renderer
            .tera
            .borrow()
            .get_template_names()
            .map(str::to_string)
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_render_parses_what_it_renders_and_what_that_pulls_in_only() {
        let mut answers = crate::answers::builtin("demo");
        answers.make.enabled = false;
        answers.ci.providers = crate::answers::List::empty();
        let renderer = Renderer::builtin().expect("built-ins load");
        let files = renderer.render_all(&answers).expect("renders");
        // No built-in file template pulls in another, so the count is the files'.
        assert_eq!(
            parsed(&renderer).len(),
            files.len(),
            "{:?}",
            parsed(&renderer)
        );

        // A snippet brings its partial; what is parsed already is not parsed again.
        let rendered = files.len();
        renderer
            .render("snippets/github.yml", &answers)
            .expect("renders");
        renderer.render_all(&answers).expect("renders again");
        assert_eq!(
            parsed(&renderer).len(),
            rendered + 2,
            "{:?}",
            parsed(&renderer)
        );
    }

    #[test]
    fn a_pack_override_brings_the_built_in_it_extends_and_nothing_else() {
        let mut answers = crate::answers::builtin("demo");
        answers.make.enabled = false;
        answers.ci.providers = crate::answers::List::empty();
        let docs = "docs/python-environment.md";
        let gitlab = "ci/gitlab/gitlab-ci.yml";
        let overrides = [
            (
                docs.to_string(),
                format!("{{% extends \"{BUILTIN_PREFIX}{docs}\" %}}"),
            ),
            // Not rendered without GitLab, so neither it nor its parent is parsed.
            (
                gitlab.to_string(),
                format!("{{% extends \"{BUILTIN_PREFIX}{gitlab}\" %}}"),
            ),
        ];
        let pack = Pack {
            dir: PathBuf::from("/tmp/pack"),
            name: "team".into(),
            version: "1".into(),
            fixed: Vec::new(),
            defaults: toml::Table::new(),
            templates: overrides.into_iter().collect(),
            files: std::collections::BTreeMap::new(),
            origin: None,
        };
        let renderer = Renderer::with_loaded_pack(pack).expect("pack loads");
        let files = renderer.render_all(&answers).expect("renders");
        let names = parsed(&renderer);
        assert_eq!(names.len(), files.len() + 1, "{names:?}");
        assert!(
            names.contains(&format!("{BUILTIN_PREFIX}{docs}")),
            "{names:?}"
        );

        let plain = Renderer::builtin().expect("built-ins load");
        let docs_file = |files: &[RenderedFile]| {
            files
                .iter()
                .find(|file| file.template == docs)
                .map(|file| file.contents.clone())
        };
        let builtin_files = plain.render_all(&answers).expect("renders");
        assert_eq!(docs_file(&files), docs_file(&builtin_files));
    }

    #[test]
    fn every_builtin_template_parses() {
        let renderer = Renderer::builtin().expect("built-ins load");
        renderer
            .load(&template_ids())
            .expect("every template parses");
        assert_eq!(parsed(&renderer).len(), template_ids().len());
    }

    #[test]
    fn groups_round_trip_through_text() {
        for group in Group::ALL {
            assert_eq!(group.to_string().parse::<Group>().expect("parses"), group);
        }
        assert!("nope".parse::<Group>().is_err());
    }

    #[test]
    fn a_registered_provider_renders_its_template_to_its_path() {
        use crate::ci::{CiProvider, stub};
        let mut renderer = Renderer::builtin().expect("built-ins load");
        renderer
            .add_template(
                stub::TEMPLATE,
                "runs-on: {{ ci.stub_runner }} # {{ project.name }}\n",
            )
            .expect("parses");
        let answers = crate::answers::builtin("demo");
        let mut context = renderer.context(&answers).expect("context");
        // What `ci.providers = ["stub"]` would choose, were the stub a `Provider`.
        context.ci.providers.insert("stub".to_string(), true);
        let registry = [&stub::Stub as &dyn CiProvider];
        context
            .ci
            .fit(&ci::Own::read(registry, |_| Vec::new(), &ci::NoScripts));
        let tera_context = tera::Context::from_serialize(&context).expect("serialises");
        let mut files = Vec::new();
        renderer
            .render_ci(&context, &tera_context, &mut files)
            .expect("renders");
        let rendered: Vec<_> = files
            .iter()
            .map(|file| (file.path.as_str(), file.group, file.contents.as_str()))
            .collect();
        assert_eq!(
            rendered,
            [(stub::PATH, Group::Ci, "runs-on: stub-runner # demo\n")]
        );
    }
}
