//! The device arguments, one function per group in libvirt's order.

use super::alias::{controller_alias, tree_alias};
use super::props::{opt_escape, Props};
use super::{qemu_error, unsupported, Builder, CommandContext, NetFds};
use oxvirt_conf::domain::firmware::{self, Firmware, FirmwareRequest};
use oxvirt_conf::domain::{
    Address, Chardev, ChardevKind, Device, DeviceInfo, Disk, DomainDef, Interface,
};
use oxvirt_conf::xml::{XmlElement, XmlNode};
use oxvirt_core::{Error, ErrorCode};

fn num(el: &XmlElement, k: &str) -> Option<u64> {
    let v = el.attr(k)?;
    match v.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None => v.parse().ok(),
    }
}

/// `"bus"` and `"addr"` (and `"multifunction"`) of a PCI address.
pub(crate) fn pci_props(b: &Builder<'_>, addr: Option<&Address>) -> Props {
    let Some(a) = addr.filter(|a| a.kind() == Some("pci")) else {
        return Props::new();
    };
    let bus = num(&a.0, "bus").unwrap_or(0);
    let slot = num(&a.0, "slot").unwrap_or(0);
    let func = num(&a.0, "function").unwrap_or(0);
    let bus_name = pci_bus_name(b.def, u32::try_from(bus).unwrap_or(0), b.q35);
    let addr = if func == 0 {
        format!("0x{slot:x}")
    } else {
        format!("0x{slot:x}.0x{func:x}")
    };
    let mut p = Props::new().s("bus", bus_name);
    if a.0.attr("multifunction") == Some("on") {
        p = p.b("multifunction", true);
    }
    p.s("addr", addr)
}

/// The QEMU bus name of PCI bus `index`.
fn pci_bus_name(def: &DomainDef, index: u32, q35: bool) -> String {
    for d in &def.devices {
        if let Device::Controller(c) = d {
            if c.ctype == "pci" && c.index == Some(index) {
                return c
                    .info
                    .alias
                    .clone()
                    .unwrap_or_else(|| controller_alias("pci", index, c.model.as_deref(), q35));
            }
        }
    }
    controller_alias("pci", index, None, q35)
}

/// The alias of a device, or the given fallback.
fn alias_of(info: &DeviceInfo, fallback: &str) -> String {
    info.alias.clone().unwrap_or_else(|| fallback.to_owned())
}

/// `-blockdev` nodes for a flash loader and its variable store; returns the
/// format node names for `-machine pflash0=,pflash1=`.
pub(crate) fn pflash(b: &mut Builder<'_>) -> Result<Vec<String>, Error> {
    let os = &b.def.os;
    let Some(loader) = &os.loader else {
        return Ok(Vec::new());
    };
    let path = loader.text().trim().to_owned();
    if path.is_empty() {
        return Ok(Vec::new());
    }
    if loader.attr("type") != Some("pflash") {
        b.arg2("-bios", path);
        return Ok(Vec::new());
    }
    let readonly = loader.attr("readonly") == Some("yes");
    let mut nodes = Vec::new();
    let mut add = |b: &mut Builder<'_>, idx: u32, file: &str, ro: bool| {
        let storage = format!("libvirt-pflash{idx}-storage");
        let format = format!("libvirt-pflash{idx}-format");
        b.arg2(
            "-blockdev",
            Props::new()
                .s("driver", "file")
                .s("filename", file)
                .s("node-name", storage.clone())
                .b("auto-read-only", true)
                .s("discard", "unmap")
                .to_json(),
        );
        b.arg2(
            "-blockdev",
            Props::new()
                .s("node-name", format.clone())
                .b("read-only", ro)
                .s("driver", "raw")
                .s("file", storage)
                .to_json(),
        );
        nodes.push(format);
    };
    add(b, 0, &path, readonly);
    if let Some(nv) = &os.nvram {
        let nvpath = nv.text().trim().to_owned();
        if !nvpath.is_empty() {
            add(b, 1, &nvpath, false);
        }
    }
    Ok(nodes)
}

/// PCI controllers first, then USB, then the others, each in index order.
pub(crate) fn controllers(b: &mut Builder<'_>) -> Result<(), Error> {
    let ctrls: Vec<&oxvirt_conf::domain::Controller> = b
        .def
        .devices
        .iter()
        .filter_map(|d| match d {
            Device::Controller(c) => Some(c),
            _ => None,
        })
        .collect();
    // PCI controllers in an order where each comes after the bus it
    // plugs into, then USB, then the rest.
    let mut pci: Vec<&oxvirt_conf::domain::Controller> =
        ctrls.iter().copied().filter(|c| c.ctype == "pci").collect();
    let mut emitted: Vec<u32> = vec![0];
    while !pci.is_empty() {
        let ready = pci.iter().position(|c| {
            let parent = c
                .info
                .address
                .as_ref()
                .and_then(|a| a.pci_parts())
                .map(|(bus, _, _)| bus)
                .unwrap_or(0);
            emitted.contains(&parent) || c.index == Some(0)
        });
        // A controller whose parent never appears is emitted anyway, so
        // that QEMU reports the bad bus.
        let c = pci.remove(ready.unwrap_or(0));
        emitted.push(c.index.unwrap_or(0));
        controller(b, c)?;
    }
    for c in ctrls.iter().filter(|c| c.ctype == "usb") {
        controller(b, c)?;
    }
    for c in ctrls
        .iter()
        .filter(|c| c.ctype != "pci" && c.ctype != "usb")
    {
        controller(b, c)?;
    }
    Ok(())
}

