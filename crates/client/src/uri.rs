//! Connection URIs as libvirt parses and prints them.
//!
//! `driver[+transport]://[user@][host][:port]/path[?params][#fragment]`, read
//! with RFC 3986's grammar (libvirt hands the string to libxml2's
//! `xmlParseURI`): the user, host and path are percent-decoded, the query is
//! kept raw and also split into parameters the way `virURIParseParams` splits
//! it (`&`, else `;`; `name` alone means an empty value; `=value` is dropped),
//! and IPv6 brackets are removed from the host. [`Uri`]'s `Display` prints it
//! back as `virURIFormat` does, which is what `virConnectGetURI` returns.

use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use std::fmt;

/// One `name=value` pair of the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriParam {
    pub name: String,
    pub value: String,
}

/// A parsed connection URI.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Uri {
    pub scheme: Option<String>,
    pub user: Option<String>,
    /// The host, without IPv6 brackets; `None` when the authority is empty.
    pub server: Option<String>,
    /// 0 when absent.
    pub port: u32,
    pub path: Option<String>,
    /// The raw query, without `?`.
    pub query: Option<String>,
    pub fragment: Option<String>,
    /// The query split into parameters, in order.
    pub params: Vec<UriParam>,
}

fn parse_error(text: &str) -> Error {
    Error::new(
        ErrorDomain::URI,
        ErrorCode::INTERNAL_ERROR,
        format!("Unable to parse URI {text}"),
    )
}

fn is_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~')
}

fn is_sub_delim(c: u8) -> bool {
    matches!(
        c,
        b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
    )
}

fn is_pchar(c: u8) -> bool {
    is_unreserved(c) || is_sub_delim(c) || c == b':' || c == b'@'
}

/// Checks that `s` holds only allowed characters and well-formed escapes.
fn valid_component(s: &str, extra: impl Fn(u8) -> bool) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            {
                return false;
            }
            i += 3;
            continue;
        }
        if !(is_pchar(b[i]) || extra(b[i])) {
            return false;
        }
        i += 1;
    }
    true
}

/// Percent-decodes `s` (invalid sequences are kept verbatim).
pub fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Escapes everything but RFC 3986's unreserved characters, as glib's
/// `g_string_append_uri_escaped` does for libvirt's `virBufferURIEncodeString`.
pub fn escape_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if is_unreserved(c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

/// libxml2's `xmlSaveUri` escaping: `keep` says which bytes stay literal.
fn escape_with(s: &str, keep: impl Fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &c in s.as_bytes() {
        if keep(c) {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

fn libxml_unreserved(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
        )
}

fn split_params(query: &str) -> Vec<UriParam> {
    let mut params = Vec::new();
    let mut rest = query;
    while !rest.is_empty() {
        // libvirt looks for '&' anywhere first, and only then for ';'.
        let end = rest
            .find('&')
            .or_else(|| rest.find(';'))
            .unwrap_or(rest.len());
        let section = &rest[..end];
        let eq = section.find('=');
        match eq {
            _ if section.is_empty() => {}
            None => params.push(UriParam {
                name: unescape(section),
                value: String::new(),
            }),
            Some(0) => {}
            Some(e) => params.push(UriParam {
                name: unescape(&section[..e]),
                value: unescape(&section[e + 1..]),
            }),
        }
        rest = if end < rest.len() {
            &rest[end + 1..]
        } else {
            ""
        };
    }
    params
}

fn scheme_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_alphabetic() {
        return None;
    }
    let n = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))?;
    (b[n] == b':').then_some(n)
}

