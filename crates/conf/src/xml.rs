//! A small owned XML tree, read with quick-xml and written the way libvirt
//! writes its documents.
//!
//! libvirt parses with libxml2 and formats with its own buffer helpers: two
//! spaces per level, attributes in single quotes, every element on its own
//! line. [`XmlElement`] keeps what a parser saw (names, attributes in order,
//! children, text), and [`XmlWriter`] reproduces libvirt's layout. Elements
//! that oxvirt does not model are kept as trees and written back through
//! [`write_canonical`], which orders attributes and children by a table so
//! that the output matches libvirt's for the common cases.

use quick_xml::events::Event;
use quick_xml::Reader;

/// Deepest nesting accepted; libxml2 refuses documents deeper than this too.
pub const MAX_DEPTH: usize = 256;

/// An element with its attributes and children, as parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlElement {
    /// The qualified name (`prefix:local` when prefixed).
    pub name: String,
    /// Attributes in document order, values unescaped.
    pub attrs: Vec<(String, String)>,
    pub children: Vec<XmlNode>,
}

/// A child of an element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlNode {
    Element(XmlElement),
    Text(String),
}

impl XmlElement {
    /// An element with no attributes or children.
    pub fn new(name: impl Into<String>) -> Self {
        XmlElement {
            name: name.into(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Adds an attribute (builder style).
    pub fn with_attr(mut self, k: &str, v: impl Into<String>) -> Self {
        self.set_attr(k, v);
        self
    }

    /// Adds a child element (builder style).
    pub fn with_child(mut self, child: XmlElement) -> Self {
        self.children.push(XmlNode::Element(child));
        self
    }

    /// Sets the text content (builder style).
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.children.push(XmlNode::Text(text.into()));
        self
    }

    /// The value of attribute `k`.
    pub fn attr(&self, k: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    }

    /// Sets or replaces attribute `k`, keeping its position when present.
    pub fn set_attr(&mut self, k: &str, v: impl Into<String>) {
        let v = v.into();
        match self.attrs.iter_mut().find(|(n, _)| n == k) {
            Some(slot) => slot.1 = v,
            None => self.attrs.push((k.to_owned(), v)),
        }
    }

    /// Removes attribute `k` and returns its value.
    pub fn take_attr(&mut self, k: &str) -> Option<String> {
        let i = self.attrs.iter().position(|(n, _)| n == k)?;
        Some(self.attrs.remove(i).1)
    }

    /// Child elements in order.
    pub fn elements(&self) -> impl Iterator<Item = &XmlElement> {
        self.children.iter().filter_map(|c| match c {
            XmlNode::Element(e) => Some(e),
            XmlNode::Text(_) => None,
        })
    }

    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&XmlElement> {
        self.elements().find(|e| e.name == name)
    }

    /// Mutable access to the first child element called `name`.
    pub fn child_mut(&mut self, name: &str) -> Option<&mut XmlElement> {
        self.children.iter_mut().find_map(|c| match c {
            XmlNode::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// Removes and returns the first child element called `name`.
    pub fn take_child(&mut self, name: &str) -> Option<XmlElement> {
        let i = self
            .children
            .iter()
            .position(|c| matches!(c, XmlNode::Element(e) if e.name == name))?;
        match self.children.remove(i) {
            XmlNode::Element(e) => Some(e),
            XmlNode::Text(_) => None,
        }
    }

    /// Removes and returns every child element called `name`.
    pub fn take_children(&mut self, name: &str) -> Vec<XmlElement> {
        let mut out = Vec::new();
        let mut keep = Vec::with_capacity(self.children.len());
        for c in self.children.drain(..) {
            match c {
                XmlNode::Element(e) if e.name == name => out.push(e),
                other => keep.push(other),
            }
        }
        self.children = keep;
        out
    }

    /// The concatenated text directly inside this element.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            if let XmlNode::Text(t) = c {
                s.push_str(t);
            }
        }
        s
    }

    /// The text of child `name`, if that child exists.
    pub fn child_text(&self, name: &str) -> Option<String> {
        self.child(name).map(|e| e.text())
    }

    /// True when the element has child elements.
    pub fn has_elements(&self) -> bool {
        self.elements().next().is_some()
    }

    /// Drops text children that are only whitespace (layout between elements).
    pub fn strip_blank_text(&mut self) {
        if self.has_elements() {
            self.children.retain(|c| match c {
                XmlNode::Text(t) => !t.trim().is_empty(),
                XmlNode::Element(_) => true,
            });
        }
    }
}

/// Why a document could not be read, with libxml2's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlParseError {
    /// 1-based line of the error.
    pub line: usize,
    /// The message without location, e.g. `Premature end of data in tag domain line 1`.
    pub message: String,
    /// The source line shown under the message.
    pub context: String,
    /// Column of the caret within `context`.
    pub column: usize,
}

impl XmlParseError {
    /// The message as libvirt reports it: `URL:LINE: MSG`, the line, and a caret.
    pub fn render(&self, url: &str) -> String {
        format!(
            "{url}:{}: {}\n{}\n{}^",
            self.line,
            self.message,
            self.context,
            "-".repeat(self.column)
        )
    }
}

fn error_at(text: &str, pos: usize, message: String) -> XmlParseError {
    // libvirt prints the whole line around the parser's position (stepping
    // back over a newline it stopped on), "(null)" at the end of input, and
    // a dash per byte up to the caret.
    let bytes = text.as_bytes();
    let pos = pos.min(bytes.len());
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let is_eol = |b: u8| b == b'\n' || b == b'\r';
    let mut cur = pos;
    while cur > 0 && is_eol(at(cur)) {
        cur -= 1;
    }
    while cur > 0 && !is_eol(at(cur)) {
        cur -= 1;
    }
    if is_eol(at(cur)) {
        cur += 1;
    }
    let line = bytes[..pos].iter().filter(|b| **b == b'\n').count() + 1;
    let end = bytes[cur.min(bytes.len())..]
        .iter()
        .position(|b| is_eol(*b))
        .map(|e| cur + e)
        .unwrap_or(bytes.len());
    let context = if cur >= bytes.len() {
        "(null)".to_owned()
    } else {
        String::from_utf8_lossy(&bytes[cur..end]).into_owned()
    };
    XmlParseError {
        line,
        message,
        context,
        column: pos.saturating_sub(cur),
    }
}

/// Parses `text` as a document and returns its root element.
pub fn parse_document(text: &str) -> Result<XmlElement, XmlParseError> {
    if text.is_empty() {
        return Err(XmlParseError {
            line: 1,
            message: "Document is empty".into(),
            context: "(null)".into(),
            column: 0,
        });
    }
    if let Some((i, c)) = text.char_indices().find(|(_, c)| {
        (*c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || *c == '\u{fffe}' || *c == '\u{ffff}'
    }) {
        return Err(error_at(
            text,
            i,
            format!("PCDATA invalid Char value {}", c as u32),
        ));
    }

    let mut reader = Reader::from_str(text);
    {
        let cfg = reader.config_mut();
        cfg.check_end_names = false;
        cfg.trim_text(false);
        cfg.expand_empty_elements = false;
    }
    // Open elements with the line each started on.
    let mut stack: Vec<(XmlElement, usize)> = Vec::new();
    let mut root: Option<XmlElement> = None;
    // Line numbers of start tags, counted incrementally.
    let mut line = 1usize;
    let mut line_pos = 0usize;

    loop {
        let before = reader.buffer_position() as usize;
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => return Err(reader_error(text, &reader, &stack, e)),
        };
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                if root.is_some() {
                    return Err(error_at(
                        text,
                        before,
                        "Extra content at the end of the document".into(),
                    ));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(error_at(
                        text,
                        after,
                        format!(
                            "Excessive depth in document: {MAX_DEPTH} use XML_PARSE_HUGE option"
                        ),
                    ));
                }
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                if let Some(e) = scan_start_tag(text, before, after, &name, line) {
                    return Err(e);
                }
                let mut el = XmlElement::new(name);
                for a in s.attributes() {
                    let a = match a {
                        Ok(a) => a,
                        Err(quick_xml::events::attributes::AttrError::Duplicated(pos, _)) => {
                            let start = before + 1 + pos;
                            let key: String = tail(text, start)
                                .chars()
                                .take_while(|c| !c.is_whitespace() && *c != '=')
                                .collect();
                            let end = end_of_attr_value(text, start);
                            return Err(error_at(text, end, format!("Attribute {key} redefined")));
                        }
                        Err(e) => {
                            return Err(error_at(text, after, attr_error_message(&e)));
                        }
                    };
                    let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                    let value = match a.unescape_value() {
                        Ok(v) => v.into_owned(),
                        Err(e) => return Err(error_at(text, after, escape_message(&e))),
                    };
                    el.attrs.push((key, value));
                }
                let upto = before.min(text.len());
                if upto > line_pos {
                    line += text.as_bytes()[line_pos..upto]
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count();
                    line_pos = upto;
                }
                if matches!(ev, Event::Empty(_)) {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push((el, line));
                }
            }
            Event::End(ref e) => {
                let found = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if let Some(i) = found.find('<') {
                    return Err(error_at(text, before + 2 + i, "expected '>'".into()));
                }
                let Some((el, line)) = stack.pop() else {
                    return Err(error_at(
                        text,
                        before,
                        if root.is_some() {
                            "Extra content at the end of the document".into()
                        } else {
                            "StartTag: invalid element name".into()
                        },
                    ));
                };
                if el.name != found {
                    return Err(error_at(
                        text,
                        after,
                        format!(
                            "Opening and ending tag mismatch: {} line {} and {}",
                            el.name, line, found
                        ),
                    ));
                }
                attach(&mut stack, &mut root, el);
            }
            Event::Text(t) => {
                let raw = String::from_utf8_lossy(t.as_ref()).into_owned();
                match stack.last_mut() {
                    Some((el, _)) => {
                        let s = match t.unescape() {
                            Ok(s) => s.into_owned(),
                            Err(e) => return Err(entity_error(text, before, after, &e)),
                        };
                        push_text(el, s);
                    }
                    None => {
                        if let Some(off) = raw.find(|c: char| !c.is_whitespace()) {
                            let msg = if root.is_some() {
                                "Extra content at the end of the document"
                            } else {
                                "Start tag expected, '<' not found"
                            };
                            return Err(error_at(text, before + off, msg.into()));
                        }
                    }
                }
            }
            Event::CData(c) => {
                if let Some((el, _)) = stack.last_mut() {
                    push_text(el, String::from_utf8_lossy(&c.into_inner()).into_owned());
                } else {
                    return Err(error_at(
                        text,
                        before,
                        "Start tag expected, '<' not found".into(),
                    ));
                }
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            Event::DocType(_) => {
                if root.is_some() || !stack.is_empty() {
                    return Err(error_at(
                        text,
                        before,
                        "Extra content at the end of the document".into(),
                    ));
                }
            }
            Event::Eof => {
                if let Some((el, line)) = stack.last() {
                    return Err(error_at(
                        text,
                        text.len(),
                        format!("Premature end of data in tag {} line {}", el.name, line),
                    ));
                }
                return root.ok_or_else(|| {
                    error_at(text, text.len(), "Start tag expected, '<' not found".into())
                });
            }
        }
    }
}

