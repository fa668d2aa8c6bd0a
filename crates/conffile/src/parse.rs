//! The virConf grammar, as a hand-written recursive-descent parser.
//!
//! ```text
//! file       := (statement separator)*
//! statement  := blank* ( '#' comment | name blank* '=' blank* value blank* ('#' comment)? )
//! separator  := blank* ( EOL (blank | EOL)* | ';' (blank | EOL)* | end-of-input )
//! name       := [A-Za-z] [A-Za-z0-9_]*
//! value      := string | number | list
//! string     := '"' [^"\r\n]* '"' | "'" [^'\r\n]* "'" | '"""' any* '"""'
//! number     := ('+' | '-')? [0-9]+          (a leading '-' makes it signed)
//! list       := '[' (blank|EOL)* ( value (blank|EOL)* ( ',' (blank|EOL)* value (blank|EOL)* )* ','? )? ']'
//! ```
//!
//! Blanks are space and tab, EOL is CR or LF, and only LF advances the line
//! counter, all as libvirt does. The parser works on bytes; every delimiter is
//! ASCII, so the slices it cuts out of UTF-8 input stay valid UTF-8.
//!
//! Two deliberate differences from libvirt's C parser: input made only of
//! blanks and newlines is accepted (libvirt reports "expecting a name" for it),
//! and lists nest at most [`MAX_LIST_DEPTH`] deep so that hostile input cannot
//! exhaust the stack. Numbers too large for 64 bits, which libvirt silently
//! wraps, saturate instead so that the range checks of the getters reject them.

use crate::{ConfError, Entry, Value};

/// How deeply lists may nest inside each other.
pub const MAX_LIST_DEPTH: usize = 32;

struct Parser<'a> {
    src: &'a [u8],
    pos: usize,
    line: usize,
    file: &'a str,
}

type PResult<T> = Result<T, ConfError>;

fn is_blank(c: u8) -> bool {
    c == b' ' || c == b'\t'
}

