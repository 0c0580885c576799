//! `pybootstrap bundle DIR`: the offline kit for the repository's answers, built in a
//! staging directory beside DIR and moved into place only once complete and checked, so a
//! failed run leaves an earlier kit as it was.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::answers::{Choice, PythonMinor};
use crate::bundle::manifest::{self, DepsRecord, FileRecord, Manifest};
use crate::bundle::recipe::{Pins, Recipe, Word};
use crate::bundle::venv::{self, StepError, Venv, run_for};
use crate::bundle::{MANIFEST_FILE, REQUIREMENTS_FILE, SUMS_FILE, WHEELS_DIR};
use crate::cli::BundleArgs;
use crate::error::{Error, Outcome};
use crate::output::Printer;
use crate::workspace::{ANSWERS_FILE, Workspace, find_repo};

/// Why `bundle` refuses its arguments or stops.
#[derive(Debug, thiserror::Error)]
enum BundleError {
    #[error("`--python`: {problem}")]
    Python { problem: String },

    #[error("`--platform {value}` is not a platform tag")]
    Platform { value: String },

    #[error("`--index-url {value}` is not an http, https or file URL")]
    IndexUrl { value: String },

    #[error("`--archive {}` does not end in `.tar.gz` or `.tgz`", path.display())]
    ArchiveName { path: PathBuf },

    #[error("`{}` exists and is not a directory", path.display())]
    NotADirectory { path: PathBuf },

    #[error("`{}` holds files and no `{MANIFEST_FILE}`: it is not an earlier kit", path.display())]
    NotAKit { path: PathBuf },

    #[error("no `{ANSWERS_FILE}` in `{}` or above it", dir.display())]
    NoAnswers { dir: PathBuf },

    #[error(
        "`{}` is a uv workspace's root, whose bootstrap syncs every member (`uv sync --all-packages`): an offline kit cannot install the members yet, and a kit without them would build an incomplete environment",
        dir.display()
    )]
    Workspace { dir: PathBuf },

    #[error(transparent)]
    Step(#[from] StepError),

    #[error("the kit written to `{}` does not check: {reason}", path.display())]
    Check { path: PathBuf, reason: String },

    #[error("`tar` could not write `{}`:\n{output}", path.display())]
    Archive { path: PathBuf, output: String },
}

impl BundleError {
    fn hint(&self) -> Option<String> {
        match self {
            Self::Python { .. } => Some("name a CPython version as `3.N`, e.g. `--python 3.12`".into()),
            Self::Platform { .. } => Some(
                "name it as pip's `--platform` does, e.g. `manylinux2014_x86_64`, `win_amd64`, `macosx_11_0_arm64`".into(),
            ),
            Self::IndexUrl { .. } => Some("e.g. `--index-url https://pypi.org/simple`".into()),
            Self::ArchiveName { .. } => Some("e.g. `--archive kit.tar.gz`".into()),
            Self::NotADirectory { .. } | Self::NotAKit { .. } => {
                Some("name a new or empty directory, or one an earlier `bundle` wrote".into())
            }
            Self::NoAnswers { .. } => Some(
                "run `pybootstrap init` first, or pass the repository with `--project DIR`".into(),
            ),
            Self::Workspace { .. } => Some(
                "build the environment online (`./scripts/bootstrap.sh`), or set up one member on its own (`pybootstrap init DIR`) and bundle that".into(),
            ),
            Self::Step(error) => error.hint(),
            Self::Check { .. } => Some("run `pybootstrap bundle` again".into()),
            Self::Archive { .. } => Some("check that the archive's directory exists and is writable".into()),
        }
    }
}

impl From<BundleError> for Error {
    fn from(error: BundleError) -> Self {
        let hint = error.hint();
        let mut message = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        Self::Input { message, hint }
    }
}

/// The validated command line.
struct Request {
    dir: Option<PathBuf>,
    archive: Option<PathBuf>,
    pythons: Vec<PythonMinor>,
    platforms: Vec<String>,
    index_url: Option<String>,
}

