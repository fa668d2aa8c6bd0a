//! The QEMU command line of a domain.
//!
//! [`prepare`] turns a definition into the live one the command line
//! describes (device aliases, generated socket paths, the VNC port, the
//! firmware chosen for `firmware='efi'`); [`build`] then writes the argv in
//! libvirt 9.0's order (see the reference, §1.4). Both are pure: paths,
//! file descriptors and the display port come in through
//! [`CommandContext`], so the golden tests in `tests/` run without QEMU.
//!
//! ```text
//! -name -S -object(masterKey0) [-blockdev pflash] -machine -accel -cpu -m
//! -object(pc.ram) -overcommit -smp -uuid [-display none] -no-user-config
//! -nodefaults -chardev(charmonitor) -mon -rtc [-global ...] -no-shutdown
//! [-no-acpi] -boot [-kernel -initrd -append] controllers disks nets serials
//! channels consoles inputs -audiodev graphics video watchdog balloon rng
//! -sandbox -msg
//! ```

mod alias;
mod devices;
pub mod props;

pub use alias::assign_aliases;

use crate::caps::{is_q35, QemuCaps};
use crate::conf::QemuConfig;
use oxvirt_conf::domain::{ChardevKind, Device, DomainDef};
use oxvirt_core::{Error, ErrorCode, ErrorDomain};
use props::{opt_escape, Props};
use std::os::unix::io::RawFd;
use std::path::PathBuf;

/// The accelerator a domain runs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accel {
    Kvm,
    Tcg,
}

impl Accel {
    /// The accelerator for `<domain type>`: `kvm` → KVM, anything else TCG.
    pub fn for_virt_type(virt_type: &str) -> Accel {
        if virt_type == "kvm" {
            Accel::Kvm
        } else {
            Accel::Tcg
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Accel::Kvm => "kvm",
            Accel::Tcg => "tcg",
        }
    }
}

/// How QEMU gets its monitor socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MonitorSocket {
    /// QEMU binds and listens on this path (`server=on,wait=off`).
    Path(PathBuf),
    /// An already bound and listening socket passed as this fd.
    Fd(RawFd),
}

/// File descriptors of one interface's backend, opened by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetFds {
    /// One tap (or macvtap) fd per queue.
    pub tap: Vec<RawFd>,
    /// `/dev/vhost-net` fds, one per queue, or none.
    pub vhost: Vec<RawFd>,
}

/// Everything [`build`] needs that is not in the definition.
#[derive(Debug, Clone)]
pub struct CommandContext {
    /// The QMP monitor.
    pub monitor: MonitorSocket,
    /// The domain's private directory (`/var/lib/libvirt/qemu/domain-ID-NAME`):
    /// `HOME` of QEMU, master key, VNC socket.
    pub lib_dir: PathBuf,
    /// Where unix channels without a path get theirs
    /// (`/var/lib/libvirt/qemu/channel/target/domain-ID-NAME`).
    pub channel_dir: PathBuf,
    /// The QEMU log (for the caller; QEMU itself writes to stderr).
    pub log_path: Option<PathBuf>,
    /// `-pidfile`, when QEMU should write one.
    pub pid_file: Option<PathBuf>,
    /// The master key file; `-object secret masterKey0` when set.
    pub master_key: Option<PathBuf>,
    /// Per interface of the definition, in order: the fds of its tap
    /// backend. Interfaces of type user need none.
    pub net_fds: Vec<NetFds>,
    /// The TCP port for each VNC/SPICE display with autoport, in order of
    /// `<graphics>`.
    pub display_ports: Vec<u16>,
    /// KVM or TCG.
    pub accel: Accel,
    /// Where the per-domain UEFI variable store lives
    /// (`/var/lib/libvirt/qemu/nvram`).
    pub nvram_dir: PathBuf,
    /// `-incoming` argument (`defer` for restores).
    pub incoming: Option<String>,
    /// qemu.conf settings used on the command line.
    pub config: QemuConfig,
    /// Variables passed through from the daemon's environment (`PATH`, ...).
    pub passthrough_env: Vec<(String, String)>,
    /// True in system mode: QEMU gets `HOME` and the `XDG_*` dirs in `lib_dir`.
    pub privileged: bool,
}

