//! SASL authentication through the system's Cyrus SASL library, as libvirt
//! does it: the same service name (`libvirt`), configuration
//! (`/etc/sasl2/libvirt.conf`: `mech_list`, `sasldb_path`, …), password
//! database (`saslpasswd2 -a libvirt`) and mechanisms, including the
//! security layer (SSF) that protects plain TCP.
//!
//! The library is loaded at run time (`libsasl2.so.2`), so oxvirt builds and
//! runs without it; a socket configured for SASL then refuses clients with a
//! clear error.

use oxvirt_core::{Error, ErrorCode, ErrorDomain, Result};
use oxvirt_rpc::io::Layer;
use std::ffi::{c_char, c_int, c_uint, c_void, CStr, CString};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

const SASL_OK: c_int = 0;
const SASL_CONTINUE: c_int = 1;
const SASL_USERNAME: c_int = 0;
const SASL_SSF: c_int = 1;
const SASL_MAXOUTBUF: c_int = 2;
const SASL_SSF_EXTERNAL: c_int = 100;
const SASL_SEC_PROPS: c_int = 101;
const SASL_PATH_TYPE_CONFIG: c_int = 1;
const SASL_SEC_NOPLAINTEXT: c_uint = 0x0001;
const SASL_SEC_NOANONYMOUS: c_uint = 0x0010;

#[repr(C)]
struct SecurityProps {
    min_ssf: c_uint,
    max_ssf: c_uint,
    maxbufsize: c_uint,
    security_flags: c_uint,
    property_names: *const *const c_char,
    property_values: *const *const c_char,
}

type Conn = c_void;

struct Lib {
    server_init: unsafe extern "C" fn(*const c_void, *const c_char) -> c_int,
    server_new: unsafe extern "C" fn(
        *const c_char,
        *const c_char,
        *const c_char,
        *const c_char,
        *const c_char,
        *const c_void,
        c_uint,
        *mut *mut Conn,
    ) -> c_int,
    listmech: unsafe extern "C" fn(
        *mut Conn,
        *const c_char,
        *const c_char,
        *const c_char,
        *const c_char,
        *mut *const c_char,
        *mut c_uint,
        *mut c_int,
    ) -> c_int,
    server_start: unsafe extern "C" fn(
        *mut Conn,
        *const c_char,
        *const c_char,
        c_uint,
        *mut *const c_char,
        *mut c_uint,
    ) -> c_int,
    server_step: unsafe extern "C" fn(
        *mut Conn,
        *const c_char,
        c_uint,
        *mut *const c_char,
        *mut c_uint,
    ) -> c_int,
    getprop: unsafe extern "C" fn(*mut Conn, c_int, *mut *const c_void) -> c_int,
    setprop: unsafe extern "C" fn(*mut Conn, c_int, *const c_void) -> c_int,
    encode: unsafe extern "C" fn(
        *mut Conn,
        *const c_char,
        c_uint,
        *mut *const c_char,
        *mut c_uint,
    ) -> c_int,
    decode: unsafe extern "C" fn(
        *mut Conn,
        *const c_char,
        c_uint,
        *mut *const c_char,
        *mut c_uint,
    ) -> c_int,
    dispose: unsafe extern "C" fn(*mut *mut Conn),
    errdetail: unsafe extern "C" fn(*mut Conn) -> *const c_char,
    errstring: unsafe extern "C" fn(c_int, *const c_char, *mut *const c_char) -> *const c_char,
    set_path: unsafe extern "C" fn(c_int, *mut c_char) -> c_int,
}

// SAFETY: the table holds plain function pointers into a library that stays
// loaded for the life of the process.
unsafe impl Send for Lib {}
// SAFETY: as above; the functions themselves are called on one connection at
// a time (each `Session` is behind a mutex).
unsafe impl Sync for Lib {}

static LIB: OnceLock<std::result::Result<Lib, String>> = OnceLock::new();

fn sym<T: Copy>(handle: *mut c_void, name: &str) -> std::result::Result<T, String> {
    let c = CString::new(name).map_err(|e| e.to_string())?;
    // SAFETY: dlsym on a handle returned by dlopen with a NUL-terminated name.
    let p = unsafe { libc::dlsym(handle, c.as_ptr()) };
    if p.is_null() {
        return Err(format!("libsasl2 lacks {name}"));
    }
    // SAFETY: `T` is the function-pointer type of the C prototype of `name`;
    // a data pointer returned by dlsym is reinterpreted as that function.
    Ok(unsafe { std::mem::transmute_copy::<*mut c_void, T>(&p) })
}