fn controller(b: &mut Builder<'_>, c: &oxvirt_conf::domain::Controller) -> Result<(), Error> {
    let index = c.index.unwrap_or(0);
    let id = alias_of(
        &c.info,
        &controller_alias(&c.ctype, index, c.model.as_deref(), b.q35),
    );
    let model = c.model.as_deref();
    let addr = pci_props(b, c.info.address.as_ref());
    let p = match (c.ctype.as_str(), model) {
        ("pci", Some("pcie-root" | "pci-root")) | ("pci", None) if index == 0 => return Ok(()),
        ("pci", Some("pcie-root-port")) => {
            let port = c
                .target_attr("port")
                .and_then(|p| {
                    p.strip_prefix("0x")
                        .map(|h| u64::from_str_radix(h, 16).ok())
                        .unwrap_or_else(|| p.parse().ok())
                })
                .unwrap_or(0);
            let chassis = c
                .target_attr("chassis")
                .and_then(|p| p.parse().ok())
                .unwrap_or(u64::from(index));
            Props::new()
                .s("driver", "pcie-root-port")
                .u("port", port)
                .u("chassis", chassis)
                .s("id", id)
                .extend(addr)
        }
        ("pci", Some("pcie-to-pci-bridge")) => Props::new()
            .s("driver", "pcie-pci-bridge")
            .s("id", id)
            .extend(addr),
        ("pci", Some("pci-bridge")) => Props::new()
            .s("driver", "pci-bridge")
            .u(
                "chassis_nr",
                c.target_attr("chassisNr")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(u64::from(index)),
            )
            .s("id", id)
            .extend(addr),
        ("pci", Some(m)) => {
            return Err(unsupported(format!(
                "Unsupported PCI controller model '{m}'"
            )))
        }
        ("pci", None) => return Err(unsupported("PCI controller without a model")),
        ("usb", Some("none")) => return Ok(()),
        ("usb", m) => {
            let driver = match m.unwrap_or(if b.q35 { "qemu-xhci" } else { "piix3-uhci" }) {
                "qemu-xhci" => "qemu-xhci",
                "nec-xhci" => "nec-usb-xhci",
                "piix3-uhci" => "piix3-usb-uhci",
                "piix4-uhci" => "piix4-usb-uhci",
                "ich9-ehci1" => "ich9-usb-ehci1",
                "ehci" => "usb-ehci",
                other => {
                    return Err(unsupported(format!(
                        "Unsupported USB controller model '{other}'"
                    )))
                }
            };
            let mut p = Props::new().s("driver", driver);
            if let Some(ports) = c.attr("ports").and_then(|v| v.parse::<u64>().ok()) {
                if driver.ends_with("xhci") {
                    p = p.u("p2", ports).u("p3", ports);
                }
            }
            p.s("id", id).extend(addr)
        }
        ("sata", _) if index == 0 && b.q35 => return Ok(()),
        ("sata", _) => Props::new()
            .s("driver", "ich9-ahci")
            .s("id", id)
            .extend(addr),
        ("ide", _) if index == 0 => return Ok(()),
        ("ide", _) => {
            return Err(unsupported(
                "Only a single IDE controller is supported for this machine type",
            ))
        }
        ("fdc", _) => return Ok(()),
        ("scsi", m) => {
            let driver = match m.unwrap_or("virtio-scsi") {
                "virtio-scsi" => "virtio-scsi-pci",
                "lsilogic" => "lsi",
                "lsisas1068" => "mptsas1068",
                "lsisas1078" => "megasas",
                other => {
                    return Err(unsupported(format!(
                        "Unsupported controller model: {other}"
                    )))
                }
            };
            let mut p = Props::new().s("driver", driver);
            if let Some(q) = c.driver_attr("queues").and_then(|v| v.parse().ok()) {
                p = p.u("num_queues", q);
            }
            p.s("id", id).extend(addr)
        }
        ("virtio-serial", _) => {
            let mut p = Props::new().s("driver", "virtio-serial-pci").s("id", id);
            if let Some(n) = c.attr("ports").and_then(|v| v.parse().ok()) {
                p = p.u("max_ports", n);
            }
            p.extend(addr)
        }
        ("ccid", _) => Props::new()
            .s("driver", "usb-ccid")
            .s("id", id)
            .extend(usb_props(b, c.info.address.as_ref())),
        (t, _) => return Err(unsupported(format!("Unsupported controller type '{t}'"))),
    };
    b.device(p);
    Ok(())
}

/// `"bus"` and `"port"` of a USB address.
fn usb_props(b: &Builder<'_>, addr: Option<&Address>) -> Props {
    let Some(a) = addr.filter(|a| a.kind() == Some("usb")) else {
        return Props::new();
    };
    let bus = num(&a.0, "bus").unwrap_or(0);
    let ctrl = b.def.devices.iter().find_map(|d| match d {
        Device::Controller(c) if c.ctype == "usb" && u64::from(c.index.unwrap_or(0)) == bus => {
            c.info.alias.clone()
        }
        _ => None,
    });
    let ctrl = ctrl
        .unwrap_or_else(|| controller_alias("usb", u32::try_from(bus).unwrap_or(0), None, b.q35));
    let mut p = Props::new().s("bus", format!("{ctrl}.0"));
    if let Some(port) = a.0.attr("port") {
        p = p.s("port", port);
    }
    p
}

/// Block node indexes: the first disk gets the highest, as libvirt numbers
/// them walking the disks backwards.
fn disk_node_index(def: &DomainDef, disk_pos: usize) -> usize {
    let n = def
        .devices
        .iter()
        .filter(|d| matches!(d, Device::Disk(_)))
        .count();
    n - disk_pos
}

/// The boot index of each device derived from `<os><boot dev>` when no
/// device has its own `<boot order>`.
fn boot_index(def: &DomainDef, dev: &Device) -> Option<u32> {
    if let Some(o) = dev.boot_order() {
        return Some(o);
    }
    if def.devices.iter().any(|d| d.boot_order().is_some()) {
        return None;
    }
    for (i, kind) in def.os.boot.iter().enumerate() {
        let first = def.devices.iter().find(|d| match (kind.as_str(), d) {
            ("hd", Device::Disk(x)) => x.device == "disk" || x.device == "lun",
            ("cdrom", Device::Disk(x)) => x.device == "cdrom",
            ("fd", Device::Disk(x)) => x.device == "floppy",
            ("network", Device::Interface(_)) => true,
            _ => false,
        });
        if let Some(f) = first {
            if std::ptr::eq(f, dev) {
                return Some(u32::try_from(i + 1).unwrap_or(u32::MAX));
            }
        }
    }
    None
}

