//! Device aliases (`<alias name=>`, QEMU's `id=`), named as libvirt names
//! them (reference §1.5).

use oxvirt_conf::domain::{disk_name_to_index, ChardevKind, Device, DomainDef};
use oxvirt_conf::xml::{XmlElement, XmlNode};

/// The alias of controller `ctype` number `index` on a q35 or other machine.
pub fn controller_alias(ctype: &str, index: u32, model: Option<&str>, q35: bool) -> String {
    match ctype {
        "pci" if index == 0 => {
            if model == Some("pcie-root") || (model.is_none() && q35) {
                "pcie.0".into()
            } else {
                "pci.0".into()
            }
        }
        "pci" => format!("pci.{index}"),
        "usb" if index == 0 => "usb".into(),
        "usb" => format!("usb{index}"),
        "sata" | "ide" if index == 0 => "ide".into(),
        "sata" => format!("sata{index}"),
        "ide" => format!("ide{index}"),
        other => format!("{other}{index}"),
    }
}

/// The alias of a disk from its bus, target name and drive address.
fn disk_alias(d: &oxvirt_conf::domain::Disk) -> String {
    let addr = d.info.address.as_ref().map(|a| &a.0);
    let n = |k: &str| {
        addr.and_then(|a| a.attr(k))
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let idx = disk_name_to_index(&d.target_dev).unwrap_or(0);
    match d.target_bus.as_str() {
        "virtio" => format!("virtio-disk{idx}"),
        "sata" => format!("sata{}-{}-{}", n("controller"), n("bus"), n("unit")),
        "ide" => format!("ide{}-{}-{}", n("controller"), n("bus"), n("unit")),
        "scsi" => format!(
            "scsi{}-{}-{}-{}",
            n("controller"),
            n("bus"),
            n("target"),
            n("unit")
        ),
        "fdc" => format!("fdc0-0-{}", n("unit")),
        "usb" => format!("usb-disk{idx}"),
        other => format!("{other}-disk{idx}"),
    }
}

/// Sets `<alias name>` of an element kept as a tree, before its address.
fn set_tree_alias(el: &mut XmlElement, alias: String) {
    el.take_children("alias");
    let a = XmlNode::Element(XmlElement::new("alias").with_attr("name", alias));
    let pos = el
        .children
        .iter()
        .position(|c| matches!(c, XmlNode::Element(e) if e.name == "address"))
        .unwrap_or(el.children.len());
    el.children.insert(pos, a);
}

/// Gives every device its alias; user aliases (`ua-*`) are kept.
pub fn assign_aliases(def: &mut DomainDef) {
    let q35 = def.os.machine.as_deref().is_some_and(crate::caps::is_q35);
    let mut count: std::collections::HashMap<&'static str, u32> = std::collections::HashMap::new();
    let mut next = |k: &'static str| {
        let n = count.entry(k).or_insert(0);
        let v = *n;
        *n += 1;
        v
    };
    let keep = |a: &Option<String>| a.as_deref().is_some_and(|a| a.starts_with("ua-"));
    for d in def.devices.iter_mut() {
        match d {
            Device::Disk(disk) => {
                if !keep(&disk.info.alias) {
                    disk.info.alias = Some(disk_alias(disk));
                }
            }
            Device::Controller(c) => {
                if !keep(&c.info.alias) {
                    c.info.alias = Some(controller_alias(
                        &c.ctype,
                        c.index.unwrap_or(0),
                        c.model.as_deref(),
                        q35,
                    ));
                }
            }
            Device::Interface(i) => {
                let n = next("net");
                if !keep(&i.info.alias) {
                    i.info.alias = Some(format!("net{n}"));
                }
            }
            Device::Chardev(c) => {
                let (prefix, n) = match c.kind {
                    ChardevKind::Serial => ("serial", c.target_port.unwrap_or(0)),
                    ChardevKind::Parallel => ("parallel", c.target_port.unwrap_or(0)),
                    ChardevKind::Channel => ("channel", next("channel")),
                    ChardevKind::Console => ("console", next("console")),
                };
                if !keep(&c.info.alias) {
                    c.info.alias = Some(format!("{prefix}{n}"));
                }
            }
            Device::Input(i) => {
                let n = next("input");
                if !keep(&i.info.alias) {
                    i.info.alias = Some(format!("input{n}"));
                }
            }
            Device::Video(v) => {
                let n = next("video");
                if !keep(&v.info.alias) {
                    v.info.alias = Some(format!("video{n}"));
                }
            }
            Device::Memballoon(m) => {
                if !keep(&m.info.alias) {
                    m.info.alias = Some("balloon0".into());
                }
            }
            Device::Graphics(_) => {}
            Device::Other(e) => {
                let prefix: &'static str = match e.name.as_str() {
                    "rng" => "rng",
                    "watchdog" => "watchdog",
                    "sound" => "sound",
                    "hostdev" => "hostdev",
                    "redirdev" => "redir",
                    "tpm" => "tpm",
                    "filesystem" => "fs",
                    "smartcard" => "smartcard",
                    "shmem" => "shmem",
                    "vsock" => "vsock",
                    "iommu" => "iommu",
                    "memory" => "dimm",
                    "hub" => "hub",
                    "panic" => "panic",
                    _ => continue,
                };
                let n = next(prefix);
                let user = e
                    .child("alias")
                    .and_then(|a| a.attr("name"))
                    .is_some_and(|a| a.starts_with("ua-"));
                if !user {
                    set_tree_alias(e, format!("{prefix}{n}"));
                }
            }
        }
    }
}

/// The alias of a device element kept as a tree.
pub fn tree_alias(e: &XmlElement) -> Option<&str> {
    e.child("alias").and_then(|a| a.attr("name"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controller_aliases_follow_libvirt() {
        assert_eq!(
            controller_alias("pci", 0, Some("pcie-root"), true),
            "pcie.0"
        );
        assert_eq!(controller_alias("pci", 0, Some("pci-root"), false), "pci.0");
        assert_eq!(controller_alias("pci", 3, None, true), "pci.3");
        assert_eq!(controller_alias("sata", 0, None, true), "ide");
        assert_eq!(
            controller_alias("virtio-serial", 0, None, true),
            "virtio-serial0"
        );
        assert_eq!(controller_alias("usb", 0, None, true), "usb");
    }
}
