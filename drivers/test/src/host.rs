//! The fixed host that `test:///default` pretends to be: node info, NUMA
//! cells, capabilities, sysinfo, and the domain it starts with.

use oxvirt_conf::capabilities::{Capabilities, Cell, CellCpu, Guest, Host, SecModel};
use oxvirt_driver::NodeInfo;

/// `virConnectGetVersion`: the test hypervisor is version 0.0.2.
pub const HV_VERSION: u64 = 2;

/// `virConnectGetMaxVcpus`.
pub const MAX_VCPUS: i32 = 32;

/// The architecture domains get when their XML names none.
pub const DEFAULT_ARCH: &str = "i686";

/// `virConnectGetSysinfo`.
pub const SYSINFO: &str = "<sysinfo type='smbios'>\n  <bios>\n    <entry name='vendor'>LENOVO</entry>\n    <entry name='version'>G4ETA1WW (2.61 )</entry>\n    <entry name='date'>05/07/2014</entry>\n    <entry name='release'>2.61</entry>\n  </bios>\n</sysinfo>\n";

/// The domain every fresh `test:///default` state starts with, running as id 1.
pub const DEFAULT_DOMAIN_XML: &str = "<domain type='test'>
  <name>test</name>
  <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
  <memory>8388608</memory>
  <currentMemory>2097152</currentMemory>
  <vcpu>2</vcpu>
  <os>
    <type>hvm</type>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <source file='/guest/diskimage1'/>
      <target dev='vda' bus='virtio'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </disk>
    <interface type='network'>
      <mac address='aa:bb:cc:dd:ee:ff'/>
      <source network='default' bridge='virbr0'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x1' function='0x0'/>
    </interface>
    <memballoon model='virtio'>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x2' function='0x0'/>
    </memballoon>
  </devices>
</domain>";

/// Two cells of eight CPUs; cell `i` has `(i + 1) * 2 GiB`.
pub const CELLS: usize = 2;

/// Node info: an i686 with 16 CPUs at 1400 MHz and 3 GiB.
pub fn node_info() -> NodeInfo {
    NodeInfo {
        model: "i686".into(),
        memory: 3 * 1024 * 1024,
        cpus: 16,
        mhz: 1400,
        nodes: 2,
        sockets: 2,
        cores: 2,
        threads: 2,
    }
}

/// KiB of memory in cell `i`.
pub fn cell_memory(i: usize) -> u64 {
    (i as u64 + 1) * 2048 * 1024
}

/// Free KiB in cell `i`, as the test driver reports it.
pub fn cell_free_memory(i: usize) -> u64 {
    (i as u64 + 1) * 1024 * 1024
}

/// The capabilities of the test host.
pub fn capabilities() -> Capabilities {
    let page_sizes = vec![4, 8, 2048, 1024 * 1024];
    let cells = (0..CELLS)
        .map(|i| {
            let first_page = if i == 1 { page_sizes[1] } else { page_sizes[0] };
            let mem = cell_memory(i);
            let pages = vec![
                (first_page, mem / first_page),
                (page_sizes[2], 0),
                (page_sizes[3], 0),
            ];
            let cpus = (0..8u32)
                .map(|c| {
                    let id = i as u32 * 8 + c;
                    CellCpu {
                        id,
                        socket_id: i as u32,
                        die_id: 0,
                        core_id: c,
                        siblings: id.to_string(),
                    }
                })
                .collect();
            Cell {
                id: i as u32,
                memory: mem,
                pages,
                cpus,
            }
        })
        .collect();
    let guest = |os: &str| Guest {
        os_type: os.into(),
        arch: "i686".into(),
        wordsize: 32,
        emulator: Some("/usr/bin/test-hv".into()),
        machines: Vec::new(),
        domains: vec!["test".into()],
        features: vec!["pae".into(), "nonpae".into()],
    };
    Capabilities {
        host: Host {
            uuid: None,
            arch: "i686".into(),
            features: vec!["pae".into(), "nonpae".into()],
            page_sizes,
            iommu: false,
            cells,
            secmodels: vec![SecModel {
                model: "testSecurity".into(),
                doi: String::new(),
            }],
        },
        guests: vec![guest("hvm"), guest("xen")],
    }
}

/// The host name as `virGetHostname` finds it (the kernel's node name).
pub fn hostname() -> std::io::Result<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for `buf.len()` bytes and gethostname writes
    // at most that many.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    Ok(String::from_utf8_lossy(&buf[..end]).into_owned())
}
