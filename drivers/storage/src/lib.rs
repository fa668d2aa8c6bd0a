//! The storage driver: libvirt's pools and volumes on real storage.
//!
//! How a request travels:
//!
//! 1. The daemon builds one [`StorageDriverImpl`] at start
//!    ([`StorageDriverImpl::start`]): it loads the persistent pools from
//!    `CONFIG/storage/*.xml`, the running ones from `RUN/storage/*.xml`, and
//!    in the background re-checks those on the host and starts autostart
//!    pools (`state::recover`). Every connection waits for that to finish.
//! 2. A client connection gets a [`conn::StorageConn`] through the
//!    [`StorageDriver`] trait; the daemon calls its
//!    [`StorageConnection`](oxvirt_driver::storage::StorageConnection)
//!    methods for the storage procedures.
//! 3. Operations on a pool take the pool's job lock and call its
//!    [`backend::Backend`] (dir/fs/netfs, logical, disk), which acts on the
//!    host through a [`command::Runner`] (qemu-img, mount, mkfs, lvm2,
//!    parted) and plain file I/O on the blocking pool.
//! 4. Every file the driver keeps is written atomically (`files`); streams
//!    (`stream`) move volume bytes for upload and download.
//!
//! The driver also answers `storage:///system` (`storage:///session`) as a
//! connection of its own, as libvirt's does: that is what virtstoraged
//! serves.

pub mod backend;
pub mod command;
pub mod conn;
pub mod errors;
pub mod files;
pub mod image;
pub mod state;
pub mod stream;
pub mod volume;

use async_trait::async_trait;
use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_driver::storage::{StorageConnection, StorageDriver};
use oxvirt_driver::{ConnectDriver, ConnectUri, HypervisorConnection, OpenContext};
use std::path::Path;
use std::sync::Arc;

/// The storage driver of one daemon.
pub struct StorageDriverImpl {
    shared: Arc<state::Shared>,
}

impl StorageDriverImpl {
    /// Loads the driver's state from `config_dir/storage` and
    /// `run_dir/storage` and starts recovery on the current tokio runtime.
    pub fn start(
        config_dir: &Path,
        run_dir: &Path,
        privileged: bool,
        runner: Arc<dyn command::Runner>,
    ) -> std::result::Result<Arc<StorageDriverImpl>, String> {
        let paths = files::StoragePaths::new(config_dir, run_dir);
        paths.create_dirs().map_err(|e| {
            format!(
                "cannot create the storage directories under '{}' and '{}': {e}",
                config_dir.display(),
                run_dir.display()
            )
        })?;
        let shared = state::Shared::new(paths, privileged, backend::Ctx { runner });
        let mut random = conn_random;
        let running = state::load(&shared, &mut random);
        match tokio::runtime::Handle::try_current() {
            Ok(h) => {
                h.spawn(state::recover(shared.clone(), running));
            }
            Err(_) => return Err("the storage driver needs a tokio runtime".into()),
        }
        Ok(Arc::new(StorageDriverImpl { shared }))
    }

    /// Waits until start-up recovery is done (tests, benchmarks).
    pub async fn ready(&self) {
        self.shared.ready().await;
    }
}

fn conn_random() -> [u8; 16] {
    let mut b = [0u8; 16];
    if getrandom::fill(&mut b).is_err() {
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        b = t.to_le_bytes();
    }
    b
}

impl StorageDriver for StorageDriverImpl {
    fn open(&self, _ctx: &OpenContext) -> Result<Arc<dyn StorageConnection>> {
        Ok(Arc::new(conn::StorageConn {
            shared: self.shared.clone(),
        }))
    }
}

/// The `storage:///system` connect driver: serves the storage URI itself
/// and contributes the storage driver to every connection of the daemon.
pub struct StorageConnectDriver {
    driver: Arc<StorageDriverImpl>,
    privileged: bool,
}

impl StorageConnectDriver {
    pub fn new(driver: Arc<StorageDriverImpl>) -> StorageConnectDriver {
        let privileged = driver.shared.privileged;
        StorageConnectDriver { driver, privileged }
    }

    /// Builds the driver for a daemon with the host's tools.
    pub fn for_daemon(
        config_dir: &Path,
        run_dir: &Path,
        privileged: bool,
    ) -> std::result::Result<Arc<StorageConnectDriver>, String> {
        let d = StorageDriverImpl::start(
            config_dir,
            run_dir,
            privileged,
            Arc::new(command::HostRunner),
        )?;
        Ok(Arc::new(StorageConnectDriver::new(d)))
    }
}

impl ConnectDriver for StorageConnectDriver {
    fn name(&self) -> &'static str {
        "storage"
    }

    fn open(
        &self,
        uri: &ConnectUri,
        _ctx: &OpenContext,
    ) -> Result<Option<Arc<dyn HypervisorConnection>>> {
        if uri.scheme != "storage" || !uri.host.is_empty() {
            return Ok(None);
        }
        let want = if self.privileged {
            "/system"
        } else {
            "/session"
        };
        if uri.path != want {
            return Err(Error::internal(
                ErrorDomain::STORAGE,
                format!(
                    "unexpected storage URI path '{}', try storage://{want}",
                    uri.path
                ),
            ));
        }
        Ok(Some(Arc::new(StorageOnlyConnection {
            uri: format!("storage://{want}"),
        })))
    }

    fn storage_driver(&self) -> Option<Arc<dyn StorageDriver>> {
        Some(self.driver.clone())
    }

    fn reload(&self) {
        if let Ok(h) = tokio::runtime::Handle::try_current() {
            h.spawn(state::reload(self.driver.shared.clone()));
        }
    }
}

/// The hypervisor side of a `storage:///` connection: nothing but the
/// storage API (and the pool capabilities as its capabilities, as libvirt).
struct StorageOnlyConnection {
    uri: String,
}

#[async_trait]
impl HypervisorConnection for StorageOnlyConnection {
    fn error_domain(&self) -> ErrorDomain {
        ErrorDomain::STORAGE
    }

    fn get_type(&self) -> String {
        "storage".into()
    }

    fn get_uri(&self) -> String {
        self.uri.clone()
    }

    fn get_version(&self) -> Result<u64> {
        Err(Error::new(
            ErrorDomain::DOMAIN,
            ErrorCode::NO_SUPPORT,
            "virConnectGetVersion",
        ))
    }

    fn get_hostname(&self) -> Result<String> {
        Err(Error::new(
            ErrorDomain::DOMAIN,
            ErrorCode::NO_SUPPORT,
            "virConnectGetHostname",
        ))
    }

    fn get_capabilities(&self) -> Result<String> {
        Ok(oxvirt_conf::storage::caps::format(&|t| {
            backend::for_type(t).is_some()
        }))
    }
}
