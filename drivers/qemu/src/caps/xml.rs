//! The `capabilities` and `domcapabilities` documents, written with
//! libvirt's layout from [`QemuCaps`] and [`HostInfo`].

use super::host::{vendor_name, HostInfo};
use super::{is_i440fx, is_q35, unsupported_virt_type, QemuCaps};
use oxvirt_conf::domain::firmware::Firmware;
use oxvirt_conf::xml::XmlWriter;
use oxvirt_core::{Error, ErrorCode, ErrorDomain};

/// CPU models from newest to oldest per vendor; the first one QEMU can run
/// under KVM names the host CPU and the host-model CPU.
const MODEL_PREFERENCE: &[(&str, &str)] = &[
    ("AMD", "EPYC-Genoa"),
    ("AMD", "EPYC-Milan-v2"),
    ("AMD", "EPYC-Milan"),
    ("AMD", "EPYC-Rome"),
    ("AMD", "EPYC-IBPB"),
    ("AMD", "EPYC"),
    ("AMD", "Opteron_G5"),
    ("AMD", "Opteron_G4"),
    ("AMD", "Opteron_G3"),
    ("AMD", "Opteron_G2"),
    ("AMD", "Opteron_G1"),
    ("Intel", "SapphireRapids"),
    ("Intel", "Icelake-Server"),
    ("Intel", "Cooperlake"),
    ("Intel", "Cascadelake-Server"),
    ("Intel", "Skylake-Server-IBRS"),
    ("Intel", "Skylake-Server"),
    ("Intel", "Skylake-Client-IBRS"),
    ("Intel", "Skylake-Client"),
    ("Intel", "Broadwell-IBRS"),
    ("Intel", "Broadwell"),
    ("Intel", "Haswell-IBRS"),
    ("Intel", "Haswell"),
    ("Intel", "IvyBridge-IBRS"),
    ("Intel", "IvyBridge"),
    ("Intel", "SandyBridge-IBRS"),
    ("Intel", "SandyBridge"),
    ("Intel", "Westmere-IBRS"),
    ("Intel", "Westmere"),
    ("Intel", "Nehalem-IBRS"),
    ("Intel", "Nehalem"),
    ("Intel", "Penryn"),
    ("Intel", "Conroe"),
];

/// Vendors of the CPU models libvirt's map knows, for `<model vendor=>`.
fn model_vendor(name: &str) -> Option<&'static str> {
    if name.starts_with("EPYC")
        || name.starts_with("Opteron")
        || name.starts_with("phenom")
        || name.starts_with("athlon")
    {
        Some("AMD")
    } else if name.starts_with("Dhyana") {
        Some("Hygon")
    } else if name.starts_with("qemu")
        || name.starts_with("kvm")
        || name == "486"
        || name.starts_with("pentium")
        || name == "coreduo"
        || name == "core2duo"
        || name == "n270"
    {
        if name == "486" || name.starts_with("qemu") || name.starts_with("kvm") {
            None
        } else {
            Some("Intel")
        }
    } else if name.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !matches!(name, "EPYC")
    {
        Some("Intel")
    } else {
        None
    }
}

/// The CPU model that best describes the host: the newest model of the
/// host's vendor that the probe found usable, else `qemu64`.
pub fn host_cpu_model<'a>(caps: &'a QemuCaps, host: &HostInfo) -> &'a str {
    let vendor = vendor_name(&host.cpu.vendor_id);
    MODEL_PREFERENCE
        .iter()
        .filter(|(v, _)| *v == vendor)
        .find_map(|(_, name)| {
            caps.cpu_model(name)
                .filter(|m| m.usable == Some(true))
                .map(|m| m.name.as_str())
        })
        .unwrap_or("qemu64")
}

/// The security models the driver reports, first one is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityInfo {
    /// (model, doi, base label per domain type or `None`).
    pub models: Vec<(String, String, Option<String>)>,
}

