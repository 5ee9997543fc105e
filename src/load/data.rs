//! The handbook's YAML data files: service checklists (`services/<name>.yaml`,
//! `services/<name>/service.yaml`, and `[shipshape] services` globs relative to the
//! handbook root) and standards (`standards/*.yaml`). Each is read once, parsed into a
//! positioned tree (`yaml::Node`) and its suppression directives kept. The repository
//! files that evidence and `file-exists` rules name are looked up here, through the
//! boundary, so that the model can judge them without touching the disk.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::yaml::{self, Node, Value};
use super::{
    Boundary, Directive, directives, display_path, lexical_normalize, relative_slash_path,
};
use crate::config::Config;
use crate::finding::{Finding, Rule};
use crate::secret::Scanner;

/// One data file, parsed.
#[derive(Clone, Debug)]
pub struct DataFile {
    /// The file as findings name it: from the handbook root, `/`-separated.
    pub file: String,
    pub tree: Node,
}

/// Which repository paths exist, of those the data files name.
#[derive(Clone, Debug, Default)]
pub struct Probes {
    /// Paths from the handbook root (evidence files).
    root: BTreeSet<String>,
    /// Paths from the git work tree, else the handbook root (`file-exists`).
    repo: BTreeSet<String>,
    /// Every path looked up, found or not: inputs of the build (`cache::inputs`).
    pub asked: Vec<PathBuf>,
}

impl Probes {
    /// Whether the file or folder at `path`, from the handbook root, exists inside the boundary.
    pub fn at_root(&self, path: &str) -> bool {
        self.root.contains(path)
    }

    /// Whether `path`, from the git work tree (else the handbook root), exists.
    pub fn in_repo(&self, path: &str) -> bool {
        self.repo.contains(path)
    }
}

/// What `read` found.
#[derive(Default)]
pub struct Data {
    pub services: Vec<DataFile>,
    pub standards: Vec<DataFile>,
    /// `teams.yaml` at the top of the content folder, when there is one.
    pub teams: Option<DataFile>,
    pub probes: Probes,
}

/// The teams file's names, at the top of the content folder.
const TEAMS_FILES: &[&str] = &["teams.yaml", "teams.yml"];

/// Whether a content-relative asset is a data file read here rather than copied into
/// the site: any `.yaml`/`.yml` under the services or standards folder, and `teams.yaml`.
pub fn is_data_file(config: &Config, rel: &str) -> bool {
    let yaml = rel.ends_with(".yaml") || rel.ends_with(".yml");
    TEAMS_FILES.contains(&rel)
        || yaml
            && [
                &config.shipshape.services_dir,
                &config.shipshape.standards_dir,
            ]
            .iter()
            .any(|dir| under(dir, rel).is_some())
}

/// `rel` below the content folder `dir`, when it is there.
fn under<'a>(dir: &str, rel: &'a str) -> Option<&'a str> {
    let dir = dir.trim_matches('/');
    if dir.is_empty() {
        return Some(rel);
    }
    rel.strip_prefix(dir)?.strip_prefix('/')
}

/// What the walk of the content folder found, as `read` needs it.
#[derive(Clone, Copy)]
pub struct Walked<'a> {
    /// The content folder on disk, and as findings name it.
    pub dir: &'a Path,
    pub prefix: &'a str,
    /// Its YAML data files and its markdown pages, content-relative.
    pub yaml: &'a [String],
    pub markdown: &'a [String],
}

/// Reads the data files among the content folder's `yaml_files` (content-relative), plus
/// the `[shipshape] services` globs. Problems become findings; only I/O errors fail.
pub fn read(
    config: &Config,
    boundary: &Boundary,
    scanner: &Scanner,
    walked: &Walked<'_>,
    directives: &mut BTreeMap<String, Vec<Directive>>,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<Data> {
    let Walked {
        dir: content_dir,
        prefix,
        yaml: yaml_files,
        markdown,
    } = *walked;
    let shipshape = &config.shipshape;
    let mut services = Vec::new();
    let mut standards = Vec::new();
    let mut teams = Vec::new();
    for rel in yaml_files {
        if TEAMS_FILES.contains(&rel.as_str()) {
            teams.push((display_path(prefix, rel), content_dir.join(rel)));
        } else if let Some(rest) = under(&shipshape.services_dir, rel)
            && is_service_name(rest)
        {
            services.push((display_path(prefix, rel), content_dir.join(rel)));
        } else if let Some(rest) = under(&shipshape.standards_dir, rel)
            && !rest.contains('/')
        {
            standards.push((display_path(prefix, rel), content_dir.join(rel)));
        }
    }
    services.extend(globbed(config, boundary, findings));
    services.sort();
    services.dedup_by(|a, b| a.0 == b.0);

    let mut data = Data::default();
    // `teams.yaml` wins over `teams.yml` when a handbook has both.
    teams.sort();
    teams.truncate(1);
    // Parsed in parallel: a monorepo may hold thousands of checklists.
    let standards_from = services.len();
    let teams_from = standards_from + standards.len();
    let read: Vec<ReadFile> = services
        .into_iter()
        .chain(standards)
        .chain(teams)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(file, path)| read_file(file, &path, scanner))
        .collect::<anyhow::Result<_>>()?;
    for (index, (parsed, problems, found)) in read.into_iter().enumerate() {
        findings.extend(problems);
        if let Some((file, found)) = found {
            directives.insert(file, found);
        }
        match parsed {
            Some(parsed) if index < standards_from => data.services.push(parsed),
            Some(parsed) if index < teams_from => data.standards.push(parsed),
            Some(parsed) => data.teams = Some(parsed),
            None => {}
        }
    }
    data.probes = probe(config, boundary, prefix, markdown, &data);
    Ok(data)
}

