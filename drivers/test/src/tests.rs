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
