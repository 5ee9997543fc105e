//! The command line, as clap definitions. Nothing here runs anything.

use std::path::PathBuf;

use crate::finding::Rule;
use clap::{Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

/// Turn an engineering handbook into a static site, and fail the build when
/// required documentation is missing, broken or stale.
#[derive(Parser, Debug)]
#[command(
    name = "shipshape",
    version,
    after_help = "\
Examples:
  shipshape init my-handbook          scaffold a handbook that builds and passes check
  shipshape build                     build ./book.toml's handbook into ./book
  shipshape build docs -d public      build the handbook in docs/ into public/
  shipshape check --format json       gate CI: exit 1 when there are error findings
  shipshape explain link              what the `link` rule finds and how to fix it

Exit codes: 0 success, 1 findings at error level (or any finding with --strict),
2 the command could not run (usage, invalid book.toml, missing folder, I/O error)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// One shipshape command.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Scaffold a new handbook that builds and passes `check`.
    #[command(after_help = "Example:\n  shipshape init handbook && shipshape build handbook")]
    Init {
        /// Folder to create the handbook in (created when missing; must not hold a book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Check the handbook and render the site; exit 1 on error findings.
    #[command(
        after_help = "Examples:\n  shipshape build\n  shipshape build docs -d public --strict"
    )]
    Build {
        /// The handbook root (the folder holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder (default: book.toml's [build] build-dir, `book`).
        #[arg(short = 'd', long = "dest-dir", value_name = "OUT")]
        dest: Option<PathBuf>,
        /// Keep the build cache here (default: book.toml's [shipshape] cache-dir,
        /// `.shipshape/cache`).
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
        /// Build everything afresh, reading and writing no cache.
        #[arg(long, conflicts_with = "cache_dir")]
        no_cache: bool,
        #[command(flatten)]
        gate: Gate,
        #[command(flatten)]
        logs: Logs,
    },
    /// Build the handbook into memory, serve it on this machine and rebuild on every
    /// save; open pages reload themselves and show the build's errors.
    #[command(after_help = "\
Examples:
  shipshape serve                      http://127.0.0.1:3000/ (the next free port if taken)
  shipshape serve docs -p 8080 --open
  shipshape serve --host 0.0.0.0       let other machines see it (a warning says so)

Only GET and HEAD are answered, only for a Host of localhost, 127.0.0.1 or [::1] (or
the --host address). The site is served with base-url `/`; nothing is written to disk.")]
    Serve {
        /// The handbook root (the folder holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port to listen on; when taken, the next free one (0: any free port).
        #[arg(short = 'p', long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).
        #[arg(long, value_name = "H")]
        host: Option<String>,
        /// Open the site in the desktop's browser once it is served.
        #[arg(long)]
        open: bool,
        #[command(flatten)]
        gate: Gate,
        #[command(flatten)]
        logs: Logs,
    },
    /// Check the handbook without writing a site; the CI gate.
    #[command(after_help = "\
Examples:
  shipshape check
  shipshape check docs --format json -o findings.json --strict
  shipshape check docs --format github --format junit=junit.xml
  shipshape check docs docs/content/guide/intro.md     report on one page of docs/
  shipshape check content/index.md book.toml           two files, from the handbook root
  shipshape check docs --update-baseline docs/baseline.json   accept today's findings
  shipshape check docs --baseline docs/baseline.json          fail only on new ones
  shipshape check docs --changed-since origin/main            a pull request's findings
  shipshape check docs --due-within 30d --format json         what falls due, by owner

