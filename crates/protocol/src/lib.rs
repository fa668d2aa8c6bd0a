//! Message types and procedure tables of libvirt's RPC programs: remote, qemu, lxc, keepalive, admin, virtlogd, virtlockd.
