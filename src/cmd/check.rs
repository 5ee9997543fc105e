//! `shipshape check`: load, model and check; print the reports; write no site.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use serde_json::json;

use super::{Log, Named, Outcome, Stage, analyse, use_color};
use crate::cli::{Format, Gate, Report};
use crate::finding::{Finding, Rule};
use crate::output;

/// Which findings a run reports: `--rule` (only these, when any), `--skip-rule`, and
/// the files named on the command line.
pub struct Only<'a> {
    pub rules: &'a [Rule],
    pub skip: &'a [Rule],
    pub named: &'a Named,
}

impl Only<'_> {
    fn keeps(&self, finding: &Finding) -> bool {
        self.keeps_rule(finding.rule) && self.named.keeps(&finding.file)
    }

    /// Whether the run reports `rule`'s findings at all.
    fn keeps_rule(&self, rule: Rule) -> bool {
        (self.rules.is_empty() || self.rules.contains(&rule)) && !self.skip.contains(&rule)
    }
}

/// Checks the handbook at `only.named`'s root and prints each report of `reports` (human
/// when there are none) to its file, to `output` (the one without a file) or to stdout.
/// Every report is made before any is written, and each file is written whole or not at
/// all. Only the findings `only` keeps are reported and judged.
pub fn run(
    reports: &[Report],
    output: Option<&PathBuf>,
    only: &Only<'_>,
    gate: &Gate,
    log: &mut Log,
) -> anyhow::Result<Outcome> {
    let root = only.named.root.as_path();
    let targets = targets(reports, output)?;
    let analysis = analyse(root, None, gate, &|finding| only.keeps(finding), log)?;
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
    let prefix = output::repository_prefix(root);
    let findings = &analysis.findings;
    let mut files = Vec::new();
    let mut stdout_report = None;
    for (format, file) in &targets {
        let color = file.is_none() && use_color(&std::io::stdout());
        let report = match format {
            Format::Human => output::human::report(findings, root, analysis.documents.len(), color),
            Format::Json => output::json::report(findings, analysis.documents.len(), &prefix),
            Format::Github => output::github::report(findings, &prefix),
            Format::Gitlab => output::gitlab::report(findings, &prefix),
            Format::Junit => {
                let rules: Vec<Rule> = Rule::existing()
                    .filter(|rule| only.keeps_rule(*rule))
                    .collect();
                // With FILEs, the documents judged are those files.
                let documents: Vec<String> = analysis
                    .documents
                    .iter()
                    .filter(|document| only.named.keeps(document))
                    .cloned()
                    .collect();
                output::junit::report(findings, &documents, &rules, &prefix)
            }
            Format::Sarif => {
                let help_uris = output::sarif::help_uris(
                    &analysis.config.shipshape.base_url,
                    &analysis.handbook,
                );
                output::sarif::report(findings, &prefix, &help_uris)
            }
        };
        match file {
            Some(path) => files.push((path.as_path(), report)),
            None => stdout_report = Some(report),
        }
    }
    write_all(&files)?;
    if targets.iter().any(|(format, _)| *format == Format::Github)
        && let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty())
    {
        let summary = PathBuf::from(summary);
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .and_then(|mut file| {
                file.write_all(
                    output::github::summary(findings, analysis.documents.len(), &prefix).as_bytes(),
                )
            })
            .with_context(|| {
                format!(
                    "cannot append the job summary to {} ($GITHUB_STEP_SUMMARY)",
                    summary.display()
                )
            })?;
    }
    if let Some(report) = stdout_report {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(report.as_bytes())?;
        stdout.flush()?;
    }
    log.stage(Stage::Report, &[("reports", json!(targets.len()))]);
    Ok(Outcome {
        findings: analysis.findings,
    })
}

/// Each report and where it goes (`None`: stdout): the ones without `=FILE` go to `-o`,
/// of which there may be only one; so may there be only one on stdout.
fn targets(
    reports: &[Report],
    output: Option<&PathBuf>,
) -> anyhow::Result<Vec<(Format, Option<PathBuf>)>> {
    let default = [Report {
        format: Format::Human,
        file: None,
    }];
    let reports = if reports.is_empty() {
        &default[..]
    } else {
        reports
    };
    let unnamed = reports
        .iter()
        .filter(|report| report.file.is_none())
        .count();
    match output {
        Some(path) if unnamed > 1 => bail!(
            "-o {} names the file of one report, but {unnamed} formats have no `=FILE`\n  help: give each its own file: `--format FMT=FILE`",
            path.display()
        ),
        Some(path) if unnamed == 0 => bail!(
            "-o {} names no report's file: every --format has its own `=FILE`\n  help: drop -o, or give one format without `=FILE`",
            path.display()
        ),
        None if unnamed > 1 => bail!(
            "{unnamed} formats would print to standard output together\n  help: give all but one their own file: `--format FMT=FILE`"
        ),
        _ => {}
    }
    let targets: Vec<(Format, Option<PathBuf>)> = reports
        .iter()
        .map(|report| {
            (
                report.format,
                report.file.clone().or_else(|| output.cloned()),
            )
        })
        .collect();
    for (index, (_, file)) in targets.iter().enumerate() {
        if let Some(file) = file
            && targets[..index]
                .iter()
                .any(|(_, other)| other.as_ref() == Some(file))
        {
            bail!("two reports would be written to {}", file.display());
        }
    }
    Ok(targets)
}

/// Writes each report to a temporary file beside its path, then renames them all into
/// place; when one cannot be written, none is.
fn write_all(files: &[(&Path, String)]) -> anyhow::Result<()> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let result = (|| {
        for (path, report) in files {
            if path.is_dir() {
                bail!(
                    "cannot write the report to {}: it is a folder",
                    path.display()
                );
            }
            let name = path
                .file_name()
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            let folder = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            let temp = folder.join(format!(
                ".{}.{}.tmp",
                name.to_string_lossy(),
                std::process::id()
            ));
            staged.push((temp.clone(), path));
            std::fs::write(&temp, report)
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
        }
        while let Some((temp, path)) = staged.first().cloned() {
            std::fs::rename(&temp, path)
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            staged.remove(0);
        }
        Ok(())
    })();
    for (temp, _) in staged {
        let _ = std::fs::remove_file(temp);
    }
    result
}
