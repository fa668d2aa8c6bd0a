//! Argument, return and message structs of the REMOTE program, in wire order.
//!
//! Generated from a transcript of `remote_protocol.x` (libvirt 9.0); one struct per
//! `remote_*` struct, named in CamelCase without the prefix. Field names are the
//! wire names, so some are camelCase.

#![allow(non_snake_case)]

use oxvirt_core::{TypedParam, Uuid};
use oxvirt_xdr::{xdr_struct, CharArray, Decoder, FixedChars, Opaque, Xdr, XdrError};

/// `REMOTE_STRING_MAX`.
pub const STRING_MAX: usize = 4194304;
/// `REMOTE_CONNECT_IDENTITY_PARAMS_MAX`.
pub const CONNECT_IDENTITY_PARAMS_MAX: usize = 20;
/// `REMOTE_DOMAIN_LIST_MAX`.
pub const DOMAIN_LIST_MAX: usize = 16384;
/// `REMOTE_CPUMAP_MAX`.
pub const CPUMAP_MAX: usize = 2048;
/// `REMOTE_VCPUINFO_MAX`.
pub const VCPUINFO_MAX: usize = 16384;
/// `REMOTE_CPUMAPS_MAX`.
pub const CPUMAPS_MAX: usize = 8388608;
/// `REMOTE_IOTHREAD_INFO_MAX`.
pub const IOTHREAD_INFO_MAX: usize = 16384;
/// `REMOTE_MIGRATE_COOKIE_MAX`.
pub const MIGRATE_COOKIE_MAX: usize = 4194304;
/// `REMOTE_NETWORK_LIST_MAX`.
pub const NETWORK_LIST_MAX: usize = 16384;
/// `REMOTE_NETWORK_PORT_LIST_MAX`.
pub const NETWORK_PORT_LIST_MAX: usize = 16384;
/// `REMOTE_INTERFACE_LIST_MAX`.
pub const INTERFACE_LIST_MAX: usize = 16384;
/// `REMOTE_STORAGE_POOL_LIST_MAX`.
pub const STORAGE_POOL_LIST_MAX: usize = 16384;
/// `REMOTE_STORAGE_VOL_LIST_MAX`.
pub const STORAGE_VOL_LIST_MAX: usize = 16384;
/// `REMOTE_NODE_DEVICE_LIST_MAX`.
pub const NODE_DEVICE_LIST_MAX: usize = 65536;
/// `REMOTE_NODE_DEVICE_CAPS_LIST_MAX`.
pub const NODE_DEVICE_CAPS_LIST_MAX: usize = 65536;
/// `REMOTE_NWFILTER_LIST_MAX`.
pub const NWFILTER_LIST_MAX: usize = 16384;
/// `REMOTE_NWFILTER_BINDING_LIST_MAX`.
pub const NWFILTER_BINDING_LIST_MAX: usize = 16384;
/// `REMOTE_DOMAIN_SCHEDULER_PARAMETERS_MAX`.
pub const DOMAIN_SCHEDULER_PARAMETERS_MAX: usize = 16;
/// `REMOTE_DOMAIN_BLKIO_PARAMETERS_MAX`.
pub const DOMAIN_BLKIO_PARAMETERS_MAX: usize = 16;
/// `REMOTE_DOMAIN_MEMORY_PARAMETERS_MAX`.
pub const DOMAIN_MEMORY_PARAMETERS_MAX: usize = 16;
/// `REMOTE_DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX`.
pub const DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX: usize = 32;
/// `REMOTE_DOMAIN_NUMA_PARAMETERS_MAX`.
pub const DOMAIN_NUMA_PARAMETERS_MAX: usize = 16;
/// `REMOTE_DOMAIN_PERF_EVENTS_MAX`.
pub const DOMAIN_PERF_EVENTS_MAX: usize = 64;
/// `REMOTE_DOMAIN_BLOCK_COPY_PARAMETERS_MAX`.
pub const DOMAIN_BLOCK_COPY_PARAMETERS_MAX: usize = 16;
/// `REMOTE_NODE_CPU_STATS_MAX`.
pub const NODE_CPU_STATS_MAX: usize = 16;
/// `REMOTE_NODE_MEMORY_STATS_MAX`.
pub const NODE_MEMORY_STATS_MAX: usize = 16;
/// `REMOTE_DOMAIN_BLOCK_STATS_PARAMETERS_MAX`.
pub const DOMAIN_BLOCK_STATS_PARAMETERS_MAX: usize = 16;
/// `REMOTE_NODE_MAX_CELLS`.
pub const NODE_MAX_CELLS: usize = 1024;
/// `REMOTE_AUTH_SASL_DATA_MAX`.
pub const AUTH_SASL_DATA_MAX: usize = 65536;
/// `REMOTE_AUTH_TYPE_LIST_MAX`.
pub const AUTH_TYPE_LIST_MAX: usize = 20;
/// `REMOTE_DOMAIN_MEMORY_STATS_MAX`.
pub const DOMAIN_MEMORY_STATS_MAX: usize = 1024;
/// `REMOTE_DOMAIN_CHECKPOINT_LIST_MAX`.
pub const DOMAIN_CHECKPOINT_LIST_MAX: usize = 16384;
/// `REMOTE_DOMAIN_SNAPSHOT_LIST_MAX`.
pub const DOMAIN_SNAPSHOT_LIST_MAX: usize = 16384;
/// `REMOTE_DOMAIN_BLOCK_PEEK_BUFFER_MAX`.
pub const DOMAIN_BLOCK_PEEK_BUFFER_MAX: usize = 4194304;
/// `REMOTE_DOMAIN_MEMORY_PEEK_BUFFER_MAX`.
pub const DOMAIN_MEMORY_PEEK_BUFFER_MAX: usize = 4194304;
/// `REMOTE_SECURITY_LABEL_LIST_MAX`.
pub const SECURITY_LABEL_LIST_MAX: usize = 64;
/// `REMOTE_SECURITY_MODEL_MAX`.
pub const SECURITY_MODEL_MAX: usize = 257;
/// `REMOTE_SECURITY_LABEL_MAX`.
pub const SECURITY_LABEL_MAX: usize = 4097;
/// `REMOTE_SECURITY_DOI_MAX`.
pub const SECURITY_DOI_MAX: usize = 257;
/// `REMOTE_SECRET_VALUE_MAX`.
pub const SECRET_VALUE_MAX: usize = 65536;
/// `REMOTE_SECRET_LIST_MAX`.
pub const SECRET_LIST_MAX: usize = 16384;
/// `REMOTE_CPU_BASELINE_MAX`.
pub const CPU_BASELINE_MAX: usize = 256;
/// `REMOTE_DOMAIN_SEND_KEY_MAX`.
pub const DOMAIN_SEND_KEY_MAX: usize = 16;
/// `REMOTE_DOMAIN_INTERFACE_PARAMETERS_MAX`.
pub const DOMAIN_INTERFACE_PARAMETERS_MAX: usize = 16;
/// `REMOTE_DOMAIN_GET_CPU_STATS_NCPUS_MAX`.
pub const DOMAIN_GET_CPU_STATS_NCPUS_MAX: usize = 128;
/// `REMOTE_DOMAIN_GET_CPU_STATS_MAX`.
pub const DOMAIN_GET_CPU_STATS_MAX: usize = 2048;
/// `REMOTE_DOMAIN_DISK_ERRORS_MAX`.
pub const DOMAIN_DISK_ERRORS_MAX: usize = 256;
/// `REMOTE_NODE_MEMORY_PARAMETERS_MAX`.
pub const NODE_MEMORY_PARAMETERS_MAX: usize = 64;
/// `REMOTE_DOMAIN_MIGRATE_PARAM_LIST_MAX`.
pub const DOMAIN_MIGRATE_PARAM_LIST_MAX: usize = 64;
/// `REMOTE_DOMAIN_SAVE_PARAMS_MAX`.
pub const DOMAIN_SAVE_PARAMS_MAX: usize = 64;
/// `REMOTE_DOMAIN_JOB_STATS_MAX`.
pub const DOMAIN_JOB_STATS_MAX: usize = 64;
/// `REMOTE_CONNECT_CPU_MODELS_MAX`.
pub const CONNECT_CPU_MODELS_MAX: usize = 8192;
/// `REMOTE_DOMAIN_FSFREEZE_MOUNTPOINTS_MAX`.
pub const DOMAIN_FSFREEZE_MOUNTPOINTS_MAX: usize = 256;
/// `REMOTE_NETWORK_DHCP_LEASES_MAX`.
pub const NETWORK_DHCP_LEASES_MAX: usize = 65536;
/// `REMOTE_CONNECT_GET_ALL_DOMAIN_STATS_MAX`.
pub const CONNECT_GET_ALL_DOMAIN_STATS_MAX: usize = 262144;
/// `REMOTE_DOMAIN_EVENT_TUNABLE_MAX`.
pub const DOMAIN_EVENT_TUNABLE_MAX: usize = 2048;
/// `REMOTE_DOMAIN_FSINFO_MAX`.
pub const DOMAIN_FSINFO_MAX: usize = 256;
/// `REMOTE_DOMAIN_FSINFO_DISKS_MAX`.
pub const DOMAIN_FSINFO_DISKS_MAX: usize = 256;
/// `REMOTE_DOMAIN_INTERFACE_MAX`.
pub const DOMAIN_INTERFACE_MAX: usize = 2048;
/// `REMOTE_DOMAIN_IP_ADDR_MAX`.
pub const DOMAIN_IP_ADDR_MAX: usize = 2048;
/// `REMOTE_DOMAIN_GUEST_VCPU_PARAMS_MAX`.
pub const DOMAIN_GUEST_VCPU_PARAMS_MAX: usize = 64;
/// `REMOTE_DOMAIN_IOTHREAD_PARAMS_MAX`.
pub const DOMAIN_IOTHREAD_PARAMS_MAX: usize = 64;
/// `REMOTE_NODE_SEV_INFO_MAX`.
pub const NODE_SEV_INFO_MAX: usize = 64;
/// `REMOTE_DOMAIN_LAUNCH_SECURITY_INFO_PARAMS_MAX`.
pub const DOMAIN_LAUNCH_SECURITY_INFO_PARAMS_MAX: usize = 64;
/// `REMOTE_DOMAIN_LAUNCH_SECURITY_STATE_PARAMS_MAX`.
pub const DOMAIN_LAUNCH_SECURITY_STATE_PARAMS_MAX: usize = 64;
/// `REMOTE_DOMAIN_GUEST_INFO_PARAMS_MAX`.
pub const DOMAIN_GUEST_INFO_PARAMS_MAX: usize = 2048;
/// `REMOTE_NETWORK_PORT_PARAMETERS_MAX`.
pub const NETWORK_PORT_PARAMETERS_MAX: usize = 16;
/// `REMOTE_DOMAIN_AUTHORIZED_SSH_KEYS_MAX`.
pub const DOMAIN_AUTHORIZED_SSH_KEYS_MAX: usize = 2048;
/// `REMOTE_DOMAIN_MESSAGES_MAX`.
pub const DOMAIN_MESSAGES_MAX: usize = 2048;
/// `REMOTE_DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX`.
pub const DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX: usize = 20;

xdr_struct! {
    /// `remote_nonnull_domain`.
    pub struct NonnullDomain {
        pub name: String,
        pub uuid: Uuid,
        pub id: i32,
    }
}

