//! Connection and host procedures: type, version, hostname, URI,
//! capabilities, node info, security model, close callbacks, identity.

use super::{decode, from_wire, Call};
use oxvirt_core::Result;
use oxvirt_protocol::remote::{procs, *};
use oxvirt_xdr::{CharArray, FixedChars, Xdr};
use std::sync::atomic::Ordering;

/// Runs `cx` if it is a host procedure; `Ok(false)` if it is not one.
pub(super) async fn dispatch(cx: &Call<'_>, out: &mut Vec<u8>) -> Result<bool> {
    let Call { f, conn, .. } = cx;
    macro_rules! args {
        ($t:ty) => {
            decode::<$t>(f)?
        };
    }
    macro_rules! ret {
        ($v:expr) => {
            $v.encode(out)
        };
    }
    match f.header.proc_ {
        procs::CONNECT_GET_TYPE => ret!(ConnectGetTypeRet {
            type_: conn.get_type()
        }),
        procs::CONNECT_GET_VERSION => ret!(ConnectGetVersionRet {
            hv_ver: conn.get_version()?
        }),
        procs::CONNECT_GET_HOSTNAME => ret!(ConnectGetHostnameRet {
            hostname: conn.get_hostname()?
        }),
        procs::CONNECT_GET_URI => ret!(ConnectGetUriRet {
            uri: conn.get_uri()
        }),
        procs::CONNECT_GET_CAPABILITIES => ret!(ConnectGetCapabilitiesRet {
            capabilities: conn.get_capabilities()?
        }),
        procs::CONNECT_GET_DOMAIN_CAPABILITIES => {
            let a = args!(ConnectGetDomainCapabilitiesArgs);
            ret!(ConnectGetDomainCapabilitiesRet {
                capabilities: conn.get_domain_capabilities(
                    a.emulatorbin.as_deref(),
                    a.arch.as_deref(),
                    a.machine.as_deref(),
                    a.virttype.as_deref(),
                    a.flags,
                )?
            })
        }
        procs::CONNECT_GET_SYSINFO => {
            let a = args!(ConnectGetSysinfoArgs);
            ret!(ConnectGetSysinfoRet {
                sysinfo: conn.get_sysinfo(a.flags)?
            })
        }
        procs::CONNECT_IS_SECURE => ret!(ConnectIsSecureRet {
            secure: i32::from(conn.is_secure())
        }),
        procs::CONNECT_GET_MAX_VCPUS => {
            let a = args!(ConnectGetMaxVcpusArgs);
            ret!(ConnectGetMaxVcpusRet {
                max_vcpus: conn.get_max_vcpus(a.type_.as_deref())?
            })
        }
        procs::NODE_GET_INFO => {
            let n = conn.node_get_info()?;
            ret!(NodeGetInfoRet {
                model: FixedChars::from_str_truncated(&n.model),
                memory: n.memory,
                cpus: n.cpus,
                mhz: n.mhz,
                nodes: n.nodes,
                sockets: n.sockets,
                cores: n.cores,
                threads: n.threads,
            })
        }
        procs::NODE_GET_FREE_MEMORY => ret!(NodeGetFreeMemoryRet {
            freeMem: conn.node_get_free_memory()?
        }),
        procs::NODE_GET_SECURITY_MODEL => {
            let (model, doi) = conn.node_get_security_model()?;
            ret!(NodeGetSecurityModelRet {
                model: CharArray::with_nul(&model),
                doi: CharArray::with_nul(&doi),
            })
        }
        procs::DOMAIN_GET_SECURITY_LABEL => {
            let a = args!(DomainGetSecurityLabelArgs);
            let (label, enforcing) = conn.domain_get_security_label(&from_wire(a.dom))?;
            ret!(DomainGetSecurityLabelRet {
                label: CharArray::with_nul(&label),
                enforcing: i32::from(enforcing),
            })
        }
        procs::CONNECT_REGISTER_CLOSE_CALLBACK => {
            cx.sess.close_callback.store(true, Ordering::Relaxed)
        }
        procs::CONNECT_UNREGISTER_CLOSE_CALLBACK => {
            cx.sess.close_callback.store(false, Ordering::Relaxed)
        }
        procs::CONNECT_SET_IDENTITY => {
            let _ = args!(ConnectSetIdentityArgs);
        }
        _ => return Ok(false),
    }
    Ok(true)
}