/// A data file as read: the tree (none when it could not be read or parsed), the
/// problems found, and its suppression directives by its name.
type ReadFile = (
    Option<DataFile>,
    Vec<Finding>,
    Option<(String, Vec<Directive>)>,
);

fn read_file(file: String, path: &Path, scanner: &Scanner) -> anyhow::Result<ReadFile> {
    let mut findings = Vec::new();
    let Some(mut text) = read_text(path, &file, &mut findings)? else {
        return Ok((None, findings, None));
    };
    // Redacted before it is parsed, so that no value the cards show holds a credential.
    scanner.scrub_file(&mut text, &file, &mut findings);
    let found = directives::parse(&text, directives::Syntax::Yaml);
    let found = (!found.is_empty()).then(|| (file.clone(), found));
    match yaml::parse(&text, &file) {
        Ok(tree) => Ok((Some(DataFile { file, tree }), findings, found)),
        Err(finding) => {
            findings.push(*finding);
            Ok((None, findings, found))
        }
    }
}

/// `payments.yaml` or `payments/service.yaml` below the services folder.
fn is_service_name(rest: &str) -> bool {
    match rest.split_once('/') {
        None => rest.ends_with(".yaml") || rest.ends_with(".yml"),
        Some((_, file)) => file == "service.yaml" || file == "service.yml",
    }
}

fn read_text(
    path: &Path,
    file: &str,
    findings: &mut Vec<Finding>,
) -> anyhow::Result<Option<String>> {
    let length = std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    if length > yaml::MAX_BYTES as u64 {
        // Not read at all: nothing in a file this size is a checklist.
        findings.push(yaml::too_large(file, length));
        return Ok(None);
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => anyhow::bail!("cannot read {}: {err}", path.display()),
    };
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(text)),
        Err(_) => {
            findings.push(
                Finding::new(Rule::Syntax, file, "the file is not valid UTF-8")
                    .help("save the file as UTF-8; it is skipped until then"),
            );
            Ok(None)
        }
    }
}

/// Where a glob's matches can be: the folder its literal parts name (from the handbook
/// root), and how deep below it (`usize::MAX` with `**`).
fn literal_start(pattern: &str) -> (String, usize) {
    let parts: Vec<&str> = pattern.split('/').collect();
    let literal = parts
        .iter()
        .take_while(|part| !part.contains(['*', '?', '[', '{']))
        .count()
        .min(parts.len().saturating_sub(1));
    let depth = if pattern.contains("**") {
        usize::MAX
    } else {
        parts.len() - literal
    };
    (parts[..literal].join("/"), depth)
}

/// The folders the `[shipshape] services` globs are walked from: a new or changed
/// checklist anywhere below one may change the site (`serve` watches them).
pub fn glob_starts(config: &Config) -> Vec<PathBuf> {
    config
        .shipshape
        .services
        .patterns()
        .iter()
        .map(|pattern| {
            config
                .root
                .join(literal_start(pattern.trim_start_matches("./")).0)
        })
        .collect()
}

