//! The domain definition (`<domain>`): parse, check, format.
//!
//! [`DomainDef::parse`] reads what a client sends to `virDomainDefineXML` or
//! `virDomainCreateXML`; [`DomainDef::format`] writes what `virDomainGetXMLDesc`
//! returns. The fields a driver acts on are typed; elements oxvirt does not
//! model yet are kept as [`XmlElement`] trees and written back in libvirt's
//! order, and unknown elements are dropped, as libvirt drops them.
//!
//! Driver-specific defaults (the default architecture, the default video
//! model, generated interface names) are not applied here: a driver applies
//! them after parsing, as libvirt's post-parse callbacks do.

mod devices;
pub mod firmware;
mod order;
mod pci;
pub mod qemu;
pub mod units;

pub use devices::{
    disk_name_to_index, Address, Chardev, ChardevKind, Controller, Device, DeviceInfo, Disk,
    Graphics, Input, Interface, Memballoon, Video,
};

use crate::xml::{self, XmlElement, XmlWriter};
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Uuid};

/// Flags for [`DomainDef::parse`].
pub mod parse_flags {
    /// Parse a definition, not a live status: runtime-only data such as the
    /// `id` attribute is ignored.
    pub const INACTIVE: u32 = 1 << 0;
    /// The caller asked for schema validation (`VIR_DOMAIN_DEFINE_VALIDATE`).
    /// oxvirt checks what it models; no RNG schema is applied.
    pub const VALIDATE: u32 = 1 << 1;
}

/// Flags for [`DomainDef::format`]; the values of `virDomainXMLFlags`.
pub mod format_flags {
    /// Include secrets such as graphics passwords.
    pub const SECURE: u32 = 1 << 0;
    /// Write the persistent form: no `id`, no runtime-only data.
    pub const INACTIVE: u32 = 1 << 1;
    /// Accepted and ignored (host CPU update).
    pub const UPDATE_CPU: u32 = 1 << 2;
    /// The form suitable for migration.
    pub const MIGRATABLE: u32 = 1 << 3;
}

/// Where the errors of this module are reported: libvirt's domain config.
const DOM: ErrorDomain = ErrorDomain::DOMAIN;

pub(crate) fn xml_error(detail: impl Into<String>) -> Error {
    Error::new(DOM, ErrorCode::XML_ERROR, detail)
}

pub(crate) fn unsupported(detail: impl Into<String>) -> Error {
    Error::new(DOM, ErrorCode::CONFIG_UNSUPPORTED, detail)
}

pub(crate) fn internal(detail: impl Into<String>) -> Error {
    Error::new(DOM, ErrorCode::INTERNAL_ERROR, detail)
}

/// libvirt's generic error for an attribute with a value outside its enum.
pub(crate) fn invalid_attr(attr: &str, element: &str, value: &str) -> Error {
    Error::new(
        ErrorDomain::XML,
        ErrorCode::XML_ERROR,
        format!("Invalid value for attribute '{attr}' in element '{element}': '{value}'."),
    )
}

/// libvirt's generic error for a required attribute that is absent.
pub(crate) fn missing_attr(attr: &str, element: &str) -> Error {
    Error::new(
        ErrorDomain::XML,
        ErrorCode::XML_ERROR,
        format!("Missing required attribute '{attr}' in element '{element}'"),
    )
}

/// An error raised without a detail string: libvirt then shows the code's
/// bare message and sends no detail.
pub fn bare_error(domain: ErrorDomain, code: ErrorCode, message: &str) -> Error {
    let mut e = Error::new(domain, code, "");
    e.message = message.to_owned();
    e.str1 = Some(message.to_owned());
    e.str2 = None;
    e
}

/// `virDomainVirtType` names.
const VIRT_TYPES: &[&str] = &[
    "none",
    "qemu",
    "kqemu",
    "kvm",
    "xen",
    "lxc",
    "uml",
    "openvz",
    "test",
    "vmware",
    "hyperv",
    "vbox",
    "phyp",
    "parallels",
    "bhyve",
    "vz",
    "ch",
];

