//! Attach, detach and update of disks and interfaces, live (through QMP)
//! and in the persistent definition.
//!
//! Live attach of a disk adds its storage and format block nodes
//! (`blockdev-add`) and then the device (`device_add`) on a free PCIe root
//! port; a NIC gets a `netdev_add` backend first. Detach asks the guest to
//! let go (`device_del`), waits up to 5 s for DEVICE_DELETED and then
//! removes the backends; a guest that does not answer keeps the device in
//! the live definition and the call still succeeds, as in libvirt.
//! Update changes the medium of a CD-ROM (tray open, remove, insert, close).

use crate::domain::Dom;
use crate::driver::{running, Driver};
use crate::lifecycle;
use crate::qmp::Monitor;
use oxvirt_conf::domain::{Device, Disk, DomainDef, Interface};
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

/// `virDomainDeviceModifyFlags`.
const LIVE: u32 = 1;
const CONFIG: u32 = 2;
const FORCE: u32 = 4;

/// How long a detach waits for the guest (libvirt: 5 s).
const UNPLUG_WAIT: Duration = Duration::from_secs(5);

fn unsupported(detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::QEMU, ErrorCode::CONFIG_UNSUPPORTED, detail)
}

fn missing(detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::QEMU, ErrorCode::DEVICE_MISSING, detail)
}

/// Parses one `<disk>` or `<interface>` element by wrapping it in a
/// minimal domain.
fn parse_device(xml: &str) -> Result<Device> {
    let text = format!(
        "<domain type='qemu'><name>hotplug</name><memory>1024</memory>\
         <os><type>hvm</type></os><devices>{xml}</devices></domain>"
    );
    let root = oxvirt_conf::xml::parse_document(xml).map_err(|e| {
        Error::new(
            ErrorDomain::DOMAIN,
            ErrorCode::XML_DETAIL,
            e.render("(device_definition)"),
        )
    })?;
    let kind = root.name.clone();
    let mut rnd = || {
        let mut b = [0u8; 16];
        let _ = getrandom::fill(&mut b);
        b
    };
    let def = DomainDef::parse(&text, oxvirt_conf::domain::parse_flags::INACTIVE, &mut rnd)?;
    def.devices
        .into_iter()
        .find(|d| d.kind_name() == kind && matches!(d, Device::Disk(_) | Device::Interface(_)))
        .ok_or_else(|| unsupported(format!("live attach of device '{kind}' is not supported")))
}

/// Resolves CURRENT (0) against the domain's state.
fn targets(dom: &Dom, flags: u32) -> Result<(bool, bool)> {
    let st = dom.lock();
    let (mut live, mut config) = (flags & LIVE != 0, flags & CONFIG != 0);
    if !live && !config {
        if st.is_active() {
            live = true;
        } else {
            config = true;
        }
    }
    if live && !st.is_active() {
        return Err(crate::domain::not_running());
    }
    if config && !st.is_persistent() {
        return Err(Error::new(
            ErrorDomain::QEMU,
            ErrorCode::OPERATION_INVALID,
            "cannot modify device on transient domain",
        ));
    }
    Ok((live, config))
}

fn same_device(a: &Device, b: &Device) -> bool {
    match (a, b) {
        (Device::Disk(x), Device::Disk(y)) => x.target_dev == y.target_dev,
        (Device::Interface(x), Device::Interface(y)) => x.mac == y.mac,
        _ => false,
    }
}

/// The alias of a disk or interface.
fn alias_of(d: &Device) -> Option<&str> {
    match d {
        Device::Disk(x) => x.info.alias.as_deref(),
        Device::Interface(x) => x.info.alias.as_deref(),
        _ => None,
    }
}

fn describe(d: &Device) -> String {
    match d {
        Device::Disk(x) => format!("disk {}", x.target_dev),
        Device::Interface(x) => format!("interface {}", x.mac),
        other => other.kind_name().to_owned(),
    }
}

