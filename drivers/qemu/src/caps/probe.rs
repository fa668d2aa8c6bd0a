//! The capability probe: start the binary with `-machine none`, ask it over
//! QMP, stop it.
//!
//! The probe is synchronous (std sockets with timeouts): it runs once per
//! binary change, at daemon start or on the first lookup, and a caller on an
//! async runtime runs it in `spawn_blocking`.

use super::{system_error, CpuModel, MachineInfo, QemuCaps};
use oxvirt_core::{Error, ErrorDomain};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long the probe waits for QEMU to open its monitor.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one QMP reply may take.
const REPLY_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest reply accepted (libvirt: 10 MiB).
const MAX_REPLY: usize = 10 * 1024 * 1024;

fn probe_error(binary: &Path, detail: impl std::fmt::Display) -> Error {
    Error::internal(
        ErrorDomain::QEMU,
        format!(
            "Failed to probe capabilities for {}: {detail}",
            binary.display()
        ),
    )
}

/// Kills and reaps the child when dropped, whatever happened.
struct Reaper(Child);

impl Drop for Reaper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A minimal synchronous QMP connection.
pub(crate) struct SyncQmp {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
    next_id: u64,
}

impl SyncQmp {
    /// Reads the greeting and negotiates capabilities.
    pub(crate) fn handshake(stream: UnixStream) -> std::io::Result<SyncQmp> {
        stream.set_read_timeout(Some(REPLY_TIMEOUT))?;
        let writer = stream.try_clone()?;
        let mut qmp = SyncQmp {
            reader: BufReader::new(stream),
            writer,
            next_id: 1,
        };
        let greeting = qmp.read_message()?;
        if greeting.get("QMP").is_none() {
            return Err(std::io::Error::other("no QMP greeting"));
        }
        qmp.execute("qmp_capabilities", None)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(qmp)
    }

    fn read_message(&mut self) -> std::io::Result<Value> {
        let mut line = String::new();
        loop {
            line.clear();
            let n = std::io::Read::take(&mut self.reader, MAX_REPLY as u64).read_line(&mut line)?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "QEMU closed the monitor",
                ));
            }
            if line.trim().is_empty() {
                continue;
            }
            return serde_json::from_str(line.trim())
                .map_err(|e| std::io::Error::other(format!("bad QMP message: {e}")));
        }
    }

    /// Runs `command` and returns its `return` value; QMP errors become
    /// `Err` with QEMU's description.
    pub(crate) fn execute(&mut self, command: &str, args: Option<Value>) -> Result<Value, String> {
        let id = format!("probe-{}", self.next_id);
        self.next_id += 1;
        let mut msg = json!({"execute": command, "id": id});
        if let Some(a) = args {
            msg["arguments"] = a;
        }
        let mut text = msg.to_string();
        text.push_str("\r\n");
        self.writer
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string())?;
        loop {
            let reply = self.read_message().map_err(|e| e.to_string())?;
            if reply.get("event").is_some() {
                continue;
            }
            if reply.get("id").and_then(Value::as_str) != Some(id.as_str()) {
                continue;
            }
            if let Some(r) = reply.get("return") {
                return Ok(r.clone());
            }
            let desc = reply
                .pointer("/error/desc")
                .and_then(Value::as_str)
                .unwrap_or("unknown error");
            return Err(desc.to_owned());
        }
    }
}

