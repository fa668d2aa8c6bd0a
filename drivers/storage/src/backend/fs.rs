//! `dir`, `fs` and `netfs` pools: a directory of image files, possibly on a
//! file system this backend makes (`fs`) and mounts (`fs`, `netfs`).

use super::{blocking, probe_signature, Backend, Ctx, NewVol, Refreshed};
use crate::command::{run, Cmd};
use crate::errors;
use crate::image::{self, ImgOptions};
use crate::volume::{self, perms_of, VolRecord};
use async_trait::async_trait;
use oxvirt_conf::storage::pool::PoolNumbers;
use oxvirt_conf::storage::{Perms, PoolDef, PoolType};
use oxvirt_core::Result;
use oxvirt_driver::storage::flags::{pool_build, vol_create, vol_resize};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::Path;

/// The backend of the three file pool types.
pub struct FileBackend {
    pub kind: PoolType,
}

/// libvirt's default mount options (Debian's build).
const DEFAULT_MOUNT_OPTS: &str = "nodev,nosuid,noexec";

fn target(def: &PoolDef) -> Result<&str> {
    def.target_path
        .as_deref()
        .ok_or_else(|| errors::internal("pool has no target path"))
}

/// Decodes the octal escapes of `/proc/self/mounts` (`\040` for a space).
fn unescape_mount_field(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b
            .get(i + 1..i + 4)
            .filter(|d| b[i] == b'\\' && d.iter().all(|c| (b'0'..=b'7').contains(c)));
        if let Some(d) = octal {
            out.push(
                d.iter()
                    .fold(0u8, |acc, c| acc.wrapping_mul(8).wrapping_add(c - b'0')),
            );
            i += 4;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `(source, target)` of every mount.
fn mounts() -> Vec<(String, String)> {
    let text = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let mut f = l.split(' ');
            Some((
                unescape_mount_field(f.next()?),
                unescape_mount_field(f.next()?),
            ))
        })
        .collect()
}

/// The `mount` source of a fs or netfs pool.
pub fn mount_source(def: &PoolDef) -> Result<String> {
    match def.pool_type {
        PoolType::Fs => def
            .source
            .devices
            .first()
            .map(|d| d.path.clone())
            .ok_or_else(|| errors::internal("missing source device")),
        _ => {
            let host = def
                .source
                .hosts
                .first()
                .map(|h| h.0.clone())
                .ok_or_else(|| errors::internal("missing source host"))?;
            let dir = def.source.dir.clone().unwrap_or_default();
            Ok(match def.source.format.as_deref() {
                Some("cifs") => format!("//{host}/{}", dir.trim_start_matches('/')),
                _ => format!("{host}:{dir}"),
            })
        }
    }
}

/// libvirt's mount command line for a fs or netfs pool.
pub fn mount_cmd(def: &PoolDef) -> Result<Cmd> {
    let src = mount_source(def)?;
    let tgt = target(def)?;
    let fmt = def.source.format.as_deref().unwrap_or("auto");
    let mut opts = vec![DEFAULT_MOUNT_OPTS.to_owned()];
    let netfs = def.pool_type == PoolType::Netfs;
    match (netfs, fmt) {
        (true, "glusterfs") => opts.push("direct-io-mode=1".into()),
        (true, "cifs") => opts.push("guest".into()),
        _ => {
            if let Some(v) = def.source.protocol_ver {
                opts.push(format!("nfsvers={v}"));
            }
        }
    }
    opts.extend(def.mount_opts.iter().cloned());
    let mut c = Cmd::new("mount").args(["-o".to_owned(), opts.join(",")]);
    if !(netfs && fmt == "auto") {
        c = c.args(["-t", fmt]);
    }
    Ok(c.args([src, tgt.to_owned()]))
}

/// Whether the pool's file system is mounted at its target.
fn is_mounted(def: &PoolDef) -> bool {
    let (Ok(src), Some(tgt)) = (mount_source(def), def.target_path.as_deref()) else {
        return false;
    };
    // A regular file is mounted through a loop device, whose name the mount
    // table shows instead of the file's.
    let through_loop = def.pool_type == PoolType::Fs && Path::new(&src).is_file();
    mounts()
        .iter()
        .any(|(s, t)| t == tgt && (through_loop || *s == src))
}

