//! A base as the lock stores it (`base_deflate`): deflated at the best level, in the URL-safe
//! base64 alphabet; and the packed forms already known in this run, so the same text is not
//! compressed twice.
//!
//! URL-safe, because the standard alphabet's `+` and `/` cut the text into short words, and
//! a spell checker a project runs over its whole tree (codespell in a tox command) reads
//! some of them as misspellings. `-` and `_` are word characters to such tools, so a base is
//! one long word that no dictionary holds. Locks written with the standard alphabet read as
//! before.
//!
//! Compressing the bases at the best level was most of a warm `init`'s own work (56% of its
//! instructions), so the render cache keeps each file's packed form beside its text and
//! offers it here on a hit (`offer`). An offered form is used only once it unpacks to the
//! very text, which is checked when the lock asks for it (a `regen --check` never does): a
//! damaged cache entry can cost the compression again, never a wrong lock.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

/// The packed form `pack` makes, named: part of the render cache's key, so that a cache
/// from a build that packed otherwise offers nothing.
pub(crate) const FORMAT: &str = "deflate-best, URL-safe base64";

/// The packed forms known in this run: made (by text), and offered, not yet checked (by
/// the text's length: an offer costs no copy or hash of a text a run may never pack, as a
/// `regen --check` never does, and `pack` checks an offer before it uses it anyway).
static KNOWN: LazyLock<Mutex<Known>> = LazyLock::new(Mutex::default);

#[derive(Default)]
struct Known {
    made: HashMap<String, String>,
    offered: HashMap<usize, Vec<String>>,
}

/// `text` deflated (best compression), in URL-safe base64.
pub(crate) fn pack(text: &str) -> String {
    let offered = {
        let known = known();
        if let Some(packed) = known.made.get(text) {
            return packed.clone();
        }
        known.offered.get(&text.len()).cloned().unwrap_or_default()
    };
    let packed = offered
        .into_iter()
        .find(|packed| unpack(packed).is_ok_and(|unpacked| unpacked == text))
        .unwrap_or_else(|| deflate(text));
    known().made.insert(text.to_string(), packed.clone());
    packed
}

/// The text `pack` made. Inflated in one call into a growing buffer: flate2's reader
/// cleared a 32 KiB window per base and fed it through small reads, half of a warm
/// `regen --check`'s reading of the lock.
pub(crate) fn unpack(packed: &str) -> Result<String, String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    let engine = if packed.contains(['+', '/']) {
        STANDARD
    } else {
        URL_SAFE
    };
    let bytes = engine
        .decode(packed)
        .map_err(|error| format!("not base64: {error}"))?;
    let text = miniz_oxide::inflate::decompress_to_vec(&bytes)
        .map_err(|error| format!("not deflated text: {error}"))?;
    String::from_utf8(text).map_err(|error| format!("not UTF-8 text: {error}"))
}

/// `packed` as `text`'s packed form, if it unpacks to `text` when `pack` asks for it.
pub(crate) fn offer(text: &str, packed: String) {
    known().offered.entry(text.len()).or_default().push(packed);
}

fn known() -> std::sync::MutexGuard<'static, Known> {
    // A panic elsewhere while holding the lock leaves the map usable: an offered form is
    // checked before use, and a made one went in whole.
    KNOWN
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn deflate(text: &str) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let bytes = encoder
        .write_all(text.as_bytes())
        .and_then(|()| encoder.finish())
        .expect("deflating into memory cannot fail");
    base64::engine::general_purpose::URL_SAFE.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offered_form_is_used_only_when_it_unpacks_to_the_text() {
        let text = "python3 -m venv .venv\n".repeat(40) + "only here: a wrong offer\n";
        let right = deflate(&text);
        // Another text's packed form, offered for this one, is not used.
        offer(&text, deflate("something else\n"));
        assert_eq!(pack(&text), right);
        assert_eq!(unpack(&pack(&text)).expect("unpacks"), text);

        let broken = "make bootstrap\n".repeat(30) + "only here: a broken offer\n";
        offer(&broken, "!not base64".into());
        assert_eq!(pack(&broken), deflate(&broken));
        // A form cut short (a damaged entry that still reads as JSON) is not used either.
        let cut = "ruff check .\n".repeat(30) + "only here: a cut offer\n";
        let whole = {
            use base64::Engine as _;
            let engine = base64::engine::general_purpose::URL_SAFE;
            let bytes = engine.decode(deflate(&cut)).expect("base64");
            let short = engine.encode(&bytes[..bytes.len() / 2]);
            assert!(unpack(&short).is_err());
            offer(&cut, short);
            deflate(&cut)
        };
        assert_eq!(pack(&cut), whole);

        // A form made by another compressor (here the fastest level) is used as offered.
        let other = "pip install -r requirements.txt\n".repeat(30) + "only here: kept\n";
        let fast = {
            use base64::Engine as _;
            use std::io::Write as _;
            let mut encoder =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            encoder.write_all(other.as_bytes()).expect("writes");
            base64::engine::general_purpose::URL_SAFE.encode(encoder.finish().expect("ends"))
        };
        assert_ne!(fast, deflate(&other));
        offer(&other, fast.clone());
        assert_eq!(pack(&other), fast);
        // Once made or checked, later offers change nothing.
        offer(&other, "!not base64".into());
        assert_eq!(pack(&other), fast);
    }

    #[test]
    fn a_base_is_one_word_to_a_spell_checker_and_old_locks_still_read() {
        use base64::Engine as _;
        let text = (0..400)
            .map(|n| format!("line {n} of a file\n"))
            .collect::<String>();
        let packed = pack(&text);
        // No character codespell splits words at (`[\w\-'’]+` are its word characters).
        assert!(
            packed
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_=".contains(c)),
            "{packed}"
        );
        // A lock written in the standard alphabet (`+` and `/` in it) reads as before.
        let bytes = base64::engine::general_purpose::URL_SAFE
            .decode(&packed)
            .expect("base64");
        let standard = base64::engine::general_purpose::STANDARD.encode(&bytes);
        assert!(standard.contains(['+', '/']), "{standard}");
        assert_eq!(unpack(&standard).expect("unpacks"), text);
    }
}
