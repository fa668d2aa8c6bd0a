//! The storage volume document (`<volume>`).
//!
//! [`VolDef`] is what a client asks for (`virStorageVolCreateXML`);
//! [`VolDoc`] is what a driver reports (`virStorageVolGetXMLDesc`), built from
//! what it found on disk.

use super::pool::PoolType;
use super::{parse_size, unsupported, xml_error, Perms};
use crate::xml::{self, XmlElement, XmlWriter};
use oxvirt_core::{Error, ErrorCode, ErrorDomain};

/// File image formats (`virStorageFileFormat` up to vmdk); `none` is listed
/// but refused on input, as libvirt refuses it.
pub const FILE_FORMATS: &[&str] = &[
    "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd", "ploop",
    "cow", "qcow", "qcow2", "qed", "vmdk",
];

/// Partition formats of disk pools (`virStorageVolFormatDisk`).
pub const PARTITION_FORMATS: &[&str] = &[
    "none",
    "linux",
    "fat16",
    "fat32",
    "linux-swap",
    "linux-lvm",
    "linux-raid",
    "extended",
];

/// `virStorageFileFeature`.
pub const FEATURES: &[&str] = &["lazy_refcounts", "extended_l2"];

/// The largest size libvirt accepts (`off_t` is signed).
pub const MAX_SIZE: u64 = i64::MAX as u64;

/// A volume format: a name from the pool type's list.
pub type VolFormat = String;

/// The target (or backing store) of a volume as defined.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolTarget {
    /// `<path>`; ignored by file pools, which put volumes at `<pool>/<name>`.
    pub path: Option<String>,
    /// `<format type>`, for pool types whose volumes have formats.
    pub format: Option<VolFormat>,
    pub perms: Perms,
    /// `<compat>` (qcow2: `0.10` or `1.1`).
    pub compat: Option<String>,
    /// `<nocow/>`.
    pub nocow: bool,
    /// `<clusterSize>` in bytes.
    pub cluster_size: Option<u64>,
    /// `<features>`: `None` when absent; present (maybe empty) sets compat 1.1.
    pub features: Option<Vec<String>>,
    /// `<encryption>`, kept as written.
    pub encryption: Option<XmlElement>,
}

/// A volume definition as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolDef {
    pub name: String,
    pub key: Option<String>,
    /// `type` attribute (ignored by drivers, which know better).
    pub vol_type: Option<String>,
    /// Bytes; `None` when absent and allowed to be (a backing store gives it).
    pub capacity: Option<u64>,
    /// Bytes; `None` when absent, meaning "same as capacity".
    pub allocation: Option<u64>,
    pub target: VolTarget,
    pub backing: Option<VolTarget>,
}

/// Flags of [`VolDef::parse`].
pub mod parse_flags {
    /// Capacity may be absent (create-from: the source gives it).
    pub const NO_CAPACITY: u32 = 1 << 0;
    /// Capacity may be absent when there is a backing store.
    pub const OPT_CAPACITY: u32 = 1 << 1;
}

fn check_compat(c: &str) -> Result<(), Error> {
    let ok = match c.split_once('.') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|x| x.is_ascii_digit())
                && b.bytes().all(|x| x.is_ascii_digit())
        }
        None => false,
    };
    if ok {
        Ok(())
    } else {
        Err(xml_error("forbidden characters in 'compat' attribute"))
    }
}

fn parse_format(el: Option<&XmlElement>, pool: PoolType) -> Result<Option<VolFormat>, Error> {
    let formats = pool.volume_formats();
    if formats.is_empty() {
        return Ok(None);
    }
    let asked = el.and_then(|f| f.attr("type"));
    match asked {
        None => Ok(pool.default_volume_format().map(str::to_owned)),
        // File pools refuse "none", partition pools accept it.
        Some("none") if pool != PoolType::Disk => {
            Err(unsupported("unknown volume format type none"))
        }
        Some(f) if formats.contains(&f) => Ok(Some(f.to_owned())),
        Some(f) => Err(unsupported(format!("unknown volume format type {f}"))),
    }
}