/// mkfs arguments for a format, as libvirt passes them.
pub fn mkfs_cmd(format: &str, dev: &str) -> Result<Cmd> {
    if format == "auto" {
        return Err(errors::unsupported(
            "cannot make a file system of format 'auto': give the pool a <source><format type=…/>",
        ));
    }
    let mut c = Cmd::new("mkfs").args(["-t", format]);
    if format.starts_with("ext") {
        c = c.arg("-F");
    } else if format == "xfs" {
        c = c.arg("-f");
    } else if format == "vfat" {
        c = c.arg("-I");
    }
    Ok(c.arg(dev))
}

/// Creates the target directory with the pool's permissions (0711 unless
/// given), or adjusts an existing one.
fn build_dir(path: &str, perms: &Perms) -> Result<()> {
    let p = Path::new(path);
    if let Some(parent) = p.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o755)
            .create(parent)
            .map_err(|e| {
                errors::system(format!("cannot create path '{}'", parent.display()), &e)
            })?;
    }
    let mode = perms.mode.unwrap_or(0o711);
    match std::fs::DirBuilder::new().mode(mode).create(p) {
        Ok(()) => {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode))
                .map_err(|e| errors::system(format!("cannot set mode of '{path}'"), &e))?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            if !p.is_dir() {
                return Err(errors::system(
                    format!("cannot create path '{path}'"),
                    &std::io::Error::from_raw_os_error(libc::ENOTDIR),
                ));
            }
            if let Some(m) = perms.mode {
                std::fs::set_permissions(p, std::fs::Permissions::from_mode(m))
                    .map_err(|e| errors::system(format!("cannot set mode of '{path}'"), &e))?;
            }
        }
        Err(e) => return Err(errors::system(format!("cannot create path '{path}'"), &e)),
    }
    if perms.owner.is_some() || perms.group.is_some() {
        std::os::unix::fs::chown(p, perms.owner, perms.group)
            .map_err(|e| errors::system(format!("cannot chown '{path}'"), &e))?;
    }
    Ok(())
}

/// statvfs numbers as libvirt computes them (available is `f_bfree`).
fn statvfs(path: &str) -> Result<PoolNumbers> {
    let c = std::ffi::CString::new(path)
        .map_err(|_| errors::invalid_arg(format!("path '{path}' contains a NUL byte")))?;
    // SAFETY: zeroed statvfs is a valid out-parameter; the path is a valid C string.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: both pointers are valid for the duration of the call.
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(errors::system(format!("cannot statvfs path '{path}'"), &e));
    }
    let frsize = st.f_frsize as u64;
    let capacity = frsize.saturating_mul(st.f_blocks as u64);
    let available = frsize.saturating_mul(st.f_bfree as u64);
    Ok(PoolNumbers {
        capacity,
        allocation: capacity.saturating_sub(available),
        available,
    })
}

/// The numbers of a file pool now.
pub fn scan_numbers(path: &str) -> Result<PoolNumbers> {
    statvfs(path)
}

/// Lists a directory as volumes.
pub fn scan_dir(path: &str) -> Result<Refreshed> {
    let rd = std::fs::read_dir(path)
        .map_err(|e| errors::system(format!("cannot open directory '{path}'"), &e))?;
    let mut vols = Vec::new();
    for ent in rd {
        let ent = ent.map_err(|e| errors::system(format!("cannot read directory '{path}'"), &e))?;
        let Some(name) = ent.file_name().to_str().map(str::to_owned) else {
            log::warn!("skipping a file with a name that is not UTF-8 in '{path}'");
            continue;
        };
        match volume::stat_volume(&name, &ent.path(), true) {
            Ok(Some(v)) => vols.push(v),
            Ok(None) => {}
            Err(e) => log::warn!("skipping '{}': {e}", ent.path().display()),
        }
    }
    vols.sort_by(|a, b| a.name.cmp(&b.name));
    let meta = std::fs::metadata(path)
        .map_err(|e| errors::system(format!("cannot stat path '{path}'"), &e))?;
    Ok(Refreshed {
        numbers: statvfs(path)?,
        target_perms: Some(perms_of(&meta)),
        vols,
        ..Refreshed::default()
    })
}

fn check_build_flags(flags: u32) -> Result<()> {
    let known = pool_build::OVERWRITE | pool_build::NO_OVERWRITE;
    if flags & !known != 0 {
        return Err(errors::invalid_arg(format!(
            "unsupported flags (0x{:x}) in function virStorageBackendFileSystemBuild",
            flags & !known
        )));
    }
    if flags & known == known {
        return Err(errors::invalid_arg(
            "Flags 'VIR_STORAGE_POOL_BUILD_OVERWRITE' and 'VIR_STORAGE_POOL_BUILD_NO_OVERWRITE' are mutually exclusive",
        ));
    }
    Ok(())
}