/// `virArch` names.
pub const ARCHES: &[&str] = &[
    "i686",
    "x86_64",
    "aarch64",
    "alpha",
    "armv6l",
    "armv7l",
    "armv7b",
    "cris",
    "loongarch64",
    "lm32",
    "m68k",
    "microblaze",
    "microblazeel",
    "mips",
    "mipsel",
    "mips64",
    "mips64el",
    "openrisc",
    "parisc",
    "parisc64",
    "ppc",
    "ppcle",
    "ppc64",
    "ppc64le",
    "ppcemb",
    "riscv32",
    "riscv64",
    "s390",
    "s390x",
    "sh4",
    "sh4eb",
    "sparc",
    "sparc64",
    "unicore32",
    "xtensa",
    "xtensaeb",
];

/// `virDomainOSType` names.
const OS_TYPES: &[&str] = &["hvm", "xen", "linux", "exe", "uml", "xenpvh"];

/// Features libvirt 9.0 knows, in the order it writes them.
const FEATURES: &[&str] = &[
    "acpi",
    "apic",
    "pae",
    "hap",
    "viridian",
    "privnet",
    "hyperv",
    "kvm",
    "pvspinlock",
    "capabilities",
    "pmu",
    "vmport",
    "gic",
    "smm",
    "ioapic",
    "hpt",
    "htm",
    "nested-hv",
    "msrs",
    "ccf-assist",
    "xen",
    "cfpc",
    "sbbc",
    "ibs",
    "tcg",
    "async-teardown",
];

/// Top-level elements kept as trees, in the order libvirt writes them, each
/// with the element it follows. Unknown elements are dropped.
const KEPT_BEFORE_OS: &[&str] = &[
    "blkiotune",
    "memtune",
    "memoryBacking",
    "iothreads",
    "iothreadids",
    "cputune",
    "numatune",
    "resource",
    "sysinfo",
    "bootloader",
    "bootloader_args",
];
const KEPT_AFTER_OS: &[&str] = &["idmap"];
const KEPT_AFTER_LIFECYCLE: &[&str] = &["on_lockfailure", "pm", "perf"];
const KEPT_AFTER_DEVICES: &[&str] = &["seclabel", "keywrap", "launchSecurity"];

/// What happens on guest poweroff, reboot or crash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LifecycleAction {
    #[default]
    Destroy,
    Restart,
    RenameRestart,
    Preserve,
    CoredumpDestroy,
    CoredumpRestart,
}

impl LifecycleAction {
    pub fn as_str(self) -> &'static str {
        match self {
            LifecycleAction::Destroy => "destroy",
            LifecycleAction::Restart => "restart",
            LifecycleAction::RenameRestart => "rename-restart",
            LifecycleAction::Preserve => "preserve",
            LifecycleAction::CoredumpDestroy => "coredump-destroy",
            LifecycleAction::CoredumpRestart => "coredump-restart",
        }
    }

    fn parse(s: &str, crash: bool) -> Option<Self> {
        Some(match s {
            "destroy" => LifecycleAction::Destroy,
            "restart" => LifecycleAction::Restart,
            "rename-restart" => LifecycleAction::RenameRestart,
            "preserve" => LifecycleAction::Preserve,
            "coredump-destroy" if crash => LifecycleAction::CoredumpDestroy,
            "coredump-restart" if crash => LifecycleAction::CoredumpRestart,
            _ => return None,
        })
    }
}

/// `<maxMemory>`: the hotplug ceiling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxMemory {
    /// KiB.
    pub kib: u64,
    pub slots: u32,
}

/// `<vcpu>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vcpu {
    /// The maximum (the element's text).
    pub max: u32,
    /// Online vCPUs when fewer than `max`.
    pub current: Option<u32>,
    /// `static` or `auto`.
    pub placement: String,
    pub cpuset: Option<String>,
}

impl Vcpu {
    /// vCPUs online at boot.
    pub fn online(&self) -> u32 {
        self.current.unwrap_or(self.max)
    }
}

/// `<os>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Os {
    /// `hvm`, `xen`, `linux`, ...
    pub os_type: String,
    pub arch: Option<String>,
    pub machine: Option<String>,
    /// The `firmware` attribute of `<os>` (efi, bios).
    pub firmware: Option<String>,
    pub loader: Option<XmlElement>,
    pub nvram: Option<XmlElement>,
    pub kernel: Option<String>,
    pub initrd: Option<String>,
    pub cmdline: Option<String>,
    pub dtb: Option<String>,
    /// Boot devices in order (`hd`, `cdrom`, `network`, `fd`).
    pub boot: Vec<String>,
    /// Other children (bootmenu, smbios, bios, init*, firmware, acpi, ...).
    pub extra: Vec<XmlElement>,
}