impl VolDef {
    /// Parses a `<volume>` document for a pool of type `pool`.
    pub fn parse(text: &str, pool: PoolType, flags: u32) -> Result<VolDef, Error> {
        let root = xml::parse_document(text).map_err(|e| {
            Error::new(
                ErrorDomain::STORAGE,
                ErrorCode::XML_DETAIL,
                e.render("(storage_volume_definition)"),
            )
        })?;
        Self::from_element(root, pool, flags)
    }

    /// Builds a definition from a parsed `<volume>` element.
    pub fn from_element(mut root: XmlElement, pool: PoolType, flags: u32) -> Result<VolDef, Error> {
        if root.name != "volume" {
            return Err(Error::new(
                ErrorDomain::XML,
                ErrorCode::XML_ERROR,
                format!("expecting root element of 'volume', not '{}'", root.name),
            ));
        }
        root.strip_blank_text();
        let name = root
            .child_text("name")
            .filter(|n| !n.is_empty())
            .ok_or_else(|| xml_error("missing volume name element"))?;
        let key = root.child_text("key").filter(|k| !k.is_empty());
        let vol_type = match root.attr("type") {
            None => None,
            Some(t @ ("file" | "block" | "dir" | "network" | "netdir" | "ploop")) => {
                Some(t.to_owned())
            }
            Some(t) => return Err(unsupported(format!("unknown volume type '{t}'"))),
        };
        let backing = match root.child("backingStore").and_then(|b| {
            b.child_text("path")
                .filter(|p| !p.is_empty())
                .map(|p| (b, p))
        }) {
            None => None,
            Some((b, path)) => Some(VolTarget {
                path: Some(path),
                format: parse_format(b.child("format"), pool)?,
                perms: Perms::parse(b.child("permissions"))?,
                ..VolTarget::default()
            }),
        };
        let capacity = match root.child("capacity").filter(|c| !c.text().is_empty()) {
            Some(c) => Some(parse_size(&c.text(), c.attr("unit"), MAX_SIZE, "capacity")?),
            None if flags & parse_flags::NO_CAPACITY != 0 => None,
            None if flags & parse_flags::OPT_CAPACITY != 0 && backing.is_some() => None,
            None => return Err(xml_error("missing capacity element")),
        };
        let allocation = match root.child("allocation").filter(|c| !c.text().is_empty()) {
            Some(a) => Some(parse_size(&a.text(), a.attr("unit"), MAX_SIZE, "capacity")?),
            None => None,
        };
        let t = root.child("target");
        let mut target = VolTarget {
            path: t
                .and_then(|t| t.child_text("path"))
                .filter(|p| !p.is_empty()),
            format: parse_format(t.and_then(|t| t.child("format")), pool)?,
            perms: Perms::parse(t.and_then(|t| t.child("permissions")))?,
            compat: t
                .and_then(|t| t.child_text("compat"))
                .filter(|c| !c.is_empty()),
            nocow: t.and_then(|t| t.child("nocow")).is_some(),
            cluster_size: None,
            features: None,
            encryption: t.and_then(|t| t.child("encryption")).cloned(),
        };
        if let Some(c) = &target.compat {
            check_compat(c)?;
        }
        if let Some(cs) = t.and_then(|t| t.child("clusterSize")) {
            let v =
                parse_size(&cs.text(), cs.attr("unit"), u64::MAX, "clusterSize").map_err(|_| {
                    xml_error(format!(
                        "Invalid value '{}' for element or attribute './target/clusterSize'",
                        cs.text()
                    ))
                })?;
            target.cluster_size = Some(v);
        }
        if let Some(f) = t.and_then(|t| t.child("features")) {
            if target.compat.is_none() {
                target.compat = Some("1.1".to_owned());
            }
            let mut feats = Vec::new();
            for e in f.elements() {
                if !FEATURES.contains(&e.name.as_str()) {
                    return Err(unsupported(format!("unsupported feature {}", e.name)));
                }
                if !feats.contains(&e.name) {
                    feats.push(e.name.clone());
                }
            }
            feats.sort_by_key(|f| FEATURES.iter().position(|k| k == f));
            target.features = Some(feats);
        }
        Ok(VolDef {
            name,
            key,
            vol_type,
            capacity,
            allocation,
            target,
            backing,
        })
    }
}