/// Checks a start tag's raw text for what libxml2 refuses and quick-xml
/// lets through: a `<` inside it.
fn scan_start_tag(
    text: &str,
    before: usize,
    after: usize,
    name: &str,
    line: usize,
) -> Option<XmlParseError> {
    let raw = text.get(before + 1..after.saturating_sub(1))?;
    let mut quote = None;
    for (i, c) in raw.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some(_), '<') => {
                return Some(error_at(
                    text,
                    before + 1 + i,
                    "Unescaped '<' not allowed in attributes values".into(),
                ))
            }
            (None, '<') => {
                return Some(error_at(
                    text,
                    before + 1 + i,
                    format!("Couldn't find end of Start Tag {name} line {line}"),
                ))
            }
            _ => {}
        }
    }
    None
}

/// The position just after the quoted value of the attribute starting at
/// `start`.
fn end_of_attr_value(text: &str, start: usize) -> usize {
    let rest = tail(text, start);
    let Some(q) = rest.find(['\'', '"']) else {
        return start;
    };
    let quote = &rest[q..q + 1];
    match rest[q + 1..].find(quote) {
        Some(e) => start + q + 1 + e + 1,
        None => text.len(),
    }
}

/// libxml2's message and position for a bad entity in text that starts at
/// `before`.
fn entity_error(text: &str, before: usize, after: usize, e: &quick_xml::Error) -> XmlParseError {
    use quick_xml::escape::EscapeError;
    match e {
        quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(range, name)) => error_at(
            text,
            before + range.end + 1,
            format!("Entity '{name}' not defined"),
        ),
        quick_xml::Error::Escape(EscapeError::UnterminatedEntity(range)) => {
            let amp = before + range.start;
            let next = tail(text, amp + 1).chars().next();
            if next.is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':') {
                let name_len = tail(text, amp + 1)
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.'))
                    .map(char::len_utf8)
                    .sum::<usize>();
                error_at(text, amp + 1 + name_len, "EntityRef: expecting ';'".into())
            } else {
                error_at(text, amp + 1, "xmlParseEntityRef: no name".into())
            }
        }
        other => error_at(text, after, escape_message(other)),
    }
}