/// A parsed `<domain>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainDef {
    /// The `type` attribute: `kvm`, `qemu`, `test`, ...
    pub virt_type: String,
    /// The running id, or -1; written only for active definitions.
    pub id: i32,
    pub name: String,
    pub uuid: Uuid,
    pub genid: Option<Uuid>,
    pub title: Option<String>,
    pub description: Option<String>,
    /// `<metadata>`, kept verbatim.
    pub metadata: Option<XmlElement>,
    pub max_memory: Option<MaxMemory>,
    /// `<memory>`, KiB.
    pub memory: u64,
    /// `dumpCore` attribute of `<memory>`.
    pub memory_dump_core: Option<String>,
    /// `<currentMemory>`, KiB (the balloon target).
    pub current_memory: u64,
    pub vcpu: Vcpu,
    pub os: Os,
    pub features: Option<XmlElement>,
    pub cpu: Option<XmlElement>,
    pub clock: XmlElement,
    pub on_poweroff: LifecycleAction,
    pub on_reboot: LifecycleAction,
    pub on_crash: LifecycleAction,
    pub emulator: Option<String>,
    pub devices: Vec<Device>,
    /// Known top-level elements kept as trees (cputune, numatune, pm, seclabel, ...).
    pub extra: Vec<XmlElement>,
}

/// Where fresh random bytes come from (UUIDs, MAC addresses): the caller's
/// choice, so that tests are deterministic and this crate does no I/O.
pub type RandomSource<'a> = &'a mut dyn FnMut() -> [u8; 16];

impl DomainDef {
    /// Parses a `<domain>` document.
    ///
    /// Errors carry libvirt's codes and messages: XML syntax errors are
    /// `VIR_ERR_XML_DETAIL` in the domain-config domain, a missing name is
    /// `VIR_ERR_NO_NAME`, and so on.
    pub fn parse(xml_text: &str, flags: u32, random: RandomSource<'_>) -> Result<DomainDef, Error> {
        let root = xml::parse_document(xml_text)
            .map_err(|e| Error::new(DOM, ErrorCode::XML_DETAIL, e.render("(domain_definition)")))?;
        Self::from_element(root, flags, random)
    }

