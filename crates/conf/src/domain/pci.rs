//! PCI address assignment for QEMU's x86 machines, in the order and
//! layout libvirt uses (reference §1.6).
//!
//! q35: the primary video at `00:01.0`, the built-in AHCI at `00:1f.2`,
//! every PCIe endpoint on a `pcie-root-port` of its own (bus N, slot 0),
//! root ports packed as the eight functions of `pcie.0` slots, conventional
//! PCI devices behind one `pcie-to-pci-bridge`. i440fx: PIIX3 in slot 1,
//! video in slot 2, every other device in the next free slot of `pci.0`.

use super::devices::insert_controller;
use super::qemu::{device_address, set_address};
use super::{Address, Controller, Device, DeviceInfo, DomainDef};
use crate::xml::{XmlElement, XmlNode};
use std::collections::BTreeSet;

/// How a device connects to PCI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connect {
    /// Not a PCI device, or one with a fixed place handled elsewhere.
    None,
    /// A PCIe endpoint: on q35 it gets a root port.
    Pcie,
    /// A conventional PCI device: on q35 it goes behind a PCIe-to-PCI bridge.
    Pci,
}

/// The assignment rank (libvirt's order) and connection of a device.
fn classify(d: &Device, primary_video: bool) -> (u8, Connect) {
    match d {
        Device::Controller(c) => match (c.ctype.as_str(), c.model.as_deref()) {
            ("pci", Some("pcie-to-pci-bridge")) => (0, Connect::Pcie),
            ("pci", Some("pci-bridge")) => (0, Connect::Pci),
            ("usb", Some("qemu-xhci" | "nec-xhci")) => (4, Connect::Pcie),
            ("usb", Some("piix3-uhci" | "piix4-uhci" | "ich9-ehci1" | "ehci")) => (4, Connect::Pci),
            ("scsi", Some("virtio-scsi") | None) => (4, Connect::Pcie),
            ("scsi", Some(_)) => (4, Connect::Pci),
            ("virtio-serial", _) => (4, Connect::Pcie),
            ("sata", _) => (4, Connect::Pcie),
            _ => (0, Connect::None),
        },
        Device::Interface(i) => match i.model.as_deref() {
            Some("rtl8139" | "e1000" | "pcnet" | "ne2k_pci") => (2, Connect::Pci),
            Some(_) | None => {
                if i.itype == "hostdev" {
                    (6, Connect::Pcie)
                } else {
                    (2, Connect::Pcie)
                }
            }
        },
        Device::Disk(disk) if disk.target_bus == "virtio" => (5, Connect::Pcie),
        Device::Memballoon(m) if m.model.starts_with("virtio") => (7, Connect::Pcie),
        Device::Video(v) if !primary_video => match v.model.as_str() {
            "virtio" => (10, Connect::Pcie),
            "none" | "ramfb" => (0, Connect::None),
            _ => (10, Connect::Pci),
        },
        Device::Input(i) if i.bus.as_deref() == Some("virtio") => (11, Connect::Pcie),
        Device::Chardev(c) if c.target_type.as_deref() == Some("pci-serial") => (11, Connect::Pci),
        Device::Other(e) => match e.name.as_str() {
            "filesystem" => (1, Connect::Pcie),
            "sound" => match e.attr("model") {
                Some("ich9" | "usb") => (0, Connect::None),
                _ => (3, Connect::Pci),
            },
            "hostdev" if e.attr("type") == Some("pci") => (6, Connect::Pcie),
            "rng" => (8, Connect::Pcie),
            "watchdog" if e.attr("model").unwrap_or("i6300esb") == "i6300esb" => (9, Connect::Pci),
            "shmem" => (11, Connect::Pci),
            "vsock" => (11, Connect::Pcie),
            _ => (0, Connect::None),
        },
        _ => (0, Connect::None),
    }
}

/// Slots and functions in use, per bus.
#[derive(Default)]
struct Used(BTreeSet<(u32, u32, u32)>);

impl Used {
    fn slot_free(&self, bus: u32, slot: u32) -> bool {
        !self.0.iter().any(|(b, s, _)| *b == bus && *s == slot)
    }
    fn bus_used(&self, bus: u32) -> bool {
        self.0.iter().any(|(b, _, _)| *b == bus)
    }
    fn take(&mut self, bus: u32, slot: u32, func: u32) {
        self.0.insert((bus, slot, func));
    }
}

fn collect_used(def: &DomainDef) -> Used {
    let mut used = Used::default();
    for d in &def.devices {
        if let Some((b, s, f)) = device_address(d).and_then(|a| a.pci_parts()) {
            used.take(b, s, f);
        }
    }
    used
}

fn is_primary_video(def: &DomainDef, idx: usize) -> bool {
    def.devices
        .iter()
        .position(|d| matches!(d, Device::Video(_)))
        == Some(idx)
}

fn video_needs_pci(d: &Device) -> bool {
    matches!(d, Device::Video(v) if !matches!(v.model.as_str(), "none" | "ramfb"))
}

