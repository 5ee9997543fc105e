//! The progress bar `build` draws on a terminal: pages rendered of all, shown only once
//! the build has run for a second, so a quick build prints nothing extra.

use std::io::IsTerminal as _;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a build runs before the bar appears.
const WAIT: Duration = Duration::from_secs(1);

/// Whether a bar may be drawn at all: stderr is a terminal, no CI job is logging it
/// (`CI` set, as GitHub, GitLab and most others set it), and the log is text.
pub fn wanted(json_log: bool) -> bool {
    !json_log && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// Runs `work` with a bar of `total` steps that `work` advances; when `shown`, the bar
/// is drawn on stderr from one second after `started` until `work` returns, then
/// cleared. Otherwise it is never drawn.
pub fn run<R>(
    total: u64,
    shown: bool,
    started: Instant,
    work: impl FnOnce(&ProgressBar) -> R,
) -> R {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    if !shown {
        return work(&bar);
    }
    bar.set_style(
        ProgressStyle::with_template("rendering [{bar:40}] {pos}/{len} pages, {eta} left")
            .expect("the template parses")
            .progress_chars("=> "),
    );
    let (finished, wait) = mpsc::channel::<()>();
    let result = std::thread::scope(|scope| {
        let late = bar.clone();
        scope.spawn(move || {
            let left = (started + WAIT).saturating_duration_since(Instant::now());
            if wait.recv_timeout(left) == Err(RecvTimeoutError::Timeout) {
                late.set_draw_target(ProgressDrawTarget::stderr());
                late.tick();
            }
        });
        let result = work(&bar);
        drop(finished);
        result
    });
    bar.finish_and_clear();
    result
}
