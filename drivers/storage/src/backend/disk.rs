//! `disk` pools: a whole block device with a partition table; its
//! partitions are the pool's volumes. parted does the work.

use super::{blocking, probe_signature, zero_ends, Backend, Ctx, NewVol, Refreshed};
use crate::command::{run, run_status, Cmd};
use crate::errors;
use crate::volume::{self, perms_of, VolRecord};
use async_trait::async_trait;
use oxvirt_conf::storage::pool::PoolNumbers;
use oxvirt_conf::storage::PoolDef;
use oxvirt_core::Result;
use oxvirt_driver::storage::flags::{pool_build, vol_delete};
use oxvirt_driver::storage::VolType;
use std::path::Path;
use std::time::Duration;

pub struct DiskBackend;

/// Partitions start on MiB boundaries.
const ALIGN: u64 = 1 << 20;

fn device(def: &PoolDef) -> Result<&str> {
    def.source
        .devices
        .first()
        .map(|d| d.path.as_str())
        .ok_or_else(|| errors::internal("disk pool has no source device"))
}

/// The partition name prefix: `sdb` → `sdb`, `loop0` → `loop0p`.
fn part_prefix(def: &PoolDef) -> Result<String> {
    let dev = device(def)?;
    let base = Path::new(dev)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sep = match def.source.devices.first().and_then(|d| d.part_separator) {
        Some(s) => s,
        None => base.ends_with(|c: char| c.is_ascii_digit()),
    };
    Ok(if sep { format!("{base}p") } else { base })
}

fn part_dir(def: &PoolDef) -> String {
    def.target_path.clone().unwrap_or_else(|| "/dev".into())
}

/// One line of `parted -m … print free`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartLine {
    /// 0 for free space.
    pub number: u32,
    pub start: u64,
    /// Last byte.
    pub end: u64,
    pub free: bool,
}

/// The device size, its label and its partitions and free areas.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    pub size: u64,
    pub label: String,
    pub lines: Vec<PartLine>,
}

fn bytes(s: &str) -> Option<u64> {
    s.strip_suffix('B')?.parse().ok()
}

/// Parses `parted -s -m DEV unit B print free`.
pub fn parse_table(out: &str) -> Option<Table> {
    let mut lines = out.lines().filter(|l| !l.trim().is_empty());
    if lines.next()?.trim() != "BYT;" {
        return None;
    }
    let head: Vec<&str> = lines.next()?.split(':').collect();
    let mut t = Table {
        size: bytes(head.get(1)?)?,
        label: head.get(5)?.to_string(),
        lines: Vec::new(),
    };
    for l in lines {
        let f: Vec<&str> = l.trim_end_matches(';').split(':').collect();
        if f.len() < 4 {
            continue;
        }
        let free = f.get(4) == Some(&"free");
        t.lines.push(PartLine {
            number: if free { 0 } else { f[0].parse().ok()? },
            start: bytes(f[1])?,
            end: bytes(f[2])?,
            free,
        });
    }
    Some(t)
}

fn print_cmd(dev: &str) -> Cmd {
    Cmd::new("parted").args(["-s", "-m", dev, "unit", "B", "print", "free"])
}

async fn read_table(cx: &Ctx, dev: &str) -> Result<Table> {
    let out = run(cx.runner.as_ref(), &print_cmd(dev)).await?;
    parse_table(&out)
        .ok_or_else(|| errors::internal(format!("cannot parse the partition table of '{dev}'")))
}

/// parted's label name for a pool format.
fn label_for(format: Option<&str>) -> &str {
    match format {
        None | Some("dos") | Some("unknown") => "msdos",
        Some(f) => f,
    }
}

/// libvirt's name for a label parted reports.
fn format_for(label: &str) -> String {
    match label {
        "msdos" => "dos".into(),
        l => l.to_owned(),
    }
}

/// parted's file-system argument for a partition format.
fn parted_fs(format: &str) -> Option<&'static str> {
    match format {
        "linux" | "linux-lvm" | "linux-raid" => Some("ext2"),
        "fat16" => Some("fat16"),
        "fat32" => Some("fat32"),
        "linux-swap" => Some("linux-swap"),
        _ => None,
    }
}