impl SecurityInfo {
    /// `none` then `dac` with `+uid:+gid`, as libvirt's qemu driver.
    pub fn dac(uid: u32, gid: u32) -> SecurityInfo {
        SecurityInfo {
            models: vec![
                ("none".into(), "0".into(), None),
                ("dac".into(), "0".into(), Some(format!("+{uid}:+{gid}"))),
            ],
        }
    }
}

/// Writes `virConnectGetCapabilities` for the host and the probed binaries
/// (one `<guest>` per binary; an x86_64 binary also serves i686 through
/// `i686_emulator` when given). `kvm_usable` says whether `/dev/kvm`
/// opens ([`super::kvm_usable`]).
pub fn capabilities_xml(
    host: &HostInfo,
    emulators: &[&QemuCaps],
    i686_emulator: Option<&str>,
    sec: &SecurityInfo,
    kvm_usable: bool,
) -> String {
    let mut w = XmlWriter::new();
    w.start("capabilities").end_open();
    w.blank_line();
    write_host(&mut w, host, emulators.first().copied(), sec);
    let mut guests: Vec<(&QemuCaps, String, String)> = Vec::new();
    for caps in emulators {
        if caps.arch == "x86_64" {
            if let Some(e) = i686_emulator {
                guests.push((caps, "i686".into(), e.to_owned()));
            }
        }
        guests.push((caps, caps.arch.clone(), caps.emulator.clone()));
    }
    for (caps, arch, emulator) in guests {
        w.blank_line();
        write_guest(&mut w, caps, &arch, &emulator, kvm_usable);
    }
    w.blank_line();
    w.close("capabilities");
    w.finish()
}

fn write_host(w: &mut XmlWriter, host: &HostInfo, caps: Option<&QemuCaps>, sec: &SecurityInfo) {
    w.start("host").end_open();
    if let Some(u) = &host.uuid {
        w.text_element("uuid", u);
    }
    w.start("cpu").end_open();
    w.text_element("arch", &host.arch);
    if host.arch == "x86_64" || host.arch == "i686" {
        let model = caps.map(|c| host_cpu_model(c, host)).unwrap_or("qemu64");
        w.text_element("model", model);
        w.text_element("vendor", vendor_name(&host.cpu.vendor_id));
        if let Some(m) = host.cpu.microcode {
            w.start("microcode")
                .attr("version", &m.to_string())
                .end_empty();
        }
        w.start("signature")
            .attr("family", &host.cpu.family.to_string())
            .attr("model", &host.cpu.model.to_string())
            .attr("stepping", &host.cpu.stepping.to_string())
            .end_empty();
    }
    let t = host.topology;
    w.start("topology")
        .attr("sockets", &t.sockets.to_string())
        .attr("dies", &t.dies.to_string())
        .attr("cores", &t.cores.to_string())
        .attr("threads", &t.threads.to_string())
        .end_empty();
    for p in &host.page_sizes {
        w.start("pages")
            .attr("unit", "KiB")
            .attr("size", &p.to_string())
            .end_empty();
    }
    w.close("cpu");
    w.start("power_management").end_empty();
    w.start("iommu")
        .attr("support", if host.iommu { "yes" } else { "no" })
        .end_empty();
    w.start("migration_features").end_open();
    w.start("live").end_empty();
    w.start("uri_transports").end_open();
    w.text_element("uri_transport", "tcp");
    w.text_element("uri_transport", "rdma");
    w.close("uri_transports");
    w.close("migration_features");
    oxvirt_conf::capabilities::format_topology(w, &host.cells);
    for (model, doi, label) in &sec.models {
        w.start("secmodel").end_open();
        w.text_element("model", model);
        w.text_element("doi", doi);
        if let Some(l) = label {
            for ty in ["kvm", "qemu"] {
                w.start("baselabel")
                    .attr("type", ty)
                    .end_text("baselabel", l);
            }
        }
        w.close("secmodel");
    }
    w.close("host");
}

