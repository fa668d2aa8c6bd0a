//! XML → QEMU command line golden tests, after libvirt's qemuxmlconftest.
//!
//! Each `tests/data/in/NAME.xml` is parsed, given the QEMU driver's
//! define-time defaults against the checked-in capabilities snapshot
//! (`tests/data/caps/x86_64.json`) and firmware descriptors
//! (`tests/data/firmware/`), prepared for start and built. The outputs are
//! `out/NAME.args` (one option per line), `out/NAME.xml` (the live XML),
//! `out/NAME.inactive.xml` (the persistent XML after define) and
//! `out/NAME.migratable.xml` (the live XML as migration sends it); a case
//! that fails has `out/NAME.err` instead. `VIR_TEST_REGENERATE_OUTPUT=1`
//! rewrites the outputs; an output without an input fails the run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use oxvirt_conf::domain::{format_flags, parse_flags, DomainDef};
use oxvirt_driver_qemu::caps::{firmware, QemuCaps};
use oxvirt_driver_qemu::command::{self, Accel, CommandContext, MonitorSocket, NetFds};
use oxvirt_driver_qemu::conf::QemuConfig;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

fn regenerate() -> bool {
    std::env::var_os("VIR_TEST_REGENERATE_OUTPUT").is_some()
}

fn caps() -> QemuCaps {
    QemuCaps::from_json(&std::fs::read_to_string(data().join("caps/x86_64.json")).unwrap()).unwrap()
}

/// Deterministic "random" bytes: a counter.
fn counter() -> impl FnMut() -> [u8; 16] {
    let mut n = 0u8;
    move || {
        n = n.wrapping_add(1);
        [n; 16]
    }
}

fn context(def: &DomainDef) -> CommandContext {
    let lib = format!("/var/lib/libvirt/qemu/domain-1-{}", def.name);
    let mut ctx = CommandContext::new(
        lib.clone(),
        Accel::for_virt_type(&def.virt_type),
        QemuConfig::defaults(true),
    );
    ctx.monitor = MonitorSocket::Path(format!("{lib}/monitor.sock").into());
    ctx.channel_dir = format!("/var/lib/libvirt/qemu/channel/target/domain-1-{}", def.name).into();
    ctx.nvram_dir = "/var/lib/libvirt/qemu/nvram".into();
    let nics = def
        .devices
        .iter()
        .filter(|d| matches!(d, oxvirt_conf::domain::Device::Interface(_)))
        .count();
    ctx.net_fds = (0..nics)
        .map(|i| NetFds {
            tap: vec![100 + 2 * i as i32],
            vhost: vec![101 + 2 * i as i32],
        })
        .collect();
    ctx.display_ports = vec![5900, 5901];
    ctx.passthrough_env = vec![("PATH".into(), "/usr/bin:/bin".into())];
    ctx
}

/// Runs one case: Ok((args, live xml, inactive xml, migratable xml)) or
/// the error text.
fn run_case(text: &str, caps: &QemuCaps) -> Result<[String; 4], String> {
    let mut rnd = counter();
    let mut def =
        DomainDef::parse(text, parse_flags::INACTIVE, &mut rnd).map_err(|e| format!("{e}"))?;
    let mut platform = caps.platform();
    platform.kvm = caps.kvm;
    def.qemu_post_parse(&platform).map_err(|e| format!("{e}"))?;
    let inactive = def.format(format_flags::INACTIVE);

    // Define must be stable: the persistent XML parses back to itself.
    let mut again = DomainDef::parse(&inactive, parse_flags::INACTIVE, &mut rnd).unwrap();
    again.qemu_post_parse(&platform).unwrap();
    assert_eq!(
        again.format(format_flags::INACTIVE),
        inactive,
        "define is not idempotent"
    );

    let ctx = context(&def);
    let fws = firmware::load_from(&[data().join("firmware")]);
    let mut live = def.clone();
    live.id = 1;
    command::prepare(&mut live, &ctx, &fws).map_err(|e| format!("{e}"))?;
    let cmd = command::build(&live, caps, &ctx).map_err(|e| format!("{e}"))?;
    let mut args = String::new();
    for (k, v) in &cmd.env {
        args.push_str(&format!("{k}={v} \\\n"));
    }
    args.push_str(&cmd.binary.to_string_lossy());
    let mut it = cmd.argv.iter().peekable();
    while let Some(a) = it.next() {
        args.push_str(" \\\n");
        args.push_str(a);
        if a.starts_with('-') {
            if let Some(v) = it.next_if(|v| !v.starts_with('-')) {
                args.push(' ');
                args.push_str(v);
            }
        }
    }
    args.push('\n');
    Ok([
        args,
        live.format(0),
        inactive,
        live.format(format_flags::MIGRATABLE),
    ])
}

