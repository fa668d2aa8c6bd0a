//! Driver semantics, checked against what libvirt's test driver does.

use super::*;
use oxvirt_core::domain::{event, list_flags, DomainState};
use oxvirt_driver::events::Delivery;
use oxvirt_driver::DomainEventKind;
use tokio::sync::mpsc::UnboundedReceiver;

fn counter_random() -> [u8; 16] {
    use std::sync::atomic::{AtomicU8, Ordering};
    static N: AtomicU8 = AtomicU8::new(1);
    let n = N.fetch_add(1, Ordering::Relaxed);
    [n; 16]
}

fn setup() -> (TestDriver, Arc<TestConnection>, UnboundedReceiver<Delivery>) {
    let drv = TestDriver::with_random(counter_random);
    let conn = drv.open_default().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    conn.domain_events().unwrap().register(0, None, tx);
    (drv, conn, rx)
}

fn events(rx: &mut UnboundedReceiver<Delivery>) -> Vec<(String, i32, i32, i32)> {
    let mut out = Vec::new();
    while let Ok((_, ev)) = rx.try_recv() {
        if let DomainEventKind::Lifecycle { event, detail } = ev.kind {
            out.push((ev.dom.name, ev.dom.id, event, detail));
        }
    }
    out
}

fn xml(name: &str, uuid_tail: &str) -> String {
    format!(
        "<domain type='test'><name>{name}</name><uuid>12345678-1234-1234-1234-1234567{uuid_tail}</uuid><memory>1024</memory><os><type>hvm</type></os></domain>"
    )
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

#[test]
fn default_state_has_running_test_domain() {
    let (_d, c, _rx) = setup();
    let d = c.lookup_domain_by_name("test").unwrap();
    assert_eq!(d.id, 1);
    assert_eq!(d.uuid.to_string(), "6695eb01-f6a4-8304-79aa-97f2502e193f");
    let info = c.domain_get_info(&d).unwrap();
    assert_eq!(
        (info.state, info.max_mem, info.memory, info.nr_virt_cpu),
        (1, 8388608, 2097152, 2)
    );
    assert_eq!(c.domain_get_state(&d, 0).unwrap(), (1, 0));
    assert_eq!(c.get_type(), "TEST");
    assert_eq!(c.get_version().unwrap(), 2);
    assert_eq!(c.node_get_free_memory().unwrap(), 3145728);
    assert_eq!(c.get_max_vcpus(None).unwrap(), 32);
}

#[test]
fn define_start_suspend_resume_destroy_undefine_emit_libvirt_events() {
    let (_d, c, mut rx) = setup();
    block(async {
        let d = c.domain_define_xml(&xml("a", "89abc"), 0).await.unwrap();
        assert_eq!(d.id, -1);
        c.domain_define_xml(&xml("a", "89abc"), 0).await.unwrap();
        let d = c.domain_create(&d, 0).await.unwrap();
        assert_eq!(d.id, 2);
        c.domain_suspend(&d).await.unwrap();
        assert_eq!(
            c.domain_get_state(&d, 0).unwrap(),
            (DomainState::Paused as i32, 1)
        );
        c.domain_resume(&d).await.unwrap();
        assert_eq!(c.domain_get_state(&d, 0).unwrap(), (1, 5));
        c.domain_destroy(&d, 0).await.unwrap();
        assert_eq!(c.domain_get_state(&d, 0).unwrap(), (5, 2));
        c.domain_undefine(&d, 0).await.unwrap();
        assert!(c.lookup_domain_by_name("a").is_err());
    });
    assert_eq!(
        events(&mut rx),
        vec![
            ("a".into(), -1, event::DEFINED, event::DEFINED_ADDED),
            ("a".into(), -1, event::DEFINED, event::DEFINED_UPDATED),
            ("a".into(), 2, event::STARTED, event::STARTED_BOOTED),
            ("a".into(), 2, event::SUSPENDED, event::SUSPENDED_PAUSED),
            ("a".into(), 2, event::RESUMED, event::RESUMED_UNPAUSED),
            ("a".into(), -1, event::STOPPED, event::STOPPED_DESTROYED),
            ("a".into(), -1, event::UNDEFINED, event::UNDEFINED_REMOVED),
        ]
    );
}

#[test]
fn transient_domain_vanishes_on_destroy() {
    let (_d, c, _rx) = setup();
    block(async {
        let d = c.domain_create_xml(&xml("t", "89abd"), 0).await.unwrap();
        assert!(!c.domain_is_persistent(&d).unwrap());
        c.domain_destroy(&d, 0).await.unwrap();
        let e = c.lookup_domain_by_name("t").unwrap_err();
        assert_eq!(
            (e.code, e.domain),
            (ErrorCode::NO_DOMAIN, ErrorDomain::TEST)
        );
        assert_eq!(e.message, "Domain not found");
        assert_eq!(e.str2, None);
    });
}

#[test]
fn undefining_running_domain_makes_it_transient() {
    let (_d, c, _rx) = setup();
    block(async {
        let d = c.lookup_domain_by_name("test").unwrap();
        c.domain_undefine(&d, 0).await.unwrap();
        assert!(!c.domain_is_persistent(&d).unwrap());
        assert!(c.domain_is_active(&d).unwrap());
        c.domain_destroy(&d, 0).await.unwrap();
        assert!(c.lookup_domain_by_name("test").is_err());
    });
}

#[test]
fn errors_match_libvirt() {
    let (_d, c, _rx) = setup();
    block(async {
        let t = c.lookup_domain_by_name("test").unwrap();
        let e = c.domain_create(&t, 0).await.unwrap_err();
        assert_eq!(
            e.message,
            "internal error: Domain 'test' is already running"
        );
        assert_eq!(
            (e.code, e.domain),
            (ErrorCode::INTERNAL_ERROR, ErrorDomain::TEST)
        );
        let e = c.domain_resume(&t).await.unwrap_err();
        assert_eq!(e.message, "internal error: domain 'test' not paused");
        let e = c.domain_create(&t, 1).await.unwrap_err();
        assert_eq!(
            e.message,
            "unsupported flags (0x1) in function testDomainCreateWithFlags"
        );
        let dup = "<domain type='test'><name>test</name><uuid>11111111-2222-3333-4444-555555555555</uuid><memory>1024</memory><os><type>hvm</type></os></domain>";
        let e = c.domain_define_xml(dup, 0).await.unwrap_err();
        assert_eq!(
            e.message,
            "operation failed: domain 'test' already exists with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f"
        );
        assert_eq!(
            (e.code, e.domain),
            (ErrorCode::OPERATION_FAILED, ErrorDomain::DOMAIN)
        );
        let d = c.domain_define_xml(&xml("b", "89abe"), 0).await.unwrap();
        let e = c.domain_destroy(&d, 0).await.unwrap_err();
        assert_eq!(
            e.message,
            "Requested operation is not valid: domain is not running"
        );
        assert_eq!(
            (e.code, e.domain),
            (ErrorCode::OPERATION_INVALID, ErrorDomain::DOMAIN)
        );
        let e = c.domain_suspend(&d).await.unwrap_err();
        assert_eq!(e.message, "internal error: domain 'b' not running");
        let e = c.domain_define_xml("<domain", 0).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::XML_DETAIL);
    });
}