/// Adds `dev` to a copy of `def` and lets the post-parse step give it an
/// address (and the controllers it needs).
fn with_device(drv: &Driver, def: &DomainDef, dev: Device) -> Result<DomainDef> {
    let mut new = def.clone();
    if new.devices.iter().any(|d| same_device(d, &dev)) {
        return Err(Error::new(
            ErrorDomain::QEMU,
            ErrorCode::OPERATION_FAILED,
            format!("target {} already exists", describe(&dev)),
        ));
    }
    new.devices.push(dev);
    let caps = drv.caps_for(new.emulator.as_deref(), new.os.arch.as_deref())?;
    new.qemu_post_parse(&caps.platform())?;
    Ok(new)
}

/// `virDomainAttachDeviceFlags`.
pub async fn attach(drv: &Arc<Driver>, dom: &Arc<Dom>, xml: &str, flags: u32) -> Result<()> {
    crate::domain::check_flags(flags, LIVE | CONFIG, "qemuDomainAttachDeviceFlags")?;
    let dev = parse_device(xml)?;
    let _job = dom
        .begin_job("remoteDispatchDomainAttachDeviceFlags", drv.timeouts.job)
        .await?;
    let (live, config) = targets(dom, flags)?;
    // Check the config first, so that a failure leaves nothing half done.
    let new_config = if config {
        let cfg = dom
            .lock()
            .config
            .clone()
            .ok_or_else(crate::domain::not_running)?;
        Some(with_device(drv, &cfg, dev.clone())?)
    } else {
        None
    };
    if live {
        attach_live(drv, dom, dev).await?;
        lifecycle::save_status(drv, dom);
    }
    if let Some(c) = new_config {
        {
            let _w = dom.write_lock();
            crate::state::save_config(&drv.paths, &c)?;
        }
        dom.lock().config = Some(c);
    }
    Ok(())
}

async fn attach_live(drv: &Arc<Driver>, dom: &Arc<Dom>, dev: Device) -> Result<()> {
    let (_run, mon) = running(dom)?;
    let live = dom
        .lock()
        .live
        .clone()
        .ok_or_else(crate::domain::not_running)?;
    let mut new = with_device(drv, &live, dev.clone())?;
    // Controllers added by the post-parse step cannot be hotplugged.
    let count = |d: &DomainDef| {
        d.devices
            .iter()
            .filter(|x| matches!(x, Device::Controller(_)))
            .count()
    };
    if count(&new) != count(&live) {
        return Err(unsupported(
            "no free PCI slot for the device; add a pcie-root-port to the definition",
        ));
    }
    let pos = new
        .devices
        .iter()
        .position(|d| same_device(d, &dev))
        .ok_or_else(|| Error::internal(ErrorDomain::QEMU, "attached device vanished"))?;
    let mut scratch = new.clone();
    crate::command::assign_aliases(&mut scratch);
    let mut alias = alias_of(&scratch.devices[pos])
        .unwrap_or_default()
        .to_owned();
    if let Device::Interface(_) = &dev {
        alias = (0..)
            .map(|n| format!("net{n}"))
            .find(|a| !new.devices.iter().any(|d| alias_of(d) == Some(a.as_str())))
            .unwrap_or_default();
    }
    let t = drv.timeouts.monitor;
    match &mut new.devices[pos] {
        Device::Disk(d) => {
            d.info.alias = Some(alias.clone());
            plug_disk(&mon, d, &alias, t).await?;
        }
        Device::Interface(i) => {
            i.info.alias = Some(alias.clone());
            plug_nic(&mon, i, &alias, t).await?;
        }
        _ => {}
    }
    dom.lock().live = Some(new);
    Ok(())
}

/// The PCIe bus and slot of a device address (`pci.N`, `0xS`).
fn pci_target(addr: Option<&oxvirt_conf::domain::Address>) -> Option<(String, String)> {
    let a = &addr?.0;
    if a.attr("type") != Some("pci") {
        return None;
    }
    let bus = u32::from_str_radix(a.attr("bus")?.trim_start_matches("0x"), 16).ok()?;
    let slot = u32::from_str_radix(a.attr("slot")?.trim_start_matches("0x"), 16).ok()?;
    let bus = if bus == 0 {
        "pcie.0".to_owned()
    } else {
        format!("pci.{bus}")
    };
    Some((bus, format!("0x{slot:x}")))
}

