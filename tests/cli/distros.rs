//! `detect` and the generated bootstrap inside other Debian releases: root filesystems
//! built from Debian's archive by `.ci/rootfs.sh` (debootstrap, cached outside the
//! clone), entered with `chroot` in a private mount namespace.
//!
//! Debian 13 "trixie": Python 3.13, externally managed, no ensurepip until
//! `python3.13-venv` is installed. Debian 11 "bullseye": Python 3.9, not externally
//! managed (its pip predates PEP 668).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::Output;

/// A root filesystem unpacked into a temp dir, with this build's `pybootstrap` in it.
pub(crate) struct Chroot {
    dir: tempfile::TempDir,
}

impl Chroot {
    /// The suite's cached root filesystem, built first when this machine has none; `None`
    /// (with a note) only outside CI, without root or debootstrap.
    pub(crate) fn new(suite: &str) -> Option<Self> {
        if !crate::lifecycle::root("a chroot") {
            return None;
        }
        let tarball = rootfs(suite)?;
        let dir = tempfile::Builder::new()
            .prefix(&format!("pybootstrap-{suite}-"))
            .tempdir_in("/var/tmp")
            .expect("temp dir");
        let unpacked = Command::new("tar")
            .args(["--same-owner", "-xf"])
            .arg(&tarball)
            .arg("-C")
            .arg(dir.path())
            .status()
            .expect("run tar");
        assert!(unpacked.success(), "unpacking {}", tarball.display());
        let chroot = Self { dir };
        chroot.install_pybootstrap();
        Some(chroot)
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the chroot, as the host sees it.
    pub(crate) fn host(&self, inside: &str) -> PathBuf {
        self.root().join(inside.trim_start_matches('/'))
    }

    /// Copies the binary with the host's own loader and C library beside it, so it runs
    /// on an older glibc (bullseye has 2.31); the Pythons it starts use the chroot's.
    fn install_pybootstrap(&self) {
        let binary = Path::new(env!("CARGO_BIN_EXE_pybootstrap"));
        let dir = self.host("/opt/pybootstrap");
        fs_err::create_dir_all(&dir).expect("mkdir");
        fs_err::copy(binary, dir.join("pybootstrap")).expect("copy binary");
        let ldd = Command::new("ldd").arg(binary).output().expect("run ldd");
        let mut loader = None;
        for line in String::from_utf8_lossy(&ldd.stdout).lines() {
            let library = line
                .split("=>")
                .last()
                .and_then(|rest| rest.split_whitespace().next())
                .filter(|path| path.starts_with('/'));
            if let Some(library) = library {
                let library = Path::new(library);
                let name = library.file_name().expect("library name");
                fs_err::copy(library, dir.join(name)).expect("copy library");
                if name.to_string_lossy().starts_with("ld-linux") {
                    loader = Some(name.to_string_lossy().into_owned());
                }
            }
        }
        let loader = loader.expect("ldd names the dynamic loader");
        let wrapper = format!(
            "#!/bin/sh\nexec /opt/pybootstrap/{loader} --library-path /opt/pybootstrap /opt/pybootstrap/pybootstrap \"$@\"\n"
        );
        let path = self.host("/usr/local/bin/pybootstrap");
        fs_err::write(&path, wrapper).expect("write wrapper");
        let chmod = Command::new("chmod")
            .arg("755")
            .arg(&path)
            .status()
            .expect("chmod");
        assert!(chmod.success());
    }

    /// `script` run by `/bin/sh` inside the chroot, in a mount namespace of its own with
    /// `/proc` and `/dev`, with a clean environment.
    pub(crate) fn run(&self, script: &str) -> Output {
        let output = Command::new("unshare")
            .args([
                "--mount",
                "--propagation",
                "private",
                "--fork",
                "--",
                "sh",
                "-c",
            ])
            .arg(
                "mount -t proc proc \"$ROOT/proc\" && mount --rbind /dev \"$ROOT/dev\" && \
                 exec chroot \"$ROOT\" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin \
                 HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive /bin/sh -c \"$SCRIPT\"",
            )
            .env("ROOT", self.root())
            .env("SCRIPT", script)
            .output()
            .expect("run unshare");
        Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// A repo at `/repo` made by the host's `pybootstrap init`, its requirements a wheel
    /// built here, so the bootstrap needs no index.
    fn repo(&self, versions: &str) {
        let repo = self.host("/repo");
        crate::support::build_wheel(&repo.join("wheels"), "pbdemo", "1.0");
        fs_err::write(
            repo.join("requirements.txt"),
            "wheels/pbdemo-1.0-py3-none-any.whl\n",
        )
        .expect("write requirements");
        let init = Command::new(env!("CARGO_BIN_EXE_pybootstrap"))
            .args([
                "init",
                "--yes",
                "--set",
                &format!("python.versions={versions}"),
            ])
            .current_dir(&repo)
            .env("XDG_CACHE_HOME", self.host("/root/.cache"))
            .output()
            .expect("run init");
        assert!(
            init.status.success(),
            "{}",
            String::from_utf8_lossy(&init.stderr)
        );
    }

    /// Every path under the system Python's site directories, as the chroot's `python3`
    /// names them.
    fn system_site_listing(&self) -> BTreeSet<PathBuf> {
        let dirs =
            self.run("python3 -I -c 'import site; print(\"\\n\".join(site.getsitepackages()))'");
        dirs.assert_code(0);
        let mut listing = BTreeSet::new();
        for dir in dirs.stdout.lines() {
            let host = self.host(dir);
            if host.exists() {
                for entry in walk(&host) {
                    listing.insert(entry);
                }
            }
        }
        listing
    }
}

/// Every path under `dir`, recursively.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = fs_err::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                found.extend(walk(&path));
            }
            found.push(path);
        }
    }
    found
}

