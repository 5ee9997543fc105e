//! `check --changed-since REF`: the findings a pull request is answerable for, and how
//! readiness moved since REF.

use std::path::PathBuf;

use globset::GlobBuilder;

use super::{Analysis, Log};
use crate::cli::{Gate, LogFormat};
use crate::finding::{Cause, Finding};
use crate::git::Changes;
use crate::output::Movement;

/// What changed since REF, and what it means for the reports.
pub struct Since {
    pub changes: Changes,
    /// The handbook root from the git root (`docs/`, or empty).
    prefix: String,
    /// Whether book.toml changed: every finding may follow from it.
    config_changed: bool,
    /// Every changed path, for the `code` globs.
    paths: Vec<String>,
}

impl Since {
    /// Reads what changed between the merge base of `reference` and HEAD and the
    /// working tree of the repository that holds the analysed handbook.
    pub fn read(analysis: &Analysis, reference: &str) -> anyhow::Result<Since> {
        let home = analysis.boundary.home();
        let changes = crate::git::changes(home, reference).map_err(|err| analysis.failed(err))?;
        let prefix = crate::git::root_prefix(home, &analysis.config.root);
        let config_changed = changes.is_changed(&format!("{prefix}{}", crate::config::FILE_NAME));
        let paths = changes.paths().into_iter().map(str::to_string).collect();
        Ok(Since {
            changes,
            prefix,
            config_changed,
            paths,
        })
    }

    /// Whether the change touched `finding`'s file, a related place or a cause. A
    /// finding that only a date brought (a review due, a waiver expiring) has no
    /// cause, so it is reported only where its file changed.
    pub fn touches(&self, finding: &Finding) -> bool {
        let changed = |file: &str| self.changes.is_changed(&format!("{}{file}", self.prefix));
        self.config_changed
            || changed(&finding.file)
            || finding.related.iter().any(|related| changed(&related.file))
            || finding.causes.iter().any(|cause| match cause {
                Cause::File(file) => changed(file),
                Cause::Code(glob) => self.code_changed(glob),
            })
    }

    fn code_changed(&self, glob: &str) -> bool {
        let Ok(glob) = GlobBuilder::new(glob.trim_start_matches('/'))
            .literal_separator(true)
            .build()
        else {
            return false;
        };
        let matcher = glob.compile_matcher();
        self.paths.iter().any(|path| matcher.is_match(path))
    }

    /// Judges REF's handbook (written out from the merge base into a scratch folder,
    /// read by the same pipeline with no preprocessors, on the same day) and compares
    /// each service's readiness with `analysis`'s.
    pub fn movement(&self, analysis: &Analysis, gate: &Gate) -> Movement {
        let mut movement = Movement {
            reference: self.changes.reference.clone(),
            base: self.changes.base.clone(),
            moved: Vec::new(),
            problem: None,
        };
        let scratch = Scratch::new();
        let judged = scratch
            .as_ref()
            .map_err(|err| format!("{err:#}"))
            .and_then(|scratch| {
                let root = crate::git::materialize(
                    analysis.boundary.home(),
                    self.changes.base_id(),
                    &self.prefix,
                    &scratch.0,
                )
                .map_err(|err| format!("{err:#}"))?;
                if !root.join(crate::config::FILE_NAME).is_file() {
                    return Err(format!(
                        "{} has no {}",
                        self.changes.reference,
                        crate::config::FILE_NAME
                    ));
                }
                let gate = Gate {
                    no_preprocessors: true,
                    due_within: None,
                    today: Some(analysis.today),
                    ..*gate
                };
                let mut quiet = Log::new(LogFormat::Text, "check");
                super::analyse(
                    &root,
                    None,
                    crate::model::Purpose::Check,
                    &gate,
                    &crate::check::Only::default(),
                    &|_| true,
                    &mut quiet,
                )
                .map_err(|err| format!("{err:#}"))
            });
        match judged {
            Ok(before) => {
                movement.moved = crate::check::movement::compare(
                    &crate::check::movement::Judged {
                        handbook: &before.handbook,
                        cards: &before.readiness,
                    },
                    &crate::check::movement::Judged {
                        handbook: &analysis.handbook,
                        cards: &analysis.readiness,
                    },
                );
            }
            Err(problem) => movement.problem = Some(problem),
        }
        movement
    }
}

/// A scratch folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> anyhow::Result<Scratch> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.subsec_nanos());
        let dir =
            std::env::temp_dir().join(format!("shipshape-since-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
