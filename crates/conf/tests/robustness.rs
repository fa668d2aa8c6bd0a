//! Whatever the input, parsing returns a definition or an error.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oxvirt_conf::domain::{parse_flags, DomainDef};
use proptest::prelude::*;

const BASE: &str = "<domain type='kvm'><name>p</name><memory unit='MiB'>64</memory><vcpu current='1'>2</vcpu><os><type arch='x86_64'>hvm</type><boot dev='cdrom'/></os><devices><disk type='file' device='cdrom'><source file='/i.iso'/><target dev='hdc' bus='ide'/></disk><interface type='network'><source network='default'/></interface><console type='pty'/><graphics type='vnc' port='-1'/><video><model type='vga'/></video><controller type='usb'/></devices></domain>";

fn parse(s: &str) {
    let mut r = || [3u8; 16];
    if let Ok(d) = DomainDef::parse(s, parse_flags::INACTIVE, &mut r) {
        // Whatever parses must format and parse again.
        let out = d.format(0);
        DomainDef::parse(&out, parse_flags::INACTIVE, &mut r).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,300}") {
        parse(&s);
    }

    #[test]
    fn truncated_documents_never_panic(cut in 0usize..BASE.len()) {
        parse(&BASE[..cut]);
    }

    #[test]
    fn mutated_documents_never_panic(pos in 0usize..BASE.len(), c in any::<char>()) {
        let mut s: Vec<char> = BASE.chars().collect();
        let p = pos.min(s.len() - 1);
        s[p] = c;
        parse(&s.into_iter().collect::<String>());
    }
}
