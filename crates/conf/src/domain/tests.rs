//! Unit tests of the domain model: fields, defaults, errors, robustness.

use super::*;

fn fixed() -> [u8; 16] {
    [0x11; 16]
}

fn parse(xml: &str) -> Result<DomainDef, Error> {
    let mut r = fixed;
    DomainDef::parse(xml, parse_flags::INACTIVE, &mut r)
}

const MINIMAL: &str =
    "<domain type='test'><name>x</name><memory>1024</memory><os><type>hvm</type></os></domain>";

#[test]
fn minimal_domain_gets_libvirt_defaults() {
    let d = parse(MINIMAL).unwrap();
    assert_eq!(d.name, "x");
    assert_eq!(d.uuid, Uuid::from_random_bytes([0x11; 16]));
    assert_eq!((d.memory, d.current_memory), (1024, 1024));
    assert_eq!(d.vcpu.max, 1);
    assert_eq!(d.os.boot, ["hd"]);
    assert_eq!(d.on_reboot, LifecycleAction::Restart);
    assert_eq!(d.id, -1);
}

#[test]
fn memory_units_are_scaled_and_balloon_clamped() {
    let d = parse("<domain type='test'><name>x</name><memory unit='GiB'>2</memory><currentMemory unit='GiB'>4</currentMemory><os><type>hvm</type></os></domain>").unwrap();
    assert_eq!(d.memory, 2 * 1024 * 1024);
    assert_eq!(d.current_memory, d.memory);
}

#[test]
fn vcpu_current_is_written_only_when_lower() {
    let d = parse("<domain type='test'><name>x</name><memory>1</memory><vcpu current='2'>4</vcpu><os><type>hvm</type></os></domain>").unwrap();
    assert_eq!(d.vcpu.online(), 2);
    assert!(d
        .format(0)
        .contains("<vcpu placement='static' current='2'>4</vcpu>"));
}

#[test]
fn active_format_carries_id_and_inactive_does_not() {
    let mut d = parse(MINIMAL).unwrap();
    d.id = 7;
    assert!(d.format(0).starts_with("<domain type='test' id='7'>\n"));
    assert!(d
        .format(format_flags::INACTIVE)
        .starts_with("<domain type='test'>\n"));
}

#[test]
fn graphics_password_needs_secure_flag() {
    let d = parse("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><graphics type='vnc' passwd='s3'/></devices></domain>").unwrap();
    assert!(!d.format(0).contains("s3"));
    assert!(d.format(format_flags::SECURE).contains("passwd='s3'"));
}

#[test]
fn metadata_is_kept_verbatim() {
    let d = parse("<domain type='test'><name>x</name><metadata><a:b xmlns:a='urn:a' k='v'><a:c>t &amp; u</a:c></a:b></metadata><memory>1</memory><os><type>hvm</type></os></domain>").unwrap();
    let out = d.format(0);
    assert!(out.contains(
        "  <metadata>\n    <a:b xmlns:a=\"urn:a\" k=\"v\">\n      <a:c>t &amp; u</a:c>\n    </a:b>\n  </metadata>\n"
    ));
}

#[test]
fn unknown_elements_are_dropped() {
    let d = parse("<domain type='test'><name>x</name><bogus/><memory>1</memory><os><type>hvm</type></os><devices><bogus/></devices></domain>").unwrap();
    assert!(!d.format(0).contains("bogus"));
}

#[test]
fn generated_interface_names_are_forgotten_on_inactive_parse() {
    let d = parse("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><interface type='user'><mac address='52:54:00:00:00:01'/><target dev='vnet0'/></interface><interface type='user'><mac address='52:54:00:00:00:02'/><target dev='mytap'/></interface></devices></domain>").unwrap();
    let out = d.format(0);
    assert!(!out.contains("vnet0"));
    assert!(out.contains("<target dev='mytap'/>"));
}

#[test]
fn missing_mac_is_generated_from_random_source() {
    let d = parse("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><interface type='user'/></devices></domain>").unwrap();
    assert!(d.format(0).contains("<mac address='52:54:00:11:11:11'/>"));
}

#[test]
fn missing_name_is_no_name_without_detail() {
    let e = parse("<domain type='test'><memory>1</memory><os><type>hvm</type></os></domain>")
        .unwrap_err();
    assert_eq!(
        (e.code, e.domain),
        (ErrorCode::NO_NAME, ErrorDomain::DOMAIN)
    );
    assert_eq!(e.message, "missing name information");
    assert_eq!(e.str2, None);
}

