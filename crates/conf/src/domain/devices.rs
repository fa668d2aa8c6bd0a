//! Devices: typed where a driver acts on them, trees otherwise.
//!
//! Each typed device keeps the attributes and children it does not model in
//! `rest`, an element of its own name; formatting merges the typed fields
//! back into that element and writes it in libvirt's order.

use super::{
    format_flags, invalid_attr, missing_attr, order, unsupported, xml_error, DomainDef, Os,
    RandomSource,
};
use crate::xml::{self, Order, XmlElement, XmlNode, XmlWriter};
use oxvirt_core::Error;

/// Device element names libvirt knows, in the order it writes them.
const KINDS: &[&str] = &[
    "disk",
    "controller",
    "lease",
    "filesystem",
    "interface",
    "smartcard",
    "serial",
    "parallel",
    "console",
    "channel",
    "input",
    "tpm",
    "graphics",
    "sound",
    "audio",
    "video",
    "hostdev",
    "redirdev",
    "redirfilter",
    "hub",
    "watchdog",
    "memballoon",
    "rng",
    "nvram",
    "panic",
    "shmem",
    "memory",
    "iommu",
    "vsock",
    "crypto",
];

/// True for the element names `<devices>` may hold.
pub(crate) fn is_known_kind(name: &str) -> bool {
    KINDS.contains(&name)
}

/// A device address (`<address type='pci' .../>`), kept as an element with
/// PCI numbers normalised to libvirt's widths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address(pub XmlElement);

impl Address {
    fn parse(mut el: XmlElement) -> Result<Address, Error> {
        if el.attr("type") == Some("pci") {
            for (attr, width) in [("domain", 4), ("bus", 2), ("slot", 2), ("function", 1)] {
                let v = el.attr(attr).unwrap_or("0").to_owned();
                let n = parse_int(&v).ok_or_else(|| {
                    xml_error(format!("Cannot parse <address> '{attr}' attribute"))
                })?;
                el.set_attr(attr, format!("0x{n:0width$x}"));
            }
        }
        Ok(Address(el))
    }

    /// The `type` attribute.
    pub fn kind(&self) -> Option<&str> {
        self.0.attr("type")
    }

    /// A PCI address on domain 0.
    pub fn pci(bus: u32, slot: u32, function: u32, multifunction: bool) -> Address {
        let mut el = XmlElement::new("address")
            .with_attr("type", "pci")
            .with_attr("domain", "0x0000")
            .with_attr("bus", format!("0x{bus:02x}"))
            .with_attr("slot", format!("0x{slot:02x}"))
            .with_attr("function", format!("0x{function:x}"));
        if multifunction {
            el.set_attr("multifunction", "on");
        }
        Address(el)
    }

    /// `(bus, slot, function)` of a PCI address.
    pub fn pci_parts(&self) -> Option<(u32, u32, u32)> {
        if self.kind() != Some("pci") {
            return None;
        }
        let n = |k: &str| {
            self.0
                .attr(k)
                .and_then(parse_int)
                .and_then(|v| u32::try_from(v).ok())
                .unwrap_or(0)
        };
        Some((n("bus"), n("slot"), n("function")))
    }

    /// Attribute `k` as a number (decimal or `0x` hex).
    pub fn num(&self, k: &str) -> Option<u64> {
        self.0.attr(k).and_then(parse_int)
    }
}

fn parse_int(s: &str) -> Option<u64> {
    let s = s.trim();
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Data every device may carry: boot order, alias, address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceInfo {
    pub boot_order: Option<u32>,
    pub alias: Option<String>,
    pub address: Option<Address>,
}

impl DeviceInfo {
    fn take(el: &mut XmlElement) -> Result<DeviceInfo, Error> {
        let boot_order = match el.take_child("boot") {
            Some(b) => Some(
                b.attr("order")
                    .and_then(|o| o.parse::<u32>().ok())
                    .filter(|o| *o > 0)
                    .ok_or_else(|| xml_error("incorrect boot order"))?,
            ),
            None => None,
        };
        let alias = el
            .take_child("alias")
            .and_then(|a| a.attr("name").map(str::to_owned));
        let address = el.take_child("address").map(Address::parse).transpose()?;
        Ok(DeviceInfo {
            boot_order,
            alias,
            address,
        })
    }

    fn put(&self, el: &mut XmlElement, flags: u32) {
        if let Some(o) = self.boot_order {
            el.children.push(XmlNode::Element(
                XmlElement::new("boot").with_attr("order", o.to_string()),
            ));
        }
        if let Some(a) = &self.alias {
            // Only user aliases survive in the persistent form.
            if flags & format_flags::INACTIVE == 0 || a.starts_with("ua-") {
                el.children.push(XmlNode::Element(
                    XmlElement::new("alias").with_attr("name", a.clone()),
                ));
            }
        }
        if let Some(a) = &self.address {
            el.children.push(XmlNode::Element(a.0.clone()));
        }
    }
}

/// `<disk>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disk {
    /// `file`, `block`, `dir`, `network`, `volume`, ...
    pub disk_type: String,
    /// `disk`, `cdrom`, `floppy`, `lun`.
    pub device: String,
    /// The source path (file, dev or dir attribute), when local.
    pub source_path: Option<String>,
    /// `<target dev>`.
    pub target_dev: String,
    /// `<target bus>`, derived from the device name when absent.
    pub target_bus: String,
    pub readonly: bool,
    pub info: DeviceInfo,
    pub rest: XmlElement,
}

