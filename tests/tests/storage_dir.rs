//! The storage driver end to end with libvirt's own virsh and python
//! bindings: dir pools in temp dirs, real qemu-img, virtstoraged and
//! libvirtd, upload and download with checksums, bad input, restarts, events.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod storage_common;

use oxvirt_tests::{ok, python, stderr, stdout, virsh, Daemon};
use std::path::Path;
use std::process::Command;
use storage_common::*;

fn qemu_img_info(path: &Path) -> String {
    let out = Command::new("qemu-img")
        .args(["info", "-U"])
        .arg(path)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails_with(o: std::process::Output, needle: &str) {
    assert!(!o.status.success(), "expected a failure: {}", stdout(&o));
    let e = stderr(&o);
    assert!(e.contains(needle), "expected '{needle}' in: {e}");
}

#[test]
fn dir_pool_lifecycle_with_volumes_on_virtstoraged() {
    let s = Scratch::new("st-dir");
    let root = Scratch::new("vs");
    let d = Daemon::start_in("virtstoraged", &root.0, &[]);
    let u = storage_uri(&d);
    let pool = s.path("pool");
    let v = |a: &[&str]| virsh(&u, a);

    ok(v(&[
        "pool-define-as",
        "p",
        "dir",
        "--target",
        &s.str("pool"),
    ]));
    ok(v(&["pool-build", "p"]));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&pool).unwrap().permissions().mode() & 0o777,
        0o711
    );
    ok(v(&["pool-start", "p"]));
    ok(v(&["pool-autostart", "p"]));
    let cfg = d.root.join("etc/libvirt/storage/p.xml");
    let link = d.root.join("etc/libvirt/storage/autostart/p.xml");
    assert_eq!(std::fs::read_link(&link).unwrap(), cfg);
    assert!(std::fs::read_to_string(&cfg)
        .unwrap()
        .contains("virsh pool-edit p"));
    assert!(d.root.join("run/libvirt/storage/p.xml").exists());
    let info = ok(v(&["pool-info", "p"]));
    assert!(info.contains("State:          running"), "{info}");
    assert!(info.contains("Autostart:      yes"), "{info}");

    // Raw volumes: fully allocated unless told otherwise.
    ok(v(&["vol-create-as", "p", "full.img", "16M"]));
    ok(v(&[
        "vol-create-as",
        "p",
        "sparse.img",
        "16M",
        "--allocation",
        "0",
    ]));
    assert_eq!(allocated(&pool.join("full.img")), 16 << 20);
    assert_eq!(allocated(&pool.join("sparse.img")), 0);

    // qcow2 with compat, cluster size and lazy refcounts.
    let qxml = s.path("q.xml");
    std::fs::write(
        &qxml,
        "<volume><name>q.qcow2</name><capacity unit='M'>32</capacity>\
         <target><format type='qcow2'/><compat>1.1</compat>\
         <clusterSize unit='KiB'>128</clusterSize><features><lazy_refcounts/></features>\
         </target></volume>",
    )
    .unwrap();
    ok(v(&["vol-create", "p", qxml.to_str().unwrap()]));
    let qi = qemu_img_info(&pool.join("q.qcow2"));
    assert!(
        qi.contains("compat: 1.1") && qi.contains("lazy refcounts: true"),
        "{qi}"
    );
    assert!(qi.contains("cluster_size: 131072"), "{qi}");
    let qx = ok(v(&["vol-dumpxml", "--pool", "p", "q.qcow2"]));
    for want in [
        "<format type='qcow2'/>",
        "<compat>1.1</compat>",
        "<clusterSize unit='B'>131072</clusterSize>",
        "<lazy_refcounts/>",
        "<capacity unit='bytes'>33554432</capacity>",
    ] {
        assert!(qx.contains(want), "{want} missing in {qx}");
    }
    // Plain qcow2 gets compat 0.10, as libvirt forces it.
    ok(v(&[
        "vol-create-as",
        "p",
        "old.qcow2",
        "8M",
        "--format",
        "qcow2",
    ]));
    assert!(qemu_img_info(&pool.join("old.qcow2")).contains("compat: 0.10"));

    // A backing chain.
    ok(v(&[
        "vol-create-as",
        "p",
        "child.qcow2",
        "32M",
        "--format",
        "qcow2",
        "--backing-vol",
        "q.qcow2",
        "--backing-vol-format",
        "qcow2",
    ]));
    let cx = ok(v(&["vol-dumpxml", "--pool", "p", "child.qcow2"]));
    assert!(
        cx.contains(&format!(
            "<backingStore>\n    <path>{}</path>\n    <format type='qcow2'/>",
            pool.join("q.qcow2").display()
        )),
        "{cx}"
    );

    // Clone, and create-from with a format conversion.
    ok(v(&["vol-clone", "--pool", "p", "q.qcow2", "q-copy.qcow2"]));
    assert!(qemu_img_info(&pool.join("q-copy.qcow2")).contains("file format: qcow2"));
    let conv = s.path("conv.xml");
    std::fs::write(
        &conv,
        "<volume><name>conv.raw</name><capacity>0</capacity><target><format type='raw'/></target></volume>",
    )
    .unwrap();
    ok(v(&[
        "vol-create-from",
        "p",
        conv.to_str().unwrap(),
        "q.qcow2",
        "--inputpool",
        "p",
    ]));
    assert!(qemu_img_info(&pool.join("conv.raw")).contains("file format: raw"));
    assert_eq!(
        std::fs::metadata(pool.join("conv.raw")).unwrap().len(),
        32 << 20
    );

    // Resize: grow, shrink only with the flag, delta, allocate.
    ok(v(&["vol-resize", "--pool", "p", "sparse.img", "32M"]));
    fails_with(
        v(&["vol-resize", "--pool", "p", "sparse.img", "16M"]),
        "Can't shrink capacity below current capacity unless shrink flag explicitly specified",
    );
    ok(v(&[
        "vol-resize",
        "--pool",
        "p",
        "sparse.img",
        "16M",
        "--shrink",
    ]));
    ok(v(&[
        "vol-resize",
        "--pool",
        "p",
        "sparse.img",
        "4M",
        "--delta",
    ]));
    assert_eq!(
        std::fs::metadata(pool.join("sparse.img")).unwrap().len(),
        20 << 20
    );
    ok(v(&[
        "vol-resize",
        "--pool",
        "p",
        "full.img",
        "24M",
        "--allocate",
    ]));
    assert!(allocated(&pool.join("full.img")) >= 24 << 20);
    fails_with(
        v(&["vol-resize", "--pool", "p", "full.img", "8M", "--shrink"]),
        "can't shrink capacity below existing allocation",
    );
    ok(v(&["vol-resize", "--pool", "p", "q.qcow2", "48M"]));
    assert!(qemu_img_info(&pool.join("q.qcow2")).contains("(50331648 bytes)"));

    // Lookups by key, path and name.
    let path = pool.join("full.img").to_string_lossy().into_owned();
    assert_eq!(ok(v(&["vol-key", "--pool", "p", "full.img"])).trim(), path);
    assert_eq!(ok(v(&["vol-path", "--pool", "p", "full.img"])).trim(), path);
    assert_eq!(ok(v(&["vol-name", &path])).trim(), "full.img");
    assert_eq!(ok(v(&["vol-pool", &path])).trim(), "p");
    let vi = ok(v(&["vol-info", &path]));
    assert!(vi.contains("Capacity:       24.00 MiB"), "{vi}");
    fails_with(
        v(&["vol-info", "--pool", "p", "nope"]),
        "no storage vol with matching",
    );

    // Wipe zeroes the content and keeps the size.
    std::fs::write(pool.join("sparse.img"), vec![0xab; 4096]).unwrap();
    ok(v(&["pool-refresh", "p"]));
    ok(v(&["vol-wipe", "--pool", "p", "sparse.img"]));
    let bytes = std::fs::read(pool.join("sparse.img")).unwrap();
    assert_eq!(bytes.len(), 4096);
    assert!(bytes.iter().all(|b| *b == 0));

    // Files made behind the daemon's back appear at refresh, format probed.
    let out = Command::new("qemu-img")
        .args(["create", "-q", "-f", "qcow2"])
        .arg(pool.join("outside.qcow2"))
        .arg("1M")
        .status()
        .unwrap();
    assert!(out.success());
    ok(v(&["pool-refresh", "p"]));
    let list = ok(v(&["vol-list", "p", "--details"]));
    assert!(list.contains("outside.qcow2"), "{list}");
    assert!(
        ok(v(&["vol-dumpxml", "--pool", "p", "outside.qcow2"])).contains("<format type='qcow2'/>")
    );

    // Delete, then the pool: not while it has files, then for good.
    ok(v(&["vol-delete", "--pool", "p", "child.qcow2"]));
    assert!(!pool.join("child.qcow2").exists());
    ok(v(&["pool-destroy", "p"]));
    fails_with(v(&["pool-delete", "p"]), "failed to remove pool");
    for e in std::fs::read_dir(&pool).unwrap() {
        std::fs::remove_file(e.unwrap().path()).unwrap();
    }
    ok(v(&["pool-delete", "p"]));
    assert!(!pool.exists());
    ok(v(&["pool-undefine", "p"]));
    assert!(!cfg.exists() && std::fs::symlink_metadata(&link).is_err());
    assert!(lines(&ok(v(&["pool-list", "--all", "--name"]))).is_empty());
}

