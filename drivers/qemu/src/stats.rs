//! `virConnectGetAllDomainStats`: state, cpu, balloon, vcpu, interface and
//! block groups.
//!
//! Cached values (state, definition) come from the state lock; per-process
//! numbers from `/proc`; balloon, vCPU threads and block counters from the
//! monitor, one short-deadline call each, all domains queried at once. A
//! domain whose monitor does not answer simply lacks those keys, as in
//! libvirt, and never delays the others beyond the deadline.

use crate::domain::{dref_of, matches_filter, Dom};
use crate::driver::Driver;
use crate::process;
use crate::qmp::Monitor;
use oxvirt_conf::domain::Device;
use oxvirt_core::domain::{stats_flags, stats_types as ty, DomainState};
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result, TypedParam, TypedValue};
use oxvirt_driver::{DomainRef, DomainStatsRecord};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// The groups this driver reports.
const SUPPORTED: u32 =
    ty::STATE | ty::CPU_TOTAL | ty::BALLOON | ty::VCPU | ty::INTERFACE | ty::BLOCK;

/// List filter bits accepted in `flags`.
const FILTERS: u32 = 0xff;

/// The longest a stats call waits for one monitor.
const QMP_DEADLINE: Duration = Duration::from_secs(3);

fn domains(drv: &Driver, doms: &[DomainRef], flags: u32) -> Result<Vec<Arc<Dom>>> {
    crate::domain::check_flags(
        flags,
        FILTERS | stats_flags::NOWAIT | stats_flags::BACKING | stats_flags::ENFORCE_STATS,
        "qemuConnectGetAllDomainStats",
    )?;
    let filter = flags & FILTERS;
    let list: Vec<Arc<Dom>> = if doms.is_empty() {
        drv.all()
            .into_iter()
            .filter(|d| {
                let st = d.lock();
                !st.removed && (filter == 0 || matches_filter(&st, filter))
            })
            .collect()
    } else {
        doms.iter()
            .map(|d| drv.get(d))
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .filter(|d| filter == 0 || matches_filter(&d.lock(), filter))
            .collect()
    };
    Ok(list)
}

/// The groups asked for; 0 means every group this driver reports.
fn groups(stats: u32) -> u32 {
    if stats == 0 {
        SUPPORTED
    } else {
        stats & SUPPORTED
    }
}

fn check_enforce(stats: u32, flags: u32) -> Result<()> {
    let bad = stats & !SUPPORTED;
    if flags & stats_flags::ENFORCE_STATS != 0 && bad != 0 {
        return Err(Error::new(
            ErrorDomain::QEMU,
            ErrorCode::ARGUMENT_UNSUPPORTED,
            format!("Stats types bits 0x{bad:x} are not supported by this daemon"),
        ));
    }
    Ok(())
}

/// Stats without asking any monitor.
pub fn collect_cached(
    drv: &Driver,
    doms: &[DomainRef],
    stats: u32,
    flags: u32,
) -> Result<Vec<DomainStatsRecord>> {
    check_enforce(stats, flags)?;
    let list = domains(drv, doms, flags)?;
    let want = groups(stats);
    Ok(list
        .iter()
        .map(|d| record(d, want, &Live::default()))
        .collect())
}

/// Stats including what the monitors report.
pub async fn collect(
    drv: &Driver,
    doms: &[DomainRef],
    stats: u32,
    flags: u32,
) -> Result<Vec<DomainStatsRecord>> {
    check_enforce(stats, flags)?;
    let list = domains(drv, doms, flags)?;
    let want = groups(stats);
    let mut tasks = Vec::with_capacity(list.len());
    for d in &list {
        let mon = {
            let st = d.lock();
            st.run.as_ref().and_then(|r| r.monitor.get().cloned())
        };
        tasks.push(tokio::spawn(query(mon, want)));
    }
    let mut out = Vec::with_capacity(list.len());
    for (d, t) in list.iter().zip(tasks) {
        let live = t.await.unwrap_or_default();
        out.push(record(d, want, &live));
    }
    Ok(out)
}

/// What the monitor said.
#[derive(Default)]
struct Live {
    /// `query-balloon` actual, KiB.
    balloon: Option<u64>,
    /// `query-cpus-fast`: (cpu index, thread id).
    vcpus: Vec<(i64, i64)>,
    /// `query-blockstats` entries.
    blockstats: Vec<Value>,
    /// `query-block` entries.
    block: Vec<Value>,
}

