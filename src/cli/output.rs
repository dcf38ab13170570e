//! How the listing subcommands print their records (`--output`): `table` for people
//! (aligned columns under a header), `text` for pipes (one record a line, its fields
//! separated by tabs, never padded or cut), `json` as the aws CLI prints the same call
//! (every page in one document, Cognito's members as Cognito wrote them). Whatever is
//! printed, no character in it drives the terminal: text escapes control characters as
//! `\u{1b}`, JSON as `\u001b`.

use std::io::Write;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value;

use crate::pool::printable;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned columns under a header.
    #[default]
    Table,
    /// One record a line, fields separated by tabs.
    Text,
    /// One JSON document, shaped as the aws CLI prints the same call.
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// table: for people; text: a record a line, tab-separated, for pipes; json: as
    /// the aws CLI prints the same call where there is one (pools, users, groups), else
    /// a JSON object a line.
    #[arg(long, short = 'o', value_enum, default_value_t, value_name = "FORMAT")]
    pub output: Output,
}

/// A line of tab-separated fields, each escaped (a tab or newline in a value too).
pub fn text_line(fields: &[&str]) -> String {
    fields
        .iter()
        .map(|f| printable::field(f))
        .collect::<Vec<_>>()
        .join("\t")
}

/// `{"KEY": [records...]}` written as the records come, page by page, indented as the
/// aws CLI indents (four spaces).
pub struct JsonList {
    key: &'static str,
    written: usize,
}

impl JsonList {
    pub fn start(key: &'static str) -> Self {
        Self { key, written: 0 }
    }

    pub fn push(&mut self, record: &Value) -> Result<()> {
        let mut buf = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
        record.serialize(&mut serde_json::Serializer::with_formatter(
            &mut buf, formatter,
        ))?;
        let text = printable::json(&String::from_utf8_lossy(&buf));
        let indented: Vec<String> = text.lines().map(|l| format!("        {l}")).collect();
        let mut out = std::io::stdout().lock();
        if self.written == 0 {
            writeln!(out, "{{\n    \"{}\": [", self.key)?;
        } else {
            writeln!(out, ",")?;
        }
        write!(out, "{}", indented.join("\n"))?;
        self.written += 1;
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        self.finish_with(None)
    }

    /// Ends the document; a listing that stopped before the last page says where the
    /// next begins (`"PaginationToken": "..."`), as a paged answer does.
    pub fn finish_with(self, next: Option<(&str, &str)>) -> Result<()> {
        let mut out = std::io::stdout().lock();
        if self.written == 0 {
            write!(out, "{{\n    \"{}\": []", self.key)?;
        } else {
            write!(out, "\n    ]")?;
        }
        if let Some((member, token)) = next {
            let token = printable::json(&Value::String(token.to_string()).to_string());
            write!(out, ",\n    \"{member}\": {token}")?;
        }
        writeln!(out, "\n}}")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_printed_drives_the_terminal() {
        assert_eq!(
            text_line(&["ana", "a\tb", "x\u{1b}]0;t"]),
            "ana\ta\\u{9}b\tx\\u{1b}]0;t"
        );
        let json =
            serde_json::to_string(&serde_json::json!({"v": "x\u{1b}\u{202e}y\u{9b}"})).unwrap();
        let safe = printable::json(&json);
        assert!(!safe.contains(['\u{1b}', '\u{202e}', '\u{9b}']), "{safe}");
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["v"], "x\u{1b}\u{202e}y\u{9b}", "the same document");
        assert_eq!(printable::json("{\"名\": \"ü\"}"), "{\"名\": \"ü\"}");
    }
}
