//! `setup.py`: only a literal `python_requires="…"` argument; the file is never run.

/// The string literal passed as `python_requires=`, when it is one.
pub(crate) fn python_requires(text: &str) -> Option<String> {
    let start = text.find("python_requires")?;
    let rest = text[start + "python_requires".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|quote| matches!(quote, '"' | '\''))?;
    let body = &rest[1..];
    let end = body.find(quote)?;
    let value = body[..end].trim();
    (!value.is_empty() && !value.contains('\n')).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_arguments_only() {
        assert_eq!(
            python_requires("setup(\n    name='x',\n    python_requires=\">=3.9\",\n)").as_deref(),
            Some(">=3.9")
        );
        assert_eq!(
            python_requires("setup(python_requires = '>=3.8, <4')").as_deref(),
            Some(">=3.8, <4")
        );
        assert_eq!(python_requires("setup(python_requires=REQUIRES)"), None);
        assert_eq!(python_requires("setup(name='x')"), None);
    }
}
