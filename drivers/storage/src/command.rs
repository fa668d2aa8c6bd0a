//! Host commands (qemu-img, mount, mkfs, lvm2, parted) behind a [`Runner`],
//! so that tests can record what would run instead of running it.

use crate::errors;
use async_trait::async_trait;
use oxvirt_core::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    pub program: String,
    pub args: Vec<String>,
}

impl Cmd {
    pub fn new(program: &str) -> Cmd {
        Cmd {
            program: program.to_owned(),
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, a: impl Into<String>) -> Cmd {
        self.args.push(a.into());
        self
    }

    pub fn args<I, S>(mut self, a: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.args.extend(a.into_iter().map(Into::into));
        self
    }

    /// The command line as libvirt prints it in errors.
    pub fn display(&self) -> String {
        let mut s = self.program.clone();
        for a in &self.args {
            s.push(' ');
            s.push_str(a);
        }
        s
    }
}

/// What a finished command left.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CmdOutput {
    /// The exit status; -1 when killed by a signal.
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs commands.
#[async_trait]
pub trait Runner: Send + Sync {
    /// Runs `cmd` to completion.
    async fn output(&self, cmd: &Cmd) -> std::io::Result<CmdOutput>;
}

/// Directories searched for tools when `PATH` lacks them (a daemon started by
/// systemd has a short `PATH`; lvm2 and parted live in `/sbin`).
const FALLBACK_PATH: &[&str] = &["/usr/sbin", "/sbin", "/usr/bin", "/bin"];

/// Finds `program` on `PATH` or in the system directories.
pub fn find_program(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        return Some(PathBuf::from(program));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(FALLBACK_PATH.iter().map(PathBuf::from))
        .map(|d| d.join(program))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// The real runner: a child process with `LC_ALL=C` and lvm2's fd warnings
/// silenced, killed if the daemon drops the call.
pub struct HostRunner;

#[async_trait]
impl Runner for HostRunner {
    async fn output(&self, cmd: &Cmd) -> std::io::Result<CmdOutput> {
        let program = find_program(&cmd.program).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::NotFound, "No such file or directory")
        })?;
        let out = tokio::process::Command::new(program)
            .args(&cmd.args)
            .env("LC_ALL", "C")
            .env("LVM_SUPPRESS_FD_WARNINGS", "1")
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true)
            .output()
            .await?;
        Ok(CmdOutput {
            status: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        })
    }
}

/// Runs `cmd` and returns its stdout; a failure is libvirt's error:
/// `Child process (CMDLINE) unexpected exit status N: STDERR`, or
/// `Cannot find 'X' in path` when the tool is missing.
pub async fn run(runner: &dyn Runner, cmd: &Cmd) -> Result<String> {
    let out = runner.output(cmd).await.map_err(|e| spawn_error(cmd, &e))?;
    if out.status != 0 {
        return Err(exit_error(cmd, &out));
    }
    Ok(out.stdout)
}

/// Runs `cmd` and returns what it left, whatever its status.
pub async fn run_status(runner: &dyn Runner, cmd: &Cmd) -> Result<CmdOutput> {
    runner.output(cmd).await.map_err(|e| spawn_error(cmd, &e))
}

fn spawn_error(cmd: &Cmd, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        errors::system(format!("Cannot find '{}' in path", cmd.program), e)
    } else {
        errors::system(format!("Cannot run '{}'", cmd.display()), e)
    }
}

/// libvirt's message for a tool that failed.
pub fn exit_error(cmd: &Cmd, out: &CmdOutput) -> Error {
    let stderr = out.stderr.trim_end();
    let detail = if stderr.is_empty() {
        format!(
            "Child process ({}) unexpected exit status {}",
            cmd.display(),
            out.status
        )
    } else {
        format!(
            "Child process ({}) unexpected exit status {}: {}",
            cmd.display(),
            out.status,
            stderr
        )
    };
    errors::internal(detail)
}

/// A runner that records command lines and answers from a script; for tests
/// of what the backends would run.
#[derive(Default)]
pub struct RecordingRunner {
    log: Mutex<Vec<String>>,
    /// (command-line prefix, answer); the first match wins, else success.
    answers: Mutex<Vec<(String, CmdOutput)>>,
}

impl RecordingRunner {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers commands starting with `prefix` with `out`.
    pub fn answer(&self, prefix: &str, out: CmdOutput) {
        if let Ok(mut a) = self.answers.lock() {
            a.push((prefix.to_owned(), out));
        }
    }

    /// The command lines run so far.
    pub fn log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

#[async_trait]
impl Runner for RecordingRunner {
    async fn output(&self, cmd: &Cmd) -> std::io::Result<CmdOutput> {
        let line = cmd.display();
        if let Ok(mut l) = self.log.lock() {
            l.push(line.clone());
        }
        let answers = self.answers.lock().map(|a| a.clone()).unwrap_or_default();
        Ok(answers
            .into_iter()
            .find(|(p, _)| line.starts_with(p.as_str()))
            .map(|(_, o)| o)
            .unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn failures_read_like_libvirt() {
        let r = RecordingRunner::new();
        r.answer(
            "mount",
            CmdOutput {
                status: 32,
                stdout: String::new(),
                stderr: "mount: bad thing\n".into(),
            },
        );
        let e = run(
            &r,
            &Cmd::new("mount").args(["-t", "ext4", "/dev/x", "/mnt"]),
        )
        .await
        .unwrap_err();
        assert_eq!(
            e.message,
            "internal error: Child process (mount -t ext4 /dev/x /mnt) unexpected exit status 32: mount: bad thing"
        );
        assert_eq!(r.log(), vec!["mount -t ext4 /dev/x /mnt".to_owned()]);
    }

    #[tokio::test]
    async fn missing_tools_are_named() {
        let e = run(&HostRunner, &Cmd::new("no-such-tool-oxvirt"))
            .await
            .unwrap_err();
        assert_eq!(
            e.message,
            "Cannot find 'no-such-tool-oxvirt' in path: No such file or directory"
        );
    }
}
