//! Parse/format golden files: `tests/data/NAME.xml` formatted inactive is
//! `NAME.out.xml` and secure is `NAME.secure.xml`. `VIR_TEST_REGENERATE_OUTPUT=1`
//! rewrites the outputs; review the diff. Driver defaults (arch, video model,
//! interface names) are not applied here; the test driver's golden files
//! compare the whole pipeline with libvirt.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oxvirt_conf::domain::{format_flags, parse_flags, DomainDef};
use std::path::{Path, PathBuf};

fn inputs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.ends_with(".xml") && !n.ends_with(".out.xml") && !n.ends_with(".secure.xml")
        })
        .collect();
    v.sort();
    v
}

fn zero() -> [u8; 16] {
    [0x42; 16]
}

fn parse(text: &str) -> DomainDef {
    let mut r = zero;
    DomainDef::parse(text, parse_flags::INACTIVE, &mut r).unwrap()
}

fn check(path: &Path, actual: &str) {
    if std::env::var_os("VIR_TEST_REGENERATE_OUTPUT").is_some() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(path)
        .unwrap_or_else(|_| panic!("{} missing; regenerate", path.display()));
    assert_eq!(actual, expected, "{} differs", path.display());
}

#[test]
fn inputs_format_as_recorded() {
    let all = inputs();
    assert!(all.len() >= 5);
    for input in all {
        let def = parse(&std::fs::read_to_string(&input).unwrap());
        let stem = input.with_extension("");
        check(
            &stem.with_extension("out.xml"),
            &def.format(format_flags::INACTIVE),
        );
        check(
            &stem.with_extension("secure.xml"),
            &def.format(format_flags::INACTIVE | format_flags::SECURE),
        );
    }
}

#[test]
fn formatting_is_a_fixed_point() {
    for input in inputs() {
        let once = parse(&std::fs::read_to_string(&input).unwrap()).format(0);
        let twice = parse(&once).format(0);
        if once != twice {
            let diff: Vec<String> = once
                .lines()
                .zip(twice.lines())
                .filter(|(a, b)| a != b)
                .map(|(a, b)| format!("- {a}\n+ {b}"))
                .collect();
            panic!("{} is not stable:\n{}", input.display(), diff.join("\n"));
        }
    }
}
