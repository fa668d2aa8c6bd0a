//! What a QEMU binary can do: probed once over QMP, cached on disk, and
//! turned into the `capabilities` and `domcapabilities` documents.
//!
//! 1. [`CapsCache::lookup`] stats the binary and, when the cached entry in
//!    `<cache dir>/capabilities/` still matches (same size, mtime and ctime,
//!    same oxvirt version, same KVM availability), returns it; otherwise it
//!    runs [`probe::probe`], which starts the binary with `-machine none`
//!    and asks it over QMP, and stores the answer atomically.
//! 2. [`QemuCaps`] is the answer: version, machines, CPU models, QMP
//!    commands and QOM types. It is plain data (serde), so tests use a
//!    checked-in snapshot instead of a real binary.
//! 3. [`host::HostInfo`] is the host side (CPU, topology, NUMA cells), read
//!    from `/proc` and sysfs; [`xml`] writes both documents from these.
//! 4. [`firmware`] reads the firmware descriptors (`/usr/share/qemu/firmware`)
//!    that UEFI autoselection and `domcapabilities` use.

pub mod firmware;
pub mod host;
pub mod probe;
pub mod xml;

use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The version stamp written into cache entries; a different oxvirt
/// version probes again.
pub const OXVIRT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Directories searched for `qemu-system-*` binaries, after `PATH`.
pub const EMULATOR_DIRS: &[&str] = &["/usr/bin", "/usr/libexec", "/usr/local/bin"];

/// One machine type (`query-machines`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachineInfo {
    /// Canonical name, e.g. `pc-q35-7.2`.
    pub name: String,
    /// Alias, e.g. `q35`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The machine QEMU picks without `-machine`.
    #[serde(default)]
    pub is_default: bool,
    /// Highest vCPU count.
    pub max_cpus: u32,
    #[serde(default)]
    pub hotplug_cpus: bool,
    #[serde(default)]
    pub deprecated: bool,
    /// QOM type of the default CPU, e.g. `qemu64-x86_64-cpu`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cpu_type: Option<String>,
    /// Id of the main RAM backend (`pc.ram`); `memory-backend=` needs it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_ram_id: Option<String>,
}

impl MachineInfo {
    /// True for the q35 family.
    pub fn is_q35(&self) -> bool {
        is_q35(&self.name)
    }
}

/// True when `machine` (canonical or alias) is a q35 machine.
pub fn is_q35(machine: &str) -> bool {
    machine == "q35" || machine.starts_with("pc-q35")
}

/// True when `machine` is an i440fx (`pc`) machine.
pub fn is_i440fx(machine: &str) -> bool {
    machine == "pc"
        || machine.starts_with("pc-i440fx")
        || machine.starts_with("pc-0.")
        || machine.starts_with("pc-1.")
}

/// One CPU model (`query-cpu-definitions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CpuModel {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typename: Option<String>,
    /// Whether the accelerator of the probe can run it; `None` when QEMU did
    /// not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usable: Option<bool>,
    /// Features the host lacks for this model.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blockers: Vec<String>,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub migration_safe: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<String>,
}

/// What one QEMU binary offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QemuCaps {
    /// Absolute path of the binary.
    pub emulator: String,
    /// Guest architecture (`query-target`), e.g. `x86_64`.
    pub arch: String,
    /// `major * 1_000_000 + minor * 1_000 + micro`.
    pub version: u32,
    /// The package string QEMU reports.
    #[serde(default)]
    pub package: String,
    /// `query-kvm` said KVM is present and enabled in the probe.
    pub kvm: bool,
    pub machines: Vec<MachineInfo>,
    pub cpu_models: Vec<CpuModel>,
    /// QMP commands, sorted.
    pub commands: Vec<String>,
    /// QOM types (device and object names), sorted.
    pub types: Vec<String>,
}

impl QemuCaps {
    /// Reads a snapshot written by [`QemuCaps::to_json`].
    pub fn from_json(text: &str) -> Result<QemuCaps, Error> {
        serde_json::from_str(text).map_err(|e| {
            Error::internal(ErrorDomain::QEMU, format!("invalid QEMU capabilities: {e}"))
        })
    }

    /// The snapshot as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// `major.minor.micro`.
    pub fn version_string(&self) -> String {
        format!(
            "{}.{}.{}",
            self.version / 1_000_000,
            (self.version / 1_000) % 1_000,
            self.version % 1_000
        )
    }

    /// True when QMP offers `command`.
    pub fn has_command(&self, command: &str) -> bool {
        self.commands
            .binary_search_by(|c| c.as_str().cmp(command))
            .is_ok()
    }

