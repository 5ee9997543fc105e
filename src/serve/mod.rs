//! `shipshape serve`: build the handbook into memory, serve it on a loopback port, and
//! rebuild on every save, telling open pages to reload once the new site is swapped in.
//!
//! Three parts: `watch.rs` turns file-system events into "something changed" batches,
//! the rebuild loop here turns a batch into a new `Site` generation, and `http.rs`
//! serves whichever generation is newest. A failed build never stops the server.

mod build;
mod guard;
mod http;
mod packed;
mod site;
mod watch;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use serde_json::json;

use crate::cli::Gate;
use crate::cmd::{Log, Outcome};
use crate::finding::Tally;
pub use site::Site;

/// How many ports after the asked-for one are tried when it is taken.
const PORTS_TRIED: u16 = 20;

/// What `serve` was asked for on the command line.
pub struct Options<'a> {
    pub root: &'a Path,
    pub port: u16,
    pub host: Option<&'a str>,
    pub open: bool,
    pub gate: &'a Gate,
}

/// Runs until Ctrl-C. Fails (exit 2) only when the first build cannot run at all or no
/// port can be bound; content problems are shown in the browser instead.
pub fn run(options: &Options<'_>, log: &mut Log) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let mut build = build::Memory::new(options.root, options.gate);
    let first = build.run(log)?;
    let watched = first.watched.clone();
    let site = Site::default().next(first.files, &first.findings);
    let tally = Tally::of(&first.findings);
    let built_in = started.elapsed();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the preview server's runtime")?;
    let bound: IpAddr = match options.host {
        None => IpAddr::V4(Ipv4Addr::LOCALHOST),
        Some(host) => resolve(host)?,
    };
    let listener = runtime.block_on(bind(bound, options.port))?;
    let address = listener.local_addr()?;
    let url = url_for(address);
    if options.port != 0 && address.port() != options.port {
        eprintln!(
            "shipshape: port {} is taken; serving on {} instead",
            options.port,
            address.port()
        );
    }
    if !bound.is_loopback() {
        eprintln!(
            "shipshape: warning: serving on {bound}, which other machines can reach; the preview is meant for this machine (drop --host to serve on 127.0.0.1 only)"
        );
    }
    summary(log, &url, tally, first.pages, built_in);

    let (sites, site_rx) = tokio::sync::watch::channel(Arc::new(site));
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let shared = Arc::new(http::Shared {
        site: site_rx,
        hosts: guard::Hosts::for_bind(bound, options.host),
        stopping,
    });
    let watcher = watch::Watcher::start(&watched)?;
    let log_json = log.is_json();
    std::thread::Builder::new()
        .name("shipshape-rebuild".into())
        .spawn(move || rebuild_loop(build, watcher, sites, log_json))
        .context("starting the rebuild thread")?;
    if options.open {
        open_browser(&url);
    }
    runtime.block_on(async move {
        let app = http::router(shared);
        let shutdown = async move {
            stop_signal().await;
            let _ = stop.send(true);
        };
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
    })?;
    eprintln!("shipshape: stopped");
    Ok(Outcome {
        findings: Vec::new(),
    })
}

/// Rebuilds after each batch of changes, for as long as anyone is listening.
fn rebuild_loop(
    mut build: build::Memory,
    mut watcher: watch::Watcher,
    sites: tokio::sync::watch::Sender<Arc<Site>>,
    log_json: bool,
) {
    let mut log = Log::new(
        if log_json {
            crate::cli::LogFormat::Json
        } else {
            crate::cli::LogFormat::Text
        },
        "serve",
    );
    while let Some(changed) = watcher.next_batch() {
        let started = Instant::now();
        let previous = sites.borrow().clone();
        build.changed(&changed);
        let next = match build.run(&mut Log::new(crate::cli::LogFormat::Text, "serve")) {
            Ok(built) => {
                watcher.watch_more(&built.watched);
                let (pages, rendered) = (built.pages, built.rendered);
                let next = previous.next(built.files, &built.findings);
                rebuilt(&mut log, &changed, &next, (pages, rendered), started);
                next
            }
            Err(err) => {
                let text = format!("{err:#}");
                if log_json {
                    log.error(&text);
                } else {
                    eprintln!("shipshape: the handbook could not be built: {text}");
                }
                previous.failed(text)
            }
        };
        if sites.send(Arc::new(next)).is_err() {
            return;
        }
    }
}

