//! The host as `capabilities` shows it: CPU (from `/proc/cpuinfo`),
//! topology and NUMA cells (from sysfs), memory and page sizes.
//!
//! [`HostInfo::detect`] reads the files; the parsers are pure functions so
//! that tests feed them text.

use oxvirt_conf::capabilities::{Cell, CellCpu};
use std::path::Path;

/// What `/proc/cpuinfo` says about the first CPU.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CpuInfo {
    /// `GenuineIntel`, `AuthenticAMD`, ...
    pub vendor_id: String,
    pub model_name: String,
    pub family: u32,
    pub model: u32,
    pub stepping: u32,
    pub microcode: Option<u64>,
    /// The `flags` line.
    pub flags: Vec<String>,
    /// Number of `processor` entries.
    pub count: u32,
    /// `cpu MHz`, rounded.
    pub mhz: u32,
}

/// Parses `/proc/cpuinfo` (x86 layout).
pub fn parse_cpuinfo(text: &str) -> CpuInfo {
    let mut info = CpuInfo::default();
    let mut first = true;
    for line in text.lines() {
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        if k == "processor" {
            info.count += 1;
            first = info.count == 1;
            continue;
        }
        if !first {
            continue;
        }
        match k {
            "vendor_id" => info.vendor_id = v.to_owned(),
            "model name" => info.model_name = v.to_owned(),
            "cpu family" => info.family = v.parse().unwrap_or(0),
            "model" => info.model = v.parse().unwrap_or(0),
            "stepping" => info.stepping = v.parse().unwrap_or(0),
            "microcode" => {
                let h = v.trim_start_matches("0x");
                info.microcode = u64::from_str_radix(h, 16).ok();
            }
            "cpu MHz" => info.mhz = v.parse::<f64>().map(|m| m.round() as u32).unwrap_or(0),
            "flags" => info.flags = v.split_whitespace().map(str::to_owned).collect(),
            _ => {}
        }
    }
    info
}

/// libvirt's vendor name for a CPUID vendor string.
pub fn vendor_name(vendor_id: &str) -> &str {
    match vendor_id {
        "GenuineIntel" => "Intel",
        "AuthenticAMD" => "AMD",
        "HygonGenuine" => "Hygon",
        "CentaurHauls" | "  Shanghai  " => "Zhaoxin",
        other => other,
    }
}

/// Socket/die/core/thread counts of the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topology {
    pub sockets: u32,
    pub dies: u32,
    pub cores: u32,
    pub threads: u32,
}

/// The host side of the capabilities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostInfo {
    pub uuid: Option<String>,
    pub arch: String,
    pub cpu: CpuInfo,
    pub topology: Topology,
    /// Page sizes in KiB.
    pub page_sizes: Vec<u64>,
    /// Total memory, KiB.
    pub memory_kib: u64,
    pub cells: Vec<Cell>,
    pub iommu: bool,
}

fn read(path: impl AsRef<Path>) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

fn read_u32(path: impl AsRef<Path>) -> Option<u32> {
    read(path)?.trim().parse().ok()
}

/// Parses a CPU list such as `0-3,8,10-11`.
pub fn parse_cpu_list(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for part in s.trim().split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
                    if b >= a && b - a < 65536 {
                        out.extend(a..=b);
                    }
                }
            }
            None => {
                if let Ok(n) = part.parse() {
                    out.push(n);
                }
            }
        }
    }
    out
}

/// Parses `MemTotal` out of a meminfo file (global or per node), in KiB.
pub fn parse_memtotal(text: &str) -> Option<u64> {
    text.lines().find_map(|l| {
        let i = l.find("MemTotal:")?;
        l[i + "MemTotal:".len()..]
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    })
}

impl HostInfo {
    /// Reads the running host.
    pub fn detect() -> HostInfo {
        let cpu = parse_cpuinfo(&read("/proc/cpuinfo").unwrap_or_default());
        let memory_kib = read("/proc/meminfo")
            .and_then(|t| parse_memtotal(&t))
            .unwrap_or(0);
        let online = read("/sys/devices/system/cpu/online")
            .map(|s| parse_cpu_list(&s))
            .unwrap_or_else(|| (0..cpu.count.max(1)).collect());
        let cpus: Vec<CellCpu> = online.iter().map(|&id| cell_cpu(id)).collect();
        let cells = read_cells(&cpus, memory_kib);
        let topology = topology_of(&cpus, cells.len().max(1) as u32);
        let mut page_sizes = vec![4];
        if let Ok(rd) = std::fs::read_dir("/sys/kernel/mm/hugepages") {
            let mut huge: Vec<u64> = rd
                .flatten()
                .filter_map(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.strip_prefix("hugepages-")?
                        .strip_suffix("kB")?
                        .parse()
                        .ok()
                })
                .collect();
            huge.sort_unstable();
            page_sizes.extend(huge);
        }
        let uuid = read("/sys/class/dmi/id/product_uuid")
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| s.len() == 36)
            .or_else(|| read("/etc/machine-id").and_then(|m| machine_id_uuid(m.trim())));
        let iommu = std::fs::read_dir("/sys/kernel/iommu_groups")
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        HostInfo {
            uuid,
            arch: std::env::consts::ARCH.to_owned(),
            cpu,
            topology,
            page_sizes,
            memory_kib,
            cells,
            iommu,
        }
    }
}

/// `/etc/machine-id` (32 hex digits) written as a UUID.
pub fn machine_id_uuid(id: &str) -> Option<String> {
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some(format!(
        "{}-{}-{}-{}-{}",
        &id[0..8],
        &id[8..12],
        &id[12..16],
        &id[16..20],
        &id[20..32]
    ))
}

