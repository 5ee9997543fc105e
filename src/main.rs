//! shipshape: an engineering handbook → a static site, and a CI gate on its docs.
//!
//! The pipeline is load → model → check → render → write; each stage is a module.
//! This file parses the command line, runs one command, and maps its outcome to the
//! exit code, which is a contract: 0 success, 1 error findings (or any finding with
//! `--strict`), 2 the command could not run.

mod baseline;
mod cache;
mod check;
mod cli;
mod cmd;
mod config;
mod finding;
mod git;
mod load;
mod model;
mod output;
mod render;
mod search;
mod secret;
mod serve;

use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::{Cli, Command, LogFormat};
use crate::cmd::{Log, Outcome};
use crate::finding::{Severity, Tally};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(&err),
    };
    let (strict, mut log) = match &cli.command {
        Command::Build { gate, logs, .. } => (gate.strict, Log::new(logs.log_format, "build")),
        Command::Check { gate, logs, .. } => (gate.strict, Log::new(logs.log_format, "check")),
        Command::Serve { logs, .. } => (false, Log::new(logs.log_format, "serve")),
        Command::Init { .. } => (false, Log::new(LogFormat::Text, "init")),
        Command::New(_) => (false, Log::new(LogFormat::Text, "new")),
        Command::Explain { .. } => (false, Log::new(LogFormat::Text, "explain")),
    };
    let (tally, code) = match run(cli, &mut log) {
        Ok(outcome) => (
            Some(Tally::of(&outcome.findings)),
            exit_code(&outcome, strict),
        ),
        Err(err) => {
            report_failure(&err, &log);
            (None, 2)
        }
    };
    log.done(tally, code);
    ExitCode::from(code)
}

fn run(cli: Cli, log: &mut Log) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Init { dir } => cmd::init::run(&dir, jiff::ZonedDateTime::now().date()),
        Command::Build {
            dir,
            dest,
            cache_dir,
            no_cache,
            gate,
            ..
        } => {
            let cache = match (cache_dir, no_cache) {
                (_, true) => cmd::build::CacheChoice::Off,
                (Some(dir), false) => cmd::build::CacheChoice::At(dir),
                (None, false) => cmd::build::CacheChoice::Config,
            };
            cmd::build::run(&dir, dest.as_ref(), &cache, &gate, log)
        }
        Command::Serve {
            dir,
            port,
            host,
            open,
            gate,
            ..
        } => serve::run(
            &serve::Options {
                root: &dir,
                port,
                host: host.as_deref(),
                open,
                gate: &gate,
            },
            log,
        ),
        Command::Check {
            dir,
            files,
            format,
            output,
            rules,
            skip_rules,
            baseline,
            update_baseline,
            changed_since,
            due_within,
            mut gate,
            ..
        } => {
            gate.due_within = due_within;
            let named = cmd::Named::resolve(dir.as_deref(), &files)?;
            let only = cmd::check::Only {
                rules: &rules,
                skip: &skip_rules,
                named: &named,
            };
            let baselines = cmd::check::Baselines {
                read: baseline.as_deref(),
                write: update_baseline.as_deref(),
            };
            let reports = cmd::check::Reports {
                formats: &format,
                output: output.as_ref(),
                changed_since: changed_since.as_deref(),
            };
            cmd::check::run(&reports, &only, &baselines, &gate, log)
        }
        Command::New(new) => {
            let system_date = || jiff::ZonedDateTime::now().date();
            match new {
                cli::New::Adr {
                    title,
                    dir,
                    supersedes,
                    status,
                    today,
                } => cmd::new::adr(&cmd::new::NewAdr {
                    root: &dir,
                    title: &title,
                    status: &status,
                    supersedes: &supersedes,
                    today: today.unwrap_or_else(system_date),
                }),
                cli::New::Runbook {
                    title,
                    dir,
                    service,
                    owner,
                    alerts,
                    today,
                } => cmd::new::runbook(&cmd::new::NewRunbook {
                    root: &dir,
                    title: &title,
                    service: &service,
                    owner: owner.as_deref(),
                    alerts: &alerts,
                    today: today.unwrap_or_else(system_date),
                }),
                cli::New::Service {
                    name,
                    dir,
                    tier,
                    owner,
                    today,
                } => cmd::new::service(&cmd::new::NewService {
                    root: &dir,
                    name: &name,
                    tier,
                    owner: owner.as_deref(),
                    today: today.unwrap_or_else(system_date),
                }),
            }
        }
        Command::Explain { rule } => cmd::explain::run(rule.as_deref()),
    }
}

/// 1 when a finding fails the run: any error, or any warning under `--strict`.
fn exit_code(outcome: &Outcome, strict: bool) -> u8 {
    let fails = outcome
        .findings
        .iter()
        .any(|finding| finding.severity == Severity::Error || strict);
    u8::from(fails)
}

/// A command line clap refuses (exit 2), or `--help` and `--version` (exit 0). With
/// `--log-format json` among the arguments, the refusal is a JSON line like any error.
fn usage_error(err: &clap::Error) -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json = args
        .windows(2)
        .any(|pair| pair[0] == "--log-format" && pair[1] == "json")
        || args.iter().any(|arg| arg == "--log-format=json");
    if !err.use_stderr() || !json {
        err.exit();
    }
    // clap's text: "error: WHAT", then a usage line and a pointer to --help.
    let text = err.render().to_string();
    let text = text.strip_prefix("error: ").unwrap_or(&text);
    let (message, rest) = text.split_once("\n\n").unwrap_or((text, ""));
    cmd::log::error_line(&format!("{message}\n  help: {}", rest.trim()));
    let command = if args.iter().any(|arg| arg == "build") {
        "build"
    } else {
        "check"
    };
    Log::new(LogFormat::Json, command).done(None, 2);
    ExitCode::from(2)
}

/// Prints why the command could not run. An invalid book.toml is shown like findings.
/// With the JSON log, each finding and the error are JSON lines instead.
fn report_failure(err: &anyhow::Error, log: &Log) {
    if log.is_json() {
        if let Some(invalid) = err.downcast_ref::<config::InvalidConfig>() {
            log.findings(&invalid.findings);
            log.error(&format!("{invalid}; nothing was built or checked"));
            return;
        }
        if let Some(failed) = err.downcast_ref::<cmd::Failed>() {
            log.findings(&failed.warnings);
        }
        log.error(&format!("{err:#}"));
        return;
    }
    // The lines quoted are book.toml's, read before (or without) its allow-list.
    let secrets = secret::Scanner::default();
    if let Some(invalid) = err.downcast_ref::<config::InvalidConfig>() {
        let quotes = output::human::Quotes {
            root: &invalid.root,
            secrets: &secrets,
        };
        eprint!(
            "{}",
            output::human::report(
                &invalid.findings,
                &finding::Withheld::default(),
                &output::Notes::default(),
                quotes,
                1,
                cmd::use_color(&std::io::stderr()),
            )
        );
        eprintln!("error: {invalid}; nothing was built or checked");
        return;
    }
    if let Some(failed) = err.downcast_ref::<cmd::Failed>()
        && !failed.warnings.is_empty()
    {
        let color = cmd::use_color(&std::io::stderr());
        for finding in &failed.warnings {
            let quotes = output::human::Quotes {
                root: &failed.root,
                secrets: &secrets,
            };
            eprint!("{}", output::human::finding(finding, quotes, color));
        }
    }
    eprintln!("error: {err:#}");
}

/// mimalloc, not the system allocator: parsing YAML and markdown allocates small values by
/// the million, and glibc's malloc spends a fifth of a check's time on them (ADR 0009).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