fn check(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if regenerate() {
        std::fs::write(path, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => {
            let diff: Vec<String> = expected
                .lines()
                .zip(actual.lines())
                .filter(|(a, b)| a != b)
                .take(5)
                .map(|(a, b)| format!("  - {a}\n  + {b}"))
                .collect();
            failures.push(format!("{} differs:\n{}", path.display(), diff.join("\n")));
        }
        Err(_) => failures.push(format!("{} is missing; regenerate", path.display())),
    }
}

fn remove_if_regenerating(path: &Path, failures: &mut Vec<String>) {
    if path.exists() {
        if regenerate() {
            std::fs::remove_file(path).unwrap();
        } else {
            failures.push(format!("{} is stale; regenerate", path.display()));
        }
    }
}

#[test]
fn xml_to_argv_goldens() {
    let caps = caps();
    let inputs: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = std::fs::read_dir(data().join("in"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .collect();
        v.sort();
        v
    };
    assert!(inputs.len() >= 4);
    let mut failures = Vec::new();
    let mut expected_outputs = BTreeSet::new();
    for input in &inputs {
        let stem = input.file_stem().unwrap().to_string_lossy().into_owned();
        let out = data().join("out");
        let outputs = ["args", "xml", "inactive.xml", "migratable.xml"]
            .map(|ext| out.join(format!("{stem}.{ext}")));
        let err = out.join(format!("{stem}.err"));
        match run_case(&std::fs::read_to_string(input).unwrap(), &caps) {
            Ok(texts) => {
                for (path, text) in outputs.iter().zip(texts.iter()) {
                    check(path, text, &mut failures);
                }
                remove_if_regenerating(&err, &mut failures);
                expected_outputs.extend(outputs);
            }
            Err(e) => {
                check(&err, &(e + "\n"), &mut failures);
                for p in &outputs {
                    remove_if_regenerating(p, &mut failures);
                }
                expected_outputs.insert(err);
            }
        }
    }
    for entry in std::fs::read_dir(data().join("out")).unwrap() {
        let p = entry.unwrap().path();
        if !expected_outputs.contains(&p) {
            failures.push(format!("{} has no input case", p.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A fixed host for the capability documents.
fn fixed_host() -> oxvirt_driver_qemu::caps::host::HostInfo {
    use oxvirt_conf::capabilities::{Cell, CellCpu};
    use oxvirt_driver_qemu::caps::host::{parse_cpuinfo, HostInfo, Topology};
    let cpu = parse_cpuinfo(
        "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 1\nmodel name\t: AMD EPYC\nstepping\t: 2\nmicrocode\t: 0x1000065\n\nprocessor\t: 1\n",
    );
    HostInfo {
        uuid: Some("01234567-89ab-cdef-0123-456789abcdef".into()),
        arch: "x86_64".into(),
        cpu,
        topology: Topology {
            sockets: 1,
            dies: 1,
            cores: 2,
            threads: 1,
        },
        page_sizes: vec![4, 2048, 1_048_576],
        memory_kib: 8_388_608,
        cells: vec![Cell {
            id: 0,
            memory: 8_388_608,
            pages: vec![(4, 2_097_152), (2048, 0), (1_048_576, 0)],
            cpus: (0..2)
                .map(|id| CellCpu {
                    id,
                    socket_id: 0,
                    die_id: 0,
                    core_id: id,
                    siblings: id.to_string(),
                })
                .collect(),
        }],
        iommu: false,
    }
}

#[test]
fn capability_documents_match_goldens() {
    use oxvirt_driver_qemu::caps::xml;
    let caps = caps();
    let host = fixed_host();
    let fws = firmware::load_from(&[data().join("firmware")]);
    let mut failures = Vec::new();
    let doc = xml::capabilities_xml(
        &host,
        &[&caps],
        Some("/usr/bin/qemu-system-i386"),
        &xml::SecurityInfo::dac(64055, 64055),
        true,
    );
    check(&data().join("caps/capabilities.xml"), &doc, &mut failures);
    let dom = |name: &str, req: xml::DomCapsRequest, failures: &mut Vec<String>| {
        let text = xml::domain_capabilities_xml(&caps, &host, &fws, &req, true).unwrap();
        check(&data().join(format!("caps/{name}")), &text, failures);
    };
    dom(
        "domcaps-q35-kvm.xml",
        xml::DomCapsRequest::default(),
        &mut failures,
    );
    dom(
        "domcaps-pc-qemu.xml",
        xml::DomCapsRequest {
            virt_type: Some("qemu".into()),
            machine: Some("pc".into()),
        },
        &mut failures,
    );
    let e = xml::domain_capabilities_xml(
        &caps,
        &host,
        &fws,
        &xml::DomCapsRequest {
            virt_type: None,
            machine: Some("nope".into()),
        },
        true,
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "invalid argument: the machine 'nope' is not supported by emulator '/usr/bin/qemu-system-x86_64'"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