The first path is the handbook root when it is a folder; every other path (all of them,
when the first is a file) is a FILE. With FILEs, the whole handbook is still read and
checked, but only findings in those files are reported and fail the run. A FILE outside
the handbook, or one shipshape does not read (an image), has none; one that does not
exist is an error (exit 2).")]
    Check {
        /// The handbook root (the folder holding book.toml; default: the current folder).
        /// A file here is the first FILE, with the current folder as the root.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Report (and fail on) only the findings in these files, named from the current
        /// folder; a folder names every file in it.
        #[arg(value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Report format: human, json, sarif, github, gitlab or junit; `FMT=FILE` writes that
        /// report to FILE. Repeat it for several reports (default: human).
        #[arg(long, value_name = "FMT[=FILE]", value_parser = parse_report)]
        format: Vec<Report>,
        /// Write the report to this file instead of standard output (the one format
        /// given without `=FILE`).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Report only this rule's findings (repeatable).
        #[arg(long = "rule", value_name = "RULE", value_parser = parse_rule)]
        rules: Vec<Rule>,
        /// Leave this rule's findings out (repeatable).
        #[arg(long = "skip-rule", value_name = "RULE", value_parser = parse_rule)]
        skip_rules: Vec<Rule>,
        /// Accept the findings this baseline lists: they do not fail the run and are
        /// counted, not printed. Entries whose findings are gone are reported as fixed.
        #[arg(long, value_name = "FILE")]
        baseline: Option<PathBuf>,
        /// Write the run's findings to FILE as the new baseline, then judge the run
        /// against it (or against --baseline, when that names another file).
        #[arg(long, value_name = "FILE")]
        update_baseline: Option<PathBuf>,
        /// Pull-request mode: report only findings whose file or cause (a link's
        /// target, evidence, an alert's runbook, a service's `code`) changed between
        /// the merge base of REF and HEAD and the working tree, and say how each
        /// service's readiness moved since REF.
        #[arg(long, value_name = "REF")]
        changed_since: Option<String>,
        /// Also report what falls due within this time (reviews, waivers, enforce-from
        /// dates), as warnings grouped by owner: `30d`, `6w`.
        #[arg(long, value_name = "DURATION", value_parser = parse_days)]
        due_within: Option<crate::config::Days>,
        #[command(flatten)]
        gate: Gate,
        #[command(flatten)]
        logs: Logs,
    },
    /// Create an ADR (with the next free number) or a runbook from the template.
    #[command(
        subcommand,
        after_help = "Examples:\n  shipshape new adr \"Queue payment gateway calls\" --supersedes 3\n  shipshape new runbook \"Payments API p99 latency high\" --service payments --alert PaymentsHighP99Latency"
    )]
    New(New),
    /// Say what a rule finds, why it matters and how to fix or silence it; without a
    /// rule, list the rules.
    #[command(after_help = "Examples:\n  shipshape explain\n  shipshape explain link")]
    Explain {
        /// A rule id, as reports and book.toml's [policy.severity] name it.
        rule: Option<String>,
    },
}