/// Node names for a hotplugged medium: `libvirt-hpN-{storage,format}`,
/// short enough for QEMU's 31-character limit whatever the alias. N counts
/// up from a seed taken from the clock, so that a restarted daemon does not
/// reuse the names of nodes an earlier one added to a still running QEMU.
fn node_names() -> (String, String) {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;
    static SEED: OnceLock<u64> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let seed = *SEED.get_or_init(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| (d.as_millis() % 1_000_000) as u64 * 1000)
            .unwrap_or(0)
    });
    let n = seed + NEXT.fetch_add(1, Ordering::Relaxed);
    (
        format!("libvirt-hp{n}-storage"),
        format!("libvirt-hp{n}-format"),
    )
}

/// `blockdev-add` storage and format nodes for `d`; returns (format,
/// storage).
async fn add_nodes(mon: &Monitor, d: &Disk, t: Duration) -> Result<(String, String)> {
    let path = d
        .source_path
        .clone()
        .ok_or_else(|| unsupported(format!("disk {} has no source", d.target_dev)))?;
    let fmt = d.driver_attr("type").unwrap_or("raw").to_owned();
    let (storage, format) = node_names();
    let driver = if d.disk_type == "block" {
        "host_device"
    } else {
        "file"
    };
    mon.call(
        "blockdev-add",
        json!({"driver": driver, "filename": path, "node-name": storage,
               "auto-read-only": true, "discard": "unmap"}),
        t,
    )
    .await?;
    let mut f = json!({"node-name": format, "read-only": d.readonly || d.device == "cdrom",
                       "driver": fmt, "file": storage});
    if matches!(fmt.as_str(), "qcow2" | "qed" | "vmdk") {
        f["backing"] = Value::Null;
    }
    if let Err(e) = mon.call("blockdev-add", f, t).await {
        let _ = mon
            .call("blockdev-del", json!({"node-name": storage}), t)
            .await;
        return Err(e.into());
    }
    Ok((format, storage))
}

async fn del_nodes(mon: &Monitor, format: &str, storage: Option<&str>, t: Duration) {
    let _ = mon
        .call("blockdev-del", json!({"node-name": format}), t)
        .await;
    if let Some(s) = storage {
        let _ = mon.call("blockdev-del", json!({"node-name": s}), t).await;
    }
}

async fn plug_disk(mon: &Monitor, d: &Disk, alias: &str, t: Duration) -> Result<()> {
    if d.target_bus != "virtio" {
        return Err(unsupported(format!(
            "disk bus '{}' cannot be hotplugged",
            d.target_bus
        )));
    }
    let (bus, addr) = pci_target(d.info.address.as_ref())
        .ok_or_else(|| unsupported("the disk has no PCI address"))?;
    let (format, storage) = add_nodes(mon, d, t).await?;
    let dev = json!({"driver": "virtio-blk-pci", "bus": bus, "addr": addr,
                     "drive": format, "id": alias});
    if let Err(e) = mon.call("device_add", dev, t).await {
        del_nodes(mon, &format, Some(&storage), t).await;
        return Err(e.into());
    }
    Ok(())
}

async fn plug_nic(mon: &Monitor, i: &Interface, alias: &str, t: Duration) -> Result<()> {
    if i.itype != "user" {
        return Err(unsupported(format!(
            "interface type '{}' cannot be hotplugged by this driver",
            i.itype
        )));
    }
    let (bus, addr) = pci_target(i.info.address.as_ref())
        .ok_or_else(|| unsupported("the interface has no PCI address"))?;
    let netdev = format!("host{alias}");
    mon.call("netdev_add", json!({"type": "user", "id": netdev}), t)
        .await?;
    let model = match i.model.as_deref().unwrap_or("virtio") {
        "virtio" => "virtio-net-pci",
        "e1000e" => "e1000e",
        "e1000" => "e1000",
        "rtl8139" => "rtl8139",
        other => {
            let _ = mon.call("netdev_del", json!({"id": netdev}), t).await;
            return Err(unsupported(format!(
                "interface model '{other}' is not supported"
            )));
        }
    };
    let dev = json!({"driver": model, "netdev": netdev, "id": alias, "mac": i.mac,
                     "bus": bus, "addr": addr});
    if let Err(e) = mon.call("device_add", dev, t).await {
        let _ = mon.call("netdev_del", json!({"id": netdev}), t).await;
        return Err(e.into());
    }
    Ok(())
}

