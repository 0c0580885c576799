//! The LC_MESSAGES language pip uses to pick a localized `Error-<lang>` marker message.
//!
//! pip calls `setlocale(LC_ALL, "")` and then `locale.getlocale(LC_MESSAGES)`. The C
//! library resolves every category from `LC_ALL`, else `LC_<CATEGORY>`, else `LANG`, and
//! fails as a whole when any of them names a locale that is not installed — leaving
//! everything at "C", which means no language. `LANGUAGE` plays no part.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The categories `setlocale(LC_ALL, "")` sets on glibc; one missing locale fails them all.
const CATEGORIES: [&str; 12] = [
    "LC_CTYPE",
    "LC_NUMERIC",
    "LC_TIME",
    "LC_COLLATE",
    "LC_MONETARY",
    "LC_MESSAGES",
    "LC_PAPER",
    "LC_NAME",
    "LC_ADDRESS",
    "LC_TELEPHONE",
    "LC_MEASUREMENT",
    "LC_IDENTIFICATION",
];

/// glibc's compiled locales when `LOCPATH` is not set.
const LOCALE_DIR: &str = "/usr/lib/locale";
const LOCALE_ARCHIVE: &str = "/usr/lib/locale/locale-archive";
const ARCHIVE_MAGIC: u32 = 0xde02_0109;

/// The language pip would use for the marker's `Error-<lang>` keys, or `None` for
/// "no language" (`C`, `POSIX`, `C.*`, a locale not installed here, or Windows).
/// `env` looks up one environment variable.
pub fn message_language(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if cfg!(windows) {
        return None;
    }
    resolve(env, &|name| locale_available(name, env), None)
}

/// Like [`message_language`], but with the quirk of the Python that runs pip: its
/// `locale.normalize` turns `C.UTF-8` into `en_US` before 3.12 and into `C` from 3.12 on,
/// so pip really looks up `Error-en_US` / `Error-C` there.
pub fn message_language_for_python(
    env: &dyn Fn(&str) -> Option<String>,
    python: (u32, u32),
) -> Option<String> {
    if cfg!(windows) {
        return None;
    }
    resolve(env, &|name| locale_available(name, env), Some(python))
}

/// The chain itself, with the "is this locale installed" question passed in.
fn resolve(
    env: &dyn Fn(&str) -> Option<String>,
    available: &dyn Fn(&str) -> bool,
    python: Option<(u32, u32)>,
) -> Option<String> {
    let non_empty = |name: &str| env(name).filter(|value| !value.is_empty());
    let category_locale = |category: &str| {
        non_empty("LC_ALL")
            .or_else(|| non_empty(category))
            .or_else(|| non_empty("LANG"))
            .unwrap_or_else(|| "C".to_string())
    };
    if !CATEGORIES
        .iter()
        .all(|category| available(&category_locale(category)))
    {
        return None;
    }
    language_of(&category_locale("LC_MESSAGES"), python)
}

/// The language part of a locale name: `de_DE.UTF-8@euro` → `de_DE`.
fn language_of(name: &str, python: Option<(u32, u32)>) -> Option<String> {
    let without_modifier = name.split('@').next().unwrap_or(name);
    let (language, codeset) = match without_modifier.split_once('.') {
        Some((language, codeset)) => (language, Some(codeset)),
        None => (without_modifier, None),
    };
    if language == "C" || language == "POSIX" || language.is_empty() {
        return match (python, codeset.map(normalize_codeset).as_deref()) {
            (Some(version), Some("utf8")) if language == "C" => {
                Some(if version >= (3, 12) { "C" } else { "en_US" }.to_string())
            }
            _ => None,
        };
    }
    Some(language.to_string())
}

/// glibc's `_nl_normalize_codeset`: letters lowercased, digits kept, the rest dropped; an
/// all-digit result gets an `iso` prefix (`UTF-8` → `utf8`, `8859-1` → `iso88591`).
fn normalize_codeset(codeset: &str) -> String {
    let normalized: String = codeset
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|character| character.to_ascii_lowercase())
        .collect();
    if !normalized.is_empty() && normalized.chars().all(|c| c.is_ascii_digit()) {
        format!("iso{normalized}")
    } else {
        normalized
    }
}

