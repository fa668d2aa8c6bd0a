//! [`Secret`]: secrets (`virSecret*`).

use crate::connect::{ConnInner, Connect};
use oxvirt_core::{Result, Uuid};
use oxvirt_protocol::remote::{self, procs, NonnullSecret};
use oxvirt_xdr::Opaque;
use std::sync::Arc;

/// A handle to one secret.
#[derive(Clone)]
pub struct Secret {
    conn: Arc<ConnInner>,
    wire: NonnullSecret,
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret({})", self.wire.uuid)
    }
}

impl Secret {
    /// The secret's UUID.
    pub fn uuid(&self) -> Uuid {
        self.wire.uuid
    }

    /// The usage type: 0 none, 1 volume, 2 ceph, 3 iscsi, 4 tls, 5 vtpm.
    pub fn usage_type(&self) -> i32 {
        self.wire.usageType
    }

    /// The usage id (volume path, ceph name, …).
    pub fn usage_id(&self) -> &str {
        &self.wire.usageID
    }

    /// The secret XML.
    pub async fn get_xml_desc(&self, flags: u32) -> Result<String> {
        self.conn
            .call(procs::SECRET_GET_XML_DESC, &(self.wire.clone(), flags))
            .await
    }

    /// Sets the value.
    pub async fn set_value(&self, value: &[u8], flags: u32) -> Result<()> {
        let args = remote::SecretSetValueArgs {
            secret: self.wire.clone(),
            value: Opaque(value.to_vec()),
            flags,
        };
        self.conn.call(procs::SECRET_SET_VALUE, &args).await
    }

    /// The value.
    pub async fn get_value(&self, flags: u32) -> Result<Vec<u8>> {
        let r: Opaque = self
            .conn
            .call(procs::SECRET_GET_VALUE, &(self.wire.clone(), flags))
            .await?;
        Ok(r.0)
    }

    /// Removes the secret.
    pub async fn undefine(&self) -> Result<()> {
        self.conn.call(procs::SECRET_UNDEFINE, &self.wire).await
    }
}

impl Connect {
    fn secret(&self, wire: NonnullSecret) -> Secret {
        Secret {
            conn: self.inner.clone(),
            wire,
        }
    }

    /// Every secret matching `VIR_CONNECT_LIST_SECRETS_*` flags.
    pub async fn list_all_secrets(&self, flags: u32) -> Result<Vec<Secret>> {
        let r: remote::ConnectListAllSecretsRet = self
            .inner
            .call(procs::CONNECT_LIST_ALL_SECRETS, &(1i32, flags))
            .await?;
        Ok(r.secrets.into_iter().map(|s| self.secret(s)).collect())
    }

    /// `virSecretLookupByUUID`.
    pub async fn secret_lookup_by_uuid(&self, uuid: &Uuid) -> Result<Secret> {
        let s = self.inner.call(procs::SECRET_LOOKUP_BY_UUID, uuid).await?;
        Ok(self.secret(s))
    }

    /// `virSecretLookupByUsage`.
    pub async fn secret_lookup_by_usage(&self, usage_type: i32, usage_id: &str) -> Result<Secret> {
        let s = self
            .inner
            .call(
                procs::SECRET_LOOKUP_BY_USAGE,
                &(usage_type, usage_id.to_owned()),
            )
            .await?;
        Ok(self.secret(s))
    }

    /// Defines or redefines a secret.
    pub async fn secret_define_xml(&self, xml: &str, flags: u32) -> Result<Secret> {
        let s = self
            .inner
            .call(procs::SECRET_DEFINE_XML, &(xml.to_owned(), flags))
            .await?;
        Ok(self.secret(s))
    }
}