/// A file's timestamps as `(seconds, nanoseconds)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timestamps {
    pub atime: (i64, i64),
    pub mtime: (i64, i64),
    pub ctime: (i64, i64),
    /// Birth time; libvirt reports 0 when unknown.
    pub btime: (i64, i64),
}

/// A target or backing store as reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetDoc {
    pub path: String,
    pub format: Option<String>,
    pub perms: Perms,
    pub timestamps: Option<Timestamps>,
    pub encryption: Option<XmlElement>,
    pub compat: Option<String>,
    pub cluster_size: Option<u64>,
    pub features: Option<Vec<String>>,
}

/// A volume as `virStorageVolGetXMLDesc` reports it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolDoc {
    /// `file`, `block`, `dir`, …
    pub vol_type: String,
    pub name: String,
    pub key: String,
    /// `<source><device path><extent start end/>` as `(device, start, end)`.
    pub extents: Vec<(String, u64, u64)>,
    pub capacity: u64,
    pub allocation: u64,
    /// Shown when non-zero.
    pub physical: u64,
    pub target: TargetDoc,
    pub backing: Option<TargetDoc>,
}

fn write_timestamp(w: &mut XmlWriter, name: &str, (sec, nsec): (i64, i64)) {
    if nsec < 0 {
        return;
    }
    let text = if nsec != 0 {
        format!("{sec}.{nsec:09}")
    } else {
        sec.to_string()
    };
    w.text_element(name, &text);
}

impl TargetDoc {
    fn write(&self, w: &mut XmlWriter, element: &str) {
        w.start(element).end_open();
        w.text_element("path", &self.path);
        if let Some(f) = &self.format {
            w.start("format").attr("type", f).end_empty();
        }
        self.perms.format(w);
        if let Some(ts) = &self.timestamps {
            w.start("timestamps").end_open();
            write_timestamp(w, "atime", ts.atime);
            write_timestamp(w, "mtime", ts.mtime);
            write_timestamp(w, "ctime", ts.ctime);
            write_timestamp(w, "btime", ts.btime);
            w.close("timestamps");
        }
        if let Some(e) = &self.encryption {
            w.element(e);
        }
        if let Some(c) = &self.compat {
            w.text_element("compat", c);
        }
        if let Some(cs) = self.cluster_size.filter(|c| *c > 0) {
            w.start("clusterSize")
                .attr("unit", "B")
                .end_text("clusterSize", &cs.to_string());
        }
        if let Some(f) = &self.features {
            if f.is_empty() {
                w.start("features").end_empty();
            } else {
                w.start("features").end_open();
                for name in f {
                    w.start(name).end_empty();
                }
                w.close("features");
            }
        }
        w.close(element);
    }
}