    /// Builds a definition from an already parsed `<domain>` element.
    pub fn from_element(
        mut root: XmlElement,
        flags: u32,
        random: RandomSource<'_>,
    ) -> Result<DomainDef, Error> {
        if root.name != "domain" {
            return Err(Error::new(
                ErrorDomain::XML,
                ErrorCode::XML_ERROR,
                format!("expecting root element of 'domain', not '{}'", root.name),
            ));
        }
        root.strip_blank_text();
        if flags & parse_flags::VALIDATE != 0 {
            validate_known_elements(&root)?;
        }

        let virt_type = match root.attr("type") {
            None => return Err(internal("missing domain type attribute")),
            Some(t) if VIRT_TYPES.contains(&t) => t.to_owned(),
            Some(t) => return Err(unsupported(format!("invalid domain type {t}"))),
        };
        let id = if flags & parse_flags::INACTIVE != 0 {
            -1
        } else {
            root.attr("id")
                .and_then(|s| s.parse::<i32>().ok())
                .unwrap_or(-1)
        };

        let name = root.child_text("name").unwrap_or_default();
        if name.is_empty() {
            return Err(bare_error(
                DOM,
                ErrorCode::NO_NAME,
                "missing name information",
            ));
        }
        if name.contains('/') {
            return Err(xml_error(format!("name {name} cannot contain '/'")));
        }

        let uuid = match root.child_text("uuid").filter(|s| !s.is_empty()) {
            Some(s) => s
                .parse::<Uuid>()
                .map_err(|_| internal("malformed uuid element"))?,
            None => Uuid::from_random_bytes(random()),
        };
        let genid = match root.child("genid") {
            None => None,
            Some(g) if g.text().trim().is_empty() => Some(Uuid::from_random_bytes(random())),
            Some(g) => Some(
                g.text()
                    .parse::<Uuid>()
                    .map_err(|_| internal("malformed genid element"))?,
            ),
        };

        let title = root.child_text("title");
        if title.as_deref().is_some_and(|t| t.contains('\n')) {
            return Err(xml_error("Domain title can't contain newlines"));
        }
        let description = root.child_text("description");
        let metadata = root.take_child("metadata").map(|mut m| {
            m.strip_blank_text();
            m
        });

        let (memory, memory_dump_core) = match root.child("memory") {
            Some(m) => (
                units::parse_memory_kib(&m.text(), m.attr("unit"), "./memory[1]")?,
                m.attr("dumpCore").map(str::to_owned),
            ),
            None => (0, None),
        };
        let current_memory = match root.child("currentMemory") {
            Some(m) => units::parse_memory_kib(&m.text(), m.attr("unit"), "./currentMemory[1]")?,
            None => 0,
        };
        let max_memory = match root.child("maxMemory") {
            Some(m) => {
                let kib = units::parse_memory_kib(&m.text(), m.attr("unit"), "./maxMemory[1]")?;
                let slots = m.attr("slots").and_then(units::parse_u64).unwrap_or(0);
                if kib == 0 || slots == 0 {
                    return Err(xml_error(
                        "both maximum memory size and memory slot count must be specified",
                    ));
                }
                Some(MaxMemory {
                    kib,
                    slots: u32::try_from(slots).unwrap_or(u32::MAX),
                })
            }
            None => None,
        };

        let vcpu = parse_vcpu(root.child("vcpu"))?;

        let os = parse_os(root.child("os"))?;

        let features = match root.take_child("features") {
            Some(mut f) => {
                f.strip_blank_text();
                if let Some(bad) = f.elements().find(|e| !FEATURES.contains(&e.name.as_str())) {
                    return Err(unsupported(format!("unexpected feature '{}'", bad.name)));
                }
                Some(f)
            }
            None => None,
        };
        let cpu = match root.take_child("cpu") {
            Some(c) => Some(normalise_cpu(c)?),
            None => None,
        };
        let clock = match root.take_child("clock") {
            Some(mut c) => {
                c.strip_blank_text();
                let offset = c.attr("offset").unwrap_or("utc").to_owned();
                if !matches!(
                    offset.as_str(),
                    "utc" | "localtime" | "variable" | "timezone" | "absolute"
                ) {
                    return Err(unsupported(format!("unknown clock offset '{offset}'")));
                }
                c.set_attr("offset", offset);
                c
            }
            None => XmlElement::new("clock").with_attr("offset", "utc"),
        };

        let on_poweroff = parse_lifecycle(&root, "on_poweroff", false)?;
        let on_reboot = parse_lifecycle(&root, "on_reboot", false)?;
        let on_crash = parse_lifecycle(&root, "on_crash", true)?;

        if let Some(mt) = root.child_mut("memtune") {
            normalise_memtune(mt)?;
        }
        let mut extra = Vec::new();
        for name in KEPT_BEFORE_OS
            .iter()
            .chain(KEPT_AFTER_OS)
            .chain(KEPT_AFTER_LIFECYCLE)
            .chain(KEPT_AFTER_DEVICES)
        {
            for mut e in root.take_children(name) {
                e.strip_blank_text();
                extra.push(e);
            }
        }

        let mut emulator = None;
        let mut devs = Vec::new();
        if let Some(mut d) = root.take_child("devices") {
            d.strip_blank_text();
            for c in d.children.drain(..) {
                let xml::XmlNode::Element(e) = c else {
                    continue;
                };
                if e.name == "emulator" {
                    emulator = Some(e.text());
                    continue;
                }
                let inactive = flags & parse_flags::INACTIVE != 0;
                match Device::from_element(e, &os, inactive, random)? {
                    Some(Device::Disk(d)) => devices::insert_disk(&mut devs, d),
                    Some(Device::Controller(c)) => devices::insert_controller(&mut devs, c),
                    Some(dev) => devs.push(dev),
                    None => {}
                }
            }
        }

        let mut def = DomainDef {
            virt_type,
            id,
            name,
            uuid,
            genid,
            title,
            description,
            metadata,
            max_memory,
            memory,
            memory_dump_core,
            current_memory,
            vcpu,
            os,
            features,
            cpu,
            clock,
            on_poweroff,
            on_reboot,
            on_crash,
            emulator,
            devices: devs,
            extra,
        };
        def.post_parse()?;
        Ok(def)
    }