fn write_guest(w: &mut XmlWriter, caps: &QemuCaps, arch: &str, emulator: &str, kvm_usable: bool) {
    w.start("guest").end_open();
    w.text_element("os_type", "hvm");
    w.start("arch").attr("name", arch).end_open();
    w.text_element("wordsize", &super::arch_wordsize(arch).to_string());
    w.text_element("emulator", emulator);
    let mut machines = caps.machines_sorted();
    if let Some(i) = machines.iter().position(|m| m.is_default) {
        let d = machines.remove(i);
        machines.insert(0, d);
    }
    for m in machines {
        let max = m.max_cpus.to_string();
        w.start("machine").attr("maxCpus", &max);
        if m.deprecated {
            w.attr("deprecated", "yes");
        }
        w.end_text("machine", &m.name);
        if let Some(alias) = &m.alias {
            w.start("machine")
                .attr("canonical", &m.name)
                .attr("maxCpus", &max);
            if m.deprecated {
                w.attr("deprecated", "yes");
            }
            w.end_text("machine", alias);
        }
    }
    w.start("domain").attr("type", "qemu").end_empty();
    if caps.kvm && kvm_usable && arch_runs_on_host(arch) {
        w.start("domain").attr("type", "kvm").end_empty();
    }
    w.close("arch");
    w.start("features").end_open();
    w.start("acpi")
        .attr("default", "on")
        .attr("toggle", "yes")
        .end_empty();
    w.start("apic")
        .attr("default", "on")
        .attr("toggle", "no")
        .end_empty();
    w.start("cpuselection").end_empty();
    w.start("deviceboot").end_empty();
    w.start("disksnapshot")
        .attr("default", "on")
        .attr("toggle", "no")
        .end_empty();
    if arch == "i686" {
        w.start("pae").end_empty();
        w.start("nonpae").end_empty();
    }
    w.close("features");
    w.close("guest");
}

fn arch_runs_on_host(arch: &str) -> bool {
    let host = std::env::consts::ARCH;
    arch == host || (host == "x86_64" && arch == "i686")
}

/// What `virConnectGetDomainCapabilities` asks about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DomCapsRequest {
    /// `kvm` or `qemu` (default: kvm when usable).
    pub virt_type: Option<String>,
    /// Machine name or alias (default: the binary's default machine).
    pub machine: Option<String>,
}