#[test]
fn bad_uuid_is_internal_error() {
    let e = parse("<domain type='test'><name>x</name><uuid>nope</uuid><memory>1</memory><os><type>hvm</type></os></domain>").unwrap_err();
    assert_eq!(e.message, "internal error: malformed uuid element");
    assert_eq!(e.domain, ErrorDomain::DOMAIN);
}

#[test]
fn malformed_xml_is_xml_detail_in_domain_config() {
    let e = parse("<domain type='test'><name>x</name>").unwrap_err();
    assert_eq!(
        (e.code, e.domain),
        (ErrorCode::XML_DETAIL, ErrorDomain::DOMAIN)
    );
    assert!(e
        .message
        .starts_with("(domain_definition):1: Premature end of data in tag domain line 1\n"));
    assert_eq!(e.str1.as_deref(), Some("%s"));
}

#[test]
fn wrong_root_is_reported_in_xml_domain() {
    let e = parse("<foo/>").unwrap_err();
    assert_eq!((e.code, e.domain), (ErrorCode::XML_ERROR, ErrorDomain::XML));
    assert_eq!(
        e.message,
        "XML error: expecting root element of 'domain', not 'foo'"
    );
}

#[test]
fn bad_memory_unit_is_invalid_arg_without_domain() {
    let e = parse("<domain type='test'><name>x</name><memory unit='parsec'>1</memory><os><type>hvm</type></os></domain>").unwrap_err();
    assert_eq!(
        (e.code, e.domain),
        (ErrorCode::INVALID_ARG, ErrorDomain::NONE)
    );
}

#[test]
fn megabyte_name_round_trips() {
    let name = "n".repeat(1024 * 1024);
    let xml = MINIMAL.replace(">x<", &format!(">{name}<"));
    let d = parse(&xml).unwrap();
    assert_eq!(d.name.len(), name.len());
    assert!(d.format(0).contains(&name));
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "",
        "<",
        "<<<<",
        "<domain",
        "<domain type='test'",
        "<domain type='test'><name>",
        "<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><disk/></devices></domain>",
        "<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><controller index='x'/></devices></domain>",
        "<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><video><model heads='-1'/></video></devices></domain>",
        "<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><disk><target dev='sdzzzzzzzzzzzzzzzzzzzzzzzzzz'/></disk></devices></domain>",
        "<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><serial><target port='99999999999'/></serial></devices></domain>",
        "\u{0}\u{1}\u{2}",
        "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><domain/>",
        "<domain type='test'><![CDATA[x]]></domain>",
        "<a:domain xmlns:a='u'/>",
    ];
    for s in samples {
        let _ = parse(s);
    }
    let mut state: u32 = 12345;
    let alphabet: Vec<char> = "<>/='\" domainemoryostypehvm&;!-?x0123456789\n\té€\u{10348}"
        .chars()
        .collect();
    for _ in 0..2000 {
        let len = (state % 200) as usize;
        let mut s = String::new();
        for _ in 0..len {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
            s.push(alphabet[(state >> 16) as usize % alphabet.len()]);
        }
        let _ = parse(&s);
        let _ = parse(&format!("{MINIMAL}{s}"));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let xml = format!(
        "<domain type='test'><name>x</name><metadata>{}</metadata></domain>",
        "<a>".repeat(10_000)
    );
    let e = parse(&xml).unwrap_err();
    assert_eq!(e.code, ErrorCode::XML_DETAIL);
}

#[test]
fn openvswitch_ports_get_an_interface_id() {
    let d = parse("<domain type='test'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><interface type='bridge'><mac address='52:54:00:00:00:01'/><source bridge='ovs'/><virtualport type='openvswitch'/></interface></devices></domain>").unwrap();
    assert!(d.format(0).contains(
        "<virtualport type='openvswitch'>\n        <parameters interfaceid='11111111-1111-4111-9111-111111111111'/>\n      </virtualport>"
    ));
}

#[test]
fn validate_flag_refuses_unknown_elements() {
    let mut r = fixed;
    let xml = "<domain type='kvm'><name>x</name><bogus/><memory>1024</memory><os><type>hvm</type></os></domain>";
    let e =
        DomainDef::parse(xml, parse_flags::INACTIVE | parse_flags::VALIDATE, &mut r).unwrap_err();
    assert_eq!(e.code, ErrorCode::XML_INVALID_SCHEMA);
    assert!(e.message.contains("Extra element bogus in interleave"));
    let dev = "<domain type='kvm'><name>x</name><memory>1024</memory><os><type>hvm</type></os><devices><gizmo/></devices></domain>";
    let e = DomainDef::parse(dev, parse_flags::VALIDATE, &mut r).unwrap_err();
    assert!(e.message.contains("Extra element gizmo"));
    assert!(parse(xml).is_ok());
}

