//! What switches PEP 668 off (or demands a venv) for pip run by one interpreter: pip's
//! environment variables and config files, read in pip's own order (pip's
//! `configuration.py`, `utils/appdirs.py` and `cli/parser.py`, 23.0.1–26.x).

use std::path::{Path, PathBuf};

use super::ini;

/// The overrides pip would apply when installing with one interpreter.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Overrides {
    /// Whether pip would skip the externally-managed check.
    pub break_system_packages: bool,
    /// Where that came from when it is on: `PIP_BREAK_SYSTEM_PACKAGES` or a config file's path.
    pub source: Option<String>,
    /// Whether pip refuses to run outside a virtual environment.
    pub require_virtualenv: bool,
    /// Whether uv would skip the check (`UV_BREAK_SYSTEM_PACKAGES`; uv reads none of
    /// pip's settings, and pip none of uv's).
    pub uv_break_system_packages: bool,
    /// Where `require_virtualenv` came from when it is on.
    #[serde(skip)]
    pub require_virtualenv_source: Option<String>,
    /// A value pip would reject, a config file pip cannot load, old pip ignoring overrides.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// The operating system whose conventions pip's file locations follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostOs {
    Linux,
    Macos,
    Windows,
    /// Other Unix-like systems: pip treats them like Linux.
    OtherUnix,
}

impl HostOs {
    fn current() -> Self {
        match std::env::consts::OS {
            "linux" => Self::Linux,
            "macos" => Self::Macos,
            "windows" => Self::Windows,
            _ => Self::OtherUnix,
        }
    }
}

/// The environment pip would see: variables, the home directory, the OS. Built from this
/// process, or from plain values in tests.
#[derive(Debug, Clone)]
pub struct EnvView {
    vars: Vec<(String, String)>,
    home: PathBuf,
    os: HostOs,
}

impl EnvView {
    /// This process's environment (variables that are not UTF-8 are left out).
    pub fn from_process() -> Self {
        let vars: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(key, value)| Some((key.into_string().ok()?, value.into_string().ok()?)))
            .collect();
        let os = HostOs::current();
        let home_var = if os == HostOs::Windows {
            "USERPROFILE"
        } else {
            "HOME"
        };
        // Python's `expanduser` prefers the variable, then the password database.
        let home = vars
            .iter()
            .find(|(key, _)| key == home_var)
            .map(|(_, value)| PathBuf::from(value))
            .or_else(std::env::home_dir)
            .unwrap_or_else(|| PathBuf::from("~"));
        Self { vars, home, os }
    }

    /// A made-up environment on this machine's OS.
    pub fn from_pairs(vars: &[(&str, &str)], home: &Path) -> Self {
        Self {
            vars: vars
                .iter()
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .collect(),
            home: home.to_path_buf(),
            os: HostOs::current(),
        }
    }

    /// The same environment, with pip's file locations for `os`.
    pub fn with_os(mut self, os: HostOs) -> Self {
        self.os = os;
        self
    }

    /// One variable, as Python's `os.environ.get` sees it.
    pub fn var(&self, name: &str) -> Option<&str> {
        // Later entries win, like repeated `env` assignments.
        self.vars
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    pub fn os(&self) -> HostOs {
        self.os
    }

    /// `os.path.expanduser` for the `~` and `~/…` forms.
    fn expand_user(&self, path: &str) -> PathBuf {
        match path.strip_prefix('~') {
            Some("") => self.home.clone(),
            Some(rest) if rest.starts_with('/') || rest.starts_with('\\') => {
                self.home.join(&rest[1..])
            }
            _ => PathBuf::from(path),
        }
    }
}

/// One config file pip reads, with the kind pip calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub kind: ConfigKind,
    pub path: PathBuf,
}

/// pip's config file kinds, lowest precedence first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ConfigKind {
    Global,
    User,
    Site,
    /// `PIP_CONFIG_FILE`.
    Env,
}

