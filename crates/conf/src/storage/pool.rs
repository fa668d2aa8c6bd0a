//! The storage pool definition (`<pool>`).

use super::{sanitize_path, unsupported, xml_error, Perms};
use crate::xml::{self, XmlElement, XmlWriter};
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Uuid};

/// `virStoragePoolType`, in libvirt's order (the order of the list-filter
/// bits and of the capabilities document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PoolType {
    Dir,
    Fs,
    Netfs,
    Logical,
    Disk,
    Iscsi,
    IscsiDirect,
    Scsi,
    Mpath,
    Rbd,
    Sheepdog,
    Gluster,
    Zfs,
    Vstorage,
}

/// Which `<source>` parts a pool type uses (libvirt's per-type option flags).
mod src {
    pub const HOST: u32 = 1 << 0;
    pub const DEVICE: u32 = 1 << 1;
    pub const DIR: u32 = 1 << 2;
    pub const ADAPTER: u32 = 1 << 3;
    pub const NAME: u32 = 1 << 4;
    pub const INITIATOR_IQN: u32 = 1 << 5;
    pub const NETWORK: u32 = 1 << 6;
}

const FS_FORMATS: &[&str] = &[
    "auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs", "gfs2", "vfat", "hfs+", "xfs",
    "ocfs2", "vmfs",
];
const NETFS_FORMATS: &[&str] = &["auto", "nfs", "glusterfs", "cifs"];
const DISK_FORMATS: &[&str] = &[
    "unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2",
];
const LOGICAL_FORMATS: &[&str] = &["unknown", "lvm2"];

/// The namespace of fs/netfs mount options.
pub const FS_NAMESPACE: &str = "http://libvirt.org/schemas/storagepool/fs/1.0";

impl PoolType {
    /// Every type, in libvirt's order.
    pub const ALL: [PoolType; 14] = [
        PoolType::Dir,
        PoolType::Fs,
        PoolType::Netfs,
        PoolType::Logical,
        PoolType::Disk,
        PoolType::Iscsi,
        PoolType::IscsiDirect,
        PoolType::Scsi,
        PoolType::Mpath,
        PoolType::Rbd,
        PoolType::Sheepdog,
        PoolType::Gluster,
        PoolType::Zfs,
        PoolType::Vstorage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PoolType::Dir => "dir",
            PoolType::Fs => "fs",
            PoolType::Netfs => "netfs",
            PoolType::Logical => "logical",
            PoolType::Disk => "disk",
            PoolType::Iscsi => "iscsi",
            PoolType::IscsiDirect => "iscsi-direct",
            PoolType::Scsi => "scsi",
            PoolType::Mpath => "mpath",
            PoolType::Rbd => "rbd",
            PoolType::Sheepdog => "sheepdog",
            PoolType::Gluster => "gluster",
            PoolType::Zfs => "zfs",
            PoolType::Vstorage => "vstorage",
        }
    }

    pub fn from_name(s: &str) -> Option<PoolType> {
        PoolType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The enum number libvirt uses in messages ("pool type %d").
    pub fn number(self) -> usize {
        PoolType::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    fn source_flags(self) -> u32 {
        match self {
            PoolType::Dir | PoolType::Mpath => 0,
            PoolType::Fs | PoolType::Disk => src::DEVICE,
            PoolType::Netfs => src::HOST | src::DIR,
            PoolType::Logical | PoolType::Zfs => src::NAME | src::DEVICE,
            PoolType::Iscsi => src::HOST | src::DEVICE | src::INITIATOR_IQN,
            PoolType::IscsiDirect => src::HOST | src::DEVICE | src::NETWORK | src::INITIATOR_IQN,
            PoolType::Scsi => src::ADAPTER,
            PoolType::Rbd | PoolType::Sheepdog => src::HOST | src::NETWORK | src::NAME,
            PoolType::Gluster => src::HOST | src::NETWORK | src::NAME | src::DIR,
            PoolType::Vstorage => src::NAME,
        }
    }

    /// The `<source><format type>` values of this type; the first is the
    /// default. Empty when the type has no source format.
    pub fn source_formats(self) -> &'static [&'static str] {
        match self {
            PoolType::Fs => FS_FORMATS,
            PoolType::Netfs => NETFS_FORMATS,
            PoolType::Disk => DISK_FORMATS,
            PoolType::Logical => LOGICAL_FORMATS,
            _ => &[],
        }
    }

    /// The default source format (`lvm2` for logical, the first value else).
    pub fn default_source_format(self) -> Option<&'static str> {
        match self {
            PoolType::Logical => Some("lvm2"),
            t => t.source_formats().first().copied(),
        }
    }

    /// The `<target><format>` values of volumes in this pool; the first is
    /// the default. Empty when volumes have no format (logical).
    pub fn volume_formats(self) -> &'static [&'static str] {
        match self {
            PoolType::Dir
            | PoolType::Fs
            | PoolType::Netfs
            | PoolType::Gluster
            | PoolType::Vstorage
            | PoolType::Rbd => super::volume::FILE_FORMATS,
            PoolType::Disk => super::volume::PARTITION_FORMATS,
            _ => &[],
        }
    }

    /// The default volume format.
    pub fn default_volume_format(self) -> Option<&'static str> {
        match self {
            PoolType::Disk => Some("none"),
            t if !t.volume_formats().is_empty() => Some("raw"),
            _ => None,
        }
    }

    /// Whether pools of this type have a local `<target>`.
    pub fn has_target(self) -> bool {
        self.source_flags() & src::NETWORK == 0
    }
}