#[test]
fn list_filters_select_as_libvirt() {
    let (_d, c, _rx) = setup();
    block(async {
        c.domain_define_xml(&xml("b", "89abf"), 0).await.unwrap();
        let names = |f| -> Vec<String> {
            c.list_all_domains(f)
                .unwrap()
                .into_iter()
                .map(|d| d.name)
                .collect()
        };
        assert_eq!(names(0), ["test", "b"]);
        assert_eq!(names(list_flags::ACTIVE), ["test"]);
        assert_eq!(names(list_flags::INACTIVE), ["b"]);
        assert_eq!(names(list_flags::TRANSIENT), Vec::<String>::new());
        assert_eq!(names(list_flags::SHUTOFF), ["b"]);
        assert_eq!(names(list_flags::NO_AUTOSTART), ["test", "b"]);
        assert!(c.list_all_domains(1 << 16).is_err());
    });
}

#[test]
fn state_is_shared_and_reset_after_last_close() {
    let drv = TestDriver::with_random(counter_random);
    let a = drv.open_default().unwrap();
    let b = drv.open_default().unwrap();
    block(a.domain_define_xml(&xml("s", "89ac0"), 0)).unwrap();
    assert!(b.lookup_domain_by_name("s").is_ok());
    drop(a);
    assert!(b.lookup_domain_by_name("s").is_ok());
    drop(b);
    let c = drv.open_default().unwrap();
    assert!(c.lookup_domain_by_name("s").is_err());
}