/// Whether glibc's `setlocale` would accept `name`: built in (`C`, `POSIX`, `C.UTF-8`),
/// in the locale archive, or compiled in a directory (`LOCPATH` replaces both).
pub fn locale_available(name: &str, env: &dyn Fn(&str) -> Option<String>) -> bool {
    if name == "C" || name == "POSIX" {
        return true;
    }
    if let Some(codeset) = name.strip_prefix("C.") {
        // Built into glibc since 2.35.
        if normalize_codeset(codeset) == "utf8" {
            return true;
        }
    }
    if name.contains('/') {
        return false;
    }
    match env("LOCPATH").filter(|value| !value.is_empty()) {
        Some(paths) => paths
            .split(':')
            .filter(|dir| !dir.is_empty())
            .any(|dir| in_directory(Path::new(dir), name)),
        None => {
            archive_names(Path::new(LOCALE_ARCHIVE))
                .iter()
                .any(|archived| *archived == archive_name(name))
                || in_directory(Path::new(LOCALE_DIR), name)
        }
    }
}

/// The name glibc looks up in the archive: the codeset normalized, nothing dropped.
fn archive_name(name: &str) -> String {
    let (base, modifier) = match name.split_once('@') {
        Some((base, modifier)) => (base, Some(modifier)),
        None => (name, None),
    };
    let mut result = match base.split_once('.') {
        Some((language, codeset)) if !codeset.is_empty() => {
            format!("{language}.{}", normalize_codeset(codeset))
        }
        _ => base.to_string(),
    };
    if let Some(modifier) = modifier {
        result.push('@');
        result.push_str(modifier);
    }
    result
}

/// The directory names glibc tries for `name`, most specific first: the codeset as given
/// and normalized, then without codeset, territory or modifier.
fn directory_candidates(name: &str) -> Vec<String> {
    let (rest, modifier) = match name.split_once('@') {
        Some((rest, modifier)) => (rest, Some(modifier)),
        None => (name, None),
    };
    let (rest, codeset) = match rest.split_once('.') {
        Some((rest, codeset)) => (rest, Some(codeset)),
        None => (rest, None),
    };
    let (language, territory) = match rest.split_once('_') {
        Some((language, territory)) => (language, Some(territory)),
        None => (rest, None),
    };
    let codesets: Vec<Option<String>> = match codeset {
        Some(codeset) => vec![
            Some(codeset.to_string()),
            Some(normalize_codeset(codeset)),
            None,
        ],
        None => vec![None],
    };
    let mut candidates = Vec::new();
    for territory in [territory, None] {
        for codeset in &codesets {
            for modifier in [modifier, None] {
                let mut candidate = language.to_string();
                if let Some(territory) = territory {
                    candidate.push('_');
                    candidate.push_str(territory);
                }
                if let Some(codeset) = codeset {
                    candidate.push('.');
                    candidate.push_str(codeset);
                }
                if let Some(modifier) = modifier {
                    candidate.push('@');
                    candidate.push_str(modifier);
                }
                if !candidates.contains(&candidate) {
                    candidates.push(candidate);
                }
            }
        }
    }
    candidates
}

fn in_directory(dir: &Path, name: &str) -> bool {
    directory_candidates(name).iter().any(|candidate| {
        let path: PathBuf = dir.join(candidate);
        path.join("LC_CTYPE").is_file() || path.join("LC_MESSAGES").exists()
    })
}

/// The locale names in a glibc `locale-archive`, reading only its header, name table and
/// strings (the archive itself can be hundreds of megabytes). Empty when absent or odd.
pub fn archive_names(path: &Path) -> Vec<String> {
    read_archive_names(path).unwrap_or_default()
}