/// Probes `binary`; `workdir` holds the temporary monitor socket.
pub fn probe(binary: &Path, workdir: &Path) -> Result<QemuCaps, Error> {
    super::BinaryStamp::of(binary)?;
    let dir = workdir.join(format!("probe-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&dir)
        .map_err(|e| system_error(format!("cannot create directory '{}'", dir.display()), &e))?;
    let result = probe_in(binary, &dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

fn probe_in(binary: &Path, dir: &Path) -> Result<QemuCaps, Error> {
    let sock = dir.join("qmp.monitor");
    let child = Command::new(binary)
        .args(["-S", "-no-user-config", "-nodefaults", "-nographic"])
        .args(["-machine", "none,accel=kvm:tcg"])
        .arg("-qmp")
        .arg(format!("unix:{},server=on,wait=off", sock.display()))
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .current_dir("/")
        .spawn()
        .map_err(|e| system_error(format!("Cannot run QEMU binary {}", binary.display()), &e))?;
    let mut child = Reaper(child);

    let start = Instant::now();
    let stream = loop {
        match UnixStream::connect(&sock) {
            Ok(s) => break s,
            Err(_) if start.elapsed() < CONNECT_TIMEOUT => {
                if let Ok(Some(status)) = child.0.try_wait() {
                    let mut err = String::new();
                    if let Some(mut e) = child.0.stderr.take() {
                        use std::io::Read;
                        let _ = e.read_to_string(&mut err);
                    }
                    return Err(probe_error(
                        binary,
                        format!("QEMU exited ({status}): {}", err.trim()),
                    ));
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => return Err(probe_error(binary, format!("cannot connect to QMP: {e}"))),
        }
    };
    let mut qmp = SyncQmp::handshake(stream).map_err(|e| probe_error(binary, e))?;
    let caps = query_all(&mut qmp, binary)?;
    let _ = qmp.execute("quit", None);
    let deadline = Instant::now() + Duration::from_secs(2);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.0.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(caps)
}

fn query_all(qmp: &mut SyncQmp, binary: &Path) -> Result<QemuCaps, Error> {
    let mut ask = |cmd: &str, args: Option<Value>| {
        qmp.execute(cmd, args)
            .map_err(|e| probe_error(binary, format!("{cmd}: {e}")))
    };
    let version = ask("query-version", None)?;
    let target = ask("query-target", None)?;
    let kvm = ask("query-kvm", None)?;
    let commands = ask("query-commands", None)?;
    let types = ask("qom-list-types", None)?;
    let machines = ask("query-machines", None)?;
    let cpus = ask("query-cpu-definitions", None).unwrap_or(Value::Array(Vec::new()));

    let num = |k: &str| {
        version
            .pointer(&format!("/qemu/{k}"))
            .and_then(Value::as_u64)
            .unwrap_or(0)
    };
    let version_num =
        u32::try_from(num("major") * 1_000_000 + num("minor") * 1_000 + num("micro")).unwrap_or(0);
    let arch = target
        .get("arch")
        .and_then(Value::as_str)
        .map(|a| if a == "i386" { "i686" } else { a })
        .unwrap_or("x86_64")
        .to_owned();
    Ok(QemuCaps {
        emulator: binary.to_string_lossy().into_owned(),
        arch,
        version: version_num,
        package: version
            .get("package")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_owned(),
        kvm: kvm.get("enabled").and_then(Value::as_bool).unwrap_or(false)
            && kvm.get("present").and_then(Value::as_bool).unwrap_or(false),
        machines: parse_machines(&machines),
        cpu_models: parse_cpu_models(&cpus),
        commands: sorted_names(&commands),
        types: sorted_names(&types),
    })
}

fn sorted_names(list: &Value) -> Vec<String> {
    let mut v: Vec<String> = list
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v.dedup();
    v
}

/// `query-machines` → machines (the `none` machine left out).
pub fn parse_machines(list: &Value) -> Vec<MachineInfo> {
    let Some(arr) = list.as_array() else {
        return Vec::new();
    };
    let mut out: Vec<MachineInfo> = arr
        .iter()
        .filter_map(|m| {
            let name = m.get("name")?.as_str()?.to_owned();
            if name == "none" {
                return None;
            }
            let s = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
            let b = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(false);
            Some(MachineInfo {
                name,
                alias: s("alias"),
                is_default: b("is-default"),
                max_cpus: m
                    .get("cpu-max")
                    .and_then(Value::as_u64)
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(1),
                hotplug_cpus: b("hotpluggable-cpus"),
                deprecated: b("deprecated"),
                default_cpu_type: s("default-cpu-type"),
                default_ram_id: s("default-ram-id"),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// `query-cpu-definitions` → CPU models, sorted by name.
pub fn parse_cpu_models(list: &Value) -> Vec<CpuModel> {
    let Some(arr) = list.as_array() else {
        return Vec::new();
    };
    let mut out: Vec<CpuModel> = arr
        .iter()
        .filter_map(|c| {
            let name = c.get("name")?.as_str()?.to_owned();
            let blockers: Option<Vec<String>> = c.get("unavailable-features").and_then(|u| {
                u.as_array().map(|a| {
                    a.iter()
                        .filter_map(|f| f.as_str().map(str::to_owned))
                        .collect()
                })
            });
            Some(CpuModel {
                name,
                typename: c.get("typename").and_then(Value::as_str).map(str::to_owned),
                usable: blockers.as_ref().map(Vec::is_empty),
                blockers: blockers.unwrap_or_default(),
                deprecated: c
                    .get("deprecated")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                migration_safe: c
                    .get("migration-safe")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                alias_of: c.get("alias-of").and_then(Value::as_str).map(str::to_owned),
            })
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn machines_keep_alias_and_default() {
        let v = json!([
            {"name":"none","cpu-max":1},
            {"name":"pc-q35-7.2","alias":"q35","cpu-max":288,"hotpluggable-cpus":true,"default-ram-id":"pc.ram"},
            {"name":"pc-i440fx-7.2","alias":"pc","is-default":true,"cpu-max":255}
        ]);
        let m = parse_machines(&v);
        assert_eq!(m.len(), 2);
        assert_eq!(m[1].name, "pc-q35-7.2");
        assert_eq!(m[1].alias.as_deref(), Some("q35"));
        assert!(m[0].is_default);
    }

    #[test]
    fn cpu_models_record_blockers() {
        let v = json!([
            {"name":"qemu64","typename":"qemu64-x86_64-cpu","unavailable-features":[]},
            {"name":"EPYC","unavailable-features":["svm"]},
            {"name":"odd"}
        ]);
        let c = parse_cpu_models(&v);
        assert_eq!(c[0].name, "EPYC");
        assert_eq!(c[0].usable, Some(false));
        assert_eq!(c[0].blockers, ["svm"]);
        assert_eq!(c[1].usable, None);
        assert_eq!(c[2].usable, Some(true));
    }
}