#[test]
fn shutdown_and_reboot_follow_lifecycle_actions() {
    let (_d, c, mut rx) = setup();
    block(async {
        let x = xml("r", "89ac1").replace("</os>", "</os><on_poweroff>restart</on_poweroff>");
        let d = c.domain_define_xml(&x, 0).await.unwrap();
        let d = c.domain_create(&d, 0).await.unwrap();
        c.domain_suspend(&d).await.unwrap();
        // on_poweroff restart: a paused guest comes back running, no event.
        c.domain_shutdown(&d, 0).await.unwrap();
        assert_eq!(c.domain_get_state(&d, 0).unwrap(), (1, 1));
        // on_reboot restart by default.
        c.domain_reboot(&d, 0).await.unwrap();
        assert_eq!(c.domain_get_state(&d, 0).unwrap(), (1, 1));
        let t = c.lookup_domain_by_name("test").unwrap();
        c.domain_shutdown(&t, 0).await.unwrap();
        assert_eq!(c.domain_get_state(&t, 0).unwrap(), (5, 1));
        let e = c.domain_shutdown(&t, 0).await.unwrap_err();
        assert_eq!(e.message, "internal error: domain 'test' not running");
        let e = c.domain_reboot(&t, 0).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::OPERATION_INVALID);
        let e = c.domain_reset(&t, 0).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::OPERATION_INVALID);
    });
    let evs = events(&mut rx);
    assert_eq!(
        evs.last(),
        Some(&(
            "test".to_owned(),
            -1,
            event::STOPPED,
            event::STOPPED_SHUTDOWN
        ))
    );
    assert!(!evs.iter().any(|e| e.2 == event::STOPPED && e.0 == "r"));
}

#[test]
fn redefining_running_domain_changes_only_the_inactive_xml() {
    let (_d, c, mut rx) = setup();
    block(async {
        let t = c.lookup_domain_by_name("test").unwrap();
        let new = c
            .domain_get_xml_desc(&t, 2)
            .unwrap()
            .replace(
                "<memory unit='KiB'>8388608</memory>",
                "<memory unit='KiB'>4194304</memory>",
            )
            .replace("<currentMemory unit='KiB'>2097152</currentMemory>", "");
        c.domain_define_xml(&new, 0).await.unwrap();
        assert!(c.domain_get_xml_desc(&t, 0).unwrap().contains("8388608"));
        assert!(c.domain_get_xml_desc(&t, 2).unwrap().contains(">4194304<"));
        c.domain_destroy(&t, 0).await.unwrap();
        assert!(c.domain_get_xml_desc(&t, 0).unwrap().contains(">4194304<"));
    });
    assert_eq!(
        events(&mut rx)[0],
        ("test".into(), 1, event::DEFINED, event::DEFINED_UPDATED)
    );
}

#[test]
fn defining_over_running_transient_makes_it_persistent() {
    let (_d, c, mut rx) = setup();
    block(async {
        let x = xml("p", "89ac2");
        let d = c.domain_create_xml(&x, 0).await.unwrap();
        let e = c.domain_create_xml(&x, 0).await.unwrap_err();
        assert_eq!(
            e.message,
            "Requested operation is not valid: domain 'p' is already active"
        );
        c.domain_define_xml(&x, 0).await.unwrap();
        assert!(c.domain_is_persistent(&d).unwrap());
        c.domain_destroy(&d, 0).await.unwrap();
        assert!(c.lookup_domain_by_name("p").is_ok());
    });
    let evs = events(&mut rx);
    assert_eq!(
        evs[0],
        ("p".into(), 2, event::STARTED, event::STARTED_BOOTED)
    );
    assert_eq!(
        evs[1],
        ("p".into(), 2, event::DEFINED, event::DEFINED_ADDED)
    );
}