fn load() -> std::result::Result<Lib, String> {
    let mut handle = std::ptr::null_mut();
    for name in [c"libsasl2.so.2", c"libsasl2.so"] {
        // SAFETY: dlopen with a NUL-terminated library name.
        handle = unsafe { libc::dlopen(name.as_ptr(), libc::RTLD_NOW | libc::RTLD_GLOBAL) };
        if !handle.is_null() {
            break;
        }
    }
    if handle.is_null() {
        return Err("the Cyrus SASL library (libsasl2.so.2) is not installed".into());
    }
    Ok(Lib {
        server_init: sym(handle, "sasl_server_init")?,
        server_new: sym(handle, "sasl_server_new")?,
        listmech: sym(handle, "sasl_listmech")?,
        server_start: sym(handle, "sasl_server_start")?,
        server_step: sym(handle, "sasl_server_step")?,
        getprop: sym(handle, "sasl_getprop")?,
        setprop: sym(handle, "sasl_setprop")?,
        encode: sym(handle, "sasl_encode")?,
        decode: sym(handle, "sasl_decode")?,
        dispose: sym(handle, "sasl_dispose")?,
        errdetail: sym(handle, "sasl_errdetail")?,
        errstring: sym(handle, "sasl_errstring")?,
        set_path: sym(handle, "sasl_set_path")?,
    })
}

fn auth_err(detail: impl Into<String>) -> Error {
    Error::new(ErrorDomain::RPC, ErrorCode::AUTH_FAILED, detail)
}

/// Loads the library and initialises the server side once per process, with
/// its configuration read from `config_dir` (`/etc/sasl2`, under `--root`).
pub fn init(config_dir: &Path) -> std::result::Result<(), String> {
    static INIT: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    INIT.get_or_init(|| {
        let lib = LIB.get_or_init(load).as_ref().map_err(|e| e.clone())?;
        if config_dir.is_dir() {
            let mut path = CString::new(config_dir.as_os_str().as_encoded_bytes())
                .map_err(|e| e.to_string())?
                .into_bytes_with_nul();
            // SAFETY: the path buffer is NUL-terminated and outlives the call
            // (the library copies it).
            unsafe { (lib.set_path)(SASL_PATH_TYPE_CONFIG, path.as_mut_ptr().cast()) };
        }
        // SAFETY: initialising with no global callbacks and our app name.
        let rc = unsafe { (lib.server_init)(std::ptr::null(), c"libvirt".as_ptr()) };
        if rc != SASL_OK {
            return Err(format!(
                "failed to initialize SASL library: {}",
                errstring(lib, rc)
            ));
        }
        Ok(())
    })
    .clone()
}

fn errstring(lib: &Lib, rc: c_int) -> String {
    // SAFETY: sasl_errstring returns a static string for any code.
    unsafe {
        let p = (lib.errstring)(rc, std::ptr::null(), std::ptr::null_mut());
        if p.is_null() {
            format!("SASL error {rc}")
        } else {
            CStr::from_ptr(p).to_string_lossy().into_owned()
        }
    }
}

struct ConnPtr(*mut Conn);
// SAFETY: a sasl_conn_t may be used from any thread as long as calls are not
// concurrent; every use goes through the `Mutex` in `Session`.
unsafe impl Send for ConnPtr {}

/// One client's SASL negotiation, then its security layer.
pub struct Session {
    conn: Mutex<ConnPtr>,
    maxout: Mutex<usize>,
}

impl Drop for Session {
    fn drop(&mut self) {
        if let (Ok(mut c), Some(Ok(lib))) = (self.conn.lock(), LIB.get()) {
            if !c.0.is_null() {
                // SAFETY: disposing the connection we created, once.
                unsafe { (lib.dispose)(&mut c.0) };
            }
        }
    }
}

/// The outcome of one negotiation step.
pub struct Step {
    pub complete: bool,
    /// `None` means the NULL data of libvirt's protocol (`nil = 1`).
    pub data: Option<Vec<u8>>,
}

fn lib() -> Result<&'static Lib> {
    match LIB.get() {
        Some(Ok(l)) => Ok(l),
        Some(Err(e)) => Err(auth_err(e.clone())),
        None => Err(auth_err("SASL is not initialized")),
    }
}