/// `virDomainDetachDeviceFlags`.
pub async fn detach(drv: &Arc<Driver>, dom: &Arc<Dom>, xml: &str, flags: u32) -> Result<()> {
    crate::domain::check_flags(flags, LIVE | CONFIG, "qemuDomainDetachDeviceFlags")?;
    let dev = parse_device(xml)?;
    let _job = dom
        .begin_job("remoteDispatchDomainDetachDeviceFlags", drv.timeouts.job)
        .await?;
    let (live, config) = targets(dom, flags)?;
    let new_config = if config {
        let mut cfg = dom
            .lock()
            .config
            .clone()
            .ok_or_else(crate::domain::not_running)?;
        let n = cfg.devices.len();
        cfg.devices.retain(|d| !same_device(d, &dev));
        if cfg.devices.len() == n {
            return Err(missing(format!("{} not found", describe(&dev))));
        }
        Some(cfg)
    } else {
        None
    };
    if live {
        detach_live(drv, dom, &dev).await?;
        lifecycle::save_status(drv, dom);
    }
    if let Some(c) = new_config {
        {
            let _w = dom.write_lock();
            crate::state::save_config(&drv.paths, &c)?;
        }
        dom.lock().config = Some(c);
    }
    Ok(())
}

async fn detach_live(drv: &Arc<Driver>, dom: &Arc<Dom>, dev: &Device) -> Result<()> {
    let (_run, mon) = running(dom)?;
    let found = {
        let st = dom.lock();
        st.live
            .as_ref()
            .and_then(|l| l.devices.iter().find(|d| same_device(d, dev)).cloned())
    };
    let found = found.ok_or_else(|| missing(format!("{} not found", describe(dev))))?;
    let alias = alias_of(&found)
        .map(str::to_owned)
        .ok_or_else(|| Error::internal(ErrorDomain::QEMU, "device has no alias"))?;
    let t = drv.timeouts.monitor;
    // The block nodes behind a disk, before the device goes.
    let nodes = if let Device::Disk(_) = &found {
        block_nodes(&mon, &alias, t).await
    } else {
        None
    };
    drv.clear_device_deleted(dom, &alias);
    mon.call("device_del", json!({"id": alias}), t).await?;
    if !drv.wait_device_deleted(dom, &alias, UNPLUG_WAIT).await {
        // The guest has not released it (yet): libvirt reports success and
        // keeps the device in the live definition.
        return Ok(());
    }
    match &found {
        Device::Disk(_) => {
            if let Some((format, storage)) = nodes {
                del_nodes(&mon, &format, storage.as_deref(), t).await;
            }
        }
        Device::Interface(_) => {
            let _ = mon
                .call("netdev_del", json!({"id": format!("host{alias}")}), t)
                .await;
        }
        _ => {}
    }
    if let Some(l) = dom.lock().live.as_mut() {
        l.devices.retain(|d| !same_device(d, dev));
    }
    Ok(())
}

/// (format node, storage node) of the disk device `alias`, from
/// `query-block` and `query-named-block-nodes`.
async fn block_nodes(mon: &Monitor, alias: &str, t: Duration) -> Option<(String, Option<String>)> {
    let blocks = mon.execute("query-block", None, t).await.ok()?;
    let peripheral = format!("/machine/peripheral/{alias}/");
    let entry = blocks.as_array()?.iter().find(|e| {
        let q = e.get("qdev").and_then(Value::as_str).unwrap_or("");
        q == alias || q.starts_with(&peripheral)
    })?;
    let format = entry
        .get("inserted")?
        .get("node-name")?
        .as_str()?
        .to_owned();
    let nodes = mon
        .call("query-named-block-nodes", json!({"flat": true}), t)
        .await
        .ok();
    let storage = nodes.and_then(|n| {
        let fmt = n
            .as_array()?
            .iter()
            .find(|x| x.get("node-name").and_then(Value::as_str) == Some(format.as_str()))?;
        let file = fmt.get("file").and_then(Value::as_str)?;
        n.as_array()?
            .iter()
            .find(|x| {
                x.get("file").and_then(Value::as_str) == Some(file)
                    && x.get("node-name").and_then(Value::as_str) != Some(format.as_str())
            })
            .and_then(|x| x.get("node-name").and_then(Value::as_str))
            .map(str::to_owned)
    });
    Some((format, storage))
}

