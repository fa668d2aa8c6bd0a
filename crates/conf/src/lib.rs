//! XML models of libvirt objects (domain, capabilities, ...): parse, validate, format. No I/O.