impl Disk {
    fn parse(mut el: XmlElement) -> Result<Disk, Error> {
        let disk_type = el.take_attr("type").unwrap_or_else(|| "file".into());
        if !matches!(
            disk_type.as_str(),
            "file" | "block" | "dir" | "network" | "volume" | "nvme" | "vhostuser"
        ) {
            return Err(invalid_attr("type", "disk", &disk_type));
        }
        let device = el.take_attr("device").unwrap_or_else(|| "disk".into());
        if !matches!(device.as_str(), "disk" | "cdrom" | "floppy" | "lun") {
            return Err(invalid_attr("device", "disk", &device));
        }
        if let Some(drv) = el.child("driver") {
            validate_disk_driver(drv)?;
        }
        let info = DeviceInfo::take(&mut el)?;
        let source_path = el.child("source").and_then(|s| {
            s.attr("file")
                .or_else(|| s.attr("dev"))
                .or_else(|| s.attr("dir"))
                .map(str::to_owned)
        });
        let no_target = || {
            let src = source_path.clone().unwrap_or_default();
            let mut e = Error::new(
                super::DOM,
                oxvirt_core::ErrorCode(20),
                format!("device {src}"),
            );
            e.message = format!("missing target information for device {src}");
            e.str1 = Some("missing target information for %s".into());
            e
        };
        let Some(target) = el.child_mut("target") else {
            return Err(no_target());
        };
        let Some(dev) = target.take_attr("dev") else {
            return Err(no_target());
        };
        let bus = match target.take_attr("bus") {
            Some(b) => b,
            None => default_bus(&dev, &device).to_owned(),
        };
        let readonly = el.take_child("readonly").is_some();
        Ok(Disk {
            disk_type,
            device,
            source_path,
            target_dev: dev,
            target_bus: bus,
            readonly,
            info,
            rest: el,
        })
    }

    fn to_element(&self, flags: u32) -> XmlElement {
        let mut el = self.rest.clone();
        el.attrs.insert(0, ("device".into(), self.device.clone()));
        el.attrs.insert(0, ("type".into(), self.disk_type.clone()));
        if let Some(t) = el.child_mut("target") {
            t.attrs.insert(0, ("bus".into(), self.target_bus.clone()));
            t.attrs.insert(0, ("dev".into(), self.target_dev.clone()));
        }
        if self.readonly {
            el.children
                .push(XmlNode::Element(XmlElement::new("readonly")));
        }
        self.info.put(&mut el, flags);
        el
    }
}

/// The values libvirt accepts in a disk's `<driver>`.
fn validate_disk_driver(drv: &XmlElement) -> Result<(), Error> {
    const ENUMS: &[(&str, &[&str])] = &[
        (
            "cache",
            &[
                "default",
                "none",
                "writethrough",
                "writeback",
                "directsync",
                "unsafe",
            ],
        ),
        ("discard", &["default", "unmap", "ignore"]),
        ("io", &["default", "native", "threads", "io_uring"]),
        ("detect_zeroes", &["default", "off", "on", "unmap"]),
        (
            "error_policy",
            &["default", "stop", "report", "ignore", "enospace"],
        ),
        ("rerror_policy", &["default", "stop", "report", "ignore"]),
        ("copy_on_read", &["default", "on", "off"]),
    ];
    for (attr, allowed) in ENUMS {
        if let Some(v) = drv.attr(attr) {
            if !allowed.contains(&v) {
                return Err(invalid_attr(attr, "driver", v));
            }
        }
    }
    if let Some(t) = drv.attr("type") {
        const FORMATS: &[&str] = &[
            "none", "raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat", "vhd",
            "ploop", "cow", "qcow", "qcow2", "qed", "vmdk", "vhdx", "luks", "luks2", "aio",
        ];
        if !FORMATS.contains(&t) {
            return Err(super::internal(format!(
                "unknown driver format value '{t}'"
            )));
        }
    }
    Ok(())
}

fn default_bus(dev: &str, device: &str) -> &'static str {
    if device == "floppy" || dev.starts_with("fd") {
        "fdc"
    } else if dev.starts_with("hd") {
        "ide"
    } else if dev.starts_with("sd") {
        "scsi"
    } else if dev.starts_with("vd") {
        "virtio"
    } else if dev.starts_with("xvd") {
        "xen"
    } else if dev.starts_with("ubd") {
        "uml"
    } else {
        "ide"
    }
}

/// The index libvirt derives from a disk name: `sda` → 0, `hdc` → 2, `sdaa` → 26.
pub fn disk_name_to_index(name: &str) -> Option<u32> {
    let letters = ["fd", "hd", "vd", "sd", "xvd", "ubd"]
        .iter()
        .find_map(|p| name.strip_prefix(p))?;
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut idx: u32 = 0;
    for (i, b) in letters.bytes().enumerate() {
        let v = u32::from(b - b'a');
        idx = if i == 0 {
            v
        } else {
            idx.checked_add(1)?.checked_mul(26)?.checked_add(v)?
        };
    }
    Some(idx)
}

/// `<controller>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Controller {
    /// `pci`, `usb`, `sata`, `scsi`, `ide`, `virtio-serial`, ...
    pub ctype: String,
    /// Assigned after parsing when absent.
    pub index: Option<u32>,
    pub model: Option<String>,
    pub info: DeviceInfo,
    pub rest: XmlElement,
}

impl Controller {
    fn parse(mut el: XmlElement) -> Result<Controller, Error> {
        let ctype = el.take_attr("type").unwrap_or_else(|| "ide".into());
        let index = match el.take_attr("index") {
            Some(i) => Some(
                i.parse::<u32>()
                    .map_err(|_| xml_error(format!("Cannot parse controller index {i}")))?,
            ),
            None => None,
        };
        let model = el.take_attr("model");
        let info = DeviceInfo::take(&mut el)?;
        Ok(Controller {
            ctype,
            index,
            model,
            info,
            rest: el,
        })
    }

    fn to_element(&self, flags: u32) -> XmlElement {
        let mut el = self.rest.clone();
        el.set_attr("type", self.ctype.clone());
        if let Some(i) = self.index {
            el.set_attr("index", i.to_string());
        }
        if let Some(m) = &self.model {
            el.set_attr("model", m.clone());
        }
        self.info.put(&mut el, flags);
        el
    }
}

/// `<interface>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interface {
    /// `network`, `bridge`, `direct`, `user`, `ethernet`, ...
    pub itype: String,
    pub mac: String,
    /// `<source network>` for network interfaces.
    pub network: Option<String>,
    /// `<target dev>`: the host-side device name.
    pub ifname: Option<String>,
    /// `<model type>`.
    pub model: Option<String>,
    pub info: DeviceInfo,
    pub rest: XmlElement,
}

