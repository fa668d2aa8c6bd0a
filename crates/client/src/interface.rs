//! [`Interface`]: host network interfaces (`virInterface*`).

use crate::connect::{ConnInner, Connect};
use oxvirt_core::Result;
use oxvirt_protocol::remote::{self, procs, NonnullInterface};
use std::sync::Arc;

/// A handle to one host interface.
#[derive(Clone)]
pub struct Interface {
    conn: Arc<ConnInner>,
    wire: NonnullInterface,
}

impl std::fmt::Debug for Interface {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Interface({}, {})", self.wire.name, self.wire.mac)
    }
}

impl Interface {
    /// The interface's name.
    pub fn name(&self) -> &str {
        &self.wire.name
    }

    /// The interface's MAC address.
    pub fn mac(&self) -> &str {
        &self.wire.mac
    }

    /// The interface XML.
    pub async fn get_xml_desc(&self, flags: u32) -> Result<String> {
        self.conn
            .call(procs::INTERFACE_GET_XML_DESC, &(self.wire.clone(), flags))
            .await
    }

    /// Removes the definition.
    pub async fn undefine(&self) -> Result<()> {
        self.conn.call(procs::INTERFACE_UNDEFINE, &self.wire).await
    }

    /// Brings the interface up.
    pub async fn create(&self, flags: u32) -> Result<()> {
        self.conn
            .call(procs::INTERFACE_CREATE, &(self.wire.clone(), flags))
            .await
    }

    /// Brings the interface down.
    pub async fn destroy(&self, flags: u32) -> Result<()> {
        self.conn
            .call(procs::INTERFACE_DESTROY, &(self.wire.clone(), flags))
            .await
    }

    /// Whether the interface is up.
    pub async fn is_active(&self) -> Result<bool> {
        let r: i32 = self
            .conn
            .call(procs::INTERFACE_IS_ACTIVE, &self.wire)
            .await?;
        Ok(r != 0)
    }
}

impl Connect {
    fn iface(&self, wire: NonnullInterface) -> Interface {
        Interface {
            conn: self.inner.clone(),
            wire,
        }
    }

    /// Every interface matching `VIR_CONNECT_LIST_INTERFACES_*` flags.
    pub async fn list_all_interfaces(&self, flags: u32) -> Result<Vec<Interface>> {
        let r: remote::ConnectListAllInterfacesRet = self
            .inner
            .call(procs::CONNECT_LIST_ALL_INTERFACES, &(1i32, flags))
            .await?;
        Ok(r.ifaces.into_iter().map(|i| self.iface(i)).collect())
    }

    /// `virInterfaceLookupByName`.
    pub async fn interface_lookup_by_name(&self, name: &str) -> Result<Interface> {
        let i = self
            .inner
            .call(procs::INTERFACE_LOOKUP_BY_NAME, &name.to_owned())
            .await?;
        Ok(self.iface(i))
    }

    /// `virInterfaceLookupByMACString`.
    pub async fn interface_lookup_by_mac(&self, mac: &str) -> Result<Interface> {
        let i = self
            .inner
            .call(procs::INTERFACE_LOOKUP_BY_MAC_STRING, &mac.to_owned())
            .await?;
        Ok(self.iface(i))
    }

    /// Defines an interface.
    pub async fn interface_define_xml(&self, xml: &str, flags: u32) -> Result<Interface> {
        let i = self
            .inner
            .call(procs::INTERFACE_DEFINE_XML, &(xml.to_owned(), flags))
            .await?;
        Ok(self.iface(i))
    }
}
