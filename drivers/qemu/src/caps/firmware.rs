//! Reading QEMU firmware descriptors (`*.json` in `/etc/qemu/firmware`,
//! `/usr/share/qemu/firmware`, ...).
//!
//! As libvirt does, files are ordered by name across all directories, and a
//! file in an earlier directory hides one of the same name in a later one;
//! an empty file hides without replacing.

use oxvirt_conf::domain::firmware::Firmware;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The system directories, most specific first.
pub const SYSTEM_DIRS: &[&str] = &["/etc/qemu/firmware", "/usr/share/qemu/firmware"];

/// Parses one descriptor; `None` for files that are not descriptors.
pub fn parse_descriptor(name: &str, text: &str) -> Option<Firmware> {
    let v: Value = serde_json::from_str(text).ok()?;
    let strings = |key: &str| -> Vec<String> {
        v.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mapping = v.get("mapping")?;
    let device = mapping.get("device")?.as_str()?.to_owned();
    let (executable, format, nvram_template) = match device.as_str() {
        "flash" => {
            let exe = mapping.get("executable")?;
            (
                exe.get("filename")?.as_str()?.to_owned(),
                exe.get("format")
                    .and_then(Value::as_str)
                    .unwrap_or("raw")
                    .to_owned(),
                mapping
                    .pointer("/nvram-template/filename")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            )
        }
        "memory" | "kernel" => (
            mapping.get("filename")?.as_str()?.to_owned(),
            "raw".to_owned(),
            None,
        ),
        _ => return None,
    };
    let targets = v
        .get("targets")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| {
                    let arch = t.get("architecture")?.as_str()?;
                    let arch = if arch == "i386" { "i686" } else { arch };
                    let machines = t
                        .get("machines")?
                        .as_array()?
                        .iter()
                        .filter_map(|m| m.as_str().map(str::to_owned))
                        .collect();
                    Some((arch.to_owned(), machines))
                })
                .collect()
        })
        .unwrap_or_default();
    Some(Firmware {
        descriptor: name.to_owned(),
        interfaces: strings("interface-types"),
        device,
        executable,
        format,
        nvram_template,
        targets,
        features: strings("features"),
    })
}

/// Loads every descriptor from `dirs` (earlier directories win).
pub fn load_from(dirs: &[PathBuf]) -> Vec<Firmware> {
    let mut by_name: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in dirs {
        let Ok(rd) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in rd.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".json") {
                continue;
            }
            by_name.entry(name).or_insert_with(|| entry.path());
        }
    }
    by_name
        .into_iter()
        .filter_map(|(name, path)| {
            let text = std::fs::read_to_string(&path).ok()?;
            parse_descriptor(&path_name(&path, &name), &text)
        })
        .collect()
}

fn path_name(path: &Path, fallback: &str) -> String {
    path.to_str().unwrap_or(fallback).to_owned()
}

/// The descriptors of the host's system directories.
pub fn load_system() -> Vec<Firmware> {
    let dirs: Vec<PathBuf> = SYSTEM_DIRS.iter().map(PathBuf::from).collect();
    load_from(&dirs)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn flash_descriptor_is_read() {
        let text = r#"{"interface-types":["uefi"],"mapping":{"device":"flash",
            "executable":{"filename":"/fw/CODE.fd","format":"raw"},
            "nvram-template":{"filename":"/fw/VARS.fd","format":"raw"}},
            "targets":[{"architecture":"x86_64","machines":["pc-q35-*"]}],
            "features":["secure-boot","requires-smm"],"tags":[]}"#;
        let fw = parse_descriptor("50-x.json", text).unwrap();
        assert_eq!(fw.executable, "/fw/CODE.fd");
        assert_eq!(fw.nvram_template.as_deref(), Some("/fw/VARS.fd"));
        assert!(fw.supports("x86_64", "pc-q35-7.2"));
        assert!(fw.has_feature("requires-smm"));
    }

    #[test]
    fn garbage_is_skipped() {
        assert!(parse_descriptor("x.json", "{}").is_none());
        assert!(parse_descriptor("x.json", "not json").is_none());
    }
}
