//! [`StoragePool`] and [`StorageVol`]: storage pools and their volumes
//! (`virStoragePool*`, `virStorageVol*`), with volume upload and download
//! streams.

use crate::connect::{ConnInner, Connect};
use crate::stream::Stream;
use oxvirt_core::{Result, Uuid};
use oxvirt_protocol::remote::{self, procs, NonnullStoragePool, NonnullStorageVol};
use std::sync::Arc;

/// `virStoragePoolInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoragePoolInfo {
    /// 0 inactive, 1 building, 2 running, 3 degraded, 4 inaccessible.
    pub state: u32,
    /// Bytes.
    pub capacity: u64,
    pub allocation: u64,
    pub available: u64,
}

/// `virStorageVolInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StorageVolInfo {
    /// 0 file, 1 block, 2 dir, 3 network, 4 netdir, 5 ploop.
    pub type_: i32,
    /// Bytes.
    pub capacity: u64,
    pub allocation: u64,
}

/// A handle to one storage pool.
#[derive(Clone)]
pub struct StoragePool {
    conn: Arc<ConnInner>,
    wire: NonnullStoragePool,
}

/// A handle to one storage volume.
#[derive(Clone)]
pub struct StorageVol {
    conn: Arc<ConnInner>,
    wire: NonnullStorageVol,
}

impl std::fmt::Debug for StoragePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StoragePool({}, {})", self.wire.name, self.wire.uuid)
    }
}

impl std::fmt::Debug for StorageVol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "StorageVol({}/{})", self.wire.pool, self.wire.name)
    }
}

impl StoragePool {
    /// The pool's name.
    pub fn name(&self) -> &str {
        &self.wire.name
    }

    /// The pool's UUID.
    pub fn uuid(&self) -> Uuid {
        self.wire.uuid
    }

    fn vol(&self, wire: NonnullStorageVol) -> StorageVol {
        StorageVol {
            conn: self.conn.clone(),
            wire,
        }
    }

    async fn with_flags(&self, proc_: i32, flags: u32) -> Result<()> {
        self.conn.call(proc_, &(self.wire.clone(), flags)).await
    }

    async fn bool_query(&self, proc_: i32) -> Result<bool> {
        let r: i32 = self.conn.call(proc_, &self.wire).await?;
        Ok(r != 0)
    }

