//! Procedure numbers of the REMOTE program (libvirt 9.0: 1 to 443), named as in
//! `remote_protocol.x` without the `REMOTE_PROC_` prefix.

/// `virConnectOpen`.
pub const CONNECT_OPEN: i32 = 1;
/// `virConnectClose`.
pub const CONNECT_CLOSE: i32 = 2;
/// `virConnectGetType`.
pub const CONNECT_GET_TYPE: i32 = 3;
/// `virConnectGetVersion`.
pub const CONNECT_GET_VERSION: i32 = 4;
/// `virConnectGetMaxVcpus`.
pub const CONNECT_GET_MAX_VCPUS: i32 = 5;
/// `virNodeGetInfo`.
pub const NODE_GET_INFO: i32 = 6;
/// `virConnectGetCapabilities`.
pub const CONNECT_GET_CAPABILITIES: i32 = 7;
/// `virDomainAttachDevice`.
pub const DOMAIN_ATTACH_DEVICE: i32 = 8;
/// `virDomainCreate`.
pub const DOMAIN_CREATE: i32 = 9;
/// `virDomainCreateXML`.
pub const DOMAIN_CREATE_XML: i32 = 10;
/// `virDomainDefineXML`.
pub const DOMAIN_DEFINE_XML: i32 = 11;
/// `virDomainDestroy`.
pub const DOMAIN_DESTROY: i32 = 12;
/// `virDomainDetachDevice`.
pub const DOMAIN_DETACH_DEVICE: i32 = 13;
/// `virDomainGetXMLDesc`.
pub const DOMAIN_GET_XML_DESC: i32 = 14;
/// `virDomainGetAutostart`.
pub const DOMAIN_GET_AUTOSTART: i32 = 15;
/// `virDomainGetInfo`.
pub const DOMAIN_GET_INFO: i32 = 16;
/// `virDomainGetMaxMemory`.
pub const DOMAIN_GET_MAX_MEMORY: i32 = 17;
/// `virDomainGetMaxVcpus`.
pub const DOMAIN_GET_MAX_VCPUS: i32 = 18;
/// `virDomainGetOSType`.
pub const DOMAIN_GET_OS_TYPE: i32 = 19;
/// `virDomainGetVcpus`.
pub const DOMAIN_GET_VCPUS: i32 = 20;
/// `virConnectListDefinedDomains`.
pub const CONNECT_LIST_DEFINED_DOMAINS: i32 = 21;
/// `virDomainLookupByID`.
pub const DOMAIN_LOOKUP_BY_ID: i32 = 22;
/// `virDomainLookupByName`.
pub const DOMAIN_LOOKUP_BY_NAME: i32 = 23;
/// `virDomainLookupByUUID`.
pub const DOMAIN_LOOKUP_BY_UUID: i32 = 24;
/// `virConnectNumOfDefinedDomains`.
pub const CONNECT_NUM_OF_DEFINED_DOMAINS: i32 = 25;
/// `virDomainPinVcpu`.
pub const DOMAIN_PIN_VCPU: i32 = 26;
/// `virDomainReboot`.
pub const DOMAIN_REBOOT: i32 = 27;
/// `virDomainResume`.
pub const DOMAIN_RESUME: i32 = 28;
/// `virDomainSetAutostart`.
pub const DOMAIN_SET_AUTOSTART: i32 = 29;
/// `virDomainSetMaxMemory`.
pub const DOMAIN_SET_MAX_MEMORY: i32 = 30;
/// `virDomainSetMemory`.
pub const DOMAIN_SET_MEMORY: i32 = 31;
/// `virDomainSetVcpus`.
pub const DOMAIN_SET_VCPUS: i32 = 32;
/// `virDomainShutdown`.
pub const DOMAIN_SHUTDOWN: i32 = 33;
/// `virDomainSuspend`.
pub const DOMAIN_SUSPEND: i32 = 34;
/// `virDomainUndefine`.
pub const DOMAIN_UNDEFINE: i32 = 35;
/// `virConnectListDefinedNetworks`.
pub const CONNECT_LIST_DEFINED_NETWORKS: i32 = 36;
/// `virConnectListDomains`.
pub const CONNECT_LIST_DOMAINS: i32 = 37;
/// `virConnectListNetworks`.
pub const CONNECT_LIST_NETWORKS: i32 = 38;
/// `virNetworkCreate`.
pub const NETWORK_CREATE: i32 = 39;
/// `virNetworkCreateXML`.
pub const NETWORK_CREATE_XML: i32 = 40;
/// `virNetworkDefineXML`.
pub const NETWORK_DEFINE_XML: i32 = 41;
/// `virNetworkDestroy`.
pub const NETWORK_DESTROY: i32 = 42;
/// `virNetworkGetXMLDesc`.
pub const NETWORK_GET_XML_DESC: i32 = 43;
/// `virNetworkGetAutostart`.
pub const NETWORK_GET_AUTOSTART: i32 = 44;
/// `virNetworkGetBridgeName`.
pub const NETWORK_GET_BRIDGE_NAME: i32 = 45;
/// `virNetworkLookupByName`.
pub const NETWORK_LOOKUP_BY_NAME: i32 = 46;
/// `virNetworkLookupByUUID`.
pub const NETWORK_LOOKUP_BY_UUID: i32 = 47;
/// `virNetworkSetAutostart`.
pub const NETWORK_SET_AUTOSTART: i32 = 48;
/// `virNetworkUndefine`.
pub const NETWORK_UNDEFINE: i32 = 49;
/// `virConnectNumOfDefinedNetworks`.
pub const CONNECT_NUM_OF_DEFINED_NETWORKS: i32 = 50;
/// `virConnectNumOfDomains`.
pub const CONNECT_NUM_OF_DOMAINS: i32 = 51;
/// `virConnectNumOfNetworks`.
pub const CONNECT_NUM_OF_NETWORKS: i32 = 52;
/// `virDomainCoreDump`.
pub const DOMAIN_CORE_DUMP: i32 = 53;
/// `virDomainRestore`.
pub const DOMAIN_RESTORE: i32 = 54;
/// `virDomainSave`.
pub const DOMAIN_SAVE: i32 = 55;
/// `virDomainGetSchedulerType`.
pub const DOMAIN_GET_SCHEDULER_TYPE: i32 = 56;
/// `virDomainGetSchedulerParameters`.
pub const DOMAIN_GET_SCHEDULER_PARAMETERS: i32 = 57;
/// `virDomainSetSchedulerParameters`.
pub const DOMAIN_SET_SCHEDULER_PARAMETERS: i32 = 58;
/// `virConnectGetHostname`.
pub const CONNECT_GET_HOSTNAME: i32 = 59;
/// `virConnectSupportsFeature`.
pub const CONNECT_SUPPORTS_FEATURE: i32 = 60;
/// `virDomainMigratePrepare`.
pub const DOMAIN_MIGRATE_PREPARE: i32 = 61;
/// `virDomainMigratePerform`.
pub const DOMAIN_MIGRATE_PERFORM: i32 = 62;
/// `virDomainMigrateFinish`.
pub const DOMAIN_MIGRATE_FINISH: i32 = 63;
/// `virDomainBlockStats`.
pub const DOMAIN_BLOCK_STATS: i32 = 64;
/// `virDomainInterfaceStats`.
pub const DOMAIN_INTERFACE_STATS: i32 = 65;
/// Authentication step, allowed before the client is authenticated.
pub const AUTH_LIST: i32 = 66;
/// Authentication step, allowed before the client is authenticated.
pub const AUTH_SASL_INIT: i32 = 67;
/// Authentication step, allowed before the client is authenticated.
pub const AUTH_SASL_START: i32 = 68;
/// Authentication step, allowed before the client is authenticated.
pub const AUTH_SASL_STEP: i32 = 69;
/// Authentication step, allowed before the client is authenticated.
pub const AUTH_POLKIT: i32 = 70;
/// `virConnectNumOfStoragePools`.
pub const CONNECT_NUM_OF_STORAGE_POOLS: i32 = 71;
/// `virConnectListStoragePools`.
pub const CONNECT_LIST_STORAGE_POOLS: i32 = 72;
/// `virConnectNumOfDefinedStoragePools`.
pub const CONNECT_NUM_OF_DEFINED_STORAGE_POOLS: i32 = 73;
/// `virConnectListDefinedStoragePools`.
pub const CONNECT_LIST_DEFINED_STORAGE_POOLS: i32 = 74;
/// `virConnectFindStoragePoolSources`.
pub const CONNECT_FIND_STORAGE_POOL_SOURCES: i32 = 75;
/// `virStoragePoolCreateXML`.
pub const STORAGE_POOL_CREATE_XML: i32 = 76;
/// `virStoragePoolDefineXML`.
pub const STORAGE_POOL_DEFINE_XML: i32 = 77;
/// `virStoragePoolCreate`.
pub const STORAGE_POOL_CREATE: i32 = 78;
/// `virStoragePoolBuild`.
pub const STORAGE_POOL_BUILD: i32 = 79;
/// `virStoragePoolDestroy`.
pub const STORAGE_POOL_DESTROY: i32 = 80;
/// `virStoragePoolDelete`.
pub const STORAGE_POOL_DELETE: i32 = 81;
/// `virStoragePoolUndefine`.
pub const STORAGE_POOL_UNDEFINE: i32 = 82;
/// `virStoragePoolRefresh`.
pub const STORAGE_POOL_REFRESH: i32 = 83;
/// `virStoragePoolLookupByName`.
pub const STORAGE_POOL_LOOKUP_BY_NAME: i32 = 84;
/// `virStoragePoolLookupByUUID`.
pub const STORAGE_POOL_LOOKUP_BY_UUID: i32 = 85;
/// `virStoragePoolLookupByVolume`.
pub const STORAGE_POOL_LOOKUP_BY_VOLUME: i32 = 86;
/// `virStoragePoolGetInfo`.
pub const STORAGE_POOL_GET_INFO: i32 = 87;
/// `virStoragePoolGetXMLDesc`.
pub const STORAGE_POOL_GET_XML_DESC: i32 = 88;
/// `virStoragePoolGetAutostart`.
pub const STORAGE_POOL_GET_AUTOSTART: i32 = 89;
/// `virStoragePoolSetAutostart`.
pub const STORAGE_POOL_SET_AUTOSTART: i32 = 90;
/// `virStoragePoolNumOfVolumes`.
pub const STORAGE_POOL_NUM_OF_VOLUMES: i32 = 91;
/// `virStoragePoolListVolumes`.
pub const STORAGE_POOL_LIST_VOLUMES: i32 = 92;
/// `virStorageVolCreateXML`.
pub const STORAGE_VOL_CREATE_XML: i32 = 93;
/// `virStorageVolDelete`.
pub const STORAGE_VOL_DELETE: i32 = 94;
/// `virStorageVolLookupByName`.
pub const STORAGE_VOL_LOOKUP_BY_NAME: i32 = 95;
/// `virStorageVolLookupByKey`.
pub const STORAGE_VOL_LOOKUP_BY_KEY: i32 = 96;
/// `virStorageVolLookupByPath`.
pub const STORAGE_VOL_LOOKUP_BY_PATH: i32 = 97;
/// `virStorageVolGetInfo`.
pub const STORAGE_VOL_GET_INFO: i32 = 98;
/// `virStorageVolGetXMLDesc`.
pub const STORAGE_VOL_GET_XML_DESC: i32 = 99;
/// `virStorageVolGetPath`.
pub const STORAGE_VOL_GET_PATH: i32 = 100;
/// `virNodeGetCellsFreeMemory`.
pub const NODE_GET_CELLS_FREE_MEMORY: i32 = 101;
/// `virNodeGetFreeMemory`.
pub const NODE_GET_FREE_MEMORY: i32 = 102;
/// `virDomainBlockPeek`.
pub const DOMAIN_BLOCK_PEEK: i32 = 103;
/// `virDomainMemoryPeek`.
pub const DOMAIN_MEMORY_PEEK: i32 = 104;
/// `virConnectDomainEventRegister`.
pub const CONNECT_DOMAIN_EVENT_REGISTER: i32 = 105;
/// `virConnectDomainEventDeregister`.
pub const CONNECT_DOMAIN_EVENT_DEREGISTER: i32 = 106;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_LIFECYCLE: i32 = 107;
/// `virDomainMigratePrepare2`.
pub const DOMAIN_MIGRATE_PREPARE2: i32 = 108;
/// `virDomainMigrateFinish2`.
pub const DOMAIN_MIGRATE_FINISH2: i32 = 109;
/// `virConnectGetURI`.
pub const CONNECT_GET_URI: i32 = 110;
/// `virNodeNumOfDevices`.
pub const NODE_NUM_OF_DEVICES: i32 = 111;
/// `virNodeListDevices`.
pub const NODE_LIST_DEVICES: i32 = 112;
/// `virNodeDeviceLookupByName`.
pub const NODE_DEVICE_LOOKUP_BY_NAME: i32 = 113;
/// `virNodeDeviceGetXMLDesc`.
pub const NODE_DEVICE_GET_XML_DESC: i32 = 114;
/// `virNodeDeviceGetParent`.
pub const NODE_DEVICE_GET_PARENT: i32 = 115;
/// `virNodeDeviceNumOfCaps`.
pub const NODE_DEVICE_NUM_OF_CAPS: i32 = 116;
/// `virNodeDeviceListCaps`.
pub const NODE_DEVICE_LIST_CAPS: i32 = 117;
/// `virNodeDeviceDettach`.
pub const NODE_DEVICE_DETTACH: i32 = 118;
/// `virNodeDeviceReAttach`.
pub const NODE_DEVICE_RE_ATTACH: i32 = 119;
/// `virNodeDeviceReset`.
pub const NODE_DEVICE_RESET: i32 = 120;
/// `virDomainGetSecurityLabel`.
pub const DOMAIN_GET_SECURITY_LABEL: i32 = 121;
/// `virNodeGetSecurityModel`.
pub const NODE_GET_SECURITY_MODEL: i32 = 122;
/// `virNodeDeviceCreateXML`.
pub const NODE_DEVICE_CREATE_XML: i32 = 123;
/// `virNodeDeviceDestroy`.
pub const NODE_DEVICE_DESTROY: i32 = 124;
/// `virStorageVolCreateXMLFrom`.
pub const STORAGE_VOL_CREATE_XML_FROM: i32 = 125;
/// `virConnectNumOfInterfaces`.
pub const CONNECT_NUM_OF_INTERFACES: i32 = 126;
/// `virConnectListInterfaces`.
pub const CONNECT_LIST_INTERFACES: i32 = 127;
/// `virInterfaceLookupByName`.
pub const INTERFACE_LOOKUP_BY_NAME: i32 = 128;
/// `virInterfaceLookupByMACString`.
pub const INTERFACE_LOOKUP_BY_MAC_STRING: i32 = 129;
/// `virInterfaceGetXMLDesc`.
pub const INTERFACE_GET_XML_DESC: i32 = 130;
/// `virInterfaceDefineXML`.
pub const INTERFACE_DEFINE_XML: i32 = 131;
/// `virInterfaceUndefine`.
pub const INTERFACE_UNDEFINE: i32 = 132;
/// `virInterfaceCreate`.
pub const INTERFACE_CREATE: i32 = 133;
/// `virInterfaceDestroy`.
pub const INTERFACE_DESTROY: i32 = 134;
/// `virConnectDomainXMLFromNative`.
pub const CONNECT_DOMAIN_XML_FROM_NATIVE: i32 = 135;
/// `virConnectDomainXMLToNative`.
pub const CONNECT_DOMAIN_XML_TO_NATIVE: i32 = 136;
/// `virConnectNumOfDefinedInterfaces`.
pub const CONNECT_NUM_OF_DEFINED_INTERFACES: i32 = 137;
/// `virConnectListDefinedInterfaces`.
pub const CONNECT_LIST_DEFINED_INTERFACES: i32 = 138;
/// `virConnectNumOfSecrets`.
pub const CONNECT_NUM_OF_SECRETS: i32 = 139;
/// `virConnectListSecrets`.
pub const CONNECT_LIST_SECRETS: i32 = 140;
/// `virSecretLookupByUUID`.
pub const SECRET_LOOKUP_BY_UUID: i32 = 141;
/// `virSecretDefineXML`.
pub const SECRET_DEFINE_XML: i32 = 142;
/// `virSecretGetXMLDesc`.
pub const SECRET_GET_XML_DESC: i32 = 143;
/// `virSecretSetValue`.
pub const SECRET_SET_VALUE: i32 = 144;
/// `virSecretGetValue`.
pub const SECRET_GET_VALUE: i32 = 145;
/// `virSecretUndefine`.
pub const SECRET_UNDEFINE: i32 = 146;
/// `virSecretLookupByUsage`.
pub const SECRET_LOOKUP_BY_USAGE: i32 = 147;
/// `virDomainMigratePrepareTunnel`.
pub const DOMAIN_MIGRATE_PREPARE_TUNNEL: i32 = 148;
/// `virConnectIsSecure`.
pub const CONNECT_IS_SECURE: i32 = 149;
/// `virDomainIsActive`.
pub const DOMAIN_IS_ACTIVE: i32 = 150;
/// `virDomainIsPersistent`.
pub const DOMAIN_IS_PERSISTENT: i32 = 151;
/// `virNetworkIsActive`.
pub const NETWORK_IS_ACTIVE: i32 = 152;
/// `virNetworkIsPersistent`.
pub const NETWORK_IS_PERSISTENT: i32 = 153;
/// `virStoragePoolIsActive`.
pub const STORAGE_POOL_IS_ACTIVE: i32 = 154;
/// `virStoragePoolIsPersistent`.
pub const STORAGE_POOL_IS_PERSISTENT: i32 = 155;
/// `virInterfaceIsActive`.
pub const INTERFACE_IS_ACTIVE: i32 = 156;
/// `virConnectGetLibVersion`.
pub const CONNECT_GET_LIB_VERSION: i32 = 157;
/// `virConnectCompareCPU`.
pub const CONNECT_COMPARE_CPU: i32 = 158;
/// `virDomainMemoryStats`.
pub const DOMAIN_MEMORY_STATS: i32 = 159;
/// `virDomainAttachDeviceFlags`.
pub const DOMAIN_ATTACH_DEVICE_FLAGS: i32 = 160;
/// `virDomainDetachDeviceFlags`.
pub const DOMAIN_DETACH_DEVICE_FLAGS: i32 = 161;
/// `virConnectBaselineCPU`.
pub const CONNECT_BASELINE_CPU: i32 = 162;
/// `virDomainGetJobInfo`.
pub const DOMAIN_GET_JOB_INFO: i32 = 163;
/// `virDomainAbortJob`.
pub const DOMAIN_ABORT_JOB: i32 = 164;
/// `virStorageVolWipe`.
pub const STORAGE_VOL_WIPE: i32 = 165;
/// `virDomainMigrateSetMaxDowntime`.
pub const DOMAIN_MIGRATE_SET_MAX_DOWNTIME: i32 = 166;
/// `virConnectDomainEventRegisterAny`.
pub const CONNECT_DOMAIN_EVENT_REGISTER_ANY: i32 = 167;
/// `virConnectDomainEventDeregisterAny`.
pub const CONNECT_DOMAIN_EVENT_DEREGISTER_ANY: i32 = 168;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_REBOOT: i32 = 169;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_RTC_CHANGE: i32 = 170;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_WATCHDOG: i32 = 171;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_IO_ERROR: i32 = 172;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_GRAPHICS: i32 = 173;
/// `virDomainUpdateDeviceFlags`.
pub const DOMAIN_UPDATE_DEVICE_FLAGS: i32 = 174;
/// `virNWFilterLookupByName`.
pub const NWFILTER_LOOKUP_BY_NAME: i32 = 175;
/// `virNWFilterLookupByUUID`.
pub const NWFILTER_LOOKUP_BY_UUID: i32 = 176;
/// `virNWFilterGetXMLDesc`.
pub const NWFILTER_GET_XML_DESC: i32 = 177;
/// `virConnectNumOfNWFilters`.
pub const CONNECT_NUM_OF_NWFILTERS: i32 = 178;
/// `virConnectListNWFilters`.
pub const CONNECT_LIST_NWFILTERS: i32 = 179;
/// `virNWFilterDefineXML`.
pub const NWFILTER_DEFINE_XML: i32 = 180;
/// `virNWFilterUndefine`.
pub const NWFILTER_UNDEFINE: i32 = 181;
/// `virDomainManagedSave`.
pub const DOMAIN_MANAGED_SAVE: i32 = 182;
/// `virDomainHasManagedSaveImage`.
pub const DOMAIN_HAS_MANAGED_SAVE_IMAGE: i32 = 183;
/// `virDomainManagedSaveRemove`.
pub const DOMAIN_MANAGED_SAVE_REMOVE: i32 = 184;
/// `virDomainSnapshotCreateXML`.
pub const DOMAIN_SNAPSHOT_CREATE_XML: i32 = 185;
/// `virDomainSnapshotGetXMLDesc`.
pub const DOMAIN_SNAPSHOT_GET_XML_DESC: i32 = 186;
/// `virDomainSnapshotNum`.
pub const DOMAIN_SNAPSHOT_NUM: i32 = 187;
/// `virDomainSnapshotListNames`.
pub const DOMAIN_SNAPSHOT_LIST_NAMES: i32 = 188;
/// `virDomainSnapshotLookupByName`.
pub const DOMAIN_SNAPSHOT_LOOKUP_BY_NAME: i32 = 189;
/// `virDomainHasCurrentSnapshot`.
pub const DOMAIN_HAS_CURRENT_SNAPSHOT: i32 = 190;
/// `virDomainSnapshotCurrent`.
pub const DOMAIN_SNAPSHOT_CURRENT: i32 = 191;
/// `virDomainRevertToSnapshot`.
pub const DOMAIN_REVERT_TO_SNAPSHOT: i32 = 192;
/// `virDomainSnapshotDelete`.
pub const DOMAIN_SNAPSHOT_DELETE: i32 = 193;
/// `virDomainGetBlockInfo`.
pub const DOMAIN_GET_BLOCK_INFO: i32 = 194;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_IO_ERROR_REASON: i32 = 195;
/// `virDomainCreateWithFlags`.
pub const DOMAIN_CREATE_WITH_FLAGS: i32 = 196;
/// `virDomainSetMemoryParameters`.
pub const DOMAIN_SET_MEMORY_PARAMETERS: i32 = 197;
/// `virDomainGetMemoryParameters`.
pub const DOMAIN_GET_MEMORY_PARAMETERS: i32 = 198;
/// `virDomainSetVcpusFlags`.
pub const DOMAIN_SET_VCPUS_FLAGS: i32 = 199;
/// `virDomainGetVcpusFlags`.
pub const DOMAIN_GET_VCPUS_FLAGS: i32 = 200;
/// `virDomainOpenConsole`.
pub const DOMAIN_OPEN_CONSOLE: i32 = 201;
/// `virDomainIsUpdated`.
pub const DOMAIN_IS_UPDATED: i32 = 202;
/// `virConnectGetSysinfo`.
pub const CONNECT_GET_SYSINFO: i32 = 203;
/// `virDomainSetMemoryFlags`.
pub const DOMAIN_SET_MEMORY_FLAGS: i32 = 204;
/// `virDomainSetBlkioParameters`.
pub const DOMAIN_SET_BLKIO_PARAMETERS: i32 = 205;
/// `virDomainGetBlkioParameters`.
pub const DOMAIN_GET_BLKIO_PARAMETERS: i32 = 206;
/// `virDomainMigrateSetMaxSpeed`.
pub const DOMAIN_MIGRATE_SET_MAX_SPEED: i32 = 207;
/// `virStorageVolUpload`.
pub const STORAGE_VOL_UPLOAD: i32 = 208;
/// `virStorageVolDownload`.
pub const STORAGE_VOL_DOWNLOAD: i32 = 209;
/// `virDomainInjectNMI`.
pub const DOMAIN_INJECT_NMI: i32 = 210;
/// `virDomainScreenshot`.
pub const DOMAIN_SCREENSHOT: i32 = 211;
/// `virDomainGetState`.
pub const DOMAIN_GET_STATE: i32 = 212;
/// `virDomainMigrateBegin3`.
pub const DOMAIN_MIGRATE_BEGIN3: i32 = 213;
/// `virDomainMigratePrepare3`.
pub const DOMAIN_MIGRATE_PREPARE3: i32 = 214;
/// `virDomainMigratePrepareTunnel3`.
pub const DOMAIN_MIGRATE_PREPARE_TUNNEL3: i32 = 215;
/// `virDomainMigratePerform3`.
pub const DOMAIN_MIGRATE_PERFORM3: i32 = 216;
/// `virDomainMigrateFinish3`.
pub const DOMAIN_MIGRATE_FINISH3: i32 = 217;
/// `virDomainMigrateConfirm3`.
pub const DOMAIN_MIGRATE_CONFIRM3: i32 = 218;
/// `virDomainSetSchedulerParametersFlags`.
pub const DOMAIN_SET_SCHEDULER_PARAMETERS_FLAGS: i32 = 219;
/// `virInterfaceChangeBegin`.
pub const INTERFACE_CHANGE_BEGIN: i32 = 220;
/// `virInterfaceChangeCommit`.
pub const INTERFACE_CHANGE_COMMIT: i32 = 221;
/// `virInterfaceChangeRollback`.
pub const INTERFACE_CHANGE_ROLLBACK: i32 = 222;
/// `virDomainGetSchedulerParametersFlags`.
pub const DOMAIN_GET_SCHEDULER_PARAMETERS_FLAGS: i32 = 223;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CONTROL_ERROR: i32 = 224;
/// `virDomainPinVcpuFlags`.
pub const DOMAIN_PIN_VCPU_FLAGS: i32 = 225;
/// `virDomainSendKey`.
pub const DOMAIN_SEND_KEY: i32 = 226;
/// `virNodeGetCPUStats`.
pub const NODE_GET_CPU_STATS: i32 = 227;
/// `virNodeGetMemoryStats`.
pub const NODE_GET_MEMORY_STATS: i32 = 228;
/// `virDomainGetControlInfo`.
pub const DOMAIN_GET_CONTROL_INFO: i32 = 229;
/// `virDomainGetVcpuPinInfo`.
pub const DOMAIN_GET_VCPU_PIN_INFO: i32 = 230;
/// `virDomainUndefineFlags`.
pub const DOMAIN_UNDEFINE_FLAGS: i32 = 231;
/// `virDomainSaveFlags`.
pub const DOMAIN_SAVE_FLAGS: i32 = 232;
/// `virDomainRestoreFlags`.
pub const DOMAIN_RESTORE_FLAGS: i32 = 233;
/// `virDomainDestroyFlags`.
pub const DOMAIN_DESTROY_FLAGS: i32 = 234;
/// `virDomainSaveImageGetXMLDesc`.
pub const DOMAIN_SAVE_IMAGE_GET_XML_DESC: i32 = 235;
/// `virDomainSaveImageDefineXML`.
pub const DOMAIN_SAVE_IMAGE_DEFINE_XML: i32 = 236;
/// `virDomainBlockJobAbort`.
pub const DOMAIN_BLOCK_JOB_ABORT: i32 = 237;
/// `virDomainGetBlockJobInfo`.
pub const DOMAIN_GET_BLOCK_JOB_INFO: i32 = 238;
/// `virDomainBlockJobSetSpeed`.
pub const DOMAIN_BLOCK_JOB_SET_SPEED: i32 = 239;
/// `virDomainBlockPull`.
pub const DOMAIN_BLOCK_PULL: i32 = 240;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_BLOCK_JOB: i32 = 241;
/// `virDomainMigrateGetMaxSpeed`.
pub const DOMAIN_MIGRATE_GET_MAX_SPEED: i32 = 242;
/// `virDomainBlockStatsFlags`.
pub const DOMAIN_BLOCK_STATS_FLAGS: i32 = 243;
/// `virDomainSnapshotGetParent`.
pub const DOMAIN_SNAPSHOT_GET_PARENT: i32 = 244;
/// `virDomainReset`.
pub const DOMAIN_RESET: i32 = 245;
/// `virDomainSnapshotNumChildren`.
pub const DOMAIN_SNAPSHOT_NUM_CHILDREN: i32 = 246;
/// `virDomainSnapshotListChildrenNames`.
pub const DOMAIN_SNAPSHOT_LIST_CHILDREN_NAMES: i32 = 247;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_DISK_CHANGE: i32 = 248;
/// `virDomainOpenGraphics`.
pub const DOMAIN_OPEN_GRAPHICS: i32 = 249;
/// `virNodeSuspendForDuration`.
pub const NODE_SUSPEND_FOR_DURATION: i32 = 250;
/// `virDomainBlockResize`.
pub const DOMAIN_BLOCK_RESIZE: i32 = 251;
/// `virDomainSetBlockIoTune`.
pub const DOMAIN_SET_BLOCK_IO_TUNE: i32 = 252;
/// `virDomainGetBlockIoTune`.
pub const DOMAIN_GET_BLOCK_IO_TUNE: i32 = 253;
/// `virDomainSetNumaParameters`.
pub const DOMAIN_SET_NUMA_PARAMETERS: i32 = 254;
/// `virDomainGetNumaParameters`.
pub const DOMAIN_GET_NUMA_PARAMETERS: i32 = 255;
/// `virDomainSetInterfaceParameters`.
pub const DOMAIN_SET_INTERFACE_PARAMETERS: i32 = 256;
/// `virDomainGetInterfaceParameters`.
pub const DOMAIN_GET_INTERFACE_PARAMETERS: i32 = 257;
/// `virDomainShutdownFlags`.
pub const DOMAIN_SHUTDOWN_FLAGS: i32 = 258;
/// `virStorageVolWipePattern`.
pub const STORAGE_VOL_WIPE_PATTERN: i32 = 259;
/// `virStorageVolResize`.
pub const STORAGE_VOL_RESIZE: i32 = 260;
/// `virDomainPMSuspendForDuration`.
pub const DOMAIN_PM_SUSPEND_FOR_DURATION: i32 = 261;
/// `virDomainGetCPUStats`.
pub const DOMAIN_GET_CPU_STATS: i32 = 262;
/// `virDomainGetDiskErrors`.
pub const DOMAIN_GET_DISK_ERRORS: i32 = 263;
/// `virDomainSetMetadata`.
pub const DOMAIN_SET_METADATA: i32 = 264;
/// `virDomainGetMetadata`.
pub const DOMAIN_GET_METADATA: i32 = 265;
/// `virDomainBlockRebase`.
pub const DOMAIN_BLOCK_REBASE: i32 = 266;
/// `virDomainPMWakeup`.
pub const DOMAIN_PM_WAKEUP: i32 = 267;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_TRAY_CHANGE: i32 = 268;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_PMWAKEUP: i32 = 269;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_PMSUSPEND: i32 = 270;
/// `virDomainSnapshotIsCurrent`.
pub const DOMAIN_SNAPSHOT_IS_CURRENT: i32 = 271;
/// `virDomainSnapshotHasMetadata`.
pub const DOMAIN_SNAPSHOT_HAS_METADATA: i32 = 272;
/// `virConnectListAllDomains`.
pub const CONNECT_LIST_ALL_DOMAINS: i32 = 273;
/// `virDomainListAllSnapshots`.
pub const DOMAIN_LIST_ALL_SNAPSHOTS: i32 = 274;
/// `virDomainSnapshotListAllChildren`.
pub const DOMAIN_SNAPSHOT_LIST_ALL_CHILDREN: i32 = 275;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_BALLOON_CHANGE: i32 = 276;
/// `virDomainGetHostname`.
pub const DOMAIN_GET_HOSTNAME: i32 = 277;
/// `virDomainGetSecurityLabelList`.
pub const DOMAIN_GET_SECURITY_LABEL_LIST: i32 = 278;
/// `virDomainPinEmulator`.
pub const DOMAIN_PIN_EMULATOR: i32 = 279;
/// `virDomainGetEmulatorPinInfo`.
pub const DOMAIN_GET_EMULATOR_PIN_INFO: i32 = 280;
/// `virConnectListAllStoragePools`.
pub const CONNECT_LIST_ALL_STORAGE_POOLS: i32 = 281;
/// `virStoragePoolListAllVolumes`.
pub const STORAGE_POOL_LIST_ALL_VOLUMES: i32 = 282;
/// `virConnectListAllNetworks`.
pub const CONNECT_LIST_ALL_NETWORKS: i32 = 283;
/// `virConnectListAllInterfaces`.
pub const CONNECT_LIST_ALL_INTERFACES: i32 = 284;
/// `virConnectListAllNodeDevices`.
pub const CONNECT_LIST_ALL_NODE_DEVICES: i32 = 285;
/// `virConnectListAllNWFilters`.
pub const CONNECT_LIST_ALL_NWFILTERS: i32 = 286;
/// `virConnectListAllSecrets`.
pub const CONNECT_LIST_ALL_SECRETS: i32 = 287;
/// `virNodeSetMemoryParameters`.
pub const NODE_SET_MEMORY_PARAMETERS: i32 = 288;
/// `virNodeGetMemoryParameters`.
pub const NODE_GET_MEMORY_PARAMETERS: i32 = 289;
/// `virDomainBlockCommit`.
pub const DOMAIN_BLOCK_COMMIT: i32 = 290;
/// `virNetworkUpdate`.
pub const NETWORK_UPDATE: i32 = 291;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_PMSUSPEND_DISK: i32 = 292;
/// `virNodeGetCPUMap`.
pub const NODE_GET_CPU_MAP: i32 = 293;
/// `virDomainFSTrim`.
pub const DOMAIN_FSTRIM: i32 = 294;
/// `virDomainSendProcessSignal`.
pub const DOMAIN_SEND_PROCESS_SIGNAL: i32 = 295;
/// `virDomainOpenChannel`.
pub const DOMAIN_OPEN_CHANNEL: i32 = 296;
/// `virNodeDeviceLookupSCSIHostByWWN`.
pub const NODE_DEVICE_LOOKUP_SCSI_HOST_BY_WWN: i32 = 297;
/// `virDomainGetJobStats`.
pub const DOMAIN_GET_JOB_STATS: i32 = 298;
/// `virDomainMigrateGetCompressionCache`.
pub const DOMAIN_MIGRATE_GET_COMPRESSION_CACHE: i32 = 299;
/// `virDomainMigrateSetCompressionCache`.
pub const DOMAIN_MIGRATE_SET_COMPRESSION_CACHE: i32 = 300;
/// `virNodeDeviceDetachFlags`.
pub const NODE_DEVICE_DETACH_FLAGS: i32 = 301;
/// `virDomainMigrateBegin3Params`.
pub const DOMAIN_MIGRATE_BEGIN3_PARAMS: i32 = 302;
/// `virDomainMigratePrepare3Params`.
pub const DOMAIN_MIGRATE_PREPARE3_PARAMS: i32 = 303;
/// `virDomainMigratePrepareTunnel3Params`.
pub const DOMAIN_MIGRATE_PREPARE_TUNNEL3_PARAMS: i32 = 304;
/// `virDomainMigratePerform3Params`.
pub const DOMAIN_MIGRATE_PERFORM3_PARAMS: i32 = 305;
/// `virDomainMigrateFinish3Params`.
pub const DOMAIN_MIGRATE_FINISH3_PARAMS: i32 = 306;
/// `virDomainMigrateConfirm3Params`.
pub const DOMAIN_MIGRATE_CONFIRM3_PARAMS: i32 = 307;
/// `virDomainSetMemoryStatsPeriod`.
pub const DOMAIN_SET_MEMORY_STATS_PERIOD: i32 = 308;
/// `virDomainCreateXMLWithFiles`.
pub const DOMAIN_CREATE_XML_WITH_FILES: i32 = 309;
/// `virDomainCreateWithFiles`.
pub const DOMAIN_CREATE_WITH_FILES: i32 = 310;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_DEVICE_REMOVED: i32 = 311;
/// `virConnectGetCPUModelNames`.
pub const CONNECT_GET_CPU_MODEL_NAMES: i32 = 312;
/// `virConnectNetworkEventRegisterAny`.
pub const CONNECT_NETWORK_EVENT_REGISTER_ANY: i32 = 313;
/// `virConnectNetworkEventDeregisterAny`.
pub const CONNECT_NETWORK_EVENT_DEREGISTER_ANY: i32 = 314;
/// Event message (type MESSAGE).
pub const NETWORK_EVENT_LIFECYCLE: i32 = 315;
/// `virConnectDomainEventCallbackRegisterAny`.
pub const CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY: i32 = 316;
/// `virConnectDomainEventCallbackDeregisterAny`.
pub const CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY: i32 = 317;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_LIFECYCLE: i32 = 318;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_REBOOT: i32 = 319;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_RTC_CHANGE: i32 = 320;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_WATCHDOG: i32 = 321;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_IO_ERROR: i32 = 322;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_GRAPHICS: i32 = 323;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_IO_ERROR_REASON: i32 = 324;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_CONTROL_ERROR: i32 = 325;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_BLOCK_JOB: i32 = 326;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_DISK_CHANGE: i32 = 327;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_TRAY_CHANGE: i32 = 328;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_PMWAKEUP: i32 = 329;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_PMSUSPEND: i32 = 330;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_BALLOON_CHANGE: i32 = 331;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_PMSUSPEND_DISK: i32 = 332;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_DEVICE_REMOVED: i32 = 333;
/// `virDomainCoreDumpWithFormat`.
pub const DOMAIN_CORE_DUMP_WITH_FORMAT: i32 = 334;
/// `virDomainFSFreeze`.
pub const DOMAIN_FSFREEZE: i32 = 335;
/// `virDomainFSThaw`.
pub const DOMAIN_FSTHAW: i32 = 336;
/// `virDomainGetTime`.
pub const DOMAIN_GET_TIME: i32 = 337;
/// `virDomainSetTime`.
pub const DOMAIN_SET_TIME: i32 = 338;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_BLOCK_JOB_2: i32 = 339;
/// `virNodeGetFreePages`.
pub const NODE_GET_FREE_PAGES: i32 = 340;
/// `virNetworkGetDHCPLeases`.
pub const NETWORK_GET_DHCP_LEASES: i32 = 341;
/// `virConnectGetDomainCapabilities`.
pub const CONNECT_GET_DOMAIN_CAPABILITIES: i32 = 342;
/// `virDomainOpenGraphicsFD`.
pub const DOMAIN_OPEN_GRAPHICS_FD: i32 = 343;
/// `virConnectGetAllDomainStats`.
pub const CONNECT_GET_ALL_DOMAIN_STATS: i32 = 344;
/// `virDomainBlockCopy`.
pub const DOMAIN_BLOCK_COPY: i32 = 345;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_TUNABLE: i32 = 346;
/// `virNodeAllocPages`.
pub const NODE_ALLOC_PAGES: i32 = 347;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_AGENT_LIFECYCLE: i32 = 348;
/// `virDomainGetFSInfo`.
pub const DOMAIN_GET_FSINFO: i32 = 349;
/// `virDomainDefineXMLFlags`.
pub const DOMAIN_DEFINE_XML_FLAGS: i32 = 350;
/// `virDomainGetIOThreadInfo`.
pub const DOMAIN_GET_IOTHREAD_INFO: i32 = 351;
/// `virDomainPinIOThread`.
pub const DOMAIN_PIN_IOTHREAD: i32 = 352;
/// `virDomainInterfaceAddresses`.
pub const DOMAIN_INTERFACE_ADDRESSES: i32 = 353;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_DEVICE_ADDED: i32 = 354;
/// `virDomainAddIOThread`.
pub const DOMAIN_ADD_IOTHREAD: i32 = 355;
/// `virDomainDelIOThread`.
pub const DOMAIN_DEL_IOTHREAD: i32 = 356;
/// `virDomainSetUserPassword`.
pub const DOMAIN_SET_USER_PASSWORD: i32 = 357;
/// `virDomainRename`.
pub const DOMAIN_RENAME: i32 = 358;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_MIGRATION_ITERATION: i32 = 359;
/// `virConnectRegisterCloseCallback`.
pub const CONNECT_REGISTER_CLOSE_CALLBACK: i32 = 360;
/// `virConnectUnregisterCloseCallback`.
pub const CONNECT_UNREGISTER_CLOSE_CALLBACK: i32 = 361;
/// Event message (type MESSAGE).
pub const CONNECT_EVENT_CONNECTION_CLOSED: i32 = 362;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_JOB_COMPLETED: i32 = 363;
/// `virDomainMigrateStartPostCopy`.
pub const DOMAIN_MIGRATE_START_POST_COPY: i32 = 364;
/// `virDomainGetPerfEvents`.
pub const DOMAIN_GET_PERF_EVENTS: i32 = 365;
/// `virDomainSetPerfEvents`.
pub const DOMAIN_SET_PERF_EVENTS: i32 = 366;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_DEVICE_REMOVAL_FAILED: i32 = 367;
/// `virConnectStoragePoolEventRegisterAny`.
pub const CONNECT_STORAGE_POOL_EVENT_REGISTER_ANY: i32 = 368;
/// `virConnectStoragePoolEventDeregisterAny`.
pub const CONNECT_STORAGE_POOL_EVENT_DEREGISTER_ANY: i32 = 369;
/// Event message (type MESSAGE).
pub const STORAGE_POOL_EVENT_LIFECYCLE: i32 = 370;
/// `virDomainGetGuestVcpus`.
pub const DOMAIN_GET_GUEST_VCPUS: i32 = 371;
/// `virDomainSetGuestVcpus`.
pub const DOMAIN_SET_GUEST_VCPUS: i32 = 372;
/// Event message (type MESSAGE).
pub const STORAGE_POOL_EVENT_REFRESH: i32 = 373;
/// `virConnectNodeDeviceEventRegisterAny`.
pub const CONNECT_NODE_DEVICE_EVENT_REGISTER_ANY: i32 = 374;
/// `virConnectNodeDeviceEventDeregisterAny`.
pub const CONNECT_NODE_DEVICE_EVENT_DEREGISTER_ANY: i32 = 375;
/// Event message (type MESSAGE).
pub const NODE_DEVICE_EVENT_LIFECYCLE: i32 = 376;
/// Event message (type MESSAGE).
pub const NODE_DEVICE_EVENT_UPDATE: i32 = 377;
/// `virStorageVolGetInfoFlags`.
pub const STORAGE_VOL_GET_INFO_FLAGS: i32 = 378;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_CALLBACK_METADATA_CHANGE: i32 = 379;
/// `virConnectSecretEventRegisterAny`.
pub const CONNECT_SECRET_EVENT_REGISTER_ANY: i32 = 380;
/// `virConnectSecretEventDeregisterAny`.
pub const CONNECT_SECRET_EVENT_DEREGISTER_ANY: i32 = 381;
/// Event message (type MESSAGE).
pub const SECRET_EVENT_LIFECYCLE: i32 = 382;
/// Event message (type MESSAGE).
pub const SECRET_EVENT_VALUE_CHANGED: i32 = 383;
/// `virDomainSetVcpu`.
pub const DOMAIN_SET_VCPU: i32 = 384;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_BLOCK_THRESHOLD: i32 = 385;
/// `virDomainSetBlockThreshold`.
pub const DOMAIN_SET_BLOCK_THRESHOLD: i32 = 386;
/// `virDomainMigrateGetMaxDowntime`.
pub const DOMAIN_MIGRATE_GET_MAX_DOWNTIME: i32 = 387;
/// `virDomainManagedSaveGetXMLDesc`.
pub const DOMAIN_MANAGED_SAVE_GET_XML_DESC: i32 = 388;
/// `virDomainManagedSaveDefineXML`.
pub const DOMAIN_MANAGED_SAVE_DEFINE_XML: i32 = 389;
/// `virDomainSetLifecycleAction`.
pub const DOMAIN_SET_LIFECYCLE_ACTION: i32 = 390;
/// `virStoragePoolLookupByTargetPath`.
pub const STORAGE_POOL_LOOKUP_BY_TARGET_PATH: i32 = 391;
/// `virDomainDetachDeviceAlias`.
pub const DOMAIN_DETACH_DEVICE_ALIAS: i32 = 392;
/// `virConnectCompareHypervisorCPU`.
pub const CONNECT_COMPARE_HYPERVISOR_CPU: i32 = 393;
/// `virConnectBaselineHypervisorCPU`.
pub const CONNECT_BASELINE_HYPERVISOR_CPU: i32 = 394;
/// `virNodeGetSEVInfo`.
pub const NODE_GET_SEV_INFO: i32 = 395;
/// `virDomainGetLaunchSecurityInfo`.
pub const DOMAIN_GET_LAUNCH_SECURITY_INFO: i32 = 396;
/// `virNWFilterBindingLookupByPortDev`.
pub const NWFILTER_BINDING_LOOKUP_BY_PORT_DEV: i32 = 397;
/// `virNWFilterBindingGetXMLDesc`.
pub const NWFILTER_BINDING_GET_XML_DESC: i32 = 398;
/// `virNWFilterBindingCreateXML`.
pub const NWFILTER_BINDING_CREATE_XML: i32 = 399;
/// `virNWFilterBindingDelete`.
pub const NWFILTER_BINDING_DELETE: i32 = 400;
/// `virConnectListAllNWFilterBindings`.
pub const CONNECT_LIST_ALL_NWFILTER_BINDINGS: i32 = 401;
/// `virDomainSetIOThreadParams`.
pub const DOMAIN_SET_IOTHREAD_PARAMS: i32 = 402;
/// `virConnectGetStoragePoolCapabilities`.
pub const CONNECT_GET_STORAGE_POOL_CAPABILITIES: i32 = 403;
/// `virNetworkListAllPorts`.
pub const NETWORK_LIST_ALL_PORTS: i32 = 404;
/// `virNetworkPortLookupByUUID`.
pub const NETWORK_PORT_LOOKUP_BY_UUID: i32 = 405;
/// `virNetworkPortCreateXML`.
pub const NETWORK_PORT_CREATE_XML: i32 = 406;
/// `virNetworkPortGetParameters`.
pub const NETWORK_PORT_GET_PARAMETERS: i32 = 407;
/// `virNetworkPortSetParameters`.
pub const NETWORK_PORT_SET_PARAMETERS: i32 = 408;
/// `virNetworkPortGetXMLDesc`.
pub const NETWORK_PORT_GET_XML_DESC: i32 = 409;
/// `virNetworkPortDelete`.
pub const NETWORK_PORT_DELETE: i32 = 410;
/// `virDomainCheckpointCreateXML`.
pub const DOMAIN_CHECKPOINT_CREATE_XML: i32 = 411;
/// `virDomainCheckpointGetXMLDesc`.
pub const DOMAIN_CHECKPOINT_GET_XML_DESC: i32 = 412;
/// `virDomainListAllCheckpoints`.
pub const DOMAIN_LIST_ALL_CHECKPOINTS: i32 = 413;
/// `virDomainCheckpointListAllChildren`.
pub const DOMAIN_CHECKPOINT_LIST_ALL_CHILDREN: i32 = 414;
/// `virDomainCheckpointLookupByName`.
pub const DOMAIN_CHECKPOINT_LOOKUP_BY_NAME: i32 = 415;
/// `virDomainCheckpointGetParent`.
pub const DOMAIN_CHECKPOINT_GET_PARENT: i32 = 416;
/// `virDomainCheckpointDelete`.
pub const DOMAIN_CHECKPOINT_DELETE: i32 = 417;
/// `virDomainGetGuestInfo`.
pub const DOMAIN_GET_GUEST_INFO: i32 = 418;
/// `virConnectSetIdentity`.
pub const CONNECT_SET_IDENTITY: i32 = 419;
/// `virDomainAgentSetResponseTimeout`.
pub const DOMAIN_AGENT_SET_RESPONSE_TIMEOUT: i32 = 420;
/// `virDomainBackupBegin`.
pub const DOMAIN_BACKUP_BEGIN: i32 = 421;
/// `virDomainBackupGetXMLDesc`.
pub const DOMAIN_BACKUP_GET_XML_DESC: i32 = 422;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_MEMORY_FAILURE: i32 = 423;
/// `virDomainAuthorizedSSHKeysGet`.
pub const DOMAIN_AUTHORIZED_SSH_KEYS_GET: i32 = 424;
/// `virDomainAuthorizedSSHKeysSet`.
pub const DOMAIN_AUTHORIZED_SSH_KEYS_SET: i32 = 425;
/// `virDomainGetMessages`.
pub const DOMAIN_GET_MESSAGES: i32 = 426;
/// `virDomainStartDirtyRateCalc`.
pub const DOMAIN_START_DIRTY_RATE_CALC: i32 = 427;
/// `virNodeDeviceDefineXML`.
pub const NODE_DEVICE_DEFINE_XML: i32 = 428;
/// `virNodeDeviceUndefine`.
pub const NODE_DEVICE_UNDEFINE: i32 = 429;
/// `virNodeDeviceCreate`.
pub const NODE_DEVICE_CREATE: i32 = 430;
/// `virNWFilterDefineXMLFlags`.
pub const NWFILTER_DEFINE_XML_FLAGS: i32 = 431;
/// `virNetworkDefineXMLFlags`.
pub const NETWORK_DEFINE_XML_FLAGS: i32 = 432;
/// `virNodeDeviceGetAutostart`.
pub const NODE_DEVICE_GET_AUTOSTART: i32 = 433;
/// `virNodeDeviceSetAutostart`.
pub const NODE_DEVICE_SET_AUTOSTART: i32 = 434;
/// `virNodeDeviceIsPersistent`.
pub const NODE_DEVICE_IS_PERSISTENT: i32 = 435;
/// `virNodeDeviceIsActive`.
pub const NODE_DEVICE_IS_ACTIVE: i32 = 436;
/// `virNetworkCreateXMLFlags`.
pub const NETWORK_CREATE_XML_FLAGS: i32 = 437;
/// Event message (type MESSAGE).
pub const DOMAIN_EVENT_MEMORY_DEVICE_SIZE_CHANGE: i32 = 438;
/// `virDomainSetLaunchSecurityState`.
pub const DOMAIN_SET_LAUNCH_SECURITY_STATE: i32 = 439;
/// `virDomainSaveParams`.
pub const DOMAIN_SAVE_PARAMS: i32 = 440;
/// `virDomainRestoreParams`.
pub const DOMAIN_RESTORE_PARAMS: i32 = 441;
/// `virDomainAbortJobFlags`.
pub const DOMAIN_ABORT_JOB_FLAGS: i32 = 442;
/// `virDomainFDAssociate`.
pub const DOMAIN_FD_ASSOCIATE: i32 = 443;
