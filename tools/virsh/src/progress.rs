//! A transfer progress bar for `vol-upload` and `vol-download`, drawn on
//! stderr only when stderr is a terminal, so scripts and transcripts see
//! exactly virsh's output.

use std::io::Write;
use std::time::{Duration, Instant};

/// Progress of one transfer.
pub struct Progress {
    total: u64,
    enabled: bool,
    last: Instant,
    drawn: bool,
}

fn human(n: u64) -> String {
    let mut v = n as f64;
    for u in ["B", "KiB", "MiB", "GiB", "TiB"] {
        if v < 1024.0 {
            return format!("{v:.1} {u}");
        }
        v /= 1024.0;
    }
    format!("{v:.1} PiB")
}

/// The bar for `done` of `total` bytes, `width` cells wide.
pub fn render(done: u64, total: u64, width: usize) -> String {
    let pct = (done.min(total) * 100).checked_div(total).unwrap_or(100) as usize;
    let filled = pct * width / 100;
    format!(
        "[{}{}] {:>3}% {} / {}",
        "#".repeat(filled),
        " ".repeat(width - filled),
        pct,
        human(done),
        human(total)
    )
}

impl Progress {
    /// A bar for `total` bytes (0 if unknown).
    pub fn new(total: u64) -> Progress {
        // SAFETY: isatty only inspects the descriptor.
        let enabled = unsafe { libc::isatty(2) == 1 };
        Progress {
            total,
            enabled,
            last: Instant::now() - Duration::from_secs(1),
            drawn: false,
        }
    }

    /// Redraws, at most ten times a second.
    pub fn update(&mut self, done: u64) {
        if !self.enabled || self.last.elapsed() < Duration::from_millis(100) {
            return;
        }
        self.last = Instant::now();
        self.drawn = true;
        let mut e = std::io::stderr().lock();
        let _ = write!(e, "\r{}", render(done, self.total.max(done), 30));
        let _ = e.flush();
    }

    /// Ends the bar's line.
    pub fn done(&mut self) {
        if self.drawn {
            let mut e = std::io::stderr().lock();
            let _ = writeln!(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_fills_with_progress() {
        assert_eq!(render(512, 1024, 10), "[#####     ]  50% 512.0 B / 1.0 KiB");
        assert_eq!(render(0, 0, 4), "[####] 100% 0.0 B / 0.0 B");
    }
}