impl Session {
    /// Starts a negotiation for a client; `external_ssf` is the strength the
    /// transport already gives (TLS), `min_ssf` what the mechanism must add.
    pub fn new(
        local: Option<&str>,
        remote: Option<&str>,
        external_ssf: u32,
        min_ssf: u32,
    ) -> Result<Session> {
        let lib = lib()?;
        let host = hostname();
        let c = |s: &str| CString::new(s).map_err(|e| auth_err(e.to_string()));
        let host = c(&host)?;
        let local = local.map(c).transpose()?;
        let remote = remote.map(c).transpose()?;
        let mut conn: *mut Conn = std::ptr::null_mut();
        // SAFETY: all strings are NUL-terminated and live across the call; the
        // library writes the new connection into `conn`.
        let rc = unsafe {
            (lib.server_new)(
                c"libvirt".as_ptr(),
                host.as_ptr(),
                std::ptr::null(),
                local.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
                remote.as_ref().map_or(std::ptr::null(), |s| s.as_ptr()),
                std::ptr::null(),
                0,
                &mut conn,
            )
        };
        if rc != SASL_OK {
            return Err(auth_err(format!(
                "sasl_server_new failed: {}",
                errstring(lib, rc)
            )));
        }
        let s = Session {
            conn: Mutex::new(ConnPtr(conn)),
            maxout: Mutex::new(65536),
        };
        if external_ssf > 0 {
            let ssf: c_uint = external_ssf;
            // SAFETY: SSF_EXTERNAL takes a pointer to a sasl_ssf_t (unsigned).
            unsafe { (lib.setprop)(conn, SASL_SSF_EXTERNAL, (&ssf as *const c_uint).cast()) };
        }
        let props = SecurityProps {
            min_ssf,
            max_ssf: 100_000,
            maxbufsize: 8192,
            security_flags: SASL_SEC_NOANONYMOUS | SASL_SEC_NOPLAINTEXT,
            property_names: std::ptr::null(),
            property_values: std::ptr::null(),
        };
        // SAFETY: SEC_PROPS takes a pointer to the properties struct, copied.
        let rc = unsafe {
            (lib.setprop)(
                conn,
                SASL_SEC_PROPS,
                (&props as *const SecurityProps).cast(),
            )
        };
        if rc != SASL_OK {
            return Err(auth_err(format!(
                "cannot set SASL security props: {}",
                s.detail()
            )));
        }
        Ok(s)
    }

    fn ptr(&self) -> Result<std::sync::MutexGuard<'_, ConnPtr>> {
        self.conn
            .lock()
            .map_err(|_| auth_err("SASL state is poisoned"))
    }

    fn detail(&self) -> String {
        let (Ok(lib), Ok(c)) = (lib(), self.conn.lock()) else {
            return String::new();
        };
        // SAFETY: errdetail returns a string owned by the connection.
        unsafe {
            let p = (lib.errdetail)(c.0);
            if p.is_null() {
                String::new()
            } else {
                CStr::from_ptr(p).to_string_lossy().into_owned()
            }
        }
    }

    /// The mechanisms offered, comma separated.
    pub fn mechlist(&self) -> Result<String> {
        let lib = lib()?;
        let c = self.ptr()?;
        let mut out: *const c_char = std::ptr::null();
        let mut len: c_uint = 0;
        let mut count: c_int = 0;
        // SAFETY: prefix/separator/suffix are NUL-terminated; the result is
        // owned by the connection and copied before the lock is released.
        let rc = unsafe {
            (lib.listmech)(
                c.0,
                std::ptr::null(),
                c"".as_ptr(),
                c",".as_ptr(),
                c"".as_ptr(),
                &mut out,
                &mut len,
                &mut count,
            )
        };
        if rc != SASL_OK || out.is_null() {
            drop(c);
            return Err(auth_err(format!(
                "cannot list SASL mechanisms: {}",
                self.detail()
            )));
        }
        // SAFETY: `out` points at `len` bytes owned by the connection.
        Ok(String::from_utf8_lossy(unsafe {
            std::slice::from_raw_parts(out.cast::<u8>(), len as usize)
        })
        .into_owned())
    }

    fn finish_step(&self, rc: c_int, out: *const c_char, len: c_uint) -> Result<Step> {
        match rc {
            SASL_OK | SASL_CONTINUE => Ok(Step {
                complete: rc == SASL_OK,
                data: if out.is_null() {
                    None
                } else {
                    // SAFETY: `out` points at `len` bytes owned by the connection.
                    Some(
                        unsafe { std::slice::from_raw_parts(out.cast::<u8>(), len as usize) }
                            .to_vec(),
                    )
                },
            }),
            _ => Err(auth_err(self.detail())),
        }
    }

    /// AUTH_SASL_START.
    pub fn start(&self, mech: &str, data: Option<&[u8]>) -> Result<Step> {
        let lib = lib()?;
        let mech = CString::new(mech).map_err(|e| auth_err(e.to_string()))?;
        let (ptr, len) = data.map_or((std::ptr::null(), 0), |d| {
            (d.as_ptr().cast::<c_char>(), d.len() as c_uint)
        });
        let mut out: *const c_char = std::ptr::null();
        let mut outlen: c_uint = 0;
        let rc = {
            let c = self.ptr()?;
            // SAFETY: inputs live across the call; output is owned by the connection.
            unsafe { (lib.server_start)(c.0, mech.as_ptr(), ptr, len, &mut out, &mut outlen) }
        };
        self.finish_step(rc, out, outlen)
    }

    /// AUTH_SASL_STEP.
    pub fn step(&self, data: Option<&[u8]>) -> Result<Step> {
        let lib = lib()?;
        let (ptr, len) = data.map_or((std::ptr::null(), 0), |d| {
            (d.as_ptr().cast::<c_char>(), d.len() as c_uint)
        });
        let mut out: *const c_char = std::ptr::null();
        let mut outlen: c_uint = 0;
        let rc = {
            let c = self.ptr()?;
            // SAFETY: as in `start`.
            unsafe { (lib.server_step)(c.0, ptr, len, &mut out, &mut outlen) }
        };
        self.finish_step(rc, out, outlen)
    }

    /// The negotiated security strength.
    pub fn ssf(&self) -> Result<u32> {
        let lib = lib()?;
        let c = self.ptr()?;
        let mut v: *const c_void = std::ptr::null();
        // SAFETY: SSF is returned as a pointer to a sasl_ssf_t.
        let rc = unsafe { (lib.getprop)(c.0, SASL_SSF, &mut v) };
        if rc != SASL_OK || v.is_null() {
            return Err(auth_err("cannot query SASL ssf on connection"));
        }
        // SAFETY: non-null pointer to an unsigned owned by the connection.
        Ok(unsafe { *v.cast::<c_uint>() })
    }

    /// The authenticated user name.
    pub fn username(&self) -> Result<String> {
        let lib = lib()?;
        let c = self.ptr()?;
        let mut v: *const c_void = std::ptr::null();
        // SAFETY: USERNAME is returned as a NUL-terminated string.
        let rc = unsafe { (lib.getprop)(c.0, SASL_USERNAME, &mut v) };
        if rc != SASL_OK || v.is_null() {
            return Err(auth_err("no client username was found"));
        }
        // SAFETY: non-null NUL-terminated string owned by the connection.
        let name = unsafe { CStr::from_ptr(v.cast::<c_char>()) }
            .to_string_lossy()
            .into_owned();
        if let Ok(mut m) = self.maxout.lock() {
            let mut p: *const c_void = std::ptr::null();
            // SAFETY: MAXOUTBUF is returned as a pointer to an unsigned.
            if unsafe { (lib.getprop)(c.0, SASL_MAXOUTBUF, &mut p) } == SASL_OK && !p.is_null() {
                // SAFETY: non-null pointer to an unsigned owned by the connection.
                *m = (unsafe { *p.cast::<c_uint>() } as usize).max(1024);
            }
        }
        Ok(name)
    }
}