/// One `<device>` of a pool source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDevice {
    pub path: String,
    pub part_separator: Option<bool>,
    /// Free extents `(start, end)` in bytes; disk pools report them while
    /// active. Never parsed.
    pub free_extents: Vec<(u64, u64)>,
}

/// `<source>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolSource {
    /// `<host name port>`.
    pub hosts: Vec<(String, Option<i32>)>,
    pub devices: Vec<SourceDevice>,
    /// `<dir path>`, sanitized.
    pub dir: Option<String>,
    /// `<name>`: the VG of a logical pool.
    pub name: Option<String>,
    /// `<format type>`, for types that have one.
    pub format: Option<String>,
    /// `<protocol ver>` (netfs).
    pub protocol_ver: Option<u32>,
    pub vendor: Option<String>,
    pub product: Option<String>,
    /// Kept as written: `<adapter>`, `<auth>`, `<initiator>`.
    pub adapter: Option<XmlElement>,
    pub auth: Option<XmlElement>,
    pub initiator: Option<XmlElement>,
}

/// A storage pool definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolDef {
    pub pool_type: PoolType,
    pub name: String,
    pub uuid: Uuid,
    pub source: PoolSource,
    /// `<target><path>`, sanitized; `None` for network pools.
    pub target_path: Option<String>,
    /// `<target><permissions>` as defined.
    pub target_perms: Perms,
    /// `<features><cow state>`.
    pub cow: Option<bool>,
    /// `<refresh><volume allocation>`.
    pub refresh_allocation: Option<String>,
    /// `<fs:mount_opts><fs:option name>` (fs and netfs).
    pub mount_opts: Vec<String>,
}

/// The numbers a pool document shows, all 0 while inactive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolNumbers {
    pub capacity: u64,
    pub allocation: u64,
    pub available: u64,
}

fn attr_error(attr: &str, el: &str, value: Option<&str>) -> Error {
    let msg = match value {
        Some(v) => format!("Invalid value for attribute '{attr}' in element '{el}': '{v}'."),
        None => format!("Missing required attribute '{attr}' in element '{el}'"),
    };
    Error::new(ErrorDomain::XML, ErrorCode::XML_ERROR, msg)
}

/// `virXPathString`: the text of a child, `None` when absent or empty.
fn text_of(el: &XmlElement, name: &str) -> Option<String> {
    el.child_text(name).filter(|t| !t.is_empty())
}