#[test]
fn bad_cpu_and_disk_values_name_the_attribute() {
    let e = parse("<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os><cpu mode='fast'/></domain>").unwrap_err();
    assert_eq!(
        e.message,
        "XML error: Invalid value for attribute 'mode' in element 'cpu': 'fast'."
    );
    let e = parse("<domain type='kvm'><name>x</name><memory>1</memory><os><type>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' cache='turbo'/><source file='/a'/><target dev='vda'/></disk></devices></domain>").unwrap_err();
    assert_eq!(
        e.message,
        "XML error: Invalid value for attribute 'cache' in element 'driver': 'turbo'."
    );
}

fn platform() -> qemu::QemuPlatform {
    qemu::QemuPlatform {
        emulator: "/usr/bin/qemu-system-x86_64".into(),
        arch: "x86_64".into(),
        machines: vec![
            ("pc-q35-7.2".into(), Some("q35".into())),
            ("pc-i440fx-7.2".into(), Some("pc".into())),
        ],
        default_machine: Some("pc-i440fx-7.2".into()),
        kvm: true,
    }
}

#[test]
fn qemu_post_parse_adds_q35_topology_once() {
    let mut d = parse("<domain type='kvm'><name>x</name><memory>65536</memory><os><type machine='q35'>hvm</type></os><devices><disk type='file' device='disk'><source file='/a.img'/><target dev='vda' bus='virtio'/></disk></devices></domain>").unwrap();
    d.qemu_post_parse(&platform()).unwrap();
    let once = d.format(format_flags::INACTIVE);
    assert!(once.contains("machine='pc-q35-7.2'"));
    assert!(once.contains("<driver name='qemu' type='raw'/>"));
    assert!(once.contains("model='pcie-root-port'"));
    let mut again = parse(&once).unwrap();
    again.qemu_post_parse(&platform()).unwrap();
    assert_eq!(again.format(format_flags::INACTIVE), once);
}

#[test]
fn qemu_post_parse_refuses_unknown_machine_and_virt_type() {
    let mut d = parse("<domain type='kvm'><name>x</name><memory>1</memory><os><type machine='virt'>hvm</type></os></domain>").unwrap();
    let e = d.qemu_post_parse(&platform()).unwrap_err();
    assert_eq!(e.code, ErrorCode::CONFIG_UNSUPPORTED);
    assert_eq!(e.domain, ErrorDomain::QEMU);
    let mut d = parse(
        "<domain type='xen'><name>x</name><memory>1</memory><os><type>hvm</type></os></domain>",
    )
    .unwrap();
    let e = d.qemu_post_parse(&platform()).unwrap_err();
    assert!(e.message.ends_with("does not support virt type 'xen'"));
}

#[test]
fn migratable_form_drops_runtime_and_implicit_devices() {
    let mut d = parse("<domain type='kvm'><name>x</name><memory>65536</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><graphics type='vnc' autoport='yes'/></devices></domain>").unwrap();
    d.qemu_post_parse(&platform()).unwrap();
    d.id = 4;
    let m = d.format(format_flags::MIGRATABLE);
    assert!(!m.contains("id='4'"));
    assert!(!m.contains("keyboard"));
    assert!(m.contains("<input type='mouse' bus='ps2'/>"));
    assert!(!m.contains("<audio"));
}

#[test]
fn pci_controllers_without_index_start_after_the_root() {
    let mut d = parse("<domain type='kvm'><name>x</name><memory>65536</memory><os><type machine='q35'>hvm</type></os><devices><controller type='pci' model='pcie-root-port'/><controller type='pci' model='pcie-root-port'/></devices></domain>").unwrap();
    d.qemu_post_parse(&platform()).unwrap();
    let xml = d.format(format_flags::INACTIVE);
    assert!(
        xml.contains("<controller type='pci' index='0' model='pcie-root'/>"),
        "{xml}"
    );
    assert!(
        xml.contains("<controller type='pci' index='1' model='pcie-root-port'>"),
        "{xml}"
    );
    assert!(
        xml.contains("<controller type='pci' index='2' model='pcie-root-port'>"),
        "{xml}"
    );
}
