//! The operating system and distribution, and the package-manager commands that fit it.
//!
//! This only drives *advice*: whether a Python is externally managed is always asked of
//! the interpreter, never inferred from the distribution.

pub(crate) mod advice;
pub(crate) mod execution_policy;
pub(crate) mod os_release;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable naming a file to read instead of `/etc/os-release` (for
/// containers whose file is mounted elsewhere, and for tests). When set, only that file is
/// read.
pub(crate) const OS_RELEASE_VARIABLE: &str = "PYBOOTSTRAP_OS_RELEASE";

const ETC_OS_RELEASE: &str = "/etc/os-release";
const USR_LIB_OS_RELEASE: &str = "/usr/lib/os-release";

/// A package manager we can give exact commands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageManager {
    Apt,
    Dnf,
    Pacman,
    Apk,
    Zypper,
    Emerge,
    Brew,
}

/// The machine as far as advice is concerned.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Platform {
    /// `linux`, `macos`, `windows`, or `std::env::consts::OS` for anything else.
    pub os: String,
    /// os-release `ID` (`linux` when the file has none).
    pub distro_id: Option<String>,
    /// os-release `ID_LIKE`, closest relative first.
    pub distro_like: Option<Vec<String>>,
    /// os-release `VERSION_ID`.
    pub distro_version: Option<String>,
    pub package_manager: Option<PackageManager>,
    /// What could not be read, e.g. "`/etc/os-release` line 3: … line ignored".
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Platform {
    fn bare(os: &str) -> Self {
        Self {
            os: os.to_string(),
            distro_id: None,
            distro_like: None,
            distro_version: None,
            package_manager: None,
            warnings: Vec::new(),
        }
    }
}

/// Reads this machine: os-release on Linux and other Unix systems, Homebrew on macOS.
pub(crate) fn detect() -> Platform {
    detect_with(
        std::env::consts::OS,
        std::env::var_os(OS_RELEASE_VARIABLE),
        std::env::var_os("PATH"),
    )
}

/// [`detect`] with the OS name, `PYBOOTSTRAP_OS_RELEASE` and `PATH` passed in.
fn detect_with(os: &str, os_release: Option<OsString>, path: Option<OsString>) -> Platform {
    match os {
        "macos" => {
            let mut platform = Platform::bare(os);
            if brew_available(path.as_deref()) {
                platform.package_manager = Some(PackageManager::Brew);
            }
            platform
        }
        "windows" => Platform::bare(os),
        _ => {
            let mut platform = match os_release.filter(|value| !value.is_empty()) {
                Some(path) => read_os_release(&[PathBuf::from(path)]),
                None => read_os_release(&[
                    PathBuf::from(ETC_OS_RELEASE),
                    PathBuf::from(USR_LIB_OS_RELEASE),
                ]),
            };
            platform.os = os.to_string();
            platform
        }
    }
}

/// Reads the first of `candidates` that exists (never merging two files).
fn read_os_release(candidates: &[PathBuf]) -> Platform {
    for path in candidates {
        let bytes = match fs_err::read(path) {
            Ok(bytes) => bytes,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => {
                let mut platform = Platform::bare(current_os());
                platform.warnings.push(format!(
                    "{err}; the distribution is unknown, so advice stays generic"
                ));
                return platform;
            }
        };
        return match std::str::from_utf8(&bytes) {
            Ok(text) if !text.contains('\0') => from_os_release(text, path),
            _ => {
                let mut platform = Platform::bare(current_os());
                platform.warnings.push(format!(
                    "`{}` is not a text file; the distribution is unknown, so advice stays generic",
                    path.display()
                ));
                platform
            }
        };
    }
    let mut platform = Platform::bare(current_os());
    let names: Vec<String> = candidates
        .iter()
        .map(|path| format!("`{}`", path.display()))
        .collect();
    platform.warnings.push(format!(
        "no {} found; the distribution is unknown, so advice stays generic",
        names.join(" or ")
    ));
    platform
}

fn current_os() -> &'static str {
    std::env::consts::OS
}

