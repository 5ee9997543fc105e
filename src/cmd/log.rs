//! What `build` and `check` say on stderr besides their reports: nothing but a closing
//! line in text form (as before there was a choice), one JSON object a line with
//! `--log-format json`.
//!
//! The JSON lines are a contract for CI log collectors (README, "Logs"): every line is
//! one object with `level` and `event`; `ms` is the only value that differs between two
//! runs on the same input.

use std::io::Write as _;
use std::time::Instant;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::cli::LogFormat;
use crate::finding::{Finding, Severity, Tally};

/// A command's log: the stages it ran with their times, and how it ended.
pub struct Log {
    format: LogFormat,
    command: &'static str,
    started: Instant,
    /// When the last stage ended (or the command started).
    mark: Instant,
}

/// A stage of the pipeline, as the JSON log names it.
#[derive(Clone, Copy, Debug)]
pub enum Stage {
    /// book.toml read, the content folder walked and read, preprocessors run.
    Load,
    /// The handbook built from what was read: pages, navigation, links.
    Model,
    /// The rules run and the policy applied.
    Check,
    /// `check`: the theme loaded as a build would, the reports made and written.
    Report,
    /// `build`: the theme loaded, every page rendered into the staging folder.
    Render,
    /// `build`: the other files copied and the new site swapped in.
    Write,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Load => "load",
            Stage::Model => "model",
            Stage::Check => "check",
            Stage::Report => "report",
            Stage::Render => "render",
            Stage::Write => "write",
        }
    }
}

// The lines, each with `level` and `event` first; fields in the order written here.

#[derive(Serialize)]
struct StageLine {
    level: &'static str,
    event: &'static str,
    stage: &'static str,
    ms: u64,
    #[serde(flatten)]
    counts: Map<String, Value>,
}

#[derive(Serialize)]
struct FindingLine<'a> {
    level: Severity,
    event: &'static str,
    #[serde(flatten)]
    finding: &'a Finding,
    fingerprint: String,
}

#[derive(Serialize)]
struct ErrorLine<'a> {
    level: &'static str,
    event: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct PreprocessorLine<'a> {
    level: &'static str,
    event: &'static str,
    preprocessor: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct EventLine {
    level: &'static str,
    event: &'static str,
    #[serde(flatten)]
    fields: Map<String, Value>,
}

#[derive(Serialize)]
struct DoneLine {
    level: &'static str,
    event: &'static str,
    command: &'static str,
    ms: u64,
    /// `errors` and `warnings`; absent when the command could not run.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    tally: Option<Tally>,
    exit: u8,
}

impl Log {
    /// A log for `command` (`build`, `check`), timed from now.
    pub fn new(format: LogFormat, command: &'static str) -> Log {
        let now = Instant::now();
        Log {
            format,
            command,
            started: now,
            mark: now,
        }
    }

    /// Whether lines are JSON (and so no progress bar may be drawn).
    pub fn is_json(&self) -> bool {
        self.format == LogFormat::Json
    }

    /// When the command started, for the progress bar's one-second wait.
    pub fn started(&self) -> Instant {
        self.started
    }

    /// Ends `stage`: in JSON, one line with its time (from the end of the stage before)
    /// and `counts`, such as the files it read.
    pub fn stage(&mut self, stage: Stage, counts: &[(&'static str, Value)]) {
        let now = Instant::now();
        let ms = millis(now - self.mark);
        self.mark = now;
        if self.is_json() {
            emit(&StageLine {
                level: "info",
                event: "stage",
                stage: stage.name(),
                ms,
                counts: counts
                    .iter()
                    .map(|(key, value)| ((*key).to_string(), value.clone()))
                    .collect(),
            });
        }
    }

    /// In JSON, one line per finding (for `build`, whose findings are no report, and
    /// for book.toml's findings when it stops a command). Files are named from the
    /// handbook root, as in the JSON report.
    pub fn findings(&self, findings: &[Finding]) {
        if !self.is_json() {
            return;
        }
        for finding in findings {
            emit(&FindingLine {
                level: finding.severity,
                event: "finding",
                finding,
                fingerprint: finding.fingerprint(),
            });
        }
    }

    /// In JSON, the error that stopped the command (exit 2): its message and, when it
    /// has one, its `help:` line apart.
    pub fn error(&self, text: &str) {
        if self.is_json() {
            error_line(text);
        }
    }

    /// In JSON, one line for a long-running command's own `event` (`serve`'s
    /// `serving` and `rebuild`), with `fields` after `level` and `event`.
    pub fn event(&self, event: &'static str, fields: &[(&'static str, Value)]) {
        if self.is_json() {
            emit(&EventLine {
                level: "info",
                event,
                fields: fields
                    .iter()
                    .map(|(key, value)| ((*key).to_string(), value.clone()))
                    .collect(),
            });
        }
    }

    /// In JSON, the last line: the command's time, the findings that counted (`None`
    /// when it could not run) and its exit code.
    pub fn done(&self, tally: Option<Tally>, exit: u8) {
        if self.is_json() {
            emit(&DoneLine {
                level: "info",
                event: "done",
                command: self.command,
                ms: millis(self.started.elapsed()),
                tally,
                exit,
            });
        }
    }
}

/// The JSON line for an error that stopped the command before a `Log` existed (a
/// usage error) or while it ran.
pub fn error_line(text: &str) {
    let (message, help) = match text.split_once("\n  help: ") {
        Some((message, help)) => (message.trim_end(), Some(help.trim_end())),
        None => (text.trim_end(), None),
    };
    let help = help.filter(|help| !help.is_empty());
    emit(&ErrorLine {
        level: "error",
        event: "error",
        message,
        help,
    });
}

/// One line a preprocessor printed, as a JSON line naming it: what it says is passed
/// on, not judged.
pub fn preprocessor_line(name: &str, text: &str) {
    emit(&PreprocessorLine {
        level: "info",
        event: "preprocessor",
        preprocessor: name,
        message: text.trim_end(),
    });
}

/// Writes one line whole, so that lines written from other threads never interleave.
fn emit(value: &impl Serialize) {
    let mut line = serde_json::to_vec(value).expect("log lines serialize");
    line.push(b'\n');
    let _ = std::io::stderr().lock().write_all(&line);
}

fn millis(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}