impl Interface {
    fn parse(
        mut el: XmlElement,
        inactive: bool,
        random: RandomSource<'_>,
    ) -> Result<Interface, Error> {
        let itype = el.take_attr("type").unwrap_or_else(|| "user".into());
        if !matches!(
            itype.as_str(),
            "user"
                | "ethernet"
                | "vhostuser"
                | "server"
                | "client"
                | "mcast"
                | "network"
                | "bridge"
                | "internal"
                | "direct"
                | "hostdev"
                | "udp"
                | "vdpa"
                | "null"
                | "vds"
                | "vdpa-net"
        ) {
            return Err(invalid_attr("type", "interface", &itype));
        }
        let info = DeviceInfo::take(&mut el)?;
        let mac = match el.take_child("mac") {
            Some(m) => {
                let a = m.attr("address").unwrap_or("");
                parse_mac(a)
                    .ok_or_else(|| xml_error(format!("unable to parse mac address '{a}'")))?
            }
            None => {
                let r = random();
                format!("52:54:00:{:02x}:{:02x}:{:02x}", r[0], r[1], r[2])
            }
        };
        if itype == "network" && el.child("source").is_none() {
            return Err(xml_error(
                "interface type='network' requires a 'source' element",
            ));
        }
        let mut network = None;
        if let Some(src) = el.child_mut("source") {
            if itype == "network" {
                src.take_attr("bridge");
                network = src.attr("network").map(str::to_owned);
            }
            if src.attrs.is_empty() && !src.has_elements() {
                el.take_child("source");
            }
        }
        if itype == "network" && network.is_none() {
            return Err(xml_error(
                "No <source> 'network' attribute specified with <interface type='network'/>",
            ));
        }
        if let Some(vp) = el.child_mut("virtualport") {
            if vp.attr("type") == Some("openvswitch")
                && vp
                    .child("parameters")
                    .and_then(|p| p.attr("interfaceid"))
                    .is_none()
            {
                let id = oxvirt_core::Uuid::from_random_bytes(random()).to_string();
                match vp.child_mut("parameters") {
                    Some(p) => p.set_attr("interfaceid", id),
                    None => vp.children.push(XmlNode::Element(
                        XmlElement::new("parameters").with_attr("interfaceid", id),
                    )),
                }
            }
        }
        let ifname = el
            .take_child("target")
            .and_then(|t| t.attr("dev").map(str::to_owned))
            .filter(|dev| !(inactive && is_generated_ifname(dev)));
        let model = el
            .take_child("model")
            .and_then(|m| m.attr("type").map(str::to_owned));
        Ok(Interface {
            itype,
            mac,
            network,
            ifname,
            model,
            info,
            rest: el,
        })
    }

    fn to_element(&self, flags: u32) -> XmlElement {
        let mut el = self.rest.clone();
        el.attrs.insert(0, ("type".into(), self.itype.clone()));
        el.children.push(XmlNode::Element(
            XmlElement::new("mac").with_attr("address", self.mac.clone()),
        ));
        if let Some(dev) = &self.ifname {
            if flags & format_flags::INACTIVE == 0 || !is_generated_ifname(dev) {
                el.children.push(XmlNode::Element(
                    XmlElement::new("target").with_attr("dev", dev.clone()),
                ));
            }
        }
        if let Some(m) = &self.model {
            el.children.push(XmlNode::Element(
                XmlElement::new("model").with_attr("type", m.clone()),
            ));
        }
        self.info.put(&mut el, flags);
        el
    }
}

/// Host interface names libvirt generates itself and forgets when a domain
/// stops.
fn is_generated_ifname(dev: &str) -> bool {
    ["vnet", "vif", "macvtap", "macvlan"]
        .iter()
        .any(|p| dev.starts_with(p))
}

fn parse_mac(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split(':').collect();
    if parts.len() != 6 {
        return None;
    }
    let mut out = String::with_capacity(17);
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 2 {
            return None;
        }
        let b = u8::from_str_radix(p, 16).ok()?;
        if i > 0 {
            out.push(':');
        }
        out.push_str(&format!("{b:02x}"));
    }
    Some(out)
}

/// Which character device element a [`Chardev`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChardevKind {
    Serial,
    Parallel,
    Console,
    Channel,
}

impl ChardevKind {
    fn name(self) -> &'static str {
        match self {
            ChardevKind::Serial => "serial",
            ChardevKind::Parallel => "parallel",
            ChardevKind::Console => "console",
            ChardevKind::Channel => "channel",
        }
    }
}

/// `<serial>`, `<parallel>`, `<console>` or `<channel>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chardev {
    pub kind: ChardevKind,
    /// `pty`, `unix`, `file`, `tcp`, `spicevmc`, ...
    pub ctype: String,
    /// `<target type>`.
    pub target_type: Option<String>,
    /// `<target port>`.
    pub target_port: Option<u32>,
    pub info: DeviceInfo,
    pub rest: XmlElement,
}

impl Chardev {
    fn parse(kind: ChardevKind, mut el: XmlElement) -> Result<Chardev, Error> {
        let ctype = el.take_attr("type").unwrap_or_else(|| "pty".into());
        el.take_attr("tty");
        let info = DeviceInfo::take(&mut el)?;
        // Paths of ptys are runtime data; a unix socket without a path is
        // given one by the driver at start.
        if matches!(ctype.as_str(), "pty" | "unix") {
            let drop = el.child("source").is_some_and(|s| s.attr("path").is_none());
            if drop || ctype == "pty" {
                el.take_children("source");
            }
        }
        let (target_type, target_port) = match el.child_mut("target") {
            Some(t) => {
                let ty = t.take_attr("type");
                let port = match t.take_attr("port") {
                    Some(p) => Some(
                        p.parse::<u32>()
                            .map_err(|_| xml_error(format!("Invalid port number: {p}")))?,
                    ),
                    None => None,
                };
                if t.attrs.is_empty() && !t.has_elements() {
                    el.take_child("target");
                }
                (ty, port)
            }
            None => (None, None),
        };
        Ok(Chardev {
            kind,
            ctype,
            target_type,
            target_port,
            info,
            rest: el,
        })
    }

