//! shipshape: an engineering handbook → a static site, and a CI gate on its docs.
//!
//! The pipeline is load → model → check → render → write; each stage is a module.
//! This file parses the command line, runs one command, and maps its outcome to the
//! exit code, which is a contract: 0 success, 1 error findings (or any finding with
//! `--strict`), 2 the command could not run.

mod check;
mod cli;
mod cmd;
mod config;
mod finding;
mod load;
mod model;
mod output;
mod render;

use std::process::ExitCode;

use clap::Parser as _;

use crate::cli::{Cli, Command};
use crate::cmd::Outcome;
use crate::finding::Severity;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let strict = match &cli.command {
        Command::Build { gate, .. } | Command::Check { gate, .. } => gate.strict,
        Command::Init { .. } | Command::New(_) | Command::Explain { .. } => false,
    };
    match run(cli) {
        Ok(outcome) => exit_code(&outcome, strict),
        Err(err) => {
            report_failure(&err);
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    match cli.command {
        Command::Init { dir } => cmd::init::run(&dir, jiff::ZonedDateTime::now().date()),
        Command::Build { dir, dest, gate } => cmd::build::run(&dir, dest.as_ref(), &gate),
        Command::Check {
            dir,
            format,
            output,
            rules,
            skip_rules,
            gate,
        } => {
            let only = cmd::check::Only {
                rules: &rules,
                skip: &skip_rules,
            };
            cmd::check::run(&dir, &format, output.as_ref(), &only, &gate)
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
            }
        }
        Command::Explain { rule } => cmd::explain::run(rule.as_deref()),
    }
}

/// 1 when a finding fails the run: any error, or any warning under `--strict`.
fn exit_code(outcome: &Outcome, strict: bool) -> ExitCode {
    let fails = outcome
        .findings
        .iter()
        .any(|finding| finding.severity == Severity::Error || strict);
    ExitCode::from(u8::from(fails))
}

/// Prints why the command could not run. An invalid book.toml is shown like findings.
fn report_failure(err: &anyhow::Error) {
    if let Some(invalid) = err.downcast_ref::<config::InvalidConfig>() {
        eprint!(
            "{}",
            output::human::report(
                &invalid.findings,
                &invalid.root,
                1,
                cmd::use_color(&std::io::stderr())
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
            eprint!("{}", output::human::finding(finding, &failed.root, color));
        }
    }
    eprintln!("error: {err:#}");
}