/// Devices without an address that need one, in assignment order.
fn pending(def: &DomainDef, connect: Connect) -> Vec<usize> {
    let mut v: Vec<(u8, usize)> = def
        .devices
        .iter()
        .enumerate()
        .filter(|(_, d)| device_address(d).is_none())
        .filter_map(|(i, d)| {
            let (rank, c) = classify(d, is_primary_video(def, i));
            (c == connect).then_some((rank, i))
        })
        .collect();
    v.sort();
    v.into_iter().map(|(_, i)| i).collect()
}

fn next_pci_index(def: &DomainDef) -> u32 {
    def.devices
        .iter()
        .filter_map(|d| match d {
            Device::Controller(c) if c.ctype == "pci" => c.index,
            _ => None,
        })
        .max()
        .map(|m| m + 1)
        .unwrap_or(1)
}

fn new_pci_controller(def: &mut DomainDef, model: &str) -> u32 {
    let index = next_pci_index(def);
    insert_controller(
        &mut def.devices,
        Controller {
            ctype: "pci".into(),
            index: Some(index),
            model: Some(model.into()),
            info: DeviceInfo::default(),
            rest: XmlElement::new("controller"),
        },
    );
    index
}

/// Positions of the devices, recomputed after insertions.
fn position_of_controller(def: &DomainDef, index: u32) -> Option<usize> {
    def.devices.iter().position(
        |d| matches!(d, Device::Controller(c) if c.ctype == "pci" && c.index == Some(index)),
    )
}

/// Assigns the fixed addresses: returns false when the device is not one
/// of them.
fn fixed_q35(def: &mut DomainDef, used: &mut Used) {
    let video = def.devices.iter().position(video_needs_pci);
    if let Some(i) = video {
        if device_address(&def.devices[i]).is_none() && used.slot_free(0, 1) {
            used.take(0, 1, 0);
            set_address(&mut def.devices[i], Address::pci(0, 1, 0, false));
        }
    }
    for d in def.devices.iter_mut() {
        if device_address(d).is_some() {
            continue;
        }
        let fixed = match d {
            Device::Controller(c) if c.ctype == "sata" && c.index == Some(0) => Some((0x1f, 2)),
            Device::Other(e) if e.name == "sound" && e.attr("model") == Some("ich9") => {
                Some((0x1b, 0))
            }
            _ => None,
        };
        if let Some((slot, func)) = fixed {
            used.take(0, slot, func);
            set_address(d, Address::pci(0, slot, func, false));
        }
    }
}

/// Root ports that no device uses yet, by index.
fn free_root_ports(def: &DomainDef, used: &Used) -> Vec<u32> {
    let mut v: Vec<u32> = def
        .devices
        .iter()
        .filter_map(|d| match d {
            Device::Controller(c)
                if c.ctype == "pci" && c.model.as_deref() == Some("pcie-root-port") =>
            {
                c.index
            }
            _ => None,
        })
        .filter(|i| !used.bus_used(*i))
        .collect();
    v.sort_unstable();
    v
}

/// libvirt's layout for q35.
pub(crate) fn assign_q35(def: &mut DomainDef) {
    let mut used = collect_used(def);
    fixed_q35(def, &mut used);
    let had_root_ports = def.devices.iter().any(|d| {
        matches!(d, Device::Controller(c) if c.ctype == "pci" && c.model.as_deref() == Some("pcie-root-port"))
    });

    // Conventional PCI devices go behind one pcie-to-pci-bridge.
    let conventional = pending(def, Connect::Pci);
    let mut bridge = def.devices.iter().find_map(|d| match d {
        Device::Controller(c) if c.model.as_deref() == Some("pcie-to-pci-bridge") => c.index,
        _ => None,
    });
    if !conventional.is_empty() && bridge.is_none() {
        bridge = Some(new_pci_controller(def, "pcie-to-pci-bridge"));
    }

    // Each PCIe endpoint takes a free root port or a new one. Ports are
    // created first so that positions are stable while assigning.
    let wanted = pending(def, Connect::Pcie).len();
    let free = free_root_ports(def, &used).len();
    for _ in free..wanted {
        new_pci_controller(def, "pcie-root-port");
    }
    let endpoints = pending(def, Connect::Pcie);
    let ports = free_root_ports(def, &used);
    for (i, port) in endpoints.into_iter().zip(ports) {
        used.take(port, 0, 0);
        set_address(&mut def.devices[i], Address::pci(port, 0, 0, false));
    }
    if !had_root_ports {
        new_pci_controller(def, "pcie-root-port");
    }
    if let Some(bridge_bus) = bridge {
        let mut slot = 1;
        for i in pending(def, Connect::Pci) {
            while !used.slot_free(bridge_bus, slot) && slot < 32 {
                slot += 1;
            }
            if slot >= 32 {
                break;
            }
            used.take(bridge_bus, slot, 0);
            set_address(
                &mut def.devices[i],
                Address::pci(bridge_bus, slot, 0, false),
            );
        }
    }
    place_root_ports(def, &mut used);
}