    fn to_element(&self, flags: u32) -> XmlElement {
        let mut el = self.rest.clone();
        el.name = self.kind.name().into();
        el.attrs.insert(0, ("type".into(), self.ctype.clone()));
        if self.target_type.is_some() || self.target_port.is_some() {
            let t = match el.child_mut("target") {
                Some(t) => t,
                None => {
                    el.children
                        .push(XmlNode::Element(XmlElement::new("target")));
                    match el.children.last_mut() {
                        Some(XmlNode::Element(t)) => t,
                        _ => return el,
                    }
                }
            };
            if let Some(p) = self.target_port {
                t.attrs.insert(0, ("port".into(), p.to_string()));
            }
            if let Some(ty) = &self.target_type {
                t.attrs.insert(0, ("type".into(), ty.clone()));
            }
        }
        self.info.put(&mut el, flags);
        el
    }
}

/// `<input>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// `mouse`, `keyboard`, `tablet`, `passthrough`, `evdev`.
    pub itype: String,
    pub bus: Option<String>,
    pub info: DeviceInfo,
    pub rest: XmlElement,
}

impl Input {
    fn parse(mut el: XmlElement, os: &Os) -> Result<Input, Error> {
        let itype = el
            .take_attr("type")
            .ok_or_else(|| xml_error("missing input device type"))?;
        if !matches!(
            itype.as_str(),
            "mouse" | "tablet" | "keyboard" | "passthrough" | "evdev"
        ) {
            return Err(unsupported(format!("unknown input device type '{itype}'")));
        }
        let bus = el.take_attr("bus").or_else(|| {
            if itype == "tablet" {
                Some("usb".into())
            } else if os.os_type == "hvm" && matches!(itype.as_str(), "mouse" | "keyboard") {
                Some("ps2".into())
            } else if os.os_type == "xen" || os.os_type == "linux" {
                Some("xen".into())
            } else {
                None
            }
        });
        let info = DeviceInfo::take(&mut el)?;
        Ok(Input {
            itype,
            bus,
            info,
            rest: el,
        })
    }

    fn to_element(&self, flags: u32) -> XmlElement {
        let mut el = self.rest.clone();
        el.set_attr("type", self.itype.clone());
        if let Some(b) = &self.bus {
            el.set_attr("bus", b.clone());
        }
        self.info.put(&mut el, flags);
        el
    }
}

/// `<graphics>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graphics {
    /// `vnc`, `spice`, `sdl`, `rdp`, `desktop`, `egl-headless`, `dbus`.
    pub gtype: String,
    /// Fixed port; `None` with `autoport` or when unset.
    pub port: Option<i32>,
    pub autoport: bool,
    /// Secret: written only with [`format_flags::SECURE`].
    pub passwd: Option<String>,
    pub rest: XmlElement,
}

impl Graphics {
    fn parse(mut el: XmlElement) -> Result<Graphics, Error> {
        let gtype = el
            .take_attr("type")
            .ok_or_else(|| missing_attr("type", "graphics"))?;
        if !matches!(
            gtype.as_str(),
            "sdl" | "vnc" | "rdp" | "desktop" | "spice" | "egl-headless" | "dbus"
        ) {
            return Err(invalid_attr("type", "graphics", &gtype));
        }
        let passwd = el.take_attr("passwd");
        let mut port = el
            .take_attr("port")
            .map(|p| {
                p.parse::<i32>()
                    .map_err(|_| xml_error(format!("cannot parse {gtype} port {p}")))
            })
            .transpose()?;
        let mut autoport = el.take_attr("autoport").as_deref() == Some("yes");
        let networked = matches!(gtype.as_str(), "vnc" | "spice" | "rdp");
        if networked {
            if port == Some(-1) || (port.is_none() && gtype == "vnc") {
                autoport = true;
            }
            if gtype == "spice" && el.attr("tlsPort") == Some("-1") {
                autoport = true;
            }
            if autoport {
                port = None;
                if gtype == "spice" {
                    el.take_attr("tlsPort");
                }
            }
            if el.child("listen").is_none() {
                let l = match el.attr("socket") {
                    Some(sock) => XmlElement::new("listen")
                        .with_attr("type", "socket")
                        .with_attr("socket", sock),
                    None => {
                        let mut l = XmlElement::new("listen").with_attr("type", "address");
                        if let Some(a) = el.attr("listen") {
                            l.set_attr("address", a);
                        }
                        l
                    }
                };
                el.children.insert(0, XmlNode::Element(l));
            }
        }
        // The `listen` attribute is rewritten from the first listen element.
        el.take_attr("listen");
        el.take_attr("socket");
        Ok(Graphics {
            gtype,
            port,
            autoport,
            passwd,
            rest: el,
        })
    }

    /// The type of the first `<listen>`, if any.
    fn first_listen(&self) -> Option<&XmlElement> {
        self.rest.child("listen")
    }

    fn to_element(&self, flags: u32) -> XmlElement {
        let mut el = self.rest.clone();
        let mut head = vec![("type".to_owned(), self.gtype.clone())];
        let listen = self.first_listen();
        let ltype = listen.and_then(|l| l.attr("type")).unwrap_or("address");
        match (self.gtype.as_str(), ltype) {
            ("vnc", "socket") => {
                if let Some(s) = listen.and_then(|l| l.attr("socket")) {
                    head.push(("socket".into(), s.to_owned()));
                }
            }
            ("vnc", "address" | "network") => {
                head.push(("port".into(), self.port.unwrap_or(-1).to_string()));
                head.push(("autoport".into(), yes_no(self.autoport).into()));
            }
            ("spice" | "rdp", "address" | "network") => {
                if let Some(p) = self.port.filter(|p| *p > 0) {
                    head.push(("port".into(), p.to_string()));
                }
                if let Some(t) = el.take_attr("tlsPort") {
                    head.push(("tlsPort".into(), t));
                }
                head.push(("autoport".into(), yes_no(self.autoport).into()));
            }
            _ => {}
        }
        if ltype == "address" {
            if let Some(a) = listen.and_then(|l| l.attr("address")) {
                head.push(("listen".into(), a.to_owned()));
            }
        }
        head.append(&mut el.attrs);
        el.attrs = head;
        if flags & format_flags::SECURE != 0 {
            if let Some(p) = &self.passwd {
                el.set_attr("passwd", p.clone());
            }
        }
        el
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// `<video>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    /// `<model type>`; `default` until a driver picks one.
    pub model: String,
    /// KiB; defaulted from the model when absent.
    pub vram: Option<u64>,
    pub heads: Option<u32>,
    pub primary: bool,
    pub info: DeviceInfo,
    pub rest: XmlElement,
}

impl Video {
    fn parse(mut el: XmlElement) -> Result<Video, Error> {
        let info = DeviceInfo::take(&mut el)?;
        if el.child("model").is_none() {
            el.children.push(XmlNode::Element(XmlElement::new("model")));
        }
        let mut model = "default".to_owned();
        let mut vram = None;
        let mut heads = None;
        let mut primary = false;
        if let Some(m) = el.child_mut("model") {
            if let Some(t) = m.take_attr("type") {
                model = t;
            }
            if let Some(v) = m.take_attr("vram") {
                vram = Some(
                    super::units::parse_u64(&v)
                        .ok_or_else(|| xml_error(format!("cannot parse video vram '{v}'")))?,
                );
            }
            if let Some(h) = m.take_attr("heads") {
                heads = Some(
                    h.parse::<u32>()
                        .map_err(|_| xml_error(format!("cannot parse video heads '{h}'")))?,
                );
            }
            primary = m.take_attr("primary").as_deref() == Some("yes");
        }
        Ok(Video {
            model,
            vram,
            heads,
            primary,
            info,
            rest: el,
        })
    }