xdr_struct! {
    /// `remote_nonnull_network`.
    pub struct NonnullNetwork {
        pub name: String,
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_nonnull_network_port`.
    pub struct NonnullNetworkPort {
        pub net: NonnullNetwork,
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_nonnull_nwfilter`.
    pub struct NonnullNwfilter {
        pub name: String,
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_nonnull_nwfilter_binding`.
    pub struct NonnullNwfilterBinding {
        pub portdev: String,
        pub filtername: String,
    }
}

xdr_struct! {
    /// `remote_nonnull_interface`.
    pub struct NonnullInterface {
        pub name: String,
        pub mac: String,
    }
}

xdr_struct! {
    /// `remote_nonnull_storage_pool`.
    pub struct NonnullStoragePool {
        pub name: String,
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_nonnull_storage_vol`.
    pub struct NonnullStorageVol {
        pub pool: String,
        pub name: String,
        pub key: String,
    }
}

xdr_struct! {
    /// `remote_nonnull_node_device`.
    pub struct NonnullNodeDevice {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_nonnull_secret`.
    pub struct NonnullSecret {
        pub uuid: Uuid,
        pub usageType: i32,
        pub usageID: String,
    }
}

xdr_struct! {
    /// `remote_nonnull_domain_checkpoint`.
    pub struct NonnullDomainCheckpoint {
        pub name: String,
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_nonnull_domain_snapshot`.
    pub struct NonnullDomainSnapshot {
        pub name: String,
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_vcpu_info`.
    pub struct VcpuInfo {
        pub number: u32,
        pub state: i32,
        pub cpu_time: u64,
        pub cpu: i32,
    }
}

xdr_struct! {
    /// `remote_node_get_cpu_stats`.
    pub struct NodeGetCpuStats {
        pub field: String,
        pub value: u64,
    }
}

xdr_struct! {
    /// `remote_node_get_memory_stats`.
    pub struct NodeGetMemoryStats {
        pub field: String,
        pub value: u64,
    }
}

xdr_struct! {
    /// `remote_domain_disk_error`.
    pub struct DomainDiskError {
        pub disk: String,
        pub error: i32,
    }
}

xdr_struct! {
    /// `remote_connect_open_args`.
    pub struct ConnectOpenArgs {
        pub name: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_supports_feature_args`.
    pub struct ConnectSupportsFeatureArgs {
        pub feature: i32,
    }
}

xdr_struct! {
    /// `remote_connect_supports_feature_ret`.
    pub struct ConnectSupportsFeatureRet {
        pub supported: i32,
    }
}

xdr_struct! {
    /// `remote_connect_get_type_ret`.
    pub struct ConnectGetTypeRet {
        pub type_: String,
    }
}

xdr_struct! {
    /// `remote_connect_get_version_ret`.
    pub struct ConnectGetVersionRet {
        pub hv_ver: u64,
    }
}

xdr_struct! {
    /// `remote_connect_get_lib_version_ret`.
    pub struct ConnectGetLibVersionRet {
        pub lib_ver: u64,
    }
}

xdr_struct! {
    /// `remote_connect_get_hostname_ret`.
    pub struct ConnectGetHostnameRet {
        pub hostname: String,
    }
}

xdr_struct! {
    /// `remote_connect_get_sysinfo_args`.
    pub struct ConnectGetSysinfoArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_get_sysinfo_ret`.
    pub struct ConnectGetSysinfoRet {
        pub sysinfo: String,
    }
}

xdr_struct! {
    /// `remote_connect_get_uri_ret`.
    pub struct ConnectGetUriRet {
        pub uri: String,
    }
}

xdr_struct! {
    /// `remote_connect_get_max_vcpus_args`.
    pub struct ConnectGetMaxVcpusArgs {
        pub type_: Option<String>,
    }
}

xdr_struct! {
    /// `remote_connect_get_max_vcpus_ret`.
    pub struct ConnectGetMaxVcpusRet {
        pub max_vcpus: i32,
    }
}

/// `remote_node_get_info_ret`.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeGetInfoRet {
    pub model: FixedChars<32>,
    pub memory: u64,
    pub cpus: i32,
    pub mhz: i32,
    pub nodes: i32,
    pub sockets: i32,
    pub cores: i32,
    pub threads: i32,
}

impl Default for NodeGetInfoRet {
    fn default() -> Self {
        NodeGetInfoRet {
            model: FixedChars([0u8; 32]),
            memory: Default::default(),
            cpus: Default::default(),
            mhz: Default::default(),
            nodes: Default::default(),
            sockets: Default::default(),
            cores: Default::default(),
            threads: Default::default(),
        }
    }
}

impl Xdr for NodeGetInfoRet {
    fn encode(&self, out: &mut Vec<u8>) {
        self.model.encode(out);
        self.memory.encode(out);
        self.cpus.encode(out);
        self.mhz.encode(out);
        self.nodes.encode(out);
        self.sockets.encode(out);
        self.cores.encode(out);
        self.threads.encode(out);
    }
    fn decode(d: &mut Decoder<'_>) -> Result<Self, XdrError> {
        Ok(NodeGetInfoRet {
            model: FixedChars::<32>::decode(d)?,
            memory: u64::decode(d)?,
            cpus: i32::decode(d)?,
            mhz: i32::decode(d)?,
            nodes: i32::decode(d)?,
            sockets: i32::decode(d)?,
            cores: i32::decode(d)?,
            threads: i32::decode(d)?,
        })
    }
}

xdr_struct! {
    /// `remote_connect_get_capabilities_ret`.
    pub struct ConnectGetCapabilitiesRet {
        pub capabilities: String,
    }
}

xdr_struct! {
    /// `remote_connect_get_domain_capabilities_args`.
    pub struct ConnectGetDomainCapabilitiesArgs {
        pub emulatorbin: Option<String>,
        pub arch: Option<String>,
        pub machine: Option<String>,
        pub virttype: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_get_domain_capabilities_ret`.
    pub struct ConnectGetDomainCapabilitiesRet {
        pub capabilities: String,
    }
}

xdr_struct! {
    /// `remote_node_get_cpu_stats_args`.
    pub struct NodeGetCpuStatsArgs {
        pub cpuNum: i32,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_get_cpu_stats_ret`.
    pub struct NodeGetCpuStatsRet {
        #[max = NODE_CPU_STATS_MAX] pub params: Vec<NodeGetCpuStats>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_node_get_memory_stats_args`.
    pub struct NodeGetMemoryStatsArgs {
        pub nparams: i32,
        pub cellNum: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_get_memory_stats_ret`.
    pub struct NodeGetMemoryStatsRet {
        #[max = NODE_MEMORY_STATS_MAX] pub params: Vec<NodeGetMemoryStats>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_node_get_cells_free_memory_args`.
    pub struct NodeGetCellsFreeMemoryArgs {
        pub startCell: i32,
        pub maxcells: i32,
    }
}

xdr_struct! {
    /// `remote_node_get_cells_free_memory_ret`.
    pub struct NodeGetCellsFreeMemoryRet {
        #[max = NODE_MAX_CELLS] pub cells: Vec<u64>,
    }
}

xdr_struct! {
    /// `remote_node_get_free_memory_ret`.
    pub struct NodeGetFreeMemoryRet {
        pub freeMem: u64,
    }
}

xdr_struct! {
    /// `remote_domain_get_scheduler_type_args`.
    pub struct DomainGetSchedulerTypeArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_scheduler_type_ret`.
    pub struct DomainGetSchedulerTypeRet {
        pub type_: String,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_get_scheduler_parameters_args`.
    pub struct DomainGetSchedulerParametersArgs {
        pub dom: NonnullDomain,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_get_scheduler_parameters_ret`.
    pub struct DomainGetSchedulerParametersRet {
        #[max = DOMAIN_SCHEDULER_PARAMETERS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_get_scheduler_parameters_flags_args`.
    pub struct DomainGetSchedulerParametersFlagsArgs {
        pub dom: NonnullDomain,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_scheduler_parameters_flags_ret`.
    pub struct DomainGetSchedulerParametersFlagsRet {
        #[max = DOMAIN_SCHEDULER_PARAMETERS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_set_scheduler_parameters_args`.
    pub struct DomainSetSchedulerParametersArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_SCHEDULER_PARAMETERS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_set_scheduler_parameters_flags_args`.
    pub struct DomainSetSchedulerParametersFlagsArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_SCHEDULER_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_blkio_parameters_args`.
    pub struct DomainSetBlkioParametersArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_BLKIO_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_blkio_parameters_args`.
    pub struct DomainGetBlkioParametersArgs {
        pub dom: NonnullDomain,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_blkio_parameters_ret`.
    pub struct DomainGetBlkioParametersRet {
        #[max = DOMAIN_BLKIO_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_set_memory_parameters_args`.
    pub struct DomainSetMemoryParametersArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_MEMORY_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_memory_parameters_args`.
    pub struct DomainGetMemoryParametersArgs {
        pub dom: NonnullDomain,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_memory_parameters_ret`.
    pub struct DomainGetMemoryParametersRet {
        #[max = DOMAIN_MEMORY_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_block_resize_args`.
    pub struct DomainBlockResizeArgs {
        pub dom: NonnullDomain,
        pub disk: String,
        pub size: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_numa_parameters_args`.
    pub struct DomainSetNumaParametersArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_NUMA_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_numa_parameters_args`.
    pub struct DomainGetNumaParametersArgs {
        pub dom: NonnullDomain,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_numa_parameters_ret`.
    pub struct DomainGetNumaParametersRet {
        #[max = DOMAIN_NUMA_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_set_perf_events_args`.
    pub struct DomainSetPerfEventsArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_PERF_EVENTS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_perf_events_args`.
    pub struct DomainGetPerfEventsArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_perf_events_ret`.
    pub struct DomainGetPerfEventsRet {
        #[max = DOMAIN_PERF_EVENTS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_block_stats_args`.
    pub struct DomainBlockStatsArgs {
        pub dom: NonnullDomain,
        pub path: String,
    }
}

xdr_struct! {
    /// `remote_domain_block_stats_ret`.
    pub struct DomainBlockStatsRet {
        pub rd_req: i64,
        pub rd_bytes: i64,
        pub wr_req: i64,
        pub wr_bytes: i64,
        pub errs: i64,
    }
}

xdr_struct! {
    /// `remote_domain_block_stats_flags_args`.
    pub struct DomainBlockStatsFlagsArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_block_stats_flags_ret`.
    pub struct DomainBlockStatsFlagsRet {
        #[max = DOMAIN_BLOCK_STATS_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_interface_stats_args`.
    pub struct DomainInterfaceStatsArgs {
        pub dom: NonnullDomain,
        pub device: String,
    }
}

xdr_struct! {
    /// `remote_domain_interface_stats_ret`.
    pub struct DomainInterfaceStatsRet {
        pub rx_bytes: i64,
        pub rx_packets: i64,
        pub rx_errs: i64,
        pub rx_drop: i64,
        pub tx_bytes: i64,
        pub tx_packets: i64,
        pub tx_errs: i64,
        pub tx_drop: i64,
    }
}

xdr_struct! {
    /// `remote_domain_set_interface_parameters_args`.
    pub struct DomainSetInterfaceParametersArgs {
        pub dom: NonnullDomain,
        pub device: String,
        #[max = DOMAIN_INTERFACE_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_interface_parameters_args`.
    pub struct DomainGetInterfaceParametersArgs {
        pub dom: NonnullDomain,
        pub device: String,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_interface_parameters_ret`.
    pub struct DomainGetInterfaceParametersRet {
        #[max = DOMAIN_INTERFACE_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_memory_stats_args`.
    pub struct DomainMemoryStatsArgs {
        pub dom: NonnullDomain,
        pub maxStats: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_memory_stat`.
    pub struct DomainMemoryStat {
        pub tag: i32,
        pub val: u64,
    }
}

xdr_struct! {
    /// `remote_domain_memory_stats_ret`.
    pub struct DomainMemoryStatsRet {
        #[max = DOMAIN_MEMORY_STATS_MAX] pub stats: Vec<DomainMemoryStat>,
    }
}

xdr_struct! {
    /// `remote_domain_block_peek_args`.
    pub struct DomainBlockPeekArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub offset: u64,
        pub size: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_block_peek_ret`.
    pub struct DomainBlockPeekRet {
        #[max = DOMAIN_BLOCK_PEEK_BUFFER_MAX] pub buffer: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_memory_peek_args`.
    pub struct DomainMemoryPeekArgs {
        pub dom: NonnullDomain,
        pub offset: u64,
        pub size: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_memory_peek_ret`.
    pub struct DomainMemoryPeekRet {
        #[max = DOMAIN_MEMORY_PEEK_BUFFER_MAX] pub buffer: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_get_block_info_args`.
    pub struct DomainGetBlockInfoArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_block_info_ret`.
    pub struct DomainGetBlockInfoRet {
        pub allocation: u64,
        pub capacity: u64,
        pub physical: u64,
    }
}

xdr_struct! {
    /// `remote_connect_list_domains_args`.
    pub struct ConnectListDomainsArgs {
        pub maxids: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_domains_ret`.
    pub struct ConnectListDomainsRet {
        #[max = DOMAIN_LIST_MAX] pub ids: Vec<i32>,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_domains_ret`.
    pub struct ConnectNumOfDomainsRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_domain_create_xml_args`.
    pub struct DomainCreateXmlArgs {
        pub xml_desc: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_create_xml_ret`.
    pub struct DomainCreateXmlRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_create_xml_with_files_args`.
    pub struct DomainCreateXmlWithFilesArgs {
        pub xml_desc: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_create_xml_with_files_ret`.
    pub struct DomainCreateXmlWithFilesRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_lookup_by_id_args`.
    pub struct DomainLookupByIdArgs {
        pub id: i32,
    }
}

xdr_struct! {
    /// `remote_domain_lookup_by_id_ret`.
    pub struct DomainLookupByIdRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_lookup_by_uuid_args`.
    pub struct DomainLookupByUuidArgs {
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_domain_lookup_by_uuid_ret`.
    pub struct DomainLookupByUuidRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_lookup_by_name_args`.
    pub struct DomainLookupByNameArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_domain_lookup_by_name_ret`.
    pub struct DomainLookupByNameRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_suspend_args`.
    pub struct DomainSuspendArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_resume_args`.
    pub struct DomainResumeArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_pm_suspend_for_duration_args`.
    pub struct DomainPmSuspendForDurationArgs {
        pub dom: NonnullDomain,
        pub target: u32,
        pub duration: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_pm_wakeup_args`.
    pub struct DomainPmWakeupArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_shutdown_args`.
    pub struct DomainShutdownArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_reboot_args`.
    pub struct DomainRebootArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_reset_args`.
    pub struct DomainResetArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_destroy_args`.
    pub struct DomainDestroyArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_destroy_flags_args`.
    pub struct DomainDestroyFlagsArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_os_type_args`.
    pub struct DomainGetOsTypeArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_os_type_ret`.
    pub struct DomainGetOsTypeRet {
        pub type_: String,
    }
}

xdr_struct! {
    /// `remote_domain_get_max_memory_args`.
    pub struct DomainGetMaxMemoryArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_max_memory_ret`.
    pub struct DomainGetMaxMemoryRet {
        pub memory: u64,
    }
}

xdr_struct! {
    /// `remote_domain_set_max_memory_args`.
    pub struct DomainSetMaxMemoryArgs {
        pub dom: NonnullDomain,
        pub memory: u64,
    }
}

xdr_struct! {
    /// `remote_domain_set_memory_args`.
    pub struct DomainSetMemoryArgs {
        pub dom: NonnullDomain,
        pub memory: u64,
    }
}

xdr_struct! {
    /// `remote_domain_set_memory_flags_args`.
    pub struct DomainSetMemoryFlagsArgs {
        pub dom: NonnullDomain,
        pub memory: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_memory_stats_period_args`.
    pub struct DomainSetMemoryStatsPeriodArgs {
        pub dom: NonnullDomain,
        pub period: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_info_args`.
    pub struct DomainGetInfoArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_info_ret`.
    pub struct DomainGetInfoRet {
        pub state: u32,
        pub maxMem: u64,
        pub memory: u64,
        pub nrVirtCpu: u32,
        pub cpuTime: u64,
    }
}

xdr_struct! {
    /// `remote_domain_save_args`.
    pub struct DomainSaveArgs {
        pub dom: NonnullDomain,
        pub to: String,
    }
}

xdr_struct! {
    /// `remote_domain_save_flags_args`.
    pub struct DomainSaveFlagsArgs {
        pub dom: NonnullDomain,
        pub to: String,
        pub dxml: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_save_params_args`.
    pub struct DomainSaveParamsArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_SAVE_PARAMS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_restore_args`.
    pub struct DomainRestoreArgs {
        pub from: String,
    }
}

xdr_struct! {
    /// `remote_domain_restore_flags_args`.
    pub struct DomainRestoreFlagsArgs {
        pub from: String,
        pub dxml: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_restore_params_args`.
    pub struct DomainRestoreParamsArgs {
        #[max = DOMAIN_SAVE_PARAMS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_save_image_get_xml_desc_args`.
    pub struct DomainSaveImageGetXmlDescArgs {
        pub file: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_save_image_get_xml_desc_ret`.
    pub struct DomainSaveImageGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_save_image_define_xml_args`.
    pub struct DomainSaveImageDefineXmlArgs {
        pub file: String,
        pub dxml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_core_dump_args`.
    pub struct DomainCoreDumpArgs {
        pub dom: NonnullDomain,
        pub to: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_core_dump_with_format_args`.
    pub struct DomainCoreDumpWithFormatArgs {
        pub dom: NonnullDomain,
        pub to: String,
        pub dumpformat: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_screenshot_args`.
    pub struct DomainScreenshotArgs {
        pub dom: NonnullDomain,
        pub screen: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_screenshot_ret`.
    pub struct DomainScreenshotRet {
        pub mime: Option<String>,
    }
}

xdr_struct! {
    /// `remote_domain_get_xml_desc_args`.
    pub struct DomainGetXmlDescArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_xml_desc_ret`.
    pub struct DomainGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare_args`.
    pub struct DomainMigratePrepareArgs {
        pub uri_in: Option<String>,
        pub flags: u64,
        pub dname: Option<String>,
        pub resource: u64,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare_ret`.
    pub struct DomainMigratePrepareRet {
        #[max = MIGRATE_COOKIE_MAX] pub cookie: Opaque,
        pub uri_out: Option<String>,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_perform_args`.
    pub struct DomainMigratePerformArgs {
        pub dom: NonnullDomain,
        #[max = MIGRATE_COOKIE_MAX] pub cookie: Opaque,
        pub uri: String,
        pub flags: u64,
        pub dname: Option<String>,
        pub resource: u64,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_finish_args`.
    pub struct DomainMigrateFinishArgs {
        pub dname: String,
        #[max = MIGRATE_COOKIE_MAX] pub cookie: Opaque,
        pub uri: String,
        pub flags: u64,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_finish_ret`.
    pub struct DomainMigrateFinishRet {
        pub ddom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare2_args`.
    pub struct DomainMigratePrepare2Args {
        pub uri_in: Option<String>,
        pub flags: u64,
        pub dname: Option<String>,
        pub resource: u64,
        pub dom_xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare2_ret`.
    pub struct DomainMigratePrepare2Ret {
        #[max = MIGRATE_COOKIE_MAX] pub cookie: Opaque,
        pub uri_out: Option<String>,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_finish2_args`.
    pub struct DomainMigrateFinish2Args {
        pub dname: String,
        #[max = MIGRATE_COOKIE_MAX] pub cookie: Opaque,
        pub uri: String,
        pub flags: u64,
        pub retcode: i32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_finish2_ret`.
    pub struct DomainMigrateFinish2Ret {
        pub ddom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_connect_list_defined_domains_args`.
    pub struct ConnectListDefinedDomainsArgs {
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_defined_domains_ret`.
    pub struct ConnectListDefinedDomainsRet {
        #[max = DOMAIN_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_defined_domains_ret`.
    pub struct ConnectNumOfDefinedDomainsRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_domain_create_args`.
    pub struct DomainCreateArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_create_with_flags_args`.
    pub struct DomainCreateWithFlagsArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_create_with_flags_ret`.
    pub struct DomainCreateWithFlagsRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_create_with_files_args`.
    pub struct DomainCreateWithFilesArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_create_with_files_ret`.
    pub struct DomainCreateWithFilesRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_define_xml_args`.
    pub struct DomainDefineXmlArgs {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_define_xml_ret`.
    pub struct DomainDefineXmlRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_define_xml_flags_args`.
    pub struct DomainDefineXmlFlagsArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_define_xml_flags_ret`.
    pub struct DomainDefineXmlFlagsRet {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_undefine_args`.
    pub struct DomainUndefineArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_undefine_flags_args`.
    pub struct DomainUndefineFlagsArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_inject_nmi_args`.
    pub struct DomainInjectNmiArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_send_key_args`.
    pub struct DomainSendKeyArgs {
        pub dom: NonnullDomain,
        pub codeset: u32,
        pub holdtime: u32,
        #[max = DOMAIN_SEND_KEY_MAX] pub keycodes: Vec<u32>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_send_process_signal_args`.
    pub struct DomainSendProcessSignalArgs {
        pub dom: NonnullDomain,
        pub pid_value: i64,
        pub signum: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_vcpus_args`.
    pub struct DomainSetVcpusArgs {
        pub dom: NonnullDomain,
        pub nvcpus: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_vcpus_flags_args`.
    pub struct DomainSetVcpusFlagsArgs {
        pub dom: NonnullDomain,
        pub nvcpus: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_vcpus_flags_args`.
    pub struct DomainGetVcpusFlagsArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_vcpus_flags_ret`.
    pub struct DomainGetVcpusFlagsRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_domain_pin_vcpu_args`.
    pub struct DomainPinVcpuArgs {
        pub dom: NonnullDomain,
        pub vcpu: u32,
        #[max = CPUMAP_MAX] pub cpumap: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_pin_vcpu_flags_args`.
    pub struct DomainPinVcpuFlagsArgs {
        pub dom: NonnullDomain,
        pub vcpu: u32,
        #[max = CPUMAP_MAX] pub cpumap: Opaque,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_vcpu_pin_info_args`.
    pub struct DomainGetVcpuPinInfoArgs {
        pub dom: NonnullDomain,
        pub ncpumaps: i32,
        pub maplen: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_vcpu_pin_info_ret`.
    pub struct DomainGetVcpuPinInfoRet {
        #[max = CPUMAPS_MAX] pub cpumaps: Opaque,
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_domain_pin_emulator_args`.
    pub struct DomainPinEmulatorArgs {
        pub dom: NonnullDomain,
        #[max = CPUMAP_MAX] pub cpumap: Opaque,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_emulator_pin_info_args`.
    pub struct DomainGetEmulatorPinInfoArgs {
        pub dom: NonnullDomain,
        pub maplen: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_emulator_pin_info_ret`.
    pub struct DomainGetEmulatorPinInfoRet {
        #[max = CPUMAPS_MAX] pub cpumaps: Opaque,
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_domain_get_vcpus_args`.
    pub struct DomainGetVcpusArgs {
        pub dom: NonnullDomain,
        pub maxinfo: i32,
        pub maplen: i32,
    }
}

xdr_struct! {
    /// `remote_domain_get_vcpus_ret`.
    pub struct DomainGetVcpusRet {
        #[max = VCPUINFO_MAX] pub info: Vec<VcpuInfo>,
        #[max = CPUMAPS_MAX] pub cpumaps: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_get_max_vcpus_args`.
    pub struct DomainGetMaxVcpusArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_max_vcpus_ret`.
    pub struct DomainGetMaxVcpusRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_domain_iothread_info`.
    pub struct DomainIothreadInfo {
        pub iothread_id: u32,
        #[max = CPUMAP_MAX] pub cpumap: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_get_iothread_info_args`.
    pub struct DomainGetIothreadInfoArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_iothread_info_ret`.
    pub struct DomainGetIothreadInfoRet {
        #[max = IOTHREAD_INFO_MAX] pub info: Vec<DomainIothreadInfo>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_domain_pin_iothread_args`.
    pub struct DomainPinIothreadArgs {
        pub dom: NonnullDomain,
        pub iothreads_id: u32,
        #[max = CPUMAP_MAX] pub cpumap: Opaque,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_add_iothread_args`.
    pub struct DomainAddIothreadArgs {
        pub dom: NonnullDomain,
        pub iothread_id: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_del_iothread_args`.
    pub struct DomainDelIothreadArgs {
        pub dom: NonnullDomain,
        pub iothread_id: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_iothread_params_args`.
    pub struct DomainSetIothreadParamsArgs {
        pub dom: NonnullDomain,
        pub iothread_id: u32,
        #[max = DOMAIN_IOTHREAD_PARAMS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_security_label_args`.
    pub struct DomainGetSecurityLabelArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_security_label_ret`.
    pub struct DomainGetSecurityLabelRet {
        #[max = SECURITY_LABEL_MAX] pub label: CharArray,
        pub enforcing: i32,
    }
}

xdr_struct! {
    /// `remote_domain_get_security_label_list_args`.
    pub struct DomainGetSecurityLabelListArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_security_label_list_ret`.
    pub struct DomainGetSecurityLabelListRet {
        #[max = SECURITY_LABEL_LIST_MAX] pub labels: Vec<DomainGetSecurityLabelRet>,
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_node_get_security_model_ret`.
    pub struct NodeGetSecurityModelRet {
        #[max = SECURITY_MODEL_MAX] pub model: CharArray,
        #[max = SECURITY_DOI_MAX] pub doi: CharArray,
    }
}

xdr_struct! {
    /// `remote_domain_attach_device_args`.
    pub struct DomainAttachDeviceArgs {
        pub dom: NonnullDomain,
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_attach_device_flags_args`.
    pub struct DomainAttachDeviceFlagsArgs {
        pub dom: NonnullDomain,
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_detach_device_args`.
    pub struct DomainDetachDeviceArgs {
        pub dom: NonnullDomain,
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_detach_device_flags_args`.
    pub struct DomainDetachDeviceFlagsArgs {
        pub dom: NonnullDomain,
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_update_device_flags_args`.
    pub struct DomainUpdateDeviceFlagsArgs {
        pub dom: NonnullDomain,
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_detach_device_alias_args`.
    pub struct DomainDetachDeviceAliasArgs {
        pub dom: NonnullDomain,
        pub alias: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_autostart_args`.
    pub struct DomainGetAutostartArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_autostart_ret`.
    pub struct DomainGetAutostartRet {
        pub autostart: i32,
    }
}

xdr_struct! {
    /// `remote_domain_set_autostart_args`.
    pub struct DomainSetAutostartArgs {
        pub dom: NonnullDomain,
        pub autostart: i32,
    }
}

xdr_struct! {
    /// `remote_domain_set_metadata_args`.
    pub struct DomainSetMetadataArgs {
        pub dom: NonnullDomain,
        pub type_: i32,
        pub metadata: Option<String>,
        pub key: Option<String>,
        pub uri: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_metadata_args`.
    pub struct DomainGetMetadataArgs {
        pub dom: NonnullDomain,
        pub type_: i32,
        pub uri: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_metadata_ret`.
    pub struct DomainGetMetadataRet {
        pub metadata: String,
    }
}

xdr_struct! {
    /// `remote_domain_block_job_abort_args`.
    pub struct DomainBlockJobAbortArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_block_job_info_args`.
    pub struct DomainGetBlockJobInfoArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_block_job_info_ret`.
    pub struct DomainGetBlockJobInfoRet {
        pub found: i32,
        pub type_: i32,
        pub bandwidth: u64,
        pub cur: u64,
        pub end: u64,
    }
}

xdr_struct! {
    /// `remote_domain_block_job_set_speed_args`.
    pub struct DomainBlockJobSetSpeedArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub bandwidth: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_block_pull_args`.
    pub struct DomainBlockPullArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub bandwidth: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_block_rebase_args`.
    pub struct DomainBlockRebaseArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub base: Option<String>,
        pub bandwidth: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_block_copy_args`.
    pub struct DomainBlockCopyArgs {
        pub dom: NonnullDomain,
        pub path: String,
        pub destxml: String,
        #[max = DOMAIN_BLOCK_COPY_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_block_commit_args`.
    pub struct DomainBlockCommitArgs {
        pub dom: NonnullDomain,
        pub disk: String,
        pub base: Option<String>,
        pub top: Option<String>,
        pub bandwidth: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_block_io_tune_args`.
    pub struct DomainSetBlockIoTuneArgs {
        pub dom: NonnullDomain,
        pub disk: String,
        #[max = DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_block_io_tune_args`.
    pub struct DomainGetBlockIoTuneArgs {
        pub dom: NonnullDomain,
        pub disk: Option<String>,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_block_io_tune_ret`.
    pub struct DomainGetBlockIoTuneRet {
        #[max = DOMAIN_BLOCK_IO_TUNE_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_get_cpu_stats_args`.
    pub struct DomainGetCpuStatsArgs {
        pub dom: NonnullDomain,
        pub nparams: u32,
        pub start_cpu: i32,
        pub ncpus: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_cpu_stats_ret`.
    pub struct DomainGetCpuStatsRet {
        #[max = DOMAIN_GET_CPU_STATS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_get_hostname_args`.
    pub struct DomainGetHostnameArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_hostname_ret`.
    pub struct DomainGetHostnameRet {
        pub hostname: String,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_networks_ret`.
    pub struct ConnectNumOfNetworksRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_networks_args`.
    pub struct ConnectListNetworksArgs {
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_networks_ret`.
    pub struct ConnectListNetworksRet {
        #[max = NETWORK_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_defined_networks_ret`.
    pub struct ConnectNumOfDefinedNetworksRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_defined_networks_args`.
    pub struct ConnectListDefinedNetworksArgs {
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_defined_networks_ret`.
    pub struct ConnectListDefinedNetworksRet {
        #[max = NETWORK_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_network_lookup_by_uuid_args`.
    pub struct NetworkLookupByUuidArgs {
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_network_lookup_by_uuid_ret`.
    pub struct NetworkLookupByUuidRet {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_lookup_by_name_args`.
    pub struct NetworkLookupByNameArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_network_lookup_by_name_ret`.
    pub struct NetworkLookupByNameRet {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_create_xml_args`.
    pub struct NetworkCreateXmlArgs {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_network_create_xml_ret`.
    pub struct NetworkCreateXmlRet {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_create_xml_flags_args`.
    pub struct NetworkCreateXmlFlagsArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_create_xml_flags_ret`.
    pub struct NetworkCreateXmlFlagsRet {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_define_xml_args`.
    pub struct NetworkDefineXmlArgs {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_network_define_xml_ret`.
    pub struct NetworkDefineXmlRet {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_define_xml_flags_args`.
    pub struct NetworkDefineXmlFlagsArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_define_xml_flags_ret`.
    pub struct NetworkDefineXmlFlagsRet {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_undefine_args`.
    pub struct NetworkUndefineArgs {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_update_args`.
    pub struct NetworkUpdateArgs {
        pub net: NonnullNetwork,
        pub command: u32,
        pub section: u32,
        pub parentIndex: i32,
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_create_args`.
    pub struct NetworkCreateArgs {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_destroy_args`.
    pub struct NetworkDestroyArgs {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_get_xml_desc_args`.
    pub struct NetworkGetXmlDescArgs {
        pub net: NonnullNetwork,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_get_xml_desc_ret`.
    pub struct NetworkGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_network_get_bridge_name_args`.
    pub struct NetworkGetBridgeNameArgs {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_get_bridge_name_ret`.
    pub struct NetworkGetBridgeNameRet {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_network_get_autostart_args`.
    pub struct NetworkGetAutostartArgs {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_get_autostart_ret`.
    pub struct NetworkGetAutostartRet {
        pub autostart: i32,
    }
}

xdr_struct! {
    /// `remote_network_set_autostart_args`.
    pub struct NetworkSetAutostartArgs {
        pub net: NonnullNetwork,
        pub autostart: i32,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_nwfilters_ret`.
    pub struct ConnectNumOfNwfiltersRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_nwfilters_args`.
    pub struct ConnectListNwfiltersArgs {
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_nwfilters_ret`.
    pub struct ConnectListNwfiltersRet {
        #[max = NWFILTER_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_nwfilter_lookup_by_uuid_args`.
    pub struct NwfilterLookupByUuidArgs {
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_nwfilter_lookup_by_uuid_ret`.
    pub struct NwfilterLookupByUuidRet {
        pub nwfilter: NonnullNwfilter,
    }
}

xdr_struct! {
    /// `remote_nwfilter_lookup_by_name_args`.
    pub struct NwfilterLookupByNameArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_nwfilter_lookup_by_name_ret`.
    pub struct NwfilterLookupByNameRet {
        pub nwfilter: NonnullNwfilter,
    }
}

xdr_struct! {
    /// `remote_nwfilter_define_xml_args`.
    pub struct NwfilterDefineXmlArgs {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_nwfilter_define_xml_ret`.
    pub struct NwfilterDefineXmlRet {
        pub nwfilter: NonnullNwfilter,
    }
}

xdr_struct! {
    /// `remote_nwfilter_define_xml_flags_args`.
    pub struct NwfilterDefineXmlFlagsArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_nwfilter_define_xml_flags_ret`.
    pub struct NwfilterDefineXmlFlagsRet {
        pub nwfilter: NonnullNwfilter,
    }
}

xdr_struct! {
    /// `remote_nwfilter_undefine_args`.
    pub struct NwfilterUndefineArgs {
        pub nwfilter: NonnullNwfilter,
    }
}

xdr_struct! {
    /// `remote_nwfilter_get_xml_desc_args`.
    pub struct NwfilterGetXmlDescArgs {
        pub nwfilter: NonnullNwfilter,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_nwfilter_get_xml_desc_ret`.
    pub struct NwfilterGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_interfaces_ret`.
    pub struct ConnectNumOfInterfacesRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_interfaces_args`.
    pub struct ConnectListInterfacesArgs {
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_interfaces_ret`.
    pub struct ConnectListInterfacesRet {
        #[max = INTERFACE_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_defined_interfaces_ret`.
    pub struct ConnectNumOfDefinedInterfacesRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_defined_interfaces_args`.
    pub struct ConnectListDefinedInterfacesArgs {
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_defined_interfaces_ret`.
    pub struct ConnectListDefinedInterfacesRet {
        #[max = INTERFACE_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_interface_lookup_by_name_args`.
    pub struct InterfaceLookupByNameArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_interface_lookup_by_name_ret`.
    pub struct InterfaceLookupByNameRet {
        pub iface: NonnullInterface,
    }
}

xdr_struct! {
    /// `remote_interface_lookup_by_mac_string_args`.
    pub struct InterfaceLookupByMacStringArgs {
        pub mac: String,
    }
}

xdr_struct! {
    /// `remote_interface_lookup_by_mac_string_ret`.
    pub struct InterfaceLookupByMacStringRet {
        pub iface: NonnullInterface,
    }
}

xdr_struct! {
    /// `remote_interface_get_xml_desc_args`.
    pub struct InterfaceGetXmlDescArgs {
        pub iface: NonnullInterface,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_interface_get_xml_desc_ret`.
    pub struct InterfaceGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_interface_define_xml_args`.
    pub struct InterfaceDefineXmlArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_interface_define_xml_ret`.
    pub struct InterfaceDefineXmlRet {
        pub iface: NonnullInterface,
    }
}

xdr_struct! {
    /// `remote_interface_undefine_args`.
    pub struct InterfaceUndefineArgs {
        pub iface: NonnullInterface,
    }
}

xdr_struct! {
    /// `remote_interface_create_args`.
    pub struct InterfaceCreateArgs {
        pub iface: NonnullInterface,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_interface_destroy_args`.
    pub struct InterfaceDestroyArgs {
        pub iface: NonnullInterface,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_interface_change_begin_args`.
    pub struct InterfaceChangeBeginArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_interface_change_commit_args`.
    pub struct InterfaceChangeCommitArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_interface_change_rollback_args`.
    pub struct InterfaceChangeRollbackArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_auth_list_ret`.
    pub struct AuthListRet {
        #[max = AUTH_TYPE_LIST_MAX] pub types: Vec<i32>,
    }
}

xdr_struct! {
    /// `remote_auth_sasl_init_ret`.
    pub struct AuthSaslInitRet {
        pub mechlist: String,
    }
}

xdr_struct! {
    /// `remote_auth_sasl_start_args`.
    pub struct AuthSaslStartArgs {
        pub mech: String,
        pub nil: i32,
        #[max = AUTH_SASL_DATA_MAX] pub data: CharArray,
    }
}

xdr_struct! {
    /// `remote_auth_sasl_start_ret`.
    pub struct AuthSaslStartRet {
        pub complete: i32,
        pub nil: i32,
        #[max = AUTH_SASL_DATA_MAX] pub data: CharArray,
    }
}

xdr_struct! {
    /// `remote_auth_sasl_step_args`.
    pub struct AuthSaslStepArgs {
        pub nil: i32,
        #[max = AUTH_SASL_DATA_MAX] pub data: CharArray,
    }
}

xdr_struct! {
    /// `remote_auth_sasl_step_ret`.
    pub struct AuthSaslStepRet {
        pub complete: i32,
        pub nil: i32,
        #[max = AUTH_SASL_DATA_MAX] pub data: CharArray,
    }
}

xdr_struct! {
    /// `remote_auth_polkit_ret`.
    pub struct AuthPolkitRet {
        pub complete: i32,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_storage_pools_ret`.
    pub struct ConnectNumOfStoragePoolsRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_storage_pools_args`.
    pub struct ConnectListStoragePoolsArgs {
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_storage_pools_ret`.
    pub struct ConnectListStoragePoolsRet {
        #[max = STORAGE_POOL_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_defined_storage_pools_ret`.
    pub struct ConnectNumOfDefinedStoragePoolsRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_defined_storage_pools_args`.
    pub struct ConnectListDefinedStoragePoolsArgs {
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_defined_storage_pools_ret`.
    pub struct ConnectListDefinedStoragePoolsRet {
        #[max = STORAGE_POOL_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_connect_find_storage_pool_sources_args`.
    pub struct ConnectFindStoragePoolSourcesArgs {
        pub type_: String,
        pub srcSpec: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_find_storage_pool_sources_ret`.
    pub struct ConnectFindStoragePoolSourcesRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_storage_pool_lookup_by_uuid_args`.
    pub struct StoragePoolLookupByUuidArgs {
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_storage_pool_lookup_by_uuid_ret`.
    pub struct StoragePoolLookupByUuidRet {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_lookup_by_name_args`.
    pub struct StoragePoolLookupByNameArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_storage_pool_lookup_by_name_ret`.
    pub struct StoragePoolLookupByNameRet {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_lookup_by_volume_args`.
    pub struct StoragePoolLookupByVolumeArgs {
        pub vol: NonnullStorageVol,
    }
}

xdr_struct! {
    /// `remote_storage_pool_lookup_by_volume_ret`.
    pub struct StoragePoolLookupByVolumeRet {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_lookup_by_target_path_args`.
    pub struct StoragePoolLookupByTargetPathArgs {
        pub path: String,
    }
}

xdr_struct! {
    /// `remote_storage_pool_lookup_by_target_path_ret`.
    pub struct StoragePoolLookupByTargetPathRet {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_create_xml_args`.
    pub struct StoragePoolCreateXmlArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_create_xml_ret`.
    pub struct StoragePoolCreateXmlRet {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_define_xml_args`.
    pub struct StoragePoolDefineXmlArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_define_xml_ret`.
    pub struct StoragePoolDefineXmlRet {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_build_args`.
    pub struct StoragePoolBuildArgs {
        pub pool: NonnullStoragePool,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_undefine_args`.
    pub struct StoragePoolUndefineArgs {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_create_args`.
    pub struct StoragePoolCreateArgs {
        pub pool: NonnullStoragePool,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_destroy_args`.
    pub struct StoragePoolDestroyArgs {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_delete_args`.
    pub struct StoragePoolDeleteArgs {
        pub pool: NonnullStoragePool,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_refresh_args`.
    pub struct StoragePoolRefreshArgs {
        pub pool: NonnullStoragePool,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_get_xml_desc_args`.
    pub struct StoragePoolGetXmlDescArgs {
        pub pool: NonnullStoragePool,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_get_xml_desc_ret`.
    pub struct StoragePoolGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_storage_pool_get_info_args`.
    pub struct StoragePoolGetInfoArgs {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_get_info_ret`.
    pub struct StoragePoolGetInfoRet {
        pub state: u32,
        pub capacity: u64,
        pub allocation: u64,
        pub available: u64,
    }
}

xdr_struct! {
    /// `remote_storage_pool_get_autostart_args`.
    pub struct StoragePoolGetAutostartArgs {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_get_autostart_ret`.
    pub struct StoragePoolGetAutostartRet {
        pub autostart: i32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_set_autostart_args`.
    pub struct StoragePoolSetAutostartArgs {
        pub pool: NonnullStoragePool,
        pub autostart: i32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_num_of_volumes_args`.
    pub struct StoragePoolNumOfVolumesArgs {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_num_of_volumes_ret`.
    pub struct StoragePoolNumOfVolumesRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_list_volumes_args`.
    pub struct StoragePoolListVolumesArgs {
        pub pool: NonnullStoragePool,
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_list_volumes_ret`.
    pub struct StoragePoolListVolumesRet {
        #[max = STORAGE_VOL_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_storage_vol_lookup_by_name_args`.
    pub struct StorageVolLookupByNameArgs {
        pub pool: NonnullStoragePool,
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_storage_vol_lookup_by_name_ret`.
    pub struct StorageVolLookupByNameRet {
        pub vol: NonnullStorageVol,
    }
}

xdr_struct! {
    /// `remote_storage_vol_lookup_by_key_args`.
    pub struct StorageVolLookupByKeyArgs {
        pub key: String,
    }
}

xdr_struct! {
    /// `remote_storage_vol_lookup_by_key_ret`.
    pub struct StorageVolLookupByKeyRet {
        pub vol: NonnullStorageVol,
    }
}

xdr_struct! {
    /// `remote_storage_vol_lookup_by_path_args`.
    pub struct StorageVolLookupByPathArgs {
        pub path: String,
    }
}

xdr_struct! {
    /// `remote_storage_vol_lookup_by_path_ret`.
    pub struct StorageVolLookupByPathRet {
        pub vol: NonnullStorageVol,
    }
}

xdr_struct! {
    /// `remote_storage_vol_create_xml_args`.
    pub struct StorageVolCreateXmlArgs {
        pub pool: NonnullStoragePool,
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_create_xml_ret`.
    pub struct StorageVolCreateXmlRet {
        pub vol: NonnullStorageVol,
    }
}

xdr_struct! {
    /// `remote_storage_vol_create_xml_from_args`.
    pub struct StorageVolCreateXmlFromArgs {
        pub pool: NonnullStoragePool,
        pub xml: String,
        pub clonevol: NonnullStorageVol,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_create_xml_from_ret`.
    pub struct StorageVolCreateXmlFromRet {
        pub vol: NonnullStorageVol,
    }
}

xdr_struct! {
    /// `remote_storage_vol_delete_args`.
    pub struct StorageVolDeleteArgs {
        pub vol: NonnullStorageVol,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_wipe_args`.
    pub struct StorageVolWipeArgs {
        pub vol: NonnullStorageVol,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_wipe_pattern_args`.
    pub struct StorageVolWipePatternArgs {
        pub vol: NonnullStorageVol,
        pub algorithm: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_get_xml_desc_args`.
    pub struct StorageVolGetXmlDescArgs {
        pub vol: NonnullStorageVol,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_get_xml_desc_ret`.
    pub struct StorageVolGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_storage_vol_get_info_args`.
    pub struct StorageVolGetInfoArgs {
        pub vol: NonnullStorageVol,
    }
}

xdr_struct! {
    /// `remote_storage_vol_get_info_ret`.
    pub struct StorageVolGetInfoRet {
        pub type_: i32,
        pub capacity: u64,
        pub allocation: u64,
    }
}

xdr_struct! {
    /// `remote_storage_vol_get_info_flags_args`.
    pub struct StorageVolGetInfoFlagsArgs {
        pub vol: NonnullStorageVol,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_get_info_flags_ret`.
    pub struct StorageVolGetInfoFlagsRet {
        pub type_: i32,
        pub capacity: u64,
        pub allocation: u64,
    }
}

xdr_struct! {
    /// `remote_storage_vol_get_path_args`.
    pub struct StorageVolGetPathArgs {
        pub vol: NonnullStorageVol,
    }
}

xdr_struct! {
    /// `remote_storage_vol_get_path_ret`.
    pub struct StorageVolGetPathRet {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_storage_vol_resize_args`.
    pub struct StorageVolResizeArgs {
        pub vol: NonnullStorageVol,
        pub capacity: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_num_of_devices_args`.
    pub struct NodeNumOfDevicesArgs {
        pub cap: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_num_of_devices_ret`.
    pub struct NodeNumOfDevicesRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_node_list_devices_args`.
    pub struct NodeListDevicesArgs {
        pub cap: Option<String>,
        pub maxnames: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_list_devices_ret`.
    pub struct NodeListDevicesRet {
        #[max = NODE_DEVICE_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_node_device_lookup_by_name_args`.
    pub struct NodeDeviceLookupByNameArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_lookup_by_name_ret`.
    pub struct NodeDeviceLookupByNameRet {
        pub dev: NonnullNodeDevice,
    }
}

xdr_struct! {
    /// `remote_node_device_lookup_scsi_host_by_wwn_args`.
    pub struct NodeDeviceLookupScsiHostByWwnArgs {
        pub wwnn: String,
        pub wwpn: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_device_lookup_scsi_host_by_wwn_ret`.
    pub struct NodeDeviceLookupScsiHostByWwnRet {
        pub dev: NonnullNodeDevice,
    }
}

xdr_struct! {
    /// `remote_node_device_get_xml_desc_args`.
    pub struct NodeDeviceGetXmlDescArgs {
        pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_device_get_xml_desc_ret`.
    pub struct NodeDeviceGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_node_device_get_parent_args`.
    pub struct NodeDeviceGetParentArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_get_parent_ret`.
    pub struct NodeDeviceGetParentRet {
        pub parentName: Option<String>,
    }
}

xdr_struct! {
    /// `remote_node_device_num_of_caps_args`.
    pub struct NodeDeviceNumOfCapsArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_num_of_caps_ret`.
    pub struct NodeDeviceNumOfCapsRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_node_device_list_caps_args`.
    pub struct NodeDeviceListCapsArgs {
        pub name: String,
        pub maxnames: i32,
    }
}

xdr_struct! {
    /// `remote_node_device_list_caps_ret`.
    pub struct NodeDeviceListCapsRet {
        #[max = NODE_DEVICE_CAPS_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_node_device_dettach_args`.
    pub struct NodeDeviceDettachArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_detach_flags_args`.
    pub struct NodeDeviceDetachFlagsArgs {
        pub name: String,
        pub driverName: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_device_re_attach_args`.
    pub struct NodeDeviceReAttachArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_reset_args`.
    pub struct NodeDeviceResetArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_create_xml_args`.
    pub struct NodeDeviceCreateXmlArgs {
        pub xml_desc: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_device_create_xml_ret`.
    pub struct NodeDeviceCreateXmlRet {
        pub dev: NonnullNodeDevice,
    }
}

xdr_struct! {
    /// `remote_node_device_destroy_args`.
    pub struct NodeDeviceDestroyArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_define_xml_args`.
    pub struct NodeDeviceDefineXmlArgs {
        pub xml_desc: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_device_define_xml_ret`.
    pub struct NodeDeviceDefineXmlRet {
        pub dev: NonnullNodeDevice,
    }
}

xdr_struct! {
    /// `remote_node_device_undefine_args`.
    pub struct NodeDeviceUndefineArgs {
        pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_device_create_args`.
    pub struct NodeDeviceCreateArgs {
        pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_device_get_autostart_args`.
    pub struct NodeDeviceGetAutostartArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_get_autostart_ret`.
    pub struct NodeDeviceGetAutostartRet {
        pub autostart: i32,
    }
}

xdr_struct! {
    /// `remote_node_device_set_autostart_args`.
    pub struct NodeDeviceSetAutostartArgs {
        pub name: String,
        pub autostart: i32,
    }
}

xdr_struct! {
    /// `remote_node_device_is_persistent_args`.
    pub struct NodeDeviceIsPersistentArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_is_persistent_ret`.
    pub struct NodeDeviceIsPersistentRet {
        pub persistent: i32,
    }
}

xdr_struct! {
    /// `remote_node_device_is_active_args`.
    pub struct NodeDeviceIsActiveArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_node_device_is_active_ret`.
    pub struct NodeDeviceIsActiveRet {
        pub active: i32,
    }
}

xdr_struct! {
    /// `remote_connect_domain_event_register_ret`.
    pub struct ConnectDomainEventRegisterRet {
        pub cb_registered: i32,
    }
}

xdr_struct! {
    /// `remote_connect_domain_event_deregister_ret`.
    pub struct ConnectDomainEventDeregisterRet {
        pub cb_registered: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_lifecycle_msg`.
    pub struct DomainEventLifecycleMsg {
        pub dom: NonnullDomain,
        pub event: i32,
        pub detail: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_lifecycle_msg`.
    pub struct DomainEventCallbackLifecycleMsg {
        pub callbackID: i32,
        pub msg: DomainEventLifecycleMsg,
    }
}

xdr_struct! {
    /// `remote_connect_domain_xml_from_native_args`.
    pub struct ConnectDomainXmlFromNativeArgs {
        pub nativeFormat: String,
        pub nativeConfig: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_domain_xml_from_native_ret`.
    pub struct ConnectDomainXmlFromNativeRet {
        pub domainXml: String,
    }
}

xdr_struct! {
    /// `remote_connect_domain_xml_to_native_args`.
    pub struct ConnectDomainXmlToNativeArgs {
        pub nativeFormat: String,
        pub domainXml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_domain_xml_to_native_ret`.
    pub struct ConnectDomainXmlToNativeRet {
        pub nativeConfig: String,
    }
}

xdr_struct! {
    /// `remote_connect_num_of_secrets_ret`.
    pub struct ConnectNumOfSecretsRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_secrets_args`.
    pub struct ConnectListSecretsArgs {
        pub maxuuids: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_secrets_ret`.
    pub struct ConnectListSecretsRet {
        #[max = SECRET_LIST_MAX] pub uuids: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_secret_lookup_by_uuid_args`.
    pub struct SecretLookupByUuidArgs {
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_secret_lookup_by_uuid_ret`.
    pub struct SecretLookupByUuidRet {
        pub secret: NonnullSecret,
    }
}

xdr_struct! {
    /// `remote_secret_define_xml_args`.
    pub struct SecretDefineXmlArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_secret_define_xml_ret`.
    pub struct SecretDefineXmlRet {
        pub secret: NonnullSecret,
    }
}

xdr_struct! {
    /// `remote_secret_get_xml_desc_args`.
    pub struct SecretGetXmlDescArgs {
        pub secret: NonnullSecret,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_secret_get_xml_desc_ret`.
    pub struct SecretGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_secret_set_value_args`.
    pub struct SecretSetValueArgs {
        pub secret: NonnullSecret,
        #[max = SECRET_VALUE_MAX] pub value: Opaque,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_secret_get_value_args`.
    pub struct SecretGetValueArgs {
        pub secret: NonnullSecret,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_secret_get_value_ret`.
    pub struct SecretGetValueRet {
        #[max = SECRET_VALUE_MAX] pub value: Opaque,
    }
}

xdr_struct! {
    /// `remote_secret_undefine_args`.
    pub struct SecretUndefineArgs {
        pub secret: NonnullSecret,
    }
}

xdr_struct! {
    /// `remote_secret_lookup_by_usage_args`.
    pub struct SecretLookupByUsageArgs {
        pub usageType: i32,
        pub usageID: String,
    }
}

xdr_struct! {
    /// `remote_secret_lookup_by_usage_ret`.
    pub struct SecretLookupByUsageRet {
        pub secret: NonnullSecret,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare_tunnel_args`.
    pub struct DomainMigratePrepareTunnelArgs {
        pub flags: u64,
        pub dname: Option<String>,
        pub resource: u64,
        pub dom_xml: String,
    }
}

xdr_struct! {
    /// `remote_connect_is_secure_ret`.
    pub struct ConnectIsSecureRet {
        pub secure: i32,
    }
}

xdr_struct! {
    /// `remote_domain_is_active_args`.
    pub struct DomainIsActiveArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_is_active_ret`.
    pub struct DomainIsActiveRet {
        pub active: i32,
    }
}

xdr_struct! {
    /// `remote_domain_is_persistent_args`.
    pub struct DomainIsPersistentArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_is_persistent_ret`.
    pub struct DomainIsPersistentRet {
        pub persistent: i32,
    }
}

xdr_struct! {
    /// `remote_domain_is_updated_args`.
    pub struct DomainIsUpdatedArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_is_updated_ret`.
    pub struct DomainIsUpdatedRet {
        pub updated: i32,
    }
}

xdr_struct! {
    /// `remote_network_is_active_args`.
    pub struct NetworkIsActiveArgs {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_is_active_ret`.
    pub struct NetworkIsActiveRet {
        pub active: i32,
    }
}

xdr_struct! {
    /// `remote_network_is_persistent_args`.
    pub struct NetworkIsPersistentArgs {
        pub net: NonnullNetwork,
    }
}

xdr_struct! {
    /// `remote_network_is_persistent_ret`.
    pub struct NetworkIsPersistentRet {
        pub persistent: i32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_is_active_args`.
    pub struct StoragePoolIsActiveArgs {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_is_active_ret`.
    pub struct StoragePoolIsActiveRet {
        pub active: i32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_is_persistent_args`.
    pub struct StoragePoolIsPersistentArgs {
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_storage_pool_is_persistent_ret`.
    pub struct StoragePoolIsPersistentRet {
        pub persistent: i32,
    }
}

xdr_struct! {
    /// `remote_interface_is_active_args`.
    pub struct InterfaceIsActiveArgs {
        pub iface: NonnullInterface,
    }
}

xdr_struct! {
    /// `remote_interface_is_active_ret`.
    pub struct InterfaceIsActiveRet {
        pub active: i32,
    }
}

xdr_struct! {
    /// `remote_connect_compare_cpu_args`.
    pub struct ConnectCompareCpuArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_compare_cpu_ret`.
    pub struct ConnectCompareCpuRet {
        pub result: i32,
    }
}

xdr_struct! {
    /// `remote_connect_baseline_cpu_args`.
    pub struct ConnectBaselineCpuArgs {
        #[max = CPU_BASELINE_MAX] pub xmlCPUs: Vec<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_baseline_cpu_ret`.
    pub struct ConnectBaselineCpuRet {
        pub cpu: String,
    }
}

xdr_struct! {
    /// `remote_domain_get_job_info_args`.
    pub struct DomainGetJobInfoArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_get_job_info_ret`.
    pub struct DomainGetJobInfoRet {
        pub type_: i32,
        pub timeElapsed: u64,
        pub timeRemaining: u64,
        pub dataTotal: u64,
        pub dataProcessed: u64,
        pub dataRemaining: u64,
        pub memTotal: u64,
        pub memProcessed: u64,
        pub memRemaining: u64,
        pub fileTotal: u64,
        pub fileProcessed: u64,
        pub fileRemaining: u64,
    }
}

xdr_struct! {
    /// `remote_domain_get_job_stats_args`.
    pub struct DomainGetJobStatsArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_job_stats_ret`.
    pub struct DomainGetJobStatsRet {
        pub type_: i32,
        #[max = DOMAIN_JOB_STATS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_abort_job_args`.
    pub struct DomainAbortJobArgs {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_abort_job_flags_args`.
    pub struct DomainAbortJobFlagsArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_get_max_downtime_args`.
    pub struct DomainMigrateGetMaxDowntimeArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_get_max_downtime_ret`.
    pub struct DomainMigrateGetMaxDowntimeRet {
        pub downtime: u64,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_set_max_downtime_args`.
    pub struct DomainMigrateSetMaxDowntimeArgs {
        pub dom: NonnullDomain,
        pub downtime: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_get_compression_cache_args`.
    pub struct DomainMigrateGetCompressionCacheArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_get_compression_cache_ret`.
    pub struct DomainMigrateGetCompressionCacheRet {
        pub cacheSize: u64,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_set_compression_cache_args`.
    pub struct DomainMigrateSetCompressionCacheArgs {
        pub dom: NonnullDomain,
        pub cacheSize: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_set_max_speed_args`.
    pub struct DomainMigrateSetMaxSpeedArgs {
        pub dom: NonnullDomain,
        pub bandwidth: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_get_max_speed_args`.
    pub struct DomainMigrateGetMaxSpeedArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_get_max_speed_ret`.
    pub struct DomainMigrateGetMaxSpeedRet {
        pub bandwidth: u64,
    }
}

xdr_struct! {
    /// `remote_connect_domain_event_register_any_args`.
    pub struct ConnectDomainEventRegisterAnyArgs {
        pub eventID: i32,
    }
}

xdr_struct! {
    /// `remote_connect_domain_event_deregister_any_args`.
    pub struct ConnectDomainEventDeregisterAnyArgs {
        pub eventID: i32,
    }
}

xdr_struct! {
    /// `remote_connect_domain_event_callback_register_any_args`.
    pub struct ConnectDomainEventCallbackRegisterAnyArgs {
        pub eventID: i32,
        pub dom: Option<NonnullDomain>,
    }
}

xdr_struct! {
    /// `remote_connect_domain_event_callback_register_any_ret`.
    pub struct ConnectDomainEventCallbackRegisterAnyRet {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_connect_domain_event_callback_deregister_any_args`.
    pub struct ConnectDomainEventCallbackDeregisterAnyArgs {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_reboot_msg`.
    pub struct DomainEventRebootMsg {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_reboot_msg`.
    pub struct DomainEventCallbackRebootMsg {
        pub callbackID: i32,
        pub msg: DomainEventRebootMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_rtc_change_msg`.
    pub struct DomainEventRtcChangeMsg {
        pub dom: NonnullDomain,
        pub offset: i64,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_rtc_change_msg`.
    pub struct DomainEventCallbackRtcChangeMsg {
        pub callbackID: i32,
        pub msg: DomainEventRtcChangeMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_watchdog_msg`.
    pub struct DomainEventWatchdogMsg {
        pub dom: NonnullDomain,
        pub action: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_watchdog_msg`.
    pub struct DomainEventCallbackWatchdogMsg {
        pub callbackID: i32,
        pub msg: DomainEventWatchdogMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_io_error_msg`.
    pub struct DomainEventIoErrorMsg {
        pub dom: NonnullDomain,
        pub srcPath: String,
        pub devAlias: String,
        pub action: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_io_error_msg`.
    pub struct DomainEventCallbackIoErrorMsg {
        pub callbackID: i32,
        pub msg: DomainEventIoErrorMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_io_error_reason_msg`.
    pub struct DomainEventIoErrorReasonMsg {
        pub dom: NonnullDomain,
        pub srcPath: String,
        pub devAlias: String,
        pub action: i32,
        pub reason: String,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_io_error_reason_msg`.
    pub struct DomainEventCallbackIoErrorReasonMsg {
        pub callbackID: i32,
        pub msg: DomainEventIoErrorReasonMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_graphics_address`.
    pub struct DomainEventGraphicsAddress {
        pub family: i32,
        pub node: String,
        pub service: String,
    }
}

xdr_struct! {
    /// `remote_domain_event_graphics_identity`.
    pub struct DomainEventGraphicsIdentity {
        pub type_: String,
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_domain_event_graphics_msg`.
    pub struct DomainEventGraphicsMsg {
        pub dom: NonnullDomain,
        pub phase: i32,
        pub local: DomainEventGraphicsAddress,
        pub remote: DomainEventGraphicsAddress,
        pub authScheme: String,
        #[max = DOMAIN_EVENT_GRAPHICS_IDENTITY_MAX] pub subject: Vec<DomainEventGraphicsIdentity>,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_graphics_msg`.
    pub struct DomainEventCallbackGraphicsMsg {
        pub callbackID: i32,
        pub msg: DomainEventGraphicsMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_block_job_msg`.
    pub struct DomainEventBlockJobMsg {
        pub dom: NonnullDomain,
        pub path: String,
        pub type_: i32,
        pub status: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_block_job_msg`.
    pub struct DomainEventCallbackBlockJobMsg {
        pub callbackID: i32,
        pub msg: DomainEventBlockJobMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_disk_change_msg`.
    pub struct DomainEventDiskChangeMsg {
        pub dom: NonnullDomain,
        pub oldSrcPath: Option<String>,
        pub newSrcPath: Option<String>,
        pub devAlias: String,
        pub reason: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_disk_change_msg`.
    pub struct DomainEventCallbackDiskChangeMsg {
        pub callbackID: i32,
        pub msg: DomainEventDiskChangeMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_tray_change_msg`.
    pub struct DomainEventTrayChangeMsg {
        pub dom: NonnullDomain,
        pub devAlias: String,
        pub reason: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_tray_change_msg`.
    pub struct DomainEventCallbackTrayChangeMsg {
        pub callbackID: i32,
        pub msg: DomainEventTrayChangeMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_pmwakeup_msg`.
    pub struct DomainEventPmwakeupMsg {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_pmwakeup_msg`.
    pub struct DomainEventCallbackPmwakeupMsg {
        pub callbackID: i32,
        pub reason: i32,
        pub msg: DomainEventPmwakeupMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_pmsuspend_msg`.
    pub struct DomainEventPmsuspendMsg {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_pmsuspend_msg`.
    pub struct DomainEventCallbackPmsuspendMsg {
        pub callbackID: i32,
        pub reason: i32,
        pub msg: DomainEventPmsuspendMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_balloon_change_msg`.
    pub struct DomainEventBalloonChangeMsg {
        pub dom: NonnullDomain,
        pub actual: u64,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_balloon_change_msg`.
    pub struct DomainEventCallbackBalloonChangeMsg {
        pub callbackID: i32,
        pub msg: DomainEventBalloonChangeMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_pmsuspend_disk_msg`.
    pub struct DomainEventPmsuspendDiskMsg {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_pmsuspend_disk_msg`.
    pub struct DomainEventCallbackPmsuspendDiskMsg {
        pub callbackID: i32,
        pub reason: i32,
        pub msg: DomainEventPmsuspendDiskMsg,
    }
}

xdr_struct! {
    /// `remote_domain_managed_save_args`.
    pub struct DomainManagedSaveArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_has_managed_save_image_args`.
    pub struct DomainHasManagedSaveImageArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_has_managed_save_image_ret`.
    pub struct DomainHasManagedSaveImageRet {
        pub result: i32,
    }
}

xdr_struct! {
    /// `remote_domain_managed_save_remove_args`.
    pub struct DomainManagedSaveRemoveArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_managed_save_get_xml_desc_args`.
    pub struct DomainManagedSaveGetXmlDescArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_managed_save_get_xml_desc_ret`.
    pub struct DomainManagedSaveGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_managed_save_define_xml_args`.
    pub struct DomainManagedSaveDefineXmlArgs {
        pub dom: NonnullDomain,
        pub dxml: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_create_xml_args`.
    pub struct DomainSnapshotCreateXmlArgs {
        pub dom: NonnullDomain,
        pub xml_desc: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_create_xml_ret`.
    pub struct DomainSnapshotCreateXmlRet {
        pub snap: NonnullDomainSnapshot,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_get_xml_desc_args`.
    pub struct DomainSnapshotGetXmlDescArgs {
        pub snap: NonnullDomainSnapshot,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_get_xml_desc_ret`.
    pub struct DomainSnapshotGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_num_args`.
    pub struct DomainSnapshotNumArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_num_ret`.
    pub struct DomainSnapshotNumRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_list_names_args`.
    pub struct DomainSnapshotListNamesArgs {
        pub dom: NonnullDomain,
        pub maxnames: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_list_names_ret`.
    pub struct DomainSnapshotListNamesRet {
        #[max = DOMAIN_SNAPSHOT_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_domain_list_all_snapshots_args`.
    pub struct DomainListAllSnapshotsArgs {
        pub dom: NonnullDomain,
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_list_all_snapshots_ret`.
    pub struct DomainListAllSnapshotsRet {
        #[max = DOMAIN_SNAPSHOT_LIST_MAX] pub snapshots: Vec<NonnullDomainSnapshot>,
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_num_children_args`.
    pub struct DomainSnapshotNumChildrenArgs {
        pub snap: NonnullDomainSnapshot,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_num_children_ret`.
    pub struct DomainSnapshotNumChildrenRet {
        pub num: i32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_list_children_names_args`.
    pub struct DomainSnapshotListChildrenNamesArgs {
        pub snap: NonnullDomainSnapshot,
        pub maxnames: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_list_children_names_ret`.
    pub struct DomainSnapshotListChildrenNamesRet {
        #[max = DOMAIN_SNAPSHOT_LIST_MAX] pub names: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_list_all_children_args`.
    pub struct DomainSnapshotListAllChildrenArgs {
        pub snapshot: NonnullDomainSnapshot,
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_list_all_children_ret`.
    pub struct DomainSnapshotListAllChildrenRet {
        #[max = DOMAIN_SNAPSHOT_LIST_MAX] pub snapshots: Vec<NonnullDomainSnapshot>,
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_lookup_by_name_args`.
    pub struct DomainSnapshotLookupByNameArgs {
        pub dom: NonnullDomain,
        pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_lookup_by_name_ret`.
    pub struct DomainSnapshotLookupByNameRet {
        pub snap: NonnullDomainSnapshot,
    }
}

xdr_struct! {
    /// `remote_domain_has_current_snapshot_args`.
    pub struct DomainHasCurrentSnapshotArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_has_current_snapshot_ret`.
    pub struct DomainHasCurrentSnapshotRet {
        pub result: i32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_get_parent_args`.
    pub struct DomainSnapshotGetParentArgs {
        pub snap: NonnullDomainSnapshot,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_get_parent_ret`.
    pub struct DomainSnapshotGetParentRet {
        pub snap: NonnullDomainSnapshot,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_current_args`.
    pub struct DomainSnapshotCurrentArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_current_ret`.
    pub struct DomainSnapshotCurrentRet {
        pub snap: NonnullDomainSnapshot,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_is_current_args`.
    pub struct DomainSnapshotIsCurrentArgs {
        pub snap: NonnullDomainSnapshot,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_is_current_ret`.
    pub struct DomainSnapshotIsCurrentRet {
        pub current: i32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_has_metadata_args`.
    pub struct DomainSnapshotHasMetadataArgs {
        pub snap: NonnullDomainSnapshot,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_has_metadata_ret`.
    pub struct DomainSnapshotHasMetadataRet {
        pub metadata: i32,
    }
}

xdr_struct! {
    /// `remote_domain_revert_to_snapshot_args`.
    pub struct DomainRevertToSnapshotArgs {
        pub snap: NonnullDomainSnapshot,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_snapshot_delete_args`.
    pub struct DomainSnapshotDeleteArgs {
        pub snap: NonnullDomainSnapshot,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_open_console_args`.
    pub struct DomainOpenConsoleArgs {
        pub dom: NonnullDomain,
        pub dev_name: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_open_channel_args`.
    pub struct DomainOpenChannelArgs {
        pub dom: NonnullDomain,
        pub name: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_upload_args`.
    pub struct StorageVolUploadArgs {
        pub vol: NonnullStorageVol,
        pub offset: u64,
        pub length: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_vol_download_args`.
    pub struct StorageVolDownloadArgs {
        pub vol: NonnullStorageVol,
        pub offset: u64,
        pub length: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_state_args`.
    pub struct DomainGetStateArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_state_ret`.
    pub struct DomainGetStateRet {
        pub state: i32,
        pub reason: i32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_begin3_args`.
    pub struct DomainMigrateBegin3Args {
        pub dom: NonnullDomain,
        pub xmlin: Option<String>,
        pub flags: u64,
        pub dname: Option<String>,
        pub resource: u64,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_begin3_ret`.
    pub struct DomainMigrateBegin3Ret {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare3_args`.
    pub struct DomainMigratePrepare3Args {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub uri_in: Option<String>,
        pub flags: u64,
        pub dname: Option<String>,
        pub resource: u64,
        pub dom_xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare3_ret`.
    pub struct DomainMigratePrepare3Ret {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
        pub uri_out: Option<String>,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare_tunnel3_args`.
    pub struct DomainMigratePrepareTunnel3Args {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub flags: u64,
        pub dname: Option<String>,
        pub resource: u64,
        pub dom_xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare_tunnel3_ret`.
    pub struct DomainMigratePrepareTunnel3Ret {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_perform3_args`.
    pub struct DomainMigratePerform3Args {
        pub dom: NonnullDomain,
        pub xmlin: Option<String>,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub dconnuri: Option<String>,
        pub uri: Option<String>,
        pub flags: u64,
        pub dname: Option<String>,
        pub resource: u64,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_perform3_ret`.
    pub struct DomainMigratePerform3Ret {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_finish3_args`.
    pub struct DomainMigrateFinish3Args {
        pub dname: String,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub dconnuri: Option<String>,
        pub uri: Option<String>,
        pub flags: u64,
        pub cancelled: i32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_finish3_ret`.
    pub struct DomainMigrateFinish3Ret {
        pub dom: NonnullDomain,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_confirm3_args`.
    pub struct DomainMigrateConfirm3Args {
        pub dom: NonnullDomain,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub flags: u64,
        pub cancelled: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_control_error_msg`.
    pub struct DomainEventControlErrorMsg {
        pub dom: NonnullDomain,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_control_error_msg`.
    pub struct DomainEventCallbackControlErrorMsg {
        pub callbackID: i32,
        pub msg: DomainEventControlErrorMsg,
    }
}

xdr_struct! {
    /// `remote_domain_get_control_info_args`.
    pub struct DomainGetControlInfoArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_control_info_ret`.
    pub struct DomainGetControlInfoRet {
        pub state: u32,
        pub details: u32,
        pub stateTime: u64,
    }
}

xdr_struct! {
    /// `remote_domain_open_graphics_args`.
    pub struct DomainOpenGraphicsArgs {
        pub dom: NonnullDomain,
        pub idx: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_open_graphics_fd_args`.
    pub struct DomainOpenGraphicsFdArgs {
        pub dom: NonnullDomain,
        pub idx: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_suspend_for_duration_args`.
    pub struct NodeSuspendForDurationArgs {
        pub target: u32,
        pub duration: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_shutdown_flags_args`.
    pub struct DomainShutdownFlagsArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_disk_errors_args`.
    pub struct DomainGetDiskErrorsArgs {
        pub dom: NonnullDomain,
        pub maxerrors: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_disk_errors_ret`.
    pub struct DomainGetDiskErrorsRet {
        #[max = DOMAIN_DISK_ERRORS_MAX] pub errors: Vec<DomainDiskError>,
        pub nerrors: i32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_domains_args`.
    pub struct ConnectListAllDomainsArgs {
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_domains_ret`.
    pub struct ConnectListAllDomainsRet {
        #[max = DOMAIN_LIST_MAX] pub domains: Vec<NonnullDomain>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_storage_pools_args`.
    pub struct ConnectListAllStoragePoolsArgs {
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_storage_pools_ret`.
    pub struct ConnectListAllStoragePoolsRet {
        #[max = STORAGE_POOL_LIST_MAX] pub pools: Vec<NonnullStoragePool>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_list_all_volumes_args`.
    pub struct StoragePoolListAllVolumesArgs {
        pub pool: NonnullStoragePool,
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_list_all_volumes_ret`.
    pub struct StoragePoolListAllVolumesRet {
        #[max = STORAGE_VOL_LIST_MAX] pub vols: Vec<NonnullStorageVol>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_networks_args`.
    pub struct ConnectListAllNetworksArgs {
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_networks_ret`.
    pub struct ConnectListAllNetworksRet {
        #[max = NETWORK_LIST_MAX] pub nets: Vec<NonnullNetwork>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_interfaces_args`.
    pub struct ConnectListAllInterfacesArgs {
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_interfaces_ret`.
    pub struct ConnectListAllInterfacesRet {
        #[max = INTERFACE_LIST_MAX] pub ifaces: Vec<NonnullInterface>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_node_devices_args`.
    pub struct ConnectListAllNodeDevicesArgs {
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_node_devices_ret`.
    pub struct ConnectListAllNodeDevicesRet {
        #[max = NODE_DEVICE_LIST_MAX] pub devices: Vec<NonnullNodeDevice>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_nwfilters_args`.
    pub struct ConnectListAllNwfiltersArgs {
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_nwfilters_ret`.
    pub struct ConnectListAllNwfiltersRet {
        #[max = NWFILTER_LIST_MAX] pub filters: Vec<NonnullNwfilter>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_secrets_args`.
    pub struct ConnectListAllSecretsArgs {
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_secrets_ret`.
    pub struct ConnectListAllSecretsRet {
        #[max = SECRET_LIST_MAX] pub secrets: Vec<NonnullSecret>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_node_set_memory_parameters_args`.
    pub struct NodeSetMemoryParametersArgs {
        #[max = NODE_MEMORY_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_get_memory_parameters_args`.
    pub struct NodeGetMemoryParametersArgs {
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_get_memory_parameters_ret`.
    pub struct NodeGetMemoryParametersRet {
        #[max = NODE_MEMORY_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_node_get_cpu_map_args`.
    pub struct NodeGetCpuMapArgs {
        pub need_map: i32,
        pub need_online: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_get_cpu_map_ret`.
    pub struct NodeGetCpuMapRet {
        #[max = CPUMAP_MAX] pub cpumap: Opaque,
        pub online: u32,
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_domain_fstrim_args`.
    pub struct DomainFstrimArgs {
        pub dom: NonnullDomain,
        pub mountPoint: Option<String>,
        pub minimum: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_time_args`.
    pub struct DomainGetTimeArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_time_ret`.
    pub struct DomainGetTimeRet {
        pub seconds: i64,
        pub nseconds: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_time_args`.
    pub struct DomainSetTimeArgs {
        pub dom: NonnullDomain,
        pub seconds: i64,
        pub nseconds: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_begin3_params_args`.
    pub struct DomainMigrateBegin3ParamsArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_MIGRATE_PARAM_LIST_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_begin3_params_ret`.
    pub struct DomainMigrateBegin3ParamsRet {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare3_params_args`.
    pub struct DomainMigratePrepare3ParamsArgs {
        #[max = DOMAIN_MIGRATE_PARAM_LIST_MAX] pub params: Vec<TypedParam>,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare3_params_ret`.
    pub struct DomainMigratePrepare3ParamsRet {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
        pub uri_out: Option<String>,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare_tunnel3_params_args`.
    pub struct DomainMigratePrepareTunnel3ParamsArgs {
        #[max = DOMAIN_MIGRATE_PARAM_LIST_MAX] pub params: Vec<TypedParam>,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_prepare_tunnel3_params_ret`.
    pub struct DomainMigratePrepareTunnel3ParamsRet {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_perform3_params_args`.
    pub struct DomainMigratePerform3ParamsArgs {
        pub dom: NonnullDomain,
        pub dconnuri: Option<String>,
        #[max = DOMAIN_MIGRATE_PARAM_LIST_MAX] pub params: Vec<TypedParam>,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_perform3_params_ret`.
    pub struct DomainMigratePerform3ParamsRet {
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_finish3_params_args`.
    pub struct DomainMigrateFinish3ParamsArgs {
        #[max = DOMAIN_MIGRATE_PARAM_LIST_MAX] pub params: Vec<TypedParam>,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub flags: u32,
        pub cancelled: i32,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_finish3_params_ret`.
    pub struct DomainMigrateFinish3ParamsRet {
        pub dom: NonnullDomain,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_out: Opaque,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_confirm3_params_args`.
    pub struct DomainMigrateConfirm3ParamsArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_MIGRATE_PARAM_LIST_MAX] pub params: Vec<TypedParam>,
        #[max = MIGRATE_COOKIE_MAX] pub cookie_in: Opaque,
        pub flags: u32,
        pub cancelled: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_device_removed_msg`.
    pub struct DomainEventDeviceRemovedMsg {
        pub dom: NonnullDomain,
        pub devAlias: String,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_device_removed_msg`.
    pub struct DomainEventCallbackDeviceRemovedMsg {
        pub callbackID: i32,
        pub msg: DomainEventDeviceRemovedMsg,
    }
}

xdr_struct! {
    /// `remote_domain_event_block_job_2_msg`.
    pub struct DomainEventBlockJob2Msg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub dst: String,
        pub type_: i32,
        pub status: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_block_threshold_msg`.
    pub struct DomainEventBlockThresholdMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub dev: String,
        pub path: Option<String>,
        pub threshold: u64,
        pub excess: u64,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_tunable_msg`.
    pub struct DomainEventCallbackTunableMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        #[max = DOMAIN_EVENT_TUNABLE_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_device_added_msg`.
    pub struct DomainEventCallbackDeviceAddedMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub devAlias: String,
    }
}

xdr_struct! {
    /// `remote_connect_event_connection_closed_msg`.
    pub struct ConnectEventConnectionClosedMsg {
        pub reason: i32,
    }
}

xdr_struct! {
    /// `remote_connect_get_cpu_model_names_args`.
    pub struct ConnectGetCpuModelNamesArgs {
        pub arch: String,
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_get_cpu_model_names_ret`.
    pub struct ConnectGetCpuModelNamesRet {
        #[max = CONNECT_CPU_MODELS_MAX] pub models: Vec<String>,
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_connect_network_event_register_any_args`.
    pub struct ConnectNetworkEventRegisterAnyArgs {
        pub eventID: i32,
        pub net: Option<NonnullNetwork>,
    }
}

xdr_struct! {
    /// `remote_connect_network_event_register_any_ret`.
    pub struct ConnectNetworkEventRegisterAnyRet {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_connect_network_event_deregister_any_args`.
    pub struct ConnectNetworkEventDeregisterAnyArgs {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_network_event_lifecycle_msg`.
    pub struct NetworkEventLifecycleMsg {
        pub callbackID: i32,
        pub net: NonnullNetwork,
        pub event: i32,
        pub detail: i32,
    }
}

xdr_struct! {
    /// `remote_connect_storage_pool_event_register_any_args`.
    pub struct ConnectStoragePoolEventRegisterAnyArgs {
        pub eventID: i32,
        pub pool: Option<NonnullStoragePool>,
    }
}

xdr_struct! {
    /// `remote_connect_storage_pool_event_register_any_ret`.
    pub struct ConnectStoragePoolEventRegisterAnyRet {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_connect_storage_pool_event_deregister_any_args`.
    pub struct ConnectStoragePoolEventDeregisterAnyArgs {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_event_lifecycle_msg`.
    pub struct StoragePoolEventLifecycleMsg {
        pub callbackID: i32,
        pub pool: NonnullStoragePool,
        pub event: i32,
        pub detail: i32,
    }
}

xdr_struct! {
    /// `remote_storage_pool_event_refresh_msg`.
    pub struct StoragePoolEventRefreshMsg {
        pub callbackID: i32,
        pub pool: NonnullStoragePool,
    }
}

xdr_struct! {
    /// `remote_connect_node_device_event_register_any_args`.
    pub struct ConnectNodeDeviceEventRegisterAnyArgs {
        pub eventID: i32,
        pub dev: Option<NonnullNodeDevice>,
    }
}

xdr_struct! {
    /// `remote_connect_node_device_event_register_any_ret`.
    pub struct ConnectNodeDeviceEventRegisterAnyRet {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_connect_node_device_event_deregister_any_args`.
    pub struct ConnectNodeDeviceEventDeregisterAnyArgs {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_node_device_event_lifecycle_msg`.
    pub struct NodeDeviceEventLifecycleMsg {
        pub callbackID: i32,
        pub dev: NonnullNodeDevice,
        pub event: i32,
        pub detail: i32,
    }
}

xdr_struct! {
    /// `remote_node_device_event_update_msg`.
    pub struct NodeDeviceEventUpdateMsg {
        pub callbackID: i32,
        pub dev: NonnullNodeDevice,
    }
}

xdr_struct! {
    /// `remote_domain_fsfreeze_args`.
    pub struct DomainFsfreezeArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_FSFREEZE_MOUNTPOINTS_MAX] pub mountpoints: Vec<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_fsfreeze_ret`.
    pub struct DomainFsfreezeRet {
        pub filesystems: i32,
    }
}

xdr_struct! {
    /// `remote_domain_fsthaw_args`.
    pub struct DomainFsthawArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_FSFREEZE_MOUNTPOINTS_MAX] pub mountpoints: Vec<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_fsthaw_ret`.
    pub struct DomainFsthawRet {
        pub filesystems: i32,
    }
}

xdr_struct! {
    /// `remote_node_get_free_pages_args`.
    pub struct NodeGetFreePagesArgs {
        #[max = NODE_MAX_CELLS] pub pages: Vec<u32>,
        pub startCell: i32,
        pub cellCount: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_get_free_pages_ret`.
    pub struct NodeGetFreePagesRet {
        #[max = NODE_MAX_CELLS] pub counts: Vec<u64>,
    }
}

xdr_struct! {
    /// `remote_node_alloc_pages_args`.
    pub struct NodeAllocPagesArgs {
        #[max = NODE_MAX_CELLS] pub pageSizes: Vec<u32>,
        #[max = NODE_MAX_CELLS] pub pageCounts: Vec<u64>,
        pub startCell: i32,
        pub cellCount: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_alloc_pages_ret`.
    pub struct NodeAllocPagesRet {
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_network_dhcp_lease`.
    pub struct NetworkDhcpLease {
        pub iface: String,
        pub expirytime: i64,
        pub type_: i32,
        pub mac: Option<String>,
        pub iaid: Option<String>,
        pub ipaddr: String,
        pub prefix: u32,
        pub hostname: Option<String>,
        pub clientid: Option<String>,
    }
}

xdr_struct! {
    /// `remote_network_get_dhcp_leases_args`.
    pub struct NetworkGetDhcpLeasesArgs {
        pub net: NonnullNetwork,
        pub mac: Option<String>,
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_get_dhcp_leases_ret`.
    pub struct NetworkGetDhcpLeasesRet {
        #[max = NETWORK_DHCP_LEASES_MAX] pub leases: Vec<NetworkDhcpLease>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_domain_stats_record`.
    pub struct DomainStatsRecord {
        pub dom: NonnullDomain,
        #[max = CONNECT_GET_ALL_DOMAIN_STATS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_connect_get_all_domain_stats_args`.
    pub struct ConnectGetAllDomainStatsArgs {
        #[max = DOMAIN_LIST_MAX] pub doms: Vec<NonnullDomain>,
        pub stats: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_agent_lifecycle_msg`.
    pub struct DomainEventCallbackAgentLifecycleMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub state: i32,
        pub reason: i32,
    }
}

xdr_struct! {
    /// `remote_connect_get_all_domain_stats_ret`.
    pub struct ConnectGetAllDomainStatsRet {
        #[max = DOMAIN_LIST_MAX] pub retStats: Vec<DomainStatsRecord>,
    }
}

xdr_struct! {
    /// `remote_domain_fsinfo`.
    pub struct DomainFsinfo {
        pub mountpoint: String,
        pub name: String,
        pub fstype: String,
        #[max = DOMAIN_FSINFO_DISKS_MAX] pub dev_aliases: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_domain_get_fsinfo_args`.
    pub struct DomainGetFsinfoArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_fsinfo_ret`.
    pub struct DomainGetFsinfoRet {
        #[max = DOMAIN_FSINFO_MAX] pub info: Vec<DomainFsinfo>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_domain_ip_addr`.
    pub struct DomainIpAddr {
        pub type_: i32,
        pub addr: String,
        pub prefix: u32,
    }
}

xdr_struct! {
    /// `remote_domain_interface`.
    pub struct DomainInterface {
        pub name: String,
        pub hwaddr: Option<String>,
        #[max = DOMAIN_IP_ADDR_MAX] pub addrs: Vec<DomainIpAddr>,
    }
}

xdr_struct! {
    /// `remote_domain_interface_addresses_args`.
    pub struct DomainInterfaceAddressesArgs {
        pub dom: NonnullDomain,
        pub source: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_interface_addresses_ret`.
    pub struct DomainInterfaceAddressesRet {
        #[max = DOMAIN_INTERFACE_MAX] pub ifaces: Vec<DomainInterface>,
    }
}

xdr_struct! {
    /// `remote_domain_set_user_password_args`.
    pub struct DomainSetUserPasswordArgs {
        pub dom: NonnullDomain,
        pub user: Option<String>,
        pub password: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_rename_args`.
    pub struct DomainRenameArgs {
        pub dom: NonnullDomain,
        pub new_name: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_rename_ret`.
    pub struct DomainRenameRet {
        pub retcode: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_migration_iteration_msg`.
    pub struct DomainEventCallbackMigrationIterationMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub iteration: i32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_job_completed_msg`.
    pub struct DomainEventCallbackJobCompletedMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        #[max = DOMAIN_JOB_STATS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_migrate_start_post_copy_args`.
    pub struct DomainMigrateStartPostCopyArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_device_removal_failed_msg`.
    pub struct DomainEventCallbackDeviceRemovalFailedMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub devAlias: String,
    }
}

xdr_struct! {
    /// `remote_domain_get_guest_vcpus_args`.
    pub struct DomainGetGuestVcpusArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_guest_vcpus_ret`.
    pub struct DomainGetGuestVcpusRet {
        #[max = DOMAIN_GUEST_VCPU_PARAMS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_set_guest_vcpus_args`.
    pub struct DomainSetGuestVcpusArgs {
        pub dom: NonnullDomain,
        pub cpumap: String,
        pub state: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_vcpu_args`.
    pub struct DomainSetVcpuArgs {
        pub dom: NonnullDomain,
        pub cpumap: String,
        pub state: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_event_callback_metadata_change_msg`.
    pub struct DomainEventCallbackMetadataChangeMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub type_: i32,
        pub nsuri: Option<String>,
    }
}

xdr_struct! {
    /// `remote_domain_event_memory_failure_msg`.
    pub struct DomainEventMemoryFailureMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub recipient: i32,
        pub action: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_secret_event_register_any_args`.
    pub struct ConnectSecretEventRegisterAnyArgs {
        pub eventID: i32,
        pub secret: Option<NonnullSecret>,
    }
}

xdr_struct! {
    /// `remote_connect_secret_event_register_any_ret`.
    pub struct ConnectSecretEventRegisterAnyRet {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_connect_secret_event_deregister_any_args`.
    pub struct ConnectSecretEventDeregisterAnyArgs {
        pub callbackID: i32,
    }
}

xdr_struct! {
    /// `remote_secret_event_lifecycle_msg`.
    pub struct SecretEventLifecycleMsg {
        pub callbackID: i32,
        pub secret: NonnullSecret,
        pub event: i32,
        pub detail: i32,
    }
}

xdr_struct! {
    /// `remote_secret_event_value_changed_msg`.
    pub struct SecretEventValueChangedMsg {
        pub callbackID: i32,
        pub secret: NonnullSecret,
    }
}

xdr_struct! {
    /// `remote_domain_set_block_threshold_args`.
    pub struct DomainSetBlockThresholdArgs {
        pub dom: NonnullDomain,
        pub dev: String,
        pub threshold: u64,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_set_lifecycle_action_args`.
    pub struct DomainSetLifecycleActionArgs {
        pub dom: NonnullDomain,
        pub type_: u32,
        pub action: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_compare_hypervisor_cpu_args`.
    pub struct ConnectCompareHypervisorCpuArgs {
        pub emulator: Option<String>,
        pub arch: Option<String>,
        pub machine: Option<String>,
        pub virttype: Option<String>,
        pub xmlCPU: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_compare_hypervisor_cpu_ret`.
    pub struct ConnectCompareHypervisorCpuRet {
        pub result: i32,
    }
}

xdr_struct! {
    /// `remote_connect_baseline_hypervisor_cpu_args`.
    pub struct ConnectBaselineHypervisorCpuArgs {
        pub emulator: Option<String>,
        pub arch: Option<String>,
        pub machine: Option<String>,
        pub virttype: Option<String>,
        #[max = CPU_BASELINE_MAX] pub xmlCPUs: Vec<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_baseline_hypervisor_cpu_ret`.
    pub struct ConnectBaselineHypervisorCpuRet {
        pub cpu: String,
    }
}

xdr_struct! {
    /// `remote_node_get_sev_info_args`.
    pub struct NodeGetSevInfoArgs {
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_node_get_sev_info_ret`.
    pub struct NodeGetSevInfoRet {
        #[max = NODE_SEV_INFO_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_domain_get_launch_security_info_args`.
    pub struct DomainGetLaunchSecurityInfoArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_launch_security_info_ret`.
    pub struct DomainGetLaunchSecurityInfoRet {
        #[max = DOMAIN_LAUNCH_SECURITY_INFO_PARAMS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_domain_set_launch_security_state_args`.
    pub struct DomainSetLaunchSecurityStateArgs {
        pub dom: NonnullDomain,
        #[max = DOMAIN_LAUNCH_SECURITY_STATE_PARAMS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_nwfilter_binding_lookup_by_port_dev_args`.
    pub struct NwfilterBindingLookupByPortDevArgs {
        pub name: String,
    }
}

xdr_struct! {
    /// `remote_nwfilter_binding_lookup_by_port_dev_ret`.
    pub struct NwfilterBindingLookupByPortDevRet {
        pub nwfilter: NonnullNwfilterBinding,
    }
}

xdr_struct! {
    /// `remote_nwfilter_binding_create_xml_args`.
    pub struct NwfilterBindingCreateXmlArgs {
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_nwfilter_binding_create_xml_ret`.
    pub struct NwfilterBindingCreateXmlRet {
        pub nwfilter: NonnullNwfilterBinding,
    }
}

xdr_struct! {
    /// `remote_nwfilter_binding_delete_args`.
    pub struct NwfilterBindingDeleteArgs {
        pub nwfilter: NonnullNwfilterBinding,
    }
}

xdr_struct! {
    /// `remote_nwfilter_binding_get_xml_desc_args`.
    pub struct NwfilterBindingGetXmlDescArgs {
        pub nwfilter: NonnullNwfilterBinding,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_nwfilter_binding_get_xml_desc_ret`.
    pub struct NwfilterBindingGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_nwfilter_bindings_args`.
    pub struct ConnectListAllNwfilterBindingsArgs {
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_list_all_nwfilter_bindings_ret`.
    pub struct ConnectListAllNwfilterBindingsRet {
        #[max = NWFILTER_BINDING_LIST_MAX] pub bindings: Vec<NonnullNwfilterBinding>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_connect_get_storage_pool_capabilities_args`.
    pub struct ConnectGetStoragePoolCapabilitiesArgs {
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_connect_get_storage_pool_capabilities_ret`.
    pub struct ConnectGetStoragePoolCapabilitiesRet {
        pub capabilities: String,
    }
}

xdr_struct! {
    /// `remote_network_list_all_ports_args`.
    pub struct NetworkListAllPortsArgs {
        pub network: NonnullNetwork,
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_list_all_ports_ret`.
    pub struct NetworkListAllPortsRet {
        #[max = NETWORK_PORT_LIST_MAX] pub ports: Vec<NonnullNetworkPort>,
        pub ret: u32,
    }
}

xdr_struct! {
    /// `remote_network_port_lookup_by_uuid_args`.
    pub struct NetworkPortLookupByUuidArgs {
        pub network: NonnullNetwork,
        pub uuid: Uuid,
    }
}

xdr_struct! {
    /// `remote_network_port_lookup_by_uuid_ret`.
    pub struct NetworkPortLookupByUuidRet {
        pub port: NonnullNetworkPort,
    }
}

xdr_struct! {
    /// `remote_network_port_create_xml_args`.
    pub struct NetworkPortCreateXmlArgs {
        pub network: NonnullNetwork,
        pub xml: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_port_create_xml_ret`.
    pub struct NetworkPortCreateXmlRet {
        pub port: NonnullNetworkPort,
    }
}

xdr_struct! {
    /// `remote_network_port_set_parameters_args`.
    pub struct NetworkPortSetParametersArgs {
        pub port: NonnullNetworkPort,
        #[max = NETWORK_PORT_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_port_get_parameters_args`.
    pub struct NetworkPortGetParametersArgs {
        pub port: NonnullNetworkPort,
        pub nparams: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_port_get_parameters_ret`.
    pub struct NetworkPortGetParametersRet {
        #[max = NETWORK_PORT_PARAMETERS_MAX] pub params: Vec<TypedParam>,
        pub nparams: i32,
    }
}

xdr_struct! {
    /// `remote_network_port_get_xml_desc_args`.
    pub struct NetworkPortGetXmlDescArgs {
        pub port: NonnullNetworkPort,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_network_port_get_xml_desc_ret`.
    pub struct NetworkPortGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_network_port_delete_args`.
    pub struct NetworkPortDeleteArgs {
        pub port: NonnullNetworkPort,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_create_xml_args`.
    pub struct DomainCheckpointCreateXmlArgs {
        pub dom: NonnullDomain,
        pub xml_desc: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_create_xml_ret`.
    pub struct DomainCheckpointCreateXmlRet {
        pub checkpoint: NonnullDomainCheckpoint,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_get_xml_desc_args`.
    pub struct DomainCheckpointGetXmlDescArgs {
        pub checkpoint: NonnullDomainCheckpoint,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_get_xml_desc_ret`.
    pub struct DomainCheckpointGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_list_all_checkpoints_args`.
    pub struct DomainListAllCheckpointsArgs {
        pub dom: NonnullDomain,
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_list_all_checkpoints_ret`.
    pub struct DomainListAllCheckpointsRet {
        #[max = DOMAIN_CHECKPOINT_LIST_MAX] pub checkpoints: Vec<NonnullDomainCheckpoint>,
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_list_all_children_args`.
    pub struct DomainCheckpointListAllChildrenArgs {
        pub checkpoint: NonnullDomainCheckpoint,
        pub need_results: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_list_all_children_ret`.
    pub struct DomainCheckpointListAllChildrenRet {
        #[max = DOMAIN_CHECKPOINT_LIST_MAX] pub checkpoints: Vec<NonnullDomainCheckpoint>,
        pub ret: i32,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_lookup_by_name_args`.
    pub struct DomainCheckpointLookupByNameArgs {
        pub dom: NonnullDomain,
        pub name: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_lookup_by_name_ret`.
    pub struct DomainCheckpointLookupByNameRet {
        pub checkpoint: NonnullDomainCheckpoint,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_get_parent_args`.
    pub struct DomainCheckpointGetParentArgs {
        pub checkpoint: NonnullDomainCheckpoint,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_get_parent_ret`.
    pub struct DomainCheckpointGetParentRet {
        pub parent: NonnullDomainCheckpoint,
    }
}

xdr_struct! {
    /// `remote_domain_checkpoint_delete_args`.
    pub struct DomainCheckpointDeleteArgs {
        pub checkpoint: NonnullDomainCheckpoint,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_guest_info_args`.
    pub struct DomainGetGuestInfoArgs {
        pub dom: NonnullDomain,
        pub types: u32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_guest_info_ret`.
    pub struct DomainGetGuestInfoRet {
        #[max = DOMAIN_GUEST_INFO_PARAMS_MAX] pub params: Vec<TypedParam>,
    }
}

xdr_struct! {
    /// `remote_connect_set_identity_args`.
    pub struct ConnectSetIdentityArgs {
        #[max = CONNECT_IDENTITY_PARAMS_MAX] pub params: Vec<TypedParam>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_agent_set_response_timeout_args`.
    pub struct DomainAgentSetResponseTimeoutArgs {
        pub dom: NonnullDomain,
        pub timeout: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_agent_set_response_timeout_ret`.
    pub struct DomainAgentSetResponseTimeoutRet {
        pub result: i32,
    }
}

xdr_struct! {
    /// `remote_domain_backup_begin_args`.
    pub struct DomainBackupBeginArgs {
        pub dom: NonnullDomain,
        pub backup_xml: String,
        pub checkpoint_xml: Option<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_backup_get_xml_desc_args`.
    pub struct DomainBackupGetXmlDescArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_backup_get_xml_desc_ret`.
    pub struct DomainBackupGetXmlDescRet {
        pub xml: String,
    }
}

xdr_struct! {
    /// `remote_domain_authorized_ssh_keys_get_args`.
    pub struct DomainAuthorizedSshKeysGetArgs {
        pub dom: NonnullDomain,
        pub user: String,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_authorized_ssh_keys_get_ret`.
    pub struct DomainAuthorizedSshKeysGetRet {
        #[max = DOMAIN_AUTHORIZED_SSH_KEYS_MAX] pub keys: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_domain_authorized_ssh_keys_set_args`.
    pub struct DomainAuthorizedSshKeysSetArgs {
        pub dom: NonnullDomain,
        pub user: String,
        #[max = DOMAIN_AUTHORIZED_SSH_KEYS_MAX] pub keys: Vec<String>,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_messages_args`.
    pub struct DomainGetMessagesArgs {
        pub dom: NonnullDomain,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_get_messages_ret`.
    pub struct DomainGetMessagesRet {
        #[max = DOMAIN_MESSAGES_MAX] pub msgs: Vec<String>,
    }
}

xdr_struct! {
    /// `remote_domain_start_dirty_rate_calc_args`.
    pub struct DomainStartDirtyRateCalcArgs {
        pub dom: NonnullDomain,
        pub seconds: i32,
        pub flags: u32,
    }
}

xdr_struct! {
    /// `remote_domain_event_memory_device_size_change_msg`.
    pub struct DomainEventMemoryDeviceSizeChangeMsg {
        pub callbackID: i32,
        pub dom: NonnullDomain,
        pub alias: String,
        pub size: u64,
    }
}

xdr_struct! {
    /// `remote_domain_fd_associate_args`.
    pub struct DomainFdAssociateArgs {
        pub dom: NonnullDomain,
        pub name: String,
        pub flags: u32,
    }
}
