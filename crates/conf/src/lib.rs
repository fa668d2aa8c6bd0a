//! XML models of libvirt objects (domain, capabilities, ...): parse, validate,
//! format. No I/O: callers hand in text and random bytes, and get text back.

pub mod capabilities;
pub mod domain;
pub mod storage;
pub mod xml;
