//! libvirt's key = value configuration grammar (virConf) with typed getters.