async fn query(mon: Option<Arc<Monitor>>, want: u32) -> Live {
    let mut live = Live::default();
    let Some(mon) = mon else { return live };
    if want & ty::BALLOON != 0 {
        if let Ok(v) = mon.execute("query-balloon", None, QMP_DEADLINE).await {
            live.balloon = v.get("actual").and_then(Value::as_u64).map(|b| b / 1024);
        }
    }
    if want & ty::VCPU != 0 {
        if let Ok(v) = mon.execute("query-cpus-fast", None, QMP_DEADLINE).await {
            live.vcpus = v
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|c| {
                            Some((c.get("cpu-index")?.as_i64()?, c.get("thread-id")?.as_i64()?))
                        })
                        .collect()
                })
                .unwrap_or_default();
        }
    }
    if want & ty::BLOCK != 0 {
        if let Ok(Value::Array(a)) = mon.execute("query-blockstats", None, QMP_DEADLINE).await {
            live.blockstats = a;
        }
        if let Ok(Value::Array(a)) = mon.execute("query-block", None, QMP_DEADLINE).await {
            live.block = a;
        }
    }
    live
}

fn p(out: &mut Vec<TypedParam>, k: impl Into<String>, v: TypedValue) {
    out.push(TypedParam::new(k, v));
}

fn record(dom: &Dom, want: u32, live: &Live) -> DomainStatsRecord {
    let st = dom.lock();
    let mut out = Vec::new();
    let pid = st.run.as_ref().map(|r| r.pid);
    let active = st.is_active();
    if want & ty::STATE != 0 {
        p(&mut out, "state.state", TypedValue::Int(st.state as i32));
        p(&mut out, "state.reason", TypedValue::Int(st.reason));
    }
    if want & ty::CPU_TOTAL != 0 {
        if let Some((u, s)) = pid.and_then(process::cpu_times) {
            p(&mut out, "cpu.time", TypedValue::ULLong(u + s));
            p(&mut out, "cpu.user", TypedValue::ULLong(u));
            p(&mut out, "cpu.system", TypedValue::ULLong(s));
        }
    }
    let Some(def) = st.def() else {
        return DomainStatsRecord {
            dom: dref_of(dom.uuid, &st),
            params: out,
        };
    };
    if want & ty::BALLOON != 0 {
        let cur = live.balloon.unwrap_or(def.current_memory);
        p(&mut out, "balloon.current", TypedValue::ULLong(cur));
        p(
            &mut out,
            "balloon.maximum",
            TypedValue::ULLong(def.memory_total()),
        );
        if let Some(rss) = pid.and_then(process::rss_kib) {
            p(&mut out, "balloon.rss", TypedValue::ULLong(rss));
        }
    }
    if want & ty::VCPU != 0 {
        p(
            &mut out,
            "vcpu.current",
            TypedValue::UInt(def.vcpu.online()),
        );
        p(&mut out, "vcpu.maximum", TypedValue::UInt(def.vcpu.max));
        if active {
            let running =
                i32::from(st.state == DomainState::Running || st.state == DomainState::Paused);
            for (idx, tid) in &live.vcpus {
                p(
                    &mut out,
                    format!("vcpu.{idx}.state"),
                    TypedValue::Int(running),
                );
                if let Some(t) = pid.and_then(|pid| process::thread_cpu_time(pid, *tid)) {
                    p(&mut out, format!("vcpu.{idx}.time"), TypedValue::ULLong(t));
                    p(&mut out, format!("vcpu.{idx}.wait"), TypedValue::ULLong(0));
                }
            }
        }
    }
    if want & ty::INTERFACE != 0 {
        let nets: Vec<_> = def
            .devices
            .iter()
            .filter_map(|d| match d {
                Device::Interface(i) => Some(i),
                _ => None,
            })
            .collect();
        p(
            &mut out,
            "net.count",
            TypedValue::UInt(u32::try_from(nets.len()).unwrap_or(u32::MAX)),
        );
        let dev = if active { read_net_dev() } else { vec![] };
        for (i, n) in nets.iter().enumerate() {
            let Some(ifname) = n.ifname.as_deref() else {
                continue;
            };
            p(
                &mut out,
                format!("net.{i}.name"),
                TypedValue::String(ifname.to_owned()),
            );
            if let Some(c) = dev.iter().find(|(name, _)| name == ifname).map(|(_, c)| c) {
                // The host's rx is the guest's tx: swapped, as libvirt reports.
                let keys = [
                    ("tx.bytes", c[0]),
                    ("tx.pkts", c[1]),
                    ("tx.errs", c[2]),
                    ("tx.drop", c[3]),
                    ("rx.bytes", c[8]),
                    ("rx.pkts", c[9]),
                    ("rx.errs", c[10]),
                    ("rx.drop", c[11]),
                ];
                let mut sorted = keys;
                sorted.sort_by_key(|(k, _)| *k);
                for (k, v) in sorted {
                    p(&mut out, format!("net.{i}.{k}"), TypedValue::ULLong(v));
                }
            }
        }
    }
    if want & ty::BLOCK != 0 {
        let disks: Vec<_> = def
            .devices
            .iter()
            .filter_map(|d| match d {
                Device::Disk(d) => Some(d),
                _ => None,
            })
            .collect();
        p(
            &mut out,
            "block.count",
            TypedValue::UInt(u32::try_from(disks.len()).unwrap_or(u32::MAX)),
        );
        for (i, d) in disks.iter().enumerate() {
            p(
                &mut out,
                format!("block.{i}.name"),
                TypedValue::String(d.target_dev.clone()),
            );
            if let Some(path) = &d.source_path {
                p(
                    &mut out,
                    format!("block.{i}.path"),
                    TypedValue::String(path.clone()),
                );
            }
            let alias = d.info.alias.as_deref().unwrap_or("");
            if let Some(s) = find_by_qdev(&live.blockstats, alias).and_then(|e| e.get("stats")) {
                let g = |k: &str| s.get(k).and_then(Value::as_u64).unwrap_or(0);
                for (key, qk) in [
                    ("rd.reqs", "rd_operations"),
                    ("rd.bytes", "rd_bytes"),
                    ("rd.times", "rd_total_time_ns"),
                    ("wr.reqs", "wr_operations"),
                    ("wr.bytes", "wr_bytes"),
                    ("wr.times", "wr_total_time_ns"),
                    ("fl.reqs", "flush_operations"),
                    ("fl.times", "flush_total_time_ns"),
                ] {
                    p(
                        &mut out,
                        format!("block.{i}.{key}"),
                        TypedValue::ULLong(g(qk)),
                    );
                }
                p(
                    &mut out,
                    format!("block.{i}.allocation"),
                    TypedValue::ULLong(g("wr_highest_offset")),
                );
            }
            if let Some(img) = find_by_qdev(&live.block, alias)
                .and_then(|e| e.get("inserted"))
                .and_then(|i| i.get("image"))
            {
                if let Some(v) = img.get("virtual-size").and_then(Value::as_u64) {
                    p(
                        &mut out,
                        format!("block.{i}.capacity"),
                        TypedValue::ULLong(v),
                    );
                }
            }
            if let Some(path) = &d.source_path {
                if let Ok(m) = std::fs::metadata(path) {
                    use std::os::unix::fs::MetadataExt;
                    p(
                        &mut out,
                        format!("block.{i}.physical"),
                        TypedValue::ULLong(m.blocks() * 512),
                    );
                }
            }
        }
    }
    DomainStatsRecord {
        dom: dref_of(dom.uuid, &st),
        params: out,
    }
}

