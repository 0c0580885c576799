//! Which kind of file a path is — by name first, then by a shebang — and so which reader
//! looks at it. Files of no known kind are never read.

use super::reach::Base;

/// The kinds of file the linter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `Dockerfile`, `*.Dockerfile`, `Dockerfile.*`, `Containerfile`.
    Dockerfile,
    /// `.github/workflows/*.yml`.
    GithubWorkflow,
    /// `.gitlab-ci.yml` and YAML under `.gitlab/`.
    GitlabCi,
    /// Any other YAML: other CI systems, compose files, Ansible.
    Yaml,
    /// Shell scripts (`*.sh`, shebang) and env files (`.env`, `.envrc`).
    Shell,
    /// `Makefile`, `*.mk`.
    Makefile,
    /// `tox.ini`.
    Tox,
    /// `noxfile.py`.
    Nox,
    /// Other `*.py` files: only the commands in `os.system`/`subprocess` calls are read.
    Python,
    /// `pip.conf`, `pip.ini`.
    PipConfig,
    /// `requirements*.txt`, `constraints*.txt`, `*.in` next to them.
    Requirements,
    /// Markdown: only code blocks are read.
    Markdown,
    /// reStructuredText: only literal blocks and code directives are read.
    Rst,
    /// `.devcontainer/devcontainer.json`, `.devcontainer.json`: JSON with comments.
    Devcontainer,
    /// Terraform `*.tf` and Packer `*.pkr.hcl`: `user_data` here-documents and provisioner
    /// commands.
    Terraform,
    /// Salt states, `*.sls`.
    Salt,
    /// Package tools' settings that may name an index: `pyproject.toml` (`[[tool.uv.index]]`,
    /// Poetry sources), `uv.toml`, `poetry.toml`, `pdm.toml`, `.pypirc`; read for PB301.
    PackageConfig,
    /// Files whose lines are commands in another language (Jenkinsfile, PowerShell, batch):
    /// read line by line for the rules that hold anywhere.
    Commands,
}

/// The kind of the file at `relative` (a `/`-separated path), from its name alone.
pub(super) fn by_name(relative: &str) -> Option<Kind> {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let lower = name.to_ascii_lowercase();
    let extension = lower.rsplit_once('.').map(|(_, extension)| extension);
    if lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("containerfile.")
        || extension == Some("dockerfile")
        || extension == Some("containerfile")
    {
        return Some(Kind::Dockerfile);
    }
    if lower == ".devcontainer.json"
        || lower == "devcontainer.json"
            && relative
                .split('/')
                .any(|directory| directory == ".devcontainer")
    {
        return Some(Kind::Devcontainer);
    }
    if matches!(extension, Some("yml" | "yaml")) {
        if relative.starts_with(".github/workflows/") || relative.contains("/.github/workflows/") {
            return Some(Kind::GithubWorkflow);
        }
        if lower.ends_with("gitlab-ci.yml")
            || lower.ends_with("gitlab-ci.yaml")
            || relative.starts_with(".gitlab/")
        {
            return Some(Kind::GitlabCi);
        }
        return Some(Kind::Yaml);
    }
    match lower.as_str() {
        "makefile" | "gnumakefile" => return Some(Kind::Makefile),
        "tox.ini" => return Some(Kind::Tox),
        "noxfile.py" => return Some(Kind::Nox),
        "pip.conf" | "pip.ini" => return Some(Kind::PipConfig),
        "pyproject.toml" | "uv.toml" | "poetry.toml" | "pdm.toml" | ".pypirc" => {
            return Some(Kind::PackageConfig);
        }
        "jenkinsfile" | "vagrantfile" | "justfile" | "procfile" => return Some(Kind::Commands),
        ".env" | ".envrc" => return Some(Kind::Shell),
        _ => {}
    }
    if (lower.starts_with("requirements") || lower.starts_with("constraints"))
        && matches!(extension, Some("txt" | "in"))
        || relative.contains("requirements/") && extension == Some("txt")
    {
        return Some(Kind::Requirements);
    }
    match extension {
        Some("sh" | "bash" | "zsh" | "ksh" | "dash" | "env") => Some(Kind::Shell),
        Some("mk" | "make") => Some(Kind::Makefile),
        Some("md" | "markdown" | "mdx") => Some(Kind::Markdown),
        Some("rst") => Some(Kind::Rst),
        Some("py") => Some(Kind::Python),
        Some("tf") => Some(Kind::Terraform),
        Some("hcl") if lower.ends_with(".pkr.hcl") => Some(Kind::Terraform),
        Some("sls") => Some(Kind::Salt),
        Some("ps1" | "psm1" | "bat" | "cmd" | "groovy" | "jenkinsfile") => Some(Kind::Commands),
        _ => None,
    }
}

