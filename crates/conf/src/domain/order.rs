//! The order libvirt writes attributes and children in, for elements oxvirt
//! keeps as trees. Each function maps an element path (starting with the
//! element itself) to its rule.

use super::FEATURES;
use crate::xml::Order;

/// The attribute order of any device's `<address>`.
fn info_tail(path: &str) -> Option<Order> {
    if path.ends_with("/address") {
        return Some(Order {
            attrs: &[
                "type",
                "domain",
                "controller",
                "bus",
                "target",
                "slot",
                "unit",
                "port",
                "function",
                "multifunction",
                "reg",
                "cssid",
                "ssid",
                "devno",
                "cid",
                "iobase",
                "irq",
            ],
            children: &["zpci"],
        });
    }
    None
}

pub(crate) fn generic(path: &str) -> Option<Order> {
    match path {
        "pm" => Some(Order {
            attrs: &[],
            children: &["suspend-to-mem", "suspend-to-disk"],
        }),
        _ => info_tail(path),
    }
}

pub(crate) fn features(path: &str) -> Option<Order> {
    match path {
        "features" => Some(Order {
            attrs: &[],
            children: FEATURES,
        }),
        "features/hyperv" => Some(Order {
            attrs: &["mode"],
            children: &[
                "relaxed",
                "vapic",
                "spinlocks",
                "vpindex",
                "runtime",
                "synic",
                "stimer",
                "reset",
                "vendor_id",
                "frequencies",
                "reenlightenment",
                "tlbflush",
                "ipi",
                "evmcs",
                "avic",
            ],
        }),
        _ => None,
    }
}

pub(crate) fn cpu(path: &str) -> Option<Order> {
    match path {
        "cpu" => Some(Order {
            attrs: &["mode", "match", "check", "migratable"],
            children: &[
                "model",
                "vendor",
                "microcode",
                "signature",
                "counter",
                "topology",
                "cache",
                "maxphysaddr",
                "feature",
                "numa",
            ],
        }),
        "cpu/topology" => Some(Order {
            attrs: &["sockets", "dies", "cores", "threads"],
            children: &[],
        }),
        "cpu/feature" => Some(Order {
            attrs: &["policy", "name"],
            children: &[],
        }),
        _ => None,
    }
}

pub(crate) fn clock(path: &str) -> Option<Order> {
    match path {
        "clock" => Some(Order {
            attrs: &["offset", "adjustment", "basis", "timezone"],
            children: &["timer"],
        }),
        "clock/timer" => Some(Order {
            attrs: &[
                "name",
                "present",
                "tickpolicy",
                "track",
                "frequency",
                "mode",
            ],
            children: &["catchup"],
        }),
        _ => None,
    }
}

pub(crate) fn loader(path: &str) -> Option<Order> {
    (path == "loader").then_some(Order {
        attrs: &["readonly", "secure", "type", "stateless", "format"],
        children: &[],
    })
}

pub(crate) fn disk(path: &str) -> Option<Order> {
    Some(match path {
        "disk" => Order {
            attrs: &["type", "device", "model", "rawio", "sgio", "snapshot"],
            children: &[
                "driver",
                "source",
                "backingStore",
                "geometry",
                "blockio",
                "target",
                "iotune",
                "readonly",
                "shareable",
                "transient",
                "serial",
                "wwn",
                "vendor",
                "product",
                "encryption",
                "boot",
                "acpi",
                "alias",
                "address",
            ],
        },
        "disk/driver" => Order {
            attrs: &[
                "name",
                "type",
                "cache",
                "error_policy",
                "rerror_policy",
                "io",
                "ioeventfd",
                "event_idx",
                "copy_on_read",
                "discard",
                "iothread",
                "detect_zeroes",
                "queues",
                "queue_size",
            ],
            children: &[],
        },
        "disk/source" => Order {
            attrs: &[
                "file",
                "dev",
                "dir",
                "protocol",
                "name",
                "pool",
                "volume",
                "mode",
                "query",
                "startupPolicy",
                "index",
            ],
            children: &[],
        },
        "disk/target" => Order {
            attrs: &["dev", "bus", "tray", "removable", "rotation_rate"],
            children: &[],
        },
        _ => return info_tail(path),
    })
}

