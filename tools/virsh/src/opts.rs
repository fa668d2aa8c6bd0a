//! Option tables of every command: names, kinds, which are required and
//! which may be given positionally, in definition order, as virsh 9.0 has
//! them. Aliases that virsh hides from `help` are added by hand at the end of
//! a table.

#![allow(dead_code)]

use crate::vsh::*;

/// `connect`.
pub const CONNECT: &[OptDef] = &[string("name"), flag("readonly")];
/// `uri`.
pub const URI: &[OptDef] = &[];
/// `version`.
pub const VERSION: &[OptDef] = &[flag("daemon")];
/// `hostname`.
pub const HOSTNAME: &[OptDef] = &[];
/// `nodeinfo`.
pub const NODEINFO: &[OptDef] = &[];
/// `capabilities`.
pub const CAPABILITIES: &[OptDef] = &[];
/// `domcapabilities`.
pub const DOMCAPABILITIES: &[OptDef] = &[
    string("virttype"),
    string("emulatorbin"),
    string("arch"),
    string("machine"),
];
/// `sysinfo`.
pub const SYSINFO: &[OptDef] = &[];
/// `nodememstats`.
pub const NODEMEMSTATS: &[OptDef] = &[int("cell")];
/// `freecell`.
pub const FREECELL: &[OptDef] = &[int("cellno"), flag("all")];
/// `maxvcpus`.
pub const MAXVCPUS: &[OptDef] = &[string("type")];
/// `list`.
pub const LIST: &[OptDef] = &[
    flag("inactive"),
    flag("all"),
    flag("transient"),
    flag("persistent"),
    flag("with-snapshot"),
    flag("without-snapshot"),
    flag("with-checkpoint"),
    flag("without-checkpoint"),
    flag("state-running"),
    flag("state-paused"),
    flag("state-shutoff"),
    flag("state-other"),
    flag("autostart"),
    flag("no-autostart"),
    flag("with-managed-save"),
    flag("without-managed-save"),
    flag("uuid"),
    flag("name"),
    flag("id"),
    flag("table"),
    flag("managed-save"),
    flag("title"),
];
/// `define`.
pub const DEFINE: &[OptDef] = &[data("file"), flag("validate")];
/// `undefine`.
pub const UNDEFINE: &[OptDef] = &[
    data("domain"),
    flag("managed-save"),
    string("storage"),
    flag("remove-all-storage"),
    flag("delete-storage-volume-snapshots"),
    flag("wipe-storage"),
    flag("snapshots-metadata"),
    flag("checkpoints-metadata"),
    flag("nvram"),
    flag("keep-nvram"),
    flag("tpm"),
    flag("keep-tpm"),
];
/// `create`.
pub const CREATE: &[OptDef] = &[
    data("file"),
    flag("console"),
    flag("paused"),
    flag("autodestroy"),
    string("pass-fds"),
    flag("validate"),
    flag("reset-nvram"),
];
/// `start`.
pub const START: &[OptDef] = &[
    data("domain"),
    flag("console"),
    flag("paused"),
    flag("autodestroy"),
    flag("bypass-cache"),
    flag("force-boot"),
    string("pass-fds"),
    flag("reset-nvram"),
];
/// `destroy`.
pub const DESTROY: &[OptDef] = &[data("domain"), flag("graceful"), flag("remove-logs")];
/// `shutdown`.
pub const SHUTDOWN: &[OptDef] = &[data("domain"), string("mode")];
/// `reboot`.
pub const REBOOT: &[OptDef] = &[data("domain"), string("mode")];
/// `reset`.
pub const RESET: &[OptDef] = &[data("domain")];
/// `suspend`.
pub const SUSPEND: &[OptDef] = &[data("domain")];
/// `resume`.
pub const RESUME: &[OptDef] = &[data("domain")];
/// `dominfo`.
pub const DOMINFO: &[OptDef] = &[data("domain")];
/// `domstate`.
pub const DOMSTATE: &[OptDef] = &[data("domain"), flag("reason")];
/// `domid`.
pub const DOMID: &[OptDef] = &[data("domain")];
/// `domname`.
pub const DOMNAME: &[OptDef] = &[data("domain")];
/// `domuuid`.
pub const DOMUUID: &[OptDef] = &[data("domain")];
/// `dumpxml`.
pub const DUMPXML: &[OptDef] = &[
    data("domain"),
    flag("inactive"),
    flag("security-info"),
    flag("update-cpu"),
    flag("migratable"),
    named("xpath"),
    flag("wrap"),
];
/// `autostart`.
pub const AUTOSTART: &[OptDef] = &[data("domain"), flag("disable")];
/// `domstats`.
pub const DOMSTATS: &[OptDef] = &[
    flag("state"),
    flag("cpu-total"),
    flag("balloon"),
    flag("vcpu"),
    flag("interface"),
    flag("block"),
    flag("perf"),
    flag("iothread"),
    flag("memory"),
    flag("dirtyrate"),
    flag("vm"),
    flag("list-active"),
    flag("list-inactive"),
    flag("list-persistent"),
    flag("list-transient"),
    flag("list-running"),
    flag("list-paused"),
    flag("list-shutoff"),
    flag("list-other"),
    flag("raw"),
    flag("enforce"),
    flag("backing"),
    flag("nowait"),
    argv("domain"),
];
/// `setmem`.
pub const SETMEM: &[OptDef] = &[
    data("domain"),
    int_req("size"),
    alias("kilobytes", "size"),
    flag("config"),
    flag("live"),
    flag("current"),
];
/// `setmaxmem`.
pub const SETMAXMEM: &[OptDef] = &[
    data("domain"),
    int_req("size"),
    alias("kilobytes", "size"),
    flag("config"),
    flag("live"),
    flag("current"),
];
/// `setvcpus`.
pub const SETVCPUS: &[OptDef] = &[
    data("domain"),
    int_req("count"),
    flag("maximum"),
    flag("config"),
    flag("live"),
    flag("current"),
    flag("guest"),
    flag("hotpluggable"),
];
/// `vcpucount`.
pub const VCPUCOUNT: &[OptDef] = &[
    data("domain"),
    flag("maximum"),
    flag("active"),
    flag("live"),
    flag("config"),
    flag("current"),
    flag("guest"),
];
/// `dommemstat`.
pub const DOMMEMSTAT: &[OptDef] = &[
    data("domain"),
    int_named("period"),
    flag("config"),
    flag("live"),
    flag("current"),
];
/// `console`.
pub const CONSOLE: &[OptDef] = &[
    data("domain"),
    string("devname"),
    flag("force"),
    flag("safe"),
];
/// `event`.
pub const EVENT: &[OptDef] = &[
    string("domain"),
    string("event"),
    flag("all"),
    flag("loop"),
    int("timeout"),
    flag("list"),
    flag("timestamp"),
];
/// `help`.
pub const HELP: &[OptDef] = &[string("command")];
/// `quit`.
pub const QUIT: &[OptDef] = &[];
/// `exit`.
pub const EXIT: &[OptDef] = &[];
/// `cd`.
pub const CD: &[OptDef] = &[string("dir")];
/// `pwd`.
pub const PWD: &[OptDef] = &[];
/// `echo`.
pub const ECHO: &[OptDef] = &[
    flag("shell"),
    flag("xml"),
    flag("split"),
    flag("err"),
    argv("string"),
];
/// `iface-define`.
pub const IFACE_DEFINE: &[OptDef] = &[data("file"), flag("validate")];
/// `iface-destroy`.
pub const IFACE_DESTROY: &[OptDef] = &[data("interface")];
/// `iface-dumpxml`.
pub const IFACE_DUMPXML: &[OptDef] = &[
    data("interface"),
    flag("inactive"),
    named("xpath"),
    flag("wrap"),
];
/// `iface-list`.
pub const IFACE_LIST: &[OptDef] = &[flag("inactive"), flag("all")];
/// `iface-mac`.
pub const IFACE_MAC: &[OptDef] = &[data("interface")];
/// `iface-name`.
pub const IFACE_NAME: &[OptDef] = &[data("interface")];
/// `iface-start`.
pub const IFACE_START: &[OptDef] = &[data("interface")];
/// `iface-undefine`.
pub const IFACE_UNDEFINE: &[OptDef] = &[data("interface")];
/// `nwfilter-define`.
pub const NWFILTER_DEFINE: &[OptDef] = &[data("file"), flag("validate")];
/// `nwfilter-dumpxml`.
pub const NWFILTER_DUMPXML: &[OptDef] = &[data("nwfilter"), named("xpath"), flag("wrap")];
/// `nwfilter-list`.
pub const NWFILTER_LIST: &[OptDef] = &[];
/// `nwfilter-undefine`.
pub const NWFILTER_UNDEFINE: &[OptDef] = &[data("nwfilter")];
/// `net-autostart`.
pub const NET_AUTOSTART: &[OptDef] = &[data("network"), flag("disable")];
/// `net-create`.
pub const NET_CREATE: &[OptDef] = &[data("file"), flag("validate")];
/// `net-define`.
pub const NET_DEFINE: &[OptDef] = &[data("file"), flag("validate")];
/// `net-destroy`.
pub const NET_DESTROY: &[OptDef] = &[data("network")];
/// `net-dhcp-leases`.
pub const NET_DHCP_LEASES: &[OptDef] = &[data("network"), string("mac")];
/// `net-dumpxml`.
pub const NET_DUMPXML: &[OptDef] = &[
    data("network"),
    flag("inactive"),
    named("xpath"),
    flag("wrap"),
];
/// `net-info`.
pub const NET_INFO: &[OptDef] = &[data("network")];
/// `net-list`.
pub const NET_LIST: &[OptDef] = &[
    flag("inactive"),
    flag("all"),
    flag("persistent"),
    flag("transient"),
    flag("autostart"),
    flag("no-autostart"),
    flag("uuid"),
    flag("name"),
    flag("table"),
];
/// `net-name`.
pub const NET_NAME: &[OptDef] = &[data("network")];
/// `net-start`.
pub const NET_START: &[OptDef] = &[data("network")];
/// `net-undefine`.
pub const NET_UNDEFINE: &[OptDef] = &[data("network")];
/// `net-update`.
pub const NET_UPDATE: &[OptDef] = &[
    data("network"),
    data("command"),
    data("section"),
    data("xml"),
    int("parent-index"),
    flag("config"),
    flag("live"),
    flag("current"),
];
/// `net-uuid`.
pub const NET_UUID: &[OptDef] = &[data("network")];
/// `nodedev-create`.
pub const NODEDEV_CREATE: &[OptDef] = &[data("file"), flag("validate")];
/// `nodedev-destroy`.
pub const NODEDEV_DESTROY: &[OptDef] = &[data("device")];
/// `nodedev-detach`.
pub const NODEDEV_DETACH: &[OptDef] = &[data("device"), string("driver")];
/// `nodedev-dumpxml`.
pub const NODEDEV_DUMPXML: &[OptDef] = &[data("device"), named("xpath"), flag("wrap")];
/// `nodedev-list`.
pub const NODEDEV_LIST: &[OptDef] = &[flag("tree"), string("cap"), flag("inactive"), flag("all")];
/// `nodedev-reattach`.
pub const NODEDEV_REATTACH: &[OptDef] = &[data("device")];
/// `nodedev-reset`.
pub const NODEDEV_RESET: &[OptDef] = &[data("device")];
/// `nodedev-define`.
pub const NODEDEV_DEFINE: &[OptDef] = &[data("file"), flag("validate")];
/// `nodedev-undefine`.
pub const NODEDEV_UNDEFINE: &[OptDef] = &[data("device")];
/// `nodedev-start`.
pub const NODEDEV_START: &[OptDef] = &[data("device")];
/// `nodedev-autostart`.
pub const NODEDEV_AUTOSTART: &[OptDef] = &[data("device"), flag("disable")];
/// `nodedev-info`.
pub const NODEDEV_INFO: &[OptDef] = &[data("device")];
/// `secret-define`.
pub const SECRET_DEFINE: &[OptDef] = &[data("file"), flag("validate")];
/// `secret-dumpxml`.
pub const SECRET_DUMPXML: &[OptDef] = &[data("secret"), named("xpath"), flag("wrap")];
/// `secret-get-value`.
pub const SECRET_GET_VALUE: &[OptDef] = &[data("secret"), flag("plain")];
/// `secret-list`.
pub const SECRET_LIST: &[OptDef] = &[
    flag("ephemeral"),
    flag("no-ephemeral"),
    flag("private"),
    flag("no-private"),
];
/// `secret-set-value`.
pub const SECRET_SET_VALUE: &[OptDef] = &[
    data("secret"),
    named("file"),
    flag("plain"),
    flag("interactive"),
    string("base64"),
];
/// `secret-undefine`.
pub const SECRET_UNDEFINE: &[OptDef] = &[data("secret")];
/// `pool-autostart`.
pub const POOL_AUTOSTART: &[OptDef] = &[data("pool"), flag("disable")];
/// `pool-build`.
pub const POOL_BUILD: &[OptDef] = &[data("pool"), flag("no-overwrite"), flag("overwrite")];
/// `pool-create-as`.
pub const POOL_CREATE_AS: &[OptDef] = &[
    data("name"),
    data("type"),
    flag("print-xml"),
    string("source-host"),
    string("source-path"),
    string("source-dev"),
    string("source-name"),
    string("target"),
    string("source-format"),
    string("auth-type"),
    string("auth-username"),
    string("secret-usage"),
    string("secret-uuid"),
    string("adapter-name"),
    string("adapter-wwnn"),
    string("adapter-wwpn"),
    string("adapter-parent"),
    string("adapter-parent-wwnn"),
    string("adapter-parent-wwpn"),
    string("adapter-parent-fabric-wwn"),
    string("source-protocol-ver"),
    string("source-initiator"),
    flag("build"),
    flag("no-overwrite"),
    flag("overwrite"),
];
/// `pool-create`.
pub const POOL_CREATE: &[OptDef] = &[
    data("file"),
    flag("build"),
    flag("no-overwrite"),
    flag("overwrite"),
];
/// `pool-define-as`.
pub const POOL_DEFINE_AS: &[OptDef] = &[
    data("name"),
    data("type"),
    flag("print-xml"),
    string("source-host"),
    string("source-path"),
    string("source-dev"),
    string("source-name"),
    string("target"),
    string("source-format"),
    string("auth-type"),
    string("auth-username"),
    string("secret-usage"),
    string("secret-uuid"),
    string("adapter-name"),
    string("adapter-wwnn"),
    string("adapter-wwpn"),
    string("adapter-parent"),
    string("adapter-parent-wwnn"),
    string("adapter-parent-wwpn"),
    string("adapter-parent-fabric-wwn"),
    string("source-protocol-ver"),
    string("source-initiator"),
];
/// `pool-define`.
pub const POOL_DEFINE: &[OptDef] = &[data("file"), flag("validate")];
/// `pool-delete`.
pub const POOL_DELETE: &[OptDef] = &[data("pool")];
/// `pool-destroy`.
pub const POOL_DESTROY: &[OptDef] = &[data("pool")];
/// `pool-dumpxml`.
pub const POOL_DUMPXML: &[OptDef] = &[data("pool"), flag("inactive"), named("xpath"), flag("wrap")];
/// `pool-info`.
pub const POOL_INFO: &[OptDef] = &[data("pool"), flag("bytes")];
/// `pool-list`.
pub const POOL_LIST: &[OptDef] = &[
    flag("inactive"),
    flag("all"),
    flag("transient"),
    flag("persistent"),
    flag("autostart"),
    flag("no-autostart"),
    string("type"),
    flag("details"),
    flag("uuid"),
    flag("name"),
];
/// `pool-name`.
pub const POOL_NAME: &[OptDef] = &[data("pool")];
/// `pool-refresh`.
pub const POOL_REFRESH: &[OptDef] = &[data("pool")];
/// `pool-start`.
pub const POOL_START: &[OptDef] = &[
    data("pool"),
    flag("build"),
    flag("no-overwrite"),
    flag("overwrite"),
];
/// `pool-undefine`.
pub const POOL_UNDEFINE: &[OptDef] = &[data("pool")];
/// `pool-uuid`.
pub const POOL_UUID: &[OptDef] = &[data("pool")];
/// `vol-clone`.
pub const VOL_CLONE: &[OptDef] = &[
    data("vol"),
    data("newname"),
    string("pool"),
    flag("prealloc-metadata"),
    flag("reflink"),
    flag("print-xml"),
];
/// `vol-create-as`.
pub const VOL_CREATE_AS: &[OptDef] = &[
    data("pool"),
    data("name"),
    data("capacity"),
    string("allocation"),
    string("format"),
    string("backing-vol"),
    string("backing-vol-format"),
    flag("prealloc-metadata"),
    flag("print-xml"),
];
/// `vol-create`.
pub const VOL_CREATE: &[OptDef] = &[
    data("pool"),
    data("file"),
    flag("prealloc-metadata"),
    flag("validate"),
];
/// `vol-create-from`.
pub const VOL_CREATE_FROM: &[OptDef] = &[
    data("pool"),
    data("file"),
    data("vol"),
    string("inputpool"),
    flag("prealloc-metadata"),
    flag("reflink"),
    flag("validate"),
];
/// `vol-delete`.
pub const VOL_DELETE: &[OptDef] = &[data("vol"), string("pool"), flag("delete-snapshots")];
/// `vol-download`.
pub const VOL_DOWNLOAD: &[OptDef] = &[
    data("vol"),
    data("file"),
    string("pool"),
    int("offset"),
    int("length"),
    flag("sparse"),
];
/// `vol-dumpxml`.
pub const VOL_DUMPXML: &[OptDef] = &[data("vol"), string("pool"), named("xpath"), flag("wrap")];
/// `vol-info`.
pub const VOL_INFO: &[OptDef] = &[data("vol"), string("pool"), flag("bytes"), flag("physical")];
/// `vol-key`.
pub const VOL_KEY: &[OptDef] = &[data("vol"), string("pool")];
/// `vol-list`.
pub const VOL_LIST: &[OptDef] = &[data("pool"), flag("details")];
/// `vol-name`.
pub const VOL_NAME: &[OptDef] = &[data("vol")];
/// `vol-path`.
pub const VOL_PATH: &[OptDef] = &[data("vol"), string("pool")];
/// `vol-pool`.
pub const VOL_POOL: &[OptDef] = &[data("vol"), flag("uuid")];
/// `vol-resize`.
pub const VOL_RESIZE: &[OptDef] = &[
    data("vol"),
    data("capacity"),
    string("pool"),
    flag("allocate"),
    flag("delta"),
    flag("shrink"),
];
/// `vol-upload`.
pub const VOL_UPLOAD: &[OptDef] = &[
    data("vol"),
    data("file"),
    string("pool"),
    int("offset"),
    int("length"),
    flag("sparse"),
];
/// `vol-wipe`.
pub const VOL_WIPE: &[OptDef] = &[data("vol"), string("pool"), string("algorithm")];