impl CommandContext {
    /// A context with the usual layout under `lib_dir` and the monitor
    /// socket at `lib_dir/monitor.sock`.
    pub fn new(lib_dir: impl Into<PathBuf>, accel: Accel, config: QemuConfig) -> CommandContext {
        let lib_dir = lib_dir.into();
        CommandContext {
            monitor: MonitorSocket::Path(lib_dir.join("monitor.sock")),
            channel_dir: lib_dir.join("channel"),
            log_path: None,
            pid_file: None,
            master_key: Some(lib_dir.join("master-key.aes")),
            net_fds: Vec::new(),
            display_ports: Vec::new(),
            accel,
            nvram_dir: lib_dir.join("nvram"),
            incoming: None,
            privileged: config.user.is_some(),
            config,
            passthrough_env: Vec::new(),
            lib_dir,
        }
    }
}

/// A command ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QemuCommand {
    pub binary: PathBuf,
    /// Arguments after the binary.
    pub argv: Vec<String>,
    /// The complete environment (QEMU starts with an empty one plus these).
    pub env: Vec<(String, String)>,
    /// Fds that must be inherited by QEMU under their own numbers.
    pub fds_to_pass: Vec<RawFd>,
}

impl QemuCommand {
    /// The command as libvirt writes it to the domain log: environment,
    /// binary and one argument per line, JSON quoted.
    pub fn to_log_string(&self) -> String {
        let mut s = String::new();
        for (k, v) in &self.env {
            s.push_str(&format!("{k}={} \\\n", shell_quote(v)));
        }
        s.push_str(&shell_quote(&self.binary.to_string_lossy()));
        for a in &self.argv {
            s.push_str(" \\\n");
            s.push_str(&shell_quote(a));
        }
        s.push('\n');
        s
    }
}

fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '.' | '/' | ',' | '=' | ':' | '+' | '@')
        });
    if plain {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

pub(crate) fn qemu_error(code: ErrorCode, detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::QEMU, code, detail)
}

pub(crate) fn unsupported(detail: impl Into<String>) -> Error {
    qemu_error(ErrorCode::CONFIG_UNSUPPORTED, detail)
}

/// Fills in what the live definition carries and the command line needs:
/// device aliases, paths of unix channels without one, the ports of
/// autoport displays, the id, and UEFI loader/nvram for `firmware='efi'`
/// when `firmwares` has a match.
pub fn prepare(
    def: &mut DomainDef,
    ctx: &CommandContext,
    firmwares: &[oxvirt_conf::domain::firmware::Firmware],
) -> Result<(), Error> {
    assign_aliases(def);
    devices::fill_channel_paths(def, ctx);
    devices::fill_display_ports(def, ctx)?;
    devices::fill_firmware(def, ctx, firmwares)?;
    Ok(())
}

/// Builds the command line of a prepared definition (see [`prepare`]).
pub fn build(def: &DomainDef, caps: &QemuCaps, ctx: &CommandContext) -> Result<QemuCommand, Error> {
    let emulator = def
        .emulator
        .clone()
        .unwrap_or_else(|| caps.emulator.clone());
    if ctx.accel == Accel::Kvm && !caps.kvm {
        return Err(crate::caps::unsupported_virt_type(
            &emulator,
            &def.virt_type,
        ));
    }
    let machine = def
        .os
        .machine
        .as_deref()
        .and_then(|m| caps.canonical_machine(m))
        .or_else(|| caps.default_machine().map(|m| m.name.as_str()))
        .ok_or_else(|| unsupported("no machine type available"))?
        .to_owned();
    let mut b = Builder {
        def,
        caps,
        ctx,
        q35: is_q35(&machine),
        machine,
        argv: Vec::new(),
        fds: Vec::new(),
    };
    b.run()?;
    Ok(QemuCommand {
        binary: PathBuf::from(emulator),
        argv: b.argv,
        env: environment(ctx),
        fds_to_pass: b.fds,
    })
}