fn rebuilt(
    log: &mut Log,
    changed: &[PathBuf],
    site: &Site,
    (pages, rendered): (usize, usize),
    started: Instant,
) {
    let status = &site.status;
    let elapsed = started.elapsed();
    let outputs_changed = status.changed.as_ref().map(Vec::len);
    if log.is_json() {
        log.event(
            "rebuild",
            &[
                ("files_changed", json!(changed.len())),
                ("pages", json!(pages)),
                ("rendered", json!(rendered)),
                ("outputs_changed", json!(outputs_changed)),
                ("errors", json!(status.errors.len())),
                ("warnings", json!(status.warnings)),
                ("generation", json!(status.generation)),
                ("ms", json!(elapsed.as_secs_f64() * 1000.0)),
            ],
        );
        return;
    }
    let what = match changed {
        [one] => shown(one),
        many => format!("{} files", many.len()),
    };
    eprintln!(
        "shipshape: {what} changed; rebuilt in {:.0} ms ({rendered} of the site's files made again): {}",
        elapsed.as_secs_f64() * 1000.0,
        health(status.errors.len(), status.warnings)
    );
}

/// A changed path as the user knows it: from the current folder when inside it.
fn shown(path: &Path) -> String {
    let clean: PathBuf = path
        .components()
        .filter(|part| !matches!(part, std::path::Component::CurDir))
        .collect();
    let here = std::env::current_dir().unwrap_or_default();
    clean
        .strip_prefix(&here)
        .unwrap_or(&clean)
        .display()
        .to_string()
}

fn summary(log: &mut Log, url: &str, tally: Tally, pages: usize, took: std::time::Duration) {
    if log.is_json() {
        log.event(
            "serving",
            &[
                ("url", json!(url)),
                ("pages", json!(pages)),
                ("errors", json!(tally.errors)),
                ("warnings", json!(tally.warnings)),
                ("ms", json!(took.as_secs_f64() * 1000.0)),
            ],
        );
        return;
    }
    eprintln!(
        "shipshape: built {pages} pages in {:.2}s: {}",
        took.as_secs_f64(),
        health(tally.errors, tally.warnings)
    );
    eprintln!("shipshape: serving {url} (Ctrl-C to stop); pages reload on every save");
}

fn health(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors == 0 && warnings == 0 {
        "no findings".to_string()
    } else {
        format!(
            "{} and {} (shown in the browser)",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

/// Ctrl-C, or a polite kill (SIGTERM) on Unix.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn resolve(host: &str) -> anyhow::Result<IpAddr> {
    use std::net::ToSocketAddrs as _;
    let trimmed = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = trimmed.parse() {
        return Ok(ip);
    }
    (trimmed, 0)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .map(|addr| addr.ip())
        .with_context(|| {
            format!("--host {host} is not an address or a name this machine resolves\n  help: use an IP address such as 127.0.0.1 or 0.0.0.0")
        })
}

async fn bind(ip: IpAddr, port: u16) -> anyhow::Result<tokio::net::TcpListener> {
    let mut last = None;
    for offset in 0..=PORTS_TRIED {
        let Some(candidate) = port.checked_add(offset) else {
            break;
        };
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, candidate)).await {
            Ok(listener) => return Ok(listener),
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse && port != 0 => {
                last = Some(err);
            }
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("binding {}", SocketAddr::new(ip, candidate)));
            }
        }
    }
    Err(anyhow::anyhow!(
        "ports {port} to {} on {ip} are all taken ({})\n  help: pick another with -p PORT, or -p 0 for any free port",
        port.saturating_add(PORTS_TRIED),
        last.map(|err| err.to_string()).unwrap_or_default()
    ))
}

fn url_for(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}/", address.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
    }
}

/// Opens `url` in the desktop's browser; a machine without one just keeps serving.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if let Err(err) = std::process::Command::new(program)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("shipshape: could not open a browser ({program}: {err}); open {url} yourself");
    }
}