/// `text` from byte `pos` on; empty when `pos` is past the end or inside a
/// character.
fn tail(text: &str, pos: usize) -> &str {
    text.get(pos..).unwrap_or("")
}

fn push_text(el: &mut XmlElement, s: String) {
    if let Some(XmlNode::Text(prev)) = el.children.last_mut() {
        prev.push_str(&s);
    } else {
        el.children.push(XmlNode::Text(s));
    }
}

fn attach(stack: &mut [(XmlElement, usize)], root: &mut Option<XmlElement>, el: XmlElement) {
    match stack.last_mut() {
        Some((parent, _)) => parent.children.push(XmlNode::Element(el)),
        None => *root = Some(el),
    }
}

fn reader_error(
    text: &str,
    reader: &Reader<&[u8]>,
    stack: &[(XmlElement, usize)],
    e: quick_xml::Error,
) -> XmlParseError {
    use quick_xml::errors::IllFormedError;
    use quick_xml::errors::SyntaxError;
    let pos = reader.error_position() as usize;
    let msg = match &e {
        quick_xml::Error::Syntax(SyntaxError::UnclosedTag) => {
            // libxml2 stops at a '<' inside a quoted value, else at the end.
            let tag = tail(text, pos);
            let name: String = tag
                .chars()
                .skip(1)
                .take_while(|c| !c.is_whitespace() && !matches!(c, '/' | '>' | '<'))
                .collect();
            let mut quote = None;
            for (i, c) in tag.char_indices().skip(1) {
                match (quote, c) {
                    (None, '\'' | '"') => quote = Some(c),
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), '<') => {
                        return error_at(
                            text,
                            pos + i,
                            "Unescaped '<' not allowed in attributes values".into(),
                        )
                    }
                    _ => {}
                }
            }
            let line = text.as_bytes()[..pos.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            if tag.starts_with("</") {
                return error_at(text, text.len(), "expected '>'".into());
            }
            if name.is_empty() {
                match stack.last() {
                    Some((el, l)) => {
                        return error_at(
                            text,
                            text.len(),
                            format!("Premature end of data in tag {} line {}", el.name, l),
                        )
                    }
                    None => "StartTag: invalid element name".to_owned(),
                }
            } else {
                return error_at(
                    text,
                    text.len(),
                    format!("Couldn't find end of Start Tag {name} line {line}"),
                );
            }
        }
        quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(_)) => {
            return error_at(text, pos + 1, "StartTag: invalid element name".into());
        }
        quick_xml::Error::Syntax(SyntaxError::UnclosedComment) => {
            return error_at(text, text.len(), "Comment not terminated".into());
        }
        quick_xml::Error::Syntax(SyntaxError::UnclosedCData) => {
            "CData section not finished".to_owned()
        }
        quick_xml::Error::Syntax(_) => "StartTag: invalid element name".to_owned(),
        quick_xml::Error::InvalidAttr(a) => attr_error_message(a),
        quick_xml::Error::Escape(esc) => escape_error_message(esc),
        other => format!("malformed XML: {other}"),
    };
    error_at(text, pos, msg)
}