/// QEMU's environment: `LC_ALL=C`, pass-through variables, and in system
/// mode `HOME` and the XDG dirs inside the domain's directory.
fn environment(ctx: &CommandContext) -> Vec<(String, String)> {
    let mut env = vec![("LC_ALL".to_owned(), "C".to_owned())];
    for (k, v) in &ctx.passthrough_env {
        if matches!(
            k.as_str(),
            "LD_PRELOAD" | "LD_LIBRARY_PATH" | "PATH" | "USER" | "LOGNAME" | "TMPDIR"
        ) {
            env.push((k.clone(), v.clone()));
        }
    }
    let lib = ctx.lib_dir.display();
    if ctx.privileged {
        env.push(("HOME".into(), lib.to_string()));
        env.push(("XDG_DATA_HOME".into(), format!("{lib}/.local/share")));
        env.push(("XDG_CACHE_HOME".into(), format!("{lib}/.cache")));
        env.push(("XDG_CONFIG_HOME".into(), format!("{lib}/.config")));
    } else {
        env.push(("XDG_CACHE_HOME".into(), format!("{lib}/.cache")));
    }
    env
}

pub(crate) struct Builder<'a> {
    pub(crate) def: &'a DomainDef,
    pub(crate) caps: &'a QemuCaps,
    pub(crate) ctx: &'a CommandContext,
    pub(crate) machine: String,
    pub(crate) q35: bool,
    pub(crate) argv: Vec<String>,
    pub(crate) fds: Vec<RawFd>,
}

