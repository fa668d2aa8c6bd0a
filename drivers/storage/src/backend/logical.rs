//! `logical` pools: an LVM volume group built from the source devices; its
//! logical volumes are the pool's volumes. Everything goes through the lvm2
//! tools, with libvirt's command lines.

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

pub struct LogicalBackend;

fn vg(def: &PoolDef) -> Result<&str> {
    def.source
        .name
        .as_deref()
        .ok_or_else(|| errors::internal("logical pool has no volume group name"))
}

/// `vgs` for the pool's numbers.
pub fn vgs_cmd(vg: &str) -> Cmd {
    Cmd::new("vgs").args([
        "--separator",
        ":",
        "--noheadings",
        "--units",
        "b",
        "--unbuffered",
        "--nosuffix",
        "--options",
        "vg_size,vg_free",
        vg,
    ])
}

/// `lvs` for the pool's volumes.
pub fn lvs_cmd(vg: &str) -> Cmd {
    Cmd::new("lvs").args([
        "--separator",
        "#",
        "--noheadings",
        "--units",
        "b",
        "--unbuffered",
        "--nosuffix",
        "--options",
        "lv_name,origin,uuid,devices,segtype,stripes,seg_size,vg_extent_size,size,lv_attr",
        vg,
    ])
}

/// Parses `vgs` output: `(size, free)`.
pub fn parse_vgs(out: &str) -> Option<(u64, u64)> {
    let line = out.lines().find(|l| !l.trim().is_empty())?;
    let (size, free) = line.trim().split_once(':')?;
    Some((size.trim().parse().ok()?, free.trim().parse().ok()?))
}

/// Parses `lvs` output into volumes of VG `vg`. Each segment is a line; a
/// volume with several segments has several extents.
pub fn parse_lvs(out: &str, vg: &str) -> Vec<VolRecord> {
    let mut vols: Vec<VolRecord> = Vec::new();
    for line in out.lines() {
        let f: Vec<&str> = line.trim().split('#').collect();
        if f.len() < 10 {
            continue;
        }
        let (name, origin, uuid, devices) = (f[0], f[1], f[2], f[3]);
        let seg_size: u64 = f[6].parse().unwrap_or(0);
        let extent_size: u64 = f[7].parse().unwrap_or(0);
        let size: u64 = f[8].parse().unwrap_or(0);
        // Devices look like "/dev/loop0(0),/dev/loop1(12)".
        let extents: Vec<(String, u64, u64)> = devices
            .split(',')
            .filter_map(|d| {
                let (dev, pe) = d.split_once('(')?;
                let pe: u64 = pe.trim_end_matches(')').parse().ok()?;
                let start = pe.saturating_mul(extent_size);
                Some((dev.to_owned(), start, start.saturating_add(seg_size)))
            })
            .collect();
        if let Some(v) = vols.iter_mut().find(|v| v.name == name) {
            v.extents.extend(extents);
            continue;
        }
        let path = format!("/dev/{vg}/{name}");
        vols.push(VolRecord {
            name: name.to_owned(),
            key: uuid.to_owned(),
            kind: Some(VolType::Block),
            capacity: size,
            allocation: size,
            physical: 0,
            format: None,
            backing: (!origin.is_empty()).then(|| (format!("/dev/{vg}/{origin}"), None)),
            extents,
            path,
            ..VolRecord::default()
        });
    }
    vols
}

/// Fills in what the device node says (permissions, timestamps), when it
/// exists.
fn stat_node(v: &mut VolRecord) {
    if let Ok(m) = std::fs::metadata(&v.path) {
        v.perms = perms_of(&m);
        v.timestamps = Some(volume::timestamps_of(&m));
    }
}

/// `pvs`: which VG each PV belongs to.
async fn pv_owner(cx: &Ctx, dev: &str) -> Result<Option<String>> {
    let out = run(
        cx.runner.as_ref(),
        &Cmd::new("pvs").args(["--noheadings", "-o", "pv_name,vg_name"]),
    )
    .await?;
    Ok(out.lines().find_map(|l| {
        let mut f = l.split_whitespace();
        let pv = f.next()?;
        (pv == dev).then(|| f.next().unwrap_or("").to_owned())
    }))
}