/// `-blockdev` storage + format nodes and `-device` for each disk.
pub(crate) fn disks(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    let mut pos = 0usize;
    for dev in &def.devices {
        let Device::Disk(d) = dev else { continue };
        let node = disk_node_index(def, pos);
        pos += 1;
        let bootindex = boot_index(def, dev);
        disk(b, d, node, bootindex)?;
    }
    Ok(())
}

/// `(direct, no-flush, write-cache)` of a cache mode.
fn cache_mode(mode: &str) -> Result<(bool, bool, bool), Error> {
    Ok(match mode {
        "none" => (true, false, true),
        "writethrough" => (false, false, false),
        "writeback" => (false, false, true),
        "directsync" => (true, false, false),
        "unsafe" => (false, true, true),
        other => return Err(unsupported(format!("unknown disk cache mode '{other}'"))),
    })
}

fn disk(b: &mut Builder<'_>, d: &Disk, node: usize, bootindex: Option<u32>) -> Result<(), Error> {
    let id = alias_of(&d.info, &d.target_dev);
    let fmt = d.driver_attr("type").unwrap_or("raw");
    if !matches!(
        fmt,
        "raw" | "qcow2" | "qed" | "vmdk" | "vpc" | "vdi" | "vhdx" | "luks"
    ) {
        return Err(unsupported(format!("unsupported disk driver type '{fmt}'")));
    }
    let cache = match d.driver_attr("cache") {
        Some(c) if c != "default" => Some(cache_mode(c)?),
        _ => None,
    };
    let format_node = format!("libvirt-{node}-format");
    let storage_node = format!("libvirt-{node}-storage");
    let has_media = !d.is_empty_source();
    if has_media {
        let path = match d.disk_type.as_str() {
            "file" | "block" => d.source_path.clone(),
            "volume" => d.source_path.clone(),
            _ => None,
        };
        let Some(path) = path else {
            return Err(unsupported(format!(
                "disk type '{}' of '{}' is not supported",
                d.disk_type, d.target_dev
            )));
        };
        let driver = if d.disk_type == "block" {
            if d.device == "cdrom" {
                "host_cdrom"
            } else {
                "host_device"
            }
        } else {
            "file"
        };
        let cache_obj = cache
            .map(|(direct, noflush, _)| Props::new().b("direct", direct).b("no-flush", noflush));
        let mut storage = Props::new().s("driver", driver).s("filename", path);
        if let Some(io) = d.driver_attr("io").filter(|io| *io != "default") {
            storage = storage.s("aio", io);
        }
        storage = storage.s("node-name", storage_node.clone());
        if let Some(c) = &cache_obj {
            storage = storage.obj("cache", c.clone());
        }
        storage = storage.b("auto-read-only", true).s("discard", "unmap");
        b.arg2("-blockdev", storage.to_json());
        let mut format = Props::new()
            .s("node-name", format_node.clone())
            .b("read-only", d.readonly || d.device == "cdrom");
        if let Some(disc) = d.driver_attr("discard") {
            if disc == "unmap" {
                format = format.s("discard", "unmap");
            }
        }
        if let Some(c) = cache_obj {
            format = format.obj("cache", c);
        }
        if let Some(dz) = d.driver_attr("detect_zeroes") {
            format = format.s("detect-zeroes", dz);
        }
        format = format.s("driver", fmt).s("file", storage_node);
        if matches!(fmt, "qcow2" | "qed" | "vmdk") {
            format = format.null("backing");
        }
        b.arg2("-blockdev", format.to_json());
    }
    let drive = has_media.then(|| format_node.clone());
    let write_cache = cache.map(|(_, _, wc)| if wc { "on" } else { "off" });
    let addr = d.info.address.as_ref().map(|a| &a.0);
    let n = |k: &str| addr.and_then(|a| num(a, k)).unwrap_or(0);
    let p = match d.target_bus.as_str() {
        "virtio" => {
            let mut p = Props::new()
                .s("driver", "virtio-blk-pci")
                .extend(pci_props(b, d.info.address.as_ref()));
            if let Some(q) = d.driver_attr("queues").and_then(|q| q.parse().ok()) {
                p = p.u("num-queues", q);
            }
            p.s_opt("drive", drive).s("id", id)
        }
        "sata" | "ide" => {
            let driver = if d.device == "cdrom" {
                "ide-cd"
            } else {
                "ide-hd"
            };
            let ctrl = n("controller");
            let bus = if d.target_bus == "sata" {
                let c = controller_alias("sata", u32::try_from(ctrl).unwrap_or(0), None, b.q35);
                format!("{c}.{}", n("unit"))
            } else {
                format!("ide.{}", n("bus"))
            };
            let mut p = Props::new().s("driver", driver).s("bus", bus);
            if d.target_bus == "ide" {
                p = p.u("unit", n("unit"));
            }
            p.s_opt("drive", drive).s("id", id)
        }
        "scsi" => {
            let driver = if d.device == "cdrom" {
                "scsi-cd"
            } else {
                "scsi-hd"
            };
            let ctrl = n("controller");
            Props::new()
                .s("driver", driver)
                .s("bus", format!("scsi{ctrl}.0"))
                .u("channel", n("bus"))
                .u("scsi-id", n("target"))
                .u("lun", n("unit"))
                .s("device_id", format!("drive-{id}"))
                .s_opt("drive", drive)
                .s("id", id)
        }
        "usb" => Props::new()
            .s("driver", "usb-storage")
            .extend(usb_props(b, d.info.address.as_ref()))
            .s_opt("drive", drive)
            .s("id", id),
        "fdc" => {
            return Err(unsupported("floppy disks are not supported by oxvirt"));
        }
        other => return Err(unsupported(format!("disk bus '{other}' is not supported"))),
    };
    let mut p = p;
    if let Some(bi) = bootindex {
        p = p.u("bootindex", u64::from(bi));
    }
    if let Some(wc) = write_cache {
        p = p.s("write-cache", wc);
    }
    if let Some(serial) = d.rest.child_text("serial") {
        p = p.s("serial", serial);
    }
    b.device(p);
    Ok(())
}

