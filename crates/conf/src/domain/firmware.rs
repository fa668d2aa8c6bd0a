//! Firmware descriptors (QEMU's `firmware.json` interop format) as data, and
//! the choice libvirt makes for `<os firmware='efi'>` or `firmware='bios'`.
//!
//! Reading the descriptor files is the driver's business; this module only
//! matches them against a definition.

/// One descriptor: what a firmware image is and where it runs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Firmware {
    /// The descriptor file it came from (for messages).
    pub descriptor: String,
    /// `interface-types`: `uefi`, `bios`, ...
    pub interfaces: Vec<String>,
    /// `mapping.device`: `flash`, `memory` or `kernel`.
    pub device: String,
    /// The code image.
    pub executable: String,
    /// `raw` or `qcow2`.
    pub format: String,
    /// The variable store template (flash firmware only).
    pub nvram_template: Option<String>,
    /// (architecture, machine globs such as `pc-q35-*`).
    pub targets: Vec<(String, Vec<String>)>,
    /// `features`: `secure-boot`, `enrolled-keys`, `requires-smm`, `acpi-s3`, ...
    pub features: Vec<String>,
}

impl Firmware {
    /// True when the descriptor names `feature`.
    pub fn has_feature(&self, feature: &str) -> bool {
        self.features.iter().any(|f| f == feature)
    }

    /// True for UEFI firmware.
    pub fn is_uefi(&self) -> bool {
        self.interfaces.iter().any(|i| i == "uefi")
    }

    /// True when the firmware runs `machine` on `arch`.
    pub fn supports(&self, arch: &str, machine: &str) -> bool {
        self.targets
            .iter()
            .any(|(a, globs)| a == arch && globs.iter().any(|g| glob_match(g, machine)))
    }
}

/// What a definition asks of its firmware.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FirmwareRequest {
    /// `efi` or `bios`.
    pub interface: String,
    pub arch: String,
    /// Canonical machine name.
    pub machine: String,
    /// Features that must be present (`<feature enabled='yes'>`,
    /// `<loader secure='yes'>`).
    pub required: Vec<String>,
    /// Features that must be absent (`<feature enabled='no'>`,
    /// `<smm state='off'>` → `requires-smm`).
    pub forbidden: Vec<String>,
}

/// The first descriptor, in the order given (libvirt sorts by file name),
/// that satisfies `req`.
pub fn select<'a>(all: &'a [Firmware], req: &FirmwareRequest) -> Option<&'a Firmware> {
    all.iter().find(|fw| {
        let iface_ok = match req.interface.as_str() {
            "efi" => fw.is_uefi(),
            "bios" => fw.interfaces.iter().any(|i| i == "bios"),
            _ => false,
        };
        iface_ok
            && fw.device != "kernel"
            && fw.supports(&req.arch, &req.machine)
            && req.required.iter().all(|f| fw.has_feature(f))
            && !req.forbidden.iter().any(|f| fw.has_feature(f))
    })
}

/// Shell-style glob with `*` and `?`, as QEMU's descriptors use.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn fw(name: &str, machines: &[&str], features: &[&str]) -> Firmware {
        Firmware {
            descriptor: name.into(),
            interfaces: vec!["uefi".into()],
            device: "flash".into(),
            executable: format!("/fw/{name}.fd"),
            format: "raw".into(),
            nvram_template: Some(format!("/fw/{name}_VARS.fd")),
            targets: vec![(
                "x86_64".into(),
                machines.iter().map(|m| (*m).to_owned()).collect(),
            )],
            features: features.iter().map(|f| (*f).to_owned()).collect(),
        }
    }

    #[test]
    fn globs_match_machine_families() {
        assert!(glob_match("pc-q35-*", "pc-q35-7.2"));
        assert!(!glob_match("pc-q35-*", "pc-i440fx-7.2"));
        assert!(glob_match("pc-?35-7.2", "pc-q35-7.2"));
        assert!(glob_match("*", ""));
    }

    #[test]
    fn first_matching_descriptor_wins_and_features_filter() {
        let all = vec![
            fw("secure", &["pc-q35-*"], &["secure-boot", "requires-smm"]),
            fw("plain", &["pc-i440fx-*", "pc-q35-*"], &[]),
        ];
        let mut req = FirmwareRequest {
            interface: "efi".into(),
            arch: "x86_64".into(),
            machine: "pc-q35-7.2".into(),
            ..Default::default()
        };
        assert_eq!(select(&all, &req).unwrap().descriptor, "secure");
        req.forbidden = vec!["secure-boot".into()];
        assert_eq!(select(&all, &req).unwrap().descriptor, "plain");
        req.machine = "pc-i440fx-7.2".into();
        req.forbidden.clear();
        req.required = vec!["secure-boot".into()];
        assert!(select(&all, &req).is_none());
    }
}