/// What a file's path says about where its commands run: Windows command files on a Python
/// without PEP 668, provisioning files (Vagrant, cloud-init, Packer, Ansible roles, machine
/// setup scripts) on the distro's Python, anything else on a host of unknown OS.
pub(super) fn place_of(relative: &str) -> Base {
    let lower = relative.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let extension = name.rsplit_once('.').map(|(_, extension)| extension);
    if matches!(extension, Some("ps1" | "psm1" | "bat" | "cmd")) {
        return Base::OwnPython;
    }
    let directories: Vec<&str> = lower.split('/').rev().skip(1).collect();
    let provisioning_directory = directories.iter().any(|directory| {
        matches!(
            *directory,
            "provision" | "provisioning" | "cloud-init" | "cloudinit" | "vagrant" | "packer"
        )
    });
    // An Ansible role's tasks and handlers run on the managed machine.
    let ansible_role = directories
        .windows(3)
        .any(|window| matches!(window[0], "tasks" | "handlers") && window[2] == "roles");
    let provisioning_name = name == "vagrantfile"
        || name.starts_with("provision")
        || name.contains("raspberry")
        || name.contains("raspbian")
        || name.starts_with("user-data")
        || name.starts_with("cloud-init");
    if provisioning_directory || provisioning_name || ansible_role {
        Base::Distro
    } else if lower
        .split('/')
        .rev()
        .skip(1)
        .any(|directory| directory == ".devcontainer")
    {
        // A dev container's scripts run in its image, which the path does not name: `sudo`
        // there (refreshing CA certificates) says nothing about its Python.
        Base::Unknown
    } else {
        Base::Host
    }
}

/// Whether a file of unknown kind is worth opening to look for a shebang: only names
/// without an extension (`scripts/bootstrap`, `bin/setup`).
pub(super) fn may_have_shebang(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    !name.contains('.')
}

/// The kind of a file of unknown name, from its first line.
pub(super) fn by_content(head: &[u8]) -> Option<Kind> {
    let first = head.split(|&b| b == b'\n').next()?;
    let first = std::str::from_utf8(first).ok()?;
    let interpreter = first.strip_prefix("#!")?;
    let mut words = interpreter.split_whitespace();
    let mut program = words.next()?.rsplit('/').next()?;
    if program == "env" {
        program = words.find(|w| !w.starts_with('-'))?;
    }
    matches!(
        program,
        "sh" | "bash" | "zsh" | "ksh" | "dash" | "ash" | "mksh" | "busybox"
    )
    .then_some(Kind::Shell)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_names() {
        assert_eq!(by_name("Dockerfile"), Some(Kind::Dockerfile));
        assert_eq!(by_name("docker/app.Dockerfile"), Some(Kind::Dockerfile));
        assert_eq!(by_name("Dockerfile.dev"), Some(Kind::Dockerfile));
        assert_eq!(by_name("Containerfile"), Some(Kind::Dockerfile));
        assert_eq!(
            by_name(".github/workflows/ci.yml"),
            Some(Kind::GithubWorkflow)
        );
        assert_eq!(by_name(".gitlab-ci.yml"), Some(Kind::GitlabCi));
        assert_eq!(by_name(".circleci/config.yml"), Some(Kind::Yaml));
        assert_eq!(by_name("scripts/bootstrap.sh"), Some(Kind::Shell));
        assert_eq!(by_name("requirements-dev.txt"), Some(Kind::Requirements));
        assert_eq!(by_name("etc/pip.conf"), Some(Kind::PipConfig));
        assert_eq!(by_name("docs/a.md"), Some(Kind::Markdown));
        assert_eq!(by_name("src/main.rs"), None);
        assert_eq!(by_name("tools/release.py"), Some(Kind::Python));
        assert_eq!(by_name("notes.txt"), None);
        assert_eq!(
            by_name(".devcontainer/devcontainer.json"),
            Some(Kind::Devcontainer)
        );
        assert_eq!(
            by_name("ml/.devcontainer/gpu/devcontainer.json"),
            Some(Kind::Devcontainer)
        );
        assert_eq!(by_name(".devcontainer.json"), Some(Kind::Devcontainer));
        assert_eq!(by_name("config/devcontainer.json"), None);
        assert_eq!(by_name("infra/main.tf"), Some(Kind::Terraform));
        assert_eq!(by_name("packer/ubuntu.pkr.hcl"), Some(Kind::Terraform));
        assert_eq!(by_name("config.hcl"), None);
        assert_eq!(by_name("salt/python/init.sls"), Some(Kind::Salt));
    }

    #[test]
    fn places_one_row_each() {
        assert_eq!(place_of("scripts/install.ps1"), Base::OwnPython);
        assert_eq!(place_of("Vagrantfile"), Base::Distro);
        assert_eq!(place_of("vagrant/bootstrap.sh"), Base::Distro);
        assert_eq!(place_of("scripts/provision.sh"), Base::Distro);
        assert_eq!(place_of("setup-raspberry-pi.sh"), Base::Distro);
        assert_eq!(place_of("scripts/dev.sh"), Base::Host);
        assert_eq!(place_of("roles/exporter/tasks/main.yml"), Base::Distro);
        assert_eq!(place_of("ci/tasks/main.yml"), Base::Host);
        assert_eq!(place_of(".devcontainer/post-create.sh"), Base::Unknown);
    }

    #[test]
    fn recognises_shebangs() {
        assert_eq!(by_content(b"#!/bin/sh\nset -eu\n"), Some(Kind::Shell));
        assert_eq!(
            by_content(b"#!/usr/bin/env -S bash -e\n"),
            Some(Kind::Shell)
        );
        assert_eq!(by_content(b"#!/usr/bin/env python3\n"), None);
        assert_eq!(by_content(b"\x7fELF"), None);
    }
}