/// `-netdev` and `-device` for each interface.
pub(crate) fn interfaces(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    let mut n = 0usize;
    for dev in &def.devices {
        let Device::Interface(i) = dev else { continue };
        let bootindex = boot_index(def, dev);
        interface(b, i, n, bootindex)?;
        n += 1;
    }
    Ok(())
}

fn interface(
    b: &mut Builder<'_>,
    i: &Interface,
    n: usize,
    bootindex: Option<u32>,
) -> Result<(), Error> {
    let id = alias_of(&i.info, &format!("net{n}"));
    let netdev = format!("host{id}");
    let nd = match i.itype.as_str() {
        "user" => Props::new().s("type", "user").s("id", netdev.clone()),
        "network" | "bridge" | "direct" | "ethernet" => {
            let fds = b.ctx.net_fds.get(n).cloned().unwrap_or_default();
            if fds.tap.is_empty() {
                return Err(qemu_error(
                    ErrorCode::INTERNAL_ERROR,
                    format!("no tap device was opened for interface {id}"),
                ));
            }
            // vhost-net serves virtio NICs only.
            let virtio = i.model.as_deref().unwrap_or("virtio").starts_with("virtio");
            let fds = NetFds {
                tap: fds.tap,
                vhost: if virtio { fds.vhost } else { Vec::new() },
            };
            b.fds.extend(fds.tap.iter().copied());
            b.fds.extend(fds.vhost.iter().copied());
            let join = |v: &[i32]| {
                v.iter()
                    .map(|f| f.to_string())
                    .collect::<Vec<_>>()
                    .join(":")
            };
            let mut p = Props::new().s("type", "tap");
            p = if fds.tap.len() == 1 {
                p.s("fd", fds.tap[0].to_string())
            } else {
                p.s("fds", join(&fds.tap))
            };
            if !fds.vhost.is_empty() {
                p = p.b("vhost", true);
                p = if fds.vhost.len() == 1 {
                    p.s("vhostfd", fds.vhost[0].to_string())
                } else {
                    p.s("vhostfds", join(&fds.vhost))
                };
            }
            p.s("id", netdev.clone())
        }
        other => {
            return Err(unsupported(format!(
                "interface type '{other}' is not supported"
            )))
        }
    };
    b.arg2("-netdev", nd.to_json());
    let model = i.model.as_deref().unwrap_or("virtio");
    let driver = match model {
        "virtio" => "virtio-net-pci",
        "e1000e" => "e1000e",
        "e1000" => "e1000",
        "rtl8139" => "rtl8139",
        "virtio-transitional" => "virtio-net-pci-transitional",
        "virtio-non-transitional" => "virtio-net-pci-non-transitional",
        "vmxnet3" => "vmxnet3",
        other => {
            return Err(unsupported(format!(
                "interface model '{other}' is not supported"
            )))
        }
    };
    let mut p = Props::new()
        .s("driver", driver)
        .s("netdev", netdev)
        .s("id", id)
        .s("mac", i.mac.clone())
        .extend(pci_props(b, i.info.address.as_ref()));
    if let Some(bi) = bootindex {
        p = p.u("bootindex", u64::from(bi));
    }
    b.device(p);
    Ok(())
}

/// The `-chardev` backend of a character device.
fn chardev_backend(c: &Chardev, id: &str) -> Result<String, Error> {
    let path = c.source_attr("path");
    Ok(match c.ctype.as_str() {
        "pty" => format!("pty,id={id}"),
        "null" => format!("null,id={id}"),
        "vc" => format!("vc,id={id}"),
        "stdio" => format!("stdio,id={id}"),
        "file" => {
            let p = path.ok_or_else(|| unsupported("file chardev requires a source path"))?;
            let mut s = format!("file,id={id},path={}", opt_escape(p));
            if c.source_attr("append") == Some("on") {
                s.push_str(",append=on");
            }
            s
        }
        "pipe" => {
            let p = path.ok_or_else(|| unsupported("pipe chardev requires a source path"))?;
            format!("pipe,id={id},path={}", opt_escape(p))
        }
        "dev" => {
            let p = path.ok_or_else(|| unsupported("dev chardev requires a source path"))?;
            format!("serial,id={id},path={}", opt_escape(p))
        }
        "unix" => {
            let p = path.ok_or_else(|| unsupported("unix chardev requires a source path"))?;
            let mut s = format!("socket,id={id},path={}", opt_escape(p));
            if c.source_attr("mode") != Some("connect") {
                s.push_str(",server=on,wait=off");
            }
            s
        }
        "tcp" => {
            let host = c.source_attr("host").unwrap_or("127.0.0.1");
            let service = c
                .source_attr("service")
                .ok_or_else(|| unsupported("tcp chardev requires a service"))?;
            let mut s = format!("socket,id={id},host={},port={service}", opt_escape(host));
            if c.protocol_attr("type") == Some("telnet") {
                s.push_str(",telnet=on");
            }
            if c.source_attr("mode") != Some("connect") {
                s.push_str(",server=on,wait=off");
            }
            s
        }
        "udp" => {
            let host = c.source_attr("host").unwrap_or("127.0.0.1");
            let service = c.source_attr("service").unwrap_or("0");
            format!("udp,id={id},host={},port={service}", opt_escape(host))
        }
        "spicevmc" => {
            let name = c.target_attr("name").unwrap_or("com.redhat.spice.0");
            let kind = if name == "com.redhat.spice.0" {
                "vdagent"
            } else {
                "usbredir"
            };
            format!("spicevmc,id={id},name={kind}")
        }
        other => {
            return Err(unsupported(format!(
                "Unsupported char device type '{other}'"
            )))
        }
    })
}

