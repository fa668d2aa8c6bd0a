//! The QEMU driver's post-parse step: what libvirt's qemu driver adds to a
//! definition at define time (`qemuDomainDefPostParse`,
//! `qemuDomainAssignAddresses`).
//!
//! [`DomainDef::qemu_post_parse`] takes a [`QemuPlatform`] (what the
//! emulator offers, extracted from the driver's capabilities) and:
//!
//! 1. checks the virt type, fills in the architecture, the emulator and the
//!    canonical machine name (`q35` → `pc-q35-7.2`);
//! 2. adds the default devices: root PCI controller, SATA/IDE and USB
//!    controllers, PS/2 mouse and keyboard, the virtio balloon, the `none`
//!    audio backend, a default video card for graphics;
//! 3. fills device defaults (disk driver, NIC model, serial target model);
//! 4. assigns USB ports, virtio-serial ports and PCI addresses, adding
//!    `pcie-root-port` controllers on q35 as libvirt does: one per endpoint,
//!    packed eight per slot of `pcie.0`, plus one free port for hotplug on a
//!    new definition.
//!
//! It is idempotent: a definition that went through it once (and was
//! formatted and parsed again) comes out unchanged.

use super::devices::{ensure_controller, insert_controller};
use super::{unsupported, Address, Controller, Device, DeviceInfo, DomainDef, Input, Memballoon};
use crate::xml::{XmlElement, XmlNode};
use oxvirt_core::{Error, ErrorCode, ErrorDomain};

/// What the QEMU binary offers, as the post-parse step needs it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QemuPlatform {
    /// Absolute path of the binary.
    pub emulator: String,
    /// Its guest architecture.
    pub arch: String,
    /// `(canonical name, alias)` of each machine type.
    pub machines: Vec<(String, Option<String>)>,
    /// The machine used when the definition names none.
    pub default_machine: Option<String>,
    /// KVM can be used with this binary.
    pub kvm: bool,
}

impl QemuPlatform {
    /// The canonical name of `name` (itself or an alias).
    pub fn canonical(&self, name: &str) -> Option<&str> {
        self.machines
            .iter()
            .find(|(m, _)| m == name)
            .or_else(|| {
                self.machines
                    .iter()
                    .find(|(_, a)| a.as_deref() == Some(name))
            })
            .map(|(m, _)| m.as_str())
    }
}

fn qemu_unsupported(detail: String) -> Error {
    Error::new(ErrorDomain::QEMU, ErrorCode::CONFIG_UNSUPPORTED, detail)
}

/// True for q35 machines.
pub fn is_q35(machine: &str) -> bool {
    machine == "q35" || machine.starts_with("pc-q35")
}

/// True for x86 architectures.
fn is_x86(arch: &str) -> bool {
    arch == "x86_64" || arch == "i686"
}

impl DomainDef {
    /// Applies the QEMU driver's define-time defaults and addresses.
    pub fn qemu_post_parse(&mut self, platform: &QemuPlatform) -> Result<(), Error> {
        let emulator = self
            .emulator
            .clone()
            .unwrap_or_else(|| platform.emulator.clone());
        match self.virt_type.as_str() {
            "qemu" => {}
            "kvm" if platform.kvm => {}
            t => {
                return Err(qemu_unsupported(format!(
                    "Emulator '{emulator}' does not support virt type '{t}'"
                )))
            }
        }
        if self.os.os_type != "hvm" {
            return Err(qemu_unsupported(format!(
                "Emulator '{emulator}' does not support os type '{}'",
                self.os.os_type
            )));
        }
        let arch = self
            .os
            .arch
            .clone()
            .unwrap_or_else(|| platform.arch.clone());
        let compatible = arch == platform.arch || (arch == "i686" && platform.arch == "x86_64");
        if !compatible {
            return Err(qemu_unsupported(format!(
                "Emulator '{emulator}' does not support arch '{arch}'"
            )));
        }
        self.os.arch = Some(arch.clone());
        let wanted = self
            .os
            .machine
            .clone()
            .or_else(|| platform.default_machine.clone())
            .ok_or_else(|| unsupported("no machine type available"))?;
        let machine = platform.canonical(&wanted).ok_or_else(|| {
            qemu_unsupported(format!(
                "Emulator '{emulator}' does not support machine type '{wanted}'"
            ))
        })?;
        self.os.machine = Some(machine.to_owned());
        self.emulator = Some(emulator);
        let q35 = is_q35(machine);
        let x86 = is_x86(&arch);

        if x86 {
            self.add_default_controllers(q35);
            self.add_default_inputs();
        }
        if !self
            .devices
            .iter()
            .any(|d| matches!(d, Device::Memballoon(_)))
        {
            self.devices.push(Device::Memballoon(Memballoon {
                model: "virtio".into(),
                info: DeviceInfo::default(),
                rest: XmlElement::new("memballoon"),
            }));
        }
        self.add_default_audio();
        self.fill_device_defaults(x86);
        self.set_default_video_model(if x86 { "cirrus" } else { "virtio" });
        self.assign_usb_ports();
        self.assign_virtio_serial_ports();
        if q35 {
            super::pci::assign_q35(self);
        } else if x86 {
            super::pci::assign_i440fx(self);
        }
        Ok(())
    }

