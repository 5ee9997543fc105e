//! Inline suppressions: the findings that a directive in their own file switches off
//! are taken out of the run and kept with the directive's reason; directives that are
//! wrong or suppress nothing become `suppression` findings, which nothing suppresses.

use std::collections::{BTreeMap, HashMap};

use crate::finding::{Finding, Position, Rule, Suppressed, did_you_mean};
use crate::load::Directive;
use crate::load::directives::{Kind, Syntax};

/// The findings after suppression.
pub struct Applied {
    /// The findings no directive suppresses, in the order given.
    pub kept: Vec<Finding>,
    /// The ones a directive suppresses, in the order given.
    pub suppressed: Vec<Suppressed>,
    /// `suppression` findings: directives that are wrong or suppress nothing.
    pub problems: Vec<Finding>,
}

/// Which lines a directive covers for one rule.
#[derive(Clone, Copy, Debug)]
enum Lines {
    /// `shipshape-disable-next-line`: one line, if a line follows.
    Next(Option<u32>),
    /// `shipshape-disable`: from its line to its `shipshape-enable`'s, or to the end of
    /// the file (`None`), which also covers findings without a line.
    From { from: u32, to: Option<u32> },
}

/// One rule that one directive suppresses.
struct Scope<'a> {
    rule: Rule,
    lines: Lines,
    directive: &'a Directive,
    /// Where the rule is named in the directive.
    at: Position,
    used: bool,
}

impl Scope<'_> {
    fn covers(&self, line: Option<u32>) -> bool {
        match (self.lines, line) {
            (Lines::Next(target), Some(line)) => target == Some(line),
            (Lines::Next(_), None) => false,
            (Lines::From { from, to }, Some(line)) => {
                from <= line && to.is_none_or(|to| line <= to)
            }
            (Lines::From { to, .. }, None) => to.is_none(),
        }
    }
}

/// Takes out of `findings` those a directive of their file suppresses. `directives`
/// holds each file's directives by the file's path from the handbook root. A rule
/// whose directive suppresses nothing is reported only when `judged(rule, file)`: when
/// the run looked for that rule's findings in that file.
pub fn apply(
    findings: Vec<Finding>,
    directives: &BTreeMap<String, Vec<Directive>>,
    judged: impl Fn(Rule, &str) -> bool,
) -> Applied {
    let mut problems = Vec::new();
    let mut scopes: HashMap<&str, Vec<Scope<'_>>> = directives
        .iter()
        .map(|(file, list)| (file.as_str(), scopes(file, list, &mut problems)))
        .collect();
    let mut kept = Vec::with_capacity(findings.len());
    let mut suppressed = Vec::new();
    for finding in findings {
        let Some(file_scopes) = scopes.get_mut(finding.file.as_str()) else {
            kept.push(finding);
            continue;
        };
        // Every directive that covers the finding is used, so none of them is reported
        // as suppressing nothing; the first one's reason is the finding's.
        let mut reason = None;
        for scope in file_scopes
            .iter_mut()
            .filter(|scope| scope.rule == finding.rule && scope.covers(finding.line))
        {
            scope.used = true;
            reason.get_or_insert(scope.directive.reason.clone());
        }
        match reason {
            Some(reason) => suppressed.push(Suppressed { finding, reason }),
            None => kept.push(finding),
        }
    }
    for (file, file_scopes) in &scopes {
        for scope in file_scopes {
            if !scope.used && judged(scope.rule, file) {
                problems.push(unused(file, scope));
            }
        }
    }
    Applied {
        kept,
        suppressed,
        problems,
    }
}

