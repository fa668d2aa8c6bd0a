//! QEMU processes: spawn, watch through a pidfd, signal, reap, and read
//! their accounting from `/proc`.
//!
//! A QEMU is started in a session of its own (`setsid`), with stdin on
//! `/dev/null` and stdout/stderr on the domain log, so that it outlives the
//! daemon: a daemon stopped or killed leaves its guests running, and the
//! next daemon re-attaches to them. Exit is observed through a pidfd (the
//! kernel makes it readable the moment the process exits), never by
//! polling, and signals go through the pidfd too, so a recycled pid is
//! never hit.

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use tokio::io::unix::AsyncFd;

use crate::command::QemuCommand;

/// Starts `cmd` detached in its own session, with stdout and stderr on
/// `log` and the fds of `cmd.fds_to_pass` inherited under their numbers.
/// Returns the pid.
pub fn spawn(cmd: &QemuCommand, log: &File) -> io::Result<i32> {
    let mut c = Command::new(&cmd.binary);
    c.args(&cmd.argv)
        .env_clear()
        .envs(cmd.env.iter().map(|(k, v)| (k, v)))
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log.try_clone()?);
    let keep: Vec<RawFd> = cmd.fds_to_pass.clone();
    // SAFETY: the closure runs in the forked child before exec and only
    // calls async-signal-safe functions (setsid, fcntl) on plain integers;
    // it allocates nothing and touches no lock.
    unsafe {
        c.pre_exec(move || {
            if libc::setsid() < 0 {
                return Err(io::Error::last_os_error());
            }
            for fd in &keep {
                if libc::fcntl(*fd, libc::F_SETFD, 0) < 0 {
                    return Err(io::Error::last_os_error());
                }
            }
            Ok(())
        });
    }
    let child = c.spawn()?;
    // Dropping a std Child neither waits nor kills: the pid is reaped by
    // [`reap`] once its pidfd reports the exit.
    i32::try_from(child.id()).map_err(|_| io::Error::other("pid out of range"))
}

/// A process watched through its pidfd.
pub struct Process {
    pub pid: i32,
    fd: AsyncFd<OwnedFd>,
}

impl Process {
    /// Opens a pidfd for `pid`; fails with ESRCH if it is gone. Needs a
    /// tokio runtime.
    pub fn open(pid: i32) -> io::Result<Process> {
        // SAFETY: pidfd_open takes a pid and flags and returns a new fd or -1.
        let r = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        if r < 0 {
            return Err(io::Error::last_os_error());
        }
        let raw = RawFd::try_from(r).map_err(|_| io::Error::other("bad fd"))?;
        // SAFETY: `raw` is a fresh fd owned by nobody else.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        // SAFETY: the pidfd is owned by the AsyncFd and is neither replaced
        // nor closed while registered.
        let fd = unsafe { AsyncFd::register_with_interest(fd, tokio::io::Interest::READABLE)? };
        Ok(Process { pid, fd })
    }

