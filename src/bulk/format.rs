//! The two file formats of export and import. CSV is Cognito's import format: the
//! columns of GetCSVHeader, one user a row, empty cells for attributes the user lacks.
//! JSONL is ours: one JSON object a line with everything a user has (attributes, status,
//! enabled, dates), for backups and for moving users between pools.

use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::pool::csv_header::{self, MFA_ENABLED, USERNAME};
use crate::pool::{Attribute, User, UserStatus};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// From a file name's extension; CSV unless it ends in `.jsonl` or `.json`.
    pub fn of_path(path: &std::path::Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("jsonl" | "json") => Self::Jsonl,
            _ => Self::Csv,
        }
    }
}

/// One user as a file holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub username: String,
    /// Without `sub`, which Cognito makes.
    pub attributes: Vec<Attribute>,
    pub enabled: bool,
    pub status: Option<UserStatus>,
    pub created: Option<SystemTime>,
    pub last_modified: Option<SystemTime>,
}

impl Record {
    pub fn of_user(user: &User) -> Self {
        Self {
            username: user.username.clone(),
            attributes: user
                .attributes
                .iter()
                .filter(|a| a.name != "sub")
                .cloned()
                .collect(),
            enabled: user.enabled,
            status: user.status,
            created: user.created,
            last_modified: user.last_modified,
        }
    }

    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }
}

fn epoch(t: Option<SystemTime>) -> Value {
    t.and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(Value::Null, |d| json!(d.as_millis() as f64 / 1000.0))
}

fn time(v: &Value) -> Option<SystemTime> {
    v.as_f64()
        .filter(|s| *s >= 0.0)
        .map(|s| UNIX_EPOCH + Duration::from_secs_f64(s))
}

/// Writes records in one format. CSV needs the pool's header.
pub enum Writer<W: Write> {
    Csv {
        out: Box<csv::Writer<W>>,
        header: Vec<String>,
    },
    Jsonl(W),
}

impl<W: Write> Writer<W> {
    pub fn csv(out: W, header: Vec<String>) -> Result<Self, csv::Error> {
        let mut out = Box::new(csv::Writer::from_writer(out));
        out.write_record(&header)?;
        Ok(Self::Csv { out, header })
    }

    pub fn jsonl(out: W) -> Self {
        Self::Jsonl(out)
    }

    pub fn write(&mut self, r: &Record) -> std::io::Result<()> {
        match self {
            Self::Csv { out, header } => {
                let row = header.iter().map(|column| match column.as_str() {
                    USERNAME => r.username.as_str(),
                    MFA_ENABLED => "false",
                    name => r.attribute(name).unwrap_or(""),
                });
                out.write_record(row).map_err(std::io::Error::other)
            }
            Self::Jsonl(out) => {
                let attributes: Map<String, Value> = r
                    .attributes
                    .iter()
                    .map(|a| (a.name.clone(), json!(a.value)))
                    .collect();
                let line = json!({
                    "Username": r.username,
                    "Attributes": attributes,
                    "Enabled": r.enabled,
                    "UserStatus": r.status.map(|s| s.as_str()),
                    "UserCreateDate": epoch(r.created),
                    "UserLastModifiedDate": epoch(r.last_modified),
                });
                writeln!(out, "{line}")
            }
        }
    }

    pub fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Self::Csv { out, .. } => out.flush(),
            Self::Jsonl(out) => out.flush(),
        }
    }
}

/// A record read back, or why its line cannot be read.
pub type Read = Result<Record, String>;

/// Reads records one at a time with their line numbers (1 is the first line of the
/// file; in a CSV, the header). Memory stays flat whatever the file's size.
pub fn read<R: BufRead + Send + 'static>(
    input: R,
    format: Format,
) -> Box<dyn Iterator<Item = (u64, Read)> + Send> {
    match format {
        Format::Jsonl => Box::new(input.lines().enumerate().filter_map(|(i, line)| {
            let n = i as u64 + 1;
            match line {
                Err(e) => Some((n, Err(format!("cannot read the line: {e}")))),
                Ok(text) if text.trim().is_empty() => None,
                Ok(text) => Some((n, from_json(&text))),
            }
        })),
        Format::Csv => {
            // Lines are counted here, from where each record starts: the csv crate's
            // own count is one short in a file with CRLF line ends.
            let newlines = Arc::new(Mutex::new(Newlines::default()));
            let counted = Counting {
                inner: input,
                offset: 0,
                newlines: Arc::clone(&newlines),
            };
            let line_at = move |byte: u64| newlines.lock().map_or(0, |mut n| n.line_at(byte));
            let mut reader = csv::ReaderBuilder::new()
                .flexible(false)
                .from_reader(counted);
            let header: Vec<String> = match reader.headers() {
                Ok(h) => h.iter().map(str::to_string).collect(),
                Err(e) => return Box::new(std::iter::once((1, Err(format!("no header: {e}"))))),
            };
            if !header.iter().any(|h| h == USERNAME) {
                let missing = format!("the header has no {USERNAME} column");
                return Box::new(std::iter::once((1, Err(missing))));
            }
            Box::new(reader.into_records().map(move |row| match row {
                Err(e) => {
                    let line = e.position().map_or(0, |p| line_at(p.byte()));
                    (line, Err(format!("not a CSV row: {e}")))
                }
                Ok(row) => {
                    let line = row.position().map_or(0, |p| line_at(p.byte()));
                    (line, from_csv(&header, &row))
                }
            }))
        }
    }
}

