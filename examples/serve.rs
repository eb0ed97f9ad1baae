//! Serves a folder on 127.0.0.1 over HTTP, to preview a grid's gallery with its players: the
//! players read the GIFs with `fetch`, which a page opened from disk may not do. Nothing but
//! the standard library; loopback only; GET and HEAD of the folder's files.
//!
//! `cargo run --example serve -- output` prints `http://127.0.0.1:PORT/` and serves until
//! stopped. Options: `--port N` (default: any free port), `--for SECONDS` (stop by itself),
//! `--reports DIR` (accept `POST /__report/NAME` and write the body to `DIR/NAME.txt`: the
//! browser test's pages send their results this way).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

struct Options {
    root: PathBuf,
    port: u16,
    seconds: Option<u64>,
    reports: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut o = Options { root: PathBuf::from("output"), port: 0, seconds: None, reports: None };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => o.port = value("--port")?.parse().map_err(|e| format!("--port: {e}"))?,
            "--for" => o.seconds = Some(value("--for")?.parse().map_err(|e| format!("--for: {e}"))?),
            "--reports" => o.reports = Some(value("--reports")?.into()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            folder => o.root = folder.into(),
        }
    }
    if !o.root.is_dir() {
        return Err(format!("{} is not a folder", o.root.display()));
    }
    Ok(o)
}

fn main() {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("serve: {e}\nusage: serve [FOLDER] [--port N] [--for SECONDS] [--reports DIR]");
            std::process::exit(2);
        }
    };
    let listener = TcpListener::bind(("127.0.0.1", o.port)).unwrap_or_else(|e| {
        eprintln!("serve: cannot listen on 127.0.0.1:{}: {e}", o.port);
        std::process::exit(1);
    });
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(o.port);
    println!("http://127.0.0.1:{port}/");
    std::io::stdout().flush().ok();
    if let Some(seconds) = o.seconds {
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(seconds));
            std::process::exit(0);
        });
    }
    let o = std::sync::Arc::new(o);
    for stream in listener.incoming().flatten() {
        let o = o.clone();
        std::thread::spawn(move || {
            if let Err(e) = answer(stream, &o) {
                eprintln!("serve: {e}");
            }
        });
    }
}

/// A request path as a file inside `root`: decoded, without its query, and never outside.
fn file_of(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    let relative = PathBuf::from(String::from_utf8(decoded).ok()?.trim_start_matches('/'));
    if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let file = root.join(&relative);
    Some(if file.is_dir() { file.join("index.html") } else { file })
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "gif" => "image/gif",
        "png" => "image/png",
        "json" => "application/json",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "md" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8], head_only: bool) -> std::io::Result<()> {
    let header = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(header.as_bytes())?;
    if !head_only {
        stream.write_all(body)?;
    }
    stream.flush()
}

fn answer(stream: TcpStream, o: &Options) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.by_ref().take(8192).read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default().to_string(), parts.next().unwrap_or("/").to_string());
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.by_ref().take(8192).read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut stream = stream;
    let text = "text/plain; charset=utf-8";
    if method == "POST" {
        let name = target.strip_prefix("/__report/").unwrap_or_default();
        let valid = !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let Some(dir) = o.reports.as_ref().filter(|_| valid && length <= 1 << 20) else {
            return respond(&mut stream, "404 Not Found", text, b"no such report\n", false);
        };
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        // Written whole, then renamed: a reader never sees half a report.
        let partial = dir.join(format!(".{name}.part"));
        std::fs::write(&partial, &body)?;
        std::fs::rename(&partial, dir.join(format!("{name}.txt")))?;
        return respond(&mut stream, "204 No Content", text, b"", true);
    }
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        return respond(&mut stream, "405 Method Not Allowed", text, b"GET or HEAD\n", false);
    }
    match file_of(&o.root, &target).map(|f| (std::fs::read(&f), f)) {
        Some((Ok(body), file)) => respond(&mut stream, "200 OK", content_type(&file), &body, head_only),
        _ => respond(&mut stream, "404 Not Found", text, b"not found\n", head_only),
    }
}