pub(crate) fn chardevs(b: &mut Builder<'_>, kind: ChardevKind) -> Result<(), Error> {
    let def = b.def;
    let serials: Vec<&Chardev> = def
        .devices
        .iter()
        .filter_map(|d| match d {
            Device::Chardev(c) if c.kind == ChardevKind::Serial => Some(c),
            _ => None,
        })
        .collect();
    let mut console_n = 0usize;
    for dev in &def.devices {
        let Device::Chardev(c) = dev else { continue };
        if c.kind != kind {
            continue;
        }
        let fallback = match kind {
            ChardevKind::Serial => format!("serial{}", c.target_port.unwrap_or(0)),
            ChardevKind::Parallel => format!("parallel{}", c.target_port.unwrap_or(0)),
            ChardevKind::Channel => "channel0".to_owned(),
            ChardevKind::Console => format!("console{console_n}"),
        };
        let alias = alias_of(&c.info, &fallback);
        if kind == ChardevKind::Console {
            let n = console_n;
            console_n += 1;
            // The first console of a guest with serial ports is the first
            // serial port itself; no arguments of its own.
            if c.target_type.as_deref() == Some("serial") {
                if n == 0 && !serials.is_empty() {
                    continue;
                }
                return Err(unsupported(
                    "console target type 'serial' needs a serial port",
                ));
            }
        }
        let char_id = format!("char{alias}");
        b.arg2("-chardev", chardev_backend(c, &char_id)?);
        let p = match kind {
            ChardevKind::Serial => {
                let model = match c.target_type.as_deref() {
                    None | Some("isa-serial") => "isa-serial",
                    Some("usb-serial") => "usb-serial",
                    Some("pci-serial") => "pci-serial",
                    Some(t) => {
                        return Err(unsupported(format!(
                            "serial target type '{t}' is not supported"
                        )))
                    }
                };
                let mut p = Props::new()
                    .s("driver", model)
                    .s("chardev", char_id)
                    .s("id", alias);
                if model == "isa-serial" {
                    p = p.u("index", u64::from(c.target_port.unwrap_or(0)));
                } else if model == "pci-serial" {
                    p = p.extend(pci_props(b, c.info.address.as_ref()));
                }
                p
            }
            ChardevKind::Parallel => Props::new()
                .s("driver", "isa-parallel")
                .s("chardev", char_id)
                .s("id", alias),
            ChardevKind::Channel => match c.target_type.as_deref() {
                Some("virtio") => {
                    let (bus, nr) = virtio_serial_port(c);
                    let mut p = Props::new()
                        .s("driver", "virtserialport")
                        .s("bus", bus)
                        .u("nr", nr)
                        .s("chardev", char_id)
                        .s("id", alias);
                    if let Some(name) = c.target_attr("name") {
                        p = p.s("name", name);
                    }
                    p
                }
                Some(t) => {
                    return Err(unsupported(format!(
                        "channel target type '{t}' is not supported"
                    )))
                }
                None => return Err(unsupported("channel requires a target type")),
            },
            ChardevKind::Console => match c.target_type.as_deref() {
                Some("virtio") => {
                    let (bus, nr) = virtio_serial_port(c);
                    Props::new()
                        .s("driver", "virtconsole")
                        .s("bus", bus)
                        .u("nr", nr)
                        .s("chardev", char_id)
                        .s("id", alias)
                }
                Some(t) => {
                    return Err(unsupported(format!(
                        "console target type '{t}' is not supported"
                    )))
                }
                None => return Err(unsupported("console requires a target type")),
            },
        };
        b.device(p);
    }
    Ok(())
}

/// The virtio-serial bus and port of a channel or console.
fn virtio_serial_port(c: &Chardev) -> (String, u64) {
    let a = c.info.address.as_ref().map(|a| &a.0);
    let ctrl = a.and_then(|a| num(a, "controller")).unwrap_or(0);
    let bus = a.and_then(|a| num(a, "bus")).unwrap_or(0);
    let port = a.and_then(|a| num(a, "port")).unwrap_or(1);
    (format!("virtio-serial{ctrl}.{bus}"), port)
}

pub(crate) fn inputs(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    for dev in &def.devices {
        let Device::Input(i) = dev else { continue };
        let bus = i.bus.as_deref().unwrap_or("ps2");
        let id = alias_of(&i.info, "input0");
        let driver = match (i.itype.as_str(), bus) {
            (_, "ps2") => continue,
            ("tablet", "usb") => "usb-tablet",
            ("mouse", "usb") => "usb-mouse",
            ("keyboard", "usb") => "usb-kbd",
            ("tablet", "virtio") => "virtio-tablet-pci",
            ("mouse", "virtio") => "virtio-mouse-pci",
            ("keyboard", "virtio") => "virtio-keyboard-pci",
            (t, bus) => {
                return Err(unsupported(format!(
                    "input device '{t}' on bus '{bus}' is not supported"
                )))
            }
        };
        let addr = if bus == "usb" {
            usb_props(b, i.info.address.as_ref())
        } else {
            pci_props(b, i.info.address.as_ref())
        };
        b.device(Props::new().s("driver", driver).s("id", id).extend(addr));
    }
    Ok(())
}

/// `-audiodev` for each `<audio>` element.
pub(crate) fn audio(b: &mut Builder<'_>) {
    let def = b.def;
    for dev in &def.devices {
        let Device::Other(e) = dev else { continue };
        if e.name != "audio" {
            continue;
        }
        let id = e.attr("id").unwrap_or("1");
        let ty = match e.attr("type").unwrap_or("none") {
            "pulseaudio" => "pa",
            "alsa" => "alsa",
            "spice" => "spice",
            "file" => "wav",
            _ => "none",
        };
        b.arg2(
            "-audiodev",
            Props::new()
                .s("id", format!("audio{id}"))
                .s("driver", ty)
                .to_json(),
        );
    }
}

fn audio_id(def: &DomainDef) -> Option<String> {
    def.devices.iter().find_map(|d| match d {
        Device::Other(e) if e.name == "audio" => {
            Some(format!("audio{}", e.attr("id").unwrap_or("1")))
        }
        _ => None,
    })
}

