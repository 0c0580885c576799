//! Digests the templates the binary embeds, so the render cache knows them by one constant
//! instead of hashing them on every run.

use std::path::Path;

use sha2::{Digest, Sha256};

fn main() {
    println!("cargo:rerun-if-changed=templates");
    let mut files = Vec::new();
    walk(Path::new("templates"), &mut files);
    files.sort();
    let mut hash = Sha256::new();
    for (id, bytes) in files {
        for field in [id.as_bytes(), &bytes] {
            hash.update((field.len() as u64).to_le_bytes());
            hash.update(field);
        }
    }
    let digest: String = hash
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    println!("cargo:rustc-env=PYBOOTSTRAP_TEMPLATES_DIGEST={digest}");
}

/// Every file under `dir`: (path relative to `templates/`, bytes).
fn walk(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in fs_err::read_dir(dir).expect("templates/ is readable") {
        let path = entry.expect("templates/ is readable").path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            let id = path
                .strip_prefix("templates")
                .expect("under templates/")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((id, fs_err::read(&path).expect("a template is readable")));
        }
    }
}