#[test]
fn upload_and_download_keep_checksums_and_holes() {
    let s = Scratch::new("st-stream");
    let root = Scratch::new("vs");
    let d = Daemon::start_in("virtstoraged", &root.0, &[]);
    let u = storage_uri(&d);
    let v = |a: &[&str]| virsh(&u, a);
    ok(v(&[
        "pool-create-as",
        "sp",
        "dir",
        "--target",
        &s.str("pool"),
        "--build",
    ]));
    let src = s.path("src.img");
    sparse_image(&src, 64 << 20);
    let sum = sha256(&src);

    ok(v(&[
        "vol-create-as",
        "sp",
        "vol",
        "64M",
        "--allocation",
        "0",
    ]));
    ok(v(&[
        "vol-upload",
        "--pool",
        "sp",
        "vol",
        src.to_str().unwrap(),
        "--sparse",
    ]));
    let vol = s.path("pool/vol");
    assert_eq!(sha256(&vol), sum);
    assert!(
        allocated(&vol) < 4 << 20,
        "sparse upload allocated {}",
        allocated(&vol)
    );

    let down = s.path("down.img");
    ok(v(&[
        "vol-download",
        "--pool",
        "sp",
        "vol",
        down.to_str().unwrap(),
        "--sparse",
    ]));
    assert_eq!(sha256(&down), sum);
    assert!(
        allocated(&down) < 4 << 20,
        "sparse download allocated {}",
        allocated(&down)
    );
    let plain = s.path("plain.img");
    ok(v(&[
        "vol-download",
        "--pool",
        "sp",
        "vol",
        plain.to_str().unwrap(),
    ]));
    assert_eq!(sha256(&plain), sum);

    // A plain upload of the same bytes, then a partial one at an offset.
    ok(v(&[
        "vol-upload",
        "--pool",
        "sp",
        "vol",
        src.to_str().unwrap(),
    ]));
    assert_eq!(sha256(&vol), sum);
    let patch = s.path("patch");
    std::fs::write(&patch, b"PATCHED").unwrap();
    ok(v(&[
        "vol-upload",
        "--pool",
        "sp",
        "vol",
        patch.to_str().unwrap(),
        "--offset",
        "100",
    ]));
    let got = std::fs::read(&vol).unwrap();
    assert_eq!(&got[100..107], b"PATCHED");
    assert_eq!(got.len(), 64 << 20);
    // More than --length: the stream fails with ENOSPC, as libvirt's does.
    fails_with(
        v(&[
            "vol-upload",
            "--pool",
            "sp",
            "vol",
            src.to_str().unwrap(),
            "--length",
            "4096",
        ]),
        "No space left on device",
    );
    // Downloads of a range.
    let part = s.path("part");
    ok(v(&[
        "vol-download",
        "--pool",
        "sp",
        "vol",
        part.to_str().unwrap(),
        "--offset",
        "100",
        "--length",
        "7",
    ]));
    assert_eq!(std::fs::read(&part).unwrap(), b"PATCHED");

    // An aborted upload leaves the volume as it was.
    let before = sha256(&vol);
    let script = r#"
import libvirt, sys
c = libvirt.open(sys.argv[1])
vol = c.storagePoolLookupByName('sp').storageVolLookupByName('vol')
st = c.newStream(0)
vol.upload(st, 0, 0, 0)
st.send(b'garbage that must not land' * 1000)
for what, call in (('delete', lambda: vol.delete(0)), ('destroy', lambda: c.storagePoolLookupByName('sp').destroy())):
    try:
        call()
        print(what, 'went through?!')
    except libvirt.libvirtError as e:
        print(what, 'refused:', e.get_error_message())
st.abort()
print('aborted')
"#;
    let out = python(script, &[&u]);
    let said = stdout(&out);
    assert!(said.contains("aborted"), "{said} {}", stderr(&out));
    assert!(
        said.contains(
            "delete refused: Requested operation is not valid: volume 'vol' is still in use."
        ),
        "{said}"
    );
    assert!(
        said.contains("destroy refused: internal error: pool 'sp' has asynchronous jobs running."),
        "{said}"
    );
    assert_eq!(sha256(&vol), before);
    let leftovers: Vec<_> = std::fs::read_dir(s.path("pool"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, vec!["vol".to_owned()]);
}

#[test]
fn bad_names_sizes_formats_and_paths_are_refused() {
    let s = Scratch::new("st-safety");
    let root = Scratch::new("vs");
    let d = Daemon::start_in("virtstoraged", &root.0, &[]);
    let u = storage_uri(&d);
    let v = |a: &[&str]| virsh(&u, a);
    std::fs::create_dir_all(s.path("outside")).unwrap();
    ok(v(&[
        "pool-create-as",
        "sf",
        "dir",
        "--target",
        &s.str("pool"),
        "--build",
    ]));

    fails_with(
        v(&["vol-create-as", "sf", "x/y", "1M"]),
        "volume name 'x/y' cannot contain '/'",
    );
    fails_with(
        v(&["vol-create-as", "sf", "../escape", "1M"]),
        "cannot contain '/'",
    );
    fails_with(v(&["vol-create-as", "sf", "..", "1M"]), "already exists");
    fails_with(v(&["vol-create-as", "sf", ".", "1M"]), "already exists");
    fails_with(
        v(&["vol-create-as", "sf", &"n".repeat(300), "1M"]),
        "a file name has at most 255",
    );
    fails_with(
        v(&["vol-create-as", "sf", "huge", "9E"]),
        "numerical overflow",
    );
    fails_with(v(&["vol-create-as", "sf", "huge", "7E"]), "File too large");
    fails_with(
        v(&[
            "vol-create-as",
            "sf",
            "huge.qcow2",
            "7E",
            "--format",
            "qcow2",
        ]),
        "qemu-img",
    );
    fails_with(
        v(&["vol-create-as", "sf", "odd", "1M", "--format", "bogus"]),
        "unknown volume format type bogus",
    );
    // lazy_refcounts need compat 1.1: refused before anything is made.
    let bad = s.path("bad.xml");
    std::fs::write(
        &bad,
        "<volume><name>lazy.qcow2</name><capacity>1048576</capacity><target>\
         <format type='qcow2'/><compat>0.10</compat><features><lazy_refcounts/></features>\
         </target></volume>",
    )
    .unwrap();
    fails_with(
        v(&["vol-create", "sf", bad.to_str().unwrap()]),
        "lazy_refcounts not supported with compat level 0.10",
    );
    // A target path in the volume XML never places it outside the pool.
    let outside = s.path("outside/evil.img");
    let xml = s.path("out.xml");
    std::fs::write(
        &xml,
        format!(
            "<volume><name>inside.img</name><capacity>4096</capacity>\
             <target><path>{}</path></target></volume>",
            outside.display()
        ),
    )
    .unwrap();
    ok(v(&["vol-create", "sf", xml.to_str().unwrap()]));
    assert!(!outside.exists());
    assert!(s.path("pool/inside.img").exists());
    // A NUL and a 1 MB name through the API.
    let script = r#"
import libvirt, sys
c = libvirt.open(sys.argv[1])
p = c.storagePoolLookupByName('sf')
for name in ['a&#0;b', 'm' * (1 << 20)]:
    try:
        p.createXML('<volume><name>%s</name><capacity>1</capacity></volume>' % name, 0)
        print('created?!')
    except libvirt.libvirtError as e:
        print('refused', e.get_error_code(), e.get_error_domain())
try:
    c.storagePoolDefineXML("<pool type='dir'><name>%s</name><target><path>/tmp/x</path></target></pool>" % ('q' * (1 << 20)), 0)
    print('defined?!')
except libvirt.libvirtError as e:
    print('refused', e.get_error_code(), e.get_error_domain())
"#;
    let out = python(script, &[&u]);
    let text = stdout(&out);
    assert_eq!(
        text.matches("refused").count(),
        3,
        "{text} {}",
        stderr(&out)
    );
    // Pools: a relative target, a '/' in the name, broken XML.
    fails_with(
        v(&["pool-define-as", "rel", "dir", "--target", "relative/dir"]),
        "must be absolute",
    );
    let px = s.path("p.xml");
    std::fs::write(
        &px,
        "<pool type='dir'><name>a/b</name><target><path>/tmp/a</path></target></pool>",
    )
    .unwrap();
    fails_with(
        v(&["pool-define", px.to_str().unwrap()]),
        "cannot contain '/'",
    );
    std::fs::write(&px, "<pool type='dir'><name>x</name>").unwrap();
    fails_with(
        v(&["pool-define", px.to_str().unwrap()]),
        "(storage_pool_definition)",
    );

    // Nothing half-made in the pool, nothing at all outside it.
    let mut in_pool: Vec<String> = std::fs::read_dir(s.path("pool"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    in_pool.sort();
    assert_eq!(in_pool, vec!["inside.img".to_owned()]);
    assert_eq!(std::fs::read_dir(s.path("outside")).unwrap().count(), 0);
    let storage_dir = d.root.join("etc/libvirt/storage");
    let cfgs: Vec<_> = std::fs::read_dir(&storage_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(cfgs.len(), 1, "{cfgs:?}");
}

#[test]
fn pools_and_volumes_survive_a_killed_daemon() {
    let s = Scratch::new("st-restart");
    let root = oxvirt_tests::temp_root("st-restart-root");
    let mut d = Daemon::start_in("virtstoraged", &root, &[]);
    let u = storage_uri(&d);
    let v = |a: &[&str]| virsh(&u, a);
    ok(v(&[
        "pool-define-as",
        "keep",
        "dir",
        "--target",
        &s.str("keep"),
    ]));
    ok(v(&["pool-build", "keep"]));
    ok(v(&["pool-start", "keep"]));
    ok(v(&["pool-autostart", "keep"]));
    ok(v(&[
        "pool-define-as",
        "idle",
        "dir",
        "--target",
        &s.str("idle"),
    ]));
    ok(v(&[
        "pool-create-as",
        "temp",
        "dir",
        "--target",
        &s.str("temp"),
        "--build",
    ]));
    ok(v(&["vol-create-as", "keep", "a.img", "1M"]));
    ok(v(&["vol-create-as", "temp", "b.img", "1M"]));

    d.signal(libc::SIGKILL);
    assert!(d.wait_exit(std::time::Duration::from_secs(5)).is_some());
    drop(d);
    let d = Daemon::start_in("virtstoraged", &root, &[]);
    let all = ok(v(&["pool-list", "--all"]));
    let rows: Vec<Vec<String>> = lines(&all)
        .into_iter()
        .skip(2)
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["idle".to_owned(), "inactive".into(), "no".into()],
            vec!["keep".to_owned(), "active".into(), "yes".into()],
            vec!["temp".to_owned(), "active".into(), "no".into()],
        ],
        "{all}"
    );
    assert!(ok(v(&["vol-list", "keep"])).contains("a.img"));
    assert!(ok(v(&["vol-list", "temp"])).contains("b.img"));
    assert!(ok(v(&["pool-info", "temp"])).contains("Persistent:     no"));
    for dir in ["etc/libvirt/storage", "run/libvirt/storage"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!n.starts_with('.'), "temp file {n} left in {dir}");
        }
    }

    // Stopped pools stay stopped; autostart runs once per boot.
    ok(v(&["pool-destroy", "keep"]));
    ok(v(&["pool-destroy", "temp"]));
    drop(d);
    let d = Daemon::start_in("virtstoraged", &root, &[]);
    let all = ok(v(&["pool-list", "--all", "--name"]));
    assert_eq!(lines(&all), vec!["idle".to_owned(), "keep".into()]);
    assert!(ok(v(&["pool-info", "keep"])).contains("State:          inactive"));
    drop(d);

    // A fresh boot (no run directory) starts autostart pools.
    std::fs::remove_dir_all(root.join("run")).unwrap();
    let _d = Daemon::start_in("virtstoraged", &root, &[]);
    assert!(ok(v(&["pool-info", "keep"])).contains("State:          running"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn libvirtd_serves_storage_to_its_clients_but_not_to_test_connections() {
    let s = Scratch::new("st-libvirtd");
    let root = Scratch::new("lv");
    let d = Daemon::start_in("libvirtd", &root.0, &[]);
    let u = storage_uri(&d);
    ok(virsh(
        &u,
        &[
            "pool-create-as",
            "lp",
            "dir",
            "--target",
            &s.str("pool"),
            "--build",
        ],
    ));
    ok(virsh(&u, &["vol-create-as", "lp", "v.img", "1M"]));
    assert!(ok(virsh(&u, &["vol-list", "lp"])).contains("v.img"));
    assert_eq!(ok(virsh(&u, &["uri"])).trim(), u);

    // test:///default has its own objects: the host's pools are not there.
    let t = virsh(&d.test_uri(), &["pool-list", "--all"]);
    assert!(!stdout(&t).contains("lp"));
    fails_with(virsh(&d.test_uri(), &["vol-list", "lp"]), "not supported");

    // Read-only clients may look, not touch.
    let ro = storage_uri_ro(&d);
    assert!(ok(virsh(&ro, &["pool-list"])).contains("lp"));
    fails_with(
        virsh(&ro, &["pool-destroy", "lp"]),
        "read only access prevents virStoragePoolDestroy",
    );
    assert!(s.path("pool/v.img").exists());
}

#[test]
fn pool_events_reach_python_callbacks() {
    let s = Scratch::new("st-events");
    let root = Scratch::new("vs");
    let d = Daemon::start_in("virtstoraged", &root.0, &[]);
    let u = storage_uri(&d);
    let img = s.path("img");
    std::fs::write(&img, b"payload").unwrap();
    let script = r#"
import libvirt, sys, threading, time
libvirt.virEventRegisterDefaultImpl()
def loop():
    while True:
        libvirt.virEventRunDefaultImpl()
threading.Thread(target=loop, daemon=True).start()
c = libvirt.open(sys.argv[1])
seen = []
def life(conn, pool, event, detail, opaque):
    seen.append('life %s %d' % (pool.name(), event))
def refresh(conn, pool, opaque):
    seen.append('refresh %s' % pool.name())
c.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE, life, None)
c.storagePoolEventRegisterAny(None, libvirt.VIR_STORAGE_POOL_EVENT_ID_REFRESH, refresh, None)
p = c.storagePoolDefineXML("<pool type='dir'><name>ev</name><target><path>%s</path></target></pool>" % sys.argv[2], 0)
p.build(0)
p.create(0)
p.refresh(0)
vol = p.createXML('<volume><name>v</name><capacity>7</capacity></volume>', 0)
st = c.newStream(0)
vol.upload(st, 0, 0, 0)
st.send(open(sys.argv[3], 'rb').read())
st.finish()
time.sleep(0.5)
vol.delete(0)
p.destroy()
p.delete(0)
p.undefine()
time.sleep(0.5)
print('\n'.join(seen))
"#;
    let out = python(script, &[&u, &s.str("evpool"), img.to_str().unwrap()]);
    let got = lines(&stdout(&out));
    assert_eq!(
        got,
        vec![
            "life ev 0", // defined
            "life ev 4", // created (built)
            "life ev 2", // started
            "refresh ev",
            "refresh ev", // after the upload
            "life ev 3",  // stopped
            "life ev 5",  // deleted
            "life ev 1",  // undefined
        ],
        "{}",
        stderr(&out)
    );
}