    /// The checks and defaults libvirt applies to every parsed definition.
    fn post_parse(&mut self) -> Result<(), Error> {
        if self.memory == 0 {
            return Err(xml_error(
                "Memory size must be specified via <memory> or in the <numa> configuration",
            ));
        }
        if self.current_memory == 0 || self.current_memory > self.memory {
            self.current_memory = self.memory;
        }
        if self.vcpu.placement == "auto" && !self.extra.iter().any(|e| e.name == "numatune") {
            self.extra.push(
                XmlElement::new("numatune").with_child(
                    XmlElement::new("memory")
                        .with_attr("mode", "strict")
                        .with_attr("placement", "auto"),
                ),
            );
        }
        let per_device_boot = self.devices.iter().any(|d| d.boot_order().is_some());
        if self.os.os_type == "hvm" && self.os.boot.is_empty() && !per_device_boot {
            self.os.boot.push("hd".into());
        }
        devices::add_implicit(self)
    }

    /// Total memory in KiB, as `virDomainDefGetMemoryTotal` reports it.
    pub fn memory_total(&self) -> u64 {
        self.memory
    }

    /// Sets `<memory>`, clamping the balloon target.
    pub fn set_memory_total(&mut self, kib: u64) {
        self.memory = kib;
        if self.current_memory > kib {
            self.current_memory = kib;
        }
    }

    /// The interfaces of the definition.
    pub fn interfaces_mut(&mut self) -> impl Iterator<Item = &mut Interface> {
        self.devices.iter_mut().filter_map(|d| match d {
            Device::Interface(i) => Some(i),
            _ => None,
        })
    }

    /// Gives video cards still of model `default` the driver's default model.
    pub fn set_default_video_model(&mut self, model: &str) {
        let virt_type = self.virt_type.clone();
        for d in self.devices.iter_mut() {
            if let Device::Video(v) = d {
                if v.model == "default" {
                    v.apply_default_model(model, &virt_type);
                }
            }
        }
    }

    /// True when a memory balloon other than model `none` is configured.
    pub fn has_memballoon(&self) -> bool {
        self.devices
            .iter()
            .any(|d| matches!(d, Device::Memballoon(m) if m.model != "none"))
    }

    /// Writes the definition as libvirt's `virDomainDefFormat` does.
    pub fn format(&self, flags: u32) -> String {
        if flags & format_flags::MIGRATABLE != 0 {
            let m = self.migratable_copy();
            return m.format((flags & !format_flags::MIGRATABLE) | format_flags::INACTIVE);
        }
        let mut w = XmlWriter::new();
        let inactive = flags & format_flags::INACTIVE != 0;
        w.start("domain").attr("type", &self.virt_type);
        if !inactive && self.id >= 0 {
            w.attr("id", &self.id.to_string());
        }
        w.end_open();
        w.text_element("name", &self.name);
        w.text_element("uuid", &self.uuid.to_string());
        if let Some(g) = &self.genid {
            w.text_element("genid", &g.to_string());
        }
        if let Some(t) = &self.title {
            w.text_element("title", t);
        }
        if let Some(d) = &self.description {
            w.text_element("description", d);
        }
        if let Some(m) = &self.metadata {
            if m.has_elements() {
                w.start("metadata").end_open();
                for c in m.elements() {
                    w.element_verbatim(c);
                }
                w.close("metadata");
            }
        }
        if let Some(mm) = &self.max_memory {
            w.start("maxMemory")
                .attr("slots", &mm.slots.to_string())
                .attr("unit", "KiB")
                .end_text("maxMemory", &mm.kib.to_string());
        }
        w.start("memory")
            .attr("unit", "KiB")
            .attr_opt("dumpCore", self.memory_dump_core.as_deref())
            .end_text("memory", &self.memory.to_string());
        w.start("currentMemory")
            .attr("unit", "KiB")
            .end_text("currentMemory", &self.current_memory.to_string());
        self.write_extra(&mut w, &KEPT_BEFORE_OS[..3]);
        w.start("vcpu").attr("placement", &self.vcpu.placement);
        w.attr_opt("cpuset", self.vcpu.cpuset.as_deref());
        if let Some(c) = self.vcpu.current.filter(|c| *c != self.vcpu.max) {
            w.attr("current", &c.to_string());
        }
        w.end_text("vcpu", &self.vcpu.max.to_string());
        self.write_extra(&mut w, &KEPT_BEFORE_OS[3..]);
        self.write_os(&mut w);
        self.write_extra(&mut w, KEPT_AFTER_OS);
        if let Some(f) = &self.features {
            xml::write_canonical(&mut w, f, &order::features);
        }
        if let Some(c) = &self.cpu {
            xml::write_canonical(&mut w, c, &order::cpu);
        }
        xml::write_canonical(&mut w, &self.clock, &order::clock);
        w.text_element("on_poweroff", self.on_poweroff.as_str());
        w.text_element("on_reboot", self.on_reboot.as_str());
        w.text_element("on_crash", self.on_crash.as_str());
        self.write_extra(&mut w, KEPT_AFTER_LIFECYCLE);
        w.start("devices").end_open();
        if let Some(e) = &self.emulator {
            w.text_element("emulator", e);
        }
        devices::write_all(&mut w, self, flags);
        w.close("devices");
        self.write_extra(&mut w, KEPT_AFTER_DEVICES);
        w.close("domain");
        w.finish()
    }