    /// Sets the model when it is still `default`, and the video RAM libvirt
    /// gives that model on `virt_type`.
    pub fn apply_default_model(&mut self, model: &str, virt_type: &str) {
        if self.model == "default" {
            self.model = model.to_owned();
        }
        if self.vram.is_none() {
            let kib = match self.model.as_str() {
                "vga" | "cirrus" | "vmvga" => match virt_type {
                    "vbox" => 8 * 1024,
                    "vmware" => 4 * 1024,
                    _ => 16 * 1024,
                },
                "bochs" => 16 * 1024,
                "xen" => 4 * 1024,
                "qxl" => 64 * 1024,
                _ => 0,
            };
            if kib > 0 {
                self.vram = Some(kib);
            }
        }
    }

    fn to_element(&self, flags: u32) -> XmlElement {
        let mut el = self.rest.clone();
        if let Some(m) = el.child_mut("model") {
            m.attrs.insert(0, ("type".into(), self.model.clone()));
            if let Some(v) = self.vram {
                m.set_attr("vram", v.to_string());
            }
            if let Some(h) = self.heads {
                m.set_attr("heads", h.to_string());
            }
            if self.primary {
                m.set_attr("primary", "yes");
            }
        }
        self.info.put(&mut el, flags);
        el
    }
}

/// `<memballoon>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memballoon {
    /// `virtio`, `xen`, `none`, ...
    pub model: String,
    pub info: DeviceInfo,
    pub rest: XmlElement,
}

impl Memballoon {
    fn parse(mut el: XmlElement) -> Result<Memballoon, Error> {
        let model = el
            .take_attr("model")
            .ok_or_else(|| missing_attr("model", "memballoon"))?;
        let info = DeviceInfo::take(&mut el)?;
        Ok(Memballoon {
            model,
            info,
            rest: el,
        })
    }

    fn to_element(&self, flags: u32) -> XmlElement {
        let mut el = self.rest.clone();
        el.attrs.insert(0, ("model".into(), self.model.clone()));
        self.info.put(&mut el, flags);
        el
    }
}

/// One device of `<devices>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Device {
    Disk(Disk),
    Controller(Controller),
    Interface(Interface),
    Chardev(Chardev),
    Input(Input),
    Graphics(Graphics),
    Video(Video),
    Memballoon(Memballoon),
    /// A device kind oxvirt keeps as a tree (sound, rng, hostdev, ...).
    Other(XmlElement),
}

impl Device {
    /// Parses one child of `<devices>`; `None` for elements libvirt ignores.
    pub(crate) fn from_element(
        mut el: XmlElement,
        os: &Os,
        inactive: bool,
        random: RandomSource<'_>,
    ) -> Result<Option<Device>, Error> {
        el.strip_blank_text();
        Ok(Some(match el.name.as_str() {
            "disk" => Device::Disk(Disk::parse(el)?),
            "controller" => Device::Controller(Controller::parse(el)?),
            "interface" => Device::Interface(Interface::parse(el, inactive, random)?),
            "serial" => Device::Chardev(Chardev::parse(ChardevKind::Serial, el)?),
            "parallel" => Device::Chardev(Chardev::parse(ChardevKind::Parallel, el)?),
            "console" => Device::Chardev(Chardev::parse(ChardevKind::Console, el)?),
            "channel" => Device::Chardev(Chardev::parse(ChardevKind::Channel, el)?),
            "input" => Device::Input(Input::parse(el, os)?),
            "graphics" => Device::Graphics(Graphics::parse(el)?),
            "video" => Device::Video(Video::parse(el)?),
            "memballoon" => Device::Memballoon(Memballoon::parse(el)?),
            "hostdev" => Device::Other(normalise_hostdev(el)?),
            "filesystem" => {
                if el.attr("type").unwrap_or("mount") == "mount" && el.attr("accessmode").is_none()
                {
                    insert_attr_after(&mut el, "type", "accessmode", "passthrough");
                }
                Device::Other(el)
            }
            "watchdog" => {
                if el.attr("action").is_none() {
                    el.set_attr("action", "reset");
                }
                Device::Other(el)
            }
            n if KINDS.contains(&n) => Device::Other(el),
            _ => return Ok(None),
        }))
    }

    /// The element name of this device.
    pub fn kind_name(&self) -> &str {
        match self {
            Device::Disk(_) => "disk",
            Device::Controller(_) => "controller",
            Device::Interface(_) => "interface",
            Device::Chardev(c) => c.kind.name(),
            Device::Input(_) => "input",
            Device::Graphics(_) => "graphics",
            Device::Video(_) => "video",
            Device::Memballoon(_) => "memballoon",
            Device::Other(e) => &e.name,
        }
    }