fn is_extended(t: &Table, p: &PartLine) -> bool {
    t.lines
        .iter()
        .any(|f| f.free && f.start > p.start && f.end <= p.end)
}

/// The number the next partition gets (the lowest free one; msdos has four
/// primary slots).
fn next_number(t: &Table) -> Option<u32> {
    let used: Vec<u32> = t
        .lines
        .iter()
        .filter(|l| !l.free)
        .map(|l| l.number)
        .collect();
    let max = if t.label == "msdos" { 4 } else { 128 };
    (1..=max).find(|n| !used.contains(n))
}

fn volumes(def: &PoolDef, t: &Table, dev: &str) -> Result<Vec<VolRecord>> {
    let prefix = part_prefix(def)?;
    let dir = part_dir(def);
    Ok(t.lines
        .iter()
        .filter(|l| !l.free)
        .map(|l| {
            let name = format!("{prefix}{}", l.number);
            let path = format!("{dir}/{name}");
            let size = l.end + 1 - l.start;
            let mut v = VolRecord {
                name,
                key: path.clone(),
                path,
                kind: Some(VolType::Block),
                capacity: size,
                allocation: size,
                format: Some(
                    if is_extended(t, l) {
                        "extended"
                    } else {
                        "none"
                    }
                    .into(),
                ),
                extents: vec![(dev.to_owned(), l.start, l.end + 1)],
                ..VolRecord::default()
            };
            if let Ok(m) = std::fs::metadata(&v.path) {
                v.perms = perms_of(&m);
                v.timestamps = Some(volume::timestamps_of(&m));
            }
            v
        })
        .collect())
}