/// The platform described by the text of an os-release file at `path`.
pub(crate) fn from_os_release(text: &str, path: &Path) -> Platform {
    let release = os_release::parse(text, path);
    let distro_id = release
        .get("ID")
        .filter(|id| !id.is_empty())
        .unwrap_or("linux")
        .to_string();
    let distro_like: Option<Vec<String>> = release
        .get("ID_LIKE")
        .map(|like| like.split_whitespace().map(str::to_string).collect())
        .filter(|like: &Vec<String>| !like.is_empty());
    let distro_version = release
        .get("VERSION_ID")
        .filter(|version| !version.is_empty())
        .map(str::to_string);
    let package_manager = package_manager_for(
        &distro_id,
        distro_like.as_deref().unwrap_or_default(),
        distro_version.as_deref(),
    );
    Platform {
        os: current_os().to_string(),
        distro_id: Some(distro_id),
        distro_like,
        distro_version,
        package_manager,
        warnings: release.warnings,
    }
}

/// The package manager for `ID`, else for the first `ID_LIKE` entry that has one.
pub(crate) fn package_manager_for(
    id: &str,
    like: &[String],
    version: Option<&str>,
) -> Option<PackageManager> {
    let manager = std::iter::once(id)
        .chain(like.iter().map(String::as_str))
        .find_map(package_manager_of_id)?;
    // RHEL/CentOS 7 and Amazon Linux 2 have `yum`, not `dnf`; Fedora has had dnf since 22.
    let major = version
        .and_then(|version| version.split('.').next())
        .and_then(|major| major.parse::<u32>().ok());
    if manager == PackageManager::Dnf && id != "fedora" && major.is_some_and(|major| major < 8) {
        return None;
    }
    Some(manager)
}

fn package_manager_of_id(id: &str) -> Option<PackageManager> {
    match id {
        "debian" | "ubuntu" => Some(PackageManager::Apt),
        "fedora" | "rhel" | "centos" => Some(PackageManager::Dnf),
        "arch" => Some(PackageManager::Pacman),
        "alpine" => Some(PackageManager::Apk),
        "suse" | "sles" => Some(PackageManager::Zypper),
        id if id.starts_with("opensuse") => Some(PackageManager::Zypper),
        "gentoo" => Some(PackageManager::Emerge),
        _ => None,
    }
}