/// The config files pip would try, lowest precedence first (missing ones included).
pub fn config_files(env: &EnvView, prefix: &Path) -> Vec<ConfigFile> {
    let windows = env.os() == HostOs::Windows;
    let basename = if windows { "pip.ini" } else { "pip.conf" };
    let devnull = if windows { "nul" } else { "/dev/null" };
    let config_file = env.var("PIP_CONFIG_FILE");
    if config_file == Some(devnull) {
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut add = |kind, path: PathBuf| files.push(ConfigFile { kind, path });

    for dir in global_dirs(env) {
        add(ConfigKind::Global, dir.join(basename));
    }
    // A `PIP_CONFIG_FILE` naming an existing file replaces the user files entirely.
    let replaces_user =
        config_file.is_some_and(|path| !path.is_empty() && Path::new(path).exists());
    if !replaces_user {
        // The legacy file comes first, so the new location wins.
        let legacy = if windows { "pip" } else { ".pip" };
        add(ConfigKind::User, env.home().join(legacy).join(basename));
        add(ConfigKind::User, user_dir(env).join(basename));
    }
    add(ConfigKind::Site, prefix.join(basename));
    if let Some(path) = config_file {
        add(ConfigKind::Env, PathBuf::from(path));
    }
    files
}

/// `appdirs.site_config_dirs("pip")`.
fn global_dirs(env: &EnvView) -> Vec<PathBuf> {
    match env.os() {
        HostOs::Macos => vec![PathBuf::from("/Library/Application Support/pip")],
        HostOs::Windows => {
            let program_data = env.var("PROGRAMDATA").unwrap_or(r"C:\ProgramData");
            vec![Path::new(program_data).join("pip")]
        }
        HostOs::Linux | HostOs::OtherUnix => {
            let configured = env.var("XDG_CONFIG_DIRS").unwrap_or("");
            let dirs = if configured.trim().is_empty() {
                "/etc/xdg"
            } else {
                configured
            };
            let mut result: Vec<PathBuf> = dirs
                .split(':')
                .map(|dir| env.expand_user(dir).join("pip"))
                .collect();
            result.push(PathBuf::from("/etc"));
            result
        }
    }
}

/// `appdirs.user_config_dir("pip")`.
fn user_dir(env: &EnvView) -> PathBuf {
    match env.os() {
        HostOs::Macos => {
            let support = env.home().join("Library/Application Support/pip");
            if support.is_dir() {
                support
            } else {
                env.home().join(".config/pip")
            }
        }
        HostOs::Windows => match env.var("APPDATA") {
            Some(appdata) => Path::new(appdata).join("pip"),
            None => env.home().join(r"AppData\Roaming\pip"),
        },
        HostOs::Linux | HostOs::OtherUnix => {
            let configured = env.var("XDG_CONFIG_HOME").unwrap_or("");
            if configured.trim().is_empty() {
                env.home().join(".config/pip")
            } else {
                Path::new(configured).join("pip")
            }
        }
    }
}

/// pip's `strtobool`.
fn pip_bool(value: &str) -> Option<bool> {
    match value.to_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Some(true),
        "n" | "no" | "f" | "false" | "off" | "0" => Some(false),
        _ => None,
    }
}

/// pip's `_normalize_name`: `--Break_System_Packages` → `break-system-packages`.
fn normalize_name(name: &str) -> String {
    let name = name.to_lowercase().replace('_', "-");
    match name.strip_prefix("--") {
        Some(rest) => rest.to_string(),
        None => name,
    }
}

/// One setting pip would apply, and where it came from.
struct Setting {
    /// `global`, `install` or `:env:` (the only sections `pip install` reads).
    section: String,
    name: String,
    value: String,
    source: String,
}

