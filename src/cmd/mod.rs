//! One file per command. Each runs the pipeline as far as it needs and returns an
//! `Outcome`; none decides the exit code (main.rs does).

pub mod build;
pub mod check;
pub mod init;

use std::path::{Path, PathBuf};

use crate::cli::Gate;

use crate::config::{self, Config};
use crate::finding::Finding;
use crate::model::Handbook;
use crate::{check as rules, load, model};

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
    let output = dest.map_or_else(|| root.join(&config.build.build_dir), Path::to_path_buf);
    let boundary = load::Boundary::new(&config)?;
    let content = load::load(&config, &boundary, &output, gate.drafts)?;
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
