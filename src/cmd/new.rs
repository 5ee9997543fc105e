//! `shipshape new adr|runbook`: a file from the template, ready to fill in. ADRs take
//! the next free number; `--supersedes N` updates ADR N in the same step, so `check`
//! passes afterwards. Never overwrites: an existing file is exit 2.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, bail};
use jiff::civil::Date;

use super::Outcome;
use super::init::markdown_text;
use crate::config::{self, Config};
use crate::load::front_matter::{self, Kind};
use crate::model::adr::STATUSES;

/// What `new adr` writes, unless the handbook has an `adr/template.md`. The prompts are
/// text, not comments, so the new file passes `check` until its author replaces them.
const NYGARD: &str = "\
# {title}

## Context

_What is the situation that calls for a decision: the forces at play, the constraints, what
happens if nothing is decided? Replace this paragraph._

## Decision

_What we will do, stated in full sentences (\"We will …\"). Replace this paragraph._

## Consequences

_What becomes easier and what becomes harder once this is done, including the risks we
accept. Replace this paragraph._
";

/// Prompts for a runbook's sections, by the name of the default ones.
const RUNBOOK_PROMPTS: &[(&str, &str)] = &[
    (
        "symptoms",
        "Which alert fired, and what does the problem look like from outside?",
    ),
    (
        "impact",
        "Who is affected, how badly, and how fast is it getting worse?",
    ),
    (
        "diagnosis",
        "The commands and dashboards that confirm the cause, in order.",
    ),
    (
        "mitigation",
        "The steps that stop the harm, each one safe to run at night.",
    ),
    (
        "escalation",
        "Who to page when the steps above do not help, and how.",
    ),
];

/// `shipshape new adr`.
pub struct NewAdr<'a> {
    pub root: &'a Path,
    pub title: &'a str,
    pub status: &'a str,
    pub supersedes: &'a [u32],
    pub today: Date,
}

/// `shipshape new runbook`.
pub struct NewRunbook<'a> {
    pub root: &'a Path,
    pub title: &'a str,
    pub service: &'a str,
    pub owner: Option<&'a str>,
    pub alerts: &'a [String],
    pub today: Date,
}

/// What `shipshape new service` writes.
pub struct NewService<'a> {
    pub root: &'a Path,
    pub name: &'a str,
    pub tier: u8,
    pub owner: Option<&'a str>,
    pub today: Date,
}

/// Writes `services/NAME.yaml`: a `$schema` line for editors, the service's keys, and
/// every item of its standard as `todo` (an automatic rule's item as a comment, since a
/// status there is ignored). Tier 4 by default: no item is required of it, so a new
/// checklist does not fail the build the day it is created.
pub fn service(new: &NewService<'_>) -> anyhow::Result<Outcome> {
    let config = config::load(new.root)?.config;
    let name = new.name.trim();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        || name.starts_with('.')
    {
        bail!(
            "the service name must be letters, digits, `-`, `_` or `.`, such as `payments-api`: it is the file name and the service id"
        );
    }
    if !(1..=4).contains(&new.tier) {
        bail!("`--tier` is 1 (most critical) to 4 (experimental)");
    }
    let folder = special_folder(&config, &config.shipshape.services_dir, "services-dir")?;
    let file = folder.join(format!("{name}.yaml"));
    let standard = handbook_standard(&config)?;
    let mut text = format!(
        "# yaml-language-server: $schema={}\nservice: {}\n",
        schema_reference(&config, &file),
        yaml_string(name)
    );
    if let Some(owner) = new.owner {
        text.push_str(&format!("owner: {}\n", yaml_string(owner)));
    }
    text.push_str(&format!(
        "tier: {}\nstandard: {}\nlast_reviewed: {}\nalerts: []\nchecks:\n",
        new.tier,
        yaml_string(&standard.id),
        new.today
    ));
    for item in standard.items() {
        match &item.verify {
            Some(rule) => text.push_str(&format!(
                "  # {}: checked by the automatic rule `{}`\n",
                item.id,
                rule.name()
            )),
            None => text.push_str(&format!("  {}:\n    status: todo\n", item.id)),
        }
    }
    write_new(&file, &text)?;
    println!("{}", file.display());
    Ok(Outcome {
        findings: Vec::new(),
    })
}

