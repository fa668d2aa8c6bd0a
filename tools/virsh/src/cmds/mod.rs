//! The command table: every command virsh knows, grouped as `help` lists
//! them.

pub mod console;
pub mod domain;
pub mod event;
pub mod host;
pub mod misc;
pub mod network;
pub mod pool;
pub mod secret;
pub mod volume;

use crate::ctl::Ctl;
use crate::opts;
use crate::vsh::{flags, CmdDef, CmdGroup};

const fn cmd(
    name: &'static str,
    opts: &'static [crate::vsh::OptDef],
    handler: crate::vsh::Handler<Ctl>,
    help: &'static str,
    flags: u32,
) -> CmdDef<Ctl> {
    CmdDef {
        name,
        opts,
        handler,
        flags,
        help,
        alias_of: None,
    }
}

const fn alias(
    name: &'static str,
    of: &'static str,
    opts: &'static [crate::vsh::OptDef],
    handler: crate::vsh::Handler<Ctl>,
) -> CmdDef<Ctl> {
    CmdDef {
        name,
        opts,
        handler,
        flags: flags::ALIAS,
        help: "",
        alias_of: Some(of),
    }
}

const DOMAIN_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "autostart",
        opts::AUTOSTART,
        domain::autostart,
        "mark a domain to start with the host",
        0,
    ),
    cmd(
        "console",
        opts::CONSOLE,
        console::console,
        "attach to the guest console",
        0,
    ),
    cmd(
        "create",
        opts::CREATE,
        domain::create,
        "create and start a transient domain from XML",
        0,
    ),
    cmd(
        "define",
        opts::DEFINE,
        domain::define,
        "define a persistent domain from XML",
        0,
    ),
    cmd(
        "destroy",
        opts::DESTROY,
        domain::destroy,
        "stop a domain at once",
        0,
    ),
    cmd(
        "domid",
        opts::DOMID,
        domain::domid,
        "show the id of a domain",
        0,
    ),
    cmd(
        "domname",
        opts::DOMNAME,
        domain::domname,
        "show the name of a domain",
        0,
    ),
    cmd(
        "domuuid",
        opts::DOMUUID,
        domain::domuuid,
        "show the UUID of a domain",
        0,
    ),
    cmd(
        "dumpxml",
        opts::DUMPXML,
        domain::dumpxml,
        "print the domain XML",
        0,
    ),
    cmd("reboot", opts::REBOOT, domain::reboot, "reboot a domain", 0),
    cmd(
        "reset",
        opts::RESET,
        domain::reset,
        "reset a domain as with the reset button",
        0,
    ),
    cmd(
        "resume",
        opts::RESUME,
        domain::resume,
        "resume a paused domain",
        0,
    ),
    cmd(
        "setmaxmem",
        opts::SETMAXMEM,
        domain::setmaxmem,
        "change the maximum memory",
        0,
    ),
    cmd(
        "setmem",
        opts::SETMEM,
        domain::setmem,
        "change the current memory",
        0,
    ),
    cmd(
        "setvcpus",
        opts::SETVCPUS,
        domain::setvcpus,
        "change the number of vCPUs",
        0,
    ),
    cmd(
        "shutdown",
        opts::SHUTDOWN,
        domain::shutdown,
        "ask a domain to shut down",
        0,
    ),
    cmd(
        "start",
        opts::START,
        domain::start,
        "start a defined domain",
        0,
    ),
    cmd(
        "suspend",
        opts::SUSPEND,
        domain::suspend,
        "pause a domain",
        0,
    ),
    cmd(
        "undefine",
        opts::UNDEFINE,
        domain::undefine,
        "remove a domain's persistent definition",
        0,
    ),
];

const MONITOR_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "dominfo",
        opts::DOMINFO,
        domain::dominfo,
        "show domain information",
        0,
    ),
    cmd(
        "dommemstat",
        opts::DOMMEMSTAT,
        domain::dommemstat,
        "show memory statistics",
        0,
    ),
    cmd(
        "domstate",
        opts::DOMSTATE,
        domain::domstate,
        "show the state of a domain",
        0,
    ),
    cmd(
        "domstats",
        opts::DOMSTATS,
        domain::domstats,
        "show statistics of domains",
        0,
    ),
    cmd("list", opts::LIST, domain::list, "list domains", 0),
];