fn parse_tristate(el: &XmlElement, attr: &str) -> Result<Option<bool>, Error> {
    match el.attr(attr) {
        None => Ok(None),
        Some("yes") => Ok(Some(true)),
        Some("no") => Ok(Some(false)),
        Some(v) => Err(attr_error(attr, &el.name, Some(v))),
    }
}

impl PoolSource {
    fn parse(el: &XmlElement, t: PoolType) -> Result<PoolSource, Error> {
        let mut s = PoolSource {
            name: text_of(el, "name"),
            ..PoolSource::default()
        };
        if t == PoolType::Rbd && s.name.is_none() {
            return Err(xml_error("element 'name' is mandatory for RBD pool"));
        }
        if !t.source_formats().is_empty() {
            let fmt = el.child("format").and_then(|f| f.attr("type"));
            s.format = match fmt {
                None => t.default_source_format().map(str::to_owned),
                Some(f) if t.source_formats().contains(&f) => Some(f.to_owned()),
                Some(f) => return Err(unsupported(format!("unknown pool format type {f}"))),
            };
        }
        for h in el.elements().filter(|e| e.name == "host") {
            let name = h
                .attr("name")
                .ok_or_else(|| xml_error("missing storage pool host name"))?;
            let port = match h.attr("port") {
                None => None,
                Some(p) => Some(
                    p.trim()
                        .parse::<i32>()
                        .map_err(|_| attr_error("port", "host", Some(p)))?,
                ),
            };
            s.hosts.push((name.to_owned(), port));
        }
        for d in el.elements().filter(|e| e.name == "device") {
            let path = d
                .attr("path")
                .ok_or_else(|| xml_error("missing storage pool source device path"))?;
            s.devices.push(SourceDevice {
                path: path.to_owned(),
                part_separator: parse_tristate(d, "part_separator")?,
                free_extents: Vec::new(),
            });
        }
        s.dir = el
            .child("dir")
            .and_then(|d| d.attr("path"))
            .map(sanitize_path);
        if s.dir.is_none() && t == PoolType::Gluster {
            s.dir = Some("/".to_owned());
        }
        s.adapter = el.child("adapter").cloned();
        s.initiator = el.child("initiator").cloned();
        if let Some(a) = el.child("auth") {
            if a.attr("type").is_none() {
                return Err(unsupported("storage pool missing auth type"));
            }
            s.auth = Some(a.clone());
        }
        if let Some(ver) = el.child("protocol").and_then(|p| p.attr("ver")) {
            let f = s.format.as_deref().unwrap_or("auto");
            if !matches!(f, "nfs" | "auto") {
                return Err(unsupported(format!(
                    "storage pool protocol ver unsupported for pool type '{f}'"
                )));
            }
            let v = ver.trim().parse::<u32>().map_err(|_| {
                xml_error(format!("storage pool protocol ver '{ver}' is malformed"))
            })?;
            s.protocol_ver = Some(v);
        }
        s.vendor = el
            .child("vendor")
            .and_then(|v| v.attr("name"))
            .map(str::to_owned);
        s.product = el
            .child("product")
            .and_then(|v| v.attr("name"))
            .map(str::to_owned);
        Ok(s)
    }

