//! `shipshape check`: load, model and check; print a report; write no site.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::{Outcome, analyse, use_color};
use crate::cli::{Format, Gate};
use crate::output;

/// Checks the handbook at `root` and writes the report to `output` (or stdout).
pub fn run(
    root: &Path,
    format: Format,
    output: Option<&PathBuf>,
    gate: &Gate,
) -> anyhow::Result<Outcome> {
    let analysis = analyse(root, None, gate)?;
    // The gate fails where the build would: a theme that cannot be read or a template
    // that does not parse.
    let theme = crate::render::Theme::load(&analysis.config, &analysis.boundary)
        .map_err(|err| analysis.failed(err))?;
    crate::render::Renderer::new(
        &analysis.config,
        &analysis.handbook,
        &analysis.findings,
        &theme,
    )
    .map_err(|err| analysis.failed(err))?;
    let color = output.is_none() && use_color(&std::io::stdout());
    let report = match format {
        Format::Human => output::human::report(&analysis.findings, root, analysis.files, color),
        Format::Json => output::json::report(&analysis.findings, analysis.files),
    };
    match output {
        Some(path) => std::fs::write(path, report)
            .with_context(|| format!("cannot write the report to {}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(report.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(Outcome {
        findings: analysis.findings,
    })
}