/// The rules each directive of `file` suppresses and where; what is wrong with the
/// directives themselves goes to `problems`.
fn scopes<'a>(
    file: &str,
    directives: &'a [Directive],
    problems: &mut Vec<Finding>,
) -> Vec<Scope<'a>> {
    let mut scopes: Vec<Scope<'a>> = Vec::new();
    // The `shipshape-disable` still open for each rule: its index in `scopes`.
    let mut open: HashMap<Rule, usize> = HashMap::new();
    for directive in directives {
        let word = match &directive.kind {
            Kind::NextLine => "shipshape-disable-next-line",
            Kind::Disable => "shipshape-disable",
            Kind::Enable => "shipshape-enable",
            Kind::Unknown(word) => {
                let word = &shown(word);
                let help = match did_you_mean(word, WORDS.iter().copied()) {
                    Some(near) => format!(
                        "did you mean `{near}`? The directives are {}",
                        WORDS.join(", ")
                    ),
                    None => format!("the directives are {}", WORDS.join(", ")),
                };
                problems.push(problem(
                    file,
                    directive.at,
                    format!("`{word}` is not a suppression directive"),
                    help,
                    format!("word {word}"),
                ));
                continue;
            }
        };
        if directive.rules.is_empty() {
            problems.push(problem(
                file,
                directive.at,
                format!("`{word}` names no rule"),
                format!(
                    "name the rules it is about: {}; a suppression never covers every rule, so that new rules still report",
                    written(directive.syntax, &format!("{word} link, orphan -- why"))
                ),
                format!("no rule {word}"),
            ));
            continue;
        }
        if directive.kind != Kind::Enable && directive.reason.is_none() {
            let rules: Vec<String> = directive
                .rules
                .iter()
                .map(|(name, _)| shown(name))
                .collect();
            let rules = rules.join(", ");
            problems.push(problem(
                file,
                directive.at,
                format!("`{word} {rules}` gives no reason"),
                format!(
                    "say why after ` -- `: {}, so that the next reader can tell whether it still holds",
                    written(directive.syntax, &format!("{word} {rules} -- REASON"))
                ),
                format!("reason {word} {rules}"),
            ));
        }
        for (name, at) in &directive.rules {
            let Some(rule) = rule(file, word, name, *at, problems) else {
                continue;
            };
            match directive.kind {
                Kind::NextLine => scopes.push(Scope {
                    rule,
                    lines: Lines::Next(directive.target),
                    directive,
                    at: *at,
                    used: false,
                }),
                Kind::Disable => {
                    if let Some(&index) = open.get(&rule) {
                        let since = scopes[index].directive.at.line;
                        problems.push(problem(
                            file,
                            *at,
                            format!("`{name}` is already disabled since line {since}"),
                            format!("remove one of the two `shipshape-disable {name}`"),
                            format!("twice {name}"),
                        ));
                        continue;
                    }
                    open.insert(rule, scopes.len());
                    scopes.push(Scope {
                        rule,
                        lines: Lines::From {
                            from: directive.at.line,
                            to: None,
                        },
                        directive,
                        at: *at,
                        used: false,
                    });
                }
                Kind::Enable => match open.remove(&rule) {
                    Some(index) => {
                        if let Lines::From { to, .. } = &mut scopes[index].lines {
                            *to = Some(at.line);
                        }
                    }
                    None => problems.push(problem(
                        file,
                        *at,
                        format!("`shipshape-enable {name}` closes no `shipshape-disable {name}`"),
                        format!("remove it, or add the `shipshape-disable {name}` it should close above it"),
                        format!("enable {name}"),
                    )),
                },
                Kind::Unknown(_) => {}
            }
        }
    }
    scopes
}

/// The directive words, for "did you mean".
const WORDS: &[&str] = &[
    "shipshape-disable-next-line",
    "shipshape-disable",
    "shipshape-enable",
];

/// The rule `name` in a directive, or a problem when it is none or cannot be suppressed.
fn rule(
    file: &str,
    word: &str,
    name: &str,
    at: Position,
    problems: &mut Vec<Finding>,
) -> Option<Rule> {
    match Rule::from_id(name) {
        Some(Rule::Suppression) => {
            problems.push(problem(
                file,
                at,
                "`suppression` findings cannot be suppressed",
                "fix what the finding says is wrong with the directive, or set `suppression = \"off\"` in [policy.severity]",
                "suppression",
            ));
            None
        }
        Some(rule) => Some(rule),
        None => {
            let name = &shown(name);
            let help = match did_you_mean(name, Rule::ALL.iter().map(|rule| rule.id())) {
                Some(near) => format!("did you mean `{near}`? `shipshape explain` lists the rules"),
                None => "`shipshape explain` lists the rules".to_string(),
            };
            problems.push(problem(
                file,
                at,
                format!("`{name}` in `{word}` is no rule"),
                help,
                format!("unknown {name}"),
            ));
            None
        }
    }
}