/// Checks every argument before anything is read or fetched.
fn request(args: &BundleArgs) -> Result<Request, BundleError> {
    let pythons = args
        .pythons
        .iter()
        .map(|value| {
            value
                .parse::<PythonMinor>()
                .map_err(|problem| BundleError::Python {
                    problem: problem.to_string(),
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    for value in &args.platforms {
        let tag = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if !tag {
            return Err(BundleError::Platform {
                value: value.escape_debug().to_string(),
            });
        }
    }
    if let Some(url) = &args.index_url {
        let scheme = ["http://", "https://", "file://"]
            .iter()
            .any(|scheme| url.starts_with(scheme));
        if !scheme || url.chars().any(char::is_whitespace) {
            return Err(BundleError::IndexUrl {
                value: url.escape_debug().to_string(),
            });
        }
    }
    if let Some(archive) = &args.archive {
        let name = archive
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        let archive_name = |name: String| {
            let name = name.to_ascii_lowercase();
            [".tar.gz", ".tgz"]
                .iter()
                .any(|suffix| name.ends_with(suffix))
        };
        if !name.is_some_and(archive_name) {
            return Err(BundleError::ArchiveName {
                path: archive.clone(),
            });
        }
    }
    if let Some(dir) = &args.dir {
        if dir.exists() && !dir.is_dir() {
            return Err(BundleError::NotADirectory { path: dir.clone() });
        }
        let holds_files = dir.is_dir()
            && fs_err::read_dir(dir)
                .map(|mut entries| entries.next().is_some())
                .unwrap_or(true);
        if holds_files && Manifest::read(dir).is_none() {
            return Err(BundleError::NotAKit { path: dir.clone() });
        }
    }
    let mut platforms = args.platforms.clone();
    platforms.dedup();
    Ok(Request {
        dir: args.dir.clone(),
        archive: args.archive.clone(),
        pythons,
        platforms,
        index_url: args.index_url.clone(),
    })
}

pub(super) fn run(args: &BundleArgs, printer: &Printer) -> Result<Outcome, Error> {
    let request = request(args)?;
    let cwd = std::env::current_dir()?;
    let start = args
        .project
        .as_ref()
        .map_or(cwd.clone(), |dir| cwd.join(dir));
    let repo = find_repo(&start).ok_or(BundleError::NoAnswers { dir: start })?;
    let workspace = Workspace::open(&repo, Vec::new(), None)?;
    let answers = workspace.resolved.answers.clone();
    // The team's index (`network.index`) unless the command line names another.
    let index_url = request
        .index_url
        .clone()
        .or_else(|| answers.network.index.url().map(str::to_string));
    let deps = workspace.renderer.deps_context(&answers)?;
    if deps.all_packages {
        return Err(BundleError::Workspace { dir: repo }.into());
    }
    let pyproject = read_pyproject(&repo);
    let recipe = Recipe::new(
        &deps,
        &answers,
        project_builds(pyproject.as_ref()),
        repo.join("Pipfile.lock").is_file(),
    );
    let mut pythons = if request.pythons.is_empty() {
        answers.python.versions.iter().copied().collect::<Vec<_>>()
    } else {
        request.pythons.clone()
    };
    pythons.sort();
    pythons.dedup();
    let pythons: Vec<String> = pythons.iter().map(ToString::to_string).collect();

    // Staged beside DIR so the finished kit is one rename away; a failure drops it.
    let parent = request
        .dir
        .as_ref()
        .and_then(|dir| absolute(&cwd, dir).parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir);
    fs_err::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".pybootstrap-kit-")
        .tempdir_in(&parent)?;
    let work = tempfile::tempdir()?;
    let wheels = staging.path().join(WHEELS_DIR);
    fs_err::create_dir_all(&wheels)?;

    printer.note("Making pybootstrap's venv for the downloads");
    let base = venv::base_interpreter(&pythons).map_err(BundleError::from)?;
    let venv = Venv::create(&work.path().join("venv"), &base, index_url.as_deref())
        .map_err(BundleError::from)?;
    // pip evaluates markers for the Python it runs on: one venv per target version.
    let mut notes = Vec::new();
    let mut resolvers: Vec<(String, Option<Venv>)> = Vec::new();
    for python in &pythons {
        if *python == venv.version {
            resolvers.push((python.clone(), None));
            continue;
        }
        let made = if let Some(base) = venv::interpreter(python) {
            Some(
                Venv::create(
                    &work.path().join(format!("venv-{python}")),
                    &base,
                    index_url.as_deref(),
                )
                .map_err(BundleError::from)?,
            )
        } else {
            let note = format!(
                "no Python {python} on this machine: the dependencies for {python} were resolved on Python {}, so a dependency only Python {python} needs (a `python_version` marker) may be missing",
                venv.version
            );
            printer.note(&format!("warning: {note}"));
            notes.push(note);
            None
        };
        resolvers.push((python.clone(), made));
    }
    let native = venv.platform_tag().map_err(BundleError::from)?;
    let targets: Vec<Option<String>> = if request.platforms.is_empty() {
        vec![None]
    } else {
        request.platforms.iter().cloned().map(Some).collect()
    };

    let project_wheel = if recipe.project {
        printer.note("Building the project's wheel (pip wheel --no-deps)");
        Some(build_wheel(&venv, &repo, &wheels)?)
    } else {
        None
    };

    // The requirement files `pip download` reads, for each target.
    let mut requirement_files: Vec<PathBuf> = Vec::new();
    let mut pip_words: Vec<String> = Vec::new();
    match &recipe.pins {
        Pins::Pip { words, groups } => {
            for word in words {
                pip_words.push(match word {
                    Word::Text(text) => text.clone(),
                    Word::Project { extras } => {
                        let wheel = wheels.join(project_wheel.as_deref().unwrap_or_default());
                        let extras = if extras.is_empty() {
                            String::new()
                        } else {
                            format!("[{}]", extras.join(","))
                        };
                        format!("{}{extras}", wheel.display())
                    }
                });
            }
            for group in groups {
                pip_words.push("--group".into());
                pip_words.push(group.clone());
            }
        }
        Pins::Export(export) => {
            printer.note(&format!("Exporting the lock's pins with {}", export.tool));
            let install: Vec<&str> = export.install.iter().map(String::as_str).collect();
            venv.pip_install(&install).map_err(BundleError::from)?;
            let exported = staging.path().join(REQUIREMENTS_FILE);
            run_for(
                venv.tool(export.tool)
                    .args(&export.args)
                    .arg(export.output_flag)
                    .arg(&exported)
                    .current_dir(&repo),
                &format!("`{} {}`", export.tool, export.args.join(" ")),
                "",
            )
            .map_err(BundleError::from)?;
            // Local projects (`-e ./member`) install from the checkout, not from the kit.
            let text = fs_err::read_to_string(&exported)?;
            let remote: String = text
                .lines()
                .filter(|line| !line.trim_start().starts_with("-e ") && !line.starts_with("./"))
                .map(|line| format!("{line}\n"))
                .collect();
            let download = work.path().join("exported.txt");
            fs_err::write(&download, remote)?;
            requirement_files.push(download);
        }
        Pins::PipfileLock { groups } => {
            let hashed = work.path().join("pipfile-lock.txt");
            let unhashed = work.path().join("pipfile-lock-unhashed.txt");
            let mut command = Command::new(&venv.python);
            command
                .arg("-")
                .arg("Pipfile.lock")
                .arg(&hashed)
                .arg(&unhashed)
                .arg("default")
                .args(groups)
                .current_dir(&repo)
                .stdin(std::process::Stdio::piped());
            read_pipfile_lock(command, deps.pipfile_lock_reader)?;
            requirement_files.extend([hashed, unhashed]);
        }
        Pins::Nothing => {}
    }
    let build_requires = if recipe.project {
        let mut requires = build_requirements(pyproject.as_ref());
        if pyproject.is_some() {
            requires.extend(editable_requirements(&venv, &repo, &requires)?);
        }
        requires
    } else {
        Vec::new()
    };

    for (python, own) in &resolvers {
        let resolver = own.as_ref().unwrap_or(&venv);
        for platform in &targets {
            let target = format!(
                " for Python {python} on {}",
                platform.as_deref().unwrap_or(&native)
            );
            printer.note(&format!("Downloading wheels{target}"));
            let download = |words: &[String], what: &str| -> Result<(), BundleError> {
                if words.is_empty() {
                    return Ok(());
                }
                let mut command = resolver.pip("download");
                command
                    .arg("--dest")
                    .arg(&wheels)
                    .args(["--only-binary=:all:", "--python-version", python])
                    .current_dir(&repo);
                if let Some(platform) = platform {
                    command.args(["--platform", platform]);
                }
                command.args(words);
                run_for(&mut command, what, &target)?;
                Ok(())
            };
            download(&pip_words, "downloading the dependencies")?;
            for file in &requirement_files {
                if fs_err::metadata(file)?.len() > 0 {
                    let words = ["--requirement".to_string(), file.display().to_string()];
                    download(&words, "downloading the locked dependencies")?;
                }
            }
            download(
                &build_requires,
                "downloading the project's build requirements",
            )?;
            download(&recipe.extra, "downloading the tools")?;
        }
    }

    let files = checksums(staging.path())?;
    let lock_sha256 = match recipe.lock_file {
        Some(lock) => fs_err::read(repo.join(lock))
            .ok()
            .map(|bytes| manifest::sha256_hex(&bytes)),
        None => None,
    };
    let answers_text = fs_err::read(repo.join(ANSWERS_FILE))?;
    let manifest = Manifest {
        format: manifest::FORMAT,
        created_by: format!("pybootstrap {}", env!("CARGO_PKG_VERSION")),
        project: answers.project.name.to_string(),
        pythons: pythons.clone(),
        platforms: if request.platforms.is_empty() {
            vec![native.clone()]
        } else {
            request.platforms.clone()
        },
        index_url: index_url
            .as_deref()
            .map(without_credentials)
            .unwrap_or_default(),
        answers_sha256: manifest::sha256_hex(&answers_text),
        deps: DepsRecord {
            source: answers.deps.source.name(),
            files: deps.files.clone(),
            extras: deps.extras.clone(),
            groups: deps.groups.clone(),
            lock: recipe.lock_file.map(str::to_string),
            lock_sha256,
            project_wheel: project_wheel.clone(),
            tools: recipe.extra.clone(),
        },
        notes,
        files: files.clone(),
    };
    fs_err::write(staging.path().join(MANIFEST_FILE), manifest.to_toml())?;
    let mut summed = files.clone();
    summed.push(FileRecord {
        path: MANIFEST_FILE.to_string(),
        sha256: manifest::sha256_hex(manifest.to_toml().as_bytes()),
    });
    fs_err::write(staging.path().join(SUMS_FILE), manifest::sums_text(&summed))?;
    let checked = manifest::verify(staging.path())?;
    if let Err(reason) = checked {
        return Err(BundleError::Check {
            path: staging.path().to_path_buf(),
            reason: reason.to_string(),
        }
        .into());
    }

    let wheel_count = files.iter().filter(|file| is_wheel(&file.path)).count();
    if let Some(archive) = &request.archive {
        write_archive(staging.path(), &absolute(&cwd, archive))?;
        println!("Wrote {} ({wheel_count} wheels)", archive.display());
    }
    if let Some(dir) = &request.dir {
        let dir = absolute(&cwd, dir);
        let staged = staging.keep();
        if dir.exists() {
            // An earlier kit (checked above): set aside, then dropped once the new one is in.
            let old = tempfile::Builder::new()
                .prefix(".pybootstrap-kit-old-")
                .tempdir_in(&parent)?;
            fs_err::rename(&dir, old.path().join("kit"))?;
            fs_err::rename(&staged, &dir)?;
        } else {
            fs_err::rename(&staged, &dir)?;
        }
        let dir = dir.canonicalize().unwrap_or(dir);
        println!(
            "Wrote the offline kit {} ({wheel_count} wheels for Python {} on {})",
            dir.display(),
            pythons.join(", "),
            manifest.platforms.join(", ")
        );
        println!(
            "Install from it with no index: sh {}/bootstrap.sh --offline {}",
            answers.scripts.dir,
            dir.display()
        );
    }
    Ok(Outcome::Success)
}

fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}

fn read_pyproject(repo: &Path) -> Option<toml::Table> {
    let text = fs_err::read_to_string(repo.join("pyproject.toml")).ok()?;
    toml::from_str(&text).ok()
}

/// What the bootstrap checks before installing a locked project: a `[build-system]`, and
/// no `package-mode = false` (Poetry) or `distribution = false` (PDM).
fn project_builds(pyproject: Option<&toml::Table>) -> bool {
    let Some(pyproject) = pyproject else {
        return false;
    };
    let tool = |name: &str, key: &str| {
        pyproject
            .get("tool")
            .and_then(|tool| tool.get(name))
            .and_then(|table| table.get(key))
            .and_then(toml::Value::as_bool)
    };
    pyproject.contains_key("build-system")
        && tool("poetry", "package-mode") != Some(false)
        && tool("pdm", "distribution") != Some(false)
}

/// `[build-system] requires`, or what pip builds a project without one with.
fn build_requirements(pyproject: Option<&toml::Table>) -> Vec<String> {
    let declared = pyproject
        .and_then(|pyproject| pyproject.get("build-system"))
        .and_then(|system| system.get("requires"))
        .and_then(toml::Value::as_array)
        .map(|requires| {
            requires
                .iter()
                .filter_map(toml::Value::as_str)
                .map(str::to_string)
                .collect()
        });
    declared.unwrap_or_else(|| vec!["setuptools>=40.8.0".into(), "wheel".into()])
}

/// What the project's build backend asks for on top of `requires` to build it editable
/// (hatchling: `editables`), asked of the backend itself with `requires` installed in the
/// venv, through the hook caller pip ships.
fn editable_requirements(
    venv: &Venv,
    repo: &Path,
    requires: &[String],
) -> Result<Vec<String>, Error> {
    const ASK: &str = r#"
try:
    import tomllib
except ImportError:
    from pip._vendor import tomli as tomllib
from pip._vendor.pyproject_hooks import BuildBackendHookCaller
with open("pyproject.toml", "rb") as file:
    system = tomllib.load(file).get("build-system", {})
backend = system.get("build-backend", "setuptools.build_meta:__legacy__")
caller = BuildBackendHookCaller(".", backend, backend_path=system.get("backend-path"))
for requirement in caller.get_requires_for_build_editable():
    print("pybootstrap-requires:", requirement)
"#;
    let words: Vec<&str> = requires.iter().map(String::as_str).collect();
    if !words.is_empty() {
        venv.pip_install(&words).map_err(BundleError::from)?;
    }
    let output = run_for(
        Command::new(&venv.python)
            .args(["-c", ASK])
            .current_dir(repo),
        "asking the build backend what an editable install needs",
        "",
    )
    .map_err(BundleError::from)?;
    // The backend's own chatter (setuptools' `running egg_info`) shares the output.
    Ok(output
        .lines()
        .filter_map(|line| line.strip_prefix("pybootstrap-requires: "))
        .map(|requirement| requirement.trim().to_string())
        .collect())
}

/// `pip wheel --no-deps` of the project into `wheels`; the name of the wheel it made.
fn build_wheel(venv: &Venv, repo: &Path, wheels: &Path) -> Result<String, Error> {
    let before = wheel_names(wheels)?;
    let mut command = venv.pip("wheel");
    command
        .args(["--no-deps", "--wheel-dir"])
        .arg(wheels)
        .arg(repo);
    run_for(&mut command, "building the project's wheel", "").map_err(BundleError::from)?;
    let made = wheel_names(wheels)?
        .into_iter()
        .find(|name| !before.contains(name));
    made.ok_or_else(|| {
        BundleError::Step(StepError::Failed {
            what: "building the project's wheel".into(),
            code: 0,
            output: "pip made no wheel".into(),
        })
        .into()
    })
}

fn is_wheel(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("whl"))
}

fn wheel_names(dir: &Path) -> Result<Vec<String>, Error> {
    let mut names = Vec::new();
    for entry in fs_err::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if is_wheel(&name) {
            names.push(name);
        }
    }
    Ok(names)
}

