//! The preview server: the built site from memory, the live-reload script and its
//! event stream. Every request passes the guard first (method, `Host`, path); nothing
//! here touches the disk.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt as _};
use tokio::sync::watch;

use super::guard::{self, Hosts};
use super::packed::Served;
use super::site::{FILES_PATH, LIVE_PATH, Site, Status};

/// What every request handler shares: the newest site, its status for the event
/// stream, and who may ask.
pub struct Shared {
    pub site: watch::Receiver<Arc<Site>>,
    pub hosts: Hosts,
    pub stopping: watch::Receiver<bool>,
}

/// The router: one handler for everything, so that no path reaches a handler the guard
/// has not seen.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "shipshape serve answers only GET and HEAD\n",
        )
            .into_response();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .or_else(|| uri.authority().map(|authority| authority.as_str()));
    if !host.is_some_and(|host| shared.hosts.allows(host)) {
        return plain(
            StatusCode::FORBIDDEN,
            "this preview server answers only requests for localhost (its Host header is checked against DNS rebinding)\n",
        );
    }
    let path = uri.path();
    if path == super::site::EVENTS_PATH {
        let origin = headers.get(header::ORIGIN).map(HeaderValue::to_str);
        return match origin {
            None => events(&shared).into_response(),
            Some(Ok(origin)) if shared.hosts.allows_origin(origin) => {
                events(&shared).into_response()
            }
            Some(_) => plain(
                StatusCode::FORBIDDEN,
                "the event stream is only for this server's own pages\n",
            ),
        };
    }
    let site = shared.site.borrow().clone();
    let head = method == Method::HEAD;
    if path == LIVE_PATH {
        let script = site.live_js();
        let length = script.len();
        return bytes_response(
            StatusCode::OK,
            "text/javascript; charset=utf-8",
            length,
            (!head).then(|| Body::from(script)),
        );
    }
    if path == FILES_PATH {
        let mut paths: Vec<&String> = site.files.keys().collect();
        paths.sort();
        let body = serde_json::to_vec(&paths).unwrap_or_default();
        let length = body.len();
        return bytes_response(
            StatusCode::OK,
            "application/json",
            length,
            (!head).then(|| Body::from(body)),
        );
    }
    let Some(key) = guard::site_path(path) else {
        return plain(StatusCode::BAD_REQUEST, "not a path inside the site\n");
    };
    if let Some(served) = site.files.get(&key) {
        return file(StatusCode::OK, content_type(&key), served, head);
    }
    // A folder named without its slash: send the browser to the slash, so that the
    // page's relative links resolve.
    if site.files.contains_key(&format!("{key}/index.html")) {
        let location = format!("{}/", path.trim_end_matches('/'));
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location)],
        )
            .into_response();
    }
    let (body, kind) = site.missing(&key);
    file(StatusCode::NOT_FOUND, kind, &body, head)
}

/// A file's response, its parts unpacked one at a time as the body is sent.
fn file(status: StatusCode, kind: &'static str, served: &Served, head: bool) -> Response {
    let parts = served.parts();
    let stream = stream::iter(0..parts.len())
        .map(move |index| Ok::<_, std::convert::Infallible>(parts[index].bytes()));
    bytes_response(
        status,
        kind,
        served.len(),
        (!head).then(|| Body::from_stream(stream)),
    )
}

fn bytes_response(
    status: StatusCode,
    kind: &'static str,
    length: usize,
    body: Option<Body>,
) -> Response {
    let body = body.unwrap_or_else(Body::empty);
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

/// The status of each rebuild as it lands, the current one first; ends when the server
/// stops, so that a stream never holds shutdown up.
fn events(
    shared: &Shared,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>> + use<>> {
    let mut site = shared.site.clone();
    site.mark_changed();
    let stopping = shared.stopping.clone();
    let stream = stream::unfold((site, stopping), |(mut site, mut stopping)| async move {
        if *stopping.borrow() {
            return None;
        }
        tokio::select! {
            changed = site.changed() => changed.ok()?,
            _ = stopping.changed() => return None,
        }
        let status: Status = site.borrow_and_update().status.clone();
        let event = Event::default()
            .event("status")
            .retry(Duration::from_millis(500))
            .data(serde_json::to_string(&status).unwrap_or_default());
        Some((Ok(event), (site, stopping)))
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// The `Content-Type` for a site file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, ext)| ext).unwrap_or("");
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}
