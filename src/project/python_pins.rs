//! Where an application names the Python it runs on without declaring a range:
//! `.python-version`, `runtime.txt`, `.tool-versions`, mise's `mise.toml`, `Pipfile`, the
//! `Dockerfile` and `.travis.yml` (a pipeline no provider writes), each read into the CPython
//! minor it names (the CI providers read their own pipelines' pins, which come after these).

use crate::answers::versions::{
    PinnedLine, SUPPORTED_MINORS, minor_of_any as minor_of, parse_pinned_line,
};

use super::files::{RepoFiles, parse_toml};

/// One file naming the CPython an application runs on (any `3.N`, supported or not: an
/// old app's `3.8` still says which Python its pins were made on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pin {
    /// The file, as the inferred answer's reason names it.
    pub(crate) source: &'static str,
    /// The `3.N` it names; the oldest, when it names several (a CI matrix).
    pub(crate) minor: u32,
    /// The newest `3.N` it names: a matrix's newest is the newest Python the project
    /// was tested on, the one the bootstrap prefers.
    pub(crate) newest: u32,
}

/// A reader: the minor a file's text names, if it names a supported one.
type Reader = fn(&str) -> Option<u32>;

/// How a file is read: one minor, or every minor of a matrix.
#[derive(Clone, Copy)]
enum Read {
    One(Reader),
    Matrix(fn(&str) -> Vec<u32>),
}

/// The files read, in the order their pins are trusted: the interpreter a developer's tools
/// pick (pyenv, uv, asdf, pipenv) before the one a deployment builds (Heroku-style
/// `runtime.txt` sits with the former: it is written by hand for this one app).
const SOURCES: &[(&str, Read)] = &[
    (".python-version", Read::One(python_version)),
    ("runtime.txt", Read::One(runtime_txt)),
    (".tool-versions", Read::One(tool_versions)),
    ("mise.toml", Read::One(mise)),
    (".mise.toml", Read::One(mise)),
    ("Pipfile", Read::One(pipfile)),
    ("Dockerfile", Read::One(dockerfile)),
    (".travis.yml", Read::Matrix(travis)),
];

impl Pin {
    /// Whether pybootstrap supports the oldest minor it names.
    pub(crate) fn supported(&self) -> bool {
        SUPPORTED_MINORS.contains(&self.minor)
    }
}

/// The file names `Project::read` reads for the pins.
pub(crate) fn files() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|(name, _)| *name)
}

/// Every supported CPython minor the files in `files` name, in `SOURCES` order.
pub(crate) fn read(files: &RepoFiles) -> Vec<Pin> {
    SOURCES
        .iter()
        .filter_map(|(source, read)| {
            let text = files.text(source).ok().flatten()?;
            match read {
                Read::One(read) => read(text).map(|minor| Pin {
                    source,
                    minor,
                    newest: minor,
                }),
                Read::Matrix(read) => {
                    let minors = read(text);
                    Some(Pin {
                        source,
                        minor: *minors.iter().min()?,
                        newest: *minors.iter().max()?,
                    })
                }
            }
        })
        .collect()
}

/// `.python-version` (pyenv, uv): the oldest of its versions, since every one listed is
/// meant to run the project.
fn python_version(text: &str) -> Option<u32> {
    text.lines()
        .filter_map(|line| match parse_pinned_line(line) {
            PinnedLine::Version(minor) => Some(minor),
            _ => None,
        })
        .min()
}

/// `runtime.txt` (Heroku and the platforms copying it): `python-3.12.1`.
fn runtime_txt(text: &str) -> Option<u32> {
    let line = text.lines().map(str::trim).find(|line| !line.is_empty())?;
    minor_of(line.strip_prefix("python-")?)
}

/// `.tool-versions` (asdf, mise): `python 3.12.1 3.11.9`, the first version being the one
/// the tool selects.
fn tool_versions(text: &str) -> Option<u32> {
    text.lines().find_map(|line| {
        let mut words = line.split('#').next()?.split_whitespace();
        (words.next()? == "python")
            .then(|| words.next())
            .flatten()
            .and_then(minor_of)
    })
}

/// `mise.toml`: `[tools] python = "3.12"`, a list whose first version is the default
/// (`["3.12", "3.11"]`), or a table with its `version`.
fn mise(text: &str) -> Option<u32> {
    let table = parse_toml(text).ok()?;
    let python = table.get("tools")?.get("python")?;
    let version = match python {
        toml::Value::Array(versions) => versions.first()?,
        toml::Value::Table(options) => options.get("version")?,
        other => other,
    };
    version.as_str().and_then(minor_of)
}

/// `Pipfile`: `[requires] python_version = "3.12"` (or `python_full_version`).
fn pipfile(text: &str) -> Option<u32> {
    let table = parse_toml(text).ok()?;
    let requires = table.get("requires")?;
    ["python_version", "python_full_version"]
        .iter()
        .find_map(|key| requires.get(key)?.as_str())
        .and_then(minor_of)
}

/// `Dockerfile`: the tag of the first stage built `FROM` an official `python` image with a
/// literal version tag (`FROM python:3.12-slim AS app`); a tag templated by `ARG` says
/// nothing without the build's arguments.
fn dockerfile(text: &str) -> Option<u32> {
    text.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        if !words.next()?.eq_ignore_ascii_case("FROM") {
            return None;
        }
        let image = words.find(|word| !word.starts_with("--"))?;
        let image = ["docker.io/library/", "library/"]
            .iter()
            .find_map(|prefix| image.strip_prefix(prefix))
            .unwrap_or(image);
        let tag = image.strip_prefix("python:")?;
        if tag.contains('$') {
            return None;
        }
        minor_of(tag.split('@').next()?)
    })
}