    /// The definition as `VIR_DOMAIN_XML_MIGRATABLE` shows it: without
    /// runtime data (aliases, generated channel paths and states, automatic
    /// display ports, the security label) and without the devices libvirt
    /// adds implicitly (the PS/2 keyboard, the `none` audio backend).
    fn migratable_copy(&self) -> DomainDef {
        let mut m = self.clone();
        m.id = -1;
        m.extra.retain(|e| e.name != "seclabel");
        let hvm_x86 = matches!(m.os.arch.as_deref(), Some("x86_64" | "i686"));
        m.devices.retain(|d| match d {
            Device::Input(i) => {
                !(hvm_x86 && i.itype == "keyboard" && i.bus.as_deref() == Some("ps2"))
            }
            Device::Other(e) if e.name == "audio" => {
                !(e.attr("type") == Some("none") && e.attr("id") == Some("1") && !e.has_elements())
            }
            _ => true,
        });
        for d in m.devices.iter_mut() {
            match d {
                Device::Other(e) => {
                    let user = e
                        .child("alias")
                        .and_then(|a| a.attr("name"))
                        .is_some_and(|a| a.starts_with("ua-"));
                    if !user {
                        e.take_children("alias");
                    }
                }
                Device::Chardev(c) => {
                    if let Some(t) = c.rest.child_mut("target") {
                        t.take_attr("state");
                    }
                    let generated = c
                        .rest
                        .child("source")
                        .and_then(|s| s.attr("path"))
                        .is_some_and(|p| p.contains("/channel/target/"));
                    if c.kind == ChardevKind::Channel && c.ctype == "unix" && generated {
                        if let Some(src) = c.rest.child_mut("source") {
                            src.take_attr("path");
                        }
                    }
                }
                Device::Graphics(g) if g.autoport => {
                    g.port = None;
                }
                Device::Disk(disk) => {
                    if let Some(src) = disk.rest.child_mut("source") {
                        src.take_attr("index");
                    }
                    disk.rest.take_children("backingStore");
                }
                _ => {}
            }
        }
        m
    }

    fn write_extra(&self, w: &mut XmlWriter, names: &[&str]) {
        for n in names {
            for e in self.extra.iter().filter(|e| e.name == *n) {
                xml::write_canonical(w, e, &order::generic);
            }
        }
    }

    fn write_os(&self, w: &mut XmlWriter) {
        let os = &self.os;
        w.start("os").attr_opt("firmware", os.firmware.as_deref());
        w.end_open();
        w.start("type")
            .attr_opt("arch", os.arch.as_deref())
            .attr_opt("machine", os.machine.as_deref())
            .end_text("type", &os.os_type);
        let extra_in = |names: &[&str], w: &mut XmlWriter| {
            for n in names {
                for e in os.extra.iter().filter(|e| e.name == *n) {
                    xml::write_canonical(w, e, &order::generic);
                }
            }
        };
        extra_in(
            &[
                "firmware",
                "init",
                "initarg",
                "initenv",
                "initdir",
                "inituser",
                "initgroup",
            ],
            w,
        );
        if let Some(l) = &os.loader {
            xml::write_canonical(w, l, &order::loader);
        }
        if let Some(n) = &os.nvram {
            xml::write_canonical(w, n, &order::generic);
        }
        for (name, v) in [
            ("kernel", &os.kernel),
            ("initrd", &os.initrd),
            ("cmdline", &os.cmdline),
            ("dtb", &os.dtb),
        ] {
            if let Some(v) = v {
                w.text_element(name, v);
            }
        }
        extra_in(&["acpi", "root"], w);
        for b in &os.boot {
            w.start("boot").attr("dev", b).end_empty();
        }
        extra_in(&["bootmenu", "smbios", "bios"], w);
        w.close("os");
    }
}