/// A directive's rule that suppressed nothing.
fn unused(file: &str, scope: &Scope<'_>) -> Finding {
    let id = scope.rule.id();
    let (word, where_, help) = match scope.lines {
        Lines::Next(Some(line)) => (
            "shipshape-disable-next-line",
            format!("line {line} has no `{id}` finding"),
            "remove it, or move it to the line above the finding".to_string(),
        ),
        Lines::Next(None) => (
            "shipshape-disable-next-line",
            "no line follows it".to_string(),
            "remove it".to_string(),
        ),
        Lines::From { from, to: Some(to) } => (
            "shipshape-disable",
            format!("no `{id}` finding between lines {from} and {to}"),
            format!("remove it and its `shipshape-enable {id}`"),
        ),
        Lines::From { to: None, .. } => (
            "shipshape-disable",
            format!("no `{id}` finding in the rest of the file"),
            "remove it".to_string(),
        ),
    };
    problem(
        file,
        scope.at,
        format!("`{word} {id}` suppresses nothing: {where_}"),
        format!("{help}; a suppression left behind would hide the next problem here"),
        format!("unused {word} {id}"),
    )
}

fn problem(
    file: &str,
    at: Position,
    message: impl Into<String>,
    help: impl Into<String>,
    key: impl Into<String>,
) -> Finding {
    Finding::new(Rule::Suppression, file, message)
        .at(at)
        .help(help)
        .key(key)
}

/// Text from a directive as a message shows it: control characters escaped, and cut
/// short, since it may be anything the file holds.
fn shown(text: &str) -> String {
    const MAX: usize = 40;
    let escaped: String = text.escape_debug().collect();
    match escaped.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &escaped[..end]),
        None => escaped,
    }
}