/// `.travis.yml`: the supported minors of its top-level `python:` (one version, a flow list
/// or a block list).
fn travis(text: &str) -> Vec<u32> {
    let mut lines = text.lines();
    let Some(value) = lines.find_map(|line| line.strip_prefix("python:")) else {
        return Vec::new();
    };
    let unquote = |item: &str| {
        let item = item.split('#').next().unwrap_or_default().trim();
        item.trim_matches(|quote| quote == '"' || quote == '\'')
            .to_string()
    };
    let value = value.split('#').next().unwrap_or_default().trim();
    let items: Vec<String> = if value.is_empty() {
        lines
            .take_while(|line| line.starts_with([' ', '-', '\t']) || line.trim().is_empty())
            .filter_map(|line| line.trim().strip_prefix('-').map(unquote))
            .collect()
    } else {
        value
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(',')
            .map(unquote)
            .collect()
    };
    items.iter().filter_map(|item| minor_of(item)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reader_finds_the_minor() {
        // (reader, text, minor)
        type Row = (Reader, &'static str, Option<u32>);
        let rows: &[Row] = &[
            (python_version, "3.12\n", Some(12)),
            (python_version, "3.13.1\ncpython-3.11\npypy3.10\n", Some(11)),
            (python_version, "system\n", None),
            (runtime_txt, "python-3.12.1\n", Some(12)),
            (runtime_txt, "\n  python-3.11\n", Some(11)),
            (runtime_txt, "3.12.1\n", None),
            (runtime_txt, "python-2.7.18\n", None),
            (
                tool_versions,
                "nodejs 20.1.0\npython 3.12.1 3.11.9\n",
                Some(12),
            ),
            (tool_versions, "python 3.13 # pinned\n", Some(13)),
            (tool_versions, "pythonx 3.12\n# python 3.12\n", None),
            (tool_versions, "python system\n", None),
            (pipfile, "[requires]\npython_version = \"3.12\"\n", Some(12)),
            (
                pipfile,
                "[requires]\npython_full_version = \"3.11.4\"\n",
                Some(11),
            ),
            (pipfile, "[packages]\ndjango = \"*\"\n", None),
            // Older than pybootstrap supports, still what the app states.
            (pipfile, "[requires]\npython_version = \"3.8\"\n", Some(8)),
            (pipfile, "[requires\n", None),
            (dockerfile, "FROM python:3.12-slim\n", Some(12)),
            (
                dockerfile,
                "ARG UV=0.1\nFROM ghcr.io/astral-sh/uv:${UV} AS uv\n\nFROM python:3.12-slim-bookworm\n",
                Some(12),
            ),
            (
                dockerfile,
                "from --platform=$BUILDPLATFORM docker.io/library/python:3.11.9 as build\nFROM python:3.13\n",
                Some(11),
            ),
            (
                dockerfile,
                "ARG PY=3.12\nFROM python:${PY}-slim\nFROM python:3.10\n",
                Some(10),
            ),
            (dockerfile, "FROM python:3.12@sha256:abc\n", Some(12)),
            (dockerfile, "FROM python:3\nFROM python:latest\n", None),
            (dockerfile, "FROM mypython:3.12\nFROM ubuntu:24.04\n", None),
        ];
        for (row, (reader, text, minor)) in rows.iter().enumerate() {
            assert_eq!(reader(text), *minor, "row {row}: {text:?}");
        }
    }

    #[test]
    fn a_travis_matrix_is_read_whole() {
        // psf/requests-html's shape.
        assert_eq!(
            travis(
                "language: python\npython:\n  - \"3.6\"\n  - \"3.8\"\n  - \"3.9-dev\"\n\nmatrix:\n  allow_failures:\n    - python: \"3.9-dev\"\n"
            ),
            vec![6, 8, 9]
        );
        assert_eq!(travis("python: [\"3.12\", '3.10'] # both\n"), vec![12, 10]);
        assert_eq!(travis("python: 3.11\n"), vec![11]);
        assert!(travis("language: python\njobs:\n  include:\n    - python: 3.11\n").is_empty());
        let mut files = RepoFiles::default();
        files.insert(".travis.yml", "python:\n  - 3.10\n  - 3.12\n");
        assert_eq!(
            read(&files),
            vec![Pin {
                source: ".travis.yml",
                minor: 10,
                newest: 12
            }]
        );
    }

    #[test]
    fn mise_names_its_tools_python() {
        assert_eq!(
            mise("[tools]\npython = \"3.11\"\nnode = \"25\"\n"),
            Some(11)
        );
        assert_eq!(mise("[tools]\npython = [\"3.12.4\", \"3.10\"]\n"), Some(12));
        assert_eq!(mise("[tools.python]\nversion = \"3.13\"\n"), Some(13));
        assert_eq!(mise("[tools]\nnode = \"25\"\n"), None);
        assert_eq!(mise("[tools]\npython = \"latest\"\n"), None);
        assert_eq!(mise("not = [toml"), None);
    }

    #[test]
    fn pins_come_in_source_order() {
        let mut files = RepoFiles::default();
        files.insert("Dockerfile", "FROM python:3.11\n");
        files.insert("runtime.txt", "python-3.12.1\n");
        files.insert(".tool-versions", "nodejs 20\n");
        let pins = read(&files);
        assert_eq!(
            pins,
            vec![
                Pin {
                    source: "runtime.txt",
                    minor: 12,
                    newest: 12
                },
                Pin {
                    source: "Dockerfile",
                    minor: 11,
                    newest: 11
                },
            ]
        );
        assert_eq!(read(&RepoFiles::default()), Vec::new());
    }
}