/// The files the `[shipshape] services` globs match, as findings name them and where
/// they are. Each glob is walked from its literal start, no deeper than it reaches
/// (unless it has `**`), and only inside the boundary.
fn globbed(
    config: &Config,
    boundary: &Boundary,
    findings: &mut Vec<Finding>,
) -> Vec<(String, PathBuf)> {
    let globs = &config.shipshape.services;
    let mut found = Vec::new();
    for pattern in globs.patterns() {
        let pattern = pattern.trim_start_matches("./");
        let (base, depth) = literal_start(pattern);
        let start = config.root.join(&base);
        match boundary.resolve(&start) {
            Ok(Some(_)) => {}
            Ok(None) => continue,
            Err(_) => {
                findings.push(
                    Finding::new(
                        Rule::Schema,
                        crate::config::FILE_NAME,
                        format!(
                            "`services` glob `{pattern}` starts outside {}; it is not read",
                            boundary.describe()
                        ),
                    )
                    .help(super::boundary::escape_help()),
                );
                continue;
            }
        }
        let walker = WalkDir::new(&start)
            .max_depth(depth)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
            });
        for entry in walker.flatten() {
            if !entry.file_type().is_file() && !entry.path_is_symlink() {
                continue;
            }
            let inner =
                relative_slash_path(entry.path().strip_prefix(&start).unwrap_or(entry.path()));
            let shown = if base.is_empty() {
                inner
            } else {
                format!("{base}/{inner}")
            };
            let shown = relative_slash_path(&lexical_normalize(Path::new(&shown)));
            if globs.is_match(&shown) && matches!(boundary.resolve(entry.path()), Ok(Some(_))) {
                found.push((shown, entry.path().to_path_buf()));
            }
        }
    }
    found
}

/// A content-relative or `/`-rooted path from a data file, as a path from the handbook
/// root; `None` for URLs. The fragment is dropped.
pub fn from_root(prefix: &str, path: &str) -> Option<String> {
    if crate::model::link::is_external(path) {
        return None;
    }
    let path = path.split('#').next().unwrap_or(path);
    let joined = match path.strip_prefix('/') {
        Some(rooted) => rooted.to_string(),
        None => display_path(prefix, path),
    };
    Some(relative_slash_path(&lexical_normalize(Path::new(&joined))))
}

/// The texts of a mapping's key that is text or a list of texts.
fn texts(node: &Node) -> Vec<&str> {
    match &node.value {
        Value::Str(text) => vec![text.as_str()],
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| match &item.value {
                Value::Str(text) => Some(text.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Looks up every evidence path and `file-exists` path the data files name.
fn probe(
    config: &Config,
    boundary: &Boundary,
    prefix: &str,
    markdown: &[String],
    data: &Data,
) -> Probes {
    // Pages are judged by the model from the pages it has; only other files are looked up.
    let pages: std::collections::HashSet<String> = markdown
        .iter()
        .map(|rel| display_path(prefix, rel))
        .collect();
    let mut root_paths = BTreeSet::new();
    let mut ids = Vec::new();
    for service in &data.services {
        if let Some(id) = service.tree.get("service").and_then(Node::as_text) {
            ids.push(id);
        }
        let Some(Value::Map(checks)) = service.tree.get("checks").map(|node| &node.value) else {
            continue;
        };
        for (_, check) in checks {
            for evidence in check.get("evidence").map(texts).unwrap_or_default() {
                if let Some(path) = from_root(prefix, evidence)
                    && !path.is_empty()
                    && !pages.contains(&path)
                {
                    root_paths.insert(path);
                }
            }
        }
    }
    let mut repo_paths = BTreeSet::new();
    let builtin = crate::model::standard::builtin_tree();
    for standard in data
        .standards
        .iter()
        .map(|file| &file.tree)
        .chain([&builtin])
    {
        for template in file_exists_paths(standard) {
            for id in &ids {
                let path = template.replace("{service}", id);
                repo_paths.insert(path.trim_start_matches('/').to_string());
            }
        }
    }
    let exists = |path: &Path| matches!(boundary.resolve(path), Ok(Some(_)));
    let asked = root_paths
        .iter()
        .map(|path| config.root.join(path))
        .chain(repo_paths.iter().map(|path| boundary.home().join(path)))
        .collect();
    Probes {
        asked,
        root: root_paths
            .into_iter()
            .filter(|path| exists(&config.root.join(path)))
            .collect(),
        repo: repo_paths
            .into_iter()
            .filter(|path| {
                !path.split('/').any(|part| part == "..") && exists(&boundary.home().join(path))
            })
            .collect(),
    }
}

/// The `path` of every `verify: {rule: file-exists, path: …}` in a standard.
fn file_exists_paths(standard: &Node) -> Vec<&str> {
    let mut paths = Vec::new();
    let Some(Value::Seq(categories)) = standard.get("categories").map(|node| &node.value) else {
        return paths;
    };
    for category in categories {
        let Some(Value::Seq(items)) = category.get("items").map(|node| &node.value) else {
            continue;
        };
        for item in items {
            if let Some(verify) = item.get("verify")
                && let Some(Value::Str(path)) = verify.get("path").map(|node| &node.value)
            {
                paths.push(path.as_str());
            }
        }
    }
    paths
}