/// Writes `virConnectGetDomainCapabilities` for one binary.
pub fn domain_capabilities_xml(
    caps: &QemuCaps,
    host: &HostInfo,
    firmwares: &[Firmware],
    req: &DomCapsRequest,
    kvm_usable: bool,
) -> Result<String, Error> {
    let virt_type = match req.virt_type.as_deref() {
        None => {
            if caps.kvm && kvm_usable {
                "kvm"
            } else {
                "qemu"
            }
        }
        Some(t @ "qemu") => t,
        Some(t @ "kvm") if caps.kvm && kvm_usable => t,
        Some(t) => return Err(unsupported_virt_type(&caps.emulator, t)),
    };
    let machine = match req.machine.as_deref() {
        None => caps
            .machine("q35")
            .filter(|_| caps.arch == "x86_64" || caps.arch == "i686")
            .or_else(|| caps.default_machine()),
        Some(m) => Some(caps.machine(m).ok_or_else(|| {
            Error::new(
                ErrorDomain::QEMU,
                ErrorCode::INVALID_ARG,
                format!(
                    "the machine '{m}' is not supported by emulator '{}'",
                    caps.emulator
                ),
            )
        })?),
    };
    let machine_name = machine.map(|m| m.name.as_str()).unwrap_or("none");
    let q35 = is_q35(machine_name);
    let x86 = caps.arch == "x86_64" || caps.arch == "i686";

    let mut w = XmlWriter::new();
    w.start("domainCapabilities").end_open();
    w.text_element("path", &caps.emulator);
    w.text_element("domain", virt_type);
    w.text_element("machine", machine_name);
    w.text_element("arch", &caps.arch);
    w.start("vcpu")
        .attr("max", &caps.max_vcpus(Some(machine_name)).to_string())
        .end_empty();
    w.start("iothreads").attr("supported", "yes").end_empty();

    // Firmware.
    let uefi: Vec<&Firmware> = firmwares
        .iter()
        .filter(|f| f.is_uefi() && f.device == "flash" && f.supports(&caps.arch, machine_name))
        .collect();
    w.start("os").attr("supported", "yes").end_open();
    w.start("enum").attr("name", "firmware").end_open();
    if x86 && (q35 || is_i440fx(machine_name)) {
        w.text_element("value", "bios");
    }
    if !uefi.is_empty() {
        w.text_element("value", "efi");
    }
    w.close("enum");
    w.start("loader").attr("supported", "yes").end_open();
    let mut seen: Vec<&str> = Vec::new();
    for f in &uefi {
        if !seen.contains(&f.executable.as_str()) {
            seen.push(&f.executable);
            w.text_element("value", &f.executable);
        }
    }
    write_enum(&mut w, "type", &["rom", "pflash"]);
    write_enum(&mut w, "readonly", &["yes", "no"]);
    let secure: &[&str] = if uefi.iter().any(|f| f.has_feature("secure-boot")) {
        &["yes", "no"]
    } else {
        &["no"]
    };
    write_enum(&mut w, "secure", secure);
    w.close("loader");
    w.close("os");

    // CPU.
    w.start("cpu").end_open();
    let kvm = virt_type == "kvm";
    w.start("mode")
        .attr("name", "host-passthrough")
        .attr("supported", if kvm { "yes" } else { "no" });
    if kvm {
        w.end_open();
        write_enum(&mut w, "hostPassthroughMigratable", &["on", "off"]);
        w.close("mode");
    } else {
        w.end_empty();
    }
    w.start("mode")
        .attr("name", "maximum")
        .attr("supported", "yes")
        .end_open();
    write_enum(&mut w, "maximumMigratable", &["on", "off"]);
    w.close("mode");
    let host_model = if x86 && kvm {
        Some(host_cpu_model(caps, host))
    } else {
        None
    };
    match host_model {
        Some(model) => {
            w.start("mode")
                .attr("name", "host-model")
                .attr("supported", "yes")
                .end_open();
            w.start("model")
                .attr("fallback", "forbid")
                .end_text("model", model);
            w.text_element("vendor", vendor_name(&host.cpu.vendor_id));
            w.close("mode");
        }
        None => {
            w.start("mode")
                .attr("name", "host-model")
                .attr("supported", "no")
                .end_empty();
        }
    }
    w.start("mode")
        .attr("name", "custom")
        .attr("supported", "yes")
        .end_open();
    for m in caps
        .cpu_models
        .iter()
        .filter(|m| !matches!(m.name.as_str(), "host" | "max" | "base") && !is_versioned(&m.name))
    {
        let usable = match (kvm, m.usable) {
            (false, _) => "yes",
            (true, Some(true)) => "yes",
            (true, Some(false)) => "no",
            (true, None) => "unknown",
        };
        w.start("model").attr("usable", usable);
        if m.deprecated {
            w.attr("deprecated", "yes");
        }
        if let Some(v) = model_vendor(&m.name) {
            w.attr("vendor", v);
        }
        w.end_text("model", &m.name);
    }
    w.close("mode");
    w.close("cpu");

    w.start("memoryBacking").attr("supported", "yes").end_open();
    write_enum(&mut w, "sourceType", &["file", "anonymous", "memfd"]);
    w.close("memoryBacking");

    // Devices.
    w.start("devices").end_open();
    w.start("disk").attr("supported", "yes").end_open();
    write_enum(&mut w, "diskDevice", &["disk", "cdrom", "floppy", "lun"]);
    let buses: &[&str] = if q35 {
        &["fdc", "scsi", "virtio", "usb", "sata"]
    } else {
        &["ide", "fdc", "scsi", "virtio", "usb", "sata"]
    };
    write_enum(&mut w, "bus", buses);
    write_enum(
        &mut w,
        "model",
        &["virtio", "virtio-transitional", "virtio-non-transitional"],
    );
    w.close("disk");
    w.start("graphics").attr("supported", "yes").end_open();
    let mut gtypes = vec!["sdl", "vnc"];
    if caps.has_command("query-spice") {
        gtypes.push("spice");
    }
    gtypes.push("egl-headless");
    gtypes.push("dbus");
    write_enum(&mut w, "type", &gtypes);
    w.close("graphics");
    w.start("video").attr("supported", "yes").end_open();
    let mut vmodels: Vec<&str> = Vec::new();
    for (model, qom) in [
        ("vga", "VGA"),
        ("cirrus", "cirrus-vga"),
        ("vmvga", "vmware-svga"),
        ("qxl", "qxl-vga"),
        ("virtio", "virtio-gpu-pci"),
        ("none", ""),
        ("bochs", "bochs-display"),
        ("ramfb", "ramfb"),
    ] {
        if qom.is_empty() || caps.types.is_empty() || caps.has_type(qom) {
            vmodels.push(model);
        }
    }
    write_enum(&mut w, "modelType", &vmodels);
    w.close("video");
    w.start("hostdev").attr("supported", "yes").end_open();
    write_enum(&mut w, "mode", &["subsystem"]);
    write_enum(
        &mut w,
        "startupPolicy",
        &["default", "mandatory", "requisite", "optional"],
    );
    write_enum(&mut w, "subsysType", &["usb", "pci", "scsi"]);
    write_enum(&mut w, "capsType", &[]);
    write_enum(&mut w, "pciBackend", &["default", "vfio"]);
    w.close("hostdev");
    w.start("rng").attr("supported", "yes").end_open();
    write_enum(
        &mut w,
        "model",
        &["virtio", "virtio-transitional", "virtio-non-transitional"],
    );
    write_enum(&mut w, "backendModel", &["random", "egd", "builtin"]);
    w.close("rng");
    w.start("filesystem").attr("supported", "yes").end_open();
    write_enum(&mut w, "driverType", &["path", "handle", "virtiofs"]);
    w.close("filesystem");
    w.start("tpm").attr("supported", "yes").end_open();
    write_enum(&mut w, "model", &["tpm-tis", "tpm-crb"]);
    write_enum(&mut w, "backendModel", &["passthrough", "emulator"]);
    write_enum(&mut w, "backendVersion", &["1.2", "2.0"]);
    w.close("tpm");
    w.start("redirdev").attr("supported", "yes").end_open();
    write_enum(&mut w, "bus", &["usb"]);
    w.close("redirdev");
    w.start("channel").attr("supported", "yes").end_open();
    write_enum(&mut w, "type", &["pty", "unix", "spicevmc"]);
    w.close("channel");
    w.close("devices");

    w.start("features").end_open();
    w.start("gic").attr("supported", "no").end_empty();
    w.start("vmcoreinfo")
        .attr("supported", if x86 { "yes" } else { "no" })
        .end_empty();
    w.start("genid")
        .attr("supported", if x86 { "yes" } else { "no" })
        .end_empty();
    w.start("backingStoreInput")
        .attr("supported", "yes")
        .end_empty();
    w.start("backup").attr("supported", "yes").end_empty();
    w.start("sev").attr("supported", "no").end_empty();
    w.start("sgx").attr("supported", "no").end_empty();
    if x86 {
        w.start("hyperv").attr("supported", "yes").end_open();
        write_enum(
            &mut w,
            "features",
            &[
                "relaxed",
                "vapic",
                "spinlocks",
                "vpindex",
                "runtime",
                "synic",
                "stimer",
                "reset",
                "vendor_id",
                "frequencies",
                "reenlightenment",
                "tlbflush",
                "ipi",
                "evmcs",
                "avic",
            ],
        );
        w.close("hyperv");
    }
    w.close("features");
    w.close("domainCapabilities");
    Ok(w.finish())
}

/// True for QEMU's versioned model names (`EPYC-v2`); libvirt lists the
/// plain names.
fn is_versioned(name: &str) -> bool {
    name.rsplit_once("-v")
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn write_enum(w: &mut XmlWriter, name: &str, values: &[&str]) {
    w.start("enum").attr("name", name);
    if values.is_empty() {
        w.end_empty();
        return;
    }
    w.end_open();
    for v in values {
        w.text_element("value", v);
    }
    w.close("enum");
}