    fn write(&self, w: &mut XmlWriter, t: PoolType) {
        let flags = t.source_flags();
        w.start("source").end_open();
        if flags & src::HOST != 0 {
            for (name, port) in &self.hosts {
                w.start("host").attr("name", name);
                if let Some(p) = port.filter(|p| *p != 0) {
                    w.attr("port", &p.to_string());
                }
                w.end_empty();
            }
        }
        if flags & src::DEVICE != 0 {
            for d in &self.devices {
                w.start("device").attr("path", &d.path);
                if let Some(sep) = d.part_separator {
                    w.attr("part_separator", if sep { "yes" } else { "no" });
                }
                if d.free_extents.is_empty() {
                    w.end_empty();
                } else {
                    w.end_open();
                    for (start, end) in &d.free_extents {
                        w.start("freeExtent")
                            .attr("start", &start.to_string())
                            .attr("end", &end.to_string())
                            .end_empty();
                    }
                    w.close("device");
                }
            }
        }
        if flags & src::DIR != 0 {
            if let Some(d) = &self.dir {
                w.start("dir").attr("path", d).end_empty();
            }
        }
        if flags & src::ADAPTER != 0 {
            if let Some(a) = &self.adapter {
                w.element(a);
            }
        }
        if flags & src::NAME != 0 {
            if let Some(n) = &self.name {
                w.text_element("name", n);
            }
        }
        if flags & src::INITIATOR_IQN != 0 {
            if let Some(i) = &self.initiator {
                w.element(i);
            }
        }
        if let Some(f) = &self.format {
            w.start("format").attr("type", f).end_empty();
        }
        if let Some(a) = &self.auth {
            w.element(a);
        }
        if let Some(v) = self.protocol_ver.filter(|v| *v != 0) {
            w.start("protocol").attr("ver", &v.to_string()).end_empty();
        }
        if let Some(v) = &self.vendor {
            w.start("vendor").attr("name", v).end_empty();
        }
        if let Some(p) = &self.product {
            w.start("product").attr("name", p).end_empty();
        }
        w.close("source");
    }
}

impl PoolDef {
    /// Parses a `<pool>` document. `random` supplies the bytes of a UUID when
    /// the document has none.
    pub fn parse(text: &str, random: &mut dyn FnMut() -> [u8; 16]) -> Result<PoolDef, Error> {
        let root = xml::parse_document(text).map_err(|e| {
            Error::new(
                ErrorDomain::STORAGE,
                ErrorCode::XML_DETAIL,
                e.render("(storage_pool_definition)"),
            )
        })?;
        Self::from_element(root, random)
    }

    /// Builds a definition from a parsed `<pool>` element.
    pub fn from_element(
        mut root: XmlElement,
        random: &mut dyn FnMut() -> [u8; 16],
    ) -> Result<PoolDef, Error> {
        if root.name != "pool" {
            return Err(Error::new(
                ErrorDomain::XML,
                ErrorCode::XML_ERROR,
                format!("expecting root element of 'pool', not '{}'", root.name),
            ));
        }
        root.strip_blank_text();
        let t = match root.attr("type") {
            None => return Err(attr_error("type", "pool", None)),
            Some(v) => PoolType::from_name(v).ok_or_else(|| attr_error("type", "pool", Some(v)))?,
        };
        let source = match root.child("source") {
            Some(s) => PoolSource::parse(s, t)?,
            None => PoolSource {
                format: t.default_source_format().map(str::to_owned),
                ..PoolSource::default()
            },
        };
        let mut source = source;
        let flags = t.source_flags();
        let name = match text_of(&root, "name") {
            Some(n) => n,
            None if flags & src::NAME != 0 && source.name.is_some() => {
                source.name.clone().unwrap_or_default()
            }
            None => return Err(xml_error("missing pool source name element")),
        };
        if name.contains('/') {
            return Err(xml_error(format!("name {name} cannot contain '/'")));
        }
        let uuid = match text_of(&root, "uuid") {
            None => Uuid::from_random_bytes(random()),
            Some(u) => u
                .trim()
                .parse::<Uuid>()
                .map_err(|_| xml_error("malformed uuid element"))?,
        };
        let cow = match root.child("features").and_then(|f| f.child("cow")) {
            None => None,
            Some(c) => {
                let v = parse_tristate(c, "state")?;
                if v.is_some() && !matches!(t, PoolType::Fs | PoolType::Dir) {
                    return Err(Error::new(
                        ErrorDomain::STORAGE,
                        ErrorCode::NO_SUPPORT,
                        "cow feature may only be used for 'fs' and 'dir' pools",
                    ));
                }
                v
            }
        };
        if flags & src::HOST != 0 && source.hosts.is_empty() {
            return Err(xml_error("missing storage pool source host name"));
        }
        if flags & src::DIR != 0 && source.dir.is_none() {
            return Err(xml_error("missing storage pool source path"));
        }
        if flags & src::NAME != 0 && source.name.is_none() {
            source.name = Some(name.clone());
        }
        if flags == src::DEVICE && source.devices.is_empty() {
            return Err(xml_error("missing storage pool source device name"));
        }
        let (target_path, target_perms) = if t.has_target() {
            let path = match t {
                PoolType::Logical => format!("/dev/{}", source.name.as_deref().unwrap_or("")),
                PoolType::Zfs => format!("/dev/zvol/{}", source.name.as_deref().unwrap_or("")),
                _ => root
                    .child("target")
                    .and_then(|tg| text_of(tg, "path"))
                    .ok_or_else(|| xml_error("missing storage pool target path"))?,
            };
            let perms = Perms::parse(root.child("target").and_then(|tg| tg.child("permissions")))?;
            (Some(sanitize_path(&path)), perms)
        } else {
            (None, Perms::default())
        };
        if t == PoolType::IscsiDirect
            && source
                .initiator
                .as_ref()
                .and_then(|i| i.child("iqn"))
                .and_then(|q| q.attr("name"))
                .is_none()
        {
            return Err(unsupported("missing initiator IQN"));
        }
        let refresh_allocation = match root
            .child("refresh")
            .and_then(|r| r.child("volume"))
            .and_then(|v| v.attr("allocation"))
        {
            None => None,
            Some(a @ ("default" | "capacity")) => Some(a.to_owned()),
            Some(a) => {
                return Err(unsupported(format!(
                    "unknown storage pool volume refresh allocation type {a}"
                )))
            }
        };
        let mount_opts = if matches!(t, PoolType::Fs | PoolType::Netfs) {
            parse_mount_opts(&root)?
        } else {
            Vec::new()
        };
        Ok(PoolDef {
            pool_type: t,
            name,
            uuid,
            source,
            target_path,
            target_perms,
            cow,
            refresh_allocation,
            mount_opts,
        })
    }