/// Gives root ports and bridges on `pcie.0` their slot/function, packed
/// eight per slot, and their chassis/port numbers.
fn place_root_ports(def: &mut DomainDef, used: &mut Used) {
    let mut ports: Vec<u32> = def
        .devices
        .iter()
        .filter_map(|d| match d {
            Device::Controller(c)
                if c.ctype == "pci"
                    && c.model.as_deref() == Some("pcie-root-port")
                    && c.info.address.is_none() =>
            {
                c.index
            }
            _ => None,
        })
        .collect();
    ports.sort_unstable();
    let mut slot = 1u32;
    let mut func = 0u32;
    let mut placed: Vec<(u32, u32, u32)> = Vec::new();
    for index in ports {
        if func == 0 {
            while !used.slot_free(0, slot) && slot < 0x1f {
                slot += 1;
            }
        }
        used.take(0, slot, func);
        placed.push((index, slot, func));
        func += 1;
        if func == 8 {
            func = 0;
            slot += 1;
        }
    }
    for &(index, slot, func) in &placed {
        let multi = func == 0 && placed.iter().filter(|(_, s, _)| *s == slot).count() > 1;
        if let Some(pos) = position_of_controller(def, index) {
            set_address(&mut def.devices[pos], Address::pci(0, slot, func, multi));
        }
    }
    // Root port details: model name, chassis and port.
    for d in def.devices.iter_mut() {
        let Device::Controller(c) = d else { continue };
        if c.ctype != "pci" {
            continue;
        }
        let model = c.model.clone().unwrap_or_default();
        let model_name = match model.as_str() {
            "pcie-root-port" => "pcie-root-port",
            "pcie-to-pci-bridge" => "pcie-pci-bridge",
            "pci-bridge" => "pci-bridge",
            _ => continue,
        };
        if c.rest.child("model").is_none() {
            c.rest.children.insert(
                0,
                XmlNode::Element(XmlElement::new("model").with_attr("name", model_name)),
            );
        }
        let index = c.index.unwrap_or(0);
        let addr = c.info.address.as_ref().and_then(|a| a.pci_parts());
        if model == "pcie-root-port" {
            let target = match c.rest.child_mut("target") {
                Some(t) => t,
                None => {
                    c.rest
                        .children
                        .push(XmlNode::Element(XmlElement::new("target")));
                    match c.rest.child_mut("target") {
                        Some(t) => t,
                        None => continue,
                    }
                }
            };
            if target.attr("chassis").is_none() {
                target.set_attr("chassis", index.to_string());
            }
            if target.attr("port").is_none() {
                if let Some((_, s, f)) = addr {
                    target.set_attr("port", format!("0x{:x}", s * 8 + f));
                }
            }
        } else if model == "pci-bridge" {
            let target = match c.rest.child_mut("target") {
                Some(t) => t,
                None => {
                    c.rest
                        .children
                        .push(XmlNode::Element(XmlElement::new("target")));
                    match c.rest.child_mut("target") {
                        Some(t) => t,
                        None => continue,
                    }
                }
            };
            if target.attr("chassisNr").is_none() {
                target.set_attr("chassisNr", index.to_string());
            }
        }
    }
}

/// libvirt's layout for i440fx (`pc`).
pub(crate) fn assign_i440fx(def: &mut DomainDef) {
    let mut used = collect_used(def);
    for d in def.devices.iter_mut() {
        if device_address(d).is_some() {
            continue;
        }
        let fixed = match d {
            Device::Controller(c) if c.ctype == "ide" && c.index == Some(0) => Some((1, 1)),
            Device::Controller(c)
                if c.ctype == "usb"
                    && c.index == Some(0)
                    && matches!(c.model.as_deref(), Some("piix3-uhci")) =>
            {
                Some((1, 2))
            }
            _ => None,
        };
        if let Some((slot, func)) = fixed {
            used.take(0, slot, func);
            set_address(d, Address::pci(0, slot, func, false));
        }
    }
    used.take(0, 1, 0);
    if let Some(i) = def.devices.iter().position(video_needs_pci) {
        if device_address(&def.devices[i]).is_none() && used.slot_free(0, 2) {
            set_address(&mut def.devices[i], Address::pci(0, 2, 0, false));
        }
    }
    used.take(0, 2, 0);
    let mut all: Vec<(u8, usize)> = def
        .devices
        .iter()
        .enumerate()
        .filter(|(_, d)| device_address(d).is_none())
        .filter_map(|(i, d)| {
            let (rank, c) = classify(d, is_primary_video(def, i));
            (c != Connect::None).then_some((rank, i))
        })
        .collect();
    all.sort();
    let mut slot = 3;
    for (_, i) in all {
        while !used.slot_free(0, slot) && slot < 32 {
            slot += 1;
        }
        if slot >= 32 {
            break;
        }
        used.take(0, slot, 0);
        set_address(&mut def.devices[i], Address::pci(0, slot, 0, false));
    }
}