pub(crate) fn controller(path: &str) -> Option<Order> {
    Some(match path {
        "controller" => Order {
            attrs: &[
                "type",
                "index",
                "model",
                "ports",
                "vectors",
                "maxGrantFrames",
                "maxEventChannels",
            ],
            children: &["model", "driver", "target", "pcihole64", "alias", "address"],
        },
        _ => return info_tail(path),
    })
}

pub(crate) fn interface(path: &str) -> Option<Order> {
    Some(match path {
        "interface" => Order {
            attrs: &["type", "trustGuestRxFilters"],
            children: &[
                "mac",
                "source",
                "vlan",
                "virtualport",
                "bandwidth",
                "port",
                "ip",
                "route",
                "portForward",
                "script",
                "downscript",
                "backenddomain",
                "target",
                "guest",
                "model",
                "driver",
                "backend",
                "filterref",
                "tune",
                "teaming",
                "link",
                "mtu",
                "coalesce",
                "rom",
                "boot",
                "acpi",
                "alias",
                "address",
            ],
        },
        "interface/mac" => Order {
            attrs: &["address", "type", "check"],
            children: &[],
        },
        "interface/source" => Order {
            attrs: &[
                "network",
                "portgroup",
                "portid",
                "bridge",
                "dev",
                "mode",
                "type",
                "path",
                "address",
                "port",
            ],
            children: &[],
        },
        _ => return info_tail(path),
    })
}

pub(crate) fn chardev(path: &str) -> Option<Order> {
    let tail = path.split_once('/').map(|(_, t)| t).unwrap_or("");
    Some(match tail {
        "" => Order {
            attrs: &["type", "tty"],
            children: &["source", "protocol", "log", "target", "alias", "address"],
        },
        "source" => Order {
            attrs: &[
                "mode", "path", "host", "service", "tls", "channel", "master", "slave",
            ],
            children: &["reconnect", "seclabel"],
        },
        "target" => Order {
            attrs: &["type", "name", "address", "port", "state"],
            children: &["model"],
        },
        _ => return info_tail(path),
    })
}

pub(crate) fn input(path: &str) -> Option<Order> {
    Some(match path {
        "input" => Order {
            attrs: &["type", "bus", "model"],
            children: &["driver", "source", "alias", "address"],
        },
        _ => return info_tail(path),
    })
}

pub(crate) fn graphics(path: &str) -> Option<Order> {
    Some(match path {
        "graphics" => Order {
            attrs: &[
                "type",
                "socket",
                "port",
                "tlsPort",
                "autoport",
                "websocket",
                "listen",
                "keymap",
                "sharePolicy",
                "defaultMode",
                "multiUser",
                "replaceUser",
                "passwd",
                "passwdValidTo",
                "connected",
                "display",
                "xauth",
                "fullscreen",
            ],
            children: &[
                "listen",
                "channel",
                "image",
                "jpeg",
                "zlib",
                "playback",
                "streaming",
                "clipboard",
                "mouse",
                "filetransfer",
                "gl",
                "audio",
            ],
        },
        "graphics/listen" => Order {
            attrs: &[
                "type",
                "address",
                "network",
                "socket",
                "fromConfig",
                "autoGenerated",
            ],
            children: &[],
        },
        _ => return None,
    })
}

pub(crate) fn video(path: &str) -> Option<Order> {
    Some(match path {
        "video" => Order {
            attrs: &[],
            children: &["driver", "model", "alias", "address"],
        },
        "video/model" => Order {
            attrs: &[
                "type", "ram", "vram", "vram64", "vgamem", "heads", "primary", "blob",
            ],
            children: &["acceleration", "resolution"],
        },
        _ => return info_tail(path),
    })
}

pub(crate) fn memballoon(path: &str) -> Option<Order> {
    Some(match path {
        "memballoon" => Order {
            attrs: &["model", "autodeflate", "freePageReporting"],
            children: &["stats", "alias", "address", "driver"],
        },
        _ => return info_tail(path),
    })
}
