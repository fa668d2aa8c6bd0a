//! libvirt RPC transport.