impl Uri {
    /// Parses `text`; fails with libvirt's `Unable to parse URI …`.
    pub fn parse(text: &str) -> Result<Uri, Error> {
        let mut uri = Uri::default();
        let mut rest = text;
        if let Some(n) = scheme_len(text) {
            uri.scheme = Some(text[..n].to_owned());
            rest = &text[n + 1..];
        }
        if let Some(i) = rest.find('#') {
            let frag = &rest[i + 1..];
            if !valid_component(frag, |c| c == b'/' || c == b'?') {
                return Err(parse_error(text));
            }
            uri.fragment = Some(unescape(frag));
            rest = &rest[..i];
        }
        if let Some(i) = rest.find('?') {
            let q = &rest[i + 1..];
            if !valid_component(q, |c| c == b'/' || c == b'?') {
                return Err(parse_error(text));
            }
            uri.query = Some(q.to_owned());
            uri.params = split_params(q);
            rest = &rest[..i];
        }
        if let Some(after) = rest.strip_prefix("//") {
            let end = after.find('/').unwrap_or(after.len());
            let authority = &after[..end];
            rest = &after[end..];
            let hostport = match authority.rfind('@') {
                Some(at) => {
                    let user = &authority[..at];
                    if !valid_component(user, |_| false) {
                        return Err(parse_error(text));
                    }
                    uri.user = Some(unescape(user));
                    &authority[at + 1..]
                }
                None => authority,
            };
            let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
                let close = v6.find(']').ok_or_else(|| parse_error(text))?;
                let host = &v6[..close];
                if !host
                    .bytes()
                    .all(|c| c.is_ascii_hexdigit() || c == b':' || c == b'.')
                {
                    return Err(parse_error(text));
                }
                let tail = &v6[close + 1..];
                let port = match tail.strip_prefix(':') {
                    Some(p) => Some(p),
                    None if tail.is_empty() => None,
                    None => return Err(parse_error(text)),
                };
                (host.to_owned(), port)
            } else {
                match hostport.rfind(':') {
                    Some(c) => (hostport[..c].to_owned(), Some(&hostport[c + 1..])),
                    None => (hostport.to_owned(), None),
                }
            };
            if !host.contains(':') && !valid_component(&host, |_| false) {
                return Err(parse_error(text));
            }
            if !host.is_empty() {
                uri.server = Some(unescape(&host));
            }
            if let Some(p) = port {
                if !p.bytes().all(|c| c.is_ascii_digit()) {
                    return Err(parse_error(text));
                }
                if !p.is_empty() && uri.server.is_some() {
                    uri.port = p.parse().map_err(|_| parse_error(text))?;
                }
            }
        }
        if !valid_component(rest, |c| c == b'/') {
            return Err(parse_error(text));
        }
        if !rest.is_empty() {
            uri.path = Some(unescape(rest));
        }
        Ok(uri)
    }

    /// The driver part of the scheme (`qemu` in `qemu+ssh`).
    pub fn driver(&self) -> Option<&str> {
        let s = self.scheme.as_deref()?;
        Some(s.split_once('+').map_or(s, |(d, _)| d))
    }

    /// The transport part of the scheme (`ssh` in `qemu+ssh`), as written.
    pub fn transport(&self) -> Option<&str> {
        self.scheme.as_deref()?.split_once('+').map(|(_, t)| t)
    }

    /// The value of the last parameter called `name` (case-insensitive, as
    /// libvirt's remote driver compares them).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_str())
    }

    /// `name=value&…` of the parameters `keep` accepts, values escaped as
    /// `virURIFormatParams` escapes them.
    pub fn format_params(&self, keep: impl Fn(&str) -> bool) -> String {
        let mut out = String::new();
        for p in self.params.iter().filter(|p| keep(&p.name)) {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(&p.name);
            out.push('=');
            out.push_str(&escape_value(&p.value));
        }
        out
    }
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.scheme {
            write!(f, "{s}:")?;
        }
        // virURIFormat sets port -1 when there is no server, which makes
        // libxml2 print the empty authority of `test:///default`.
        f.write_str("//")?;
        if let Some(server) = &self.server {
            if let Some(u) = &self.user {
                let keep = |c: u8| libxml_unreserved(c) || b";:&=+$,".contains(&c);
                write!(f, "{}@", escape_with(u, keep))?;
            }
            if server.contains(':') {
                write!(f, "[{server}]")?;
            } else {
                let keep = |c: u8| libxml_unreserved(c) || b"$,;:@&=+".contains(&c);
                f.write_str(&escape_with(server, keep))?;
            }
            if self.port > 0 {
                write!(f, ":{}", self.port)?;
            }
        }
        if let Some(p) = &self.path {
            let keep = |c: u8| libxml_unreserved(c) || b"/;@&=+$,".contains(&c);
            f.write_str(&escape_with(p, keep))?;
        }
        if let Some(q) = &self.query {
            write!(f, "?{q}")?;
        }
        if let Some(fr) = &self.fragment {
            let keep = |c: u8| libxml_unreserved(c) || b";/?:@&=+$,[]".contains(&c);
            write!(f, "#{}", escape_with(fr, keep))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_uri_has_no_server() {
        let u = Uri::parse("qemu:///system").unwrap();
        assert_eq!(u.scheme.as_deref(), Some("qemu"));
        assert_eq!(u.server, None);
        assert_eq!(u.path.as_deref(), Some("/system"));
        assert_eq!(u.to_string(), "qemu:///system");
    }

    #[test]
    fn full_uri_splits_every_part() {
        let u = Uri::parse("qemu+ssh://root@host.example:2222/system?keyfile=/k&no_tty=1#frag")
            .unwrap();
        assert_eq!(u.driver(), Some("qemu"));
        assert_eq!(u.transport(), Some("ssh"));
        assert_eq!(u.user.as_deref(), Some("root"));
        assert_eq!(u.server.as_deref(), Some("host.example"));
        assert_eq!(u.port, 2222);
        assert_eq!(u.param("KEYFILE"), Some("/k"));
        assert_eq!(u.param("no_tty"), Some("1"));
        assert_eq!(u.fragment.as_deref(), Some("frag"));
        assert_eq!(
            u.to_string(),
            "qemu+ssh://root@host.example:2222/system?keyfile=/k&no_tty=1#frag"
        );
    }

    #[test]
    fn ipv6_brackets_are_stripped_and_restored() {
        let u = Uri::parse("qemu+tcp://[::1]:16509/system").unwrap();
        assert_eq!(u.server.as_deref(), Some("::1"));
        assert_eq!(u.to_string(), "qemu+tcp://[::1]:16509/system");
    }

    #[test]
    fn params_follow_libvirts_rules() {
        let u = Uri::parse("test:///default?a=1;z=0&&b&=x&c=%2Fd;e=2").unwrap();
        let got: Vec<(&str, &str)> = u
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        // '&' is searched first: ';' only splits once no '&' is left.
        assert_eq!(
            got,
            vec![("a", "1;z=0"), ("b", ""), ("c", "/d"), ("e", "2")]
        );
    }

    #[test]
    fn bare_word_has_no_scheme() {
        let u = Uri::parse("foo").unwrap();
        assert_eq!(u.scheme, None);
        assert_eq!(u.path.as_deref(), Some("foo"));
    }

    #[test]
    fn spaces_are_refused() {
        let e = Uri::parse("test:///a b").unwrap_err();
        assert_eq!(e.message, "internal error: Unable to parse URI test:///a b");
    }

    #[test]
    fn formatted_params_escape_values() {
        let u = Uri::parse("test:///default?socket=/tmp/s&x=a%20b").unwrap();
        assert_eq!(u.format_params(|n| n != "socket"), "x=a%20b");
    }
}