pub(crate) fn graphics(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    for dev in &def.devices {
        let Device::Graphics(g) = dev else { continue };
        match g.gtype.as_str() {
            "vnc" => {
                let listen = g.listen();
                let ltype = listen.and_then(|l| l.attr("type")).unwrap_or("address");
                let mut s = if ltype == "socket" {
                    let path = listen
                        .and_then(|l| l.attr("socket"))
                        .ok_or_else(|| unsupported("VNC socket listen without a path"))?;
                    format!("unix:{}", opt_escape(path))
                } else if ltype == "none" {
                    "none".to_owned()
                } else {
                    let addr = listen
                        .and_then(|l| l.attr("address"))
                        .unwrap_or(&b.ctx.config.vnc_listen)
                        .to_owned();
                    let port = g.port.ok_or_else(|| {
                        qemu_error(
                            ErrorCode::INTERNAL_ERROR,
                            "VNC display has no port assigned",
                        )
                    })?;
                    let display = port
                        .checked_sub(5900)
                        .filter(|d| *d >= 0)
                        .ok_or_else(|| unsupported(format!("VNC port {port} is below 5900")))?;
                    let host = if addr.contains(':') {
                        format!("[{addr}]")
                    } else {
                        addr
                    };
                    format!("{host}:{display}")
                };
                if let Some(ws) = g.attr("websocket").filter(|w| *w != "-1") {
                    s.push_str(&format!(",websocket={ws}"));
                }
                if g.attr("sharePolicy")
                    .is_some_and(|p| p != "allow-exclusive")
                {
                    s.push_str(&format!(",share={}", g.attr("sharePolicy").unwrap_or("")));
                }
                if g.passwd.is_some() || b.ctx.config.vnc_password.is_some() {
                    s.push_str(",password=on");
                }
                if let Some(a) = audio_id(def) {
                    s.push_str(&format!(",audiodev={a}"));
                }
                b.arg2("-vnc", s);
            }
            "spice" => {
                let mut s = Vec::new();
                if let Some(p) = g.port.filter(|p| *p > 0) {
                    s.push(format!("port={p}"));
                }
                let addr = g
                    .listen()
                    .and_then(|l| l.attr("address"))
                    .unwrap_or(&b.ctx.config.spice_listen)
                    .to_owned();
                s.push(format!("addr={addr}"));
                if g.passwd.is_none() && b.ctx.config.spice_password.is_none() {
                    s.push("disable-ticketing=on".into());
                }
                if let Some(c) = g.rest.child("image").and_then(|i| i.attr("compression")) {
                    s.push(format!("image-compression={c}"));
                }
                s.push("seamless-migration=on".into());
                b.arg2("-spice", s.join(","));
            }
            "egl-headless" => {
                b.arg2("-display", "egl-headless");
            }
            other => {
                return Err(unsupported(format!(
                    "graphics type '{other}' is not supported"
                )))
            }
        }
    }
    Ok(())
}

pub(crate) fn video(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    for dev in &def.devices {
        let Device::Video(v) = dev else { continue };
        let id = alias_of(&v.info, "video0");
        let addr = pci_props(b, v.info.address.as_ref());
        let heads = u64::from(v.heads.unwrap_or(1));
        let p = match (v.model.as_str(), v.primary) {
            ("none", _) => continue,
            ("virtio", true) => Props::new()
                .s(
                    "driver",
                    if b.x86() {
                        "virtio-vga"
                    } else {
                        "virtio-gpu-pci"
                    },
                )
                .s("id", id)
                .u("max_outputs", heads)
                .extend(addr),
            ("virtio", false) => Props::new()
                .s("driver", "virtio-gpu-pci")
                .s("id", id)
                .u("max_outputs", heads)
                .extend(addr),
            ("vga", _) => Props::new()
                .s("driver", "VGA")
                .s("id", id)
                .u("vgamem_mb", v.vram.unwrap_or(16384) / 1024)
                .extend(addr),
            ("cirrus", _) => Props::new()
                .s("driver", "cirrus-vga")
                .s("id", id)
                .extend(addr),
            ("vmvga", _) => Props::new()
                .s("driver", "vmware-svga")
                .s("id", id)
                .u("vgamem_mb", v.vram.unwrap_or(16384) / 1024)
                .extend(addr),
            ("bochs", _) => Props::new()
                .s("driver", "bochs-display")
                .s("id", id)
                .u("vgamem", v.vram.unwrap_or(16384) * 1024)
                .extend(addr),
            ("qxl", primary) => {
                let vram = v.vram.unwrap_or(65536);
                let ram = v
                    .rest
                    .child("model")
                    .and_then(|m| m.attr("ram"))
                    .and_then(|r| r.parse::<u64>().ok())
                    .unwrap_or(65536);
                let vgamem = v
                    .rest
                    .child("model")
                    .and_then(|m| m.attr("vgamem"))
                    .and_then(|r| r.parse::<u64>().ok())
                    .unwrap_or(16384);
                Props::new()
                    .s("driver", if primary { "qxl-vga" } else { "qxl" })
                    .s("id", id)
                    .u("ram_size", ram * 1024)
                    .u("vram_size", vram * 1024)
                    .u("vram64_size_mb", 0)
                    .u("vgamem_mb", vgamem / 1024)
                    .u("max_outputs", heads)
                    .extend(addr)
            }
            ("ramfb", _) => Props::new().s("driver", "ramfb").s("id", id),
            (m, _) => return Err(unsupported(format!("video type '{m}' is not supported"))),
        };
        b.device(p);
    }
    Ok(())
}

fn others<'a>(def: &'a DomainDef, name: &'a str) -> impl Iterator<Item = &'a XmlElement> + 'a {
    def.devices.iter().filter_map(move |d| match d {
        Device::Other(e) if e.name == name => Some(e),
        _ => None,
    })
}

fn tree_address(e: &XmlElement) -> Option<Address> {
    e.child("address").cloned().map(Address)
}