impl Builder<'_> {
    pub(crate) fn arg(&mut self, a: impl Into<String>) {
        self.argv.push(a.into());
    }

    pub(crate) fn arg2(&mut self, a: &str, b: impl Into<String>) {
        self.argv.push(a.to_owned());
        self.argv.push(b.into());
    }

    pub(crate) fn device(&mut self, p: Props) {
        self.arg2("-device", p.to_json());
    }

    pub(crate) fn object(&mut self, p: Props) {
        self.arg2("-object", p.to_json());
    }

    fn run(&mut self) -> Result<(), Error> {
        let def = self.def;
        let mut name = format!("guest={}", opt_escape(&def.name));
        if self.ctx.config.set_process_name {
            name.push_str(&format!(",process=qemu:{}", opt_escape(&def.name)));
        }
        name.push_str(",debug-threads=on");
        self.arg2("-name", name);
        self.arg("-S");
        if let Some(key) = &self.ctx.master_key {
            self.object(
                Props::new()
                    .s("qom-type", "secret")
                    .s("id", "masterKey0")
                    .s("format", "raw")
                    .s("file", key.to_string_lossy()),
            );
        }
        if let Some(p) = &self.ctx.pid_file {
            self.arg2("-pidfile", p.to_string_lossy());
        }
        let pflash = devices::pflash(self)?;
        self.machine_args(&pflash);
        self.cpu_args()?;
        self.memory_args();
        self.smp_args()?;
        self.arg2("-uuid", def.uuid.to_string());
        if !def.devices.iter().any(|d| matches!(d, Device::Graphics(_))) {
            self.arg2("-display", "none");
        }
        self.arg("-no-user-config");
        self.arg("-nodefaults");
        self.monitor_args();
        self.clock_args()?;
        if self.caps.has_command("set-action") || self.caps.commands.is_empty() {
            self.arg("-no-shutdown");
        } else if def.on_reboot == oxvirt_conf::domain::LifecycleAction::Destroy {
            self.arg("-no-reboot");
        }
        self.pm_args();
        if self.x86() && !self.has_feature("acpi") {
            self.arg("-no-acpi");
        }
        self.boot_args();
        devices::controllers(self)?;
        devices::disks(self)?;
        devices::interfaces(self)?;
        devices::chardevs(self, ChardevKind::Serial)?;
        devices::chardevs(self, ChardevKind::Parallel)?;
        devices::chardevs(self, ChardevKind::Channel)?;
        devices::chardevs(self, ChardevKind::Console)?;
        devices::inputs(self)?;
        devices::audio(self);
        devices::graphics(self)?;
        devices::video(self)?;
        devices::sound(self)?;
        devices::watchdog(self)?;
        if let Some(inc) = &self.ctx.incoming {
            self.arg2("-incoming", inc.clone());
        }
        devices::memballoon(self)?;
        devices::rng(self)?;
        match self.ctx.config.seccomp_sandbox {
            0 => {}
            _ => self.arg2(
                "-sandbox",
                "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny",
            ),
        }
        devices::panic(self)?;
        if self.ctx.config.log_timestamp {
            self.arg2("-msg", "timestamp=on");
        }
        Ok(())
    }

    pub(crate) fn x86(&self) -> bool {
        matches!(
            self.def.os.arch.as_deref().unwrap_or(&self.caps.arch),
            "x86_64" | "i686"
        )
    }

    /// The `<features>` child `name`, if present.
    pub(crate) fn feature(&self, name: &str) -> Option<&oxvirt_conf::xml::XmlElement> {
        self.def.features.as_ref().and_then(|f| f.child(name))
    }

    pub(crate) fn has_feature(&self, name: &str) -> bool {
        self.feature(name)
            .is_some_and(|f| f.attr("state").unwrap_or("on") == "on")
    }

    fn machine_args(&mut self, pflash: &[String]) {
        let mut m = vec![self.machine.clone(), "usb=off".to_owned()];
        if let Some(v) = self.feature("vmport").and_then(|f| f.attr("state")) {
            m.push(format!("vmport={v}"));
        }
        if let Some(f) = self.feature("smm") {
            m.push(format!("smm={}", f.attr("state").unwrap_or("on")));
        }
        let dump = match self.def.memory_dump_core.as_deref() {
            Some("on") => true,
            Some(_) => false,
            None => self.ctx.config.dump_guest_core,
        };
        m.push(format!(
            "dump-guest-core={}",
            if dump { "on" } else { "off" }
        ));
        for (i, node) in pflash.iter().enumerate() {
            m.push(format!("pflash{i}={node}"));
        }
        if let Some(ram) = self.ram_id() {
            m.push(format!("memory-backend={ram}"));
        }
        self.arg2("-machine", m.join(","));
        self.arg2("-accel", self.ctx.accel.as_str());
    }

    /// The id of the machine's main RAM backend, when QEMU names one.
    fn ram_id(&self) -> Option<String> {
        self.caps
            .machine(&self.machine)
            .and_then(|m| m.default_ram_id.clone())
    }

    fn cpu_args(&mut self) -> Result<(), Error> {
        let Some(cpu) = self.def.cpu.as_ref() else {
            return Ok(());
        };
        let mode = cpu.attr("mode").unwrap_or("custom");
        let mut parts: Vec<String> = Vec::new();
        match mode {
            "host-passthrough" => {
                if self.ctx.accel != Accel::Kvm {
                    return Err(unsupported(
                        "CPU mode 'host-passthrough' is only supported with kvm",
                    ));
                }
                parts.push("host".into());
                let migratable = cpu.attr("migratable").unwrap_or("on");
                parts.push(format!("migratable={migratable}"));
            }
            "maximum" => {
                parts.push("max".into());
            }
            "host-model" => {
                if self.ctx.accel != Accel::Kvm {
                    return Err(unsupported(
                        "CPU mode 'host-model' is only supported with kvm",
                    ));
                }
                parts.push("host".into());
                parts.push("migratable=on".into());
            }
            _ => match cpu.child_text("model") {
                Some(model) => {
                    let model = model.trim().to_owned();
                    if !self.caps.cpu_models.is_empty() && self.caps.cpu_model(&model).is_none() {
                        return Err(unsupported(format!(
                            "CPU model {model} is not supported by hypervisor"
                        )));
                    }
                    parts.push(model);
                }
                None => {
                    if cpu.elements().any(|e| e.name == "feature") {
                        parts.push("qemu64".into());
                    } else {
                        return Ok(());
                    }
                }
            },
        }
        for f in cpu.elements().filter(|e| e.name == "feature") {
            let Some(name) = f.attr("name") else { continue };
            let on = match f.attr("policy").unwrap_or("require") {
                "require" | "force" => "on",
                "disable" | "forbid" => "off",
                _ => continue,
            };
            parts.push(format!("{name}={on}"));
        }
        self.arg2("-cpu", parts.join(","));
        Ok(())
    }

    fn memory_args(&mut self) {
        let mib = self.def.memory.div_ceil(1024);
        self.arg2("-m", mib.to_string());
        if let Some(ram) = self.ram_id() {
            self.object(
                Props::new()
                    .s("qom-type", "memory-backend-ram")
                    .s("id", ram)
                    .u("size", mib * 1024 * 1024),
            );
        }
        let locked = self
            .def
            .extra
            .iter()
            .find(|e| e.name == "memoryBacking")
            .is_some_and(|m| m.child("locked").is_some());
        self.arg2(
            "-overcommit",
            format!("mem-lock={}", if locked { "on" } else { "off" }),
        );
    }

    fn smp_args(&mut self) -> Result<(), Error> {
        let v = &self.def.vcpu;
        let max = v.max;
        let limit = self.caps.max_vcpus(Some(&self.machine));
        if max > limit {
            return Err(unsupported(format!(
                "Maximum CPUs greater than specified machine type limit {limit}"
            )));
        }
        let topo = self.def.cpu.as_ref().and_then(|c| c.child("topology"));
        let get = |k: &str| {
            topo.and_then(|t| t.attr(k))
                .and_then(|s| s.parse::<u32>().ok())
        };
        let (sockets, dies, cores, threads) = match topo {
            Some(_) => (
                get("sockets").unwrap_or(1),
                get("dies").unwrap_or(1),
                get("cores").unwrap_or(1),
                get("threads").unwrap_or(1),
            ),
            None => (max, 1, 1, 1),
        };
        let total = sockets * dies * cores * threads;
        if total != max {
            let rel = if total > max {
                "exceeds"
            } else {
                "is less than"
            };
            return Err(unsupported(format!(
                "Number of CPUs in <topology> {rel} the desired maximum vcpu count"
            )));
        }
        let mut s = v.online().to_string();
        if v.online() != max {
            s.push_str(&format!(",maxcpus={max}"));
        }
        s.push_str(&format!(",sockets={sockets}"));
        if dies > 1 {
            s.push_str(&format!(",dies={dies}"));
        }
        s.push_str(&format!(",cores={cores},threads={threads}"));
        self.arg2("-smp", s);
        Ok(())
    }

    fn monitor_args(&mut self) {
        let chardev = match &self.ctx.monitor {
            MonitorSocket::Path(p) => format!(
                "socket,id=charmonitor,path={},server=on,wait=off",
                opt_escape(&p.to_string_lossy())
            ),
            MonitorSocket::Fd(fd) => {
                self.fds.push(*fd);
                format!("socket,id=charmonitor,fd={fd},server=on,wait=off")
            }
        };
        self.arg2("-chardev", chardev);
        self.arg2("-mon", "chardev=charmonitor,id=monitor,mode=control");
    }

    fn clock_args(&mut self) -> Result<(), Error> {
        let clock = &self.def.clock;
        let offset = clock.attr("offset").unwrap_or("utc");
        let mut rtc = match offset {
            "utc" => "base=utc".to_owned(),
            "localtime" => "base=localtime".to_owned(),
            "variable" => {
                let adj: i64 = clock
                    .attr("adjustment")
                    .and_then(|a| a.parse().ok())
                    .unwrap_or(0);
                let basis = clock.attr("basis").unwrap_or("utc");
                let base = if basis == "localtime" {
                    "localtime"
                } else {
                    "utc"
                };
                if adj == 0 {
                    format!("base={base}")
                } else {
                    return Err(unsupported(
                        "clock offset 'variable' with an adjustment is not supported",
                    ));
                }
            }
            other => return Err(unsupported(format!("unsupported clock offset '{other}'"))),
        };
        let mut globals: Vec<String> = Vec::new();
        let mut no_hpet = false;
        for t in clock.elements().filter(|e| e.name == "timer") {
            let name = t.attr("name").unwrap_or("");
            let present = t.attr("present");
            match name {
                "rtc" | "platform" => {
                    if let Some(tp) = t.attr("tickpolicy") {
                        match tp {
                            "catchup" => rtc.push_str(",driftfix=slew"),
                            "delay" => {}
                            other => {
                                return Err(unsupported(format!(
                                    "unsupported rtc timer tickpolicy '{other}'"
                                )))
                            }
                        }
                    }
                    if t.attr("track") == Some("guest") {
                        rtc.push_str(",clock=vm");
                    }
                }
                "pit" => match t.attr("tickpolicy") {
                    Some("delay") => globals.push("kvm-pit.lost_tick_policy=delay".into()),
                    Some("discard") => globals.push("kvm-pit.lost_tick_policy=discard".into()),
                    Some("catchup") | None => {}
                    Some(other) => {
                        return Err(unsupported(format!("unsupported pit tickpolicy '{other}'")))
                    }
                },
                "hpet" => no_hpet = present == Some("no"),
                _ => {}
            }
        }
        self.arg2("-rtc", rtc);
        for g in globals {
            self.arg2("-global", g);
        }
        if no_hpet {
            self.arg("-no-hpet");
        }
        Ok(())
    }

    fn pm_args(&mut self) {
        let Some(pm) = self.def.extra.iter().find(|e| e.name == "pm") else {
            return;
        };
        let chip = if self.q35 { "ICH9-LPC" } else { "PIIX4_PM" };
        for (el, key) in [
            ("suspend-to-mem", "disable_s3"),
            ("suspend-to-disk", "disable_s4"),
        ] {
            if let Some(v) = pm.child(el).and_then(|e| e.attr("enabled")) {
                let n = if v == "no" { 1 } else { 0 };
                self.arg2("-global", format!("{chip}.{key}={n}"));
            }
        }
    }

    fn boot_args(&mut self) {
        let menu = self
            .def
            .os
            .extra
            .iter()
            .find(|e| e.name == "bootmenu")
            .and_then(|e| e.attr("enable"));
        let mut boot = String::new();
        if let Some(m) = menu {
            boot.push_str(&format!("menu={},", if m == "yes" { "on" } else { "off" }));
        }
        boot.push_str("strict=on");
        self.arg2("-boot", boot);
        let os = &self.def.os;
        if let Some(k) = &os.kernel {
            self.arg2("-kernel", k.clone());
        }
        if let Some(i) = &os.initrd {
            self.arg2("-initrd", i.clone());
        }
        if let Some(c) = &os.cmdline {
            self.arg2("-append", c.clone());
        }
        if let Some(d) = &os.dtb {
            self.arg2("-dtb", d.clone());
        }
    }
}