    /// Starts the pool.
    pub async fn create(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::STORAGE_POOL_CREATE, flags).await
    }

    /// Builds the pool's underlying storage.
    pub async fn build(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::STORAGE_POOL_BUILD, flags).await
    }

    /// Stops the pool.
    pub async fn destroy(&self) -> Result<()> {
        self.conn
            .call(procs::STORAGE_POOL_DESTROY, &self.wire)
            .await
    }

    /// Deletes the pool's underlying storage.
    pub async fn delete(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::STORAGE_POOL_DELETE, flags).await
    }

    /// Removes the persistent definition.
    pub async fn undefine(&self) -> Result<()> {
        self.conn
            .call(procs::STORAGE_POOL_UNDEFINE, &self.wire)
            .await
    }

    /// Rescans the pool's volumes.
    pub async fn refresh(&self, flags: u32) -> Result<()> {
        self.with_flags(procs::STORAGE_POOL_REFRESH, flags).await
    }

    /// `virStoragePoolGetInfo`.
    pub async fn get_info(&self) -> Result<StoragePoolInfo> {
        let r: remote::StoragePoolGetInfoRet = self
            .conn
            .call(procs::STORAGE_POOL_GET_INFO, &self.wire)
            .await?;
        Ok(StoragePoolInfo {
            state: r.state,
            capacity: r.capacity,
            allocation: r.allocation,
            available: r.available,
        })
    }

    /// The pool XML.
    pub async fn get_xml_desc(&self, flags: u32) -> Result<String> {
        self.conn
            .call(
                procs::STORAGE_POOL_GET_XML_DESC,
                &(self.wire.clone(), flags),
            )
            .await
    }

    /// Whether the pool starts with the host.
    pub async fn get_autostart(&self) -> Result<bool> {
        self.bool_query(procs::STORAGE_POOL_GET_AUTOSTART).await
    }

    /// Sets autostart.
    pub async fn set_autostart(&self, on: bool) -> Result<()> {
        self.conn
            .call(
                procs::STORAGE_POOL_SET_AUTOSTART,
                &(self.wire.clone(), i32::from(on)),
            )
            .await
    }

    /// Whether the pool is running.
    pub async fn is_active(&self) -> Result<bool> {
        self.bool_query(procs::STORAGE_POOL_IS_ACTIVE).await
    }

    /// Whether the pool has a persistent definition.
    pub async fn is_persistent(&self) -> Result<bool> {
        self.bool_query(procs::STORAGE_POOL_IS_PERSISTENT).await
    }

    /// Every volume of the pool.
    pub async fn list_all_volumes(&self, flags: u32) -> Result<Vec<StorageVol>> {
        let r: remote::StoragePoolListAllVolumesRet = self
            .conn
            .call(
                procs::STORAGE_POOL_LIST_ALL_VOLUMES,
                &(self.wire.clone(), 1i32, flags),
            )
            .await?;
        Ok(r.vols.into_iter().map(|v| self.vol(v)).collect())
    }

    /// Looks a volume of this pool up by name.
    pub async fn vol_lookup_by_name(&self, name: &str) -> Result<StorageVol> {
        let v = self
            .conn
            .call(
                procs::STORAGE_VOL_LOOKUP_BY_NAME,
                &(self.wire.clone(), name.to_owned()),
            )
            .await?;
        Ok(self.vol(v))
    }

    /// Creates a volume from XML.
    pub async fn vol_create_xml(&self, xml: &str, flags: u32) -> Result<StorageVol> {
        let v = self
            .conn
            .call(
                procs::STORAGE_VOL_CREATE_XML,
                &(self.wire.clone(), xml.to_owned(), flags),
            )
            .await?;
        Ok(self.vol(v))
    }

    /// Creates a volume from XML as a copy of `from`.
    pub async fn vol_create_xml_from(
        &self,
        xml: &str,
        from: &StorageVol,
        flags: u32,
    ) -> Result<StorageVol> {
        let args = remote::StorageVolCreateXmlFromArgs {
            pool: self.wire.clone(),
            xml: xml.to_owned(),
            clonevol: from.wire.clone(),
            flags,
        };
        let v = self
            .conn
            .call(procs::STORAGE_VOL_CREATE_XML_FROM, &args)
            .await?;
        Ok(self.vol(v))
    }
}

impl StorageVol {
    /// The volume's name.
    pub fn name(&self) -> &str {
        &self.wire.name
    }

    /// The volume's key (its path for file-based pools).
    pub fn key(&self) -> &str {
        &self.wire.key
    }

    /// The name of the pool holding the volume.
    pub fn pool_name(&self) -> &str {
        &self.wire.pool
    }

    /// Deletes the volume.
    pub async fn delete(&self, flags: u32) -> Result<()> {
        self.conn
            .call(procs::STORAGE_VOL_DELETE, &(self.wire.clone(), flags))
            .await
    }

    /// Overwrites the volume's data.
    pub async fn wipe(&self, flags: u32) -> Result<()> {
        self.conn
            .call(procs::STORAGE_VOL_WIPE, &(self.wire.clone(), flags))
            .await
    }

    /// `virStorageVolGetInfo`.
    pub async fn get_info(&self) -> Result<StorageVolInfo> {
        let r: remote::StorageVolGetInfoRet = self
            .conn
            .call(procs::STORAGE_VOL_GET_INFO, &self.wire)
            .await?;
        Ok(StorageVolInfo {
            type_: r.type_,
            capacity: r.capacity,
            allocation: r.allocation,
        })
    }

    /// The volume XML.
    pub async fn get_xml_desc(&self, flags: u32) -> Result<String> {
        self.conn
            .call(procs::STORAGE_VOL_GET_XML_DESC, &(self.wire.clone(), flags))
            .await
    }

    /// The volume's path.
    pub async fn get_path(&self) -> Result<String> {
        self.conn
            .call(procs::STORAGE_VOL_GET_PATH, &self.wire)
            .await
    }

    /// Changes the capacity.
    pub async fn resize(&self, capacity: u64, flags: u32) -> Result<()> {
        self.conn
            .call(
                procs::STORAGE_VOL_RESIZE,
                &(self.wire.clone(), capacity, flags),
            )
            .await
    }