    /// True when QOM knows the type (a `-device` or `-object` name).
    pub fn has_type(&self, qom_type: &str) -> bool {
        self.types
            .binary_search_by(|c| c.as_str().cmp(qom_type))
            .is_ok()
    }

    /// The machine called `name` (canonical name or alias).
    pub fn machine(&self, name: &str) -> Option<&MachineInfo> {
        self.machines.iter().find(|m| m.name == name).or_else(|| {
            self.machines
                .iter()
                .find(|m| m.alias.as_deref() == Some(name))
        })
    }

    /// The canonical name of `name`, which may be an alias.
    pub fn canonical_machine(&self, name: &str) -> Option<&str> {
        self.machine(name).map(|m| m.name.as_str())
    }

    /// The machine QEMU uses by default; for x86 libvirt prefers it too.
    pub fn default_machine(&self) -> Option<&MachineInfo> {
        self.machines.iter().find(|m| m.is_default)
    }

    /// The CPU model called `name`.
    pub fn cpu_model(&self, name: &str) -> Option<&CpuModel> {
        self.cpu_models.iter().find(|c| c.name == name)
    }

    /// The highest vCPU count of `machine`, or of the default machine.
    pub fn max_vcpus(&self, machine: Option<&str>) -> u32 {
        machine
            .and_then(|m| self.machine(m))
            .or_else(|| self.default_machine())
            .map(|m| m.max_cpus)
            .unwrap_or(1)
    }

    /// What the domain post-parse step needs to know of this binary.
    pub fn platform(&self) -> oxvirt_conf::domain::qemu::QemuPlatform {
        oxvirt_conf::domain::qemu::QemuPlatform {
            emulator: self.emulator.clone(),
            arch: self.arch.clone(),
            machines: self
                .machines
                .iter()
                .map(|m| (m.name.clone(), m.alias.clone()))
                .collect(),
            default_machine: self.default_machine().map(|m| m.name.clone()),
            kvm: self.kvm && kvm_usable(),
        }
    }

    /// The word size of the guest architecture.
    pub fn wordsize(&self) -> u32 {
        arch_wordsize(&self.arch)
    }

    /// Machines sorted the way libvirt lists them: newest versions first
    /// within a family, so that `pc-q35-7.2` comes before `pc-q35-2.4`.
    pub fn machines_sorted(&self) -> Vec<&MachineInfo> {
        let mut v: Vec<&MachineInfo> = self.machines.iter().collect();
        v.sort_by_key(|m| std::cmp::Reverse(machine_sort_key(&m.name)));
        v
    }
}

/// Sort key: family name, then the numeric version parts.
fn machine_sort_key(name: &str) -> (String, Vec<u32>) {
    match name.rfind('-') {
        Some(i)
            if name[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit()) =>
        {
            let nums = name[i + 1..]
                .split('.')
                .map(|p| p.parse().unwrap_or(0))
                .collect();
            (name[..i].to_owned(), nums)
        }
        _ => (name.to_owned(), Vec::new()),
    }
}

/// Bits per word of `arch`.
pub fn arch_wordsize(arch: &str) -> u32 {
    match arch {
        "i686" | "armv6l" | "armv7l" | "armv7b" | "ppc" | "ppcle" | "ppcemb" | "mips"
        | "mipsel" | "riscv32" | "s390" | "sparc" | "sh4" | "sh4eb" | "m68k" | "microblaze"
        | "microblazeel" | "or1k" | "xtensa" | "xtensaeb" | "cris" | "lm32" | "unicore32"
        | "openrisc" | "parisc" => 32,
        _ => 64,
    }
}

/// libvirt's architecture name for a `qemu-system-*` suffix.
pub fn arch_of_binary(name: &str) -> Option<&'static str> {
    let suffix = name.strip_prefix("qemu-system-")?;
    Some(match suffix {
        "x86_64" => "x86_64",
        "i386" => "i686",
        "aarch64" => "aarch64",
        "arm" => "armv7l",
        "ppc64" => "ppc64",
        "ppc" => "ppc",
        "riscv64" => "riscv64",
        "riscv32" => "riscv32",
        "s390x" => "s390x",
        "mips64el" => "mips64el",
        "mips64" => "mips64",
        "mipsel" => "mipsel",
        "mips" => "mips",
        "sparc64" => "sparc64",
        "sparc" => "sparc",
        "loongarch64" => "loongarch64",
        _ => return None,
    })
}

/// The QEMU binary name for a libvirt architecture.
pub fn binary_for_arch(arch: &str) -> String {
    let suffix = match arch {
        "i686" => "i386",
        "armv6l" | "armv7l" | "armv7b" => "arm",
        "ppc64le" => "ppc64",
        other => other,
    };
    format!("qemu-system-{suffix}")
}