/// `virDomainUpdateDeviceFlags`: a CD-ROM's medium.
pub async fn update(drv: &Arc<Driver>, dom: &Arc<Dom>, xml: &str, flags: u32) -> Result<()> {
    crate::domain::check_flags(flags, LIVE | CONFIG | FORCE, "qemuDomainUpdateDeviceFlags")?;
    let Device::Disk(new) = parse_device(xml)? else {
        return Err(unsupported("only disk media can be updated"));
    };
    if !matches!(new.device.as_str(), "cdrom" | "floppy") {
        return Err(unsupported(format!(
            "disk bus '{}' cannot be updated; only removable media can",
            new.target_bus
        )));
    }
    let _job = dom
        .begin_job("remoteDispatchDomainUpdateDeviceFlags", drv.timeouts.job)
        .await?;
    let (live, config) = targets(dom, flags & (LIVE | CONFIG))?;
    if live {
        change_media(drv, dom, &new).await?;
        lifecycle::save_status(drv, dom);
    }
    if config {
        let cfg = {
            let mut st = dom.lock();
            let cfg = st.config.as_mut().ok_or_else(crate::domain::not_running)?;
            replace_media(cfg, &new)?;
            cfg.clone()
        };
        let _w = dom.write_lock();
        crate::state::save_config(&drv.paths, &cfg)?;
    }
    Ok(())
}

/// Swaps the source of the disk `new.target_dev` in `def`.
fn replace_media(def: &mut DomainDef, new: &Disk) -> Result<()> {
    let d = def
        .devices
        .iter_mut()
        .find_map(|d| match d {
            Device::Disk(x) if x.target_dev == new.target_dev => Some(x),
            _ => None,
        })
        .ok_or_else(|| missing(format!("disk {} not found", new.target_dev)))?;
    let (info, bus) = (d.info.clone(), d.target_bus.clone());
    *d = new.clone();
    d.info = info;
    d.target_bus = bus;
    Ok(())
}

async fn change_media(drv: &Arc<Driver>, dom: &Arc<Dom>, new: &Disk) -> Result<()> {
    let (_run, mon) = running(dom)?;
    let t = drv.timeouts.monitor;
    let old = {
        let st = dom.lock();
        st.live.as_ref().and_then(|l| {
            l.devices.iter().find_map(|d| match d {
                Device::Disk(x) if x.target_dev == new.target_dev => Some(x.clone()),
                _ => None,
            })
        })
    };
    let old = old.ok_or_else(|| missing(format!("disk {} not found", new.target_dev)))?;
    let alias = old
        .info
        .alias
        .clone()
        .ok_or_else(|| Error::internal(ErrorDomain::QEMU, "disk has no alias"))?;
    let nodes = block_nodes(&mon, &alias, t).await;
    mon.call("blockdev-open-tray", json!({"id": alias, "force": true}), t)
        .await?;
    mon.call("blockdev-remove-medium", json!({"id": alias}), t)
        .await?;
    if let Some((format, storage)) = nodes {
        del_nodes(&mon, &format, storage.as_deref(), t).await;
    }
    if !new.is_empty_source() {
        let (format, _) = add_nodes(&mon, new, t).await?;
        mon.call(
            "blockdev-insert-medium",
            json!({"id": alias, "node-name": format}),
            t,
        )
        .await?;
    }
    mon.call("blockdev-close-tray", json!({"id": alias}), t)
        .await?;
    let mut st = dom.lock();
    if let Some(l) = st.live.as_mut() {
        replace_media(l, new)?;
    }
    Ok(())
}