    /// The per-device boot order, if any.
    pub fn boot_order(&self) -> Option<u32> {
        match self {
            Device::Disk(d) => d.info.boot_order,
            Device::Interface(i) => i.info.boot_order,
            Device::Other(e) => e
                .child("boot")
                .and_then(|b| b.attr("order"))
                .and_then(|o| o.parse().ok()),
            _ => None,
        }
    }

    fn write(&self, w: &mut XmlWriter, flags: u32) {
        let (el, ord): (XmlElement, fn(&str) -> Option<Order>) = match self {
            Device::Disk(d) => (d.to_element(flags), order::disk),
            Device::Controller(c) => (c.to_element(flags), order::controller),
            Device::Interface(i) => (i.to_element(flags), order::interface),
            Device::Chardev(c) => (c.to_element(flags), order::chardev),
            Device::Input(i) => (i.to_element(flags), order::input),
            Device::Graphics(g) => (g.to_element(flags), order::graphics),
            Device::Video(v) => (v.to_element(flags), order::video),
            Device::Memballoon(m) => (m.to_element(flags), order::memballoon),
            Device::Other(e) => {
                xml::write_canonical(w, e, &order::generic);
                return;
            }
        };
        xml::write_canonical(w, &el, &ord);
    }
}

/// Adds attribute `k` right after attribute `after` (or first).
fn insert_attr_after(el: &mut XmlElement, after: &str, k: &str, v: &str) {
    let pos = el
        .attrs
        .iter()
        .position(|(n, _)| n == after)
        .map(|i| i + 1)
        .unwrap_or(0);
    el.attrs.insert(pos, (k.to_owned(), v.to_owned()));
}

/// Normalises the PCI address of a PCI host device's `<source>`.
fn normalise_hostdev(mut el: XmlElement) -> Result<XmlElement, Error> {
    if el.attr("type") == Some("pci") {
        if let Some(src) = el.child_mut("source") {
            if let Some(pos) = src
                .children
                .iter()
                .position(|c| matches!(c, XmlNode::Element(e) if e.name == "address"))
            {
                if let XmlNode::Element(a) = &mut src.children[pos] {
                    let mut addr = a.clone();
                    addr.set_attr("type", "pci");
                    let norm = Address::parse(addr)?.0;
                    let mut out = XmlElement::new("address");
                    for (k, v) in norm.attrs {
                        if k != "type" {
                            out.attrs.push((k, v));
                        }
                    }
                    *a = out;
                }
            }
        }
    }
    Ok(el)
}

/// Attribute `attr` of the first child `child` of `el`.
fn child_attr<'a>(el: &'a XmlElement, child: &str, attr: &str) -> Option<&'a str> {
    el.child(child).and_then(|c| c.attr(attr))
}

impl Disk {
    /// Attribute `attr` of `<driver>` (`name`, `type`, `cache`, `discard`, `io`, ...).
    pub fn driver_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "driver", attr)
    }

    /// Attribute `attr` of `<source>` (`file`, `dev`, `pool`, `volume`, ...).
    pub fn source_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "source", attr)
    }

    /// True when `<source>` is absent or names no file (an empty cdrom).
    pub fn is_empty_source(&self) -> bool {
        self.source_path.is_none()
            && self.source_attr("volume").is_none()
            && self.source_attr("name").is_none()
    }
}

impl Controller {
    /// An attribute of the element that is not modelled (`ports`, `vectors`).
    pub fn attr(&self, attr: &str) -> Option<&str> {
        self.rest.attr(attr)
    }

    /// Attribute `attr` of `<target>` (`chassis`, `port`, `busNr`).
    pub fn target_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "target", attr)
    }

    /// Attribute `attr` of `<driver>` (`queues`, `iothread`).
    pub fn driver_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "driver", attr)
    }
}

impl Interface {
    /// Attribute `attr` of `<source>` (`bridge`, `dev`, `mode`, ...).
    pub fn source_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "source", attr)
    }

    /// Attribute `attr` of `<driver>` (`name`, `queues`).
    pub fn driver_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "driver", attr)
    }
}

impl Chardev {
    /// Attribute `attr` of `<source>` (`path`, `mode`, `host`, `service`).
    pub fn source_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "source", attr)
    }

    /// Attribute `attr` of `<target>` other than type and port (`name`, `state`).
    pub fn target_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "target", attr)
    }

    /// Attribute `attr` of `<protocol>` (`type` = `raw` or `telnet`).
    pub fn protocol_attr(&self, attr: &str) -> Option<&str> {
        child_attr(&self.rest, "protocol", attr)
    }
}

impl Graphics {
    /// The first `<listen>` element.
    pub fn listen(&self) -> Option<&XmlElement> {
        self.first_listen()
    }

    /// An attribute of the element that is not modelled (`keymap`, `sharePolicy`).
    pub fn attr(&self, attr: &str) -> Option<&str> {
        self.rest.attr(attr)
    }
}

impl Memballoon {
    /// `<stats period>` in seconds.
    pub fn stats_period(&self) -> Option<u32> {
        child_attr(&self.rest, "stats", "period").and_then(|p| p.parse().ok())
    }

    /// An attribute of the element that is not modelled (`autodeflate`).
    pub fn attr(&self, attr: &str) -> Option<&str> {
        self.rest.attr(attr)
    }
}

/// Writes every device grouped by kind in libvirt's order.
pub(crate) fn write_all(w: &mut XmlWriter, def: &DomainDef, flags: u32) {
    let hvm = def.os.os_type == "hvm";
    let serials: Vec<&Chardev> = def
        .devices
        .iter()
        .filter_map(|d| match d {
            Device::Chardev(c) if c.kind == ChardevKind::Serial => Some(c),
            _ => None,
        })
        .collect();
    for kind in KINDS {
        let mut console_n = 0;
        for d in def.devices.iter().filter(|d| d.kind_name() == *kind) {
            if let Device::Chardev(c) = d {
                if c.kind == ChardevKind::Console {
                    let n = console_n;
                    console_n += 1;
                    // A serial console is shown as the serial port it is.
                    if hvm && c.target_type.as_deref() == Some("serial") {
                        if let Some(s) = serials.get(n) {
                            let mut copy = (*s).clone();
                            copy.kind = ChardevKind::Console;
                            copy.target_type = Some("serial".into());
                            copy.rest.take_children("target");
                            xml::write_canonical(w, &copy.to_element(flags), &order::chardev);
                            continue;
                        }
                    }
                }
            }
            if let Device::Other(e) = d {
                if e.name == "redirdev" && !e.has_elements() && e.text().trim().is_empty() {
                    // libvirt always opens redirdev as a container.
                    let mut head = XmlElement::new("redirdev");
                    head.attrs = e.attrs.clone();
                    xml::write_open(w, &head);
                    w.close("redirdev");
                    continue;
                }
            }
            d.write(w, flags);
        }
    }
}

