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
pub fn venv_package_command(pm: Option<PackageManager>, python_version: &str) -> Option<String> {
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
pub fn pipx_command(pm: Option<PackageManager>, python_version: &str) -> Option<String> {
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

/// The command that installs the library imported as `import_name` from the OS. Only
/// Debian's naming is derived from the import name (`yaml` → `python3-yaml`, `PIL` →
/// `python3-pil`); the others name packages after the project, which an import name
/// does not tell, so they get `None` (use [`os_package_search_command`]).
pub fn os_package_command(pm: Option<PackageManager>, import_name: &str) -> Option<String> {
    let module = debian_module_name(import_name)?;
    match pm? {
        PackageManager::Apt => Some(format!("sudo apt install python3-{module}")),
        _ => None,
    }
}

/// The command that installs the project `project_name` (its name on PyPI) from the OS,
/// where the package manager can look it up by that name: Fedora/RHEL's
/// `python3dist(<name>)` provides. `None` elsewhere.
pub fn os_package_command_for_project(
    pm: Option<PackageManager>,
    project_name: &str,
) -> Option<String> {
    let name = normalized_project_name(project_name)?;
    match pm? {
        PackageManager::Dnf => Some(format!("sudo dnf install 'python3dist({name})'")),
        _ => None,
    }
}

/// The command that lists the Python libraries the OS packages.
pub fn os_package_search_command(pm: Option<PackageManager>) -> Option<String> {
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

/// Debian Python policy: the module name, lowercased, `_` → `-`. `None` when
/// `import_name` is not a plain top-level module name (it goes into a shell command, and
/// namespace packages are named inconsistently: `python3-ruamel.yaml`, `python3-protobuf`).
fn debian_module_name(import_name: &str) -> Option<String> {
    let top_level = import_name.trim();
    let valid = top_level
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && top_level
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || character == '_');
    valid.then(|| top_level.to_ascii_lowercase().replace('_', "-"))
}

/// PEP 503 normalization, refusing anything that is not a valid project name.
fn normalized_project_name(project_name: &str) -> Option<String> {
    let name = project_name.trim();
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|character| character.is_ascii_alphanumeric() || "-_.".contains(character))
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !valid {
        return None;
    }
    let mut normalized = String::new();
    for character in name.chars() {
        if "-_.".contains(character) {
            if !normalized.ends_with('-') {
                normalized.push('-');
            }
        } else {
            normalized.push(character.to_ascii_lowercase());
        }
    }
    Some(normalized)
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
                os_package_command(Some(pm), "yaml"),
            ]
            .into_iter()
            .flatten()
            {
                assert_eq!(command.starts_with("sudo "), pm != Brew, "{command}");
            }
        }
    }

    #[test]
    fn debian_names_libraries_by_import_name() {
        for (import, package) in [
            ("yaml", "python3-yaml"),
            ("bs4", "python3-bs4"),
            ("PIL", "python3-pil"),
            ("typing_extensions", "python3-typing-extensions"),
        ] {
            assert_eq!(
                os_package_command(Some(Apt), import),
                Some(format!("sudo apt install {package}"))
            );
        }
        assert_eq!(os_package_command(Some(Apt), "yaml; rm -rf /"), None);
        assert_eq!(os_package_command(Some(Apt), "ruamel.yaml"), None);
        assert_eq!(os_package_command(Some(Apt), ""), None);
        for pm in [Dnf, Pacman, Apk, Zypper, Emerge, Brew] {
            assert_eq!(os_package_command(Some(pm), "yaml"), None, "{pm:?}");
        }
        assert_eq!(os_package_command(None, "yaml"), None);
    }

    #[test]
    fn fedora_looks_projects_up_by_name() {
        assert_eq!(
            os_package_command_for_project(Some(Dnf), "PyYAML").as_deref(),
            Some("sudo dnf install 'python3dist(pyyaml)'")
        );
        assert_eq!(
            os_package_command_for_project(Some(Dnf), "zope.interface").as_deref(),
            Some("sudo dnf install 'python3dist(zope-interface)'")
        );
        assert_eq!(os_package_command_for_project(Some(Dnf), "x'y"), None);
        assert_eq!(os_package_command_for_project(Some(Apt), "PyYAML"), None);
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
