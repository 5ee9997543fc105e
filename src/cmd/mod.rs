//! One file per command. Each runs the pipeline as far as it needs and returns an
//! `Outcome`; none decides the exit code (main.rs does).

pub mod build;
pub mod check;
pub mod explain;
pub mod init;
pub mod new;

use std::path::{Path, PathBuf};

use crate::cli::Gate;

use crate::config::{self, Config};
use crate::finding::Finding;
use crate::model::Handbook;
use crate::{check as rules, load, model};

/// A command that could not run after book.toml was read: the error, with book.toml's
/// warnings, which often say why (`scr = "content"` leaves `src` at its default).
#[derive(Debug)]
pub struct Failed {
    pub root: PathBuf,
    pub warnings: Vec<Finding>,
    pub error: anyhow::Error,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.error)
    }
}

impl std::error::Error for Failed {}

impl Analysis {
    /// `error`, with book.toml's warnings, for a command that cannot go on.
    pub fn failed(&self, error: anyhow::Error) -> anyhow::Error {
        Failed {
            root: self.config.root.clone(),
            warnings: self
                .findings
                .iter()
                .filter(|finding| finding.file == config::FILE_NAME)
                .cloned()
                .collect(),
            error,
        }
        .into()
    }
}

/// What a command found, for main.rs to turn into an exit code.
pub struct Outcome {
    pub findings: Vec<Finding>,
}

/// The handbook after load → model → check.
pub struct Analysis {
    /// Where the site is written.
    pub output: PathBuf,
    /// What the build may read.
    pub boundary: load::Boundary,
    pub config: Config,
    pub handbook: Handbook,
    pub findings: Vec<Finding>,
    /// How many files were read and checked (book.toml, SUMMARY.md, pages).
    pub files: usize,
}

/// Loads, models and checks the handbook at `root`, judging dates against `gate.today`
/// (default: the system date) and leaving drafts out unless `gate.drafts`.
/// `dest` is where the site goes (default: book.toml's build-dir); it is never read as
/// content, even when it lies inside the content folder.
pub fn analyse(root: &Path, dest: Option<&Path>, gate: &Gate) -> anyhow::Result<Analysis> {
    let loaded = config::load(root)?;
    let config = loaded.config;
    // Whatever stops the command now, book.toml's warnings (a misspelt `src`) explain it.
    let failed = |error: anyhow::Error| Failed {
        root: root.to_path_buf(),
        warnings: loaded.warnings.clone(),
        error,
    };
    let output = dest.map_or_else(|| root.join(&config.build.build_dir), Path::to_path_buf);
    let boundary = load::Boundary::new(&config).map_err(failed)?;
    let preprocessors = if gate.no_preprocessors {
        load::preprocess::Mode::Skip
    } else {
        load::preprocess::Mode::Run
    };
    let content =
        load::load(&config, &boundary, &output, gate.drafts, preprocessors).map_err(failed)?;
    let files = 1 + content.documents.len() + usize::from(content.summary.is_some());
    let (handbook, mut findings) = model::build(content);
    findings.extend(loaded.warnings);
    let context = rules::Context {
        config: &config,
        today: gate
            .today
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
    };
    let findings = rules::run(&context, &handbook, findings);
    Ok(Analysis {
        output,
        boundary,
        config,
        handbook,
        findings,
        files,
    })
}

/// Whether human output should be coloured: only on a terminal, and not under NO_COLOR.
pub fn use_color(stream: &impl std::io::IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
