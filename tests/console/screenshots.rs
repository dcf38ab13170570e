//! The README's screenshots, made by the real renderer on the demo pool, with the store
//! on the test clock (2026-11-22 09:30 UTC) whatever the day. This test fails when they
//! are stale; `UPDATE_SCREENSHOTS=1 cargo test --test console screenshots` writes them anew.

use std::path::PathBuf;

use crate::common;

use cognito_console::console::svg::buffer_to_svg;
use ratatui::buffer::Buffer;
use regex::Regex;

/// Replaces what is random (pool id, subs) or the machine's (the database's path) with
/// stand-ins of the same width, so the images only change when the screens do. Dates
/// need no mask: the store runs on the test clock.
fn mask(buffer: &mut Buffer) {
    let rules = [
        (
            Regex::new(r"local_[A-Za-z0-9]{9}").unwrap(),
            "local_DemoPool1",
        ),
        (Regex::new(r"local /\S*store\.db").unwrap(), ""),
        (
            Regex::new(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").unwrap(),
            "7325c1de-b05b-4f84-b321-9adc6e61f4a2",
        ),
        // App client ids: 26 characters of [a-z0-9].
        (
            Regex::new(r"\b[a-z0-9]{26}\b").unwrap(),
            "3n4k8q2v7x1m5p9r6t0w2y4z8c",
        ),
    ];
    let area = buffer.area;
    for y in 0..area.height {
        let row: Vec<String> = (0..area.width)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        let line: String = row.concat();
        for (re, stand_in) in &rules {
            for m in re.find_iter(&line.clone()) {
                // Column of the match: count cells before its byte offset.
                let mut col = 0;
                let mut bytes = 0;
                while bytes < m.start() && col < row.len() {
                    bytes += row[col].len();
                    col += 1;
                }
                let width = m.as_str().chars().count();
                let replacement: Vec<char> = if stand_in.is_empty() {
                    format!("local {}", "~/.local/share/cognito-console/store.db")
                        .chars()
                        .collect()
                } else {
                    stand_in.chars().collect()
                };
                for i in 0..width {
                    let ch = replacement.get(i).copied().unwrap_or(' ');
                    if col + i < row.len() {
                        buffer[(col as u16 + i as u16, y)].set_symbol(&ch.to_string());
                    }
                }
            }
        }
    }
}

#[tokio::test]
async fn screenshots_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = common::demo_console(dir.path(), true).await;
    let shots: &[(&str, &str)] = &[
        ("users", "3"),
        ("user-detail", "j j enter"),
        ("create-user", "esc c"),
        ("create-user-errors", "ctrl-s"),
        ("policies", "esc 1"),
        ("messages", "2 j j j j j e"),
        ("help", "esc 3 ?"),
        ("triggers", "esc 5"),
        ("app-clients", "6"),
        ("domain", "8"),
    ];
    let out_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let update = std::env::var_os("UPDATE_SCREENSHOTS").is_some();
    let mut stale = Vec::new();
    for (name, keys) in shots {
        h.press(keys).await;
        let mut buffer = h.buffer(100, 30);
        mask(&mut buffer);
        let svg = buffer_to_svg(&buffer);
        let path = out_dir.join(format!("{name}.svg"));
        if update {
            std::fs::create_dir_all(&out_dir).unwrap();
            std::fs::write(&path, &svg).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "screenshots are stale: {stale:?}; run UPDATE_SCREENSHOTS=1 cargo test --test console screenshots"
    );
}