pub(crate) fn sound(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    let audio = audio_id(def);
    for (n, e) in others(def, "sound").enumerate() {
        let id = tree_alias(e)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("sound{n}"));
        let addr = pci_props(b, tree_address(e).as_ref());
        match e.attr("model").unwrap_or("ich6") {
            "ich6" | "ich9" => {
                let driver = if e.attr("model") == Some("ich9") {
                    "ich9-intel-hda"
                } else {
                    "intel-hda"
                };
                b.device(
                    Props::new()
                        .s("driver", driver)
                        .s("id", id.clone())
                        .extend(addr),
                );
                b.device(
                    Props::new()
                        .s("driver", "hda-duplex")
                        .s("id", format!("{id}-codec0"))
                        .s("bus", format!("{id}.0"))
                        .u("cad", 0)
                        .s_opt("audiodev", audio.clone()),
                );
            }
            "ac97" => b.device(
                Props::new()
                    .s("driver", "AC97")
                    .s_opt("audiodev", audio.clone())
                    .s("id", id)
                    .extend(addr),
            ),
            "usb" => b.device(
                Props::new()
                    .s("driver", "usb-audio")
                    .s("id", id)
                    .s_opt("audiodev", audio.clone()),
            ),
            m => return Err(unsupported(format!("sound model '{m}' is not supported"))),
        }
    }
    Ok(())
}

pub(crate) fn watchdog(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    let mut action = None;
    for (n, e) in others(def, "watchdog").enumerate() {
        let id = tree_alias(e)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("watchdog{n}"));
        match e.attr("model").unwrap_or("i6300esb") {
            "i6300esb" => {
                let addr = pci_props(b, tree_address(e).as_ref());
                b.device(
                    Props::new()
                        .s("driver", "i6300esb")
                        .s("id", id)
                        .extend(addr),
                );
            }
            "ib700" => b.device(Props::new().s("driver", "ib700").s("id", id)),
            "itco" => {
                if !b.q35 {
                    return Err(unsupported(
                        "Watchdog model 'itco' is only part of q35 machine",
                    ));
                }
            }
            m => {
                return Err(unsupported(format!(
                    "watchdog model '{m}' is not supported"
                )))
            }
        }
        action = Some(match e.attr("action").unwrap_or("reset") {
            "dump" => "pause",
            a @ ("reset" | "shutdown" | "poweroff" | "pause" | "none" | "inject-nmi") => a,
            a => {
                return Err(unsupported(format!(
                    "watchdog action '{a}' is not supported"
                )))
            }
        });
    }
    if let Some(a) = action {
        b.arg2("-watchdog-action", a);
    }
    Ok(())
}

pub(crate) fn memballoon(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    for dev in &def.devices {
        let Device::Memballoon(m) = dev else { continue };
        let driver = match m.model.as_str() {
            "none" => continue,
            "virtio" => "virtio-balloon-pci",
            "virtio-transitional" => "virtio-balloon-pci-transitional",
            "virtio-non-transitional" => "virtio-balloon-pci-non-transitional",
            other => {
                return Err(unsupported(format!(
                    "Memory balloon device type '{other}' is not supported by this version of qemu"
                )))
            }
        };
        let id = alias_of(&m.info, "balloon0");
        let mut p = Props::new()
            .s("driver", driver)
            .s("id", id)
            .extend(pci_props(b, m.info.address.as_ref()));
        if let Some(a) = m.attr("autodeflate") {
            p = p.b("deflate-on-oom", a == "on");
        }
        if let Some(a) = m.attr("freePageReporting") {
            p = p.b("free-page-reporting", a == "on");
        }
        b.device(p);
    }
    Ok(())
}

pub(crate) fn rng(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    for (n, e) in others(def, "rng").enumerate() {
        let id = tree_alias(e)
            .map(str::to_owned)
            .unwrap_or_else(|| format!("rng{n}"));
        let obj = format!("obj{id}");
        let backend = e.child("backend");
        let bmodel = backend.and_then(|x| x.attr("model")).unwrap_or("random");
        let o = match bmodel {
            "random" => {
                let file = backend
                    .map(|x| x.text().trim().to_owned())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| "/dev/urandom".into());
                Props::new()
                    .s("qom-type", "rng-random")
                    .s("id", obj.clone())
                    .s("filename", file)
            }
            "builtin" => Props::new()
                .s("qom-type", "rng-builtin")
                .s("id", obj.clone()),
            m => {
                return Err(unsupported(format!(
                    "rng backend model '{m}' is not supported"
                )))
            }
        };
        b.object(o);
        let driver = match e.attr("model").unwrap_or("virtio") {
            "virtio" => "virtio-rng-pci",
            "virtio-transitional" => "virtio-rng-pci-transitional",
            "virtio-non-transitional" => "virtio-rng-pci-non-transitional",
            m => return Err(unsupported(format!("rng model '{m}' is not supported"))),
        };
        let mut p = Props::new().s("driver", driver).s("rng", obj).s("id", id);
        if let Some(rate) = e.child("rate") {
            if let Some(bytes) = rate.attr("bytes").and_then(|v| v.parse().ok()) {
                p = p.u("max-bytes", bytes);
            }
            p = p.u(
                "period",
                rate.attr("period")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1000),
            );
        }
        let addr = pci_props(b, tree_address(e).as_ref());
        b.device(p.extend(addr));
    }
    Ok(())
}

pub(crate) fn panic(b: &mut Builder<'_>) -> Result<(), Error> {
    let def = b.def;
    for e in others(def, "panic") {
        match e.attr("model").unwrap_or("isa") {
            "isa" => {
                let ioport = e
                    .child("address")
                    .and_then(|a| num(a, "iobase"))
                    .unwrap_or(0x505);
                b.device(Props::new().s("driver", "pvpanic").u("ioport", ioport));
            }
            "hyperv" => {}
            m => return Err(unsupported(format!("panic model '{m}' is not supported"))),
        }
    }
    Ok(())
}

