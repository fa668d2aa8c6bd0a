//! The capabilities document (`virConnectGetCapabilities`): a model of what a
//! host offers and a formatter with libvirt's layout.

use crate::xml::XmlWriter;

/// A host CPU of a NUMA cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellCpu {
    pub id: u32,
    pub socket_id: u32,
    pub die_id: u32,
    pub core_id: u32,
    pub siblings: String,
}

/// A NUMA cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub id: u32,
    /// KiB.
    pub memory: u64,
    /// (page size KiB, pages available).
    pub pages: Vec<(u64, u64)>,
    pub cpus: Vec<CellCpu>,
}

/// A security model (`<secmodel>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecModel {
    pub model: String,
    pub doi: String,
}

/// `<host>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Host {
    pub uuid: Option<String>,
    pub arch: String,
    /// Host CPU feature flags (`<pae/>`, ...).
    pub features: Vec<String>,
    /// Supported page sizes in KiB.
    pub page_sizes: Vec<u64>,
    pub iommu: bool,
    pub cells: Vec<Cell>,
    pub secmodels: Vec<SecModel>,
}

/// Writes `<topology>` with its NUMA cells (nothing when there are none), as
/// both the test driver's and the QEMU driver's capabilities show it.
pub fn format_topology(w: &mut XmlWriter, cells: &[Cell]) {
    if cells.is_empty() {
        return;
    }
    w.start("topology").end_open();
    w.start("cells")
        .attr("num", &cells.len().to_string())
        .end_open();
    for c in cells {
        w.start("cell").attr("id", &c.id.to_string()).end_open();
        w.start("memory")
            .attr("unit", "KiB")
            .end_text("memory", &c.memory.to_string());
        for (size, avail) in &c.pages {
            w.start("pages")
                .attr("unit", "KiB")
                .attr("size", &size.to_string())
                .end_text("pages", &avail.to_string());
        }
        w.start("cpus")
            .attr("num", &c.cpus.len().to_string())
            .end_open();
        for cpu in &c.cpus {
            w.start("cpu")
                .attr("id", &cpu.id.to_string())
                .attr("socket_id", &cpu.socket_id.to_string())
                .attr("die_id", &cpu.die_id.to_string())
                .attr("core_id", &cpu.core_id.to_string())
                .attr("siblings", &cpu.siblings)
                .end_empty();
        }
        w.close("cpus");
        w.close("cell");
    }
    w.close("cells");
    w.close("topology");
}

/// One `<guest>`: an OS type on an architecture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    pub os_type: String,
    pub arch: String,
    pub wordsize: u32,
    pub emulator: Option<String>,
    pub machines: Vec<String>,
    /// `<domain type>` entries.
    pub domains: Vec<String>,
    /// Guest features (`<pae/>`, `<nonpae/>`, ...).
    pub features: Vec<String>,
}

/// The whole document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capabilities {
    pub host: Host,
    pub guests: Vec<Guest>,
}

impl Capabilities {
    /// Writes the document as `virCapabilitiesFormatXML` does.
    pub fn format(&self) -> String {
        let mut w = XmlWriter::new();
        w.start("capabilities").end_open();
        w.blank_line();
        self.format_host(&mut w);
        for g in &self.guests {
            w.blank_line();
            format_guest(&mut w, g);
        }
        w.blank_line();
        w.close("capabilities");
        w.finish()
    }

    fn format_host(&self, w: &mut XmlWriter) {
        let h = &self.host;
        w.start("host").end_open();
        if let Some(u) = &h.uuid {
            w.text_element("uuid", u);
        }
        w.start("cpu").end_open();
        w.text_element("arch", &h.arch);
        if !h.features.is_empty() {
            w.start("features").end_open();
            for f in &h.features {
                w.start(f).end_empty();
            }
            w.close("features");
        }
        for p in &h.page_sizes {
            w.start("pages")
                .attr("unit", "KiB")
                .attr("size", &p.to_string())
                .end_empty();
        }
        w.close("cpu");
        w.start("power_management").end_empty();
        w.start("iommu")
            .attr("support", if h.iommu { "yes" } else { "no" })
            .end_empty();
        format_topology(w, &h.cells);
        for s in &h.secmodels {
            w.start("secmodel").end_open();
            w.text_element("model", &s.model);
            w.start("doi").end_text("doi", &s.doi);
            w.close("secmodel");
        }
        w.close("host");
    }
}

fn format_guest(w: &mut XmlWriter, g: &Guest) {
    w.start("guest").end_open();
    w.text_element("os_type", &g.os_type);
    w.start("arch").attr("name", &g.arch).end_open();
    w.text_element("wordsize", &g.wordsize.to_string());
    if let Some(e) = &g.emulator {
        w.text_element("emulator", e);
    }
    for m in &g.machines {
        w.text_element("machine", m);
    }
    for d in &g.domains {
        w.start("domain").attr("type", d).end_empty();
    }
    w.close("arch");
    if !g.features.is_empty() {
        w.start("features").end_open();
        for f in &g.features {
            w.start(f).end_empty();
        }
        w.close("features");
    }
    w.close("guest");
}