/// Sets a new file's mode (0600 unless given) and owner.
fn apply_perms(path: &str, perms: &Perms, default_mode: u32) -> Result<()> {
    std::fs::set_permissions(
        path,
        std::fs::Permissions::from_mode(perms.mode.unwrap_or(default_mode)),
    )
    .map_err(|e| errors::system(format!("cannot set mode of '{path}'"), &e))?;
    if perms.owner.is_some() || perms.group.is_some() {
        std::os::unix::fs::chown(path, perms.owner, perms.group)
            .map_err(|e| errors::system(format!("cannot chown '{path}'"), &e))?;
    }
    Ok(())
}

/// Removes what a failed create left.
fn discard(path: &str) {
    if let Err(e) = std::fs::remove_file(path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            log::warn!("cannot remove half-created volume '{path}': {e}");
        }
    }
}

async fn create_file_vol(cx: &Ctx, path: &str, new: NewVol<'_>) -> Result<()> {
    let def = new.def;
    let format = def.target.format.clone().unwrap_or_else(|| "raw".into());
    if new.flags & !(vol_create::PREALLOC_METADATA | vol_create::REFLINK | vol_create::VALIDATE)
        != 0
    {
        return Err(errors::invalid_arg(format!(
            "unsupported flags (0x{:x}) in function virStorageVolCreateXML",
            new.flags
        )));
    }
    let src_capacity = new.from.map_or(0, |f| f.capacity);
    match format.as_str() {
        "dir" => {
            if new.from.is_some() {
                return Err(errors::no_support(
                    "cannot copy from volume to a directory volume",
                ));
            }
            let perms = def.target.perms.clone();
            let p = path.to_owned();
            blocking(move || {
                std::fs::DirBuilder::new()
                    .mode(perms.mode.unwrap_or(0o755))
                    .create(&p)
                    .map_err(|e| errors::system(format!("cannot create path '{p}'"), &e))?;
                if let Err(e) = apply_perms(&p, &perms, 0o755) {
                    let _ = std::fs::remove_dir(&p);
                    return Err(e);
                }
                Ok(())
            })
            .await
        }
        "raw" => {
            if def.backing.is_some() {
                return Err(errors::unsupported(
                    "backing storage not supported for raw volumes",
                ));
            }
            if new.flags & vol_create::PREALLOC_METADATA != 0 {
                return Err(errors::unsupported(
                    "metadata preallocation only available with qcow2, not raw",
                ));
            }
            let capacity = def.capacity.unwrap_or(0).max(src_capacity);
            match new.from {
                Some(src) if src.format.as_deref().unwrap_or("raw") != "raw" => {
                    let o = ImgOptions {
                        format: "raw".into(),
                        ..ImgOptions::default()
                    };
                    convert(cx, &o, src, path, capacity, &def.target.perms).await
                }
                src => {
                    let allocation = def.allocation.unwrap_or(capacity);
                    let perms = def.target.perms.clone();
                    let p = path.to_owned();
                    let src_path = src.map(|s| s.path.clone());
                    let reflink = new.flags & vol_create::REFLINK != 0;
                    blocking(move || {
                        if reflink {
                            if let Some(s) = &src_path {
                                return reflink_copy(s, &p, capacity, &perms);
                            }
                        }
                        volume::create_raw(
                            Path::new(&p),
                            capacity,
                            allocation,
                            &perms,
                            src_path.as_deref().map(Path::new),
                        )
                    })
                    .await
                }
            }
        }
        f if image::qemu_img_creates(f) => {
            if new.flags & vol_create::REFLINK != 0 {
                return Err(errors::unsupported(
                    "reflink is only supported for raw volumes",
                ));
            }
            let mut o = ImgOptions {
                format: f.to_owned(),
                preallocate: new.flags & vol_create::PREALLOC_METADATA != 0,
                nocow: def.target.nocow,
                compat: def.target.compat.clone(),
                cluster_size: def.target.cluster_size,
                features: def.target.features.clone().unwrap_or_default(),
                ..ImgOptions::default()
            };
            if let Some(src) = new.from {
                if def.backing.is_some() {
                    return Err(errors::unsupported(
                        "backing storage not supported with a volume to copy from",
                    ));
                }
                let capacity = def.capacity.unwrap_or(0).max(src_capacity);
                o.capacity = capacity;
                o.allocation = def.allocation.unwrap_or(capacity);
                return convert(cx, &o, src, path, capacity, &def.target.perms).await;
            }
            let backing = match &def.backing {
                None => None,
                Some(b) => {
                    let bpath = b.path.clone().unwrap_or_default();
                    let readable = std::fs::File::open(&bpath).is_ok();
                    if !readable {
                        return Err(errors::internal(format!(
                            "inaccessible backing store volume {bpath}"
                        )));
                    }
                    o.backing_format = b.format.clone();
                    Some(bpath)
                }
            };
            o.capacity = match (def.capacity, &backing) {
                (Some(c), _) => c,
                (None, Some(b)) => backing_capacity(b).await?,
                (None, None) => 0,
            };
            o.allocation = def.allocation.unwrap_or(o.capacity);
            let cmd = image::create_cmd(&o, path, backing.as_deref())?;
            let result = run(cx.runner.as_ref(), &cmd).await.map(|_| ());
            finish_created(result, path, &def.target.perms).await
        }
        f => Err(errors::unsupported(format!(
            "cannot create volumes of format '{f}'"
        ))),
    }
}