/// The `query-block(stats)` entry of the device with alias `alias`.
fn find_by_qdev<'a>(list: &'a [Value], alias: &str) -> Option<&'a Value> {
    if alias.is_empty() {
        return None;
    }
    let peripheral = format!("/machine/peripheral/{alias}/");
    list.iter().find(|e| {
        let qdev = e.get("qdev").and_then(Value::as_str).unwrap_or("");
        qdev == alias
            || qdev.starts_with(&peripheral)
            || qdev == format!("/machine/peripheral/{alias}")
            || e.get("device").and_then(Value::as_str) == Some(alias)
    })
}

/// `/proc/net/dev`: interface name and its 16 counters.
fn read_net_dev() -> Vec<(String, [u64; 16])> {
    let Ok(text) = std::fs::read_to_string("/proc/net/dev") else {
        return vec![];
    };
    text.lines()
        .skip(2)
        .filter_map(|l| {
            let (name, rest) = l.split_once(':')?;
            let mut c = [0u64; 16];
            for (i, v) in rest.split_whitespace().take(16).enumerate() {
                c[i] = v.parse().unwrap_or(0);
            }
            Some((name.trim().to_owned(), c))
        })
        .collect()
}

fn invalid_arg(detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::QEMU, ErrorCode::INVALID_ARG, detail)
}

