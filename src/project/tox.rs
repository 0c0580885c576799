//! tox's test environment (`[testenv]` of `tox.ini`, `legacy_tox_ini` in `pyproject.toml`,
//! `env_run_base` of `tox.toml` or `[tool.tox]`): the `deps`, `extras` and `skip_install`
//! every tox environment inherits, turned into pip arguments. The file is never run.

use super::files::{RepoFiles, TomlFile};
use super::requirements::{self, Line, PipArg};
use crate::python::ini::Ini;

/// What tox would install into its test environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ToxEnv {
    /// pip arguments: requirements (a tox factor condition becomes an environment marker),
    /// `--requirement FILE`, `--constraint FILE`.
    pub(crate) args: Vec<PipArg>,
    /// The repo-relative files named by `-r`/`-c` lines.
    pub(crate) files: Vec<String>,
    /// `extras =`: installed with the project.
    pub(crate) extras: Vec<String>,
    /// `skip_install = true`: tox does not install the project itself.
    pub(crate) skip_install: bool,
    /// Lines left out, and why.
    pub(crate) warnings: Vec<String>,
}

impl ToxEnv {
    /// Whether tox declares anything to install beside the project.
    pub(crate) fn declares_deps(&self) -> bool {
        !self.args.is_empty()
    }
}

/// Where tox's configuration lives in a repository, in the order tox looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ToxFile {
    Ini,
    Pyproject,
    Toml,
}

impl ToxFile {
    pub(crate) fn path(self) -> &'static str {
        match self {
            Self::Ini => "tox.ini",
            Self::Pyproject => "pyproject.toml",
            Self::Toml => "tox.toml",
        }
    }
}

/// tox's test environment, from the first file tox reads that configures it (`tox.ini`,
/// read into `files` and parsed as `ini`; `[tool.tox]` of `pyproject`; `tox_toml`); `None`
/// when none does. A file that cannot be read or parsed is an error naming it.
pub(crate) fn test_env(
    files: &RepoFiles,
    ini: Option<&Result<Ini, String>>,
    pyproject: &TomlFile,
    tox_toml: &TomlFile,
) -> Result<Option<(ToxFile, ToxEnv)>, String> {
    files
        .text(ToxFile::Ini.path())
        .map_err(|reason| format!("cannot read `{}`: {reason}", ToxFile::Ini.path()))?;
    if let Some(ini) = ini {
        let ini = ini
            .as_ref()
            .map_err(|reason| format!("`tox.ini`: {reason}"))?;
        return Ok(Some((ToxFile::Ini, from_parsed_ini(ini))));
    }
    if let Some(pyproject) = pyproject.table_or_error(ToxFile::Pyproject.path())?
        && let Some(tox) = pyproject
            .get("tool")
            .and_then(|tool| tool.get("tox"))
            .and_then(toml::Value::as_table)
    {
        let env = match tox.get("legacy_tox_ini").and_then(toml::Value::as_str) {
            Some(ini) => from_ini(ini)
                .map_err(|reason| format!("`legacy_tox_ini` in `pyproject.toml`: {reason}"))?,
            None => from_toml(tox),
        };
        return Ok(Some((ToxFile::Pyproject, env)));
    }
    if let Some(native) = tox_toml.table_or_error(ToxFile::Toml.path())? {
        return Ok(Some((ToxFile::Toml, from_toml(native))));
    }
    Ok(None)
}

/// The test environment from `tox.ini` text.
pub(crate) fn from_ini(text: &str) -> Result<ToxEnv, String> {
    let ini = crate::python::ini::parse(text).map_err(|error| error.to_string())?;
    Ok(from_parsed_ini(&ini))
}