/// Picks a free display port in `min..=max` not in `used`; libvirt's
/// `virPortAllocatorAcquire` for `remote_display_port_min/max`. The caller
/// checks that nothing else listens (`bind_free`).
pub fn allocate_display_port(
    min: u16,
    max: u16,
    used: &[u16],
    bind_free: &mut dyn FnMut(u16) -> bool,
) -> Result<u16, Error> {
    for port in min..=max {
        if used.contains(&port) {
            continue;
        }
        if bind_free(port) {
            return Ok(port);
        }
    }
    Err(qemu_error(
        ErrorCode::INTERNAL_ERROR,
        format!("Unable to find an unused port in range 'display' ({min}-{max})"),
    ))
}

/// True when nothing listens on TCP `port` on any IPv4 or IPv6 address.
pub fn port_is_free(port: u16) -> bool {
    std::net::TcpListener::bind(("0.0.0.0", port)).is_ok()
        && std::net::TcpListener::bind(("::", port)).is_ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn display_ports_skip_used_and_busy() {
        let p = allocate_display_port(5900, 5905, &[5900], &mut |p| p != 5901).unwrap();
        assert_eq!(p, 5902);
        let e = allocate_display_port(5900, 5900, &[5900], &mut |_| true).unwrap_err();
        assert!(e.message.contains("5900-5900"));
    }

    #[test]
    fn log_string_quotes_json() {
        let c = QemuCommand {
            binary: "/usr/bin/qemu-system-x86_64".into(),
            argv: vec!["-S".into(), "-device".into(), "{\"a\":1}".into()],
            env: vec![("LC_ALL".into(), "C".into())],
            fds_to_pass: vec![],
        };
        assert_eq!(
            c.to_log_string(),
            "LC_ALL=C \\\n/usr/bin/qemu-system-x86_64 \\\n-S \\\n-device \\\n'{\"a\":1}'\n"
        );
    }
}