fn attr_error_message(e: &quick_xml::events::attributes::AttrError) -> String {
    use quick_xml::events::attributes::AttrError;
    match e {
        AttrError::UnquotedValue(_) => "AttValue: \" or ' expected".into(),
        AttrError::ExpectedEq(_) | AttrError::ExpectedValue(_) => {
            "Specification mandates value for attribute".into()
        }
        AttrError::ExpectedQuote(_, _) => "AttValue: ' expected".into(),
        AttrError::Duplicated(_, _) => "Attribute redefined".into(),
    }
}

fn escape_message(e: &quick_xml::Error) -> String {
    match e {
        quick_xml::Error::Escape(esc) => escape_error_message(esc),
        other => format!("malformed XML: {other}"),
    }
}

fn escape_error_message(e: &quick_xml::escape::EscapeError) -> String {
    use quick_xml::escape::EscapeError;
    match e {
        EscapeError::UnrecognizedEntity(_, name) => format!("Entity '{name}' not defined"),
        EscapeError::UnterminatedEntity(_) => "EntityRef: expecting ';'".into(),
        EscapeError::InvalidCharRef(_) => "xmlParseCharRef: invalid xmlChar value 0".into(),
    }
}

/// Appends `s` escaped as libvirt's `virBufferEscapeString` does: the five
/// XML specials become entities and other control characters are dropped.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c if c < ' ' && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
}