    fn has_controller(&self, ctype: &str) -> bool {
        self.devices
            .iter()
            .any(|d| matches!(d, Device::Controller(c) if c.ctype == ctype))
    }

    fn add_default_controllers(&mut self, q35: bool) {
        let root_model = if q35 { "pcie-root" } else { "pci-root" };
        let has_root = self
            .devices
            .iter()
            .any(|d| matches!(d, Device::Controller(c) if c.ctype == "pci" && c.index == Some(0)));
        if !has_root {
            insert_controller(
                &mut self.devices,
                Controller {
                    ctype: "pci".into(),
                    index: Some(0),
                    model: Some(root_model.into()),
                    info: DeviceInfo::default(),
                    rest: XmlElement::new("controller"),
                },
            );
        }
        if !self.has_controller("usb") {
            let model = if q35 { "qemu-xhci" } else { "piix3-uhci" };
            let mut rest = XmlElement::new("controller");
            if q35 {
                rest.set_attr("ports", "15");
            }
            self.devices.push(Device::Controller(Controller {
                ctype: "usb".into(),
                index: Some(0),
                model: Some(model.into()),
                info: DeviceInfo::default(),
                rest,
            }));
        }
        for d in self.devices.iter_mut() {
            if let Device::Controller(c) = d {
                if c.ctype == "usb" && c.model.is_none() {
                    c.model = Some(if q35 { "qemu-xhci" } else { "piix3-uhci" }.into());
                }
                if c.ctype == "pci" && c.model.is_none() {
                    c.model = Some(if c.index == Some(0) {
                        root_model.into()
                    } else if q35 {
                        "pcie-root-port".into()
                    } else {
                        "pci-bridge".into()
                    });
                }
            }
        }
        let (bus_ctrl, idx) = if q35 { ("sata", 0) } else { ("ide", 0) };
        ensure_controller(self, bus_ctrl, idx);
    }

    /// x86 guests always have a PS/2 mouse and keyboard.
    fn add_default_inputs(&mut self) {
        for ty in ["mouse", "keyboard"] {
            let exists = self.devices.iter().any(|d| {
                matches!(d, Device::Input(i) if i.itype == ty && i.bus.as_deref() == Some("ps2"))
            });
            if !exists {
                let pos = self
                    .devices
                    .iter()
                    .rposition(|d| matches!(d, Device::Input(_)))
                    .map(|p| p + 1)
                    .unwrap_or(self.devices.len());
                self.devices.insert(
                    pos,
                    Device::Input(Input {
                        itype: ty.into(),
                        bus: Some("ps2".into()),
                        info: DeviceInfo::default(),
                        rest: XmlElement::new("input"),
                    }),
                );
            }
        }
    }

    /// libvirt 9.0 gives every QEMU guest an audio backend: `spice` with
    /// SPICE graphics, else `none`.
    fn add_default_audio(&mut self) {
        let has_audio = self
            .devices
            .iter()
            .any(|d| matches!(d, Device::Other(e) if e.name == "audio"));
        if has_audio {
            return;
        }
        let spice = self
            .devices
            .iter()
            .any(|d| matches!(d, Device::Graphics(g) if g.gtype == "spice"));
        self.devices.push(Device::Other(
            XmlElement::new("audio")
                .with_attr("id", "1")
                .with_attr("type", if spice { "spice" } else { "none" }),
        ));
    }

    fn fill_device_defaults(&mut self, x86: bool) {
        for d in self.devices.iter_mut() {
            match d {
                Device::Disk(disk) => {
                    let has_media = !disk.is_empty_source();
                    let driver = match disk.rest.child_mut("driver") {
                        Some(drv) => drv,
                        None => {
                            disk.rest
                                .children
                                .insert(0, XmlNode::Element(XmlElement::new("driver")));
                            match disk.rest.child_mut("driver") {
                                Some(drv) => drv,
                                None => continue,
                            }
                        }
                    };
                    if driver.attr("name").is_none() {
                        driver.attrs.insert(0, ("name".into(), "qemu".into()));
                    }
                    if driver.attr("type").is_none() && has_media {
                        let pos = driver
                            .attrs
                            .iter()
                            .position(|(k, _)| k == "name")
                            .map(|p| p + 1)
                            .unwrap_or(0);
                        driver.attrs.insert(pos, ("type".into(), "raw".into()));
                    }
                }
                Device::Interface(i) if i.model.is_none() => {
                    i.model = Some(if x86 { "rtl8139" } else { "virtio" }.into());
                }
                Device::Chardev(c) if c.kind == super::ChardevKind::Serial && x86 => {
                    if c.target_type.is_none() {
                        c.target_type = Some("isa-serial".into());
                    }
                    let model = match c.target_type.as_deref() {
                        Some("isa-serial") => "isa-serial",
                        Some("usb-serial") => "usb-serial",
                        Some("pci-serial") => "pci-serial",
                        _ => continue,
                    };
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
                    if target.child("model").is_none() {
                        target.children.push(XmlNode::Element(
                            XmlElement::new("model").with_attr("name", model),
                        ));
                    }
                }
                _ => {}
            }
        }
    }

