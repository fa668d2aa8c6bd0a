//! The shared daemon runtime.