/// Appends `s` escaped the way libxml2 dumps nodes (used for `<metadata>`).
fn escape_libxml_into(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
}

/// Builds a document with libvirt's layout.
#[derive(Debug, Default)]
pub struct XmlWriter {
    buf: String,
    indent: usize,
}

impl XmlWriter {
    pub fn new() -> Self {
        XmlWriter {
            buf: String::with_capacity(2048),
            indent: 0,
        }
    }

    /// The finished text.
    pub fn finish(self) -> String {
        self.buf
    }

    fn pad(&mut self) {
        for _ in 0..self.indent {
            self.buf.push(' ');
        }
    }

    /// Writes `<name` at the current indentation; follow with attributes and
    /// one of the `end_*` calls.
    pub fn start(&mut self, name: &str) -> &mut Self {
        self.pad();
        self.buf.push('<');
        self.buf.push_str(name);
        self
    }

    /// Appends ` k='v'`.
    pub fn attr(&mut self, k: &str, v: &str) -> &mut Self {
        self.buf.push(' ');
        self.buf.push_str(k);
        self.buf.push_str("='");
        escape_into(&mut self.buf, v);
        self.buf.push('\'');
        self
    }

    /// Appends ` k='v'` when `v` is present.
    pub fn attr_opt(&mut self, k: &str, v: Option<&str>) -> &mut Self {
        if let Some(v) = v {
            self.attr(k, v);
        }
        self
    }

    /// Closes the start tag as an empty element: `/>`.
    pub fn end_empty(&mut self) {
        self.buf.push_str("/>\n");
    }

    /// Closes the start tag, writes `text` and the end tag on the same line.
    pub fn end_text(&mut self, name: &str, text: &str) {
        self.buf.push('>');
        escape_into(&mut self.buf, text);
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push_str(">\n");
    }

    /// Closes the start tag and indents for children.
    pub fn end_open(&mut self) {
        self.buf.push_str(">\n");
        self.indent += 2;
    }

    /// Writes the end tag of an element opened with [`end_open`](Self::end_open).
    pub fn close(&mut self, name: &str) {
        self.indent = self.indent.saturating_sub(2);
        self.pad();
        self.buf.push_str("</");
        self.buf.push_str(name);
        self.buf.push_str(">\n");
    }

