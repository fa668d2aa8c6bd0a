//! The URI a client sends in `CONNECT_OPEN`, as a driver needs it.

/// A parsed `driver[+transport]://[host]/path[?query]` as the daemon receives it
/// (the client has already stripped transport, host and client-only parameters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectUri {
    /// The whole string as sent.
    pub raw: String,
    /// "qemu", "test", ...
    pub scheme: String,
    /// Host part, usually empty.
    pub host: String,
    /// "/system", "/session", "/default", ...
    pub path: String,
    /// Query parameters in order.
    pub params: Vec<(String, String)>,
}

impl ConnectUri {
    /// Parses `s`; `None` when it is not of the form `scheme:...`.
    pub fn parse(s: &str) -> Option<ConnectUri> {
        let (scheme, rest) = s.split_once(':')?;
        if scheme.is_empty()
            || !scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            return None;
        }
        let scheme = scheme
            .split('+')
            .next()
            .unwrap_or(scheme)
            .to_ascii_lowercase();
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let (host, path) = match rest.strip_prefix("//") {
            Some(after) => match after.find('/') {
                Some(i) => (after[..i].to_owned(), after[i..].to_owned()),
                None => (after.to_owned(), String::new()),
            },
            None => (String::new(), rest.to_owned()),
        };
        let params = query
            .map(|q| {
                q.split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| match p.split_once('=') {
                        Some((k, v)) => (k.to_owned(), v.to_owned()),
                        None => (p.to_owned(), String::new()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(ConnectUri {
            raw: s.to_owned(),
            scheme,
            host,
            path,
            params,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_test_uri() {
        let u = ConnectUri::parse("test:///default").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str(), u.path.as_str()),
            ("test", "", "/default")
        );
    }

    #[test]
    fn parses_params() {
        let u = ConnectUri::parse("qemu:///system?foo=bar&x").unwrap();
        assert_eq!(
            u.params,
            vec![("foo".into(), "bar".into()), ("x".into(), String::new())]
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(ConnectUri::parse("no colon").is_none());
        assert!(ConnectUri::parse(":///x").is_none());
    }
}