/// Unix channels in bind mode without a path get one in the channel dir,
/// named after the target (`org.qemu.guest_agent.0`).
pub(crate) fn fill_channel_paths(def: &mut DomainDef, ctx: &CommandContext) {
    for d in def.devices.iter_mut() {
        let Device::Chardev(c) = d else { continue };
        if c.kind != ChardevKind::Channel || c.ctype != "unix" || c.source_attr("path").is_some() {
            continue;
        }
        let name = c
            .target_attr("name")
            .map(str::to_owned)
            .unwrap_or_else(|| c.info.alias.clone().unwrap_or_else(|| "channel".into()));
        let path = ctx.channel_dir.join(name).to_string_lossy().into_owned();
        let src = XmlElement::new("source")
            .with_attr("mode", "bind")
            .with_attr("path", path);
        c.rest.take_children("source");
        c.rest.children.insert(0, XmlNode::Element(src));
    }
}

/// Autoport VNC and SPICE displays take the next port of the context.
pub(crate) fn fill_display_ports(def: &mut DomainDef, ctx: &CommandContext) -> Result<(), Error> {
    let mut ports = ctx.display_ports.iter();
    for d in def.devices.iter_mut() {
        let Device::Graphics(g) = d else { continue };
        if !matches!(g.gtype.as_str(), "vnc" | "spice") {
            continue;
        }
        let socket = g.listen().and_then(|l| l.attr("type")) == Some("socket");
        if socket {
            continue;
        }
        if g.port.is_none() || g.autoport {
            let p = ports.next().ok_or_else(|| {
                qemu_error(ErrorCode::INTERNAL_ERROR, "no display port was allocated")
            })?;
            g.port = Some(i32::from(*p));
        }
        let default_listen = if g.gtype == "vnc" {
            ctx.config.vnc_listen.clone()
        } else {
            ctx.config.spice_listen.clone()
        };
        if let Some(oxvirt_conf::xml::XmlNode::Element(l)) = g
            .rest
            .children
            .iter_mut()
            .find(|c| matches!(c, XmlNode::Element(e) if e.name == "listen"))
        {
            if l.attr("type").unwrap_or("address") == "address" && l.attr("address").is_none() {
                l.set_attr("address", default_listen);
            }
        }
    }
    Ok(())
}

/// `<os firmware='efi'>` without a loader: the first matching descriptor
/// gives the loader (and the SMM feature it needs); flash firmware gets a
/// per-domain variable store `NAME_VARS.fd` in the nvram dir.
pub(crate) fn fill_firmware(
    def: &mut DomainDef,
    ctx: &CommandContext,
    firmwares: &[Firmware],
) -> Result<(), Error> {
    let wants_efi = def.os.firmware.as_deref() == Some("efi");
    let has_loader_path = def
        .os
        .loader
        .as_ref()
        .is_some_and(|l| !l.text().trim().is_empty());
    if wants_efi && !has_loader_path {
        let mut req = FirmwareRequest {
            interface: "efi".into(),
            arch: def.os.arch.clone().unwrap_or_else(|| "x86_64".into()),
            machine: def.os.machine.clone().unwrap_or_default(),
            ..Default::default()
        };
        if let Some(fw) = def.os.extra.iter().find(|e| e.name == "firmware") {
            for f in fw.elements().filter(|e| e.name == "feature") {
                let Some(name) = f.attr("name") else { continue };
                match f.attr("enabled") {
                    Some("yes") => req.required.push(name.to_owned()),
                    Some("no") => req.forbidden.push(name.to_owned()),
                    _ => {}
                }
            }
        }
        if let Some(l) = &def.os.loader {
            match l.attr("secure") {
                Some("yes") => req.required.push("secure-boot".into()),
                Some("no") => req.forbidden.push("secure-boot".into()),
                _ => {}
            }
        }
        let smm_off = def
            .features
            .as_ref()
            .and_then(|f| f.child("smm"))
            .is_some_and(|s| s.attr("state") == Some("off"));
        if smm_off {
            req.forbidden.push("requires-smm".into());
        }
        let fw = firmware::select(firmwares, &req).ok_or_else(|| {
            qemu_error(
                ErrorCode::OPERATION_FAILED,
                "Unable to find any firmware to satisfy 'efi'",
            )
        })?;
        let secure = fw.has_feature("secure-boot");
        let mut loader = def
            .os
            .loader
            .clone()
            .unwrap_or_else(|| XmlElement::new("loader"));
        loader.children.clear();
        loader.set_attr("readonly", "yes");
        if fw.device == "flash" {
            loader.set_attr("secure", if secure { "yes" } else { "no" });
        }
        loader.set_attr(
            "type",
            if fw.device == "flash" {
                "pflash"
            } else {
                "rom"
            },
        );
        loader.children.push(XmlNode::Text(fw.executable.clone()));
        def.os.loader = Some(loader);
        if fw.device == "flash" {
            let template = fw.nvram_template.clone();
            let nv = def.os.nvram.get_or_insert_with(|| XmlElement::new("nvram"));
            if nv.attr("template").is_none() {
                if let Some(t) = template {
                    nv.set_attr("template", t);
                }
            }
        }
        if fw.has_feature("requires-smm") {
            let features = def
                .features
                .get_or_insert_with(|| XmlElement::new("features"));
            if features.child("smm").is_none() {
                features.children.push(XmlNode::Element(
                    XmlElement::new("smm").with_attr("state", "on"),
                ));
            }
        }
    }
    let pflash = def
        .os
        .loader
        .as_ref()
        .is_some_and(|l| l.attr("type") == Some("pflash") && l.attr("readonly") == Some("yes"));
    if pflash {
        let nv = def.os.nvram.get_or_insert_with(|| XmlElement::new("nvram"));
        if nv.text().trim().is_empty() {
            let path = ctx.nvram_dir.join(format!("{}_VARS.fd", def.name));
            nv.children.retain(|c| !matches!(c, XmlNode::Text(_)));
            nv.children
                .push(XmlNode::Text(path.to_string_lossy().into_owned()));
        }
    }
    Ok(())
}