    /// Opens an upload stream into the volume (`virStorageVolUpload`;
    /// flag 1 = sparse). `length` 0 means up to the end.
    pub async fn upload(&self, offset: u64, length: u64, flags: u32) -> Result<Stream> {
        let args = remote::StorageVolUploadArgs {
            vol: self.wire.clone(),
            offset,
            length,
            flags,
        };
        Stream::open(self.conn.clone(), procs::STORAGE_VOL_UPLOAD, &args).await
    }

    /// Opens a download stream from the volume (`virStorageVolDownload`).
    pub async fn download(&self, offset: u64, length: u64, flags: u32) -> Result<Stream> {
        let args = remote::StorageVolDownloadArgs {
            vol: self.wire.clone(),
            offset,
            length,
            flags,
        };
        Stream::open(self.conn.clone(), procs::STORAGE_VOL_DOWNLOAD, &args).await
    }

    /// The pool holding this volume.
    pub async fn pool(&self) -> Result<StoragePool> {
        let p = self
            .conn
            .call(procs::STORAGE_POOL_LOOKUP_BY_VOLUME, &self.wire)
            .await?;
        Ok(StoragePool {
            conn: self.conn.clone(),
            wire: p,
        })
    }
}

impl Connect {
    fn pool(&self, wire: NonnullStoragePool) -> StoragePool {
        StoragePool {
            conn: self.inner.clone(),
            wire,
        }
    }

    fn volume(&self, wire: NonnullStorageVol) -> StorageVol {
        StorageVol {
            conn: self.inner.clone(),
            wire,
        }
    }

    /// Every pool matching `VIR_CONNECT_LIST_STORAGE_POOLS_*` flags.
    pub async fn list_all_storage_pools(&self, flags: u32) -> Result<Vec<StoragePool>> {
        let r: remote::ConnectListAllStoragePoolsRet = self
            .inner
            .call(procs::CONNECT_LIST_ALL_STORAGE_POOLS, &(1i32, flags))
            .await?;
        Ok(r.pools.into_iter().map(|p| self.pool(p)).collect())
    }

    /// `virStoragePoolLookupByName`.
    pub async fn storage_pool_lookup_by_name(&self, name: &str) -> Result<StoragePool> {
        let p = self
            .inner
            .call(procs::STORAGE_POOL_LOOKUP_BY_NAME, &name.to_owned())
            .await?;
        Ok(self.pool(p))
    }

    /// `virStoragePoolLookupByUUID`.
    pub async fn storage_pool_lookup_by_uuid(&self, uuid: &Uuid) -> Result<StoragePool> {
        let p = self
            .inner
            .call(procs::STORAGE_POOL_LOOKUP_BY_UUID, uuid)
            .await?;
        Ok(self.pool(p))
    }

    /// Defines a persistent pool.
    pub async fn storage_pool_define_xml(&self, xml: &str, flags: u32) -> Result<StoragePool> {
        let p = self
            .inner
            .call(procs::STORAGE_POOL_DEFINE_XML, &(xml.to_owned(), flags))
            .await?;
        Ok(self.pool(p))
    }

    /// Creates and starts a transient pool.
    pub async fn storage_pool_create_xml(&self, xml: &str, flags: u32) -> Result<StoragePool> {
        let p = self
            .inner
            .call(procs::STORAGE_POOL_CREATE_XML, &(xml.to_owned(), flags))
            .await?;
        Ok(self.pool(p))
    }

    /// `virStorageVolLookupByKey`.
    pub async fn storage_vol_lookup_by_key(&self, key: &str) -> Result<StorageVol> {
        let v = self
            .inner
            .call(procs::STORAGE_VOL_LOOKUP_BY_KEY, &key.to_owned())
            .await?;
        Ok(self.volume(v))
    }

    /// `virStorageVolLookupByPath`.
    pub async fn storage_vol_lookup_by_path(&self, path: &str) -> Result<StorageVol> {
        let v = self
            .inner
            .call(procs::STORAGE_VOL_LOOKUP_BY_PATH, &path.to_owned())
            .await?;
        Ok(self.volume(v))
    }
}