/// The handbook's `production-readiness` standard when it has its own, else the built-in one.
fn handbook_standard(config: &Config) -> anyhow::Result<crate::model::standard::Standard> {
    let folder = special_folder(config, &config.shipshape.standards_dir, "standards-dir")?;
    let mut files = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&folder) {
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| Some(entry.ok()?.path()))
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml")
            })
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            let shown = path.display().to_string();
            if let Ok(tree) = crate::load::yaml::parse(&text, &shown) {
                files.push(crate::load::data::DataFile { file: shown, tree });
            }
        }
    }
    let mut ignored = Vec::new();
    crate::model::standard::read_all(&files, &mut ignored)
        .into_iter()
        .find(|standard| standard.id == crate::model::standard::BUILTIN_ID)
        .context("the handbook has no `production-readiness` standard")
}

/// Where editors find the service schema: the published site when `base-url` is a full
/// address, else the copy a build writes into `build-dir`, relative to `file`.
fn schema_reference(config: &Config, file: &Path) -> String {
    let base = &config.shipshape.base_url;
    if base.is_full() {
        return base.join(crate::model::SERVICE_SCHEMA_URL);
    }
    let depth = file
        .strip_prefix(&config.root)
        .map(|rel| rel.components().count().saturating_sub(1))
        .unwrap_or(0);
    let site = crate::load::relative_slash_path(&config.build.build_dir);
    format!(
        "{}{site}/{}",
        "../".repeat(depth),
        crate::model::SERVICE_SCHEMA_URL
    )
}

/// Writes the next ADR, and marks the ones it supersedes.
pub fn adr(new: &NewAdr<'_>) -> anyhow::Result<Outcome> {
    let config = config::load(new.root)?.config;
    let title = title(new.title)?;
    let known: Vec<&str> = STATUSES
        .iter()
        .copied()
        .chain(config.policy.adr.statuses.iter().map(String::as_str))
        .collect();
    let status = new.status.trim().to_lowercase();
    if !known.contains(&status.as_str()) {
        bail!(
            "`{}` is not a status: use one of {}\n  help: a team's own statuses go in `[policy.adr] statuses` in book.toml",
            new.status,
            known.join(", ")
        );
    }
    let folder = special_folder(&config, &config.shipshape.adr_dir, "adr-dir")?;
    let existing = adr_files(&folder, &config)?;
    let number = existing
        .iter()
        .map(|(number, _)| number + 1)
        .max()
        .unwrap_or(1);
    if number > 9999 {
        bail!(
            "the ADR folder {} has no four-digit number left",
            folder.display()
        );
    }
    let file = folder.join(format!("{number:04}-{}.md", slug(&title, "decision")));
    let mut updates = Vec::new();
    for old in new.supersedes {
        let Some((_, path)) = existing.iter().find(|(n, _)| n == old) else {
            bail!(
                "--supersedes {old}: there is no ADR {old:04} in {}\n  help: `ls {}` shows the numbers there",
                folder.display(),
                folder.display()
            );
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file_name = file.file_name().unwrap_or_default().to_string_lossy();
        updates.push((
            path.clone(),
            superseded(&text, number, &title, &file_name, path)?,
        ));
    }
    let template = folder.join("template.md");
    let body = match std::fs::read_to_string(&template) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => NYGARD.to_string(),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", template.display())),
    };
    let body = fill(&body, &title, new.today, number, &status);
    let mut front = format!(
        "---\ntitle: {}\nstatus: {status}\ndate: {}\ndeciders: []\n",
        yaml_string(&title),
        new.today
    );
    if !new.supersedes.is_empty() {
        let numbers: Vec<String> = new.supersedes.iter().map(u32::to_string).collect();
        front.push_str(&format!("supersedes: [{}]\n", numbers.join(", ")));
    }
    front.push_str("---\n\n");
    // A template with front matter of its own keeps it.
    let text = if body.starts_with("---\n") {
        body
    } else {
        front + &body
    };
    write_new(&file, &text)?;
    for (path, text) in &updates {
        replace(path, text)?;
        eprintln!(
            "shipshape: marked {} as superseded by ADR-{number:04}",
            path.display()
        );
    }
    println!("{}", file.display());
    Ok(Outcome {
        findings: Vec::new(),
    })
}