/// The test environment from a parsed `tox.ini`.
fn from_parsed_ini(ini: &Ini) -> ToxEnv {
    let mut env = ToxEnv::default();
    let chosen = test_factors(ini);
    read_install_keys(ini, &chosen, &mut env);
    let Some(deps) = ini.get("testenv", "deps") else {
        return env;
    };
    // tox sets TOX_ENV_NAME to the environment's name: one compiled file per environment
    // (`-r requirements/{env:TOX_ENV_NAME}.txt`) names the test environment's.
    let deps = match test_env_name(ini) {
        Some(name) => deps.replace("{env:TOX_ENV_NAME}", &name),
        None => deps.to_string(),
    };
    let mut lines = Vec::new();
    expand(ini, &deps, 0, &mut lines, &mut env.warnings);
    for line in lines {
        add_line(&line, &chosen, &mut env);
    }
    env
}

/// The name of the environment the bootstrap stands for: the first `envlist` entry that
/// runs on a Python (`py312-unit`), else the first named for tests (`tests`, `unit`).
fn test_env_name(ini: &crate::python::ini::Ini) -> Option<String> {
    let envlist = ini
        .get("tox", "envlist")
        .or_else(|| ini.get("tox", "env_list"))?;
    let names: Vec<String> = split_outside_braces(&envlist.replace('\n', ","))
        .into_iter()
        .flat_map(|entry| expand_braces(entry.trim()))
        .filter(|name| !name.is_empty())
        .collect();
    let runs_on_python = |name: &&String| {
        name.split('-')
            .any(|factor| python_factor(factor) != Factor::Environment)
    };
    names
        .iter()
        .find(runs_on_python)
        .or_else(|| {
            names
                .iter()
                .find(|name| matches!(name.as_str(), "test" | "tests" | "unit" | "unittests"))
        })
        .cloned()
}

