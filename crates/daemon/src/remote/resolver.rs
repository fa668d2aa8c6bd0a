//! `<disk type='volume'>` in a modular deployment: virtqemud asks virtstoraged
//! for the volume's path, type and format over RPC, on a short connection of
//! its own, as libvirt's QEMU driver does through its storage connection.

use async_trait::async_trait;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_driver::storage::{target_format, ResolvedVolume, VolType, VolumeResolver};
use oxvirt_protocol::remote::{self, procs, *};
use oxvirt_rpc::client::{CallError, RpcClient};
use std::path::PathBuf;

/// Resolves volumes by asking the storage daemon.
pub(crate) struct RpcVolumeResolver {
    pub socket: PathBuf,
    pub uri: String,
}

fn err(e: CallError) -> Error {
    match e {
        CallError::Remote(e) => e,
        other => Error::new(
            ErrorDomain::STORAGE,
            ErrorCode::OPERATION_FAILED,
            other.to_string(),
        ),
    }
}

#[async_trait]
impl VolumeResolver for RpcVolumeResolver {
    async fn resolve_volume(&self, pool: &str, vol: &str) -> Result<ResolvedVolume> {
        let c = RpcClient::connect_unix(&self.socket).await.map_err(|e| {
            Error::system(
                ErrorDomain::RPC,
                format!("Failed to connect socket to '{}'", self.socket.display()),
                &e,
            )
        })?;
        let call = |p| (remote::PROGRAM, remote::VERSION, p);
        let (prog, vers, p) = call(procs::CONNECT_OPEN);
        c.call::<_, ()>(
            prog,
            vers,
            p,
            &ConnectOpenArgs {
                name: Some(self.uri.clone()),
                flags: 0,
            },
        )
        .await
        .map_err(err)?;
        let pool_ref: StoragePoolLookupByNameRet = c
            .call(
                remote::PROGRAM,
                remote::VERSION,
                procs::STORAGE_POOL_LOOKUP_BY_NAME,
                &StoragePoolLookupByNameArgs {
                    name: pool.to_owned(),
                },
            )
            .await
            .map_err(err)?;
        let active: StoragePoolIsActiveRet = c
            .call(
                remote::PROGRAM,
                remote::VERSION,
                procs::STORAGE_POOL_IS_ACTIVE,
                &StoragePoolIsActiveArgs {
                    pool: pool_ref.pool.clone(),
                },
            )
            .await
            .map_err(err)?;
        if active.active == 0 {
            return Err(Error::new(
                ErrorDomain::STORAGE,
                ErrorCode::OPERATION_INVALID,
                format!("storage pool '{pool}' containing volume '{vol}' is not active"),
            ));
        }
        let v: StorageVolLookupByNameRet = c
            .call(
                remote::PROGRAM,
                remote::VERSION,
                procs::STORAGE_VOL_LOOKUP_BY_NAME,
                &StorageVolLookupByNameArgs {
                    pool: pool_ref.pool,
                    name: vol.to_owned(),
                },
            )
            .await
            .map_err(err)?;
        let info: StorageVolGetInfoRet = c
            .call(
                remote::PROGRAM,
                remote::VERSION,
                procs::STORAGE_VOL_GET_INFO,
                &StorageVolGetInfoArgs { vol: v.vol.clone() },
            )
            .await
            .map_err(err)?;
        let path: StorageVolGetPathRet = c
            .call(
                remote::PROGRAM,
                remote::VERSION,
                procs::STORAGE_VOL_GET_PATH,
                &StorageVolGetPathArgs { vol: v.vol.clone() },
            )
            .await
            .map_err(err)?;
        let xml: StorageVolGetXmlDescRet = c
            .call(
                remote::PROGRAM,
                remote::VERSION,
                procs::STORAGE_VOL_GET_XML_DESC,
                &StorageVolGetXmlDescArgs {
                    vol: v.vol,
                    flags: 0,
                },
            )
            .await
            .map_err(err)?;
        let _ = c
            .call::<_, ()>(remote::PROGRAM, remote::VERSION, procs::CONNECT_CLOSE, &())
            .await;
        Ok(ResolvedVolume {
            path: path.name,
            kind: VolType::from_code(info.type_).unwrap_or(VolType::File),
            format: target_format(&xml.xml).unwrap_or_else(|| "raw".to_owned()),
        })
    }
}
