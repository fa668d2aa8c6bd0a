//! Disk image formats: probing a file's header (as libvirt does at every
//! refresh, so the format shown is what the bytes say) and building the
//! qemu-img command lines libvirt builds.

use crate::command::Cmd;
use crate::errors;
use oxvirt_core::Result;

/// What a header says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Probe {
    /// `raw`, `qcow2`, `qed`, …
    pub format: String,
    /// Virtual size, when the format has one (else the file size applies).
    pub capacity: Option<u64>,
    /// Backing file as written in the header.
    pub backing: Option<String>,
    /// Backing format, when the header names it.
    pub backing_format: Option<String>,
    /// qcow2 v3 → `1.1`.
    pub compat: Option<String>,
    pub cluster_size: Option<u64>,
    /// qcow2 v3 feature names; `Some` only for v3.
    pub features: Option<Vec<String>>,
}

/// How many header bytes [`probe`] wants.
pub const PROBE_LEN: usize = 64 * 1024;

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn be64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le64(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

fn string_at(b: &[u8], off: u64, len: u64) -> Option<String> {
    let off = usize::try_from(off).ok()?;
    let len = usize::try_from(len).ok()?;
    if len == 0 || len > 4096 {
        return None;
    }
    let s = b.get(off..off.checked_add(len)?)?;
    String::from_utf8(s.to_vec()).ok()
}

const QCOW_MAGIC: &[u8] = b"QFI\xfb";
const QCOW2_EXT_BACKING_FORMAT: u32 = 0xE279_2ACA;

fn probe_qcow2(b: &[u8], version: u32) -> Probe {
    let mut p = Probe {
        format: "qcow2".into(),
        capacity: be64(b, 24),
        ..Probe::default()
    };
    if let (Some(off), Some(len)) = (be64(b, 8), be32(b, 16)) {
        p.backing = string_at(b, off, u64::from(len));
    }
    if let Some(bits) = be32(b, 20).filter(|b| (9..=21).contains(b)) {
        p.cluster_size = Some(1u64 << bits);
    }
    let header_len = if version >= 3 {
        let mut feats = Vec::new();
        if be64(b, 80).is_some_and(|f| f & 1 != 0) {
            feats.push("lazy_refcounts".to_owned());
        }
        if be64(b, 72).is_some_and(|f| f & (1 << 4) != 0) {
            feats.push("extended_l2".to_owned());
        }
        p.compat = Some("1.1".into());
        p.features = Some(feats);
        be32(b, 100).map_or(104, |l| l as usize)
    } else {
        72
    };
    // Header extensions: (type, length, data padded to 8) until type 0.
    let mut at = header_len;
    while let (Some(t), Some(len)) = (be32(b, at), be32(b, at + 4)) {
        if t == 0 {
            break;
        }
        let data = at + 8;
        if t == QCOW2_EXT_BACKING_FORMAT {
            p.backing_format = string_at(b, data as u64, u64::from(len));
        }
        at = data + (len as usize).div_ceil(8) * 8;
    }
    p
}

/// Probes the first bytes of an image (`file_len` is its size, for formats
/// that need it).
pub fn probe(b: &[u8]) -> Probe {
    let raw = || Probe {
        format: "raw".into(),
        ..Probe::default()
    };
    if b.starts_with(QCOW_MAGIC) {
        return match be32(b, 4) {
            Some(1) => {
                let mut p = Probe {
                    format: "qcow".into(),
                    capacity: be64(b, 24),
                    ..Probe::default()
                };
                if let (Some(off), Some(len)) = (be64(b, 8), be32(b, 16)) {
                    p.backing = string_at(b, off, u64::from(len));
                }
                p
            }
            Some(v @ (2 | 3)) => probe_qcow2(b, v),
            _ => raw(),
        };
    }
    if b.starts_with(b"QED\0") {
        let mut p = Probe {
            format: "qed".into(),
            capacity: le64(b, 48),
            ..Probe::default()
        };
        if let (Some(off), Some(len)) = (le32(b, 56), le32(b, 60)) {
            p.backing = string_at(b, u64::from(off), u64::from(len));
        }
        return p;
    }
    if b.starts_with(b"KDMV") {
        return Probe {
            format: "vmdk".into(),
            capacity: le64(b, 12).and_then(|s| s.checked_mul(512)),
            ..Probe::default()
        };
    }
    if b.starts_with(b"# Disk DescriptorFile") {
        return Probe {
            format: "vmdk".into(),
            ..Probe::default()
        };
    }
    if le32(b, 64) == Some(0xbeda_107f) {
        return Probe {
            format: "vdi".into(),
            capacity: le64(b, 368),
            ..Probe::default()
        };
    }
    if b.starts_with(b"conectix") {
        return Probe {
            format: "vpc".into(),
            capacity: be64(b, 48),
            ..Probe::default()
        };
    }
    if b.get(0x8001..0x8006) == Some(b"CD001") {
        return Probe {
            format: "iso".into(),
            ..Probe::default()
        };
    }
    raw()
}

/// Formats this driver creates with qemu-img.
pub fn qemu_img_creates(format: &str) -> bool {
    matches!(format, "qcow2" | "qcow" | "qed" | "vmdk" | "vpc" | "vdi")
}

/// What a qemu-img create or convert needs to know.
#[derive(Debug, Clone, Default)]
pub struct ImgOptions {
    pub format: String,
    pub backing_format: Option<String>,
    /// `VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA` was given.
    pub preallocate: bool,
    pub capacity: u64,
    pub allocation: u64,
    pub nocow: bool,
    pub compat: Option<String>,
    pub cluster_size: Option<u64>,
    pub features: Vec<String>,
}

/// The `-o` string, in libvirt's order; errors as libvirt's.
pub fn create_options(o: &ImgOptions, has_backing: bool) -> Result<String> {
    let mut opts: Vec<String> = Vec::new();
    if has_backing {
        if let Some(bf) = &o.backing_format {
            opts.push(format!("backing_fmt={bf}"));
        }
    }
    if o.preallocate {
        if o.format != "qcow2" {
            return Err(errors::unsupported(format!(
                "metadata preallocation only available with qcow2, not {}",
                o.format
            )));
        }
        if has_backing {
            return Err(errors::unsupported(
                "metadata preallocation conflicts with backing store",
            ));
        }
        opts.push(if o.capacity > o.allocation {
            "preallocation=metadata".into()
        } else {
            "preallocation=falloc".into()
        });
    }
    if o.nocow {
        opts.push("nocow=on".into());
    }
    match &o.compat {
        Some(c) => opts.push(format!("compat={c}")),
        None if o.format == "qcow2" => opts.push("compat=0.10".into()),
        None => {}
    }
    if let Some(cs) = o.cluster_size.filter(|c| *c > 0) {
        opts.push(format!("cluster_size={cs}"));
    }
    if o.format == "qcow2" {
        for f in &o.features {
            if o.compat.as_deref() == Some("0.10") {
                return Err(errors::unsupported(format!(
                    "{f} not supported with compat level 0.10"
                )));
            }
            match f.as_str() {
                "lazy_refcounts" => opts.push("lazy_refcounts".into()),
                "extended_l2" => opts.push("extended_l2=on".into()),
                _ => {}
            }
        }
    }
    Ok(opts.join(","))
}

/// `qemu-img create -f FMT [-b BACK] [-o OPTS] PATH SIZEK`.
pub fn create_cmd(o: &ImgOptions, path: &str, backing: Option<&str>) -> Result<Cmd> {
    let mut c = Cmd::new("qemu-img").args(["create", "-f", o.format.as_str()]);
    if let Some(b) = backing {
        c = c.args(["-b", b]);
    }
    let opts = create_options(o, backing.is_some())?;
    if !opts.is_empty() {
        c = c.args(["-o".to_owned(), opts]);
    }
    // libvirt passes the size in KiB, rounded up.
    Ok(c.args([path.to_owned(), format!("{}K", o.capacity.div_ceil(1024))]))
}

/// `qemu-img convert -f SRCFMT -O FMT [-o OPTS] SRC DST`; `existing` targets
/// a block device that must not be recreated (`-n`).
pub fn convert_cmd(
    o: &ImgOptions,
    src_format: &str,
    src: &str,
    dst: &str,
    existing: bool,
) -> Result<Cmd> {
    let mut c = Cmd::new("qemu-img").arg("convert");
    if existing {
        c = c.arg("-n");
    }
    c = c.args(["-f", src_format, "-O", o.format.as_str()]);
    if !existing {
        let opts = create_options(o, false)?;
        if !opts.is_empty() {
            c = c.args(["-o".to_owned(), opts]);
        }
    }
    Ok(c.args([src, dst]))
}

/// `qemu-img resize [--shrink] PATH BYTES`.
pub fn resize_cmd(path: &str, capacity: u64, shrink: bool) -> Cmd {
    let mut c = Cmd::new("qemu-img").arg("resize");
    if shrink {
        c = c.arg("--shrink");
    }
    c.args([path.to_owned(), capacity.to_string()])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn qcow2_header(version: u32, size: u64, backing: Option<&str>, lazy: bool) -> Vec<u8> {
        let mut b = vec![0u8; 1024];
        b[0..4].copy_from_slice(QCOW_MAGIC);
        b[4..8].copy_from_slice(&version.to_be_bytes());
        b[20..24].copy_from_slice(&16u32.to_be_bytes());
        b[24..32].copy_from_slice(&size.to_be_bytes());
        let hl: u32 = if version >= 3 { 112 } else { 72 };
        if version >= 3 {
            b[80..88].copy_from_slice(&(u64::from(lazy)).to_be_bytes());
            b[100..104].copy_from_slice(&hl.to_be_bytes());
        }
        let mut at = hl as usize;
        b[at..at + 4].copy_from_slice(&QCOW2_EXT_BACKING_FORMAT.to_be_bytes());
        b[at + 4..at + 8].copy_from_slice(&3u32.to_be_bytes());
        b[at + 8..at + 11].copy_from_slice(b"raw");
        at += 16;
        b[at..at + 8].copy_from_slice(&[0; 8]);
        if let Some(p) = backing {
            b[8..16].copy_from_slice(&512u64.to_be_bytes());
            b[16..20].copy_from_slice(&(p.len() as u32).to_be_bytes());
            b[512..512 + p.len()].copy_from_slice(p.as_bytes());
        }
        b
    }

    #[test]
    fn qcow2_v3_header_is_read() {
        let p = probe(&qcow2_header(3, 1 << 30, Some("/p/base.img"), true));
        assert_eq!(p.format, "qcow2");
        assert_eq!(p.capacity, Some(1 << 30));
        assert_eq!(p.backing.as_deref(), Some("/p/base.img"));
        assert_eq!(p.backing_format.as_deref(), Some("raw"));
        assert_eq!(p.compat.as_deref(), Some("1.1"));
        assert_eq!(p.cluster_size, Some(65536));
        assert_eq!(p.features, Some(vec!["lazy_refcounts".to_owned()]));
    }

    #[test]
    fn qcow2_v2_has_no_compat_or_features() {
        let p = probe(&qcow2_header(2, 4096, None, false));
        assert_eq!((p.compat, p.features, p.backing), (None, None, None));
    }

    #[test]
    fn anything_else_is_raw() {
        assert_eq!(probe(b"hello world").format, "raw");
        assert_eq!(probe(b"").format, "raw");
        assert_eq!(probe(b"QFI\xfb\0\0\0\x09").format, "raw");
    }

    #[test]
    fn qcow2_create_forces_compat_and_orders_options() {
        let o = ImgOptions {
            format: "qcow2".into(),
            capacity: 20 * 1024 * 1024 + 1,
            ..ImgOptions::default()
        };
        assert_eq!(
            create_cmd(&o, "/p/a.qcow2", None).unwrap().display(),
            "qemu-img create -f qcow2 -o compat=0.10 /p/a.qcow2 20481K"
        );
        let o = ImgOptions {
            format: "qcow2".into(),
            backing_format: Some("qcow2".into()),
            capacity: 1 << 20,
            compat: Some("1.1".into()),
            cluster_size: Some(131072),
            features: vec!["lazy_refcounts".into()],
            ..ImgOptions::default()
        };
        assert_eq!(
            create_cmd(&o, "/p/b", Some("/p/a")).unwrap().display(),
            "qemu-img create -f qcow2 -b /p/a -o backing_fmt=qcow2,compat=1.1,cluster_size=131072,lazy_refcounts /p/b 1024K"
        );
    }

    #[test]
    fn lazy_refcounts_need_compat_1_1() {
        let o = ImgOptions {
            format: "qcow2".into(),
            compat: Some("0.10".into()),
            features: vec!["lazy_refcounts".into()],
            ..ImgOptions::default()
        };
        assert_eq!(
            create_cmd(&o, "/p/x", None).unwrap_err().message,
            "unsupported configuration: lazy_refcounts not supported with compat level 0.10"
        );
    }

    #[test]
    fn metadata_preallocation_is_chosen_by_allocation() {
        let mut o = ImgOptions {
            format: "qcow2".into(),
            preallocate: true,
            capacity: 100,
            allocation: 0,
            ..ImgOptions::default()
        };
        assert!(create_options(&o, false)
            .unwrap()
            .starts_with("preallocation=metadata"));
        o.allocation = 100;
        assert!(create_options(&o, false)
            .unwrap()
            .starts_with("preallocation=falloc"));
    }
}