/// The factors other than Python's of the environment the bootstrap stands for
/// (`test_env_name`): `py39-unit` → `unit`, so `unit: pytest` is installed and
/// `doctest: sphinx` is not, as `tox -e py39-unit` would; `tests` → `tests`.
pub(crate) fn test_factors(ini: &crate::python::ini::Ini) -> Vec<String> {
    test_env_name(ini)
        .map(|name| {
            name.split('-')
                .filter(|factor| python_factor(factor) == Factor::Environment)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// `extras` (a factor condition keeps an extra only when it holds whatever the Python:
/// an extra takes no marker) and `skip_install`.
fn read_install_keys(ini: &crate::python::ini::Ini, chosen: &[String], env: &mut ToxEnv) {
    env.extras = ini
        .get("testenv", "extras")
        .map(|value| {
            value
                .lines()
                .flat_map(|line| match split_condition(line.trim(), chosen) {
                    Condition::Always(extras) => extras.split(',').collect(),
                    Condition::Marker(..) | Condition::Never => Vec::new(),
                })
                .map(str::trim)
                .filter(|extra| !extra.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let is_true = |section: &str, keys: &[&str]| {
        keys.iter()
            .find_map(|key| ini.get(section, key))
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("true"))
    };
    // tox 3's `skipsdist` and tox 4's `no_package` leave the project out of every
    // environment; `package = skip` out of the test one.
    env.skip_install = is_true("testenv", &["skip_install", "skip-install"])
        || is_true("tox", &["skipsdist", "no_package", "no-package"])
        || ini
            .get("testenv", "package")
            .is_some_and(|value| value.trim() == "skip");
}

/// The test environment from a native TOML configuration (`tox.toml`, or `[tool.tox]`
/// in `pyproject.toml`): `env_run_base`, whose `deps` is a list of strings.
pub(crate) fn from_toml(tox: &toml::Table) -> ToxEnv {
    let mut env = ToxEnv::default();
    let Some(base) = tox.get("env_run_base").and_then(toml::Value::as_table) else {
        return env;
    };
    let strings = |key: &str, env: &mut ToxEnv| -> Vec<String> {
        let mut found = Vec::new();
        for item in base
            .get(key)
            .and_then(toml::Value::as_array)
            .into_iter()
            .flatten()
        {
            match item.as_str() {
                Some(text) => found.push(text.to_string()),
                None => env.warnings.push(format!(
                    "tox `{key}` entry `{item}` is not a plain string: left out"
                )),
            }
        }
        found
    };
    for line in strings("deps", &mut env) {
        add_line(&line, &[], &mut env);
    }
    env.extras = strings("extras", &mut env);
    env.skip_install = base.get("skip_install").and_then(toml::Value::as_bool) == Some(true)
        || tox.get("no_package").and_then(toml::Value::as_bool) == Some(true)
        || base.get("package").and_then(toml::Value::as_str) == Some("skip");
    env
}

/// `value` with `{[section]key}` references replaced by their lines, one entry per line.
fn expand(
    ini: &crate::python::ini::Ini,
    value: &str,
    depth: usize,
    lines: &mut Vec<String>,
    warnings: &mut Vec<String>,
) {
    for line in value.lines() {
        let line = strip_comment(line).trim();
        if line.is_empty() {
            continue;
        }
        if let Some(reference) = line
            .strip_prefix("{[")
            .and_then(|rest| rest.strip_suffix('}'))
            && let Some((section, key)) = reference.split_once(']')
        {
            match ini.get(section, key.trim()) {
                Some(referenced) if depth < 8 => {
                    expand(ini, referenced, depth + 1, lines, warnings);
                }
                _ => warnings.push(format!(
                    "tox deps line `{line}` refers to nothing tox.ini defines: left out"
                )),
            }
            continue;
        }
        lines.push(line.replace("{toxinidir}/", "").replace("{toxinidir}", "."));
    }
}

fn strip_comment(line: &str) -> &str {
    match line.find('#') {
        Some(0) => "",
        Some(at) if line[..at].ends_with([' ', '\t']) => &line[..at],
        _ => line,
    }
}

/// One `deps` line into pip arguments.
fn add_line(line: &str, chosen: &[String], env: &mut ToxEnv) {
    let (requirement, marker) = match split_condition(line, chosen) {
        Condition::Always(requirement) => (requirement, None),
        Condition::Marker(requirement, marker) => (requirement, Some(marker)),
        Condition::Never => {
            env.warnings.push(format!(
                "tox deps line `{line}` applies only to other tox environments: left out"
            ));
            return;
        }
    };
    if requirement.contains('{') {
        env.warnings.push(format!(
            "tox deps line `{line}` uses a tox substitution pybootstrap does not expand: left out"
        ));
        return;
    }
    let include = requirements::lines(requirement).into_iter().next();
    match include {
        Some((_, Line::Include { target })) if marker.is_none() => {
            let Some(path) = requirements::resolve("tox.ini", &target) else {
                env.warnings.push(format!(
                    "tox deps line `{line}` names a file outside the repository: left out"
                ));
                return;
            };
            let option = if requirement.starts_with("-c") || requirement.starts_with("--constraint")
            {
                "--constraint"
            } else {
                "--requirement"
            };
            env.args.push(PipArg::option(option, path.clone()));
            env.files.push(path);
        }
        Some((_, Line::Other)) if !requirement.starts_with('-') => {
            env.args.push(PipArg::requirement(match marker {
                None => requirement.to_string(),
                Some(marker) => with_marker(requirement, &marker),
            }));
        }
        // The project itself is installed by `deps.editable`.
        Some((_, Line::Project)) => {}
        _ => env.warnings.push(format!(
            "tox deps line `{line}` is a pip option or a conditional file: left out"
        )),
    }
}

/// Whether a `commands` line under a factor condition (`unit: pytest`) runs in the
/// environment the `chosen` factors stand for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Conditional<'a> {
    Runs(&'a str),
    Skipped,
    /// It depends on the Python version, which a command cannot carry as a marker.
    Unknown,
}

pub(crate) fn conditional_command<'a>(line: &'a str, chosen: &[String]) -> Conditional<'a> {
    match split_condition(line, chosen) {
        Condition::Always(command) => Conditional::Runs(command),
        Condition::Never => Conditional::Skipped,
        Condition::Marker(..) => Conditional::Unknown,
    }
}

/// `requirement` with `marker` joined to any marker it already has.
fn with_marker(requirement: &str, marker: &str) -> String {
    match requirement.split_once(';') {
        Some((name, own)) => format!("{}; ({}) and ({marker})", name.trim(), own.trim()),
        None => format!("{requirement}; {marker}"),
    }
}

/// A `deps` line's tox factor condition (`py38: x`, `py3{8,9}: x`, `!py27: x`,
/// `py38-django: x`), decided for the one environment the bootstrap builds: Python
/// factors become a marker pip evaluates; another factor holds when it is one of the
/// `chosen` ones (see `test_factors`), and its negation when it is not.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Condition<'a> {
    Always(&'a str),
    Marker(&'a str, String),
    Never,
}

fn split_condition<'a>(line: &'a str, chosen: &[String]) -> Condition<'a> {
    let Some((factors, requirement)) = line.split_once(':') else {
        return Condition::Always(line);
    };
    // `https://…` and `name @ file:…` are requirements, not conditions.
    if requirement.starts_with("//")
        || factors.contains(['@', ' ', '=', '<', '>', ';', '['])
        || factors.is_empty()
    {
        return Condition::Always(line);
    }
    let requirement = requirement.trim();
    let mut markers = Vec::new();
    for group in split_outside_braces(factors)
        .into_iter()
        .flat_map(|group| expand_braces(group.trim()))
    {
        let mut parts = Vec::new();
        let mut possible = true;
        for factor in group.split('-') {
            let (negated, name) = match factor.strip_prefix('!') {
                Some(name) => (true, name),
                None => (false, factor),
            };
            match (python_factor(name), negated) {
                (Factor::AnyPython, false) => {}
                (Factor::AnyPython, true) => possible = false,
                (Factor::Environment, negated) => {
                    possible &= chosen.iter().any(|factor| factor == name) != negated;
                }
                (Factor::Python(marker), false) => parts.push(marker),
                (Factor::Python(marker), true) => parts.push(format!("not ({marker})")),
            }
        }
        if !possible {
            continue;
        }
        if parts.is_empty() {
            return Condition::Always(requirement);
        }
        markers.push(parts.join(" and "));
    }
    match markers.len() {
        0 => Condition::Never,
        1 => Condition::Marker(requirement, markers.remove(0)),
        _ => Condition::Marker(
            requirement,
            markers
                .iter()
                .map(|marker| format!("({marker})"))
                .collect::<Vec<_>>()
                .join(" or "),
        ),
    }
}

/// What one tox factor says about the environment the bootstrap builds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Factor {
    /// A Python factor every interpreter matches (`py`, `py3`).
    AnyPython,
    /// A Python factor naming a version or implementation, as a marker.
    Python(String),
    /// Any other factor: it names another tox environment (`lint`, `django42`).
    Environment,
}

fn python_factor(factor: &str) -> Factor {
    let (implementation, digits) = if let Some(rest) = factor.strip_prefix("pypy") {
        (Some("PyPy"), rest)
    } else if let Some(rest) = factor.strip_prefix("py") {
        (None, rest)
    } else {
        return Factor::Environment;
    };
    if !digits.chars().all(|character| character.is_ascii_digit()) {
        return Factor::Environment;
    }
    let version = match digits.len() {
        0 => None,
        1 if digits == "3" => None,
        1 => match digits.parse::<u32>() {
            Ok(major) => Some(format!("python_version < \"{}\"", major + 1)),
            Err(_) => return Factor::Environment,
        },
        _ => Some(format!(
            "python_version == \"{}.{}\"",
            &digits[..1],
            &digits[1..]
        )),
    };
    let implementation =
        implementation.map(|name| format!("platform_python_implementation == \"{name}\""));
    let parts: Vec<String> = implementation.into_iter().chain(version).collect();
    if parts.is_empty() {
        Factor::AnyPython
    } else {
        Factor::Python(parts.join(" and "))
    }
}

/// `a,b{c,d}` → `a`, `b{c,d}`: tox's `,` between conditions, not inside braces.
fn split_outside_braces(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0_usize, 0);
    for (index, character) in text.char_indices() {
        match character {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// `py3{8,9}` → `py38`, `py39`; `py{310-312}` → `py310`, `py311`, `py312`.
fn expand_braces(group: &str) -> Vec<String> {
    let (Some(open), Some(close)) = (group.find('{'), group.find('}')) else {
        return vec![group.to_string()];
    };
    if close < open {
        return vec![group.to_string()];
    }
    let (head, inner, tail) = (&group[..open], &group[open + 1..close], &group[close + 1..]);
    let mut choices = Vec::new();
    for choice in inner.split(',') {
        let choice = choice.trim();
        match choice
            .split_once('-')
            .map(|(low, high)| (low.parse::<u32>(), high.parse::<u32>()))
        {
            Some((Ok(low), Ok(high))) if low <= high && high - low < 100 => {
                choices.extend((low..=high).map(|number| number.to_string()));
            }
            _ => choices.push(choice.to_string()),
        }
    }
    choices
        .into_iter()
        .flat_map(|choice| expand_braces(&format!("{head}{choice}{tail}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_string()).collect()
    }

    /// The arguments as a command line shows them.
    fn words(env: &ToxEnv) -> Vec<String> {
        env.args
            .iter()
            .flat_map(|arg| {
                (!arg.option.is_empty())
                    .then(|| arg.option.to_string())
                    .into_iter()
                    .chain([arg.value.clone()])
            })
            .collect()
    }

    #[test]
    fn plain_deps_extras_and_skip_install() {
        let env = from_ini("[tox]\nenvlist = py3\n[testenv]\ndeps= pytest\n  mock>=2 # why\nextras = testing, yaml\ncommands = pytest\n[testenv:lint]\ndeps = flake8\nskip_install = true\n").expect("valid");
        assert_eq!(words(&env), strings(&["pytest", "mock>=2"]));
        assert_eq!(env.extras, strings(&["testing", "yaml"]));
        assert!(!env.skip_install);
        assert!(env.warnings.is_empty(), "{:?}", env.warnings);
    }

    #[test]
    fn one_compiled_file_per_environment_names_the_test_environments() {
        let ini = "[tox]\nenvlist = tests\nskipsdist = true\n[testenv]\ndeps =\n    -r requirements/{env:TOX_ENV_NAME}.txt\ncommands = pytest\n";
        let env = from_ini(ini).expect("valid");
        assert_eq!(env.files, strings(&["requirements/tests.txt"]));
        let ini = "[tox]\nenvlist = lint, py312\n[testenv]\ndeps = -r req/{env:TOX_ENV_NAME}.txt\n";
        assert_eq!(
            from_ini(ini).expect("valid").files,
            strings(&["req/py312.txt"])
        );
        // No environment to stand for: left out, as any other variable.
        let ini = "[tox]\nenvlist = lint\n[testenv]\ndeps = -r req/{env:TOX_ENV_NAME}.txt\n";
        assert!(from_ini(ini).expect("valid").files.is_empty());
    }

    #[test]
    fn a_project_left_out_of_every_environment_is_not_installed() {
        for ini in [
            "[tox]\nskipsdist=True\n[testenv]\ndeps = -r requirements-dev.txt\n",
            "[tox]\nno_package = true\n[testenv]\ndeps = pytest\n",
            "[testenv]\npackage = skip\ndeps = pytest\n",
        ] {
            assert!(from_ini(ini).expect("valid").skip_install, "{ini}");
        }
        let table: toml::Table =
            toml::from_str("no_package = true\n[env_run_base]\ndeps = [\"pytest\"]\n")
                .expect("valid TOML");
        assert!(from_toml(&table).skip_install);
        let table: toml::Table =
            toml::from_str("[env_run_base]\npackage = \"skip\"\ndeps = [\"pytest\"]\n")
                .expect("valid TOML");
        assert!(from_toml(&table).skip_install);
        let table: toml::Table =
            toml::from_str("[env_run_base]\npackage = \"wheel\"\ndeps = [\"pytest\"]\n")
                .expect("valid TOML");
        assert!(!from_toml(&table).skip_install);
    }

    #[test]
    fn files_references_and_substitutions() {
        let env = from_ini("[base]\ndeps =\n    attrs\n[testenv]\ndeps =\n    -rrequirements-dev.txt\n    -c {toxinidir}/constraints.txt\n    {[base]deps}\n    {[nowhere]deps}\n    pkg @ https://h/pkg.whl\n    {env:EXTRA}\n    -e .\n    --pre\nskip_install = True\n").expect("valid");
        assert_eq!(
            words(&env),
            strings(&[
                "--requirement",
                "requirements-dev.txt",
                "--constraint",
                "constraints.txt",
                "attrs",
                "pkg @ https://h/pkg.whl",
            ])
        );
        assert_eq!(
            env.files,
            strings(&["requirements-dev.txt", "constraints.txt"])
        );
        assert!(env.skip_install);
        assert_eq!(env.warnings.len(), 3, "{:?}", env.warnings);
    }

    #[test]
    fn factor_conditions_become_markers() {
        let cases = [
            ("pytest", Condition::Always("pytest")),
            ("py3: pytest", Condition::Always("pytest")),
            (
                "py38: mock",
                Condition::Marker("mock", "python_version == \"3.8\"".into()),
            ),
            (
                "py3{8,9}: mock",
                Condition::Marker(
                    "mock",
                    "(python_version == \"3.8\") or (python_version == \"3.9\")".into(),
                ),
            ),
            (
                "!py27: attrs",
                Condition::Marker("attrs", "not (python_version == \"2.7\")".into()),
            ),
            (
                "py2: six",
                Condition::Marker("six", "python_version < \"3\"".into()),
            ),
            (
                "pypy3: x",
                Condition::Marker("x", "platform_python_implementation == \"PyPy\"".into()),
            ),
            ("django42: django<4.3", Condition::Never),
            ("py38-django42: django", Condition::Never),
            ("!lint: pytest", Condition::Always("pytest")),
            ("!py: never", Condition::Never),
            ("pkg @ file:///x", Condition::Always("pkg @ file:///x")),
        ];
        for (line, expected) in cases {
            assert_eq!(split_condition(line, &[]), expected, "{line}");
        }
        let env = from_ini(
            "[testenv]\ndeps =\n    py38: mock ; sys_platform == 'win32'\n    django42: django\n",
        )
        .expect("valid");
        assert_eq!(
            words(&env),
            strings(&["mock; (sys_platform == 'win32') and (python_version == \"3.8\")"])
        );
        assert_eq!(env.warnings.len(), 1);
        // The first environment of envlist that runs on a Python picks the other factors.
        let env = from_ini(
            "[tox]\nenvlist =\n    py39-unit,py{310,311}-{unit,doctest},mypy-check\n[testenv]\ndeps =\n    unit: pytest\n    doctest: sphinx\n    !unit: never\n",
        )
        .expect("valid");
        assert_eq!(words(&env), strings(&["pytest"]));
        let env = from_ini(
            "[tox]\nenvlist = py39-unit\n[testenv]\nextras =\n    unit: diagrams\n    doctest: docs\n    yaml, toml\n",
        )
        .expect("valid");
        assert_eq!(env.extras, strings(&["diagrams", "yaml", "toml"]));
        assert_eq!(
            split_condition("unit-py39: x", &strings(&["unit"])),
            Condition::Marker("x", "python_version == \"3.9\"".into())
        );
    }

    #[test]
    fn braces_expand() {
        assert_eq!(
            expand_braces("py{310-312}"),
            strings(&["py310", "py311", "py312"])
        );
        assert_eq!(expand_braces("py3{8,9}-x"), strings(&["py38-x", "py39-x"]));
    }

    #[test]
    fn native_toml() {
        let table: toml::Table = toml::from_str(
            "[env_run_base]\ndeps = [\"pytest\", \"-r requirements/test.txt\", { replace = \"ref\" }]\nextras = [\"testing\"]\n",
        )
        .expect("toml");
        let env = from_toml(&table);
        assert_eq!(
            words(&env),
            strings(&["pytest", "--requirement", "requirements/test.txt"])
        );
        assert_eq!(env.extras, strings(&["testing"]));
        assert_eq!(env.warnings.len(), 1);
    }

    #[test]
    fn no_testenv_declares_nothing() {
        let env = from_ini("[tox]\nenvlist = py3\n").expect("valid");
        assert!(!env.declares_deps());
        assert!(from_ini("deps = x\n").is_err());
    }
}