    /// An empty line, as libvirt leaves between the parts of some documents.
    pub fn blank_line(&mut self) {
        self.buf.push('\n');
    }

    /// `<name>text</name>` on one line.
    pub fn text_element(&mut self, name: &str, text: &str) {
        self.start(name).end_text(name, text);
    }

    /// Writes an element tree as it is, libvirt style, attributes in their
    /// stored order.
    pub fn element(&mut self, el: &XmlElement) {
        write_canonical(self, el, &|_| None);
    }

    /// Writes an element tree the way libxml2 dumps a node (double quotes,
    /// re-indented), which is how libvirt writes `<metadata>` children.
    pub fn element_verbatim(&mut self, el: &XmlElement) {
        self.pad();
        self.buf.push('<');
        self.buf.push_str(&el.name);
        for (k, v) in &el.attrs {
            self.buf.push(' ');
            self.buf.push_str(k);
            self.buf.push_str("=\"");
            escape_libxml_into(&mut self.buf, v, true);
            self.buf.push('"');
        }
        if el.children.is_empty() {
            self.buf.push_str("/>\n");
            return;
        }
        if !el.has_elements() {
            self.buf.push('>');
            escape_libxml_into(&mut self.buf, &el.text(), false);
            self.buf.push_str("</");
            self.buf.push_str(&el.name);
            self.buf.push_str(">\n");
            return;
        }
        self.buf.push_str(">\n");
        self.indent += 2;
        for c in &el.children {
            match c {
                XmlNode::Element(e) => self.element_verbatim(e),
                XmlNode::Text(t) if !t.trim().is_empty() => {
                    self.pad();
                    escape_libxml_into(&mut self.buf, t.trim(), false);
                    self.buf.push('\n');
                }
                XmlNode::Text(_) => {}
            }
        }
        self.close(&el.name);
    }
}

/// Ordering rules for one element: attribute names and child element names in
/// the order libvirt writes them. Names not listed keep their relative order
/// after the listed ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Order {
    pub attrs: &'static [&'static str],
    pub children: &'static [&'static str],
}

/// Writes `el` libvirt style, ordering attributes and children by the rules
/// `order` returns for each element path (`devices/disk/driver`, ...; the path
/// starts at `el` itself).
pub fn write_canonical(w: &mut XmlWriter, el: &XmlElement, order: &dyn Fn(&str) -> Option<Order>) {
    write_canonical_at(w, el, &el.name.clone(), order);
}

/// Writes the start tag of `el` (attributes as stored) and indents for
/// children; close it with [`XmlWriter::close`].
pub fn write_open(w: &mut XmlWriter, el: &XmlElement) {
    w.start(&el.name);
    for (k, v) in &el.attrs {
        w.attr(k, v);
    }
    w.end_open();
}

fn rank(list: &[&str], name: &str) -> usize {
    list.iter().position(|n| *n == name).unwrap_or(list.len())
}

