//! Where an application names the Python it runs on without declaring a range:
//! `.python-version`, `runtime.txt`, `.tool-versions`, `Pipfile` and the `Dockerfile`, each
//! read into the CPython minor it names (the CI providers read their own pipelines' pins,
//! which come after these).

use crate::answers::versions::{PinnedLine, minor_of, parse_pinned_line};

use super::files::{RepoFiles, parse_toml};

/// One file naming the CPython an application runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pin {
    /// The file, as the inferred answer's reason names it.
    pub(crate) source: &'static str,
    /// The `3.N` it names.
    pub(crate) minor: u32,
}

/// A reader: the minor a file's text names, if it names a supported one.
type Reader = fn(&str) -> Option<u32>;

/// The files read, in the order their pins are trusted: the interpreter a developer's tools
/// pick (pyenv, uv, asdf, pipenv) before the one a deployment builds (Heroku-style
/// `runtime.txt` sits with the former: it is written by hand for this one app).
const SOURCES: &[(&str, Reader)] = &[
    (".python-version", python_version),
    ("runtime.txt", runtime_txt),
    (".tool-versions", tool_versions),
    ("Pipfile", pipfile),
    ("Dockerfile", dockerfile),
];

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
            read(text).map(|minor| Pin { source, minor })
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
                    minor: 12
                },
                Pin {
                    source: "Dockerfile",
                    minor: 11
                },
            ]
        );
        assert_eq!(read(&RepoFiles::default()), Vec::new());
    }
}