/// A directive's text as written in a file of `syntax`.
fn written(syntax: Syntax, directive: &str) -> String {
    match syntax {
        Syntax::Markdown => format!("`<!-- {directive} -->`"),
        Syntax::Yaml => format!("`# {directive}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::directives::parse;

    const FILE: &str = "content/services/payments.yaml";

    fn at(rule: Rule, line: Option<u32>) -> Finding {
        let finding = Finding::new(rule, FILE, format!("{} at {line:?}", rule.id()));
        match line {
            Some(line) => finding.at(Position { line, column: 1 }),
            None => finding,
        }
    }

    /// Applies the directives of the YAML `text` to `findings`, every rule judged.
    fn run(text: &str, findings: Vec<Finding>) -> Applied {
        let directives = BTreeMap::from([(FILE.to_string(), parse(text, Syntax::Yaml))]);
        apply(findings, &directives, |_, _| true)
    }

    fn lines(findings: &[Finding]) -> Vec<(Rule, Option<u32>)> {
        findings.iter().map(|f| (f.rule, f.line)).collect()
    }

    fn problems(applied: &Applied) -> Vec<(u32, String)> {
        applied
            .problems
            .iter()
            .map(|f| (f.line.unwrap(), f.message.clone()))
            .collect()
    }

    #[test]
    fn yaml_next_line_suppresses_only_its_rule_on_its_line() {
        let text = "service: payments\n# shipshape-disable-next-line evidence -- the ADR lands next week\nchecks: {}\nother: 1\n";
        let applied = run(
            text,
            vec![
                at(Rule::Evidence, Some(3)),
                at(Rule::Link, Some(3)),
                at(Rule::Evidence, Some(4)),
            ],
        );
        assert_eq!(
            lines(&applied.kept),
            vec![(Rule::Link, Some(3)), (Rule::Evidence, Some(4))]
        );
        assert_eq!(applied.suppressed.len(), 1);
        assert_eq!(applied.suppressed[0].finding.line, Some(3));
        assert_eq!(
            applied.suppressed[0].reason.as_deref(),
            Some("the ADR lands next week")
        );
        assert!(applied.problems.is_empty(), "{:?}", applied.problems);
    }

    #[test]
    fn a_closed_disable_covers_its_lines_and_not_findings_without_one() {
        let text = "a: 1\n# shipshape-disable readiness -- tier review in March\nb: 2\nc: 3\n# shipshape-enable readiness\nd: 4\n";
        let applied = run(
            text,
            vec![
                at(Rule::Readiness, Some(1)),
                at(Rule::Readiness, Some(3)),
                at(Rule::Readiness, Some(4)),
                at(Rule::Readiness, Some(6)),
                at(Rule::Readiness, None),
            ],
        );
        assert_eq!(
            lines(&applied.kept),
            vec![
                (Rule::Readiness, Some(1)),
                (Rule::Readiness, Some(6)),
                (Rule::Readiness, None)
            ]
        );
        assert_eq!(applied.suppressed.len(), 2);
    }

    #[test]
    fn a_disable_never_closed_runs_to_the_end_and_covers_findings_without_a_line() {
        let text = "a: 1\nb: 2\n# shipshape-disable stale -- the service is being retired\nc: 3\n";
        let applied = run(
            text,
            vec![
                at(Rule::Stale, Some(2)),
                at(Rule::Stale, Some(4)),
                at(Rule::Stale, None),
            ],
        );
        assert_eq!(lines(&applied.kept), vec![(Rule::Stale, Some(2))]);
        assert_eq!(applied.suppressed.len(), 2);
    }

    #[test]
    fn directives_that_are_wrong_or_suppress_nothing_are_problems() {
        let text = "\
# shipshape-disable-next-line evidence
a: 1
# shipshape-disable-next-line evidnce, readiness -- x
b: 2
# shipshape-enable link
# shipshape-disable stale -- one
# shipshape-disable stale -- two
# shipshape-disable-next-line suppression -- no
# shipshape-disabel link -- typo
# shipshape-disable -- nothing named
c: 3
";
        let applied = run(text, vec![at(Rule::Evidence, Some(2))]);
        assert_eq!(applied.suppressed.len(), 1);
        assert_eq!(
            problems(&applied),
            vec![
                (1, "`shipshape-disable-next-line evidence` gives no reason".to_string()),
                (3, "`evidnce` in `shipshape-disable-next-line` is no rule".to_string()),
                (5, "`shipshape-enable link` closes no `shipshape-disable link`".to_string()),
                (7, "`stale` is already disabled since line 6".to_string()),
                (8, "`suppression` findings cannot be suppressed".to_string()),
                (9, "`shipshape-disabel` is not a suppression directive".to_string()),
                (10, "`shipshape-disable` names no rule".to_string()),
                (3, "`shipshape-disable-next-line readiness` suppresses nothing: line 4 has no `readiness` finding".to_string()),
                (6, "`shipshape-disable stale` suppresses nothing: no `stale` finding in the rest of the file".to_string()),
            ]
        );
        let help = |line: u32| {
            applied
                .problems
                .iter()
                .find(|f| f.line == Some(line))
                .and_then(|f| f.help.clone())
                .unwrap()
        };
        assert!(
            help(3).starts_with("did you mean `evidence`?"),
            "{}",
            help(3)
        );
        assert!(
            help(9).starts_with("did you mean `shipshape-disable`?"),
            "{}",
            help(9)
        );
        // The help shows the form the file writes: a YAML comment.
        assert!(
            help(1).contains("`# shipshape-disable-next-line evidence -- REASON`"),
            "{}",
            help(1)
        );
        assert!(applied.problems.iter().all(|f| f.rule == Rule::Suppression));
    }

    #[test]
    fn unused_is_judged_only_for_rules_the_run_looked_for() {
        let text = "# shipshape-disable-next-line orphan, link -- x\na: 1\n";
        let directives = BTreeMap::from([(FILE.to_string(), parse(text, Syntax::Yaml))]);
        let applied = apply(Vec::new(), &directives, |rule, file| {
            assert_eq!(file, FILE);
            rule == Rule::Link
        });
        assert_eq!(
            problems(&applied),
            vec![(1, "`shipshape-disable-next-line link` suppresses nothing: line 2 has no `link` finding".to_string())]
        );
    }

    #[test]
    fn findings_of_other_files_are_untouched() {
        let text = "# shipshape-disable link -- x\n";
        let other =
            Finding::new(Rule::Link, "content/other.md", "m").at(Position { line: 3, column: 1 });
        let applied = run(text, vec![other.clone()]);
        assert_eq!(applied.kept, vec![other]);
    }
}