/// Writes a runbook with every required section and today's review date.
pub fn runbook(new: &NewRunbook<'_>) -> anyhow::Result<Outcome> {
    let config = config::load(new.root)?.config;
    let title = title(new.title)?;
    let folder = special_folder(&config, &config.shipshape.runbooks_dir, "runbooks-dir")?;
    let file = folder.join(format!("{}.md", slug(&title, "runbook")));
    let mut text = format!(
        "---\ntitle: {}\nservice: {}\n",
        yaml_string(&title),
        yaml_string(new.service)
    );
    if let Some(owner) = new.owner {
        text.push_str(&format!("owner: {}\n", yaml_string(owner)));
    }
    if !new.alerts.is_empty() {
        let alerts: Vec<String> = new.alerts.iter().map(|alert| yaml_string(alert)).collect();
        text.push_str(&format!("alerts: [{}]\n", alerts.join(", ")));
    }
    text.push_str(&format!(
        "last_reviewed: {}\n---\n\n# {}\n",
        new.today,
        markdown_text(&title)
    ));
    for section in &config.policy.runbook.required_sections {
        let name = section
            .split('|')
            .next()
            .unwrap_or(section)
            .trim()
            .trim_end_matches('*')
            .trim_end();
        let prompt = RUNBOOK_PROMPTS
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map_or("What the reader needs to know here.", |(_, prompt)| prompt);
        text.push_str(&format!("\n## {name}\n\n_{prompt} Replace this line._\n"));
    }
    write_new(&file, &text)?;
    println!("{}", file.display());
    Ok(Outcome {
        findings: Vec::new(),
    })
}

/// The title, trimmed; an empty one or one with a line break is a usage error.
fn title(title: &str) -> anyhow::Result<String> {
    let title = title.trim();
    if title.is_empty() || title.contains(['\n', '\r']) {
        bail!("the title must be one non-empty line, such as \"Queue payment gateway calls\"");
    }
    Ok(title.to_string())
}

/// A folder of the content folder named in `[shipshape]`; one that would leave the
/// content folder is refused.
fn special_folder(config: &Config, dir: &str, key: &str) -> anyhow::Result<PathBuf> {
    let relative = Path::new(dir.trim_matches('/'));
    if relative
        .components()
        .any(|component| !matches!(component, Component::Normal(_)))
    {
        bail!(
            "`{key} = \"{dir}\"` in book.toml leaves the content folder\n  help: name a folder inside it, such as \"adr\""
        );
    }
    Ok(config.root.join(&config.book.src).join(relative))
}

/// The ADR files of `folder` with their numbers.
fn adr_files(folder: &Path, config: &Config) -> anyhow::Result<Vec<(u32, PathBuf)>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", folder.display())),
    };
    let dir = config.shipshape.adr_dir.trim_matches('/');
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("cannot read {}", folder.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if dir.is_empty() {
            name.clone()
        } else {
            format!("{dir}/{name}")
        };
        if name.ends_with(".md") && Kind::of(&rel, &config.shipshape) == Kind::Adr {
            files.push((crate::model::adr::number_of(&name).0, entry.path()));
        }
    }
    files.sort();
    Ok(files)
}