/// What overrides PEP 668 for pip run by the interpreter whose `sys.prefix` is `prefix`.
/// `pip_version` is that interpreter's pip (`None` when unknown).
pub fn overrides(env: &EnvView, prefix: &Path, pip_version: Option<&str>) -> Overrides {
    let mut result = Overrides {
        break_system_packages: false,
        source: None,
        require_virtualenv: false,
        require_virtualenv_source: None,
        uv_break_system_packages: uv_break_system_packages(env),
        warnings: Vec::new(),
    };
    // pip merges all files into one dictionary keyed `section.name`, later files winning,
    // then the environment on top.
    let mut merged: Vec<Setting> = Vec::new();
    let mut set = |setting: Setting| match merged
        .iter_mut()
        .find(|old| old.section == setting.section && old.name == setting.name)
    {
        Some(old) => *old = setting,
        None => merged.push(setting),
    };
    for file in config_files(env, prefix) {
        if !file.path.exists() {
            continue;
        }
        match read_config(&file.path) {
            Ok(Some(parsed)) => {
                for section in parsed.section_names() {
                    for (name, value) in parsed.items(section) {
                        set(Setting {
                            section: section.to_string(),
                            name: normalize_name(name),
                            value: value.to_string(),
                            source: file.path.display().to_string(),
                        });
                    }
                }
            }
            // A directory or unreadable file: configparser skips it silently.
            Ok(None) => {}
            Err(reason) => result.warnings.push(format!(
                "pip cannot load `{}` ({reason}) and stops with an error before installing anything",
                file.path.display()
            )),
        }
    }
    for (key, value) in &env.vars {
        let Some(name) = key.strip_prefix("PIP_") else {
            continue;
        };
        let name = name.to_lowercase();
        if name == "version" || name == "help" {
            continue;
        }
        set(Setting {
            section: ":env:".to_string(),
            name: normalize_name(&name),
            value: value.clone(),
            source: key.clone(),
        });
    }

    // `pip install` applies [global], then [install], then the environment; empty values
    // are skipped, and a value strtobool rejects stops pip with a usage error.
    for section in ["global", "install", ":env:"] {
        for setting in merged
            .iter()
            .filter(|setting| setting.section == section && !setting.value.is_empty())
        {
            let (flag, source) = match setting.name.as_str() {
                "break-system-packages" => (&mut result.break_system_packages, &mut result.source),
                "require-virtualenv" | "require-venv" => (
                    &mut result.require_virtualenv,
                    &mut result.require_virtualenv_source,
                ),
                _ => continue,
            };
            match pip_bool(&setting.value) {
                Some(value) => {
                    *flag = value;
                    *source = value.then(|| setting.source.clone());
                }
                None => result.warnings.push(format!(
                    "`{}` sets `{}` to `{}`, which pip rejects (it wants 1/0, yes/no, true/false, on/off): every pip command stops with an error",
                    setting.source, setting.name, setting.value
                )),
            }
        }
    }

    let old_pip = pip_version.filter(|version| version_before(version, (23, 0, 1)));
    if let (Some(version), true) = (old_pip, result.break_system_packages) {
        result.warnings.push(format!(
            "pip {version} predates `--break-system-packages` (23.0.1) and ignores `{}`",
            result.source.as_deref().unwrap_or("the override")
        ));
        result.break_system_packages = false;
        result.source = None;
    }
    result
}

/// Parses one config file; `Ok(None)` when configparser would skip it (cannot be opened).
fn read_config(path: &Path) -> Result<Option<ini::Ini>, String> {
    let Ok(bytes) = fs_err::read(path) else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&bytes)
        .map_err(|err| format!("not valid UTF-8 at byte {}", err.valid_up_to()))?;
    ini::parse(text).map(Some).map_err(|err| err.to_string())
}

/// Whether a pip version string (`23.0`, `9.0.3`, `24.1b1`) is older than `minimum`.
fn version_before(version: &str, minimum: (u64, u64, u64)) -> bool {
    let mut parts = version.split('.').map(|part| {
        let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
        digits.parse::<u64>().unwrap_or(0)
    });
    let found = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    found < minimum
}

