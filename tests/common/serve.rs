//! A `shipshape serve` process for end-to-end tests: started on a free loopback port,
//! always killed when the test ends, with a tiny HTTP/1.0 client and an event-stream
//! reader (no HTTP crate: the requests are the ones a browser or `curl` would send).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a test waits for the server to start or a rebuild to land.
pub const PATIENCE: Duration = Duration::from_secs(30);

pub struct Server {
    child: Child,
    pub port: u16,
    /// stderr lines, as the server prints them.
    pub lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// `shipshape serve root -p 0 --today TODAY extra…`, once it says where it serves.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("shipshape"))
            .args(["serve", "-p", "0", "--today", super::TODAY])
            .arg(root)
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("shipshape serve starts");
        let mut server = Server {
            port: 0,
            lines: mpsc::channel().1,
            child,
        };
        let stderr = server.child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        server.lines = lines;
        let deadline = Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match server.lines.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(port) = served_port(&line) {
                        server.port = port;
                        return server;
                    }
                    seen.push(line);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        panic!(
            "serve never said where it serves; it printed:\n{}",
            seen.join("\n")
        );
    }

    /// GET `path` with a loopback Host.
    pub fn get(&self, path: &str) -> Response {
        self.request(
            "GET",
            path,
            &[("Host", &format!("127.0.0.1:{}", self.port))],
        )
    }

    /// Any request, headers as given (so tests can send a foreign Host).
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut request = format!("{method} {path} HTTP/1.0\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        Response::parse(&raw)
    }

    /// The event stream, opened with a loopback Host (and `origin`, if given).
    /// The event stream, opened with no `Origin`, and the generation of its first status.
    pub fn watch(&self) -> (Events, u64) {
        let mut events = self.events(None);
        let first = generation_of(&events.next());
        (events, first)
    }

    pub fn events(&self, origin: Option<&str>) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut request = format!(
            "GET /__shipshape/events HTTP/1.0\r\nHost: localhost:{}\r\n",
            self.port
        );
        if let Some(origin) = origin {
            request.push_str(&format!("Origin: {origin}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let mut status_line = String::new();
        reader.read_line(&mut status_line).unwrap();
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .unwrap_or(0);
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap() == 0 || header.trim().is_empty() {
                break;
            }
        }
        Events {
            reader,
            status,
            pending: Vec::new(),
            event: String::new(),
        }
    }
}

fn served_port(line: &str) -> Option<u16> {
    let rest = line.split("serving http://127.0.0.1:").nth(1)?;
    rest.split('/').next()?.parse().ok()
}

pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// An open event stream.
pub struct Events {
    reader: BufReader<TcpStream>,
    pub status: u16,
    /// A line read in part when a short wait ran out.
    pending: Vec<u8>,
    event: String,
}

impl Events {
    /// The next `status` event's data, parsed.
    pub fn next(&mut self) -> serde_json::Value {
        self.wait(PATIENCE).expect("a status event in time")
    }

    /// The next `status` event within `limit`, if one comes.
    fn wait(&mut self, limit: Duration) -> Option<serde_json::Value> {
        self.reader.get_ref().set_read_timeout(Some(limit)).unwrap();
        loop {
            match self.reader.read_until(b'\n', &mut self.pending) {
                Ok(0) => panic!("the event stream ended"),
                Ok(_) if self.pending.ends_with(b"\n") => {}
                Ok(_) => continue,
                Err(err)
                    if matches!(
                        err.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    return None;
                }
                Err(err) => panic!("reading the event stream: {err}"),
            }
            let line = String::from_utf8(std::mem::take(&mut self.pending)).unwrap();
            let line = line.trim_end();
            if let Some(name) = line.strip_prefix("event: ") {
                self.event = name.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && self.event == "status"
            {
                return Some(serde_json::from_str(data).expect("status JSON"));
            }
        }
    }

    /// Waits for the first status whose generation is past `after` (or that says the
    /// build failed).
    pub fn after(&mut self, after: u64) -> serde_json::Value {
        loop {
            let status = self.next();
            if status["generation"].as_u64().unwrap() > after || !status["fatal"].is_null() {
                return status;
            }
        }
    }

    /// A status past `after` that is already on its way (within a short wait), if any.
    pub fn try_after(&mut self, after: u64) -> Option<serde_json::Value> {
        while let Some(status) = self.wait(Duration::from_millis(150)) {
            if status["generation"].as_u64().unwrap() > after {
                return Some(status);
            }
        }
        None
    }
}

/// The generation a status event names.
pub fn generation_of(status: &serde_json::Value) -> u64 {
    status["generation"]
        .as_u64()
        .expect("a status names its generation")
}
