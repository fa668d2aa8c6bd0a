//! The virConf grammar, rule by rule, and the typed getters.

#![allow(clippy::unwrap_used)] // a failing unwrap is a failing test

use oxvirt_conffile::{Conf, ConfError, Expected, Value};

const FILE: &str = "/etc/libvirt/libvirtd.conf";

fn parse(text: &str) -> Conf {
    match Conf::parse(text, FILE) {
        Ok(conf) => conf,
        Err(e) => panic!("parse failed: {e}"),
    }
}

fn syntax_error(text: &str) -> String {
    match Conf::parse(text, FILE) {
        Ok(conf) => panic!("expected a syntax error, got {:?}", conf.entries()),
        Err(e) => {
            assert!(matches!(e, ConfError::Syntax { .. }), "{e:?}");
            e.to_string()
        }
    }
}

// ---- statements, names, separators -------------------------------------

#[test]
fn empty_text_has_no_entries() {
    assert!(parse("").entries().is_empty());
}

#[test]
fn comments_and_blank_lines_are_skipped() {
    let conf = parse("# leading comment\n\n   \n\t# indented comment\nfoo = 1\n\n# trailing\n");
    assert_eq!(conf.entries().len(), 1);
    assert_eq!(conf.get("foo"), Some(&Value::UInt(1)));
    assert_eq!(conf.line("foo"), Some(5));
}

#[test]
fn whitespace_only_text_is_accepted() {
    assert!(parse("  \n\t\n  ").entries().is_empty());
}

#[test]
fn trailing_comment_after_value_is_ignored() {
    let conf = parse("a = \"x\" # why not\nb = 2#tight\n");
    assert_eq!(conf.get_string("a").unwrap().as_deref(), Some("x"));
    assert_eq!(conf.get_uint("b").unwrap(), Some(2));
}

#[test]
fn semicolons_separate_statements_on_one_line() {
    let conf = parse("a = 1; b = \"two\" ;c=[3];");
    assert_eq!(conf.get_uint("a").unwrap(), Some(1));
    assert_eq!(conf.get_string("b").unwrap().as_deref(), Some("two"));
    assert_eq!(conf.get("c"), Some(&Value::List(vec![Value::UInt(3)])));
}

#[test]
fn last_statement_needs_no_newline() {
    assert_eq!(parse("a = 1").get_uint("a").unwrap(), Some(1));
}

#[test]
fn crlf_line_endings_parse_and_count_lines() {
    let conf = parse("# c\r\na = 1\r\n\r\nb = \"x\"\r\n");
    assert_eq!(conf.get_uint("a").unwrap(), Some(1));
    assert_eq!(conf.get_string("b").unwrap().as_deref(), Some("x"));
    assert_eq!(conf.line("b"), Some(4));
}

#[test]
fn names_allow_leading_blanks_digits_and_underscores() {
    let conf = parse("   key_2_b = 1\n\tK = 2\n");
    assert_eq!(conf.get_uint("key_2_b").unwrap(), Some(1));
    assert_eq!(conf.get_uint("K").unwrap(), Some(2));
}

#[test]
fn names_are_case_sensitive() {
    let conf = parse("Max_Clients = 1\n");
    assert_eq!(conf.get("max_clients"), None);
    assert_eq!(conf.get_uint("Max_Clients").unwrap(), Some(1));
}