/// Runs the bootstrap's own `Pipfile.lock` reader, fed on stdin as the bootstrap feeds it.
fn read_pipfile_lock(mut command: Command, reader: &str) -> Result<(), Error> {
    use std::io::Write;
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(reader.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if output.status.success() {
        return Ok(());
    }
    Err(BundleError::Step(StepError::Failed {
        what: "reading `Pipfile.lock`".into(),
        code: output.status.code().unwrap_or(-1),
        output: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
    .into())
}

/// Every file under `dir` with its SHA-256, by its `/`-separated path from `dir`.
fn checksums(dir: &Path) -> Result<Vec<FileRecord>, Error> {
    let mut files = Vec::new();
    for top in [REQUIREMENTS_FILE, WHEELS_DIR] {
        let path = dir.join(top);
        if path.is_file() {
            files.push(FileRecord {
                path: top.to_string(),
                sha256: manifest::sha256_hex(&fs_err::read(&path)?),
            });
        } else if path.is_dir() {
            for entry in fs_err::read_dir(&path)? {
                let entry = entry?;
                let name = entry.file_name().to_string_lossy().into_owned();
                files.push(FileRecord {
                    path: format!("{top}/{name}"),
                    sha256: manifest::sha256_hex(&fs_err::read(entry.path())?),
                });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// `tar -czf`, with the kit's files at the top of the archive.
fn write_archive(kit: &Path, archive: &Path) -> Result<(), Error> {
    let output = Command::new("tar")
        .arg("-czf")
        .arg(archive)
        .arg("-C")
        .arg(kit)
        .arg(".")
        .output()?;
    if !output.status.success() {
        return Err(BundleError::Archive {
            path: archive.to_path_buf(),
            output: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
        .into());
    }
    Ok(())
}

/// An index URL as the manifest records it: without a user or password.
fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let host_end = rest.find('/').unwrap_or(rest.len());
    match rest[..host_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_never_records_credentials() {
        assert_eq!(
            without_credentials("https://user:token@example.com/simple"),
            "https://example.com/simple"
        );
        assert_eq!(
            without_credentials("https://example.com/a@b/simple"),
            "https://example.com/a@b/simple"
        );
    }

    #[test]
    fn a_project_builds_unless_it_says_it_is_no_package() {
        let parse = |text: &str| toml::from_str::<toml::Table>(text).expect("toml");
        assert!(project_builds(Some(&parse(
            "[build-system]\nrequires = []\n"
        ))));
        assert!(!project_builds(Some(&parse(
            "[build-system]\nrequires = []\n[tool.poetry]\npackage-mode = false\n"
        ))));
        assert!(!project_builds(Some(&parse("[project]\nname = 'x'\n"))));
        assert_eq!(
            build_requirements(Some(&parse("[build-system]\nrequires = ['hatchling']\n"))),
            ["hatchling"]
        );
        assert_eq!(build_requirements(None), ["setuptools>=40.8.0", "wheel"]);
    }
}