/// Whether uv would skip the check: `UV_BREAK_SYSTEM_PACKAGES` parsed like clap's
/// `BoolishValueParser` (uv ignores pip's variable and config files).
pub fn uv_break_system_packages(env: &EnvView) -> bool {
    env.var("UV_BREAK_SYSTEM_PACKAGES")
        .and_then(pip_bool)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture {
        dir: tempfile::TempDir,
    }

    impl Fixture {
        fn new() -> Self {
            Self {
                dir: tempfile::tempdir().expect("temp dir"),
            }
        }

        fn path(&self, relative: &str) -> PathBuf {
            self.dir.path().join(relative)
        }

        fn write(&self, relative: &str, contents: &str) -> String {
            let path = self.path(relative);
            fs_err::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs_err::write(&path, contents).expect("write");
            path.display().to_string()
        }

        /// An environment whose global, user and site files all live in the temp dir.
        fn env(&self, extra: &[(&str, &str)]) -> EnvView {
            let xdg_dirs = self.path("xdg").display().to_string();
            let mut vars = vec![("XDG_CONFIG_DIRS", xdg_dirs.as_str())];
            vars.extend_from_slice(extra);
            EnvView::from_pairs(&vars, &self.path("home")).with_os(HostOs::Linux)
        }

        fn prefix(&self) -> PathBuf {
            self.path("prefix")
        }
    }

    #[test]
    fn nothing_set_means_no_override() {
        let fixture = Fixture::new();
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), Some("23.0.1"));
        assert!(!result.break_system_packages);
        assert!(!result.require_virtualenv);
        assert_eq!(result.source, None);
        assert!(result.warnings.is_empty());
    }

    #[test]
    fn environment_variable_uses_pips_booleans() {
        let fixture = Fixture::new();
        for (value, expected) in [
            ("1", true),
            ("yes", true),
            ("TRUE", true),
            ("on", true),
            ("y", true),
            ("t", true),
            ("0", false),
            ("no", false),
            ("false", false),
            ("off", false),
            ("", false),
        ] {
            let env = fixture.env(&[("PIP_BREAK_SYSTEM_PACKAGES", value)]);
            let result = overrides(&env, &fixture.prefix(), None);
            assert_eq!(result.break_system_packages, expected, "{value:?}");
            assert!(result.warnings.is_empty(), "{value:?}");
            let source = expected.then(|| "PIP_BREAK_SYSTEM_PACKAGES".to_string());
            assert_eq!(result.source, source);
        }
        let env = fixture.env(&[("PIP_BREAK_SYSTEM_PACKAGES", "maybe")]);
        let result = overrides(&env, &fixture.prefix(), None);
        assert!(!result.break_system_packages);
        assert!(
            result.warnings[0].contains("rejects"),
            "{:?}",
            result.warnings
        );
    }

    #[test]
    fn config_sections_global_and_install_count_others_do_not() {
        let fixture = Fixture::new();
        let user = fixture.write(
            "home/.config/pip/pip.conf",
            "[global]\nbreak-system-packages = true\n",
        );
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(result.break_system_packages);
        assert_eq!(result.source.as_deref(), Some(user.as_str()));

        fixture.write(
            "home/.config/pip/pip.conf",
            "[freeze]\nbreak-system-packages = true\n[Global]\nbreak-system-packages = true\n",
        );
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(!result.break_system_packages);

        let user = fixture.write(
            "home/.config/pip/pip.conf",
            "[install]\nbreak_system_packages = yes\n",
        );
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(result.break_system_packages);
        assert_eq!(result.source.as_deref(), Some(user.as_str()));
    }

    #[test]
    fn later_files_beat_earlier_ones() {
        let fixture = Fixture::new();
        fixture.write(
            "xdg/pip/pip.conf",
            "[global]\nbreak-system-packages = true\n",
        );
        fixture.write(
            "home/.pip/pip.conf",
            "[global]\nbreak-system-packages = false\n",
        );
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(!result.break_system_packages);

        let new_user = fixture.write(
            "home/.config/pip/pip.conf",
            "[global]\nbreak-system-packages = on\n",
        );
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(result.break_system_packages);
        assert_eq!(result.source.as_deref(), Some(new_user.as_str()));

        fixture.write("prefix/pip.conf", "[global]\nbreak-system-packages = off\n");
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(!result.break_system_packages);
        assert_eq!(result.source, None);
    }

    #[test]
    fn install_section_beats_global_in_any_file() {
        let fixture = Fixture::new();
        let site = fixture.write("xdg/pip/pip.conf", "[install]\nbreak-system-packages = 1\n");
        fixture.write("prefix/pip.conf", "[global]\nbreak-system-packages = 0\n");
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(result.break_system_packages);
        assert_eq!(result.source.as_deref(), Some(site.as_str()));
    }

    #[test]
    fn environment_beats_every_file() {
        let fixture = Fixture::new();
        fixture.write(
            "prefix/pip.conf",
            "[install]\nbreak-system-packages = true\n",
        );
        let env = fixture.env(&[("PIP_BREAK_SYSTEM_PACKAGES", "0")]);
        assert!(!overrides(&env, &fixture.prefix(), None).break_system_packages);
        // An empty variable is skipped, so the file wins.
        let env = fixture.env(&[("PIP_BREAK_SYSTEM_PACKAGES", "")]);
        assert!(overrides(&env, &fixture.prefix(), None).break_system_packages);
    }

    #[test]
    fn pip_config_file_replaces_user_files_and_devnull_disables_all() {
        let fixture = Fixture::new();
        fixture.write(
            "home/.config/pip/pip.conf",
            "[global]\nbreak-system-packages = true\n",
        );
        let custom = fixture.write("custom.conf", "[global]\ntimeout = 5\n");
        let env = fixture.env(&[("PIP_CONFIG_FILE", &custom)]);
        assert!(!overrides(&env, &fixture.prefix(), None).break_system_packages);

        // A PIP_CONFIG_FILE that does not exist leaves the user files in place.
        let missing = fixture.path("missing.conf").display().to_string();
        let env = fixture.env(&[("PIP_CONFIG_FILE", &missing)]);
        assert!(overrides(&env, &fixture.prefix(), None).break_system_packages);

        let custom = fixture.write("custom.conf", "[install]\nbreak-system-packages = true\n");
        fixture.write(
            "prefix/pip.conf",
            "[install]\nbreak-system-packages = false\n",
        );
        let env = fixture.env(&[("PIP_CONFIG_FILE", &custom)]);
        let result = overrides(&env, &fixture.prefix(), None);
        assert!(result.break_system_packages);
        assert_eq!(result.source.as_deref(), Some(custom.as_str()));

        fixture.write(
            "prefix/pip.conf",
            "[install]\nbreak-system-packages = true\n",
        );
        let env = fixture.env(&[("PIP_CONFIG_FILE", "/dev/null")]);
        assert!(!overrides(&env, &fixture.prefix(), None).break_system_packages);
        assert!(config_files(&env, &fixture.prefix()).is_empty());
    }

    #[test]
    fn xdg_variables_move_the_files() {
        let fixture = Fixture::new();
        let a = fixture.path("a").display().to_string();
        let b = fixture.path("b").display().to_string();
        let dirs = format!("{a}:{b}");
        let config_home = fixture.path("config").display().to_string();
        let env = EnvView::from_pairs(
            &[
                ("XDG_CONFIG_DIRS", &dirs),
                ("XDG_CONFIG_HOME", &config_home),
            ],
            &fixture.path("home"),
        )
        .with_os(HostOs::Linux);
        let paths: Vec<PathBuf> = config_files(&env, Path::new("/usr"))
            .into_iter()
            .map(|file| file.path)
            .collect();
        assert_eq!(
            paths,
            [
                fixture.path("a/pip/pip.conf"),
                fixture.path("b/pip/pip.conf"),
                PathBuf::from("/etc/pip.conf"),
                fixture.path("home/.pip/pip.conf"),
                fixture.path("config/pip/pip.conf"),
                PathBuf::from("/usr/pip.conf"),
            ]
        );
        let env = EnvView::from_pairs(&[("XDG_CONFIG_HOME", " ")], Path::new("/home/u"))
            .with_os(HostOs::Linux);
        let paths: Vec<PathBuf> = config_files(&env, Path::new("/usr"))
            .into_iter()
            .map(|file| file.path)
            .collect();
        assert_eq!(paths[0], PathBuf::from("/etc/xdg/pip/pip.conf"));
        assert_eq!(paths[3], PathBuf::from("/home/u/.config/pip/pip.conf"));
    }

    #[test]
    fn macos_and_windows_locations() {
        let env = EnvView::from_pairs(&[], Path::new("/Users/u")).with_os(HostOs::Macos);
        let paths: Vec<PathBuf> = config_files(&env, Path::new("/opt/homebrew"))
            .into_iter()
            .map(|file| file.path)
            .collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("/Library/Application Support/pip/pip.conf"),
                PathBuf::from("/Users/u/.pip/pip.conf"),
                PathBuf::from("/Users/u/.config/pip/pip.conf"),
                PathBuf::from("/opt/homebrew/pip.conf"),
            ]
        );
        let env = EnvView::from_pairs(
            &[("APPDATA", "AppData"), ("PROGRAMDATA", "ProgramData")],
            Path::new("home"),
        )
        .with_os(HostOs::Windows);
        let paths: Vec<PathBuf> = config_files(&env, Path::new("prefix"))
            .into_iter()
            .map(|file| file.path)
            .collect();
        assert_eq!(
            paths,
            [
                Path::new("ProgramData").join("pip").join("pip.ini"),
                Path::new("home").join("pip").join("pip.ini"),
                Path::new("AppData").join("pip").join("pip.ini"),
                Path::new("prefix").join("pip.ini"),
            ]
        );
        let env = EnvView::from_pairs(&[("PIP_CONFIG_FILE", "nul")], Path::new("home"))
            .with_os(HostOs::Windows);
        assert!(config_files(&env, Path::new("prefix")).is_empty());
    }

    #[test]
    fn broken_config_file_is_reported() {
        let fixture = Fixture::new();
        fixture.write("prefix/pip.conf", "break-system-packages = true\n");
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(!result.break_system_packages);
        assert!(
            result.warnings[0].contains("cannot load"),
            "{:?}",
            result.warnings
        );
        fixture.write(
            "prefix/pip.conf",
            "[global]\nbreak-system-packages = sure\n",
        );
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(!result.break_system_packages);
        assert!(
            result.warnings[0].contains("`sure`"),
            "{:?}",
            result.warnings
        );
    }

    #[test]
    fn default_section_applies_to_global() {
        let fixture = Fixture::new();
        fixture.write(
            "prefix/pip.conf",
            "[DEFAULT]\nbreak-system-packages = true\n[global]\n",
        );
        let result = overrides(&fixture.env(&[]), &fixture.prefix(), None);
        assert!(result.break_system_packages);
    }

    #[test]
    fn old_pip_honours_no_override() {
        let fixture = Fixture::new();
        let env = fixture.env(&[("PIP_BREAK_SYSTEM_PACKAGES", "1")]);
        for version in ["23.0", "22.3.1", "9.0.3"] {
            let result = overrides(&env, &fixture.prefix(), Some(version));
            assert!(!result.break_system_packages, "{version}");
            assert!(result.warnings[0].contains("23.0.1"), "{version}");
        }
        for version in ["23.0.1", "23.1", "24.0b1", "26.0"] {
            assert!(
                overrides(&env, &fixture.prefix(), Some(version)).break_system_packages,
                "{version}"
            );
        }
    }

    #[test]
    fn require_virtualenv_from_env_or_config() {
        let fixture = Fixture::new();
        let env = fixture.env(&[("PIP_REQUIRE_VIRTUALENV", "true")]);
        let result = overrides(&env, &fixture.prefix(), Some("9.0.3"));
        assert!(result.require_virtualenv);
        assert_eq!(
            result.require_virtualenv_source.as_deref(),
            Some("PIP_REQUIRE_VIRTUALENV")
        );
        let env = fixture.env(&[("PIP_REQUIRE_VENV", "1")]);
        assert!(overrides(&env, &fixture.prefix(), None).require_virtualenv);
        fixture.write("prefix/pip.conf", "[global]\nrequire-virtualenv = yes\n");
        assert!(overrides(&fixture.env(&[]), &fixture.prefix(), None).require_virtualenv);
    }

    #[test]
    fn uv_has_its_own_variable() {
        let home = Path::new("/home/u");
        assert!(!uv_break_system_packages(&EnvView::from_pairs(
            &[("PIP_BREAK_SYSTEM_PACKAGES", "1")],
            home
        )));
        assert!(uv_break_system_packages(&EnvView::from_pairs(
            &[("UV_BREAK_SYSTEM_PACKAGES", "true")],
            home
        )));
        assert!(!uv_break_system_packages(&EnvView::from_pairs(
            &[("UV_BREAK_SYSTEM_PACKAGES", "0")],
            home
        )));
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(version_before("23.0", (23, 0, 1)));
        assert!(version_before("9.0.3", (23, 0, 1)));
        assert!(!version_before("23.0.1", (23, 0, 1)));
        assert!(!version_before("100.0", (23, 0, 1)));
    }
}