fn write_canonical_at(
    w: &mut XmlWriter,
    el: &XmlElement,
    path: &str,
    order: &dyn Fn(&str) -> Option<Order>,
) {
    let rules = order(path).unwrap_or_default();
    w.start(&el.name);
    if rules.attrs.is_empty() {
        for (k, v) in &el.attrs {
            w.attr(k, v);
        }
    } else {
        let mut attrs: Vec<&(String, String)> = el.attrs.iter().collect();
        attrs.sort_by_key(|(k, _)| rank(rules.attrs, k));
        for (k, v) in attrs {
            w.attr(k, v);
        }
    }
    if !el.has_elements() {
        let t = el.text();
        if t.trim().is_empty() {
            w.end_empty();
        } else {
            w.end_text(&el.name, &t);
        }
        return;
    }
    w.end_open();
    let mut kids: Vec<&XmlNode> = el
        .children
        .iter()
        .filter(|c| !matches!(c, XmlNode::Text(t) if t.trim().is_empty()))
        .collect();
    if !rules.children.is_empty() {
        kids.sort_by_key(|c| match c {
            XmlNode::Element(e) => rank(rules.children, &e.name),
            XmlNode::Text(_) => usize::MAX,
        });
    }
    for c in kids {
        match c {
            XmlNode::Element(e) => {
                let sub = format!("{path}/{}", e.name);
                write_canonical_at(w, e, &sub, order);
            }
            XmlNode::Text(t) => {
                w.pad();
                escape_into(&mut w.buf, t.trim());
                w.buf.push('\n');
            }
        }
    }
    w.close(&el.name);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_elements_and_text() {
        let el =
            parse_document("<?xml version='1.0'?><a x='1'><b>hi &amp; bye</b><c/></a>").unwrap();
        assert_eq!(el.name, "a");
        assert_eq!(el.attr("x"), Some("1"));
        assert_eq!(el.child_text("b").as_deref(), Some("hi & bye"));
        assert!(el.child("c").is_some());
    }

    #[test]
    fn empty_document_is_reported_like_libxml2() {
        let e = parse_document("").unwrap_err();
        assert_eq!(
            e.render("(domain_definition)"),
            "(domain_definition):1: Document is empty\n(null)\n^"
        );
    }

    #[test]
    fn garbage_needs_a_start_tag() {
        let e = parse_document("garbage").unwrap_err();
        assert_eq!(
            e.render("(domain_definition)"),
            "(domain_definition):1: Start tag expected, '<' not found\ngarbage\n^"
        );
    }

    #[test]
    fn unclosed_root_is_premature_end() {
        let e = parse_document("<domain type='test'><name>x</name>").unwrap_err();
        assert_eq!(
            e.render("(domain_definition)"),
            "(domain_definition):1: Premature end of data in tag domain line 1\n<domain type='test'><name>x</name>\n----------------------------------^"
        );
    }

    #[test]
    fn mismatched_end_tag_names_both() {
        let e = parse_document("<domain type='test'><name>x</nam></domain>").unwrap_err();
        assert_eq!(
            e.render("(domain_definition)"),
            "(domain_definition):1: Opening and ending tag mismatch: name line 1 and nam\n<domain type='test'><name>x</nam></domain>\n---------------------------------^"
        );
    }

    #[test]
    fn mismatch_on_later_line_reports_that_line() {
        let e = parse_document(
            "<domain type='test'>\n  <name>x</name>\n  <memory>1</memory>\n</domainx>",
        )
        .unwrap_err();
        assert_eq!(
            e.render("(domain_definition)"),
            "(domain_definition):4: Opening and ending tag mismatch: domain line 1 and domainx\n</domainx>\n----------^"
        );
    }

    #[test]
    fn trailing_content_is_extra() {
        let doc = "<a></a>junk";
        let e = parse_document(doc).unwrap_err();
        assert_eq!(e.message, "Extra content at the end of the document");
        assert_eq!(e.column, 7);
    }

    #[test]
    fn undefined_entity_is_named() {
        let e = parse_document("<a>x&foo;</a>").unwrap_err();
        assert_eq!(e.message, "Entity 'foo' not defined");
    }

    #[test]
    fn unquoted_attribute_is_rejected() {
        let e = parse_document("<domain type=test></domain>").unwrap_err();
        assert_eq!(e.message, "AttValue: \" or ' expected");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        let doc = "<a>".repeat(100_000);
        let e = parse_document(&doc).unwrap_err();
        assert!(e.message.starts_with("Excessive depth"));
    }

    #[test]
    fn canonical_writer_orders_attributes() {
        let el = parse_document("<t b='2' a='1'><y/><x>v</x></t>").unwrap();
        let mut w = XmlWriter::new();
        write_canonical(&mut w, &el, &|p| {
            (p == "t").then_some(Order {
                attrs: &["a", "b"],
                children: &["x", "y"],
            })
        });
        assert_eq!(w.finish(), "<t a='1' b='2'>\n  <x>v</x>\n  <y/>\n</t>\n");
    }

    #[test]
    fn writer_escapes_like_libvirt() {
        let mut w = XmlWriter::new();
        w.text_element("name", "a'b<c>&\u{1}");
        assert_eq!(w.finish(), "<name>a&apos;b&lt;c&gt;&amp;</name>\n");
    }
}