async fn match_source(cx: &Ctx, def: &PoolDef) -> Result<()> {
    let vg = vg(def)?;
    let out = run_status(cx.runner.as_ref(), &vgs_cmd(vg)).await?;
    if out.status != 0 {
        return Err(errors::failed(format!(
            "cannot find logical volume group name '{vg}'"
        )));
    }
    for d in &def.source.devices {
        if pv_owner(cx, &d.path).await?.as_deref() != Some(vg) {
            return Err(errors::failed(format!(
                "cannot find any matching source devices for logical volume group '{vg}'"
            )));
        }
    }
    Ok(())
}

#[async_trait]
impl Backend for LogicalBackend {
    async fn check(&self, cx: &Ctx, def: &PoolDef) -> Result<bool> {
        Ok(match_source(cx, def).await.is_ok())
    }

    async fn build(&self, cx: &Ctx, def: &PoolDef, flags: u32) -> Result<()> {
        let known = pool_build::OVERWRITE | pool_build::NO_OVERWRITE;
        if flags & !known != 0 {
            return Err(errors::invalid_arg(format!(
                "unsupported flags (0x{:x}) in function virStorageBackendLogicalBuildPool",
                flags & !known
            )));
        }
        if flags & known == known {
            return Err(errors::invalid_arg(
                "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and 'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive",
            ));
        }
        let vg = vg(def)?.to_owned();
        if def.source.devices.is_empty() {
            return Err(errors::internal(
                "no source devices to build the volume group from",
            ));
        }
        let mut made: Vec<String> = Vec::new();
        let res: Result<()> = async {
            for d in &def.source.devices {
                if flags & pool_build::OVERWRITE == 0 {
                    if let Some(found) = probe_signature(cx, &d.path).await? {
                        if found == "LVM2_member" || flags & pool_build::NO_OVERWRITE != 0 {
                            return Err(errors::pool_built(format!(
                                "Device '{}' already formatted using '{found}'",
                                d.path
                            )));
                        }
                    }
                }
                let dev = d.path.clone();
                blocking(move || zero_ends(&dev)).await?;
                run(cx.runner.as_ref(), &Cmd::new("pvcreate").arg(&d.path)).await?;
                made.push(d.path.clone());
            }
            run(
                cx.runner.as_ref(),
                &Cmd::new("vgcreate")
                    .arg(&vg)
                    .args(def.source.devices.iter().map(|d| d.path.clone())),
            )
            .await
            .map(|_| ())
        }
        .await;
        if res.is_err() {
            for dev in made {
                let _ = run(cx.runner.as_ref(), &Cmd::new("pvremove").arg(dev)).await;
            }
        }
        res
    }

    async fn start(&self, cx: &Ctx, def: &PoolDef) -> Result<()> {
        match_source(cx, def).await?;
        run(
            cx.runner.as_ref(),
            &Cmd::new("vgchange").args(["-aly", vg(def)?]),
        )
        .await
        .map(|_| ())
    }

    async fn stop(&self, cx: &Ctx, def: &PoolDef) -> Result<()> {
        run(
            cx.runner.as_ref(),
            &Cmd::new("vgchange").args(["-aln", vg(def)?]),
        )
        .await
        .map(|_| ())
    }

    async fn delete(&self, cx: &Ctx, def: &PoolDef, flags: u32) -> Result<()> {
        if flags != 0 {
            return Err(errors::invalid_arg(format!(
                "unsupported flags (0x{flags:x}) in function virStorageBackendLogicalDeletePool"
            )));
        }
        run(
            cx.runner.as_ref(),
            &Cmd::new("vgremove").args(["-f", vg(def)?]),
        )
        .await?;
        for d in &def.source.devices {
            run(cx.runner.as_ref(), &Cmd::new("pvremove").arg(&d.path)).await?;
        }
        Ok(())
    }

    async fn refresh(&self, cx: &Ctx, def: &PoolDef) -> Result<Refreshed> {
        let vg = vg(def)?;
        let lvs = run(cx.runner.as_ref(), &lvs_cmd(vg)).await?;
        let mut vols = parse_lvs(&lvs, vg);
        vols.iter_mut().for_each(stat_node);
        let vgs_out = run(cx.runner.as_ref(), &vgs_cmd(vg)).await?;
        let (size, free) = parse_vgs(&vgs_out).ok_or_else(|| {
            errors::internal(format!("cannot parse vgs output '{}'", vgs_out.trim()))
        })?;
        let target_perms = def
            .target_path
            .as_deref()
            .and_then(|t| std::fs::metadata(t).ok())
            .map(|m| perms_of(&m));
        Ok(Refreshed {
            numbers: PoolNumbers {
                capacity: size,
                allocation: size.saturating_sub(free),
                available: free,
            },
            target_perms,
            vols,
            ..Refreshed::default()
        })
    }