fn is_eol(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Parses `text` into its entries, in file order, duplicates included.
pub(crate) fn parse_entries(text: &str, file: &str) -> PResult<Vec<Entry>> {
    let mut p = Parser {
        src: text.as_bytes(),
        pos: 0,
        line: 1,
        file,
    };
    let mut entries = Vec::new();
    while p.pos < p.src.len() {
        if let Some(entry) = p.statement()? {
            entries.push(entry);
        }
        p.separator()?;
    }
    Ok(entries)
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    fn at(&self, c: u8) -> bool {
        self.peek() == Some(c)
    }

    fn error(&self, message: &'static str) -> ConfError {
        ConfError::Syntax {
            file: self.file.to_owned(),
            line: self.line,
            message,
        }
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    fn skip_blanks_and_eol(&mut self) {
        while let Some(c) = self.peek() {
            if !(is_blank(c) || is_eol(c)) {
                break;
            }
            if c == b'\n' {
                self.line += 1;
            }
            self.pos += 1;
        }
    }

    fn skip_to_eol(&mut self) {
        while self.peek().is_some_and(|c| !is_eol(c)) {
            self.pos += 1;
        }
    }

    fn text(&self, start: usize, end: usize) -> String {
        String::from_utf8_lossy(&self.src[start..end]).into_owned()
    }

    /// One statement: a comment line or `name = value [# comment]`.
    fn statement(&mut self) -> PResult<Option<Entry>> {
        self.skip_blanks_and_eol();
        match self.peek() {
            None => return Ok(None),
            Some(b'#') => {
                self.skip_to_eol();
                return Ok(None);
            }
            Some(_) => {}
        }
        let line = self.line;
        let name = self.name()?;
        self.skip_blanks();
        if !self.at(b'=') {
            return Err(self.error("expecting an assignment"));
        }
        self.pos += 1;
        let value = self.value(0)?;
        self.skip_blanks();
        if self.at(b'#') {
            self.skip_to_eol();
        }
        Ok(Some(Entry { name, value, line }))
    }

    fn name(&mut self) -> PResult<String> {
        self.skip_blanks();
        let start = self.pos;
        if !self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            return Err(self.error("expecting a name"));
        }
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
        {
            self.pos += 1;
        }
        Ok(self.text(start, self.pos))
    }

    fn separator(&mut self) -> PResult<()> {
        self.skip_blanks();
        match self.peek() {
            None => Ok(()),
            Some(c) if is_eol(c) => {
                self.skip_blanks_and_eol();
                Ok(())
            }
            Some(b';') => {
                self.pos += 1;
                self.skip_blanks_and_eol();
                Ok(())
            }
            Some(_) => Err(self.error("expecting a separator")),
        }
    }

    fn value(&mut self, depth: usize) -> PResult<Value> {
        self.skip_blanks();
        match self.peek() {
            Some(b'"' | b'\'') => self.string().map(Value::String),
            Some(b'[') => self.list(depth),
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'+' => Ok(self.number()?),
            _ => Err(self.error("expecting a value")),
        }
    }

    fn string(&mut self) -> PResult<String> {
        let rest = &self.src[self.pos..];
        // libvirt only looks for a triple quote when at least seven bytes are
        // left, so `""""""` at the very end of the input is an empty string
        // followed by garbage; keep that behaviour.
        if rest.len() > 6 && rest.starts_with(b"\"\"\"") {
            self.pos += 3;
            let start = self.pos;
            while self.pos + 2 < self.src.len() && !self.src[self.pos..].starts_with(b"\"\"\"") {
                if self.src[self.pos] == b'\n' {
                    self.line += 1;
                }
                self.pos += 1;
            }
            if !self.src[self.pos..].starts_with(b"\"\"\"") {
                return Err(self.error("unterminated string"));
            }
            let s = self.text(start, self.pos);
            self.pos += 3;
            return Ok(s);
        }
        let Some(quote) = self.peek() else {
            return Err(self.error("expecting a value"));
        };
        self.pos += 1;
        let start = self.pos;
        while self.peek().is_some_and(|c| c != quote && !is_eol(c)) {
            self.pos += 1;
        }
        if !self.at(quote) {
            return Err(self.error("unterminated string"));
        }
        let s = self.text(start, self.pos);
        self.pos += 1;
        Ok(s)
    }

    fn number(&mut self) -> PResult<Value> {
        let negative = self.at(b'-');
        if negative || self.at(b'+') {
            self.pos += 1;
        }
        if !self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return Err(self.error("unterminated number"));
        }
        let mut magnitude: u64 = 0;
        while let Some(c) = self.peek().filter(u8::is_ascii_digit) {
            magnitude = magnitude
                .saturating_mul(10)
                .saturating_add(u64::from(c - b'0'));
            self.pos += 1;
        }
        if negative {
            let v = i64::try_from(-i128::from(magnitude)).unwrap_or(i64::MIN);
            Ok(Value::Int(v))
        } else {
            Ok(Value::UInt(magnitude))
        }
    }

    fn list(&mut self, depth: usize) -> PResult<Value> {
        if depth >= MAX_LIST_DEPTH {
            return Err(self.error("lists nested too deeply"));
        }
        self.pos += 1; // '['
        self.skip_blanks_and_eol();
        let mut items = Vec::new();
        if self.peek().is_some_and(|c| c != b']') {
            items.push(self.value(depth + 1)?);
            self.skip_blanks_and_eol();
        }
        while let Some(c) = self.peek() {
            if c == b']' {
                break;
            }
            if c != b',' {
                return Err(self.error("expecting a separator in list"));
            }
            self.pos += 1;
            self.skip_blanks_and_eol();
            if self.at(b']') {
                break;
            }
            items.push(self.value(depth + 1)?);
            self.skip_blanks_and_eol();
        }
        if !self.at(b']') {
            return Err(self.error("list is not closed with ]"));
        }
        self.pos += 1;
        Ok(Value::List(items))
    }
}