/// What `shipshape new` creates.
#[derive(Subcommand, Debug)]
pub enum New {
    /// An ADR in the ADR folder, numbered after the highest there; with `--supersedes N`,
    /// ADR N is marked superseded by it in the same step.
    Adr {
        /// The decision, as the ADR's title: "Queue payment gateway calls".
        title: String,
        /// The handbook root (the folder holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// An ADR number this one replaces (repeatable).
        #[arg(long, value_name = "N")]
        supersedes: Vec<u32>,
        /// The new ADR's status.
        #[arg(long, default_value = "proposed")]
        status: String,
        /// The date to write, YYYY-MM-DD (default: the system date).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
    /// A runbook in the runbooks folder with every required section and today's review date.
    Runbook {
        /// What the runbook is about, usually the alert's meaning: "Payments API p99 latency high".
        title: String,
        /// The handbook root (the folder holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The service the runbook is for.
        #[arg(long)]
        service: String,
        /// The team that owns it.
        #[arg(long)]
        owner: Option<String>,
        /// An alert it answers (repeatable).
        #[arg(long = "alert", value_name = "ALERT")]
        alerts: Vec<String>,
        /// The review date to write, YYYY-MM-DD (default: the system date).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
    /// A service checklist, services/NAME.yaml, with every item of the standard as `todo`.
    /// Tier 4 (no required items) unless `--tier` says otherwise.
    Service {
        /// The service id and file name: `payments-api`.
        name: String,
        /// The handbook root (the folder holding book.toml).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// 1 (most critical) to 4 (experimental): which items are required.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=4))]
        tier: u8,
        /// The team that owns it.
        #[arg(long)]
        owner: Option<String>,
        /// The review date to write, YYYY-MM-DD (default: the system date).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<Date>,
    },
}

/// Options shared by the commands that judge the handbook.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Gate {
    /// Fail (exit 1) on warnings too; each finding keeps its severity in reports.
    #[arg(long)]
    pub strict: bool,
    /// The date to judge review dates against, YYYY-MM-DD (default: the system date).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,
    /// Include pages whose front matter says `draft: true` (left out by default).
    #[arg(long)]
    pub drafts: bool,
    /// Run none of book.toml's [preprocessor.*] programs (a warning for each): for CI
    /// jobs that check pull requests, whose book.toml could name any command.
    #[arg(long)]
    pub no_preprocessors: bool,
    /// `check --due-within`: the advisory window for reviews, waivers and enforce-from
    /// dates, and the findings in it grouped by owner.
    #[arg(skip)]
    pub due_within: Option<crate::config::Days>,
}

/// How the commands that run the pipeline log to stderr.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Logs {
    /// How progress, timings and errors are written to stderr: `text`, or `json` (one
    /// object a line: a line per stage with its time, a last `done` line).
    #[arg(long, value_name = "FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

/// The form of the log on stderr.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// For people: findings (build) and a closing line, a progress bar on a terminal.
    Text,
    /// One JSON object a line, for CI log collectors; never a progress bar.
    Json,
}

/// A rule id, with a "did you mean" for a near miss.
fn parse_rule(text: &str) -> Result<Rule, String> {
    Rule::from_id(text).ok_or_else(|| {
        let ids = Rule::ALL.iter().map(|rule| rule.id());
        match crate::finding::did_you_mean(text, ids) {
            Some(id) => format!("`{text}` is no rule: did you mean `{id}`?"),
            None => format!("`{text}` is no rule; `shipshape explain` lists them"),
        }
    })
}

/// A duration such as `30d` or `6w`.
fn parse_days(text: &str) -> Result<crate::config::Days, String> {
    crate::config::Days::parse(text)
}

/// A date in the one form the handbook's files use too, with the expected form in the
/// error: `01/12/2026` is ambiguous, `2026-12-01` is not.
fn parse_date(text: &str) -> Result<Date, String> {
    let well_formed = text.len() == 10
        && text.bytes().enumerate().all(|(index, byte)| match index {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        });
    if !well_formed {
        return Err(format!(
            "`{text}` is not a date in the form YYYY-MM-DD, such as 2026-12-01"
        ));
    }
    text.parse()
        .map_err(|_| format!("`{text}` is not a calendar date (YYYY-MM-DD, such as 2026-12-01)"))
}

/// How `check` prints its findings.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// rustc-style: file:line:col, the source line, a caret and a help line.
    Human,
    /// One JSON object: {"version": 1, "root": ..., "findings": [...], "summary": {...}}.
    Json,
    /// GitHub Actions workflow commands (annotations), and the job summary.
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
    /// JUnit XML, as GitLab and Jenkins read it: a testsuite per rule, a testcase per
    /// checked document.
    Junit,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

/// One `--format FMT[=FILE]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub format: Format,
    /// Where to write it; `None` is `-o` or standard output.
    pub file: Option<PathBuf>,
}

fn parse_report(text: &str) -> Result<Report, String> {
    let (name, file) = match text.split_once('=') {
        Some((name, file)) => (name, Some(file)),
        None => (text, None),
    };
    let format = Format::from_str(name, false).map_err(|_| {
        format!("`{name}` is not a report format; use human, json, sarif, github, gitlab or junit, optionally with `=FILE`")
    })?;
    match file {
        Some("") => Err(format!("`{text}` names no file after `=`")),
        file => Ok(Report {
            format,
            file: file.map(PathBuf::from),
        }),
    }
}