/// Finds the binary for `arch` on `PATH`, then in [`EMULATOR_DIRS`].
pub fn find_emulator(arch: &str) -> Option<PathBuf> {
    let name = binary_for_arch(arch);
    let path_dirs = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    path_dirs
        .into_iter()
        .chain(EMULATOR_DIRS.iter().map(PathBuf::from))
        .map(|d| d.join(&name))
        .find(|p| p.is_file())
}

/// Every `qemu-system-*` binary found, one per architecture, x86 first.
pub fn find_emulators() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for arch in ["x86_64", "i686", "aarch64", "ppc64", "riscv64", "s390x"] {
        if let Some(p) = find_emulator(arch) {
            out.push((arch.to_owned(), p));
        }
    }
    out
}

/// True when `/dev/kvm` can be opened for reading and writing.
pub fn kvm_usable() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/kvm")
        .is_ok()
}

/// What identifies a binary on disk; a change means probing again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinaryStamp {
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
}

impl BinaryStamp {
    /// Stats `binary`; the error is libvirt's `Cannot check QEMU binary`.
    pub fn of(binary: &Path) -> Result<BinaryStamp, Error> {
        let md = std::fs::metadata(binary).map_err(|e| {
            system_error(format!("Cannot check QEMU binary {}", binary.display()), &e)
        })?;
        Ok(BinaryStamp {
            size: md.size(),
            mtime_ns: i128::from(md.mtime()) * 1_000_000_000 + i128::from(md.mtime_nsec()),
            ctime_ns: i128::from(md.ctime()) * 1_000_000_000 + i128::from(md.ctime_nsec()),
        })
    }
}

/// One file of the on-disk cache.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CacheEntry {
    emulator: String,
    stamp: BinaryStamp,
    oxvirt_version: String,
    kvm_usable: bool,
    caps: QemuCaps,
}

/// A binary's stamp, KVM availability and capabilities, kept in memory.
type MemEntry = (BinaryStamp, bool, Arc<QemuCaps>);

/// The capabilities of every binary asked for, probed at most once per
/// change of the binary and kept in `<dir>/<binary>-<hash>.json`.
#[derive(Debug)]
pub struct CapsCache {
    dir: PathBuf,
    mem: Mutex<HashMap<PathBuf, MemEntry>>,
}

impl CapsCache {
    /// A cache in `dir` (libvirt: `/var/cache/libvirt/qemu/capabilities`);
    /// the directory is created when first written.
    pub fn new(dir: impl Into<PathBuf>) -> CapsCache {
        CapsCache {
            dir: dir.into(),
            mem: Mutex::new(HashMap::new()),
        }
    }

    /// The cache directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The capabilities of `binary`: from memory or disk while the binary
    /// is unchanged, else probed now (blocking: a QEMU start, ~100 ms).
    pub fn lookup(&self, binary: &Path) -> Result<Arc<QemuCaps>, Error> {
        let stamp = BinaryStamp::of(binary)?;
        let kvm = kvm_usable();
        if let Ok(mem) = self.mem.lock() {
            if let Some((s, k, caps)) = mem.get(binary) {
                if *s == stamp && *k == kvm {
                    return Ok(caps.clone());
                }
            }
        }
        let file = self.file_for(binary);
        let caps = match self.read_entry(&file, binary, &stamp, kvm) {
            Some(caps) => caps,
            None => {
                let caps = probe::probe(binary, &self.dir)?;
                self.write_entry(&file, binary, &stamp, kvm, &caps);
                caps
            }
        };
        let caps = Arc::new(caps);
        if let Ok(mut mem) = self.mem.lock() {
            mem.insert(binary.to_owned(), (stamp, kvm, caps.clone()));
        }
        Ok(caps)
    }

    /// The cache file of `binary`.
    pub fn file_for(&self, binary: &Path) -> PathBuf {
        let name = binary
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "qemu".into());
        let hash = fnv1a(binary.as_os_str().as_encoded_bytes());
        self.dir.join(format!("{name}-{hash:016x}.json"))
    }

    fn read_entry(
        &self,
        file: &Path,
        binary: &Path,
        stamp: &BinaryStamp,
        kvm: bool,
    ) -> Option<QemuCaps> {
        let text = std::fs::read_to_string(file).ok()?;
        let entry: CacheEntry = serde_json::from_str(&text).ok()?;
        let valid = entry.emulator == binary.to_string_lossy()
            && entry.stamp == *stamp
            && entry.oxvirt_version == OXVIRT_VERSION
            && entry.kvm_usable == kvm;
        valid.then_some(entry.caps)
    }

    /// Writes the entry atomically; a failure only costs a probe next time.
    fn write_entry(
        &self,
        file: &Path,
        binary: &Path,
        stamp: &BinaryStamp,
        kvm: bool,
        caps: &QemuCaps,
    ) {
        let entry = CacheEntry {
            emulator: binary.to_string_lossy().into_owned(),
            stamp: stamp.clone(),
            oxvirt_version: OXVIRT_VERSION.to_owned(),
            kvm_usable: kvm,
            caps: caps.clone(),
        };
        let Ok(text) = serde_json::to_string_pretty(&entry) else {
            return;
        };
        let _ = write_atomic(&self.dir, file, text.as_bytes());
    }
}