    async fn refresh_vol(&self, cx: &Ctx, def: &PoolDef, vol: &VolRecord) -> Result<VolRecord> {
        let vg = vg(def)?;
        let lvs = run(cx.runner.as_ref(), &lvs_cmd(vg)).await?;
        let mut v = parse_lvs(&lvs, vg)
            .into_iter()
            .find(|v| v.name == vol.name)
            .ok_or_else(|| errors::no_vol_name(&vol.name))?;
        stat_node(&mut v);
        v.in_use = vol.in_use;
        v.building = vol.building;
        Ok(v)
    }

    fn vol_path(&self, def: &PoolDef, name: &str, existing: &[VolRecord]) -> Result<String> {
        if existing.iter().any(|v| v.name == name) {
            return Err(errors::vol_exists(name));
        }
        errors::check_vol_name(name)?;
        if name.starts_with('-')
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+_.-".contains(c))
        {
            return Err(errors::invalid_arg(format!(
                "volume name '{name}' is not a valid logical volume name"
            )));
        }
        Ok(format!("/dev/{}/{name}", vg(def)?))
    }

    async fn create_vol(&self, cx: &Ctx, def: &PoolDef, path: &str, new: NewVol<'_>) -> Result<()> {
        let vg = vg(def)?;
        let name = &new.def.name;
        if new.def.target.encryption.is_some() {
            return Err(errors::unsupported(
                "storage pool does not support encrypted volumes",
            ));
        }
        let capacity = new
            .def
            .capacity
            .unwrap_or(0)
            .max(new.from.map_or(0, |f| f.capacity));
        let allocation = new.def.allocation.unwrap_or(capacity);
        let kib = |b: u64| format!("{}K", b.div_ceil(1024));
        let cmd = if allocation != capacity {
            Cmd::new("lvcreate").args([
                "--name".to_owned(),
                name.clone(),
                "-L".into(),
                kib(allocation),
                "--type".into(),
                "snapshot".into(),
                "--virtualsize".into(),
                kib(capacity),
                vg.to_owned(),
                "--yes".into(),
            ])
        } else {
            Cmd::new("lvcreate").args([
                "--name".to_owned(),
                name.clone(),
                "-L".into(),
                kib(capacity),
                vg.to_owned(),
                "--yes".into(),
            ])
        };
        run(cx.runner.as_ref(), &cmd).await?;
        if let Some(src) = new.from {
            let (s, d) = (src.path.clone(), path.to_owned());
            let copied = blocking(move || {
                volume::copy_onto(Path::new(&s), Path::new(&d))
                    .map_err(|e| errors::system(format!("failed to copy '{s}' to '{d}'"), &e))
            })
            .await;
            if let Err(e) = copied {
                let _ = run(cx.runner.as_ref(), &Cmd::new("lvremove").args(["-f", path])).await;
                return Err(e);
            }
        }
        Ok(())
    }

