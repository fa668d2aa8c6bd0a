//! JSON objects with their keys in insertion order, written compactly the
//! way libvirt writes `-device`, `-blockdev`, `-netdev` and `-object`
//! arguments (`{"driver":"virtio-blk-pci","bus":"pci.4",...}`).

use std::fmt::Write;

/// A JSON value as the command line needs them.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Str(String),
    Int(i64),
    UInt(u64),
    Bool(bool),
    Null,
    Obj(Props),
}

/// An ordered JSON object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Props(Vec<(String, Json)>);

impl Props {
    pub fn new() -> Props {
        Props(Vec::new())
    }

    /// Adds a string member.
    pub fn s(mut self, k: &str, v: impl Into<String>) -> Props {
        self.0.push((k.to_owned(), Json::Str(v.into())));
        self
    }

    /// Adds a string member when `v` is present.
    pub fn s_opt(self, k: &str, v: Option<impl Into<String>>) -> Props {
        match v {
            Some(v) => self.s(k, v),
            None => self,
        }
    }

    /// Adds an unsigned number.
    pub fn u(mut self, k: &str, v: u64) -> Props {
        self.0.push((k.to_owned(), Json::UInt(v)));
        self
    }

    /// Adds an unsigned number when present.
    pub fn u_opt(self, k: &str, v: Option<u64>) -> Props {
        match v {
            Some(v) => self.u(k, v),
            None => self,
        }
    }

    /// Adds a signed number.
    pub fn i(mut self, k: &str, v: i64) -> Props {
        self.0.push((k.to_owned(), Json::Int(v)));
        self
    }

    /// Adds a boolean.
    pub fn b(mut self, k: &str, v: bool) -> Props {
        self.0.push((k.to_owned(), Json::Bool(v)));
        self
    }

    /// Adds `null`.
    pub fn null(mut self, k: &str) -> Props {
        self.0.push((k.to_owned(), Json::Null));
        self
    }

    /// Adds a nested object.
    pub fn obj(mut self, k: &str, v: Props) -> Props {
        self.0.push((k.to_owned(), Json::Obj(v)));
        self
    }

    /// Appends every member of `other`.
    pub fn extend(mut self, other: Props) -> Props {
        self.0.extend(other.0);
        self
    }

    /// The value of `k`, if set.
    pub fn get(&self, k: &str) -> Option<&Json> {
        self.0.iter().find(|(n, _)| n == k).map(|(_, v)| v)
    }

    /// Compact JSON text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_obj(&mut out, self);
        out
    }
}

fn write_obj(out: &mut String, p: &Props) {
    out.push('{');
    for (i, (k, v)) in p.0.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_str(out, k);
        out.push(':');
        match v {
            Json::Str(s) => write_str(out, s),
            Json::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Json::UInt(n) => {
                let _ = write!(out, "{n}");
            }
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Null => out.push_str("null"),
            Json::Obj(o) => write_obj(out, o),
        }
    }
    out.push('}');
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Escapes a value for QEMU's `key=value,...` option syntax: commas doubled.
pub fn opt_escape(s: &str) -> String {
    s.replace(',', ",,")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_order_and_strings_are_escaped() {
        let p = Props::new()
            .s("driver", "virtio-blk-pci")
            .u("bootindex", 1)
            .b("x", true)
            .null("backing")
            .obj("cache", Props::new().b("direct", true))
            .s("path", "a\"b\\c");
        assert_eq!(
            p.to_json(),
            r#"{"driver":"virtio-blk-pci","bootindex":1,"x":true,"backing":null,"cache":{"direct":true},"path":"a\"b\\c"}"#
        );
    }

    #[test]
    fn commas_are_doubled() {
        assert_eq!(opt_escape("a,b"), "a,,b");
    }
}