async fn backing_capacity(path: &str) -> Result<u64> {
    let p = path.to_owned();
    blocking(move || {
        volume::stat_volume("", Path::new(&p), true)
            .map_err(|e| errors::system(format!("cannot probe backing store '{p}'"), &e))?
            .map(|v| v.capacity)
            .ok_or_else(|| errors::internal(format!("inaccessible backing store volume {p}")))
    })
    .await
}

/// After qemu-img made `path`: set its mode and owner, or remove it.
async fn finish_created(result: Result<()>, path: &str, perms: &Perms) -> Result<()> {
    let p = path.to_owned();
    let perms = perms.clone();
    let outcome = match result {
        Ok(()) => blocking(move || apply_perms(&p, &perms, 0o600)).await,
        Err(e) => Err(e),
    };
    if outcome.is_err() {
        discard(path);
    }
    outcome
}

async fn convert(
    cx: &Ctx,
    o: &ImgOptions,
    src: &VolRecord,
    path: &str,
    capacity: u64,
    perms: &Perms,
) -> Result<()> {
    let src_format = src.format.clone().unwrap_or_else(|| "raw".into());
    let cmd = image::convert_cmd(o, &src_format, &src.path, path, false)?;
    let mut result = run(cx.runner.as_ref(), &cmd).await.map(|_| ());
    if result.is_ok() && capacity > src.capacity {
        let resize = if o.format == "raw" {
            let p = path.to_owned();
            blocking(move || volume::resize_raw(Path::new(&p), capacity, false)).await
        } else {
            run(
                cx.runner.as_ref(),
                &image::resize_cmd(path, capacity, false),
            )
            .await
            .map(|_| ())
        };
        result = resize;
    }
    finish_created(result, path, perms).await
}

/// A copy-on-write clone of a raw file (`FICLONE`).
fn reflink_copy(src: &str, dst: &str, capacity: u64, perms: &Perms) -> Result<()> {
    use std::os::unix::io::AsRawFd;
    const FICLONE: libc::c_ulong = 0x4004_9409;
    let s =
        std::fs::File::open(src).map_err(|e| errors::system(format!("cannot open '{src}'"), &e))?;
    volume::create_raw(Path::new(dst), 0, 0, perms, None)?;
    let res = (|| -> Result<()> {
        let d = std::fs::OpenOptions::new()
            .write(true)
            .open(dst)
            .map_err(|e| errors::system(format!("cannot open '{dst}'"), &e))?;
        // SAFETY: FICLONE takes the source fd as its argument; both fds are open.
        if unsafe { libc::ioctl(d.as_raw_fd(), FICLONE, s.as_raw_fd()) } != 0 {
            let e = std::io::Error::last_os_error();
            return Err(errors::system(
                format!("failed to clone files from '{src}'"),
                &e,
            ));
        }
        if d.metadata().map(|m| m.len()).unwrap_or(0) < capacity {
            d.set_len(capacity)
                .map_err(|e| errors::system(format!("Failed to truncate file '{dst}'"), &e))?;
        }
        d.sync_all()
            .map_err(|e| errors::system(format!("cannot sync '{dst}'"), &e))
    })();
    if res.is_err() {
        discard(dst);
    }
    res
}