/// Waits for the kernel to show (or drop) a partition's device node.
async fn wait_node(path: &str, present: bool) {
    for _ in 0..100 {
        if Path::new(path).exists() == present {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[async_trait]
impl Backend for DiskBackend {
    async fn check(&self, cx: &Ctx, def: &PoolDef) -> Result<bool> {
        let out = run_status(cx.runner.as_ref(), &print_cmd(device(def)?)).await?;
        Ok(out.status == 0 && parse_table(&out.stdout).is_some_and(|t| t.label != "unknown"))
    }

    async fn build(&self, cx: &Ctx, def: &PoolDef, flags: u32) -> Result<()> {
        let known = pool_build::OVERWRITE | pool_build::NO_OVERWRITE;
        if flags & !known != 0 {
            return Err(errors::invalid_arg(format!(
                "unsupported flags (0x{:x}) in function virStorageBackendDiskBuildPool",
                flags & !known
            )));
        }
        if flags & known == known {
            return Err(errors::invalid_arg(
                "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and 'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive",
            ));
        }
        let dev = device(def)?.to_owned();
        if flags & pool_build::OVERWRITE == 0 {
            if let Some(found) = probe_signature(cx, &dev).await? {
                return Err(errors::pool_built(format!(
                    "Device '{dev}' already formatted using '{found}'"
                )));
            }
        }
        let d = dev.clone();
        blocking(move || zero_ends(&d)).await?;
        run(
            cx.runner.as_ref(),
            &Cmd::new("parted").args([
                dev.as_str(),
                "mklabel",
                "--script",
                label_for(def.source.format.as_deref()),
            ]),
        )
        .await
        .map(|_| ())
    }

    async fn start(&self, cx: &Ctx, def: &PoolDef) -> Result<()> {
        let dev = device(def)?;
        let out = run_status(cx.runner.as_ref(), &print_cmd(dev)).await?;
        match parse_table(&out.stdout) {
            Some(t) if out.status == 0 && t.label != "unknown" && t.label != "loop" => Ok(()),
            _ => Err(errors::failed(format!(
                "Unrecognized disk label found on '{dev}', requires build"
            ))),
        }
    }

    async fn stop(&self, _cx: &Ctx, _def: &PoolDef) -> Result<()> {
        Ok(())
    }

    async fn delete(&self, _cx: &Ctx, def: &PoolDef, flags: u32) -> Result<()> {
        if flags != 0 {
            return Err(errors::invalid_arg(format!(
                "unsupported flags (0x{flags:x}) in function virStorageBackendDiskDeletePool"
            )));
        }
        let dev = device(def)?.to_owned();
        blocking(move || zero_ends(&dev)).await
    }

    async fn refresh(&self, cx: &Ctx, def: &PoolDef) -> Result<Refreshed> {
        let dev = device(def)?;
        let t = read_table(cx, dev).await?;
        let vols = volumes(def, &t, dev)?;
        let free: Vec<(u64, u64)> = t
            .lines
            .iter()
            .filter(|l| l.free)
            .map(|l| (l.start, l.end + 1))
            .collect();
        let available: u64 = free.iter().map(|(s, e)| e - s).sum();
        let allocation: u64 = t
            .lines
            .iter()
            .filter(|l| !l.free && !is_extended(&t, l))
            .map(|l| l.end + 1 - l.start)
            .sum();
        let target_perms = def
            .target_path
            .as_deref()
            .and_then(|p| std::fs::metadata(p).ok())
            .map(|m| perms_of(&m));
        Ok(Refreshed {
            numbers: PoolNumbers {
                capacity: t.size,
                allocation,
                available,
            },
            target_perms,
            vols,
            free_extents: vec![(dev.to_owned(), free)],
            source_format: Some(format_for(&t.label)),
        })
    }

    async fn refresh_vol(&self, cx: &Ctx, def: &PoolDef, vol: &VolRecord) -> Result<VolRecord> {
        let dev = device(def)?;
        let t = read_table(cx, dev).await?;
        let mut v = volumes(def, &t, dev)?
            .into_iter()
            .find(|v| v.name == vol.name)
            .ok_or_else(|| errors::no_vol_name(&vol.name))?;
        v.in_use = vol.in_use;
        v.building = vol.building;
        Ok(v)
    }

    fn vol_path(&self, def: &PoolDef, name: &str, existing: &[VolRecord]) -> Result<String> {
        if existing.iter().any(|v| v.name == name) {
            return Err(errors::vol_exists(name));
        }
        errors::check_vol_name(name)?;
        Ok(format!("{}/{name}", part_dir(def)))
    }

    async fn create_vol(&self, cx: &Ctx, def: &PoolDef, path: &str, new: NewVol<'_>) -> Result<()> {
        let dev = device(def)?;
        let t = read_table(cx, dev).await?;
        let prefix = part_prefix(def)?;
        let number = next_number(&t)
            .ok_or_else(|| errors::invalid("no free partition number left on the device"))?;
        let expected = format!("{prefix}{number}");
        if new.def.name != expected {
            return Err(errors::invalid_arg(format!(
                "invalid partition name '{}', expected '{expected}'",
                new.def.name
            )));
        }
        let format = new
            .def
            .target
            .format
            .clone()
            .unwrap_or_else(|| "none".into());
        let capacity = new
            .def
            .capacity
            .unwrap_or(0)
            .max(new.from.map_or(0, |f| f.capacity));
        if capacity == 0 {
            return Err(errors::invalid_arg("a partition needs a capacity"));
        }
        let sector = 512;
        let start_of = |l: &PartLine| l.start.div_ceil(ALIGN) * ALIGN;
        let slot = t
            .lines
            .iter()
            .filter(|l| {
                l.free
                    && !t.lines.iter().any(|p| {
                        !p.free && is_extended(&t, p) && p.start <= l.start && l.end <= p.end
                    })
            })
            .find(|l| {
                let s = start_of(l);
                s.checked_add(capacity.div_ceil(sector) * sector)
                    .is_some_and(|e| e <= l.end + 1)
            })
            .ok_or_else(|| errors::failed("Not enough space left in storage pool"))?;
        let start = start_of(slot);
        let end = start + capacity.div_ceil(sector) * sector - 1;
        let mut cmd = Cmd::new("parted").args([dev, "mkpart", "--script"]);
        if format == "extended" {
            cmd = cmd.arg("extended");
        } else {
            cmd = cmd.arg("primary");
            if let Some(fs) = parted_fs(&format) {
                cmd = cmd.arg(fs);
            }
        }
        run(
            cx.runner.as_ref(),
            &cmd.args([format!("{start}B"), format!("{end}B")]),
        )
        .await?;
        wait_node(path, true).await;
        if let Some(src) = new.from {
            let (s, d) = (src.path.clone(), path.to_owned());
            let copied = blocking(move || {
                volume::copy_onto(Path::new(&s), Path::new(&d))
                    .map_err(|e| errors::system(format!("failed to copy '{s}' to '{d}'"), &e))
            })
            .await;
            if let Err(e) = copied {
                let _ = run(
                    cx.runner.as_ref(),
                    &Cmd::new("parted").args([
                        dev.to_owned(),
                        "rm".into(),
                        "--script".into(),
                        number.to_string(),
                    ]),
                )
                .await;
                return Err(e);
            }
        }
        Ok(())
    }

    async fn delete_vol(&self, cx: &Ctx, def: &PoolDef, vol: &VolRecord, flags: u32) -> Result<()> {
        let dev = device(def)?;
        let prefix = part_prefix(def)?;
        let number: u32 = vol
            .name
            .strip_prefix(&prefix)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| {
                errors::internal(format!(
                    "cannot parse partition number from target '{}'",
                    vol.name
                ))
            })?;
        if flags & vol_delete::ZEROED != 0 {
            let p = vol.path.clone();
            blocking(move || volume::wipe_zero(Path::new(&p), 0)).await?;
        }
        run(
            cx.runner.as_ref(),
            &Cmd::new("parted").args([
                dev.to_owned(),
                "rm".into(),
                "--script".into(),
                number.to_string(),
            ]),
        )
        .await?;
        wait_node(&vol.path, false).await;
        Ok(())
    }

    async fn resize_vol(
        &self,
        _cx: &Ctx,
        _def: &PoolDef,
        _vol: &VolRecord,
        _capacity: u64,
        _flags: u32,
    ) -> Result<()> {
        Err(errors::no_support(
            "storage pool does not support changing of volume capacity",
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const OUT: &str = "BYT;\n/dev/loop0:67108864B:loopback:512:512:msdos:Loopback device:;\n\
        1:1024B:1048575B:1047552B:free;\n1:1048576B:9437183B:8388608B:::;\n\
        2:9437184B:30000127B:20562944B:::lba;\n1:9438208B:30000127B:20561920B:free;\n\
        1:30000128B:67108863B:37108736B:free;\n";

    fn pool() -> PoolDef {
        PoolDef::parse(
            "<pool type='disk'><name>d</name><source><device path='/dev/loop0'/></source><target><path>/dev</path></target></pool>",
            &mut || [1; 16],
        )
        .unwrap()
    }

    #[test]
    fn parted_table_is_read() {
        let t = parse_table(OUT).unwrap();
        assert_eq!((t.size, t.label.as_str()), (67108864, "msdos"));
        assert_eq!(t.lines.len(), 5);
        assert!(is_extended(&t, &t.lines[2]));
        assert!(!is_extended(&t, &t.lines[1]));
        assert_eq!(next_number(&t), Some(3));
    }

    #[test]
    fn partitions_become_volumes_with_extents() {
        let t = parse_table(OUT).unwrap();
        let v = volumes(&pool(), &t, "/dev/loop0").unwrap();
        assert_eq!(v[0].name, "loop0p1");
        assert_eq!(v[0].path, "/dev/loop0p1");
        assert_eq!(v[0].capacity, 8388608);
        assert_eq!(
            v[0].extents,
            vec![("/dev/loop0".to_owned(), 1048576, 9437184)]
        );
        assert_eq!(v[1].format.as_deref(), Some("extended"));
    }

    #[test]
    fn labels_map_both_ways() {
        assert_eq!(label_for(Some("dos")), "msdos");
        assert_eq!(label_for(None), "msdos");
        assert_eq!(label_for(Some("gpt")), "gpt");
        assert_eq!(format_for("msdos"), "dos");
    }

    #[test]
    fn unlabelled_devices_have_no_table() {
        let out = "BYT;\n/dev/loop0:67108864B:loopback:512:512:unknown:Loopback device:;\n";
        assert_eq!(parse_table(out).unwrap().lines.len(), 0);
    }
}