    /// The document `virStoragePoolGetXMLDesc` returns. `target_perms`
    /// replaces the defined permissions (an active pool shows the target's
    /// real mode and owner).
    pub fn format(&self, numbers: PoolNumbers, target_perms: Option<&Perms>) -> String {
        let mut w = XmlWriter::new();
        self.write(&mut w, numbers, target_perms);
        w.finish()
    }

    /// Writes the document into `w` (for embedding in `<poolstate>`).
    pub fn write(&self, w: &mut XmlWriter, numbers: PoolNumbers, target_perms: Option<&Perms>) {
        w.start("pool").attr("type", self.pool_type.as_str());
        if !self.mount_opts.is_empty() {
            w.attr("xmlns:fs", FS_NAMESPACE);
        }
        w.end_open();
        w.text_element("name", &self.name);
        w.text_element("uuid", &self.uuid.to_string());
        w.start("capacity")
            .attr("unit", "bytes")
            .end_text("capacity", &numbers.capacity.to_string());
        w.start("allocation")
            .attr("unit", "bytes")
            .end_text("allocation", &numbers.allocation.to_string());
        w.start("available")
            .attr("unit", "bytes")
            .end_text("available", &numbers.available.to_string());
        if let Some(c) = self.cow {
            w.start("features").end_open();
            w.start("cow")
                .attr("state", if c { "yes" } else { "no" })
                .end_empty();
            w.close("features");
        }
        self.source.write(w, self.pool_type);
        if let Some(p) = &self.target_path {
            w.start("target").end_open();
            w.text_element("path", p);
            target_perms.unwrap_or(&self.target_perms).format(w);
            w.close("target");
        }
        if let Some(a) = &self.refresh_allocation {
            w.start("refresh").end_open();
            w.start("volume").attr("allocation", a).end_empty();
            w.close("refresh");
        }
        if !self.mount_opts.is_empty() {
            w.start("fs:mount_opts").end_open();
            for o in &self.mount_opts {
                w.start("fs:option").attr("name", o).end_empty();
            }
            w.close("fs:mount_opts");
        }
        w.close("pool");
    }