/// Inserts a disk where libvirt's `virDomainDiskInsert` puts it: after the
/// disks on the same bus with a lower index, before those with a higher one.
pub(crate) fn insert_disk(devices: &mut Vec<Device>, disk: Disk) {
    let key = |d: &Disk| {
        disk_name_to_index(&d.target_dev)
            .map(i64::from)
            .unwrap_or(-1)
    };
    let new_idx = key(&disk);
    let disks: Vec<usize> = devices
        .iter()
        .enumerate()
        .filter_map(|(i, d)| matches!(d, Device::Disk(_)).then_some(i))
        .collect();
    let mut insert_at: Option<usize> = None;
    for (k, &pos) in disks.iter().enumerate().rev() {
        let Device::Disk(cur) = &devices[pos] else {
            continue;
        };
        if cur.target_bus == disk.target_bus {
            if key(cur) > new_idx {
                insert_at = Some(k);
            } else if insert_at.is_none() {
                insert_at = Some(k + 1);
            }
        }
    }
    place(devices, &disks, insert_at, Device::Disk(disk));
}

/// Inserts a controller where `virDomainControllerInsert` puts it: grouped
/// by type, ordered by index, unindexed ones after the last of their type.
pub(crate) fn insert_controller(devices: &mut Vec<Device>, ctrl: Controller) {
    let ctrls: Vec<usize> = devices
        .iter()
        .enumerate()
        .filter_map(|(i, d)| matches!(d, Device::Controller(_)).then_some(i))
        .collect();
    let new_idx = ctrl.index.map(i64::from).unwrap_or(-1);
    let mut insert_at: Option<usize> = None;
    for (k, &pos) in ctrls.iter().enumerate().rev() {
        let Device::Controller(cur) = &devices[pos] else {
            continue;
        };
        if cur.ctype != ctrl.ctype {
            continue;
        }
        if new_idx < 0 {
            insert_at = Some(k + 1);
            break;
        }
        if cur.index.map(i64::from).unwrap_or(-1) > new_idx {
            insert_at = Some(k);
        } else if insert_at.is_none() {
            insert_at = Some(k + 1);
        }
    }
    place(devices, &ctrls, insert_at, Device::Controller(ctrl));
}

/// Puts `dev` before the `k`-th device of `same_kind` (positions in
/// `devices`), or after the last of them.
fn place(devices: &mut Vec<Device>, same_kind: &[usize], k: Option<usize>, dev: Device) {
    match k.and_then(|k| same_kind.get(k)) {
        Some(&pos) => devices.insert(pos, dev),
        None => match same_kind.last() {
            Some(&last) => devices.insert(last + 1, dev),
            None => devices.push(dev),
        },
    }
}

/// Devices libvirt adds on its own: drive addresses and the controllers they
/// need, the serial port behind a serial console, virtio-serial for channels,
/// controller indexes, a video card for graphics, chardev ports.
pub(crate) fn add_implicit(def: &mut DomainDef) -> Result<(), Error> {
    assign_drive_addresses(def);
    assign_chardev_ports(def, &[ChardevKind::Serial, ChardevKind::Parallel]);
    add_console_compat(def);
    assign_chardev_ports(def, &[ChardevKind::Console]);
    let needs_virtio_serial = def.devices.iter().any(|d| {
        matches!(d, Device::Chardev(c) if matches!(c.kind, ChardevKind::Channel | ChardevKind::Console)
            && c.target_type.as_deref() == Some("virtio"))
    });
    if needs_virtio_serial {
        ensure_controller(def, "virtio-serial", 0);
    }
    assign_ccid_addresses(def);
    assign_controller_indexes(def);
    let has_graphics = def.devices.iter().any(|d| matches!(d, Device::Graphics(_)));
    let nvideo = def
        .devices
        .iter()
        .filter(|d| matches!(d, Device::Video(_)))
        .count();
    if has_graphics && nvideo == 0 {
        def.devices.push(Device::Video(Video {
            model: "default".into(),
            vram: None,
            heads: None,
            primary: false,
            info: DeviceInfo::default(),
            rest: XmlElement::new("video").with_child(XmlElement::new("model")),
        }));
    }
    let has_none = def
        .devices
        .iter()
        .any(|d| matches!(d, Device::Video(v) if v.model == "none"));
    if has_none && nvideo > 1 {
        return Err(unsupported(
            "a 'none' video type must be the only video device defined for the domain",
        ));
    }
    let virt_type = def.virt_type.clone();
    let mut first_video = true;
    for d in def.devices.iter_mut() {
        if let Device::Video(v) = d {
            if v.model != "default" {
                v.apply_default_model(&v.model.clone(), &virt_type);
            }
            if v.model != "none" {
                if v.heads.is_none() {
                    v.heads = Some(1);
                }
                if first_video {
                    v.primary = true;
                }
            }
            first_video = false;
        }
    }
    Ok(())
}