/// Top-level elements of `<domain>` that libvirt's schema allows.
const KNOWN_TOP: &[&str] = &[
    "name",
    "uuid",
    "genid",
    "title",
    "description",
    "metadata",
    "maxMemory",
    "memory",
    "currentMemory",
    "vcpu",
    "vcpus",
    "os",
    "features",
    "cpu",
    "clock",
    "on_poweroff",
    "on_reboot",
    "on_crash",
    "devices",
    "qemu:commandline",
    "qemu:capabilities",
    "qemu:override",
    "qemu:deprecation",
];

/// The schema error libvirt reports for an element it does not know, with
/// `VIR_DOMAIN_DEFINE_VALIDATE`.
fn schema_error(name: &str, parent: &str) -> Error {
    Error::new(
        ErrorDomain::XML,
        ErrorCode::XML_INVALID_SCHEMA,
        format!(
            "Unable to validate doc against /usr/share/libvirt/schemas/domain.rng\nExtra element {name} in interleave\nElement {parent} failed to validate content"
        ),
    )
}

/// Refuses elements the schema does not know, at the top and in `<devices>`.
fn validate_known_elements(root: &XmlElement) -> Result<(), Error> {
    for e in root.elements() {
        let known = KNOWN_TOP.contains(&e.name.as_str())
            || KEPT_BEFORE_OS.contains(&e.name.as_str())
            || KEPT_AFTER_OS.contains(&e.name.as_str())
            || KEPT_AFTER_LIFECYCLE.contains(&e.name.as_str())
            || KEPT_AFTER_DEVICES.contains(&e.name.as_str());
        if !known {
            return Err(schema_error(&e.name, "domain"));
        }
    }
    if let Some(d) = root.child("devices") {
        for e in d.elements() {
            if e.name != "emulator" && !devices::is_known_kind(&e.name) {
                return Err(schema_error(&e.name, "devices"));
            }
        }
    }
    Ok(())
}

/// Fills in what libvirt adds to `<cpu>`: `dies` in the topology, NUMA cell
/// memory in KiB.
fn normalise_cpu(mut c: XmlElement) -> Result<XmlElement, Error> {
    c.strip_blank_text();
    for (attr, allowed) in [
        (
            "mode",
            &["custom", "host-model", "host-passthrough", "maximum"][..],
        ),
        ("match", &["minimum", "exact", "strict"][..]),
        ("check", &["none", "partial", "full"][..]),
        ("migratable", &["on", "off"][..]),
    ] {
        if let Some(v) = c.attr(attr) {
            if !allowed.contains(&v) {
                return Err(invalid_attr(attr, "cpu", v));
            }
        }
    }
    for f in c.elements().filter(|e| e.name == "feature") {
        let name = f
            .attr("name")
            .ok_or_else(|| missing_attr("name", "feature"))?;
        if name.is_empty() {
            return Err(xml_error("Invalid CPU feature name"));
        }
        if let Some(p) = f.attr("policy") {
            if !matches!(p, "force" | "require" | "optional" | "disable" | "forbid") {
                return Err(invalid_attr("policy", "feature", p));
            }
        }
    }
    if let Some(t) = c.child("topology") {
        for k in ["sockets", "dies", "cores", "threads"] {
            if let Some(v) = t.attr(k) {
                if units::parse_u64(v)
                    .filter(|n| *n > 0 && *n <= u64::from(u32::MAX))
                    .is_none()
                {
                    return Err(xml_error(format!(
                        "Invalid '{k}' value '{v}' in CPU topology"
                    )));
                }
            }
        }
    }
    if let Some(t) = c.child_mut("topology") {
        if t.attr("dies").is_none() {
            let pos = t
                .attrs
                .iter()
                .position(|(n, _)| n == "sockets")
                .map(|i| i + 1)
                .unwrap_or(0);
            t.attrs.insert(pos, ("dies".into(), "1".into()));
        }
    }
    if let Some(numa) = c.child_mut("numa") {
        numa.strip_blank_text();
        for node in numa.children.iter_mut() {
            let xml::XmlNode::Element(cell) = node else {
                continue;
            };
            if cell.name != "cell" {
                continue;
            }
            if let Some(m) = cell.attr("memory").map(str::to_owned) {
                let kib =
                    units::parse_memory_kib(&m, cell.attr("unit"), "./cpu/numa/cell/@memory")?;
                cell.set_attr("memory", kib.to_string());
                cell.set_attr("unit", "KiB");
            }
        }
    }
    Ok(c)
}

