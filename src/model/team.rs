//! Teams: the optional `teams.yaml` at the top of the content folder (id, name, chat
//! channel, escalation), read from its positioned tree so that each wrong value is a
//! `schema` finding at its line and column. When the file exists every service's `owner`
//! must name one of its teams; without it the teams are the distinct `owner` strings.

use std::collections::{BTreeSet, HashMap};

use super::fields::{Map, Sink};
use super::service::Service;
use crate::finding::{Finding, Rule, did_you_mean};
use crate::load::data::DataFile;
use crate::load::yaml::{Node, Value};

/// One team, with the page the site writes for it.
#[derive(Clone, Debug)]
pub struct Team {
    /// The id services name in `owner:` (the owner string itself without teams.yaml).
    pub id: String,
    /// `name:`, else the id.
    pub name: String,
    pub chat: Option<String>,
    pub escalation: Option<String>,
    /// Its page, relative to the site root: `teams/<slug>.html`.
    pub url: String,
}

/// The teams of a handbook and where they come from.
#[derive(Clone, Debug, Default)]
pub struct Teams {
    pub teams: Vec<Team>,
    /// The teams file, as findings name it, when the handbook has one.
    pub file: Option<String>,
}

impl Teams {
    /// The team a service's `owner` names, if any.
    pub fn of(&self, owner: Option<&str>) -> Option<usize> {
        let owner = owner?;
        self.teams.iter().position(|team| team.id == owner)
    }
}

const FILE_KEYS: &[&str] = &["teams"];
const TEAM_KEYS: &[&str] = &["id", "name", "chat", "escalation"];

/// The folder of the team pages in the site.
pub const TEAMS_DIR: &str = "teams";

/// Reads `teams.yaml` when there is one and checks every service's owner against it
/// (at the owner's value in `files`, the services' parsed files); without it, a team per
/// distinct owner string, in name order.
pub fn read_all(
    file: Option<&DataFile>,
    services: &[Service],
    files: &[DataFile],
    findings: &mut Vec<Finding>,
) -> Teams {
    let Some(file) = file else {
        let owners: BTreeSet<&str> = services
            .iter()
            .filter_map(|service| service.owner.as_deref())
            .collect();
        let mut urls = Urls::default();
        return Teams {
            teams: owners
                .into_iter()
                .map(|owner| Team {
                    id: owner.to_string(),
                    name: owner.to_string(),
                    chat: None,
                    escalation: None,
                    url: urls.next(owner),
                })
                .collect(),
            file: None,
        };
    };
    let teams = read_file(file, findings);
    check_owners(file, &teams, services, files, findings);
    Teams {
        teams,
        file: Some(file.file.clone()),
    }
}

fn read_file(file: &DataFile, findings: &mut Vec<Finding>) -> Vec<Team> {
    let mut sink = Sink {
        file: &file.file,
        findings,
    };
    let Some(map) = Map::read(&file.tree, "the teams file", FILE_KEYS, &mut sink) else {
        return Vec::new();
    };
    let mut teams: Vec<Team> = Vec::new();
    let mut urls = Urls::default();
    for node in map.list("teams") {
        let Some(team) = Map::read(node, "a team", TEAM_KEYS, &mut sink) else {
            continue;
        };
        let Some((id, at)) = team.text("id", "`id: team-payments`", &mut sink) else {
            sink.schema(
                team.at,
                "a team without an `id`",
                "give each team `id: NAME`, the name services write in `owner:`",
            );
            continue;
        };
        if teams.iter().any(|known| known.id == id) {
            sink.schema(
                at,
                format!("team id `{id}` is given twice; the second is left out"),
                "give each team its own `id`",
            );
            continue;
        }
        let text = |key: &str, example: &str, sink: &mut Sink<'_>| {
            team.text(key, example, sink).map(|(text, _)| text)
        };
        let name = text("name", "`name: Payments`", &mut sink);
        let chat = text("chat", "`chat: \"#payments\"`", &mut sink);
        let escalation = text(
            "escalation",
            "`escalation: \"page the payments on-call\"`",
            &mut sink,
        );
        teams.push(Team {
            name: name.unwrap_or_else(|| id.clone()),
            url: urls.next(&id),
            id,
            chat,
            escalation,
        });
    }
    if map.get("teams").is_none() {
        sink.schema(
            map.at,
            "the teams file has no `teams:` list",
            "write `teams:` with one `- id: NAME` entry per team (and optional `name`, `chat`, `escalation`)",
        );
    }
    teams
}