#[test]
fn same_uuid_other_name_is_refused() {
    let (_d, c, _rx) = setup();
    let x = "<domain type='test'><name>other</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid><memory>1024</memory><os><type>hvm</type></os></domain>";
    let e = block(c.domain_define_xml(x, 0)).unwrap_err();
    assert_eq!(
        e.message,
        "operation failed: domain 'test' is already defined with uuid 6695eb01-f6a4-8304-79aa-97f2502e193f"
    );
}

#[test]
fn stale_handle_names_uuid_and_name() {
    let (_d, c, _rx) = setup();
    block(async {
        let d = c.domain_create_xml(&xml("gone", "89ac3"), 0).await.unwrap();
        c.domain_destroy(&d, 0).await.unwrap();
        let e = c.domain_get_info(&d).unwrap_err();
        assert_eq!(
            e.message,
            "Domain not found: no domain with matching uuid '12345678-1234-1234-1234-123456789ac3' (gone)"
        );
    });
}

#[test]
fn ids_count_up_and_lookup_by_id_finds_running_only() {
    let (_d, c, _rx) = setup();
    block(async {
        let a = c.domain_define_xml(&xml("a", "89ac4"), 0).await.unwrap();
        let a = c.domain_create(&a, 0).await.unwrap();
        c.domain_destroy(&a, 0).await.unwrap();
        let a = c.domain_create(&a, 0).await.unwrap();
        assert_eq!(a.id, 3);
        assert_eq!(c.lookup_domain_by_id(3).unwrap().name, "a");
        assert!(c.lookup_domain_by_id(2).is_err());
        assert_eq!(c.list_domain_ids().unwrap(), [1, 3]);
        let e = c.lookup_domain_by_id(-1).unwrap_err();
        assert_eq!(e.code, ErrorCode::INVALID_ARG);
    });
}

#[test]
fn vcpus_and_memory_follow_live_and_config() {
    let (_d, c, _rx) = setup();
    block(async {
        let t = c.lookup_domain_by_name("test").unwrap();
        assert_eq!(c.domain_get_vcpus_flags(&t, 0).unwrap(), 2);
        assert_eq!(c.domain_get_vcpus_flags(&t, 4).unwrap(), 2);
        let e = c.domain_get_vcpus_flags(&t, 3).unwrap_err();
        assert_eq!(e.domain, ErrorDomain::DOMAIN);
        let e = c.domain_get_vcpus_flags(&t, 8).unwrap_err();
        assert_eq!(
            e.message,
            "unsupported flags (0x8) in function testDomainGetVcpusFlags"
        );
        c.domain_set_memory(&t, 4096, 1).await.unwrap();
        assert_eq!(c.domain_get_info(&t).unwrap().memory, 4096);
        assert!(c.domain_get_xml_desc(&t, 2).unwrap().contains(">2097152<"));
        let e = c.domain_set_memory(&t, 1 << 40, 0).await.unwrap_err();
        assert_eq!(
            e.message,
            "invalid argument: cannot set memory higher than max memory"
        );
        let e = c.domain_set_memory(&t, 4096, 4).await.unwrap_err();
        assert_eq!(e.code, ErrorCode::OPERATION_INVALID);
        let b = c.domain_define_xml(&xml("b", "89ac5"), 0).await.unwrap();
        let e = c.domain_get_vcpus_flags(&b, 1).unwrap_err();
        assert_eq!(
            e.message,
            "Requested operation is not valid: domain is not running"
        );
        c.domain_set_memory(&b, 8192, 4).await.unwrap();
        assert_eq!(c.domain_get_max_memory(&b).unwrap(), 8192);
        let tr = c.domain_create_xml(&xml("tr", "89ac6"), 0).await.unwrap();
        let e = c.domain_set_memory(&tr, 512, 2).await.unwrap_err();
        assert_eq!(
            e.message,
            "Requested operation is not valid: transient domains do not have any persistent config"
        );
    });
}

