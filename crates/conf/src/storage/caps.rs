//! `<storagepoolCapabilities>`: which pool types a driver supports and the
//! formats each accepts (`virConnectGetStoragePoolCapabilities`).

use super::pool::PoolType;
use crate::xml::XmlWriter;

fn write_enum(w: &mut XmlWriter, tag: &str, enum_name: &str, default: &str, values: &[&str]) {
    w.start(tag).end_open();
    w.start("defaultFormat").attr("type", default).end_empty();
    w.start("enum").attr("name", enum_name);
    w.end_open();
    for v in values {
        w.text_element("value", v);
    }
    w.close("enum");
    w.close(tag);
}

/// The capabilities document; `supported` says which types this driver
/// serves.
pub fn format(supported: &dyn Fn(PoolType) -> bool) -> String {
    let mut w = XmlWriter::new();
    w.start("storagepoolCapabilities").end_open();
    for t in PoolType::ALL {
        w.start("pool")
            .attr("type", t.as_str())
            .attr("supported", if supported(t) { "yes" } else { "no" })
            .end_open();
        if let Some(d) = t.default_source_format() {
            write_enum(
                &mut w,
                "poolOptions",
                "sourceFormatType",
                d,
                t.source_formats(),
            );
        }
        // rbd lists a default volume format but no values, as libvirt does.
        let vol_formats: &[&str] = if t == PoolType::Rbd {
            &[]
        } else {
            t.volume_formats()
        };
        if let Some(d) = t.default_volume_format() {
            write_enum(&mut w, "volOptions", "targetFormatType", d, vol_formats);
        }
        w.close("pool");
    }
    w.close("storagepoolCapabilities");
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_type_in_order() {
        let out = format(&|t| matches!(t, PoolType::Dir | PoolType::Logical));
        assert!(out.starts_with("<storagepoolCapabilities>\n  <pool type='dir' supported='yes'>\n    <volOptions>\n      <defaultFormat type='raw'/>\n"));
        assert!(out.contains("  <pool type='logical' supported='yes'>\n    <poolOptions>\n      <defaultFormat type='lvm2'/>\n      <enum name='sourceFormatType'>\n        <value>unknown</value>\n        <value>lvm2</value>\n      </enum>\n    </poolOptions>\n  </pool>\n"));
        assert!(out.contains("  <pool type='iscsi' supported='no'>\n  </pool>\n"));
        assert!(out.contains("  <pool type='rbd' supported='no'>\n    <volOptions>\n      <defaultFormat type='raw'/>\n      <enum name='targetFormatType'>\n      </enum>\n"));
        assert_eq!(out.matches("<pool type=").count(), 14);
    }
}