    /// The status file (`/run/libvirt/storage/NAME.xml`): the live document
    /// inside `<poolstate>`, under libvirt's header.
    pub fn format_state(&self, numbers: PoolNumbers, target_perms: Option<&Perms>) -> String {
        let mut w = XmlWriter::new();
        w.start("poolstate").end_open();
        self.write(&mut w, numbers, target_perms);
        w.close("poolstate");
        with_header(&self.name, &self.uuid, &w.finish())
    }

    /// The config file (`/etc/libvirt/storage/NAME.xml`): the inactive
    /// document under libvirt's header.
    pub fn format_config(&self) -> String {
        with_header(
            &self.name,
            &self.uuid,
            &self.format(PoolNumbers::default(), None),
        )
    }

    /// Reads a status file back: the pool inside `<poolstate>`.
    pub fn parse_state(text: &str, random: &mut dyn FnMut() -> [u8; 16]) -> Result<PoolDef, Error> {
        let root = xml::parse_document(text).map_err(|e| {
            Error::new(
                ErrorDomain::STORAGE,
                ErrorCode::XML_DETAIL,
                e.render("(pool state)"),
            )
        })?;
        if root.name != "poolstate" {
            return Err(xml_error(format!(
                "unexpected root element <{}>, expecting <poolstate>",
                root.name
            )));
        }
        let pool = root
            .child("pool")
            .cloned()
            .ok_or_else(|| xml_error("Could not find any 'pool' element in state file"))?;
        Self::from_element(pool, random)
    }
}

fn parse_mount_opts(root: &XmlElement) -> Result<Vec<String>, Error> {
    // The prefix is whatever the document bound to libvirt's fs namespace.
    let prefix = root.attrs.iter().find_map(|(k, v)| {
        (v == FS_NAMESPACE)
            .then(|| k.strip_prefix("xmlns:"))
            .flatten()
            .map(str::to_owned)
    });
    let Some(prefix) = prefix else {
        return Ok(Vec::new());
    };
    let mut opts = Vec::new();
    if let Some(m) = root.child(&format!("{prefix}:mount_opts")) {
        for o in m
            .elements()
            .filter(|e| e.name == format!("{prefix}:option"))
        {
            let name = o
                .attr("name")
                .filter(|n| !n.is_empty())
                .ok_or_else(|| xml_error("Missing fs mount option name"))?;
            opts.push(name.to_owned());
        }
    }
    Ok(opts)
}