/// Whether Homebrew is installed: `brew` on `PATH` or in one of its two default prefixes.
fn brew_available(path: Option<&std::ffi::OsStr>) -> bool {
    let on_path = path
        .is_some_and(|paths| std::env::split_paths(paths).any(|dir| dir.join("brew").is_file()));
    on_path
        || Path::new("/opt/homebrew/bin/brew").is_file()
        || Path::new("/usr/local/bin/brew").is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn platform(text: &str) -> Platform {
        from_os_release(text, Path::new("/etc/os-release"))
    }

    #[test]
    fn ids_map_to_package_managers() {
        let cases = [
            ("ID=debian\nVERSION_ID=\"12\"", Some(PackageManager::Apt)),
            ("ID=ubuntu\nID_LIKE=debian", Some(PackageManager::Apt)),
            (
                "ID=linuxmint\nID_LIKE=\"ubuntu debian\"",
                Some(PackageManager::Apt),
            ),
            (
                "ID=pop\nID_LIKE=\"ubuntu debian\"",
                Some(PackageManager::Apt),
            ),
            ("ID=fedora\nVERSION_ID=40", Some(PackageManager::Dnf)),
            (
                "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nVERSION_ID=\"9.3\"",
                Some(PackageManager::Dnf),
            ),
            (
                "ID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"",
                None,
            ),
            (
                "ID=\"amzn\"\nID_LIKE=\"centos rhel fedora\"\nVERSION_ID=\"2\"",
                None,
            ),
            (
                "ID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"",
                Some(PackageManager::Dnf),
            ),
            ("ID=arch", Some(PackageManager::Pacman)),
            ("ID=manjaro\nID_LIKE=arch", Some(PackageManager::Pacman)),
            ("ID=alpine\nVERSION_ID=3.19.1", Some(PackageManager::Apk)),
            (
                "ID=\"opensuse-tumbleweed\"\nID_LIKE=\"opensuse suse\"",
                Some(PackageManager::Zypper),
            ),
            (
                "ID=\"sles\"\nVERSION_ID=\"15.5\"",
                Some(PackageManager::Zypper),
            ),
            ("ID=gentoo", Some(PackageManager::Emerge)),
            ("ID=nixos", None),
            ("ID=void", None),
            ("NAME=whatever", None),
        ];
        for (text, expected) in cases {
            assert_eq!(platform(text).package_manager, expected, "{text}");
        }
    }

    #[test]
    fn id_comes_before_id_like() {
        // A made-up distribution: its own ID decides, not the relatives.
        assert_eq!(
            platform("ID=arch\nID_LIKE=debian").package_manager,
            Some(PackageManager::Pacman)
        );
        assert_eq!(
            platform("ID=mystery\nID_LIKE=\"nothing alpine debian\"").package_manager,
            Some(PackageManager::Apk)
        );
    }

    #[test]
    fn fields_are_reported() {
        let result = platform("ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\n");
        assert_eq!(result.distro_id.as_deref(), Some("ubuntu"));
        assert_eq!(result.distro_like, Some(vec!["debian".to_string()]));
        assert_eq!(result.distro_version.as_deref(), Some("24.04"));
        let result = platform("NAME=x\nID_LIKE=\"\"\n");
        assert_eq!(result.distro_id.as_deref(), Some("linux"));
        assert_eq!(result.distro_like, None);
        assert_eq!(result.distro_version, None);
    }

    #[test]
    fn json_field_names_follow_the_spec() {
        let json = serde_json::to_value(platform("ID=debian\nVERSION_ID=12")).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "os": std::env::consts::OS,
                "distro_id": "debian",
                "distro_like": null,
                "distro_version": "12",
                "package_manager": "apt",
            })
        );
    }

    #[test]
    fn broken_lines_become_warnings() {
        let result = platform("ID=debian\nNAME=Debian GNU\n");
        assert_eq!(result.package_manager, Some(PackageManager::Apt));
        assert_eq!(result.warnings.len(), 1);
        assert!(result.warnings[0].contains("line 2"));
    }

    #[test]
    fn files_are_never_merged_and_odd_files_give_generic_advice() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = dir.path().join("etc-os-release");
        let second = dir.path().join("usr-os-release");
        fs_err::write(&second, "ID=arch\nVERSION_ID=rolling\n").expect("write");
        let result = read_os_release(&[first.clone(), second.clone()]);
        assert_eq!(result.package_manager, Some(PackageManager::Pacman));

        fs_err::write(&first, "VERSION_ID=12\n").expect("write");
        let result = read_os_release(&[first.clone(), second.clone()]);
        assert_eq!(result.distro_id.as_deref(), Some("linux"));
        assert_eq!(result.package_manager, None);

        fs_err::write(&first, b"\x7fELF\x00\x01\xff\xfe").expect("write");
        let result = read_os_release(&[first.clone(), second.clone()]);
        assert_eq!(result.package_manager, None);
        assert!(result.warnings[0].contains("not a text file"));

        fs_err::remove_file(&first).expect("remove");
        fs_err::create_dir(&first).expect("mkdir");
        let result = read_os_release(&[first.clone(), second.clone()]);
        assert_eq!(result.package_manager, None);
        assert_eq!(result.warnings.len(), 1, "{:?}", result.warnings);

        let result = read_os_release(&[dir.path().join("absent")]);
        assert_eq!(result.package_manager, None);
        assert!(result.warnings[0].contains("no `"));
    }

    #[test]
    fn brew_is_found_on_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs_err::write(dir.path().join("brew"), "").expect("write");
        assert!(brew_available(Some(dir.path().as_os_str())));
    }

    #[test]
    fn detect_honours_the_override_and_each_os() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("os-release");
        fs_err::write(&file, "ID=alpine\nVERSION_ID=3.20.0\n").expect("write");
        let result = detect_with("linux", Some(file.clone().into_os_string()), None);
        assert_eq!(result.os, "linux");
        assert_eq!(result.distro_id.as_deref(), Some("alpine"));
        assert_eq!(result.package_manager, Some(PackageManager::Apk));

        // The override replaces the system files: a missing one is not backed up by them.
        let missing = dir.path().join("missing").into_os_string();
        let result = detect_with("linux", Some(missing), None);
        assert_eq!(result.distro_id, None);
        assert_eq!(result.warnings.len(), 1);

        let result = detect_with("windows", Some(file.into_os_string()), None);
        assert_eq!(result.os, "windows");
        assert_eq!(result.package_manager, None);

        fs_err::write(dir.path().join("brew"), "").expect("write");
        let result = detect_with("macos", None, Some(dir.path().as_os_str().to_owned()));
        assert_eq!(result.os, "macos");
        assert_eq!(result.package_manager, Some(PackageManager::Brew));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn detect_reads_this_machine() {
        // Whatever the machine, detection must not panic and must name the OS.
        assert_eq!(detect().os, "linux");
    }
}