impl VolDoc {
    /// The document text.
    pub fn format(&self) -> String {
        let mut w = XmlWriter::new();
        w.start("volume").attr("type", &self.vol_type).end_open();
        w.text_element("name", &self.name);
        w.text_element("key", &self.key);
        if !self.extents.is_empty() {
            w.start("source").end_open();
            let mut current: Option<&str> = None;
            for (dev, start, end) in &self.extents {
                if current != Some(dev.as_str()) {
                    if current.is_some() {
                        w.close("device");
                    }
                    w.start("device").attr("path", dev).end_open();
                    current = Some(dev);
                }
                w.start("extent")
                    .attr("start", &start.to_string())
                    .attr("end", &end.to_string())
                    .end_empty();
            }
            w.close("device");
            w.close("source");
        }
        w.start("capacity")
            .attr("unit", "bytes")
            .end_text("capacity", &self.capacity.to_string());
        w.start("allocation")
            .attr("unit", "bytes")
            .end_text("allocation", &self.allocation.to_string());
        if self.physical != 0 {
            w.start("physical")
                .attr("unit", "bytes")
                .end_text("physical", &self.physical.to_string());
        }
        self.target.write(&mut w, "target");
        if let Some(b) = &self.backing {
            b.write(&mut w, "backingStore");
        }
        w.close("volume");
        w.finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn qcow2_options_parse() {
        let d = VolDef::parse(
            "<volume><name>a.qcow2</name><capacity unit='M'>20</capacity><allocation>0</allocation>\
             <target><format type='qcow2'/><compat>1.1</compat><clusterSize unit='KiB'>128</clusterSize>\
             <features><lazy_refcounts/></features></target>\
             <backingStore><path>/p/base</path><format type='raw'/></backingStore></volume>",
            PoolType::Dir,
            0,
        )
        .unwrap();
        assert_eq!(d.capacity, Some(20 << 20));
        assert_eq!(d.allocation, Some(0));
        assert_eq!(d.target.format.as_deref(), Some("qcow2"));
        assert_eq!(d.target.cluster_size, Some(128 << 10));
        assert_eq!(d.target.features, Some(vec!["lazy_refcounts".to_owned()]));
        assert_eq!(d.backing.unwrap().format.as_deref(), Some("raw"));
    }

    #[test]
    fn features_imply_compat_1_1() {
        let d = VolDef::parse(
            "<volume><name>a</name><capacity>1</capacity><target><features/></target></volume>",
            PoolType::Dir,
            0,
        )
        .unwrap();
        assert_eq!(d.target.compat.as_deref(), Some("1.1"));
        assert_eq!(d.target.format.as_deref(), Some("raw"));
    }

    #[test]
    fn bad_volumes_get_libvirt_messages() {
        let cases = [
            ("<volume><name>x</name></volume>", "XML error: missing capacity element"),
            ("<volume><capacity>1</capacity></volume>", "XML error: missing volume name element"),
            ("<foo/>", "XML error: expecting root element of 'volume', not 'foo'"),
            ("<volume><name>x</name><capacity>1</capacity><target><format type='bogus'/></target></volume>", "unsupported configuration: unknown volume format type bogus"),
            ("<volume><name>x</name><capacity>1</capacity><target><format type='none'/></target></volume>", "unsupported configuration: unknown volume format type none"),
            ("<volume><name>x</name><capacity>1</capacity><target><compat>1.x</compat></target></volume>", "XML error: forbidden characters in 'compat' attribute"),
            ("<volume><name>x</name><capacity>1</capacity><target><features><zap/></features></target></volume>", "unsupported configuration: unsupported feature zap"),
            ("<volume><name>x</name><capacity unit='E'>9</capacity></volume>", "numerical overflow: value too large: 9E"),
        ];
        for (xml, msg) in cases {
            assert_eq!(
                VolDef::parse(xml, PoolType::Dir, 0).unwrap_err().message,
                msg,
                "{xml}"
            );
        }
    }

    #[test]
    fn logical_volumes_have_no_format() {
        let d = VolDef::parse(
            "<volume><name>lv</name><capacity>1</capacity><target><format type='qcow2'/></target></volume>",
            PoolType::Logical,
            0,
        )
        .unwrap();
        assert_eq!(d.target.format, None);
    }

    #[test]
    fn doc_formats_like_libvirt() {
        let doc = VolDoc {
            vol_type: "file".into(),
            name: "a.qcow2".into(),
            key: "/p/a.qcow2".into(),
            capacity: 20971520,
            allocation: 200704,
            physical: 196616,
            target: TargetDoc {
                path: "/p/a.qcow2".into(),
                format: Some("qcow2".into()),
                perms: Perms {
                    mode: Some(0o600),
                    owner: Some(0),
                    group: Some(0),
                    label: None,
                },
                timestamps: Some(Timestamps {
                    atime: (1795657977, 71314792),
                    mtime: (1795657977, 0),
                    ctime: (1, 2),
                    btime: (0, 0),
                }),
                ..TargetDoc::default()
            },
            ..VolDoc::default()
        };
        assert_eq!(
            doc.format(),
            "<volume type='file'>\n  <name>a.qcow2</name>\n  <key>/p/a.qcow2</key>\n  \
             <capacity unit='bytes'>20971520</capacity>\n  <allocation unit='bytes'>200704</allocation>\n  \
             <physical unit='bytes'>196616</physical>\n  <target>\n    <path>/p/a.qcow2</path>\n    \
             <format type='qcow2'/>\n    <permissions>\n      <mode>0600</mode>\n      <owner>0</owner>\n      \
             <group>0</group>\n    </permissions>\n    <timestamps>\n      <atime>1795657977.071314792</atime>\n      \
             <mtime>1795657977</mtime>\n      <ctime>1.000000002</ctime>\n      <btime>0</btime>\n    \
             </timestamps>\n  </target>\n</volume>\n"
        );
    }
}