/// libvirt's warning header over every file it writes for an object; the
/// edit command names the object by name when that is shell-safe, else by
/// UUID.
pub fn with_header(name: &str, uuid: &Uuid, body: &str) -> String {
    let safe = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.+:".contains(c));
    let who = if safe {
        name.to_owned()
    } else {
        uuid.to_string()
    };
    format!(
        "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n\
         OVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n  \
         virsh pool-edit {who}\nor other application using the libvirt API.\n-->\n\n{body}"
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn rnd() -> [u8; 16] {
        [7; 16]
    }

    fn parse(s: &str) -> Result<PoolDef, Error> {
        PoolDef::parse(s, &mut rnd)
    }

    #[test]
    fn dir_pool_formats_like_libvirt() {
        let d = parse(
            "<pool type='dir'><name>rp</name><uuid>cf68365a-c791-4b72-8c27-5514d71d7b25</uuid>\
             <target><path>/tmp/refpool/</path></target></pool>",
        )
        .unwrap();
        let perms = Perms {
            mode: Some(0o755),
            owner: Some(0),
            group: Some(0),
            label: None,
        };
        let out = d.format(
            PoolNumbers {
                capacity: 3,
                allocation: 2,
                available: 1,
            },
            Some(&perms),
        );
        assert_eq!(
            out,
            "<pool type='dir'>\n  <name>rp</name>\n  <uuid>cf68365a-c791-4b72-8c27-5514d71d7b25</uuid>\n  \
             <capacity unit='bytes'>3</capacity>\n  <allocation unit='bytes'>2</allocation>\n  \
             <available unit='bytes'>1</available>\n  <source>\n  </source>\n  <target>\n    \
             <path>/tmp/refpool</path>\n    <permissions>\n      <mode>0755</mode>\n      \
             <owner>0</owner>\n      <group>0</group>\n    </permissions>\n  </target>\n</pool>\n"
        );
    }

    #[test]
    fn logical_pool_defaults_vg_and_target() {
        let d = parse("<pool type='logical'><name>vg0</name><source><device path='/dev/loop1'/></source></pool>")
            .unwrap();
        assert_eq!(d.source.name.as_deref(), Some("vg0"));
        assert_eq!(d.target_path.as_deref(), Some("/dev/vg0"));
        assert_eq!(d.source.format.as_deref(), Some("lvm2"));
        let out = d.format(PoolNumbers::default(), None);
        assert!(out.contains(
            "  <source>\n    <device path='/dev/loop1'/>\n    <name>vg0</name>\n    <format type='lvm2'/>\n  </source>\n"
        ));
    }

    #[test]
    fn netfs_pool_keeps_host_dir_protocol_and_mount_options() {
        let d = parse(
            "<pool type='netfs' xmlns:fs='http://libvirt.org/schemas/storagepool/fs/1.0'><name>n</name>\
             <source><host name='srv'/><dir path='/exp//'/><format type='nfs'/><protocol ver='4'/></source>\
             <target><path>/mnt/n</path></target>\
             <fs:mount_opts><fs:option name='sync'/></fs:mount_opts></pool>",
        )
        .unwrap();
        assert_eq!(d.source.dir.as_deref(), Some("/exp"));
        assert_eq!(d.mount_opts, vec!["sync".to_owned()]);
        let again = parse(&d.format(PoolNumbers::default(), None)).unwrap();
        assert_eq!(again, d);
    }

    #[test]
    fn bad_pools_get_libvirt_messages() {
        let cases = [
            ("<pool type='dirx'><name>x</name></pool>", "XML error: Invalid value for attribute 'type' in element 'pool': 'dirx'."),
            ("<pool><name>x</name></pool>", "XML error: Missing required attribute 'type' in element 'pool'"),
            ("<pool type='dir'><name>x/y</name><target><path>/t</path></target></pool>", "XML error: name x/y cannot contain '/'"),
            ("<pool type='dir'><target><path>/t</path></target></pool>", "XML error: missing pool source name element"),
            ("<pool type='dir'><name>a</name></pool>", "XML error: missing storage pool target path"),
            ("<pool type='fs'><name>a</name><target><path>/t</path></target></pool>", "XML error: missing storage pool source device name"),
            ("<pool type='netfs'><name>a</name><source><dir path='/x'/></source><target><path>/t</path></target></pool>", "XML error: missing storage pool source host name"),
            ("<pool type='fs'><name>a</name><source><device path='/d'/><format type='zzz'/></source><target><path>/t</path></target></pool>", "unsupported configuration: unknown pool format type zzz"),
            ("<foo/>", "XML error: expecting root element of 'pool', not 'foo'"),
        ];
        for (xml, msg) in cases {
            assert_eq!(parse(xml).unwrap_err().message, msg, "{xml}");
        }
        let e = parse("<pool type='dir'><name>x</name>").unwrap_err();
        assert_eq!(e.code, ErrorCode::XML_DETAIL);
        assert!(e.message.starts_with("(storage_pool_definition):"));
    }

    #[test]
    fn state_and_config_files_round_trip() {
        let d = parse("<pool type='dir'><name>rp</name><target><path>/p</path></target></pool>")
            .unwrap();
        let cfg = d.format_config();
        assert!(cfg.starts_with("<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE."));
        assert!(cfg.contains("  virsh pool-edit rp\n"));
        assert_eq!(parse(&cfg).unwrap(), d);
        let st = d.format_state(PoolNumbers::default(), None);
        assert!(st.contains("<poolstate>\n  <pool type='dir'>\n    <name>rp</name>\n"));
        assert_eq!(PoolDef::parse_state(&st, &mut rnd).unwrap(), d);
    }
}