fn cell_cpu(id: u32) -> CellCpu {
    let base = format!("/sys/devices/system/cpu/cpu{id}/topology");
    let siblings = read(format!("{base}/thread_siblings_list"))
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|| id.to_string());
    CellCpu {
        id,
        socket_id: read_u32(format!("{base}/physical_package_id")).unwrap_or(0),
        die_id: read_u32(format!("{base}/die_id")).unwrap_or(0),
        core_id: read_u32(format!("{base}/core_id")).unwrap_or(id),
        siblings,
    }
}

fn read_cells(cpus: &[CellCpu], memory_kib: u64) -> Vec<Cell> {
    let mut nodes: Vec<u32> = std::fs::read_dir("/sys/devices/system/node")
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .strip_prefix("node")?
                        .parse()
                        .ok()
                })
                .collect()
        })
        .unwrap_or_default();
    nodes.sort_unstable();
    if nodes.is_empty() {
        return vec![Cell {
            id: 0,
            memory: memory_kib,
            pages: vec![(4, memory_kib / 4)],
            cpus: cpus.to_vec(),
        }];
    }
    nodes
        .into_iter()
        .map(|n| {
            let base = format!("/sys/devices/system/node/node{n}");
            let memory = read(format!("{base}/meminfo"))
                .and_then(|t| parse_memtotal(&t))
                .unwrap_or(0);
            let ids = read(format!("{base}/cpulist"))
                .map(|s| parse_cpu_list(&s))
                .unwrap_or_default();
            let mut pages = vec![(4, memory / 4)];
            if let Ok(rd) = std::fs::read_dir(format!("{base}/hugepages")) {
                let mut huge: Vec<(u64, u64)> = rd
                    .flatten()
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let size: u64 = name
                            .strip_prefix("hugepages-")?
                            .strip_suffix("kB")?
                            .parse()
                            .ok()?;
                        let count = read(e.path().join("nr_hugepages"))?.trim().parse().ok()?;
                        Some((size, count))
                    })
                    .collect();
                huge.sort_unstable();
                pages.extend(huge);
            }
            Cell {
                id: n,
                memory,
                pages,
                cpus: cpus
                    .iter()
                    .filter(|c| ids.contains(&c.id))
                    .cloned()
                    .collect(),
            }
        })
        .collect()
}

/// Sockets, dies, cores and threads as libvirt reports them per NUMA node.
fn topology_of(cpus: &[CellCpu], cells: u32) -> Topology {
    let mut sockets: Vec<u32> = cpus.iter().map(|c| c.socket_id).collect();
    sockets.sort_unstable();
    sockets.dedup();
    let mut dies: Vec<(u32, u32)> = cpus.iter().map(|c| (c.socket_id, c.die_id)).collect();
    dies.sort_unstable();
    dies.dedup();
    let mut cores: Vec<(u32, u32, u32)> = cpus
        .iter()
        .map(|c| (c.socket_id, c.die_id, c.core_id))
        .collect();
    cores.sort_unstable();
    cores.dedup();
    let nsockets = (sockets.len() as u32).max(1);
    let ndies = ((dies.len() as u32) / nsockets).max(1);
    let ncores = ((cores.len() as u32) / (nsockets * ndies)).max(1);
    let nthreads = ((cpus.len() as u32) / (cores.len() as u32).max(1)).max(1);
    Topology {
        sockets: (nsockets / cells).max(1),
        dies: ndies,
        cores: ncores,
        threads: nthreads,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const CPUINFO: &str = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 1\nmodel name\t: AMD EPYC\nstepping\t: 2\nmicrocode\t: 0x1000065\ncpu MHz\t\t: 2000.001\nflags\t\t: fpu vme sse2 svm\n\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\n";

    #[test]
    fn cpuinfo_first_cpu_and_count() {
        let c = parse_cpuinfo(CPUINFO);
        assert_eq!(c.vendor_id, "AuthenticAMD");
        assert_eq!((c.family, c.model, c.stepping), (23, 1, 2));
        assert_eq!(c.microcode, Some(0x1000065));
        assert_eq!(c.count, 2);
        assert_eq!(c.mhz, 2000);
        assert!(c.flags.iter().any(|f| f == "svm"));
        assert_eq!(vendor_name(&c.vendor_id), "AMD");
    }

    #[test]
    fn cpu_lists_and_meminfo() {
        assert_eq!(parse_cpu_list("0-2,5\n"), [0, 1, 2, 5]);
        assert_eq!(parse_memtotal("MemTotal:       16384 kB\n"), Some(16384));
        assert_eq!(
            parse_memtotal("Node 0 MemTotal:       2048 kB\n"),
            Some(2048)
        );
    }

    #[test]
    fn topology_counts_distinct_ids() {
        let cpus: Vec<CellCpu> = (0..4)
            .map(|id| CellCpu {
                id,
                socket_id: 0,
                die_id: 0,
                core_id: id / 2,
                siblings: String::new(),
            })
            .collect();
        let t = topology_of(&cpus, 1);
        assert_eq!((t.sockets, t.dies, t.cores, t.threads), (1, 1, 2, 2));
    }

    #[test]
    fn machine_id_becomes_uuid() {
        assert_eq!(
            machine_id_uuid("0123456789abcdef0123456789abcdef").unwrap(),
            "01234567-89ab-cdef-0123-456789abcdef"
        );
    }
}
