//! virsh's own commands (`help`, `quit`, `cd`, `echo`, `connect`, …) and the
//! host and hypervisor commands (`uri`, `version`, `nodeinfo`, …).

use crate::ctl::Cmd;
use crate::ctl::Ctl;
use crate::out;
use crate::vsh::CmdResult;
use oxvirt_client::Wait;

/// `connect [name] [--readonly]`.
pub fn connect(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let name = cmd.string(ctl, "name")?.map(str::to_owned);
    let ro = cmd.flag("readonly");
    ctl.reconnect(name.as_deref(), ro, true)
}

/// `uri`.
pub fn uri(ctl: &mut Ctl, _cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    out!(ctl, "{}\n", c.uri());
    Ok(())
}

fn version_triple(v: u64) -> String {
    format!("{}.{}.{}", v / 1_000_000, (v / 1000) % 1000, v % 1000)
}

/// `version [--daemon]`.
pub fn version(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    let Ok(hv_type) = ctl.wait(c.get_type()) else {
        return ctl.fail("failed to get hypervisor type");
    };
    let lib = version_triple(oxvirt_core::LIBVIRT_VERSION);
    out!(ctl, "Compiled against library: libvirt {lib}\n");
    out!(ctl, "Using library: libvirt {lib}\n");
    out!(ctl, "Using API: {hv_type} {lib}\n");
    let Ok(hv) = ctl.wait(c.get_version()) else {
        return ctl.fail("failed to get the hypervisor version");
    };
    if hv == 0 {
        out!(ctl, "Cannot extract running {hv_type} hypervisor version\n");
    } else {
        out!(
            ctl,
            "Running hypervisor: {hv_type} {}\n",
            version_triple(hv)
        );
    }
    if cmd.flag("daemon") {
        match ctl.wait(c.get_lib_version()) {
            Ok(v) => out!(ctl, "Running against daemon: {}\n", version_triple(v)),
            Err(_) => ctl.error("failed to get the daemon version"),
        }
    }
    Ok(())
}

/// `hostname`.
pub fn hostname(ctl: &mut Ctl, _cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    match ctl.wait(c.get_hostname()) {
        Ok(h) => {
            out!(ctl, "{h}\n");
            Ok(())
        }
        Err(_) => ctl.fail("failed to get hostname"),
    }
}

/// `nodeinfo`.
pub fn nodeinfo(ctl: &mut Ctl, _cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    let Ok(i) = ctl.wait(c.node_get_info()) else {
        return ctl.fail("failed to get node information");
    };
    out!(ctl, "{:<20} {}\n", "CPU model:", i.model);
    out!(ctl, "{:<20} {}\n", "CPU(s):", i.cpus);
    if i.mhz != 0 {
        out!(ctl, "{:<20} {} MHz\n", "CPU frequency:", i.mhz);
    }
    out!(ctl, "{:<20} {}\n", "CPU socket(s):", i.sockets);
    out!(ctl, "{:<20} {}\n", "Core(s) per socket:", i.cores);
    out!(ctl, "{:<20} {}\n", "Thread(s) per core:", i.threads);
    out!(ctl, "{:<20} {}\n", "NUMA cell(s):", i.nodes);
    out!(ctl, "{:<20} {} KiB\n", "Memory size:", i.memory);
    Ok(())
}

/// `capabilities`.
pub fn capabilities(ctl: &mut Ctl, _cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    match ctl.wait(c.get_capabilities()) {
        Ok(x) => {
            out!(ctl, "{x}\n");
            Ok(())
        }
        Err(_) => ctl.fail("failed to get capabilities"),
    }
}

/// `domcapabilities [virttype] [emulatorbin] [arch] [machine]`.
pub fn domcapabilities(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    let virttype = cmd.string(ctl, "virttype")?.map(str::to_owned);
    let emulator = cmd.string(ctl, "emulatorbin")?.map(str::to_owned);
    let arch = cmd.string(ctl, "arch")?.map(str::to_owned);
    let machine = cmd.string(ctl, "machine")?.map(str::to_owned);
    match ctl.wait(c.get_domain_capabilities(
        emulator.as_deref(),
        arch.as_deref(),
        machine.as_deref(),
        virttype.as_deref(),
        0,
    )) {
        Ok(x) => {
            out!(ctl, "{x}\n");
            Ok(())
        }
        Err(_) => ctl.fail("failed to get emulator capabilities"),
    }
}

/// `sysinfo`.
pub fn sysinfo(ctl: &mut Ctl, _cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    match ctl.wait(c.get_sysinfo(0)) {
        Ok(x) => {
            out!(ctl, "{x}");
            Ok(())
        }
        Err(_) => ctl.fail("failed to get sysinfo"),
    }
}

/// `maxvcpus [type]`: from the domain capabilities, else the legacy call.
pub fn maxvcpus(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    let ty = cmd.string(ctl, "type")?.map(str::to_owned);
    if let Ok(xml) = c
        .get_domain_capabilities(None, None, None, ty.as_deref(), 0)
        .wait()
    {
        if let Some(n) = xml
            .find("<vcpu max='")
            .and_then(|i| xml[i + 11..].split('\'').next())
            .and_then(|v| v.parse::<u32>().ok())
        {
            out!(ctl, "{n}\n");
            return Ok(());
        }
    }
    let n = ctl.wait(c.get_max_vcpus(ty.as_deref()))?;
    out!(ctl, "{n}\n");
    Ok(())
}

/// `nodememstats [cell]`.
pub fn nodememstats(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    let cell = cmd.int(ctl, "cell")?.unwrap_or(-1);
    let Ok(stats) = ctl.wait(c.node_get_memory_stats(cell, 0)) else {
        return ctl.fail("Unable to get number of memory stats");
    };
    for (field, value) in stats {
        out!(ctl, "{field:<7} {value:>20} KiB\n");
    }
    Ok(())
}

/// `freecell [cellno] [--all]`.
pub fn freecell(ctl: &mut Ctl, cmd: &Cmd) -> CmdResult {
    let c = ctl.conn()?;
    let cell = cmd.int(ctl, "cellno")?;
    if cmd.flag("all") && cell.is_some() {
        return ctl.fail("--cellno and --all are mutually exclusive. Please choose only one.");
    }
    match cell {
        Some(n) => {
            let v = ctl.wait(c.node_get_cells_free_memory(n, 1))?;
            let bytes = v.first().copied().unwrap_or(0);
            out!(ctl, "{}: {} KiB\n", n, bytes / 1024);
        }
        None if cmd.flag("all") => {
            let info = ctl.wait(c.node_get_info())?;
            let cells = ctl.wait(c.node_get_cells_free_memory(0, info.nodes as i32))?;
            let mut total = 0u64;
            for (i, b) in cells.iter().enumerate() {
                out!(ctl, "{:>5}: {:>10} KiB\n", i, b / 1024);
                total += b / 1024;
            }
            out!(ctl, "--------------------\n");
            out!(ctl, "{:>5}: {:>10} KiB\n", "Total", total);
        }
        None => {
            let b = ctl.wait(c.node_get_free_memory())?;
            out!(ctl, "Total: {} KiB\n", b / 1024);
        }
    }
    Ok(())
}
