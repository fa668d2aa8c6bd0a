//! Property tests: no input makes the parser, the getters or the daemon settings
//! panic, and well-formed files parse to what was written.

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use oxvirt_conffile::daemon::{DaemonFlavor, DaemonSettings};
use oxvirt_conffile::log::{parse_log_filters, parse_log_outputs};
use oxvirt_conffile::{Conf, Value};
use proptest::prelude::*;

/// Text biased towards the grammar's own characters, so that the parser gets
/// deep into lists, strings and numbers rather than failing on the first byte.
fn conf_like_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "max_workers",
        "tls_port",
        "log_level",
        " ",
        "\t",
        "\n",
        "\r\n",
        "=",
        " = ",
        ";",
        "#",
        "\"",
        "'",
        "\"\"\"",
        "[",
        "]",
        ",",
        "-",
        "+",
        "0",
        "1",
        "42",
        "-7",
        "99999999999999999999",
        "\"x\"",
        "'y'",
        "é",
        "\u{0}",
    ]);
    prop::collection::vec(pieces, 0..64).prop_map(|v| v.concat())
}

fn exercise(conf: &Conf) {
    for entry in conf.entries() {
        let key = entry.name.as_str();
        let _ = conf.get_string(key);
        let _ = conf.get_string_list(key);
        let _ = conf.get_bool(key);
        let _ = conf.get_int(key);
        let _ = conf.get_uint(key);
        let _ = conf.get_size(key);
    }
    for flavor in [
        DaemonFlavor::Libvirtd,
        DaemonFlavor::Virtproxyd,
        DaemonFlavor::Modular,
    ] {
        for privileged in [true, false] {
            let _ = DaemonSettings::from_conf(conf, flavor, privileged);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        if let Ok(conf) = Conf::parse(&text, "fuzz.conf") {
            exercise(&conf);
        }
    }

    #[test]
    fn grammar_shaped_text_never_panics(text in conf_like_text()) {
        match Conf::parse(&text, "fuzz.conf") {
            Ok(conf) => exercise(&conf),
            Err(e) => prop_assert!(e.to_string().starts_with("fuzz.conf:")),
        }
    }

    #[test]
    fn log_specs_never_panic(text in "[0-9a-z:+/ .-]{0,40}") {
        let _ = parse_log_filters(&text);
        let _ = parse_log_outputs(&text);
    }

    #[test]
    fn written_values_read_back(
        key in "[A-Za-z][A-Za-z0-9_]{0,15}",
        n in any::<u64>(),
        i in any::<i64>(),
        s in "[^\"\r\n]{0,20}",
        items in prop::collection::vec("[^'\r\n]{0,8}", 0..5),
    ) {
        // A trailing comma is allowed after the last element, not in `[ , ]`.
        let list: String = items.iter().map(|x| format!("'{x}',\n  ")).collect();
        let text = format!(
            "{key} = {n}\n{key}x = {i}\n{key}s = \"{s}\" # note\n{key}l = [\n  {list}\n]\n"
        );
        let conf = Conf::parse(&text, "rt.conf").map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(conf.get(&key), Some(&Value::UInt(n)));
        let signed = if i < 0 { Value::Int(i) } else { Value::UInt(i.unsigned_abs()) };
        prop_assert_eq!(conf.get(&format!("{key}x")), Some(&signed));
        prop_assert_eq!(conf.get_string(&format!("{key}s")).ok().flatten(), Some(s));
        prop_assert_eq!(conf.get_string_list(&format!("{key}l")).ok().flatten(), Some(items));
        prop_assert_eq!(conf.line(&format!("{key}l")), Some(4));
    }
}