fn assign_drive_addresses(def: &mut DomainDef) {
    let mut wanted: Vec<(String, u32)> = Vec::new();
    for d in def.devices.iter_mut() {
        let Device::Disk(disk) = d else { continue };
        let bus = disk.target_bus.as_str();
        if !matches!(bus, "ide" | "sata" | "scsi" | "fdc") {
            continue;
        }
        if disk.info.address.is_none() {
            let Some(idx) = disk_name_to_index(&disk.target_dev) else {
                continue;
            };
            let (controller, dbus, target, unit) = match bus {
                "ide" => (idx / 4, (idx % 4) / 2, 0, idx % 2),
                "sata" => (idx / 6, 0, 0, idx % 6),
                "scsi" => (idx / 7, 0, 0, idx % 7),
                _ => (0, 0, 0, idx % 2),
            };
            disk.info.address = Some(Address(
                XmlElement::new("address")
                    .with_attr("type", "drive")
                    .with_attr("controller", controller.to_string())
                    .with_attr("bus", dbus.to_string())
                    .with_attr("target", target.to_string())
                    .with_attr("unit", unit.to_string()),
            ));
        }
        if let Some(a) = &disk.info.address {
            if a.kind() == Some("drive") {
                let c =
                    a.0.attr("controller")
                        .and_then(|c| c.parse().ok())
                        .unwrap_or(0);
                if !wanted.iter().any(|(b, i)| b == bus && *i == c) {
                    wanted.push((bus.to_owned(), c));
                }
            }
        }
    }
    // libvirt adds disk controllers type by type in this order.
    for ty in ["scsi", "fdc", "ide", "sata"] {
        for (bus, idx) in wanted.iter().filter(|(b, _)| b == ty) {
            ensure_controller(def, bus, *idx);
        }
    }
}

/// Smartcards sit on a CCID controller: each gets the next slot of
/// controller 0 and the controller is added when missing.
fn assign_ccid_addresses(def: &mut DomainDef) {
    let mut slot = 0u32;
    let mut any = false;
    for d in def.devices.iter_mut() {
        let Device::Other(e) = d else { continue };
        if e.name != "smartcard" {
            continue;
        }
        any = true;
        if e.child("address").is_none() {
            e.children.push(XmlNode::Element(
                XmlElement::new("address")
                    .with_attr("type", "ccid")
                    .with_attr("controller", "0")
                    .with_attr("slot", slot.to_string()),
            ));
        }
        slot += 1;
    }
    if any {
        ensure_controller(def, "ccid", 0);
    }
}

pub(crate) fn ensure_controller(def: &mut DomainDef, ctype: &str, index: u32) {
    let exists = def.devices.iter().any(
        |d| matches!(d, Device::Controller(c) if c.ctype == ctype && c.index.unwrap_or(0) == index),
    );
    if !exists {
        insert_controller(
            &mut def.devices,
            Controller {
                ctype: ctype.to_owned(),
                index: Some(index),
                model: None,
                info: DeviceInfo::default(),
                rest: XmlElement::new("controller"),
            },
        );
    }
}

fn assign_controller_indexes(def: &mut DomainDef) {
    for i in 0..def.devices.len() {
        let (ctype, first) = match &def.devices[i] {
            // Index 0 of the PCI controllers is the root bus, added later when
            // absent: any other PCI controller starts at 1, as in libvirt.
            Device::Controller(c) if c.index.is_none() => {
                let root = matches!(c.model.as_deref(), Some("pci-root" | "pcie-root"));
                let first = u32::from(c.ctype == "pci" && !root);
                (c.ctype.clone(), first)
            }
            _ => continue,
        };
        let used: Vec<u32> = def
            .devices
            .iter()
            .filter_map(|d| match d {
                Device::Controller(c) if c.ctype == ctype => c.index,
                _ => None,
            })
            .collect();
        let mut n = first;
        while used.contains(&n) {
            n += 1;
        }
        if let Device::Controller(c) = &mut def.devices[i] {
            c.index = Some(n);
        }
    }
}

/// Serial, parallel and console ports without a number get the next free
/// one of their kind.
fn assign_chardev_ports(def: &mut DomainDef, kinds: &[ChardevKind]) {
    for &kind in kinds {
        for i in 0..def.devices.len() {
            let needs = matches!(&def.devices[i], Device::Chardev(c) if c.kind == kind && c.target_port.is_none());
            if !needs {
                continue;
            }
            let next = def
                .devices
                .iter()
                .filter_map(|d| match d {
                    Device::Chardev(c) if c.kind == kind => c.target_port,
                    _ => None,
                })
                .max()
                .map(|m| m + 1)
                .unwrap_or(0);
            if let Device::Chardev(c) = &mut def.devices[i] {
                c.target_port = Some(next);
            }
        }
    }
}

fn add_console_compat(def: &mut DomainDef) {
    let hvm = def.os.os_type == "hvm";
    let first_console = def
        .devices
        .iter()
        .position(|d| matches!(d, Device::Chardev(c) if c.kind == ChardevKind::Console));
    let first_serial_port = def.devices.iter().find_map(|d| match d {
        Device::Chardev(c) if c.kind == ChardevKind::Serial => Some(c.target_port.unwrap_or(0)),
        _ => None,
    });
    match first_console {
        Some(pos) => {
            let Device::Chardev(console) = &mut def.devices[pos] else {
                return;
            };
            if console.target_type.is_none() {
                console.target_type = Some("serial".to_owned());
            }
            if console.target_type.as_deref() != Some("serial") {
                if console.target_port.is_none() {
                    console.target_port = Some(0);
                }
                return;
            }
            console.target_port = Some(first_serial_port.unwrap_or(0));
            if hvm && first_serial_port.is_none() {
                let mut serial = console.clone();
                serial.kind = ChardevKind::Serial;
                serial.target_type = None;
                serial.target_port = Some(0);
                serial.rest.name = "serial".into();
                def.devices.insert(pos, Device::Chardev(serial));
            }
        }
        None => {
            if let (true, Some(port)) = (hvm, first_serial_port) {
                def.devices.push(Device::Chardev(Chardev {
                    kind: ChardevKind::Console,
                    ctype: "pty".into(),
                    target_type: Some("serial".into()),
                    target_port: Some(port),
                    info: DeviceInfo::default(),
                    rest: XmlElement::new("console"),
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_names_map_to_indexes() {
        assert_eq!(disk_name_to_index("sda"), Some(0));
        assert_eq!(disk_name_to_index("hdc"), Some(2));
        assert_eq!(disk_name_to_index("vdz"), Some(25));
        assert_eq!(disk_name_to_index("sdaa"), Some(26));
        assert_eq!(disk_name_to_index("sd1"), None);
    }

    #[test]
    fn macs_are_normalised() {
        assert_eq!(
            parse_mac("AA:b:cc:dd:ee:ff").as_deref(),
            Some("aa:0b:cc:dd:ee:ff")
        );
        assert_eq!(parse_mac("aa:bb"), None);
    }
}
