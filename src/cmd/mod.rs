//! One file per command. Each runs the pipeline as far as it needs and returns an
//! `Outcome`; none decides the exit code (main.rs does).

pub mod build;
pub mod check;
pub mod explain;
pub mod init;
pub mod log;
mod named;
pub mod new;
mod progress;
mod since;
pub mod site_files;

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::cli::Gate;
use crate::config::{self, Config};
use crate::finding::{Finding, Suppressed};
use crate::model::Handbook;
use crate::{check as rules, load, model};
pub use log::{Log, Stage};
pub use named::Named;

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
    /// The findings the run reports.
    pub findings: Vec<Finding>,
    /// The documents that were read and judged (book.toml, SUMMARY.md, every page),
    /// relative to the handbook root, `/`-separated, in path order.
    pub documents: Vec<String>,
    /// The findings inline directives suppressed.
    pub suppressed: Vec<Suppressed>,
    /// Every service judged on the run's date (`check` computes it; `build` writes it).
    pub readiness: Vec<crate::model::readiness::Card>,
    /// The date the run judged against (`--today`, else the system date).
    pub today: jiff::civil::Date,
    /// What the run read of git (`[policy] git`).
    pub git: crate::git::Git,
    /// Each page's "Last updated" day, from git.
    pub updated: crate::git::Updated,
}

/// Loads, models and checks the handbook at `root`, judging dates against `gate.today`
/// (default: the system date) and leaving drafts out unless `gate.drafts`; only the
/// rules `only` keeps and the findings `keep` keeps are reported, and inline suppressions
/// are applied. Each stage is logged to `log` as it ends.
/// `dest` is where the site goes (default: book.toml's build-dir); it is never read as
/// content, even when it lies inside the content folder. `purpose` says whether the
/// handbook will be rendered, which decides what the model keeps.
pub fn analyse(
    root: &Path,
    dest: Option<&Path>,
    purpose: model::Purpose,
    gate: &Gate,
    only: &rules::Only<'_>,
    keep: &dyn Fn(&Finding) -> bool,
    log: &mut Log,
) -> anyhow::Result<Analysis> {
    let scope = Scope {
        purpose,
        only,
        keep,
        memo: None,
        parses: None,
    };
    analyse_loaded(root, config::load(root)?, dest, gate, &scope, log)
}

/// Which findings a run reports, and what it may take from the run before.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    /// Whether the handbook will be rendered, which decides what the model keeps.
    pub purpose: model::Purpose,
    /// The rules the run reports.
    pub only: &'a rules::Only<'a>,
    /// The findings the run reports (those in the files named, for `check FILE…`).
    pub keep: &'a dyn Fn(&Finding) -> bool,
    /// What `serve` kept of the last run's reads, to take what has not changed from.
    pub memo: Option<&'a load::Memo>,
    /// What `serve` kept of the last run's parses, likewise.
    pub parses: Option<&'a model::markdown::Parses>,
}

/// `analyse`, for book.toml already read into `loaded`.
pub fn analyse_loaded(
    root: &Path,
    loaded: config::Loaded,
    dest: Option<&Path>,
    gate: &Gate,
    scope: &Scope<'_>,
    log: &mut Log,
) -> anyhow::Result<Analysis> {
    let Scope {
        purpose,
        only,
        keep,
        memo,
        parses,
    } = *scope;
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
    } else if log.is_json() {
        load::preprocess::Mode::Run(load::preprocess::Messages::Lines(log::preprocessor_line))
    } else {
        load::preprocess::Mode::Run(load::preprocess::Messages::Inherit)
    };
    let content = load::load(
        &config,
        &boundary,
        &output,
        gate.drafts,
        preprocessors,
        memo,
    )
    .map_err(failed)?;
    let documents = checked_documents(&content);
    log.stage(
        Stage::Load,
        &[
            ("files", json!(documents.len())),
            ("assets", json!(content.assets.len())),
        ],
    );
    let (handbook, mut findings) = model::build(content, purpose, parses);
    log.stage(Stage::Model, &[("pages", json!(handbook.pages.len()))]);
    findings.extend(loaded.warnings);
    let git = crate::git::Git::read(config.policy.git, boundary.home(), &config.root, &handbook);
    let context = rules::Context {
        config: &config,
        today: gate
            .today
            .unwrap_or_else(|| jiff::ZonedDateTime::now().date()),
        only,
        git: &git,
        due_within: gate.due_within,
    };
    let checked = rules::run(&context, &handbook, findings);
    let today = context.today;
    let mut findings = checked.findings;
    findings.retain(|finding| keep(finding));
    let updated = git.updated(&handbook);
    let tally = crate::finding::Tally::of(&findings);
    log.stage(
        Stage::Check,
        &[
            ("errors", json!(tally.errors)),
            ("warnings", json!(tally.warnings)),
        ],
    );
    Ok(Analysis {
        output,
        boundary,
        config,
        handbook,
        findings,
        documents,
        suppressed: checked.suppressed,
        readiness: checked.readiness,
        today,
        updated,
        git,
    })
}

/// book.toml, SUMMARY.md when there is one, and every page, as findings name them.
fn checked_documents(content: &load::Content) -> Vec<String> {
    let summary = content
        .summary
        .as_ref()
        .map(|_| load::display_path(&content.prefix, load::SUMMARY));
    let mut documents: Vec<String> = std::iter::once(config::FILE_NAME.to_string())
        .chain(summary)
        .chain(
            content
                .documents
                .iter()
                .map(|document| load::display_path(&content.prefix, &document.path)),
        )
        .collect();
    documents.sort();
    documents.dedup();
    documents
}

/// Whether human output should be coloured: only on a terminal, and not under NO_COLOR.
pub fn use_color(stream: &impl std::io::IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