#[async_trait]
impl Backend for FileBackend {
    async fn check(&self, _cx: &Ctx, def: &PoolDef) -> Result<bool> {
        Ok(match self.kind {
            PoolType::Dir => def
                .target_path
                .as_deref()
                .is_some_and(|t| Path::new(t).is_dir()),
            _ => is_mounted(def),
        })
    }

    async fn build(&self, cx: &Ctx, def: &PoolDef, flags: u32) -> Result<()> {
        check_build_flags(flags)?;
        if self.kind == PoolType::Fs
            && flags & (pool_build::OVERWRITE | pool_build::NO_OVERWRITE) != 0
        {
            let dev = mount_source(def)?;
            let format = def.source.format.clone().unwrap_or_else(|| "auto".into());
            if flags & pool_build::NO_OVERWRITE != 0 {
                if let Some(found) = probe_signature(cx, &dev).await? {
                    return Err(errors::pool_built(format!(
                        "Device '{dev}' already formatted using '{found}'"
                    )));
                }
            }
            run(cx.runner.as_ref(), &mkfs_cmd(&format, &dev)?).await?;
        }
        let t = target(def)?.to_owned();
        let perms = def.target_perms.clone();
        blocking(move || build_dir(&t, &perms)).await
    }

    async fn start(&self, cx: &Ctx, def: &PoolDef) -> Result<()> {
        let t = target(def)?;
        if !Path::new(t).is_dir() {
            return Err(errors::system(
                format!("cannot open directory '{t}'"),
                &std::io::Error::from_raw_os_error(libc::ENOENT),
            ));
        }
        if self.kind != PoolType::Dir && !is_mounted(def) {
            run(cx.runner.as_ref(), &mount_cmd(def)?).await?;
        }
        Ok(())
    }

    async fn stop(&self, cx: &Ctx, def: &PoolDef) -> Result<()> {
        if self.kind != PoolType::Dir && is_mounted(def) {
            run(cx.runner.as_ref(), &Cmd::new("umount").arg(target(def)?)).await?;
        }
        Ok(())
    }