/// `text` of an ADR marked as superseded by ADR `number`, in the ADR's own format: its
/// front matter's `status` and `superseded_by`, MADR's `status: superseded by ADR-N`, or
/// adr-tools' status line.
fn superseded(
    text: &str,
    number: u32,
    title: &str,
    file: &str,
    path: &Path,
) -> anyhow::Result<String> {
    let mut findings = Vec::new();
    let split = front_matter::split(text, &path.display().to_string(), &mut findings);
    if !findings.is_empty() {
        bail!(
            "{} has front matter that does not parse; fix it first (`shipshape check` shows where)",
            path.display()
        );
    }
    if let Some(block) = &split.block {
        let madr = block
            .yaml
            .lines()
            .any(|line| line.starts_with("decision-makers:"));
        let mut lines: Vec<String> = block.yaml.lines().map(str::to_string).collect();
        let status = if madr {
            format!("status: \"superseded by ADR-{number:04}\"")
        } else {
            "status: superseded".to_string()
        };
        let at = set_key(&mut lines, "status", status, None);
        if !madr {
            set_key(
                &mut lines,
                "superseded_by",
                format!("superseded_by: {number}"),
                Some(at + 1),
            );
        }
        let yaml = lines.join("\n");
        return Ok(format!("---\n{yaml}\n---\n{}", split.body));
    }
    // adr-tools: the first status line under `## Status` gives way to a link.
    let mut out = String::with_capacity(text.len() + 64);
    let mut in_status = false;
    let mut replaced = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(heading) = trimmed.strip_prefix("## ") {
            in_status = heading.trim().eq_ignore_ascii_case("status");
        } else if in_status && !replaced && !trimmed.is_empty() && !trimmed.contains("](") {
            out.push_str(&format!(
                "Superseded by [{number}. {}]({file})\n",
                markdown_text(title)
            ));
            replaced = true;
            continue;
        }
        out.push_str(line);
    }
    if replaced {
        return Ok(out);
    }
    Ok(format!(
        "---\nstatus: superseded\nsuperseded_by: {number}\n---\n{text}"
    ))
}

/// Sets top-level `key` in YAML lines to `line` (replacing the key's line and the lines
/// that continue its value), else inserts it at `at` or the end. Returns its index.
fn set_key(lines: &mut Vec<String>, key: &str, line: String, at: Option<usize>) -> usize {
    let prefix = format!("{key}:");
    if let Some(index) = lines.iter().position(|l| l.starts_with(&prefix)) {
        let continued = lines[index + 1..]
            .iter()
            .take_while(|l| l.starts_with([' ', '\t', '-']))
            .count();
        lines.splice(index..index + 1 + continued, [line]);
        return index;
    }
    let index = at.unwrap_or(lines.len()).min(lines.len());
    lines.insert(index, line);
    index
}

/// `{{title}}`, `{{date}}`, `{{number}}` and `{{status}}` in a handbook's template.
fn fill(template: &str, title: &str, today: Date, number: u32, status: &str) -> String {
    let mut text = template.to_string();
    for (name, value) in [
        ("title", markdown_text(title)),
        ("date", today.to_string()),
        ("number", format!("{number:04}")),
        ("status", status.to_string()),
    ] {
        text = text
            .replace(&format!("{{{{{name}}}}}"), &value)
            .replace(&format!("{{{{ {name} }}}}"), &value);
    }
    text.replace("{title}", &markdown_text(title))
}

/// A file name from a title: `Use Postgres (v16)` → `use-postgres-v16`.
fn slug(title: &str, fallback: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug.to_string()
    }
}

/// A YAML double-quoted scalar (a JSON string is one).
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Creates `path` with `text`, refusing to overwrite.
fn write_new(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::AlreadyExists => anyhow::anyhow!(
                "{} exists; shipshape new never overwrites\n  help: pick another title or name, or edit the file that is there",
                path.display()
            ),
            _ => anyhow::Error::new(err).context(format!("cannot write {}", path.display())),
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Replaces `path` with `text` through a temporary file beside it.
fn replace(path: &Path, text: &str) -> anyhow::Result<()> {
    let temp = path.with_extension(format!("md.{}.tmp", std::process::id()));
    std::fs::write(&temp, text).with_context(|| format!("cannot write {}", path.display()))?;
    std::fs::rename(&temp, path).with_context(|| {
        let _ = std::fs::remove_file(&temp);
        format!("cannot update {}", path.display())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_words_and_drop_punctuation() {
        assert_eq!(
            slug("Use Postgres (v16) — now!", "x"),
            "use-postgres-v16-now"
        );
        assert_eq!(slug("???", "decision"), "decision");
    }
}