    /// USB devices without an address get the next port of bus 0.
    fn assign_usb_ports(&mut self) {
        let usb_none = self.devices.iter().any(|d| {
            matches!(d, Device::Controller(c) if c.ctype == "usb" && c.model.as_deref() == Some("none"))
        });
        if usb_none {
            return;
        }
        let mut used: Vec<String> = Vec::new();
        for d in &self.devices {
            if let Some(a) = usb_address(d) {
                if let Some(p) = a.0.attr("port") {
                    used.push(p.to_owned());
                }
            }
        }
        let mut next = 1u32;
        for d in self.devices.iter_mut() {
            if !is_usb_device(d) || usb_address(d).is_some() {
                continue;
            }
            while used.contains(&next.to_string()) {
                next += 1;
            }
            let addr = XmlElement::new("address")
                .with_attr("type", "usb")
                .with_attr("bus", "0")
                .with_attr("port", next.to_string());
            used.push(next.to_string());
            set_address(d, Address(addr));
        }
    }

    /// virtio channels and consoles without an address get the next port of
    /// `virtio-serial0` (port 0 is kept for the first virtio console).
    fn assign_virtio_serial_ports(&mut self) {
        let mut used: Vec<u64> = Vec::new();
        for d in &self.devices {
            if let Device::Chardev(c) = d {
                if let Some(a) = c
                    .info
                    .address
                    .as_ref()
                    .filter(|a| a.kind() == Some("virtio-serial"))
                {
                    used.push(a.num("port").unwrap_or(0));
                }
            }
        }
        let mut first_console = true;
        for d in self.devices.iter_mut() {
            let Device::Chardev(c) = d else { continue };
            let virtio = c.target_type.as_deref() == Some("virtio")
                && matches!(
                    c.kind,
                    super::ChardevKind::Channel | super::ChardevKind::Console
                );
            if !virtio || c.info.address.is_some() {
                continue;
            }
            let port =
                if c.kind == super::ChardevKind::Console && first_console && !used.contains(&0) {
                    first_console = false;
                    0
                } else {
                    let mut p = 1;
                    while used.contains(&p) {
                        p += 1;
                    }
                    p
                };
            used.push(port);
            c.info.address = Some(Address(
                XmlElement::new("address")
                    .with_attr("type", "virtio-serial")
                    .with_attr("controller", "0")
                    .with_attr("bus", "0")
                    .with_attr("port", port.to_string()),
            ));
        }
    }
}

fn is_usb_device(d: &Device) -> bool {
    match d {
        Device::Input(i) => i.bus.as_deref() == Some("usb"),
        Device::Disk(disk) => disk.target_bus == "usb",
        Device::Other(e) => match e.name.as_str() {
            "redirdev" | "hub" => true,
            "sound" => e.attr("model") == Some("usb"),
            "hostdev" => e.attr("type") == Some("usb"),
            _ => false,
        },
        Device::Controller(c) => c.ctype == "ccid",
        _ => false,
    }
}

fn usb_address(d: &Device) -> Option<Address> {
    let a = device_address(d)?;
    (a.kind() == Some("usb")).then_some(a)
}

/// The address of any device.
pub(crate) fn device_address(d: &Device) -> Option<Address> {
    match d {
        Device::Disk(x) => x.info.address.clone(),
        Device::Controller(x) => x.info.address.clone(),
        Device::Interface(x) => x.info.address.clone(),
        Device::Chardev(x) => x.info.address.clone(),
        Device::Input(x) => x.info.address.clone(),
        Device::Video(x) => x.info.address.clone(),
        Device::Memballoon(x) => x.info.address.clone(),
        Device::Graphics(_) => None,
        Device::Other(e) => e.child("address").cloned().map(Address),
    }
}

/// Sets the address of any device.
pub(crate) fn set_address(d: &mut Device, a: Address) {
    match d {
        Device::Disk(x) => x.info.address = Some(a),
        Device::Controller(x) => x.info.address = Some(a),
        Device::Interface(x) => x.info.address = Some(a),
        Device::Chardev(x) => x.info.address = Some(a),
        Device::Input(x) => x.info.address = Some(a),
        Device::Video(x) => x.info.address = Some(a),
        Device::Memballoon(x) => x.info.address = Some(a),
        Device::Graphics(_) => {}
        Device::Other(e) => {
            e.take_children("address");
            e.children.push(XmlNode::Element(a.0));
        }
    }
}