const EVENTS_CMDS: &[CmdDef<Ctl>] = &[cmd(
    "event",
    opts::EVENT,
    event::event,
    "wait for and print domain events",
    0,
)];

const HOST_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "capabilities",
        opts::CAPABILITIES,
        host::capabilities,
        "print the capabilities XML",
        0,
    ),
    cmd(
        "domcapabilities",
        opts::DOMCAPABILITIES,
        host::domcapabilities,
        "print the domain capabilities XML",
        0,
    ),
    cmd(
        "freecell",
        opts::FREECELL,
        host::freecell,
        "show free memory of NUMA cells",
        0,
    ),
    cmd(
        "hostname",
        opts::HOSTNAME,
        host::hostname,
        "print the hypervisor host name",
        0,
    ),
    cmd(
        "maxvcpus",
        opts::MAXVCPUS,
        host::maxvcpus,
        "show the maximum vCPUs of a guest",
        0,
    ),
    cmd(
        "nodeinfo",
        opts::NODEINFO,
        host::nodeinfo,
        "show host information",
        0,
    ),
    cmd(
        "nodememstats",
        opts::NODEMEMSTATS,
        host::nodememstats,
        "show host memory statistics",
        0,
    ),
    cmd(
        "sysinfo",
        opts::SYSINFO,
        host::sysinfo,
        "print the host sysinfo XML",
        0,
    ),
    cmd("uri", opts::URI, host::uri, "print the connection URI", 0),
    cmd("version", opts::VERSION, host::version, "show versions", 0),
];

const INTERFACE_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "iface-define",
        opts::IFACE_DEFINE,
        misc::iface_define,
        "define a host interface from XML",
        0,
    ),
    cmd(
        "iface-destroy",
        opts::IFACE_DESTROY,
        misc::iface_destroy,
        "bring a host interface down",
        0,
    ),
    cmd(
        "iface-dumpxml",
        opts::IFACE_DUMPXML,
        misc::iface_dumpxml,
        "print the interface XML",
        0,
    ),
    cmd(
        "iface-list",
        opts::IFACE_LIST,
        misc::iface_list,
        "list host interfaces",
        0,
    ),
    cmd(
        "iface-mac",
        opts::IFACE_MAC,
        misc::iface_mac,
        "show the MAC of an interface",
        0,
    ),
    cmd(
        "iface-name",
        opts::IFACE_NAME,
        misc::iface_name,
        "show the name of an interface by MAC",
        0,
    ),
    cmd(
        "iface-start",
        opts::IFACE_START,
        misc::iface_start,
        "bring a host interface up",
        0,
    ),
    cmd(
        "iface-undefine",
        opts::IFACE_UNDEFINE,
        misc::iface_undefine,
        "remove a host interface definition",
        0,
    ),
];

const FILTER_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "nwfilter-define",
        opts::NWFILTER_DEFINE,
        misc::nwfilter_define,
        "define a network filter from XML",
        0,
    ),
    cmd(
        "nwfilter-dumpxml",
        opts::NWFILTER_DUMPXML,
        misc::nwfilter_dumpxml,
        "print the network filter XML",
        0,
    ),
    cmd(
        "nwfilter-list",
        opts::NWFILTER_LIST,
        misc::nwfilter_list,
        "list network filters",
        0,
    ),
    cmd(
        "nwfilter-undefine",
        opts::NWFILTER_UNDEFINE,
        misc::nwfilter_undefine,
        "remove a network filter",
        0,
    ),
];

