//! The exact OS commands pybootstrap suggests: venv support, pipx, a library as an OS
//! package. `None` whenever the package manager is unknown or the command is not certain —
//! a generic hint is better than a wrong command.

use super::PackageManager;

/// `(3, 11)` from `"3.11"` (or `"3.11.4"`); `None` for anything else.
fn major_minor(python_version: &str) -> Option<(u32, u32)> {
    let mut parts = python_version.trim().split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// The command that makes `python3.X -m venv` work, when the OS splits it out. Only
/// Debian and Ubuntu do (`ensurepip` lives in `python3.X-venv`); elsewhere venv is built
/// in and this is `None`.
pub(crate) fn venv_package_command(
    pm: Option<PackageManager>,
    python_version: &str,
) -> Option<String> {
    match pm? {
        PackageManager::Apt => Some(match major_minor(python_version) {
            Some((major, minor)) => format!("sudo apt install python{major}.{minor}-venv"),
            // The distribution's default Python.
            None => "sudo apt install python3-venv".to_string(),
        }),
        _ => None,
    }
}

/// The command that installs pipx from the OS (on a managed Python, `pip install pipx`
/// is refused).
pub(crate) fn pipx_command(pm: Option<PackageManager>, python_version: &str) -> Option<String> {
    let command = match pm? {
        PackageManager::Apt => "sudo apt install pipx".to_string(),
        PackageManager::Dnf => "sudo dnf install pipx".to_string(),
        PackageManager::Pacman => "sudo pacman -S python-pipx".to_string(),
        PackageManager::Apk => "sudo apk add pipx".to_string(),
        PackageManager::Zypper => {
            // openSUSE names Python packages per interpreter: python311-pipx.
            let (major, minor) = major_minor(python_version)?;
            format!("sudo zypper install python{major}{minor}-pipx")
        }
        PackageManager::Emerge => "sudo emerge dev-python/pipx".to_string(),
        PackageManager::Brew => "brew install pipx".to_string(),
    };
    Some(command)
}

/// The command that lists the Python libraries the OS packages.
pub(crate) fn os_package_search_command(pm: Option<PackageManager>) -> Option<String> {
    let command = match pm? {
        PackageManager::Apt => "apt-cache search --names-only '^python3-'",
        PackageManager::Dnf => "dnf search python3",
        PackageManager::Pacman => "pacman -Ss '^python-'",
        PackageManager::Apk => "apk search 'py3-*'",
        PackageManager::Zypper => "zypper search python3",
        PackageManager::Emerge => "emerge --search '%@^dev-python/'",
        // Homebrew packages very few libraries: a venv is the answer there.
        PackageManager::Brew => return None,
    };
    Some(command.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use PackageManager::*;

    const ALL: [PackageManager; 7] = [Apt, Dnf, Pacman, Apk, Zypper, Emerge, Brew];

    #[test]
    fn venv_support_is_split_out_only_on_debian() {
        assert_eq!(
            venv_package_command(Some(Apt), "3.11").as_deref(),
            Some("sudo apt install python3.11-venv")
        );
        assert_eq!(
            venv_package_command(Some(Apt), "3.12.3").as_deref(),
            Some("sudo apt install python3.12-venv")
        );
        assert_eq!(
            venv_package_command(Some(Apt), "weird").as_deref(),
            Some("sudo apt install python3-venv")
        );
        for pm in [Dnf, Pacman, Apk, Zypper, Emerge, Brew] {
            assert_eq!(venv_package_command(Some(pm), "3.11"), None, "{pm:?}");
        }
        assert_eq!(venv_package_command(None, "3.11"), None);
    }

    #[test]
    fn pipx_commands() {
        let expected = [
            (Apt, "sudo apt install pipx"),
            (Dnf, "sudo dnf install pipx"),
            (Pacman, "sudo pacman -S python-pipx"),
            (Apk, "sudo apk add pipx"),
            (Zypper, "sudo zypper install python311-pipx"),
            (Emerge, "sudo emerge dev-python/pipx"),
            (Brew, "brew install pipx"),
        ];
        for (pm, command) in expected {
            assert_eq!(pipx_command(Some(pm), "3.11").as_deref(), Some(command));
        }
        assert_eq!(pipx_command(Some(Zypper), "3"), None);
        assert_eq!(pipx_command(None, "3.11"), None);
    }

    #[test]
    fn sudo_on_linux_never_for_brew() {
        for pm in ALL {
            for command in [
                pipx_command(Some(pm), "3.11"),
                venv_package_command(Some(pm), "3.11"),
            ]
            .into_iter()
            .flatten()
            {
                assert_eq!(command.starts_with("sudo "), pm != Brew, "{command}");
            }
        }
    }

    #[test]
    fn search_commands() {
        assert_eq!(
            os_package_search_command(Some(Apt)).as_deref(),
            Some("apt-cache search --names-only '^python3-'")
        );
        for pm in [Dnf, Pacman, Apk, Zypper, Emerge] {
            assert!(os_package_search_command(Some(pm)).is_some(), "{pm:?}");
        }
        assert_eq!(os_package_search_command(Some(Brew)), None);
        assert_eq!(os_package_search_command(None), None);
    }
}
