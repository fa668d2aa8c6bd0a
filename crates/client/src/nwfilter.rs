//! [`NwFilter`]: network filters (`virNWFilter*`).

use crate::connect::{ConnInner, Connect};
use oxvirt_core::{Result, Uuid};
use oxvirt_protocol::remote::{self, procs, NonnullNwfilter};
use std::sync::Arc;

/// A handle to one network filter.
#[derive(Clone)]
pub struct NwFilter {
    conn: Arc<ConnInner>,
    wire: NonnullNwfilter,
}

impl std::fmt::Debug for NwFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NwFilter({}, {})", self.wire.name, self.wire.uuid)
    }
}

impl NwFilter {
    /// The filter's name.
    pub fn name(&self) -> &str {
        &self.wire.name
    }

    /// The filter's UUID.
    pub fn uuid(&self) -> Uuid {
        self.wire.uuid
    }

    /// The filter XML.
    pub async fn get_xml_desc(&self, flags: u32) -> Result<String> {
        self.conn
            .call(procs::NWFILTER_GET_XML_DESC, &(self.wire.clone(), flags))
            .await
    }

    /// Removes the filter.
    pub async fn undefine(&self) -> Result<()> {
        self.conn.call(procs::NWFILTER_UNDEFINE, &self.wire).await
    }
}

impl Connect {
    fn nwfilter(&self, wire: NonnullNwfilter) -> NwFilter {
        NwFilter {
            conn: self.inner.clone(),
            wire,
        }
    }

    /// Every network filter.
    pub async fn list_all_nwfilters(&self, flags: u32) -> Result<Vec<NwFilter>> {
        let r: remote::ConnectListAllNwfiltersRet = self
            .inner
            .call(procs::CONNECT_LIST_ALL_NWFILTERS, &(1i32, flags))
            .await?;
        Ok(r.filters.into_iter().map(|f| self.nwfilter(f)).collect())
    }

    /// `virNWFilterLookupByName`.
    pub async fn nwfilter_lookup_by_name(&self, name: &str) -> Result<NwFilter> {
        let f = self
            .inner
            .call(procs::NWFILTER_LOOKUP_BY_NAME, &name.to_owned())
            .await?;
        Ok(self.nwfilter(f))
    }

    /// `virNWFilterLookupByUUID`.
    pub async fn nwfilter_lookup_by_uuid(&self, uuid: &Uuid) -> Result<NwFilter> {
        let f = self
            .inner
            .call(procs::NWFILTER_LOOKUP_BY_UUID, uuid)
            .await?;
        Ok(self.nwfilter(f))
    }

    /// Defines or redefines a filter.
    pub async fn nwfilter_define_xml(&self, xml: &str) -> Result<NwFilter> {
        let f = self
            .inner
            .call(procs::NWFILTER_DEFINE_XML, &xml.to_owned())
            .await?;
        Ok(self.nwfilter(f))
    }
}