const NETWORK_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "net-autostart",
        opts::NET_AUTOSTART,
        network::autostart,
        "mark a network to start with the host",
        0,
    ),
    cmd(
        "net-create",
        opts::NET_CREATE,
        network::create,
        "create and start a transient network",
        0,
    ),
    cmd(
        "net-define",
        opts::NET_DEFINE,
        network::define,
        "define a persistent network from XML",
        0,
    ),
    cmd(
        "net-destroy",
        opts::NET_DESTROY,
        network::destroy,
        "stop a network",
        0,
    ),
    cmd(
        "net-dhcp-leases",
        opts::NET_DHCP_LEASES,
        network::dhcp_leases,
        "list DHCP leases of a network",
        0,
    ),
    cmd(
        "net-dumpxml",
        opts::NET_DUMPXML,
        network::dumpxml,
        "print the network XML",
        0,
    ),
    cmd(
        "net-info",
        opts::NET_INFO,
        network::info,
        "show network information",
        0,
    ),
    cmd(
        "net-list",
        opts::NET_LIST,
        network::list,
        "list networks",
        0,
    ),
    cmd(
        "net-name",
        opts::NET_NAME,
        network::name,
        "show the name of a network by UUID",
        0,
    ),
    cmd(
        "net-start",
        opts::NET_START,
        network::start,
        "start a defined network",
        0,
    ),
    cmd(
        "net-undefine",
        opts::NET_UNDEFINE,
        network::undefine,
        "remove a network definition",
        0,
    ),
    cmd(
        "net-update",
        opts::NET_UPDATE,
        network::update,
        "update part of a network definition",
        0,
    ),
    cmd(
        "net-uuid",
        opts::NET_UUID,
        network::uuid,
        "show the UUID of a network",
        0,
    ),
];

const NODEDEV_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "nodedev-autostart",
        opts::NODEDEV_AUTOSTART,
        misc::nodedev_autostart,
        "mark a device to start with the host",
        0,
    ),
    cmd(
        "nodedev-create",
        opts::NODEDEV_CREATE,
        misc::nodedev_create,
        "create a device from XML",
        0,
    ),
    cmd(
        "nodedev-define",
        opts::NODEDEV_DEFINE,
        misc::nodedev_define,
        "define a device from XML",
        0,
    ),
    cmd(
        "nodedev-destroy",
        opts::NODEDEV_DESTROY,
        misc::nodedev_destroy,
        "destroy a device",
        0,
    ),
    cmd(
        "nodedev-detach",
        opts::NODEDEV_DETACH,
        misc::nodedev_detach,
        "detach a device from its host driver",
        0,
    ),
    alias(
        "nodedev-dettach",
        "nodedev-detach",
        opts::NODEDEV_DETACH,
        misc::nodedev_detach,
    ),
    cmd(
        "nodedev-dumpxml",
        opts::NODEDEV_DUMPXML,
        misc::nodedev_dumpxml,
        "print the device XML",
        0,
    ),
    cmd(
        "nodedev-info",
        opts::NODEDEV_INFO,
        misc::nodedev_info,
        "show device information",
        0,
    ),
    cmd(
        "nodedev-list",
        opts::NODEDEV_LIST,
        misc::nodedev_list,
        "list host devices",
        0,
    ),
    cmd(
        "nodedev-reattach",
        opts::NODEDEV_REATTACH,
        misc::nodedev_reattach,
        "give a device back to its host driver",
        0,
    ),
    cmd(
        "nodedev-reset",
        opts::NODEDEV_RESET,
        misc::nodedev_reset,
        "reset a device",
        0,
    ),
    cmd(
        "nodedev-start",
        opts::NODEDEV_START,
        misc::nodedev_start,
        "start a defined device",
        0,
    ),
    cmd(
        "nodedev-undefine",
        opts::NODEDEV_UNDEFINE,
        misc::nodedev_undefine,
        "remove a device definition",
        0,
    ),
];

