//! [`Network`]: virtual networks (`virNetwork*`).

use crate::connect::{ConnInner, Connect};
use oxvirt_core::{Result, Uuid};
use oxvirt_protocol::remote::{self, procs, NonnullNetwork};
use std::sync::Arc;

/// A DHCP lease (`virNetworkDHCPLease`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DhcpLease {
    pub iface: String,
    /// Seconds since the epoch.
    pub expiry_time: i64,
    /// 0 IPv4, 1 IPv6.
    pub type_: i32,
    pub mac: Option<String>,
    pub iaid: Option<String>,
    pub ipaddr: String,
    pub prefix: u32,
    pub hostname: Option<String>,
    pub clientid: Option<String>,
}

/// A handle to one virtual network.
#[derive(Clone)]
pub struct Network {
    conn: Arc<ConnInner>,
    wire: NonnullNetwork,
}

impl std::fmt::Debug for Network {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Network({}, {})", self.wire.name, self.wire.uuid)
    }
}

impl Network {
    /// The network's name.
    pub fn name(&self) -> &str {
        &self.wire.name
    }

    /// The network's UUID.
    pub fn uuid(&self) -> Uuid {
        self.wire.uuid
    }

    async fn bool_query(&self, proc_: i32) -> Result<bool> {
        let r: i32 = self.conn.call(proc_, &self.wire).await?;
        Ok(r != 0)
    }

    /// Starts a defined network.
    pub async fn create(&self) -> Result<()> {
        self.conn.call(procs::NETWORK_CREATE, &self.wire).await
    }

    /// Stops the network.
    pub async fn destroy(&self) -> Result<()> {
        self.conn.call(procs::NETWORK_DESTROY, &self.wire).await
    }

    /// Removes the persistent definition.
    pub async fn undefine(&self) -> Result<()> {
        self.conn.call(procs::NETWORK_UNDEFINE, &self.wire).await
    }

    /// The network XML.
    pub async fn get_xml_desc(&self, flags: u32) -> Result<String> {
        self.conn
            .call(procs::NETWORK_GET_XML_DESC, &(self.wire.clone(), flags))
            .await
    }

    /// The bridge device name.
    pub async fn get_bridge_name(&self) -> Result<String> {
        self.conn
            .call(procs::NETWORK_GET_BRIDGE_NAME, &self.wire)
            .await
    }

    /// Whether the network starts with the host.
    pub async fn get_autostart(&self) -> Result<bool> {
        self.bool_query(procs::NETWORK_GET_AUTOSTART).await
    }

    /// Sets autostart.
    pub async fn set_autostart(&self, on: bool) -> Result<()> {
        self.conn
            .call(
                procs::NETWORK_SET_AUTOSTART,
                &(self.wire.clone(), i32::from(on)),
            )
            .await
    }

    /// Whether the network is running.
    pub async fn is_active(&self) -> Result<bool> {
        self.bool_query(procs::NETWORK_IS_ACTIVE).await
    }

    /// Whether the network has a persistent definition.
    pub async fn is_persistent(&self) -> Result<bool> {
        self.bool_query(procs::NETWORK_IS_PERSISTENT).await
    }

    /// Updates part of the definition (`virNetworkUpdate`).
    pub async fn update(
        &self,
        command: u32,
        section: u32,
        parent_index: i32,
        xml: &str,
        flags: u32,
    ) -> Result<()> {
        let args = remote::NetworkUpdateArgs {
            net: self.wire.clone(),
            command,
            section,
            parentIndex: parent_index,
            xml: xml.to_owned(),
            flags,
        };
        self.conn.call(procs::NETWORK_UPDATE, &args).await
    }

    /// The DHCP leases, optionally of one MAC address.
    pub async fn get_dhcp_leases(&self, mac: Option<&str>, flags: u32) -> Result<Vec<DhcpLease>> {
        let args = remote::NetworkGetDhcpLeasesArgs {
            net: self.wire.clone(),
            mac: mac.map(str::to_owned),
            need_results: 1,
            flags,
        };
        let r: remote::NetworkGetDhcpLeasesRet = self
            .conn
            .call(procs::NETWORK_GET_DHCP_LEASES, &args)
            .await?;
        Ok(r.leases
            .into_iter()
            .map(|l| DhcpLease {
                iface: l.iface,
                expiry_time: l.expirytime,
                type_: l.type_,
                mac: l.mac,
                iaid: l.iaid,
                ipaddr: l.ipaddr,
                prefix: l.prefix,
                hostname: l.hostname,
                clientid: l.clientid,
            })
            .collect())
    }
}

impl Connect {
    fn net(&self, wire: NonnullNetwork) -> Network {
        Network {
            conn: self.inner.clone(),
            wire,
        }
    }

    /// Every network matching `VIR_CONNECT_LIST_NETWORKS_*` flags.
    pub async fn list_all_networks(&self, flags: u32) -> Result<Vec<Network>> {
        let r: remote::ConnectListAllNetworksRet = self
            .inner
            .call(procs::CONNECT_LIST_ALL_NETWORKS, &(1i32, flags))
            .await?;
        Ok(r.nets.into_iter().map(|n| self.net(n)).collect())
    }

    /// `virNetworkLookupByName`.
    pub async fn network_lookup_by_name(&self, name: &str) -> Result<Network> {
        let n = self
            .inner
            .call(procs::NETWORK_LOOKUP_BY_NAME, &name.to_owned())
            .await?;
        Ok(self.net(n))
    }

    /// `virNetworkLookupByUUID`.
    pub async fn network_lookup_by_uuid(&self, uuid: &Uuid) -> Result<Network> {
        let n = self.inner.call(procs::NETWORK_LOOKUP_BY_UUID, uuid).await?;
        Ok(self.net(n))
    }

    /// Defines a persistent network.
    pub async fn network_define_xml(&self, xml: &str) -> Result<Network> {
        let n = self
            .inner
            .call(procs::NETWORK_DEFINE_XML, &xml.to_owned())
            .await?;
        Ok(self.net(n))
    }

    /// Creates and starts a transient network.
    pub async fn network_create_xml(&self, xml: &str) -> Result<Network> {
        let n = self
            .inner
            .call(procs::NETWORK_CREATE_XML, &xml.to_owned())
            .await?;
        Ok(self.net(n))
    }
}