/// The cached tarball of `suite`, built by `.ci/rootfs.sh` (under its lock) when missing.
fn rootfs(suite: &str) -> Option<PathBuf> {
    let cache = std::env::var_os("PYBOOTSTRAP_ROOTFS_CACHE")
        .map_or_else(|| PathBuf::from("/var/cache/pybootstrap-ci"), PathBuf::from);
    let tarball = cache.join(format!("rootfs-{suite}.tar"));
    if tarball.is_file() {
        return Some(tarball);
    }
    if !Path::new("/usr/sbin/debootstrap").is_file() {
        assert!(
            std::env::var_os("CI").is_none(),
            "the {suite} root filesystem needs debootstrap under CI: run .ci/run"
        );
        eprintln!("skipped: no {suite} root filesystem, and no debootstrap to build it");
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/rootfs.sh");
    let built = Command::new("bash")
        .arg(script)
        .arg(suite)
        .env("PYBOOTSTRAP_ROOTFS_CACHE", &cache)
        .status()
        .expect("run rootfs.sh");
    assert!(
        built.success(),
        "building the {suite} root filesystem failed"
    );
    Some(tarball)
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: runs the bootstrap in Debian root filesystems"
)]
#[test]
fn trixie_needs_python3_13_venv_then_builds_the_env() {
    let Some(chroot) = Chroot::new("trixie") else {
        return;
    };

    // detect gives pip's verdict: externally managed, with the marker's own message.
    let detect = chroot.run("pybootstrap detect --json --python /usr/bin/python3");
    detect.assert_code(0);
    let json = detect.json();
    let report = &json["interpreters"][0];
    assert_eq!(json["platform"]["distro_id"], "debian", "{json:#}");
    assert_eq!(report["version"].as_str().map(|v| &v[..5]), Some("3.13."));
    assert_eq!(report["externally_managed"], true, "{json:#}");
    assert_eq!(report["reason"], "marker");
    assert_eq!(report["marker"], "/usr/lib/python3.13/EXTERNALLY-MANAGED");
    assert_eq!(report["venv_ok"], false, "trixie ships ensurepip apart");
    let configparser = chroot.run(
        "python3 -I -c 'import configparser,sys; c=configparser.ConfigParser(interpolation=None); \
         c.read(\"/usr/lib/python3.13/EXTERNALLY-MANAGED\", encoding=\"utf-8\"); \
         sys.stdout.write(c.get(\"externally-managed\", \"Error\"))'",
    );
    configparser.assert_code(0);
    assert_eq!(report["message"], configparser.stdout.as_str());
    let human = chroot.run("pybootstrap detect --python /usr/bin/python3");
    assert!(
        human.stdout.contains("apt install python3.13-venv"),
        "{}",
        human.stdout
    );

    // The bootstrap names the package, and builds nothing.
    chroot.repo("3.13");
    let refused = chroot.run("cd /repo && sh scripts/bootstrap.sh");
    refused.assert_code(1);
    assert!(
        refused
            .stderr
            .contains("    sudo apt install python3.13-venv"),
        "{}",
        refused.stderr
    );
    assert!(!chroot.host("/repo/.venv").exists());

    // Once the package is in (from the debs cached in the root filesystem), it works.
    chroot
        .run("apt-get install -y -qq --no-download python3.13-venv")
        .assert_code(0);
    let before = chroot.system_site_listing();
    let built = chroot.run("cd /repo && sh scripts/bootstrap.sh");
    built.assert_code(0);
    assert!(built.stdout.contains("Python 3.13"), "{}", built.stdout);
    let value = chroot
        .run("/repo/.venv/bin/python -c 'import pbdemo, sys; print(pbdemo.VALUE, sys.prefix)'");
    value.assert_code(0);
    assert_eq!(value.stdout.trim(), "1.0 /repo/.venv");
    let again = chroot.run("cd /repo && sh scripts/bootstrap.sh");
    again.assert_code(0);
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
    assert_eq!(
        chroot.system_site_listing(),
        before,
        "system site-packages changed"
    );

    // pip itself, from the wheel ensurepip ships, refuses the system Python with the
    // message detect showed.
    let pip = chroot
        .run("python3 \"$(ls /usr/share/python-wheels/pip-*.whl)/pip\" install --no-index pbdemo");
    assert_ne!(pip.code, 0);
    assert!(
        pip.stderr.contains("externally-managed-environment"),
        "{}",
        pip.stderr
    );
    let message = report["message"].as_str().expect("message");
    for line in message.lines().filter(|l| !l.trim().is_empty()) {
        assert!(
            pip.stderr.contains(line.trim()),
            "pip lacks {line:?}:\n{}",
            pip.stderr
        );
    }
    assert_eq!(
        chroot.system_site_listing(),
        before,
        "system site-packages changed"
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: runs the bootstrap in Debian root filesystems"
)]
#[test]
fn bullseye_is_not_externally_managed_and_builds_the_env() {
    let Some(chroot) = Chroot::new("bullseye") else {
        return;
    };
    let detect = chroot.run("pybootstrap detect --json --python /usr/bin/python3");
    detect.assert_code(0);
    let json = detect.json();
    let report = &json["interpreters"][0];
    assert_eq!(report["version"].as_str().map(|v| &v[..4]), Some("3.9."));
    assert_eq!(report["externally_managed"], false, "{json:#}");
    assert_eq!(report["reason"], "no-marker");
    // pip's rule: a marker in the stdlib directory; bullseye has none.
    let marker = chroot.run(
        "python3 -I -c 'import os, sysconfig; print(os.path.exists(os.path.join(sysconfig.get_path(\"stdlib\"), \"EXTERNALLY-MANAGED\")))'",
    );
    assert_eq!(marker.stdout.trim(), "False");

    chroot.repo("3.9");
    let before = chroot.system_site_listing();
    let built = chroot.run("cd /repo && sh scripts/bootstrap.sh");
    built.assert_code(0);
    assert!(built.stdout.contains("Python 3.9"), "{}", built.stdout);
    let value = chroot
        .run("/repo/.venv/bin/python -c 'import pbdemo, sys; print(pbdemo.VALUE, sys.prefix)'");
    value.assert_code(0);
    assert_eq!(value.stdout.trim(), "1.0 /repo/.venv");
    let again = chroot.run("cd /repo && sh scripts/bootstrap.sh");
    assert!(again.stdout.contains("up to date"), "{}", again.stdout);
    assert_eq!(
        chroot.system_site_listing(),
        before,
        "system site-packages changed"
    );
}
