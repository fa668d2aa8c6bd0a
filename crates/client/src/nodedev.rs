//! [`NodeDevice`]: host devices (`virNodeDevice*`).

use crate::connect::{ConnInner, Connect};
use oxvirt_core::Result;
use oxvirt_protocol::remote::{self, procs, NonnullNodeDevice};
use std::sync::Arc;

/// A handle to one host device.
#[derive(Clone)]
pub struct NodeDevice {
    conn: Arc<ConnInner>,
    name: String,
}

impl std::fmt::Debug for NodeDevice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeDevice({})", self.name)
    }
}

impl NodeDevice {
    /// The device's name, e.g. `pci_0000_00_02_0`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The device XML.
    pub async fn get_xml_desc(&self, flags: u32) -> Result<String> {
        self.conn
            .call(procs::NODE_DEVICE_GET_XML_DESC, &(self.name.clone(), flags))
            .await
    }

    /// The parent device's name.
    pub async fn get_parent(&self) -> Result<Option<String>> {
        self.conn
            .call(procs::NODE_DEVICE_GET_PARENT, &self.name)
            .await
    }

    /// The device's capability names.
    pub async fn list_caps(&self) -> Result<Vec<String>> {
        let n: i32 = self
            .conn
            .call(procs::NODE_DEVICE_NUM_OF_CAPS, &self.name)
            .await?;
        self.conn
            .call(procs::NODE_DEVICE_LIST_CAPS, &(self.name.clone(), n))
            .await
    }

    /// Detaches the device from its host driver (`virNodeDeviceDetachFlags`).
    pub async fn detach_flags(&self, driver: Option<&str>, flags: u32) -> Result<()> {
        let args = remote::NodeDeviceDetachFlagsArgs {
            name: self.name.clone(),
            driverName: driver.map(str::to_owned),
            flags,
        };
        self.conn.call(procs::NODE_DEVICE_DETACH_FLAGS, &args).await
    }

    /// Detaches the device from its host driver (`virNodeDeviceDettach`).
    pub async fn dettach(&self) -> Result<()> {
        self.conn.call(procs::NODE_DEVICE_DETTACH, &self.name).await
    }

    /// Whether a defined device starts with the host.
    pub async fn get_autostart(&self) -> Result<bool> {
        let r: i32 = self
            .conn
            .call(procs::NODE_DEVICE_GET_AUTOSTART, &self.name)
            .await?;
        Ok(r != 0)
    }

    /// Sets autostart.
    pub async fn set_autostart(&self, on: bool) -> Result<()> {
        self.conn
            .call(
                procs::NODE_DEVICE_SET_AUTOSTART,
                &(self.name.clone(), i32::from(on)),
            )
            .await
    }

    /// Whether the device has a persistent definition.
    pub async fn is_persistent(&self) -> Result<bool> {
        let r: i32 = self
            .conn
            .call(procs::NODE_DEVICE_IS_PERSISTENT, &self.name)
            .await?;
        Ok(r != 0)
    }

    /// Whether the device is active.
    pub async fn is_active(&self) -> Result<bool> {
        let r: i32 = self
            .conn
            .call(procs::NODE_DEVICE_IS_ACTIVE, &self.name)
            .await?;
        Ok(r != 0)
    }

    /// Gives the device back to its host driver.
    pub async fn reattach(&self) -> Result<()> {
        self.conn
            .call(procs::NODE_DEVICE_RE_ATTACH, &self.name)
            .await
    }

    /// Resets the device.
    pub async fn reset(&self) -> Result<()> {
        self.conn.call(procs::NODE_DEVICE_RESET, &self.name).await
    }

    /// Destroys a virtual device (vHBA, mdev).
    pub async fn destroy(&self) -> Result<()> {
        self.conn.call(procs::NODE_DEVICE_DESTROY, &self.name).await
    }

    /// Removes a persistent device definition.
    pub async fn undefine(&self, flags: u32) -> Result<()> {
        self.conn
            .call(procs::NODE_DEVICE_UNDEFINE, &(self.name.clone(), flags))
            .await
    }

    /// Starts a defined device.
    pub async fn create(&self, flags: u32) -> Result<()> {
        self.conn
            .call(procs::NODE_DEVICE_CREATE, &(self.name.clone(), flags))
            .await
    }
}

impl Connect {
    fn nodedev(&self, wire: NonnullNodeDevice) -> NodeDevice {
        NodeDevice {
            conn: self.inner.clone(),
            name: wire.name,
        }
    }

    /// Every device matching `VIR_CONNECT_LIST_NODE_DEVICES_*` flags.
    pub async fn list_all_node_devices(&self, flags: u32) -> Result<Vec<NodeDevice>> {
        let r: remote::ConnectListAllNodeDevicesRet = self
            .inner
            .call(procs::CONNECT_LIST_ALL_NODE_DEVICES, &(1i32, flags))
            .await?;
        Ok(r.devices.into_iter().map(|d| self.nodedev(d)).collect())
    }

    /// `virNodeDeviceLookupByName`.
    pub async fn node_device_lookup_by_name(&self, name: &str) -> Result<NodeDevice> {
        let d = self
            .inner
            .call(procs::NODE_DEVICE_LOOKUP_BY_NAME, &name.to_owned())
            .await?;
        Ok(self.nodedev(d))
    }

    /// Creates a transient virtual device.
    pub async fn node_device_create_xml(&self, xml: &str, flags: u32) -> Result<NodeDevice> {
        let d = self
            .inner
            .call(procs::NODE_DEVICE_CREATE_XML, &(xml.to_owned(), flags))
            .await?;
        Ok(self.nodedev(d))
    }

    /// Defines a persistent virtual device.
    pub async fn node_device_define_xml(&self, xml: &str, flags: u32) -> Result<NodeDevice> {
        let d = self
            .inner
            .call(procs::NODE_DEVICE_DEFINE_XML, &(xml.to_owned(), flags))
            .await?;
        Ok(self.nodedev(d))
    }
}
