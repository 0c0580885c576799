//! The issuer and subject names of a DER certificate, for `doctor` to name who signed the
//! certificate an index presented. Only the two names are read (a short DER walk over
//! RFC 5280's `TBSCertificate`), so no X.509 crate is pulled in for them.

/// A distinguished name's common name and organisation, as far as they are present.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Name {
    pub common_name: Option<String>,
    pub organization: Option<String>,
}

impl Name {
    /// The name a person recognises: the common name, else the organisation.
    pub(crate) fn display(&self) -> String {
        self.common_name
            .clone()
            .or_else(|| self.organization.clone())
            .unwrap_or_else(|| "an unnamed authority".to_string())
    }
}

/// `(issuer, subject)` of the certificate `der`; `None` when it is not DER X.509.
pub(crate) fn names(der: &[u8]) -> Option<(Name, Name)> {
    let (certificate, _) = element(der, 0x30)?;
    let (tbs, _) = element(certificate, 0x30)?;
    let mut rest = tbs;
    // version [0] EXPLICIT, optional
    if rest.first() == Some(&0xa0) {
        rest = element(rest, 0xa0)?.1;
    }
    rest = element(rest, 0x02)?.1; // serialNumber
    rest = element(rest, 0x30)?.1; // signature AlgorithmIdentifier
    let (issuer, after_issuer) = element(rest, 0x30)?;
    rest = element(after_issuer, 0x30)?.1; // validity
    let (subject, _) = element(rest, 0x30)?;
    Some((name(issuer)?, name(subject)?))
}

const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const ORGANIZATION: &[u8] = &[0x55, 0x04, 0x0a];

/// RDNSequence: SET OF SEQUENCE { OID, value }.
fn name(mut sequence: &[u8]) -> Option<Name> {
    let mut found = Name::default();
    while !sequence.is_empty() {
        let (set, after) = element(sequence, 0x31)?;
        sequence = after;
        let mut attributes = set;
        while !attributes.is_empty() {
            let (attribute, after) = element(attributes, 0x30)?;
            attributes = after;
            let (oid, value) = element(attribute, 0x06)?;
            let text = string(value);
            if oid == COMMON_NAME && found.common_name.is_none() {
                found.common_name = text;
            } else if oid == ORGANIZATION && found.organization.is_none() {
                found.organization = text;
            }
        }
    }
    Some(found)
}

/// A DirectoryString's text (UTF8String, PrintableString, IA5String, T61String as Latin-1,
/// BMPString), `None` for other types.
fn string(encoded: &[u8]) -> Option<String> {
    let tag = *encoded.first()?;
    let (content, _) = element(encoded, tag)?;
    match tag {
        0x0c | 0x13 | 0x16 => String::from_utf8(content.to_vec()).ok(),
        0x14 => Some(content.iter().map(|&byte| char::from(byte)).collect()),
        0x1e => {
            let units: Vec<u16> = content
                .chunks_exact(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
    .map(|text| text.chars().filter(|c| !c.is_control()).collect())
}

/// The content of the element at the start of `input` if its tag is `tag`, and what
/// follows it.
fn element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    if *input.first()? != tag {
        return None;
    }
    let first = usize::from(*input.get(1)?);
    let (length, header) = if first < 0x80 {
        (first, 2)
    } else {
        let count = first & 0x7f;
        if count == 0 || count > 4 {
            return None;
        }
        let bytes = input.get(2..2 + count)?;
        let length = bytes
            .iter()
            .fold(0usize, |length, &byte| (length << 8) | usize::from(byte));
        (length, 2 + count)
    };
    let end = header.checked_add(length)?;
    Some((input.get(header..end)?, input.get(end..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER TLV.
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        if content.len() < 0x80 {
            out.push(u8::try_from(content.len()).expect("short"));
        } else {
            out.push(0x82);
            out.extend(u16::try_from(content.len()).expect("fits").to_be_bytes());
        }
        out.extend(content);
        out
    }

    fn rdn(oid: &[u8], tag: u8, text: &str) -> Vec<u8> {
        let attribute = [tlv(0x06, oid), tlv(tag, text.as_bytes())].concat();
        tlv(0x31, &tlv(0x30, &attribute))
    }

    fn certificate(issuer: &[u8], subject: &[u8]) -> Vec<u8> {
        let tbs = [
            tlv(0xa0, &tlv(0x02, &[2])),
            tlv(0x02, &[1; 20]),
            tlv(0x30, &tlv(0x06, &[0x2a, 0x86, 0x48])),
            tlv(0x30, issuer),
            tlv(
                0x30,
                &[tlv(0x17, b"250101000000Z"), tlv(0x17, b"350101000000Z")].concat(),
            ),
            tlv(0x30, subject),
            tlv(0x30, &[0; 200]),
        ]
        .concat();
        tlv(
            0x30,
            &[tlv(0x30, &tbs), tlv(0x30, &[]), tlv(0x03, &[0])].concat(),
        )
    }

    #[test]
    fn issuer_and_subject_names_are_read() {
        let issuer = [
            rdn(ORGANIZATION, 0x13, "Corp"),
            rdn(COMMON_NAME, 0x0c, "Corp Root CA"),
        ]
        .concat();
        let leaf = rdn(COMMON_NAME, 0x0c, "pypi.corp.example");
        let (issuer, subject) = names(&certificate(&issuer, &leaf)).expect("parses");
        assert_eq!(issuer.display(), "Corp Root CA");
        assert_eq!(issuer.organization.as_deref(), Some("Corp"));
        assert_eq!(subject.display(), "pypi.corp.example");
        let only_org = rdn(ORGANIZATION, 0x13, "Corp");
        let (issuer, _) = names(&certificate(&only_org, &leaf)).expect("parses");
        assert_eq!(issuer.display(), "Corp");
    }

    #[test]
    fn garbage_is_none_not_a_panic() {
        for bytes in [
            &[][..],
            &[0x30],
            &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
            &[0x30, 0x05, 1],
        ] {
            assert_eq!(names(bytes), None);
        }
    }
}