#[test]
fn stats_report_state_only() {
    use oxvirt_core::TypedValue;
    let (_d, c, _rx) = setup();
    block(async {
        c.domain_define_xml(&xml("s", "89ac7"), 0).await.unwrap();
    });
    let recs = c.get_all_domain_stats(&[], 0, 0).unwrap();
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[0].params[0].field, "state.state");
    assert_eq!(recs[0].params[0].value, TypedValue::Int(1));
    assert_eq!(recs[1].params[1].value, TypedValue::Int(0));
    let recs = c.get_all_domain_stats(&[], 4, 0).unwrap();
    assert!(recs.iter().all(|r| r.params.is_empty()));
    let recs = c.get_all_domain_stats(&[], 1, list_flags::ACTIVE).unwrap();
    assert_eq!(recs.len(), 1);
    let e = c.get_all_domain_stats(&[], 2, 1 << 31).unwrap_err();
    assert_eq!(
        e.message,
        "argument unsupported: Stats types bits 0x2 are not supported by this daemon"
    );
    let s = c.lookup_domain_by_name("s").unwrap();
    let recs = c.get_all_domain_stats(&[s], 1, list_flags::ACTIVE).unwrap();
    assert!(recs.is_empty());
}

#[test]
fn autostart_is_kept_and_filtered() {
    let (_d, c, _rx) = setup();
    let t = c.lookup_domain_by_name("test").unwrap();
    c.domain_set_autostart(&t, true).unwrap();
    assert!(c.domain_get_autostart(&t).unwrap());
    assert_eq!(c.list_all_domains(list_flags::AUTOSTART).unwrap().len(), 1);
    assert!(c
        .list_all_domains(list_flags::NO_AUTOSTART)
        .unwrap()
        .is_empty());
}

#[test]
fn other_test_paths_are_refused_without_reading_files() {
    let drv = TestDriver::with_random(counter_random);
    let open = |u: &str| drv.open(&ConnectUri::parse(u).unwrap(), &OpenContext::default());
    let e = open("test:///").err().unwrap();
    assert_eq!(
        e.message,
        "invalid argument: testOpen: supply a path or use test:///default"
    );
    let e = open("test:///etc/passwd").err().unwrap();
    assert_eq!(
        e.message,
        "XML error: failed to parse xml document '/etc/passwd'"
    );
    assert!(open("qemu:///system").unwrap().is_none());
}

#[test]
fn security_model_and_label_are_the_test_driver_ones() {
    let (_d, c, _rx) = setup();
    assert_eq!(
        c.node_get_security_model().unwrap(),
        ("testSecurity".to_owned(), String::new())
    );
    let t = c.lookup_domain_by_name("test").unwrap();
    assert_eq!(
        c.domain_get_security_label(&t).unwrap(),
        ("libvirt-test".to_owned(), true)
    );
    block(c.domain_destroy(&t, 0)).unwrap();
    assert_eq!(
        c.domain_get_security_label(&t).unwrap(),
        (String::new(), false)
    );
}

#[test]
fn transient_stop_event_keeps_the_old_id() {
    let (_d, c, mut rx) = setup();
    block(async {
        let d = c.domain_create_xml(&xml("tt", "89ac8"), 0).await.unwrap();
        c.domain_destroy(&d, 0).await.unwrap();
        let d = c.domain_create_xml(&xml("tt", "89ac8"), 0).await.unwrap();
        c.domain_undefine(&d, 0).await.unwrap();
        c.domain_destroy(&d, 0).await.unwrap();
    });
    assert_eq!(
        events(&mut rx),
        vec![
            ("tt".into(), 2, event::STARTED, event::STARTED_BOOTED),
            ("tt".into(), 2, event::STOPPED, event::STOPPED_DESTROYED),
            ("tt".into(), 3, event::STARTED, event::STARTED_BOOTED),
            ("tt".into(), 3, event::UNDEFINED, event::UNDEFINED_REMOVED),
            ("tt".into(), 3, event::STOPPED, event::STOPPED_DESTROYED),
        ]
    );
}

#[test]
fn driver_features_are_typed_param_string_and_network_update_order() {
    let (_d, c, _rx) = setup();
    let yes: Vec<i32> = (1..=20).filter(|f| c.supports_feature(*f)).collect();
    assert_eq!(yes, [9, 16]);
}
