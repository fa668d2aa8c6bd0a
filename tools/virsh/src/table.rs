//! `vshTable`: the aligned tables of `list`, `net-list`, `pool-list`, …
//!
//! Each cell is preceded by one space; columns are padded to their widest
//! cell plus two spaces; the header is underlined with dashes (column width
//! plus three per column). With `-q` the header is left out and widths come
//! from the rows alone.

use crate::vsh::Shell;

/// A table with a header row.
pub struct Table {
    rows: Vec<Vec<String>>,
}

/// Control characters (and a literal `\x`) are shown as `\xNN`, as virsh
/// does, so that they cannot break the alignment.
fn safe(cell: &str) -> (String, usize) {
    let mut out = String::new();
    let mut width = 0;
    let b = cell.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if (c == b'\\' && b.get(i + 1) == Some(&b'x')) || c.is_ascii_control() {
            out.push_str(&format!("\\x{c:02x}"));
            width += 4;
            i += 1;
            continue;
        }
        let ch_len = match c {
            0x00..=0x7f => 1,
            0xc0..=0xdf => 2,
            0xe0..=0xef => 3,
            _ => 4,
        };
        let end = (i + ch_len).min(b.len());
        out.push_str(&String::from_utf8_lossy(&b[i..end]));
        width += 1;
        i = end;
    }
    (out, width)
}

impl Table {
    /// A table with these column titles.
    pub fn new(header: &[&str]) -> Table {
        Table {
            rows: vec![header.iter().map(|s| (*s).to_owned()).collect()],
        }
    }

    /// Appends a row (as many cells as the header).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text.
    pub fn render(&self, header: bool) -> String {
        let ncols = self.rows[0].len();
        let cells: Vec<Vec<(String, usize)>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(|c| safe(c)).collect())
            .collect();
        let mut max = vec![0usize; ncols];
        for (i, row) in cells.iter().enumerate() {
            if i == 0 && !header {
                continue;
            }
            for (j, (_, w)) in row.iter().enumerate().take(ncols) {
                max[j] = max[j].max(*w);
            }
        }
        let mut out = String::new();
        let print_row = |out: &mut String, row: &[(String, usize)]| {
            for (j, (text, w)) in row.iter().enumerate() {
                out.push(' ');
                out.push_str(text);
                if j + 1 < row.len() {
                    out.push_str(&" ".repeat(max[j].saturating_sub(*w) + 2));
                }
            }
            out.push('\n');
        };
        if header {
            print_row(&mut out, &cells[0]);
            for m in &max {
                out.push_str(&"-".repeat(m + 3));
            }
            out.push('\n');
        }
        for row in &cells[1..] {
            print_row(&mut out, row);
        }
        out
    }

    /// Prints the table, without the header under `-q`.
    pub fn print<S: Shell>(&self, ctl: &S) {
        let text = self.render(!ctl.quiet());
        ctl.print(format_args!("{text}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_table_matches_virsh() {
        let mut t = Table::new(&["Id", "Name", "State"]);
        t.row(vec!["1".into(), "test".into(), "running".into()]);
        assert_eq!(
            t.render(true),
            " Id   Name   State\n----------------------\n 1    test   running\n"
        );
        assert_eq!(t.render(false), " 1   test   running\n");
    }
}