impl Layer for Session {
    fn encode(&self, plain: &[u8]) -> std::io::Result<Vec<u8>> {
        let lib = lib().map_err(|e| std::io::Error::other(e.message))?;
        let maxout = self.maxout.lock().map(|m| *m).unwrap_or(4096);
        let c = self
            .conn
            .lock()
            .map_err(|_| std::io::Error::other("SASL state is poisoned"))?;
        let mut wire = Vec::with_capacity(plain.len() + 64);
        for chunk in plain.chunks(maxout) {
            let mut out: *const c_char = std::ptr::null();
            let mut len: c_uint = 0;
            // SAFETY: the input chunk lives across the call; the output buffer
            // is owned by the connection and copied before the next call.
            let rc = unsafe {
                (lib.encode)(
                    c.0,
                    chunk.as_ptr().cast(),
                    chunk.len() as c_uint,
                    &mut out,
                    &mut len,
                )
            };
            if rc != SASL_OK {
                return Err(std::io::Error::other("failed to encode SASL data"));
            }
            if !out.is_null() {
                // SAFETY: `out` points at `len` bytes.
                wire.extend_from_slice(unsafe {
                    std::slice::from_raw_parts(out.cast::<u8>(), len as usize)
                });
            }
        }
        Ok(wire)
    }

    fn decode(&self, wire: &[u8]) -> std::io::Result<Vec<u8>> {
        let lib = lib().map_err(|e| std::io::Error::other(e.message))?;
        let c = self
            .conn
            .lock()
            .map_err(|_| std::io::Error::other("SASL state is poisoned"))?;
        let mut out: *const c_char = std::ptr::null();
        let mut len: c_uint = 0;
        // SAFETY: as in `encode`; the library buffers partial packets itself.
        let rc = unsafe {
            (lib.decode)(
                c.0,
                wire.as_ptr().cast(),
                wire.len() as c_uint,
                &mut out,
                &mut len,
            )
        };
        if rc != SASL_OK {
            return Err(std::io::Error::other("failed to decode SASL data"));
        }
        if out.is_null() {
            return Ok(Vec::new());
        }
        // SAFETY: `out` points at `len` bytes.
        Ok(unsafe { std::slice::from_raw_parts(out.cast::<u8>(), len as usize) }.to_vec())
    }
}

fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return "localhost".into();
    }
    let end = buf.iter().position(|b| *b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}