const SECRET_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "secret-define",
        opts::SECRET_DEFINE,
        secret::define,
        "define or modify a secret from XML",
        0,
    ),
    cmd(
        "secret-dumpxml",
        opts::SECRET_DUMPXML,
        secret::dumpxml,
        "print the secret XML",
        0,
    ),
    cmd(
        "secret-get-value",
        opts::SECRET_GET_VALUE,
        secret::get_value,
        "print a secret value",
        0,
    ),
    cmd(
        "secret-list",
        opts::SECRET_LIST,
        secret::list,
        "list secrets",
        0,
    ),
    cmd(
        "secret-set-value",
        opts::SECRET_SET_VALUE,
        secret::set_value,
        "set a secret value",
        0,
    ),
    cmd(
        "secret-undefine",
        opts::SECRET_UNDEFINE,
        secret::undefine,
        "remove a secret",
        0,
    ),
];

const POOL_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "pool-autostart",
        opts::POOL_AUTOSTART,
        pool::autostart,
        "mark a pool to start with the host",
        0,
    ),
    cmd(
        "pool-build",
        opts::POOL_BUILD,
        pool::build,
        "build a pool's storage",
        0,
    ),
    cmd(
        "pool-create-as",
        opts::POOL_CREATE_AS,
        pool::create_as,
        "create a pool from arguments",
        0,
    ),
    cmd(
        "pool-create",
        opts::POOL_CREATE,
        pool::create,
        "create a pool from XML",
        0,
    ),
    cmd(
        "pool-define-as",
        opts::POOL_DEFINE_AS,
        pool::define_as,
        "define a pool from arguments",
        0,
    ),
    cmd(
        "pool-define",
        opts::POOL_DEFINE,
        pool::define,
        "define a pool from XML",
        0,
    ),
    cmd(
        "pool-delete",
        opts::POOL_DELETE,
        pool::delete,
        "delete a pool's storage",
        0,
    ),
    cmd(
        "pool-destroy",
        opts::POOL_DESTROY,
        pool::destroy,
        "stop a pool",
        0,
    ),
    cmd(
        "pool-dumpxml",
        opts::POOL_DUMPXML,
        pool::dumpxml,
        "print the pool XML",
        0,
    ),
    cmd(
        "pool-info",
        opts::POOL_INFO,
        pool::info,
        "show pool information",
        0,
    ),
    cmd("pool-list", opts::POOL_LIST, pool::list, "list pools", 0),
    cmd(
        "pool-name",
        opts::POOL_NAME,
        pool::name,
        "show the name of a pool by UUID",
        0,
    ),
    cmd(
        "pool-refresh",
        opts::POOL_REFRESH,
        pool::refresh,
        "rescan a pool",
        0,
    ),
    cmd(
        "pool-start",
        opts::POOL_START,
        pool::start,
        "start a defined pool",
        0,
    ),
    cmd(
        "pool-undefine",
        opts::POOL_UNDEFINE,
        pool::undefine,
        "remove a pool definition",
        0,
    ),
    cmd(
        "pool-uuid",
        opts::POOL_UUID,
        pool::uuid,
        "show the UUID of a pool",
        0,
    ),
];

const VOLUME_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "vol-clone",
        opts::VOL_CLONE,
        volume::clone,
        "clone a volume",
        0,
    ),
    cmd(
        "vol-create-as",
        opts::VOL_CREATE_AS,
        volume::create_as,
        "create a volume from arguments",
        0,
    ),
    cmd(
        "vol-create",
        opts::VOL_CREATE,
        volume::create,
        "create a volume from XML",
        0,
    ),
    cmd(
        "vol-create-from",
        opts::VOL_CREATE_FROM,
        volume::create_from,
        "create a volume from another",
        0,
    ),
    cmd(
        "vol-delete",
        opts::VOL_DELETE,
        volume::delete,
        "delete a volume",
        0,
    ),
    cmd(
        "vol-download",
        opts::VOL_DOWNLOAD,
        volume::download,
        "download a volume to a file",
        0,
    ),
    cmd(
        "vol-dumpxml",
        opts::VOL_DUMPXML,
        volume::dumpxml,
        "print the volume XML",
        0,
    ),
    cmd(
        "vol-info",
        opts::VOL_INFO,
        volume::info,
        "show volume information",
        0,
    ),
    cmd(
        "vol-key",
        opts::VOL_KEY,
        volume::key,
        "show the key of a volume",
        0,
    ),
    cmd(
        "vol-list",
        opts::VOL_LIST,
        volume::list,
        "list the volumes of a pool",
        0,
    ),
    cmd(
        "vol-name",
        opts::VOL_NAME,
        volume::name,
        "show the name of a volume by key or path",
        0,
    ),
    cmd(
        "vol-path",
        opts::VOL_PATH,
        volume::path,
        "show the path of a volume",
        0,
    ),
    cmd(
        "vol-pool",
        opts::VOL_POOL,
        volume::pool_of,
        "show the pool of a volume",
        0,
    ),
    cmd(
        "vol-resize",
        opts::VOL_RESIZE,
        volume::resize,
        "resize a volume",
        0,
    ),
    cmd(
        "vol-upload",
        opts::VOL_UPLOAD,
        volume::upload,
        "upload a file into a volume",
        0,
    ),
    cmd("vol-wipe", opts::VOL_WIPE, volume::wipe, "wipe a volume", 0),
];