    async fn delete(&self, _cx: &Ctx, def: &PoolDef, flags: u32) -> Result<()> {
        if flags != 0 {
            return Err(errors::invalid_arg(format!(
                "unsupported flags (0x{flags:x}) in function virStorageBackendFileSystemDelete"
            )));
        }
        let t = target(def)?.to_owned();
        blocking(move || match std::fs::remove_dir(&t) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(errors::system(format!("failed to remove pool '{t}'"), &e)),
        })
        .await
    }

    async fn refresh(&self, _cx: &Ctx, def: &PoolDef) -> Result<Refreshed> {
        let t = target(def)?.to_owned();
        blocking(move || scan_dir(&t)).await
    }

    async fn refresh_vol(&self, _cx: &Ctx, _def: &PoolDef, vol: &VolRecord) -> Result<VolRecord> {
        let v = vol.clone();
        blocking(move || {
            let found = volume::stat_volume(&v.name, Path::new(&v.path), true)
                .map_err(|e| errors::system(format!("cannot open volume '{}'", v.path), &e))?;
            let mut rec = found.ok_or_else(|| {
                errors::system(
                    format!("cannot open volume '{}'", v.path),
                    &std::io::Error::from_raw_os_error(libc::ENOENT),
                )
            })?;
            rec.key = v.key;
            rec.in_use = v.in_use;
            rec.building = v.building;
            Ok(rec)
        })
        .await
    }

    fn vol_path(&self, def: &PoolDef, name: &str, existing: &[VolRecord]) -> Result<String> {
        if existing.iter().any(|v| v.name == name) {
            return Err(errors::vol_exists(name));
        }
        errors::check_vol_name(name)?;
        let path = format!("{}/{name}", target(def)?);
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(errors::invalid(format!(
                "volume target path '{path}' already exists"
            )));
        }
        Ok(path)
    }

    async fn create_vol(
        &self,
        cx: &Ctx,
        _def: &PoolDef,
        path: &str,
        new: NewVol<'_>,
    ) -> Result<()> {
        create_file_vol(cx, path, new).await
    }

    async fn delete_vol(
        &self,
        _cx: &Ctx,
        _def: &PoolDef,
        vol: &VolRecord,
        flags: u32,
    ) -> Result<()> {
        let v = vol.clone();
        blocking(move || {
            if flags & oxvirt_driver::storage::flags::vol_delete::ZEROED != 0
                && v.kind() == oxvirt_driver::storage::VolType::File
            {
                volume::wipe_zero(Path::new(&v.path), v.allocation)?;
            }
            let res = if v.kind() == oxvirt_driver::storage::VolType::Dir {
                std::fs::remove_dir(&v.path).map_err(|e| {
                    errors::system(format!("cannot remove directory '{}'", v.path), &e)
                })
            } else {
                std::fs::remove_file(&v.path)
                    .map_err(|e| errors::system(format!("cannot unlink file '{}'", v.path), &e))
            };
            match res {
                Err(e) if e.int1 == libc::ENOENT => Ok(()),
                r => r,
            }
        })
        .await
    }

    async fn resize_vol(
        &self,
        cx: &Ctx,
        _def: &PoolDef,
        vol: &VolRecord,
        capacity: u64,
        flags: u32,
    ) -> Result<()> {
        let format = vol.format.clone().unwrap_or_else(|| "raw".into());
        let allocate = flags & vol_resize::ALLOCATE != 0;
        match format.as_str() {
            "raw" => {
                let p = vol.path.clone();
                blocking(move || volume::resize_raw(Path::new(&p), capacity, allocate)).await
            }
            f if image::qemu_img_creates(f) => {
                if allocate {
                    return Err(errors::unsupported_arg(
                        "preallocate is only supported for raw type volume",
                    ));
                }
                let shrink = capacity < vol.capacity;
                run(
                    cx.runner.as_ref(),
                    &image::resize_cmd(&vol.path, capacity, shrink),
                )
                .await
                .map(|_| ())
            }
            f => Err(errors::no_support(format!(
                "storage pool does not support changing of volume capacity of format '{f}'"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn pool(xml: &str) -> PoolDef {
        PoolDef::parse(xml, &mut || [1; 16]).unwrap()
    }

    #[test]
    fn fs_mount_line_matches_libvirt() {
        let d = pool("<pool type='fs'><name>f</name><source><device path='/dev/loop0'/><format type='ext4'/></source><target><path>/mnt/f</path></target></pool>");
        assert_eq!(
            mount_cmd(&d).unwrap().display(),
            "mount -o nodev,nosuid,noexec -t ext4 /dev/loop0 /mnt/f"
        );
    }

    #[test]
    fn netfs_mount_lines_match_libvirt() {
        let d = pool("<pool type='netfs'><name>n</name><source><host name='srv'/><dir path='/export'/><protocol ver='4'/></source><target><path>/mnt/n</path></target></pool>");
        assert_eq!(
            mount_cmd(&d).unwrap().display(),
            "mount -o nodev,nosuid,noexec,nfsvers=4 srv:/export /mnt/n"
        );
        let d = pool("<pool type='netfs' xmlns:fs='http://libvirt.org/schemas/storagepool/fs/1.0'><name>n</name><source><host name='srv'/><dir path='/share'/><format type='cifs'/></source><target><path>/mnt/n</path></target><fs:mount_opts><fs:option name='ro'/></fs:mount_opts></pool>");
        assert_eq!(
            mount_cmd(&d).unwrap().display(),
            "mount -o nodev,nosuid,noexec,guest,ro -t cifs //srv/share /mnt/n"
        );
    }

    #[test]
    fn mkfs_flags_match_libvirt() {
        assert_eq!(
            mkfs_cmd("ext4", "/dev/loop0").unwrap().display(),
            "mkfs -t ext4 -F /dev/loop0"
        );
        assert_eq!(
            mkfs_cmd("xfs", "/dev/x").unwrap().display(),
            "mkfs -t xfs -f /dev/x"
        );
        assert_eq!(
            mkfs_cmd("vfat", "/dev/x").unwrap().display(),
            "mkfs -t vfat -I /dev/x"
        );
        assert!(mkfs_cmd("auto", "/dev/x").is_err());
    }

    #[test]
    fn mount_table_escapes_are_decoded() {
        assert_eq!(unescape_mount_field("/mnt/a\\040b"), "/mnt/a b");
        assert_eq!(unescape_mount_field("/plain"), "/plain");
    }

    #[test]
    fn exclusive_build_flags_are_refused() {
        assert!(check_build_flags(pool_build::OVERWRITE | pool_build::NO_OVERWRITE).is_err());
        assert!(check_build_flags(pool_build::REPAIR).is_err());
        assert!(check_build_flags(pool_build::OVERWRITE).is_ok());
    }
}
