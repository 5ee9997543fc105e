//! `shipshape check`: load, model and check; print the reports; write no site.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use serde_json::json;

use super::{Log, Named, Outcome, Stage, analyse, use_color};
use crate::baseline::Baseline;
use crate::cli::{Format, Gate, Report};
use crate::finding::{Finding, Rule, Withheld};
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
        self.rules().keeps(finding.rule) && self.named.keeps(&finding.file)
    }

    /// The rules part, which the check stage (suppressions) and the baseline judge by.
    fn rules(&self) -> crate::check::Only<'_> {
        crate::check::Only {
            rules: self.rules,
            skip: self.skip,
        }
    }
}

/// The reports a run makes: `--format` (human when none), `-o`, and what the
/// `--changed-since` REF is.
pub struct Reports<'a> {
    pub formats: &'a [Report],
    pub output: Option<&'a PathBuf>,
    pub changed_since: Option<&'a str>,
}

/// The baseline files of a run: `--baseline` (read) and `--update-baseline` (written).
pub struct Baselines<'a> {
    pub read: Option<&'a Path>,
    pub write: Option<&'a Path>,
}

/// Checks the handbook at `only.named`'s root and prints each report of `reports` (human
/// when there are none) to its file, to `output` (the one without a file) or to stdout.
/// Every report is made before any is written, and each file is written whole or not at
/// all. Only the findings `only` keeps are reported and judged; those a baseline accepts
/// are counted, not reported, and do not fail the run.
pub fn run(
    reports: &Reports<'_>,
    only: &Only<'_>,
    baselines: &Baselines<'_>,
    gate: &Gate,
    log: &mut Log,
) -> anyhow::Result<Outcome> {
    let root = only.named.root.as_path();
    let targets = targets(reports.formats, reports.output)?;
    if let Some(write) = baselines.write
        && targets
            .iter()
            .any(|(_, file)| file.as_deref().is_some_and(|file| same_file(file, write)))
    {
        bail!(
            "a report and the baseline would both be written to {}",
            write.display()
        );
    }
    // Read first, so that a missing or corrupt baseline stops the run before any work.
    // With --update-baseline naming the same file, the run is judged by what it writes.
    let accepted = match baselines.read {
        Some(read) if !baselines.write.is_some_and(|write| same_file(read, write)) => {
            Some((read, read_baseline(read)?))
        }
        _ => None,
    };
    let analysis = analyse(
        root,
        None,
        crate::model::Purpose::Check,
        gate,
        &only.rules(),
        &|finding| only.keeps(finding),
        log,
    )?;
    // The gate fails where the build would: a theme that cannot be read or a template
    // that does not parse.
    let theme = crate::render::Theme::load(&analysis.config, &analysis.boundary)
        .map_err(|err| analysis.failed(err))?;
    crate::render::Renderer::new(
        &analysis.config,
        &analysis.handbook,
        &analysis.findings,
        &theme,
        &analysis.readiness,
        analysis.today,
        &analysis.updated,
    )
    .map_err(|err| analysis.failed(err))?;
    let since = reports
        .changed_since
        .map(|reference| super::since::Since::read(&analysis, reference))
        .transpose()?;
    let movement = since.as_ref().map(|since| since.movement(&analysis, gate));
    let mut files: Vec<(&Path, String, &str)> = Vec::new();
    let written = baselines.write.map(|write| {
        let fresh = Baseline::of(&analysis.findings);
        files.push((write, fresh.to_text(), "the baseline"));
        (write, fresh)
    });
    let mut withheld = Withheld {
        suppressed: analysis.suppressed,
        ..Withheld::default()
    };
    let findings: Vec<Finding> = match accepted.or(written) {
        Some((path, baseline)) => {
            let judged = baseline.judge(analysis.findings, |rule| only.rules().keeps(rule));
            withheld.baselined = judged.baselined;
            withheld.fixed = judged.fixed;
            withheld.baseline = Some(path.display().to_string());
            judged.new
        }
        None => analysis.findings,
    };
    // A pull request answers for what it touched: the rest stays out of its reports.
    let findings = match &since {
        Some(since) => {
            let (kept, left): (Vec<Finding>, Vec<Finding>) = findings
                .into_iter()
                .partition(|finding| since.touches(finding));
            withheld.outside_change = Some(left.len());
            kept
        }
        None => findings,
    };
    let notes = output::Notes {
        movement: movement.as_ref(),
        due_within: gate.due_within,
        outside_change: withheld.outside_change,
    };
    let prefix = output::repository_prefix(root);
    let secrets = crate::secret::Scanner::new(&analysis.config.policy);
    let mut stdout_report = None;
    for (format, file) in &targets {
        let color = file.is_none() && use_color(&std::io::stdout());
        let report = match format {
            Format::Human => {
                let quotes = output::human::Quotes {
                    root,
                    secrets: &secrets,
                };
                output::human::report(
                    &findings,
                    &withheld,
                    &notes,
                    quotes,
                    analysis.documents.len(),
                    color,
                )
            }
            Format::Json => output::json::report(
                &findings,
                &withheld,
                &notes,
                analysis.documents.len(),
                &prefix,
            ),
            Format::Github => output::github::report(&findings, &prefix),
            Format::Gitlab => output::gitlab::report(&findings, &prefix),
            Format::Junit => {
                let rules: Vec<Rule> = Rule::existing()
                    .filter(|rule| only.rules().keeps(*rule))
                    .collect();
                // With FILEs, the documents judged are those files.
                let documents: Vec<String> = analysis
                    .documents
                    .iter()
                    .filter(|document| only.named.keeps(document))
                    .cloned()
                    .collect();
                output::junit::report(&findings, &documents, &rules, &prefix)
            }
            Format::Sarif => {
                let help_uris = output::sarif::help_uris(
                    &analysis.config.shipshape.base_url,
                    &analysis.handbook,
                );
                output::sarif::report(&findings, &prefix, &help_uris)
            }
        };
        match file {
            Some(path) => files.push((path.as_path(), report, "the report")),
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
                    output::github::summary(&findings, &notes, analysis.documents.len(), &prefix)
                        .as_bytes(),
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
    Ok(Outcome { findings })
}

/// Reads the baseline at `path`; a missing or corrupt one stops the command.
fn read_baseline(path: &Path) -> anyhow::Result<Baseline> {
    let shown = path.display();
    let bytes = std::fs::read(path).map_err(|err| {
        anyhow::anyhow!(
            "cannot read the baseline {shown}: {}\n  help: write one with `shipshape check --update-baseline {shown}`",
            crate::load::io_reason(&err)
        )
    })?;
    Baseline::parse(&bytes).map_err(|corrupt| {
        anyhow::anyhow!(
            "{shown}:{}:{}: the baseline cannot be read: {}\n  help: regenerate it with `--update-baseline {shown}`",
            corrupt.line,
            corrupt.column,
            corrupt.message
        )
    })
}

/// Whether two paths from the command line name one file (compared as written, from
/// the current folder, without following links).
fn same_file(a: &Path, b: &Path) -> bool {
    let absolute = |path: &Path| {
        std::path::absolute(path)
            .map(|path| crate::load::lexical_normalize(&path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    absolute(a) == absolute(b)
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

/// Writes each file (a report or the baseline: `what` says which) to a temporary file
/// beside its path, then renames them all into place; when one cannot be written, none is.
fn write_all(files: &[(&Path, String, &str)]) -> anyhow::Result<()> {
    let mut staged: Vec<(PathBuf, &Path, &str)> = Vec::new();
    let result = (|| {
        for (path, report, what) in files {
            if path.is_dir() {
                bail!("cannot write {what} to {}: it is a folder", path.display());
            }
            let name = path
                .file_name()
                .with_context(|| format!("cannot write {what} to {}", path.display()))?;
            let folder = match path.parent() {
                Some(parent) if !parent.as_os_str().is_empty() => parent,
                _ => Path::new("."),
            };
            let temp = folder.join(format!(
                ".{}.{}.tmp",
                name.to_string_lossy(),
                std::process::id()
            ));
            staged.push((temp.clone(), path, what));
            std::fs::write(&temp, report)
                .with_context(|| format!("cannot write {what} to {}", path.display()))?;
        }
        while let Some((temp, path, what)) = staged.first().cloned() {
            std::fs::rename(&temp, path)
                .with_context(|| format!("cannot write {what} to {}", path.display()))?;
            staged.remove(0);
        }
        Ok(())
    })();
    for (temp, _, _) in staged {
        let _ = std::fs::remove_file(temp);
    }
    result
}