/// Writes `bytes` to `path` through a temporary file in `dir`, fsync and
/// rename, mode 0600.
pub(crate) fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::create_dir_all(dir)?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// libvirt's system error: `DETAIL: strerror`, without Rust's `(os error N)`.
pub(crate) fn system_error(detail: impl std::fmt::Display, err: &std::io::Error) -> Error {
    let text = err.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
    let mut e = Error::new(
        ErrorDomain::QEMU,
        ErrorCode::SYSTEM_ERROR,
        format!("{detail}: {text}"),
    );
    e.int1 = err.raw_os_error().unwrap_or(-1);
    e
}

/// The error for a virt type the binary cannot run.
pub fn unsupported_virt_type(emulator: &str, virt_type: &str) -> Error {
    Error::new(
        ErrorDomain::QEMU,
        ErrorCode::CONFIG_UNSUPPORTED,
        format!("Emulator '{emulator}' does not support virt type '{virt_type}'"),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn caps() -> QemuCaps {
        QemuCaps {
            emulator: "/usr/bin/qemu-system-x86_64".into(),
            arch: "x86_64".into(),
            version: 7_002_022,
            package: String::new(),
            kvm: true,
            machines: vec![
                MachineInfo {
                    name: "pc-i440fx-7.2".into(),
                    alias: Some("pc".into()),
                    is_default: true,
                    max_cpus: 255,
                    hotplug_cpus: true,
                    deprecated: false,
                    default_cpu_type: None,
                    default_ram_id: Some("pc.ram".into()),
                },
                MachineInfo {
                    name: "pc-q35-2.10".into(),
                    alias: None,
                    is_default: false,
                    max_cpus: 288,
                    hotplug_cpus: true,
                    deprecated: false,
                    default_cpu_type: None,
                    default_ram_id: None,
                },
                MachineInfo {
                    name: "pc-q35-7.2".into(),
                    alias: Some("q35".into()),
                    is_default: false,
                    max_cpus: 288,
                    hotplug_cpus: true,
                    deprecated: false,
                    default_cpu_type: None,
                    default_ram_id: Some("pc.ram".into()),
                },
            ],
            cpu_models: Vec::new(),
            commands: vec!["query-kvm".into(), "set-action".into()],
            types: vec!["virtio-blk-pci".into()],
        }
    }

    #[test]
    fn aliases_resolve_to_canonical_machines() {
        let c = caps();
        assert_eq!(c.canonical_machine("q35"), Some("pc-q35-7.2"));
        assert_eq!(c.canonical_machine("pc-q35-7.2"), Some("pc-q35-7.2"));
        assert_eq!(c.canonical_machine("virt"), None);
        assert_eq!(c.default_machine().unwrap().name, "pc-i440fx-7.2");
        assert_eq!(c.max_vcpus(Some("q35")), 288);
    }

    #[test]
    fn version_and_lookups() {
        let c = caps();
        assert_eq!(c.version_string(), "7.2.22");
        assert!(c.has_command("set-action"));
        assert!(!c.has_command("nope"));
        assert!(c.has_type("virtio-blk-pci"));
    }

    #[test]
    fn machines_sort_newest_first_within_family() {
        let c = caps();
        let names: Vec<&str> = c
            .machines_sorted()
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, ["pc-q35-7.2", "pc-q35-2.10", "pc-i440fx-7.2"]);
    }

    #[test]
    fn json_round_trips() {
        let c = caps();
        assert_eq!(QemuCaps::from_json(&c.to_json()).unwrap(), c);
    }

    #[test]
    fn binaries_map_to_arches() {
        assert_eq!(arch_of_binary("qemu-system-i386"), Some("i686"));
        assert_eq!(binary_for_arch("i686"), "qemu-system-i386");
        assert_eq!(arch_wordsize("i686"), 32);
    }

    #[test]
    fn missing_binary_is_a_system_error() {
        let e = BinaryStamp::of(Path::new("/nonexistent/qemu")).unwrap_err();
        assert_eq!(e.code, ErrorCode::SYSTEM_ERROR);
        assert_eq!(
            e.message,
            "Cannot check QEMU binary /nonexistent/qemu: No such file or directory"
        );
    }
}