/// A `schema` finding on each service whose `owner` names no team of the teams file.
fn check_owners(
    teams_file: &DataFile,
    teams: &[Team],
    services: &[Service],
    files: &[DataFile],
    findings: &mut Vec<Finding>,
) {
    let trees: HashMap<&str, &Node> = files
        .iter()
        .map(|file| (file.file.as_str(), &file.tree))
        .collect();
    let ids: Vec<&str> = teams.iter().map(|team| team.id.as_str()).collect();
    for service in services {
        let Some(owner) = &service.owner else {
            continue;
        };
        if ids.contains(&owner.as_str()) {
            continue;
        }
        let at = trees
            .get(service.file.as_str())
            .and_then(|tree| tree.get("owner"))
            .filter(|node| !matches!(node.value, Value::Null))
            .map_or(service.at, |node| node.at);
        let help = match did_you_mean(owner, ids.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None if ids.is_empty() => format!(
                "add the team to {} or name one of its teams",
                teams_file.file
            ),
            None => format!(
                "name one of the teams in {}: {}",
                teams_file.file,
                super::fields::list(&ids)
            ),
        };
        findings.push(
            Finding::new(
                Rule::Schema,
                &service.file,
                format!(
                    "owner `{owner}` of service `{}` is not a team of {}",
                    service.id, teams_file.file
                ),
            )
            .at(at)
            .key(format!("owner:{}", service.id))
            .subject(service.id.0.clone())
            .related(&teams_file.file, None, "the teams file")
            .help(help),
        );
    }
}

/// Unique page urls for team ids: `teams/<slug>.html`, `-2`, `-3` … on a repeat.
#[derive(Default)]
struct Urls {
    taken: BTreeSet<String>,
}

impl Urls {
    fn next(&mut self, id: &str) -> String {
        let base = file_slug(id);
        let mut slug = base.clone();
        let mut count = 1;
        while self.taken.contains(&slug) {
            count += 1;
            slug = format!("{base}-{count}");
        }
        self.taken.insert(slug.clone());
        format!("{TEAMS_DIR}/{slug}.html")
    }
}

/// A file name from any text: ASCII letters and digits lowercased, every other run of
/// characters one `-`; `team` when nothing is left.
pub fn file_slug(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "team".to_string()
    } else {
        slug.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(file_slug("team-payments"), "team-payments");
        assert_eq!(file_slug("Team <b>Notify</b>"), "team-b-notify-b");
        assert_eq!(file_slug("../.."), "team");
        let mut urls = Urls::default();
        assert_eq!(urls.next("A b"), "teams/a-b.html");
        assert_eq!(urls.next("a-b"), "teams/a-b-2.html");
    }

    #[test]
    fn values_of_the_wrong_type_are_findings_in_place() {
        let tree = crate::load::yaml::parse(
            "teams:\n  - id: a\n    chat: [x]\n  - name: no id\n  - id: a\n",
            "content/teams.yaml",
        )
        .unwrap();
        let file = DataFile {
            file: "content/teams.yaml".into(),
            tree,
        };
        let mut findings = Vec::new();
        let teams = read_all(Some(&file), &[], &[], &mut findings);
        assert_eq!(teams.teams.len(), 1);
        let places: Vec<(u32, u32)> = findings
            .iter()
            .map(|f| (f.line.unwrap(), f.column.unwrap()))
            .collect();
        assert_eq!(places, [(3, 11), (4, 5), (5, 9)], "{findings:#?}");
    }
}