/// Rewrites `<memtune>` limits in KiB, in libvirt's order.
fn normalise_memtune(mt: &mut XmlElement) -> Result<(), Error> {
    mt.strip_blank_text();
    let mut out = XmlElement::new("memtune");
    for name in [
        "hard_limit",
        "soft_limit",
        "min_guarantee",
        "swap_hard_limit",
    ] {
        if let Some(e) = mt.child(name) {
            let kib = units::parse_memory_kib(
                &e.text(),
                e.attr("unit"),
                &format!("./memtune/{name}[1]"),
            )?;
            out.children.push(xml::XmlNode::Element(
                XmlElement::new(name)
                    .with_attr("unit", "KiB")
                    .with_text(kib.to_string()),
            ));
        }
    }
    *mt = out;
    Ok(())
}

fn parse_vcpu(el: Option<&XmlElement>) -> Result<Vcpu, Error> {
    let Some(el) = el else {
        return Ok(Vcpu {
            max: 1,
            current: None,
            placement: "static".into(),
            cpuset: None,
        });
    };
    let max = units::parse_u64(&el.text())
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| xml_error("maximum vcpus count must be an integer"))?;
    if max == 0 {
        return Err(internal("CPU IDs in <numa> exceed the <vcpu> count"));
    }
    let current = match el.attr("current") {
        Some(c) => Some(
            units::parse_u64(c)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| xml_error("current vcpus count must be an integer"))?,
        ),
        None => None,
    };
    if let Some(c) = current {
        if c > max {
            return Err(unsupported(
                "maximum vCPU count must not be less than current vCPU count",
            ));
        }
    }
    let placement = match el.attr("placement") {
        None => "static".to_owned(),
        Some(p @ ("static" | "auto")) => p.to_owned(),
        Some(p) => return Err(unsupported(format!("Unsupported CPU placement mode '{p}'"))),
    };
    Ok(Vcpu {
        max,
        current: current.filter(|c| *c != 0),
        placement,
        cpuset: el.attr("cpuset").map(str::to_owned),
    })
}

fn parse_os(el: Option<&XmlElement>) -> Result<Os, Error> {
    let Some(el) = el else {
        return Err(xml_error("an os <type> must be specified"));
    };
    let mut el = el.clone();
    el.strip_blank_text();
    let ty = el
        .take_child("type")
        .ok_or_else(|| xml_error("an os <type> must be specified"))?;
    let os_type = ty.text().trim().to_owned();
    if os_type.is_empty() {
        return Err(xml_error("an os <type> must be specified"));
    }
    if !OS_TYPES.contains(&os_type.as_str()) {
        return Err(unsupported(format!("unknown OS type '{os_type}'")));
    }
    let arch = match ty.attr("arch") {
        Some(a) if ARCHES.contains(&a) => Some(a.to_owned()),
        Some(a) => return Err(unsupported(format!("Unknown architecture {a}"))),
        None => None,
    };
    let boot = el
        .take_children("boot")
        .into_iter()
        .filter_map(|b| b.attr("dev").map(str::to_owned))
        .collect::<Vec<_>>();
    for b in &boot {
        if !matches!(b.as_str(), "hd" | "cdrom" | "network" | "fd") {
            return Err(invalid_attr("dev", "boot", b));
        }
    }
    Ok(Os {
        os_type,
        arch,
        machine: ty.attr("machine").map(str::to_owned),
        firmware: el.attr("firmware").map(str::to_owned),
        loader: el.take_child("loader"),
        nvram: el.take_child("nvram"),
        kernel: el.take_child("kernel").map(|e| e.text()),
        initrd: el.take_child("initrd").map(|e| e.text()),
        cmdline: el.take_child("cmdline").map(|e| e.text()),
        dtb: el.take_child("dtb").map(|e| e.text()),
        boot,
        extra: el.elements().cloned().collect(),
    })
}

fn parse_lifecycle(root: &XmlElement, name: &str, crash: bool) -> Result<LifecycleAction, Error> {
    match root.child_text(name) {
        None => Ok(match name {
            "on_reboot" => LifecycleAction::Restart,
            _ => LifecycleAction::Destroy,
        }),
        Some(v) => LifecycleAction::parse(&v, crash)
            .ok_or_else(|| unsupported(format!("unknown {name} action: {v}"))),
    }
}

#[cfg(test)]
mod tests;