const VIRSH_CMDS: &[CmdDef<Ctl>] = &[
    cmd(
        "cd",
        opts::CD,
        crate::builtins::cd::<Ctl>,
        "change the current directory",
        flags::NOCONNECT,
    ),
    cmd(
        "connect",
        opts::CONNECT,
        host::connect,
        "connect to a hypervisor",
        flags::NOCONNECT,
    ),
    cmd(
        "echo",
        opts::ECHO,
        crate::builtins::echo::<Ctl>,
        "print the arguments",
        flags::NOCONNECT,
    ),
    cmd(
        "exit",
        opts::EXIT,
        crate::builtins::quit::<Ctl>,
        "leave the interactive shell",
        flags::NOCONNECT,
    ),
    cmd(
        "help",
        opts::HELP,
        crate::builtins::help::<Ctl>,
        "print help",
        flags::NOCONNECT,
    ),
    cmd(
        "pwd",
        opts::PWD,
        crate::builtins::pwd::<Ctl>,
        "print the current directory",
        flags::NOCONNECT,
    ),
    cmd(
        "quit",
        opts::QUIT,
        crate::builtins::quit::<Ctl>,
        "leave the interactive shell",
        flags::NOCONNECT,
    ),
];

static GROUPS: &[CmdGroup<Ctl>] = &[
    CmdGroup {
        name: "Domain Management",
        keyword: "domain",
        cmds: DOMAIN_CMDS,
    },
    CmdGroup {
        name: "Domain Monitoring",
        keyword: "monitor",
        cmds: MONITOR_CMDS,
    },
    CmdGroup {
        name: "Domain Events",
        keyword: "events",
        cmds: EVENTS_CMDS,
    },
    CmdGroup {
        name: "Host and Hypervisor",
        keyword: "host",
        cmds: HOST_CMDS,
    },
    CmdGroup {
        name: "Interface",
        keyword: "interface",
        cmds: INTERFACE_CMDS,
    },
    CmdGroup {
        name: "Network Filter",
        keyword: "filter",
        cmds: FILTER_CMDS,
    },
    CmdGroup {
        name: "Networking",
        keyword: "network",
        cmds: NETWORK_CMDS,
    },
    CmdGroup {
        name: "Node Device",
        keyword: "nodedev",
        cmds: NODEDEV_CMDS,
    },
    CmdGroup {
        name: "Secret",
        keyword: "secret",
        cmds: SECRET_CMDS,
    },
    CmdGroup {
        name: "Storage Pool",
        keyword: "pool",
        cmds: POOL_CMDS,
    },
    CmdGroup {
        name: "Storage Volume",
        keyword: "volume",
        cmds: VOLUME_CMDS,
    },
    CmdGroup {
        name: "Virsh itself",
        keyword: "virsh",
        cmds: VIRSH_CMDS,
    },
];

/// Every command group.
pub fn groups() -> &'static [CmdGroup<Ctl>] {
    GROUPS
}