/// Where the newlines read so far are, to tell a byte's line.
#[derive(Default)]
struct Newlines {
    /// Offsets of newlines read and not yet passed.
    ahead: std::collections::VecDeque<u64>,
    /// Newlines before the last byte asked about.
    passed: u64,
}

impl Newlines {
    /// The line (from 1) of the record starting at `byte`; asked about in order. (In a
    /// CRLF file the csv crate starts a record at the `\n` of the line before it.)
    fn line_at(&mut self, byte: u64) -> u64 {
        while self.ahead.front().is_some_and(|&n| n <= byte) {
            self.ahead.pop_front();
            self.passed += 1;
        }
        self.passed + 1
    }
}

/// A reader that notes where each newline is as the bytes go by.
struct Counting<R> {
    inner: R,
    offset: u64,
    newlines: Arc<Mutex<Newlines>>,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut lines) = self.newlines.lock() {
            for (i, b) in buf[..n].iter().enumerate() {
                if *b == b'\n' {
                    lines.ahead.push_back(self.offset + i as u64);
                }
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

fn from_csv(header: &[String], row: &csv::StringRecord) -> Read {
    let (username, attributes) = csv_header::row(header, row.iter())?;
    Ok(Record {
        username,
        attributes,
        enabled: true,
        status: None,
        created: None,
        last_modified: None,
    })
}

fn from_json(text: &str) -> Read {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let username = v["Username"].as_str().ok_or("no Username")?.to_string();
    let attributes = match &v["Attributes"] {
        Value::Object(map) => map
            .iter()
            .filter(|(name, _)| name.as_str() != "sub")
            .map(|(name, value)| {
                value
                    .as_str()
                    .map(|s| Attribute::new(name.as_str(), s))
                    .ok_or_else(|| format!("attribute {name} is not a string"))
            })
            .collect::<Result<Vec<_>, _>>()?,
        Value::Null => Vec::new(),
        _ => return Err("Attributes is not an object".into()),
    };
    Ok(Record {
        username,
        attributes,
        enabled: v["Enabled"].as_bool().unwrap_or(true),
        status: v["UserStatus"]
            .as_str()
            .and_then(|s| s.parse::<UserStatus>().ok()),
        created: time(&v["UserCreateDate"]),
        last_modified: time(&v["UserLastModifiedDate"]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ana() -> Record {
        Record {
            username: "ana".into(),
            attributes: vec![
                Attribute::new("email", "ana@example.com"),
                Attribute::new("email_verified", "true"),
                Attribute::new("custom:team", "blue, \"green\""),
            ],
            enabled: false,
            status: Some(UserStatus::Confirmed),
            created: Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_250)),
            last_modified: None,
        }
    }

    #[test]
    fn csv_round_trip() {
        let header: Vec<String> = [
            "email",
            "email_verified",
            "custom:team",
            MFA_ENABLED,
            USERNAME,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let mut w = Writer::csv(Vec::new(), header).unwrap();
        w.write(&ana()).unwrap();
        w.flush().unwrap();
        let Writer::Csv { out, .. } = w else {
            unreachable!()
        };
        let bytes = out.into_inner().unwrap();
        let back: Vec<_> = read(std::io::Cursor::new(bytes), Format::Csv).collect();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].0, 2, "the first user is on line 2");
        let r = back[0].1.clone().unwrap();
        assert_eq!(r.username, "ana");
        assert_eq!(r.attributes, ana().attributes);
    }

    #[test]
    fn jsonl_round_trip_keeps_everything() {
        let mut w = Writer::jsonl(Vec::new());
        w.write(&ana()).unwrap();
        let Writer::Jsonl(bytes) = w else {
            unreachable!()
        };
        let back: Vec<_> = read(std::io::Cursor::new(bytes), Format::Jsonl).collect();
        let mut r = back[0].1.clone().unwrap();
        r.attributes.sort();
        let mut expected = ana();
        expected.attributes.sort();
        assert_eq!(r, expected);
    }

    #[test]
    fn bad_lines_say_where() {
        let text = "cognito:username,email\nana,a@example.com\nbo\n";
        let rows: Vec<_> =
            read(std::io::Cursor::new(text.as_bytes().to_vec()), Format::Csv).collect();
        assert!(rows[0].1.is_ok());
        assert_eq!(rows[1].0, 3);
        assert!(rows[1].1.is_err());
        let no_username = "email\na@example.com\n";
        let rows: Vec<_> = read(
            std::io::Cursor::new(no_username.as_bytes().to_vec()),
            Format::Csv,
        )
        .collect();
        assert!(rows[0].1.as_ref().unwrap_err().contains(USERNAME));
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn lines_are_counted_alike_with_crlf_and_lf() {
        for newline in ["\n", "\r\n"] {
            let text = [
                "cognito:username,email",
                "ana,ana@example.com",
                "bob,b@x.com,extra",
                "cy,cy@example.com",
                "",
            ]
            .join(newline);
            let rows: Vec<(u64, bool)> = read(std::io::Cursor::new(text.into_bytes()), Format::Csv)
                .map(|(line, r)| (line, r.is_ok()))
                .collect();
            assert_eq!(rows, [(2, true), (3, false), (4, true)], "{newline:?}");
        }
    }
}