#[test]
fn name_must_start_with_a_letter() {
    assert_eq!(
        syntax_error("_a = 1\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a name"
    );
    assert_eq!(
        syntax_error("\n\n1a = 1\n"),
        "/etc/libvirt/libvirtd.conf:3: expecting a name"
    );
}

#[test]
fn name_with_a_dash_is_missing_its_assignment() {
    assert_eq!(
        syntax_error("tls-port = \"1\"\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting an assignment"
    );
}

#[test]
fn statement_without_value_fails() {
    assert_eq!(
        syntax_error("a = \n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a value"
    );
    assert_eq!(
        syntax_error("a ="),
        "/etc/libvirt/libvirtd.conf:1: expecting a value"
    );
    assert_eq!(
        syntax_error("a = yes\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a value"
    );
}

#[test]
fn junk_after_value_needs_a_separator() {
    assert_eq!(
        syntax_error("a = 1 b = 2\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a separator"
    );
    assert_eq!(
        syntax_error("a = 12abc\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a separator"
    );
    assert_eq!(
        syntax_error("a = 1.5\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a separator"
    );
}

#[test]
fn syntax_error_names_the_line_it_stopped_on() {
    let e = syntax_error("a = 1\n# ok\nb = \"fine\"\nc = oops\n");
    assert_eq!(e, "/etc/libvirt/libvirtd.conf:4: expecting a value");
}

// ---- numbers -----------------------------------------------------------

#[test]
fn plain_and_plus_numbers_are_unsigned() {
    let conf = parse("a = 42\nb = +7\nc = 007\n");
    assert_eq!(conf.get("a"), Some(&Value::UInt(42)));
    assert_eq!(conf.get("b"), Some(&Value::UInt(7)));
    assert_eq!(conf.get("c"), Some(&Value::UInt(7)));
}

#[test]
fn minus_makes_a_signed_number_even_for_zero() {
    let conf = parse("a = -1\nb = -0\n");
    assert_eq!(conf.get("a"), Some(&Value::Int(-1)));
    assert_eq!(conf.get("b"), Some(&Value::Int(0)));
}

#[test]
fn hex_is_not_a_number() {
    assert_eq!(
        syntax_error("a = 0x10\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a separator"
    );
}

#[test]
fn sign_without_digits_is_an_unterminated_number() {
    assert_eq!(
        syntax_error("a = -\n"),
        "/etc/libvirt/libvirtd.conf:1: unterminated number"
    );
    assert_eq!(
        syntax_error("a = +x\n"),
        "/etc/libvirt/libvirtd.conf:1: unterminated number"
    );
}

#[test]
fn overlong_numbers_parse_but_fail_range_checks() {
    let conf = parse("a = 99999999999999999999999\nb = -99999999999999999999999\n");
    assert_eq!(conf.get("a"), Some(&Value::UInt(u64::MAX)));
    assert_eq!(conf.get("b"), Some(&Value::Int(i64::MIN)));
    assert!(matches!(conf.get_uint("a"), Err(ConfError::Range { .. })));
    assert!(matches!(conf.get_int("b"), Err(ConfError::Range { .. })));
}

// ---- strings -----------------------------------------------------------

#[test]
fn double_and_single_quoted_strings_have_no_escapes() {
    let conf = parse("a = \"it's\"\nb = 'say \"hi\"'\nc = \"back\\slash\"\nd = \"\"\n");
    assert_eq!(conf.get_string("a").unwrap().as_deref(), Some("it's"));
    assert_eq!(conf.get_string("b").unwrap().as_deref(), Some("say \"hi\""));
    assert_eq!(
        conf.get_string("c").unwrap().as_deref(),
        Some("back\\slash")
    );
    assert_eq!(conf.get_string("d").unwrap().as_deref(), Some(""));
}

#[test]
fn hash_inside_a_string_is_not_a_comment() {
    let conf = parse("a = \"x # y\"\n");
    assert_eq!(conf.get_string("a").unwrap().as_deref(), Some("x # y"));
}

#[test]
fn string_cannot_span_lines() {
    assert_eq!(
        syntax_error("a = \"one\ntwo\"\n"),
        "/etc/libvirt/libvirtd.conf:1: unterminated string"
    );
    assert_eq!(
        syntax_error("a = 'open"),
        "/etc/libvirt/libvirtd.conf:1: unterminated string"
    );
}

#[test]
fn triple_quoted_string_spans_lines() {
    let conf = parse("a = \"\"\"line one\nline \"two\"\n\"\"\"\nb = 1\n");
    assert_eq!(
        conf.get_string("a").unwrap().as_deref(),
        Some("line one\nline \"two\"\n")
    );
    assert_eq!(conf.line("b"), Some(4));
}

#[test]
fn unterminated_triple_quoted_string_fails() {
    let e = syntax_error("a = \"\"\"never\nclosed\n");
    assert!(e.ends_with("unterminated string"), "{e}");
}

#[test]
fn unicode_in_strings_and_comments_survives() {
    let conf = parse("# größe ✓\na = \"π ≈ 3.14\"\n");
    assert_eq!(conf.get_string("a").unwrap().as_deref(), Some("π ≈ 3.14"));
}

// ---- lists -------------------------------------------------------------

#[test]
fn list_may_span_lines_with_trailing_comma() {
    let conf = parse("a = [\n  \"one\",\n  \"two\",\n]\nb = 1\n");
    assert_eq!(
        conf.get_string_list("a").unwrap(),
        Some(vec!["one".to_owned(), "two".to_owned()])
    );
    assert_eq!(conf.line("a"), Some(1));
    assert_eq!(conf.line("b"), Some(5));
}

#[test]
fn empty_lists_parse() {
    let conf = parse("a = []\nb = [ \n ]\n");
    assert_eq!(conf.get_string_list("a").unwrap(), Some(vec![]));
    assert_eq!(conf.get_string_list("b").unwrap(), Some(vec![]));
}

#[test]
fn lists_hold_mixed_and_nested_values() {
    let conf = parse("a = [1, -2, \"x\", [\"y\"]]\n");
    assert_eq!(
        conf.get("a"),
        Some(&Value::List(vec![
            Value::UInt(1),
            Value::Int(-2),
            Value::String("x".into()),
            Value::List(vec![Value::String("y".into())]),
        ]))
    );
}

#[test]
fn comment_inside_a_list_is_a_syntax_error() {
    assert_eq!(
        syntax_error("a = [\n  \"one\" # first\n  \"two\"\n]\n"),
        "/etc/libvirt/libvirtd.conf:2: expecting a separator in list"
    );
    assert_eq!(
        syntax_error("a = [\n  \"one\", # first\n  \"two\"\n]\n"),
        "/etc/libvirt/libvirtd.conf:2: expecting a value"
    );
    assert_eq!(
        syntax_error("a = [\n  # nothing yet\n]\n"),
        "/etc/libvirt/libvirtd.conf:2: expecting a value"
    );
}

#[test]
fn list_elements_need_commas() {
    assert_eq!(
        syntax_error("a = [\"x\" \"y\"]\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a separator in list"
    );
}

#[test]
fn double_comma_in_list_fails() {
    assert_eq!(
        syntax_error("a = [1,,2]\n"),
        "/etc/libvirt/libvirtd.conf:1: expecting a value"
    );
}

#[test]
fn unclosed_list_fails() {
    assert_eq!(
        syntax_error("a = [\"x\",\n\"y\"\n"),
        "/etc/libvirt/libvirtd.conf:3: list is not closed with ]"
    );
    assert_eq!(
        syntax_error("a = ["),
        "/etc/libvirt/libvirtd.conf:1: list is not closed with ]"
    );
}

#[test]
fn deeply_nested_lists_are_refused_not_overflowed() {
    let text = format!("a = {}", "[".repeat(100_000));
    let e = syntax_error(&text);
    assert!(e.ends_with("lists nested too deeply"), "{e}");
}

// ---- duplicates and unknown keys ---------------------------------------

#[test]
fn first_duplicate_wins() {
    let conf = parse("max_clients = 10\nmax_clients = 20\n");
    assert_eq!(conf.get_uint("max_clients").unwrap(), Some(10));
    assert_eq!(conf.line("max_clients"), Some(1));
    assert_eq!(conf.entries().len(), 2);
}

#[test]
fn first_duplicate_wins_even_when_later_one_is_well_typed() {
    let conf = parse("tls_port = 16514\ntls_port = \"16514\"\n");
    assert!(conf.get_string("tls_port").is_err());
}

#[test]
fn unknown_keys_are_kept_and_ignored() {
    let conf = parse("keepalive_required = 1\nmax_requests = 20\n");
    assert_eq!(conf.get("keepalive_required"), Some(&Value::UInt(1)));
    assert_eq!(conf.get_uint("max_clients").unwrap(), None);
}

// ---- typed getters -----------------------------------------------------

#[test]
fn absent_key_is_none_for_every_getter() {
    let conf = parse("");
    assert_eq!(conf.get_string("k").unwrap(), None);
    assert_eq!(conf.get_string_list("k").unwrap(), None);
    assert_eq!(conf.get_bool("k").unwrap(), None);
    assert_eq!(conf.get_int("k").unwrap(), None);
    assert_eq!(conf.get_uint("k").unwrap(), None);
    assert_eq!(conf.get_size("k").unwrap(), None);
}

#[test]
fn unquoted_port_is_a_type_error_naming_file_line_and_key() {
    let conf = parse("# ports\n\n\n\n\n\n\n\n\n\n\ntls_port = 16514\n");
    let err = conf.get_string("tls_port").unwrap_err();
    assert_eq!(
        err.to_string(),
        "/etc/libvirt/libvirtd.conf:12: expected a string for 'tls_port' parameter"
    );
    assert_eq!(err.line(), Some(12));
    assert_eq!(err.key(), Some("tls_port"));
}

#[test]
fn bool_accepts_only_unsigned_zero_or_one() {
    let conf = parse("a = 0\nb = 1\nc = 2\nd = -1\ne = \"1\"\nf = -0\n");
    assert_eq!(conf.get_bool("a").unwrap(), Some(false));
    assert_eq!(conf.get_bool("b").unwrap(), Some(true));
    assert_eq!(
        conf.get_bool("c").unwrap_err().to_string(),
        "/etc/libvirt/libvirtd.conf:3: value for 'c' parameter must be 0 or 1"
    );
    assert_eq!(
        conf.get_bool("d").unwrap_err().to_string(),
        "/etc/libvirt/libvirtd.conf:4: expected a bool for 'd' parameter"
    );
    assert_eq!(
        conf.get_bool("e").unwrap_err().to_string(),
        "/etc/libvirt/libvirtd.conf:5: expected a bool for 'e' parameter"
    );
    assert!(conf.get_bool("f").is_err());
}

#[test]
fn int_accepts_both_signs_within_i32() {
    let conf = parse("a = -1\nb = 5\nc = 2147483648\nd = -2147483648\ne = \"5\"\n");
    assert_eq!(conf.get_int("a").unwrap(), Some(-1));
    assert_eq!(conf.get_int("b").unwrap(), Some(5));
    assert_eq!(
        conf.get_int("c").unwrap_err().to_string(),
        "/etc/libvirt/libvirtd.conf:3: value for 'c' parameter must be in range -2147483648:2147483647"
    );
    assert_eq!(conf.get_int("d").unwrap(), Some(i32::MIN));
    assert_eq!(
        conf.get_int("e").unwrap_err().to_string(),
        "/etc/libvirt/libvirtd.conf:5: expected a signed integer for 'e' parameter"
    );
}

#[test]
fn negative_value_for_uint_fails() {
    let conf = parse("max_clients = -5\n");
    let err = conf.get_uint("max_clients").unwrap_err();
    assert_eq!(
        err.to_string(),
        "/etc/libvirt/libvirtd.conf:1: expected an unsigned integer for 'max_clients' parameter"
    );
    assert!(matches!(
        err,
        ConfError::Type {
            expected: Expected::UnsignedInteger,
            ..
        }
    ));
}

#[test]
fn uint_range_is_u32() {
    let conf = parse("a = 4294967295\nb = 4294967296\n");
    assert_eq!(conf.get_uint("a").unwrap(), Some(u32::MAX));
    assert_eq!(
        conf.get_uint("b").unwrap_err().to_string(),
        "/etc/libvirt/libvirtd.conf:2: value for 'b' parameter must be in range 0:4294967295"
    );
}

#[test]
fn size_accepts_any_unsigned() {
    let conf = parse("a = 18446744073709551615\nb = -1\n");
    assert_eq!(conf.get_size("a").unwrap(), Some(u64::MAX));
    assert!(conf.get_size("b").is_err());
}

#[test]
fn string_list_refuses_bare_string_and_non_strings() {
    let conf = parse("a = \"polkit\"\nb = [\"x\", 1]\nc = 3\n");
    assert_eq!(
        conf.get_string_list("a").unwrap_err().to_string(),
        "/etc/libvirt/libvirtd.conf:1: expected a string list for 'a' parameter"
    );
    assert_eq!(
        conf.get_string_list("b").unwrap_err().to_string(),
        "/etc/libvirt/libvirtd.conf:2: expected a string list for 'b' parameter"
    );
    assert!(conf.get_string_list("c").is_err());
}

#[test]
fn string_getter_refuses_lists() {
    let conf = parse("a = [\"x\"]\n");
    assert!(matches!(
        conf.get_string("a"),
        Err(ConfError::Type {
            expected: Expected::String,
            ..
        })
    ));
}

// ---- files -------------------------------------------------------------

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("oxvirt-conffile-{}-{name}", std::process::id()))
}

#[test]
fn read_file_parses_and_names_the_path_in_errors() {
    let path = temp_path("read.conf");
    std::fs::write(&path, "a = 1\nb = 'two'\nc = 3\n").unwrap();
    let conf = Conf::read_file(&path).unwrap();
    assert_eq!(conf.get_uint("a").unwrap(), Some(1));
    let err = conf.get_string("c").unwrap_err().to_string();
    assert_eq!(
        err,
        format!("{}:3: expected a string for 'c' parameter", path.display())
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn read_file_of_missing_path_names_it() {
    let path = temp_path("missing.conf");
    let err = Conf::read_file(&path).unwrap_err();
    assert!(matches!(err, ConfError::Read { .. }));
    assert!(err.to_string().contains(&path.display().to_string()));
}

#[test]
fn read_file_refuses_files_over_ten_mib() {
    let path = temp_path("big.conf");
    let mut text = String::with_capacity(11 * 1024 * 1024);
    while text.len() <= 10 * 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&path, &text).unwrap();
    let err = Conf::read_file(&path).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(err, ConfError::TooLarge { .. }), "{err:?}");
}

#[test]
fn read_file_tolerates_non_utf8_comments() {
    let path = temp_path("latin1.conf");
    std::fs::write(&path, b"# caf\xe9\na = \"x\"\n").unwrap();
    let conf = Conf::read_file(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(conf.get_string("a").unwrap().as_deref(), Some("x"));
}

#[test]
fn errors_map_to_libvirt_codes() {
    use oxvirt_core::ErrorCode;
    let syntax = Conf::parse("a = ", FILE).unwrap_err();
    assert_eq!(syntax.code(), ErrorCode::CONF_SYNTAX);
    let conf = parse("a = 1\n");
    assert_eq!(
        conf.get_string("a").unwrap_err().code(),
        ErrorCode::INTERNAL_ERROR
    );
    let wire: oxvirt_core::Error = syntax.into();
    assert_eq!(
        wire.message,
        "configuration file syntax error: /etc/libvirt/libvirtd.conf:1: expecting a value"
    );
}