    /// Resolves when the process has exited (it may still be a zombie).
    pub async fn exited(&self) {
        loop {
            match self.fd.readable().await {
                // Readiness is not cleared: once exited, always exited.
                Ok(_) => return,
                Err(_) => {
                    // The fd is broken (should not happen); fall back to a
                    // slow check rather than spinning.
                    if self.has_exited() {
                        return;
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        }
    }

    /// True if the process has exited, without waiting.
    pub fn has_exited(&self) -> bool {
        let mut p = libc::pollfd {
            fd: self.fd.get_ref().as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd, zero timeout.
        let r = unsafe { libc::poll(&mut p, 1, 0) };
        r > 0 && p.revents & libc::POLLIN != 0
    }

    /// Sends `sig` through the pidfd. A process that already exited is
    /// not an error.
    pub fn signal(&self, sig: i32) -> io::Result<()> {
        // SAFETY: pidfd_send_signal(pidfd, sig, NULL, 0) only reads its
        // arguments.
        let r = unsafe {
            libc::syscall(
                libc::SYS_pidfd_send_signal,
                self.fd.get_ref().as_raw_fd(),
                sig,
                std::ptr::null::<libc::siginfo_t>(),
                0,
            )
        };
        if r < 0 {
            let e = io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::ESRCH) {
                return Ok(());
            }
            return Err(e);
        }
        Ok(())
    }

    /// Collects the exit status if the process is our child; a process
    /// inherited from an earlier daemon is reaped by its new parent.
    pub fn reap(&self) {
        let mut status = 0;
        // SAFETY: waitpid on a specific pid with WNOHANG; `status` is a
        // valid out-pointer.
        unsafe { libc::waitpid(self.pid, &mut status, libc::WNOHANG) };
    }
}

/// Field `n` (1-based, as in proc(5)) of `/proc/PID/stat`.
fn stat_field(stat: &str, n: usize) -> Option<u64> {
    // The command name may contain spaces and parentheses: fields resume
    // after the last ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    rest.split_whitespace().nth(n.checked_sub(3)?)?.parse().ok()
}

fn read_stat(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Clock ticks per second (`sysconf(_SC_CLK_TCK)`).
fn ticks_per_sec() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 {
        t as u64
    } else {
        100
    }
}

/// The process's start time in clock ticks since boot; with the pid it
/// identifies a process across pid reuse.
pub fn start_time(pid: i32) -> Option<u64> {
    stat_field(
        &read_stat(&Path::new("/proc").join(pid.to_string()).join("stat"))?,
        22,
    )
}

/// (user, system) CPU time of a process in nanoseconds.
pub fn cpu_times(pid: i32) -> Option<(u64, u64)> {
    let s = read_stat(&Path::new("/proc").join(pid.to_string()).join("stat"))?;
    let ns = 1_000_000_000 / ticks_per_sec();
    Some((stat_field(&s, 14)? * ns, stat_field(&s, 15)? * ns))
}

/// CPU time (user + system) of one thread in nanoseconds.
pub fn thread_cpu_time(pid: i32, tid: i64) -> Option<u64> {
    let p = Path::new("/proc")
        .join(pid.to_string())
        .join("task")
        .join(tid.to_string())
        .join("stat");
    let s = read_stat(&p)?;
    let ns = 1_000_000_000 / ticks_per_sec();
    Some((stat_field(&s, 14)? + stat_field(&s, 15)?) * ns)
}

/// Resident set size in KiB.
pub fn rss_kib(pid: i32) -> Option<u64> {
    let s = read_stat(&Path::new("/proc").join(pid.to_string()).join("stat"))?;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    let page = if page > 0 { page as u64 } else { 4096 };
    Some(stat_field(&s, 24)? * page / 1024)
}

/// The arguments of a process.
pub fn cmdline(pid: i32) -> Option<Vec<String>> {
    let raw = std::fs::read(Path::new("/proc").join(pid.to_string()).join("cmdline")).ok()?;
    Some(
        raw.split(|b| *b == 0)
            .filter(|a| !a.is_empty())
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect(),
    )
}

/// True if `pid` runs a QEMU for the domain with `uuid` (checked on
/// re-attach, so that a recycled pid is never adopted).
pub fn is_qemu_of(pid: i32, uuid: &str) -> bool {
    match cmdline(pid) {
        Some(args) => args.windows(2).any(|w| w[0] == "-uuid" && w[1] == uuid),
        None => false,
    }
}

/// Finds a QEMU process for the domain with `uuid` by scanning `/proc`
/// (used when a daemon died between spawning QEMU and recording its pid).
pub fn find_qemu_of(uuid: &str) -> Option<i32> {
    let rd = std::fs::read_dir("/proc").ok()?;
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if is_qemu_of(pid, uuid) && !is_zombie(pid) {
            return Some(pid);
        }
    }
    None
}

/// True if the process is a zombie (exited, not yet reaped).
pub fn is_zombie(pid: i32) -> bool {
    read_stat(&Path::new("/proc").join(pid.to_string()).join("stat"))
        .and_then(|s| {
            let rest = &s[s.rfind(')')? + 1..];
            rest.split_whitespace().next().map(|st| st == "Z")
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use std::time::{Duration, Instant};

    fn sleeper(secs: &str) -> QemuCommand {
        QemuCommand {
            binary: "/bin/sleep".into(),
            argv: vec![secs.into()],
            env: vec![],
            fds_to_pass: vec![],
        }
    }

    #[test]
    fn stat_fields_skip_the_command_name() {
        let s = "42 (a b) c) S 1 42 42 0 -1 4194560 100 0 0 0 7 3 0 0 20 0 1 0 12345 1000 50";
        assert_eq!(stat_field(s, 14), Some(7));
        assert_eq!(stat_field(s, 15), Some(3));
        assert_eq!(stat_field(s, 22), Some(12345));
    }

    #[tokio::test]
    async fn exit_is_seen_through_the_pidfd_at_once() {
        let log = tempfile_log();
        let pid = spawn(&sleeper("30"), &log).unwrap();
        let p = Process::open(pid).unwrap();
        assert!(!p.has_exited());
        // Its own session: the child is a session leader.
        // SAFETY: getsid on a pid.
        assert_eq!(unsafe { libc::getsid(pid) }, pid);
        let t = Instant::now();
        p.signal(libc::SIGKILL).unwrap();
        tokio::time::timeout(Duration::from_secs(5), p.exited())
            .await
            .unwrap();
        assert!(t.elapsed() < Duration::from_millis(500));
        p.reap();
        // Signalling a reaped process is harmless.
        p.signal(libc::SIGTERM).unwrap();
    }

    fn tempfile_log() -> File {
        let p = std::env::temp_dir().join(format!("oxvirt-proc-test-{}", std::process::id()));
        let f = File::create(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        f
    }
}
