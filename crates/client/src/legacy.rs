//! The pre-`ListAll` enumeration calls (`virConnectNumOf*`, `virConnectList*`)
//! that virsh falls back to when a daemon lacks the newer ones.

use crate::connect::Connect;
use oxvirt_core::Result;
use oxvirt_protocol::remote::procs;

/// What a legacy count or list call enumerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// Running domains are listed by id; see [`Connect::list_domains`].
    Networks,
    DefinedNetworks,
    StoragePools,
    DefinedStoragePools,
    Interfaces,
    DefinedInterfaces,
    /// Listed as UUID strings.
    Secrets,
    NwFilters,
}

impl Legacy {
    fn procs(self) -> (i32, i32) {
        match self {
            Legacy::Networks => (procs::CONNECT_NUM_OF_NETWORKS, procs::CONNECT_LIST_NETWORKS),
            Legacy::DefinedNetworks => (
                procs::CONNECT_NUM_OF_DEFINED_NETWORKS,
                procs::CONNECT_LIST_DEFINED_NETWORKS,
            ),
            Legacy::StoragePools => (
                procs::CONNECT_NUM_OF_STORAGE_POOLS,
                procs::CONNECT_LIST_STORAGE_POOLS,
            ),
            Legacy::DefinedStoragePools => (
                procs::CONNECT_NUM_OF_DEFINED_STORAGE_POOLS,
                procs::CONNECT_LIST_DEFINED_STORAGE_POOLS,
            ),
            Legacy::Interfaces => (
                procs::CONNECT_NUM_OF_INTERFACES,
                procs::CONNECT_LIST_INTERFACES,
            ),
            Legacy::DefinedInterfaces => (
                procs::CONNECT_NUM_OF_DEFINED_INTERFACES,
                procs::CONNECT_LIST_DEFINED_INTERFACES,
            ),
            Legacy::Secrets => (procs::CONNECT_NUM_OF_SECRETS, procs::CONNECT_LIST_SECRETS),
            Legacy::NwFilters => (
                procs::CONNECT_NUM_OF_NWFILTERS,
                procs::CONNECT_LIST_NWFILTERS,
            ),
        }
    }
}

impl Connect {
    /// `virConnectNumOf*`.
    pub async fn legacy_count(&self, what: Legacy) -> Result<i32> {
        self.inner.call(what.procs().0, &()).await
    }

    /// `virConnectList*` with room for `max` names.
    pub async fn legacy_names(&self, what: Legacy, max: i32) -> Result<Vec<String>> {
        self.inner.call(what.procs().1, &max).await
    }

    /// `virNodeNumOfDevices`.
    pub async fn node_num_of_devices(&self, cap: Option<&str>, flags: u32) -> Result<i32> {
        self.inner
            .call(procs::NODE_NUM_OF_DEVICES, &(cap.map(str::to_owned), flags))
            .await
    }

    /// `virNodeListDevices`.
    pub async fn node_list_devices(
        &self,
        cap: Option<&str>,
        max: i32,
        flags: u32,
    ) -> Result<Vec<String>> {
        self.inner
            .call(
                procs::NODE_LIST_DEVICES,
                &(cap.map(str::to_owned), max, flags),
            )
            .await
    }
}