    async fn delete_vol(
        &self,
        cx: &Ctx,
        _def: &PoolDef,
        vol: &VolRecord,
        flags: u32,
    ) -> Result<()> {
        if flags & vol_delete::ZEROED != 0 {
            let p = vol.path.clone();
            let n = vol.capacity;
            blocking(move || volume::wipe_zero(Path::new(&p), n)).await?;
        }
        let rm = Cmd::new("lvremove").args(["-f", vol.path.as_str()]);
        if run(cx.runner.as_ref(), &rm).await.is_ok() {
            return Ok(());
        }
        run(
            cx.runner.as_ref(),
            &Cmd::new("lvchange").args(["-aln", vol.path.as_str()]),
        )
        .await?;
        run(cx.runner.as_ref(), &rm).await.map(|_| ())
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
    use crate::command::{CmdOutput, RecordingRunner};
    use std::sync::Arc;

    fn pool() -> PoolDef {
        PoolDef::parse(
            "<pool type='logical'><name>vg0</name><source><device path='/dev/loop1'/><device path='/dev/loop2'/></source></pool>",
            &mut || [1; 16],
        )
        .unwrap()
    }

    #[test]
    fn lvs_lines_become_volumes() {
        let out = "  lv1##Uu1#/dev/loop1(0)#linear#1#8388608#4194304#16777216#-wi-a-----\n  \
                   lv1##Uu1#/dev/loop2(2)#linear#1#8388608#4194304#16777216#-wi-a-----\n  \
                   snap#lv1#Uu2#/dev/loop1(3)#linear#1#4194304#4194304#4194304#swi-a-s---\n";
        let v = parse_lvs(out, "vg0");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].key, "Uu1");
        assert_eq!(v[0].path, "/dev/vg0/lv1");
        assert_eq!(v[0].capacity, 16777216);
        assert_eq!(
            v[0].extents,
            vec![
                ("/dev/loop1".to_owned(), 0, 8388608),
                ("/dev/loop2".to_owned(), 8388608, 16777216)
            ]
        );
        assert_eq!(v[1].backing.as_ref().unwrap().0, "/dev/vg0/lv1");
        assert_eq!(
            parse_vgs("  62914560:58720256\n"),
            Some((62914560, 58720256))
        );
    }

    #[tokio::test]
    async fn create_volume_runs_lvcreate_like_libvirt() {
        let r = Arc::new(RecordingRunner::new());
        let cx = Ctx { runner: r.clone() };
        let def = pool();
        let vd = oxvirt_conf::storage::VolDef::parse(
            "<volume><name>lv1</name><capacity unit='M'>16</capacity></volume>",
            def.pool_type,
            0,
        )
        .unwrap();
        let path = LogicalBackend.vol_path(&def, "lv1", &[]).unwrap();
        LogicalBackend
            .create_vol(
                &cx,
                &def,
                &path,
                NewVol {
                    def: &vd,
                    flags: 0,
                    from: None,
                },
            )
            .await
            .unwrap();
        let vd = oxvirt_conf::storage::VolDef::parse(
            "<volume><name>thin</name><capacity unit='M'>16</capacity><allocation unit='M'>4</allocation></volume>",
            def.pool_type,
            0,
        )
        .unwrap();
        LogicalBackend
            .create_vol(
                &cx,
                &def,
                "/dev/vg0/thin",
                NewVol {
                    def: &vd,
                    flags: 0,
                    from: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            r.log(),
            vec![
                "lvcreate --name lv1 -L 16384K vg0 --yes".to_owned(),
                "lvcreate --name thin -L 4096K --type snapshot --virtualsize 16384K vg0 --yes"
                    .to_owned(),
            ]
        );
    }

    #[tokio::test]
    async fn start_checks_the_volume_group_then_activates() {
        let r = Arc::new(RecordingRunner::new());
        r.answer(
            "pvs",
            CmdOutput {
                status: 0,
                stdout: "  /dev/loop1 vg0\n  /dev/loop2 vg0\n".into(),
                stderr: String::new(),
            },
        );
        let cx = Ctx { runner: r.clone() };
        LogicalBackend.start(&cx, &pool()).await.unwrap();
        assert_eq!(r.log().last().unwrap(), "vgchange -aly vg0");
        let r = Arc::new(RecordingRunner::new());
        r.answer(
            "pvs",
            CmdOutput {
                status: 0,
                stdout: "  /dev/loop1 other\n".into(),
                stderr: String::new(),
            },
        );
        let cx = Ctx { runner: r.clone() };
        let e = LogicalBackend.start(&cx, &pool()).await.unwrap_err();
        assert_eq!(
            e.message,
            "operation failed: cannot find any matching source devices for logical volume group 'vg0'"
        );
    }

    #[test]
    fn bad_lv_names_are_refused() {
        let def = pool();
        assert!(LogicalBackend.vol_path(&def, "-x", &[]).is_err());
        assert!(LogicalBackend.vol_path(&def, "a b", &[]).is_err());
        assert_eq!(
            LogicalBackend.vol_path(&def, "ok_1", &[]).unwrap(),
            "/dev/vg0/ok_1"
        );
    }
}