fn read_archive_names(path: &Path) -> Option<Vec<String>> {
    let mut file = fs_err::File::open(path).ok()?;
    let mut header = [0u8; 32];
    file.read_exact(&mut header).ok()?;
    let word = |bytes: &[u8], offset: usize| -> Option<u32> {
        let slice = bytes.get(offset..offset + 4)?;
        Some(u32::from_ne_bytes(slice.try_into().ok()?))
    };
    if word(&header, 0)? != ARCHIVE_MAGIC {
        return None;
    }
    let namehash_offset = word(&header, 8)?;
    let namehash_size = word(&header, 16)?;
    let string_offset = word(&header, 20)?;
    let string_used = word(&header, 24)?;
    // Real archives hold a few thousand names; refuse absurd sizes rather than allocate.
    if namehash_size > 1 << 20 || string_used > 1 << 26 {
        return None;
    }
    let mut table = vec![0u8; namehash_size as usize * 12];
    file.seek(SeekFrom::Start(u64::from(namehash_offset)))
        .ok()?;
    file.read_exact(&mut table).ok()?;
    let mut strings = vec![0u8; string_used as usize];
    file.seek(SeekFrom::Start(u64::from(string_offset))).ok()?;
    file.read_exact(&mut strings).ok()?;
    let mut names = Vec::new();
    for entry in table.chunks_exact(12) {
        let name_offset = word(entry, 4)?;
        let record_offset = word(entry, 8)?;
        if record_offset == 0 {
            continue;
        }
        let Some(start) = name_offset.checked_sub(string_offset) else {
            continue;
        };
        let Some(tail) = strings.get(start as usize..) else {
            continue;
        };
        let end = tail
            .iter()
            .position(|&byte| byte == 0)
            .unwrap_or(tail.len());
        if let Ok(name) = std::str::from_utf8(&tail[..end]) {
            names.push(name.to_string());
        }
    }
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        }
    }

    fn everything_installed(_: &str) -> bool {
        true
    }

    fn language(pairs: &[(&str, &str)]) -> Option<String> {
        resolve(&env_of(pairs), &everything_installed, None)
    }

    #[test]
    fn lc_all_then_lc_messages_then_lang() {
        assert_eq!(
            language(&[
                ("LC_ALL", "fr_FR.UTF-8"),
                ("LC_MESSAGES", "de_DE"),
                ("LANG", "es_ES")
            ]),
            Some("fr_FR".into())
        );
        assert_eq!(
            language(&[("LC_MESSAGES", "de_DE.UTF-8"), ("LANG", "es_ES")]),
            Some("de_DE".into())
        );
        assert_eq!(language(&[("LANG", "es_ES.UTF-8")]), Some("es_ES".into()));
        assert_eq!(language(&[]), None);
    }

    #[test]
    fn empty_counts_as_unset_and_language_is_ignored() {
        assert_eq!(
            language(&[("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "pt_BR.UTF-8")]),
            Some("pt_BR".into())
        );
        assert_eq!(language(&[("LANGUAGE", "de_DE")]), None);
    }

    #[test]
    fn codeset_and_modifier_are_stripped() {
        assert_eq!(
            language(&[("LANG", "de_DE.UTF-8@euro")]),
            Some("de_DE".into())
        );
        assert_eq!(language(&[("LANG", "sr_RS@latin")]), Some("sr_RS".into()));
        assert_eq!(language(&[("LANG", "de")]), Some("de".into()));
    }

    #[test]
    fn c_and_posix_mean_no_language() {
        for name in ["C", "POSIX", "C.UTF-8", "C.utf8"] {
            assert_eq!(language(&[("LC_ALL", name)]), None, "{name}");
        }
    }

    #[test]
    fn python_turns_c_utf8_into_a_language() {
        let env = env_of(&[("LANG", "C.UTF-8")]);
        assert_eq!(
            resolve(&env, &everything_installed, Some((3, 11))),
            Some("en_US".into())
        );
        assert_eq!(
            resolve(&env, &everything_installed, Some((3, 12))),
            Some("C".into())
        );
        let env = env_of(&[("LANG", "C")]);
        assert_eq!(resolve(&env, &everything_installed, Some((3, 11))), None);
    }

    #[test]
    fn one_missing_locale_fails_every_category() {
        let only_german = |name: &str| name == "C" || name.starts_with("de_DE");
        let env = env_of(&[("LC_MESSAGES", "de_DE.UTF-8"), ("LANG", "xx_XX.UTF-8")]);
        assert_eq!(resolve(&env, &only_german, None), None);
        let env = env_of(&[("LC_MESSAGES", "de_DE.UTF-8")]);
        assert_eq!(resolve(&env, &only_german, None), Some("de_DE".into()));
        let env = env_of(&[("LANG", "fr_FR.UTF-8")]);
        assert_eq!(resolve(&env, &only_german, None), None);
    }

    #[test]
    fn codesets_normalize_like_glibc() {
        assert_eq!(normalize_codeset("UTF-8"), "utf8");
        assert_eq!(normalize_codeset("ISO-8859-15"), "iso885915");
        assert_eq!(normalize_codeset("8859-1"), "iso88591");
        assert_eq!(archive_name("de_DE.UTF-8@euro"), "de_DE.utf8@euro");
        assert_eq!(archive_name("de_DE"), "de_DE");
    }

    #[test]
    fn directory_lookup_falls_back_like_glibc() {
        let candidates = directory_candidates("de_DE.UTF-8@euro");
        assert_eq!(candidates[0], "de_DE.UTF-8@euro");
        for expected in ["de_DE.utf8", "de_DE", "de", "de@euro"] {
            assert!(candidates.contains(&expected.to_string()), "{expected}");
        }
        // A directory named with the original codeset is only found by that spelling.
        assert!(!directory_candidates("de_DE.utf8").contains(&"de_DE.UTF-8".to_string()));
    }

    #[test]
    fn installed_check_honours_locpath() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs_err::create_dir_all(dir.path().join("de_DE.utf8")).expect("mkdir");
        fs_err::write(dir.path().join("de_DE.utf8/LC_CTYPE"), b"").expect("write");
        let locpath = dir.path().to_str().expect("utf-8 temp path").to_string();
        let env = move |name: &str| (name == "LOCPATH").then(|| locpath.clone());
        assert!(locale_available("de_DE.UTF-8", &env));
        assert!(locale_available("de_DE.utf8", &env));
        assert!(!locale_available("de_AT.UTF-8", &env));
        assert!(!locale_available("fr_FR", &env));
        assert!(locale_available("C.UTF-8", &env));
        assert!(locale_available("POSIX", &env));
        assert!(!locale_available("../etc", &env));
    }

    #[test]
    fn archive_names_are_read_from_the_hash_table() {
        // A minimal archive: header, a three-slot name table (one slot empty), strings.
        let strings = b"de_DE.utf8\0en_US.utf8\0";
        let table_offset = 32u32;
        let string_offset = table_offset + 36;
        let mut bytes = Vec::new();
        for word in [
            ARCHIVE_MAGIC,
            0,
            table_offset,
            2,
            3,
            string_offset,
            u32::try_from(strings.len()).expect("a short table"),
            u32::try_from(strings.len()).expect("a short table"),
        ] {
            bytes.extend_from_slice(&word.to_ne_bytes());
        }
        for (name, record) in [(string_offset, 500u32), (0, 0), (string_offset + 11, 600)] {
            for word in [7u32, name, record] {
                bytes.extend_from_slice(&word.to_ne_bytes());
            }
        }
        bytes.extend_from_slice(strings);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("locale-archive");
        fs_err::write(&path, &bytes).expect("write archive");
        assert_eq!(archive_names(&path), ["de_DE.utf8", "en_US.utf8"]);
        fs_err::write(&path, b"garbage").expect("write");
        assert!(archive_names(&path).is_empty());
        assert!(archive_names(&dir.path().join("absent")).is_empty());
    }
}
