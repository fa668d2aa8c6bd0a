//! The vsh command language shared by oxvirt's `virsh` and `virt-admin`:
//! command and option definitions, the parser, tables, the common built-in
//! commands and the interactive shell.

pub mod builtins;
pub mod shell;
pub mod table;
pub mod vsh;

/// Prints to stdout (`vshPrint`).
#[macro_export]
macro_rules! out {
    ($ctl:expr, $($arg:tt)*) => {
        $crate::vsh::Shell::print(&*$ctl, format_args!($($arg)*))
    };
}

/// Prints to stdout unless `-q` (`vshPrintExtra`).
#[macro_export]
macro_rules! extra {
    ($ctl:expr, $($arg:tt)*) => {
        if !$crate::vsh::Shell::quiet(&*$ctl) {
            $crate::vsh::Shell::print(&*$ctl, format_args!($($arg)*))
        }
    };
}