fn running_monitor(dom: &Dom) -> Result<(i32, Arc<Monitor>)> {
    let st = dom.lock();
    let run = st
        .run
        .as_ref()
        .filter(|_| st.is_active())
        .ok_or_else(crate::domain::not_running)?;
    Ok((run.pid, run.monitor()?))
}

/// `virDomainMemoryStats`: the balloon's actual size (tag 6) and the QEMU
/// process's RSS (tag 7), in KiB.
pub async fn memory_stats(dom: &Dom, max: u32, flags: u32) -> Result<Vec<(i32, u64)>> {
    crate::domain::check_flags(flags, 0, "qemuDomainMemoryStats")?;
    let (pid, mon) = running_monitor(dom)?;
    let mut out = Vec::new();
    if let Ok(v) = mon.execute("query-balloon", None, QMP_DEADLINE).await {
        if let Some(a) = v.get("actual").and_then(Value::as_u64) {
            out.push((6, a / 1024));
        }
    }
    if let Some(rss) = process::rss_kib(pid) {
        out.push((7, rss));
    }
    out.truncate(max as usize);
    Ok(out)
}

/// `virDomainBlockStats` of the disk named by target or source `path`.
pub async fn block_stats(dom: &Dom, path: &str) -> Result<[i64; 5]> {
    let alias = {
        let st = dom.lock();
        let def = st.live.as_ref().ok_or_else(crate::domain::not_running)?;
        def.devices
            .iter()
            .find_map(|d| match d {
                Device::Disk(x)
                    if x.target_dev == path || x.source_path.as_deref() == Some(path) =>
                {
                    Some(x.info.alias.clone().unwrap_or_default())
                }
                _ => None,
            })
            .ok_or_else(|| invalid_arg(format!("invalid path: {path}")))?
    };
    let (_, mon) = running_monitor(dom)?;
    let v = mon.execute("query-blockstats", None, QMP_DEADLINE).await?;
    let list = v.as_array().cloned().unwrap_or_default();
    let s = find_by_qdev(&list, &alias)
        .and_then(|e| e.get("stats"))
        .ok_or_else(|| invalid_arg(format!("cannot find statistics for device '{path}'")))?;
    let g = |k: &str| s.get(k).and_then(Value::as_i64).unwrap_or(0);
    Ok([
        g("rd_operations"),
        g("rd_bytes"),
        g("wr_operations"),
        g("wr_bytes"),
        -1,
    ])
}

/// `virDomainInterfaceStats` of the NIC named by host device or MAC, from
/// the guest's point of view (the host's rx is the guest's tx).
pub fn interface_stats(dom: &Dom, device: &str) -> Result<[i64; 8]> {
    let ifname = {
        let st = dom.lock();
        let def = st.live.as_ref().ok_or_else(crate::domain::not_running)?;
        def.devices
            .iter()
            .find_map(|d| match d {
                Device::Interface(i)
                    if i.ifname.as_deref() == Some(device)
                        || i.mac.eq_ignore_ascii_case(device) =>
                {
                    i.ifname.clone()
                }
                _ => None,
            })
            .ok_or_else(|| {
                invalid_arg(format!("invalid path, '{device}' is not a known interface"))
            })?
    };
    let c = read_net_dev()
        .into_iter()
        .find(|(n, _)| *n == ifname)
        .map(|(_, c)| c)
        .ok_or_else(|| invalid_arg(format!("invalid path, '{device}' is not a known interface")))?;
    let i = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    Ok([
        i(c[8]),
        i(c[9]),
        i(c[10]),
        i(c[11]),
        i(c[0]),
        i(c[1]),
        i(c[2]),
        i(c[3]),
    ])
}
