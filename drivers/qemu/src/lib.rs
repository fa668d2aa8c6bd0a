//! The QEMU/KVM driver (`qemu:///system`, `qemu:///session`).
//!
//! # Part A: configuration, capabilities, command line
//!
//! * [`conf::QemuConfig`] — `qemu.conf`: `QemuConfig::load(path, privileged)`
//!   and `QemuConfig::defaults(privileged)`.
//! * [`caps::CapsCache`] — `CapsCache::new(cache_dir).lookup(binary)` returns
//!   the [`caps::QemuCaps`] of a binary, probing it over QMP once and caching
//!   the answer on disk until the binary (size, mtime, ctime), oxvirt's
//!   version or KVM availability changes. [`caps::find_emulator`] finds
//!   `qemu-system-ARCH`; [`caps::host::HostInfo::detect`] reads the host;
//!   [`caps::xml::capabilities_xml`] and
//!   [`caps::xml::domain_capabilities_xml`] write the two documents;
//!   [`caps::firmware::load_system`] reads the firmware descriptors.
//! * Domain definitions are `oxvirt_conf::domain::DomainDef`; after parsing,
//!   `DomainDef::qemu_post_parse(&caps.platform())` applies the QEMU
//!   driver's defaults
//!   (machine alias → canonical name, emulator, default controllers and
//!   devices, PCI/PCIe addresses, USB and virtio-serial ports), as libvirt
//!   does at define time.
//! * [`command::prepare`] turns a definition into the live one (aliases,
//!   channel paths, display ports, UEFI firmware) and [`command::build`]
//!   writes the QEMU command line ([`command::QemuCommand`]) from the live
//!   definition, the [`caps::QemuCaps`] and a [`command::CommandContext`]
//!   (monitor socket, directories, tap fds, display ports, KVM or TCG).
//!   [`command::allocate_display_port`] picks a VNC port in
//!   `remote_display_port_min..=max`.
//!
//! ```no_run
//! use oxvirt_driver_qemu::{caps, command, conf::QemuConfig};
//! use oxvirt_conf::domain::{parse_flags, DomainDef};
//!
//! let cache = caps::CapsCache::new("/var/cache/libvirt/qemu/capabilities");
//! let binary = caps::find_emulator("x86_64").expect("QEMU installed");
//! let qcaps = cache.lookup(&binary)?;
//! let xml = "<domain type='qemu'><name>t</name><memory unit='MiB'>128</memory>\
//!            <os><type arch='x86_64'>hvm</type><kernel>/boot/vmlinuz</kernel></os></domain>";
//! let mut rnd = || [7u8; 16];
//! let mut def = DomainDef::parse(xml, parse_flags::INACTIVE, &mut rnd)?;
//! def.qemu_post_parse(&qcaps.platform())?;
//! let ctx = command::CommandContext::new(
//!     "/var/lib/libvirt/qemu/domain-1-t",
//!     command::Accel::Tcg,
//!     QemuConfig::defaults(true),
//! );
//! let mut live = def.clone();
//! command::prepare(&mut live, &ctx, &caps::firmware::load_system())?;
//! let cmd = command::build(&live, &qcaps, &ctx)?;
//! println!("{} {}", cmd.binary.display(), cmd.argv.join(" "));
//! # Ok::<(), oxvirt_core::Error>(())
//! ```
//!
//! # Part B: processes, QMP, state, events
//!
//! The modules `qmp`, `process`, `domain`/`driver` and `state` hold the
//! running side and the `HypervisorConnection` implementation.

pub mod caps;
pub mod command;
pub mod conf;
pub mod console;
pub mod domain;
pub mod driver;
pub mod hotplug;
pub mod lifecycle;
pub mod process;
pub mod qmp;
pub mod state;
pub mod stats;
