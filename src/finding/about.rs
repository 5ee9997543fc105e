//! The rules reference: one `About` per rule that exists. `shipshape explain` prints
//! these; the pages in content/guide/rules/ carry the same text.
//!
//! The strings start at the left margin on purpose: their line breaks are what the
//! terminal shows.

use super::About;

pub const SYNTAX: About = About {
    summary: "a file shipshape must read does not parse",
    finds: "\
A file that shipshape cannot read as the format it must be in:

- `book.toml` that is not valid TOML. The command stops (exit 2) and nothing is
  built or checked.
- YAML front matter on a page that does not parse, or a `---` block that is opened
  but never closed.
- SUMMARY.md lines outside mdBook's format: a list item without a link, text that
  is not a link, a heading other than `#`. A second link in one entry is a warning:
  it is ignored.
- A page that is not valid UTF-8. The page is skipped.",
    why: "\
What does not parse cannot be checked or rendered as written: a page loses its
front matter (title, owner, review date), a broken SUMMARY.md entry drops a page
from the navigation, and every later rule sees less than the author wrote.",
    fix: "\
Go to the line and column of the finding; the message says what the parser
expected. In YAML, check indentation, quotes around values holding `:` or `#`,
and closing brackets. In SUMMARY.md, write each entry as `- [Title](page.md)`,
or `- [Title]()` for a draft. Save files as UTF-8.",
    configure: "\
Change its level or switch it off in book.toml:

[policy.severity]
syntax = \"warning\"   # or \"off\"

A `book.toml` that does not parse always stops the command, whatever the policy
says: the policy is in that file.",
    example: "\
error[syntax]: front matter: unclosed bracket '['
 --> content/guide/intro.md:3:9
  |
3 | owners: [a
  |         ^
  |
  = help: fix the YAML at this position: check indentation, quotes and the `key: value` form",
};

pub const SCHEMA: About = About {
    summary: "a key, value or path that parses but is not what shipshape accepts",
    finds: "\
Files that parse but say something shipshape does not accept:

- In book.toml, an unknown key in `[shipshape]` or a `[policy*]` table (or a table
  whose name is a near miss of them, such as `[polcy]`), with \"did you mean\". This
  stops the command (exit 2).
- A key with the wrong type or value, in book.toml or in front matter; front matter
  that is not a mapping of keys to values.
- A page, asset or redirect at a path shipshape writes itself (such as
  `health.html`), or two pages that would be written to one address. The one that
  loses is skipped.
- Warnings: a front matter key that is a near miss of one shipshape reads
  (`titel`); an unknown key in mdBook's tables (`[book]`, `[build]`) or an unknown
  table; an `[output.X]` renderer other than html, or a `theme/` folder of mdBook
  templates, which shipshape does not use; a preprocessor left out (`optional`, or
  `--no-preprocessors`).",
    why: "\
A misspelt key is silently ignored by most tools, so the setting you meant never
takes effect: a misspelt `[policy.severity]` key would switch a check off without
anyone noticing. A page at a reserved path would replace a page shipshape writes.
The warnings say where the site will differ from what you, or mdBook, expect.",
    fix: "\
Take the \"did you mean\" when there is one, or see the book.toml section of the
README for the keys and values shipshape accepts. Move a page away from a reserved
path. For a renderer or preprocessor warning, decide whether the site needs it; a
CI job that runs `--no-preprocessors` on purpose can accept that warning.",
    configure: "\
Change its level or switch it off in book.toml:

[policy.severity]
schema = \"warning\"   # or \"off\"

Unknown keys in `[shipshape]` and `[policy*]` always stop the command: the policy
itself could be the misspelt table.",
    example: "\
error[schema]: unknown key in [shipshape]: `base-urll`
 --> book.toml:6:1
  |
6 | base-urll = \"/\"
  | ^
  |
  = help: did you mean `base-url`?",
};

pub const INCLUDE: About = About {
    summary: "an include directive that cannot be expanded",
    finds: "\
An include directive (mdBook's `#include`, `#rustdoc_include` or `#playground`,
written in double braces) that cannot be expanded:

- the file does not exist, or the anchor or line range it names is not in it;
- files that include each other, nesting without end;
- a path that leads outside the repository (the git work tree that holds the
  handbook, plus `read-outside`), followed through symbolic links too. The file is
  not read.

Inside a code sample the same problems are warnings, and the directive stays in
the page as written, as mdBook leaves it. An `ANCHOR:` line that is never closed
is a warning; the part runs to the end of the file.",
    why: "\
The page would be published without the text it promises: a runbook missing the
commands it includes, or a snippet quietly replaced by nothing. Reading outside
the repository is refused because handbooks are built from pull requests, and an
include must not publish files from the machine that builds them.",
    fix: "\
The path is relative to the file that holds the directive (or, starting with `/`,
to the handbook root); the help line names the file it looked for. Create the
file, fix the path, or add the `ANCHOR: name` and `ANCHOR_END: name` lines. To
share files from outside the repository on purpose, list their folder in
`read-outside`.",
    configure: "\
Change its level or switch it off in book.toml:

[policy.severity]
include = \"warning\"   # or \"off\"

[shipshape]
read-outside = [\"../shared-snippets\"]   # folders outside the repository that may be read

To accept one include's finding, say why on the line above it (see `shipshape
explain suppression`):

<!-- shipshape-disable-next-line include -- the snippet is generated in CI -->",
    example: "\
error[include]: cannot include `../snippets/retry.rs`: no such file
 --> content/guide/intro.md:9:1
  |
9 | {{#include ../snippets/retry.rs}}
  | ^
  |
  = help: the path is relative to this file's folder (or, starting with `/`, to the handbook root); it names content/snippets/retry.rs",
};

pub const LINK: About = About {
    summary: "a link, image, anchor or SUMMARY.md entry that leads nowhere",
    finds: "\
Links inside the site that lead nowhere:

- a link or image in any page to a file that does not exist, or a `#anchor` that
  no heading on the target page has (with \"did you mean\", in the link's own form);
- a SUMMARY.md entry for a page that does not exist;
- a symbolic link in the content folder that leads outside the repository (it is
  not followed);
- a site with no home page (no `index.md` or `README.md`, and no first chapter);
- an `additional-css` or `additional-js` file that is missing or outside.

Warnings: a relative link that leaves the content folder (it is left as written),
a link to a draft page (drafts are left out of the site), and a redirect whose
target is no page of the site. External links are not fetched.",
    why: "\
A broken link is the first thing a reader meets when following the handbook in an
incident, and the last thing anyone notices when moving a page. A link that
leaves the content folder works only where the site is published beside its
target.",
    fix: "\
Fix the path (it is relative to the page's folder, or to the content folder when
it starts with `/`) or create the missing page; take the \"did you mean\" when
there is one. Anchors are the heading text in lowercase, punctuation dropped and
spaces as `-`, or set one with `## Heading {#id}`. Publish a linked draft or drop
the link. For a link that leaves the content folder on purpose, allow its folder.",
    configure: "\
Change its level or switch it off in book.toml:

[policy.severity]
link = \"warning\"   # or \"off\"

[policy.link]
allow-outside = [\"../std\"]   # folders, from the top of the content folder, that
                             # relative links may leave it for

To accept one link's finding, say why on the line above it (see `shipshape
explain suppression`):

<!-- shipshape-disable-next-line link -- the API reference is generated at deploy -->",
    example: "\
error[link]: no heading with anchor `#getting-startd` on `guide/intro.md`
 --> content/index.md:3:10
  |
3 | Read the [intro](guide/intro.md#getting-startd) first.
  |          ^
  |
  = help: did you mean `guide/intro.md#getting-started`? Anchors are the heading text in lowercase, with spaces as `-`",
};

pub const SECRET: About = About {
    summary: "something in a page or a data file looks like a credential",
    finds: "\
Text that looks like a credential, anywhere in a page (front matter, code blocks
and included files too), in SUMMARY.md or in a YAML data file (service
checklists, standards, `teams.yaml`):

- tokens of a known format: AWS access key ids (and a secret access key next to
  one), GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), GitLab
  (`glpat-`), Slack (`xoxb-` and its kin, webhook URLs) and Stripe live keys;
- private keys (a `BEGIN … PRIVATE KEY` block with a body) and JSON Web Tokens;
- a password in a URL (`scheme://user:password@host`);
- a value given to a key such as `password`, `secret`, `token`, `api_key` or
  `Authorization` (with `=` or `:`) when it looks random: long enough, of several
  kinds of characters, of high entropy.

Placeholders are not credentials: `<your-token>`, `$TOKEN`, `${TOKEN}`, `{{ … }}`,
`xxxx`, `changeme`, values with `example` or `...` in them, words and
identifiers, UUIDs, and hex digests of 40 or 64 digits. The finding names the
kind and shows the value redacted (`ghp_…REDACTED`).",
    why: "\
A credential in a handbook is published twice: in the repository, whose every
clone keeps it in its history, and on the site, where anyone who can read the
handbook can use it. Runbooks are where people paste the command that worked
during an incident, token included. shipshape never repeats it: the site, the
build cache and every report hold only the redacted text, in which each
character of the credential is an `x`.",
    fix: "\
Revoke the credential first: it is in the repository's history, whatever the next
commit does. Then replace it with a placeholder such as `<your-token>` or
`$DEPLOY_TOKEN`, and say where the real value lives (its path in the secret
store). A value that only looks like a credential, such as an example from a
vendor's documentation, goes in the allow-list.",
    configure: "\
Documented example values, matched exactly, are neither reported nor redacted:

[policy.secret]
allow = [\"the value, as the page writes it\"]

To accept one finding, say why on the line above it (the value stays redacted).
In a code block a comment is code, so put `shipshape-disable secret -- why`
before the block and `shipshape-enable secret` after it:

<!-- shipshape-disable-next-line secret -- a revoked key, kept to show the format -->

Change its level, or stop scanning:

[policy.severity]
secret = \"warning\"   # or \"off\": no findings, the text still redacted

[policy]
secrets = false      # no scanning and no redaction",
    example: "\
error[secret]: this looks like a GitHub token: `ghp_…REDACTED`
  --> content/runbooks/deploy.md:12:21
   |
12 | export GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxREDACTED
   |                     ^
   |
   = help: remove it from the file and revoke it: it is in the repository's history. Keep credentials in a secret store and write a placeholder (`<your-token>`, `$TOKEN`); a documented example value goes in `[policy.secret] allow` in book.toml. The site and every report show it redacted",
};

pub const ORPHAN: About = About {
    summary: "a page that no navigation reaches",
    finds: "\
A markdown page that SUMMARY.md does not list, so no navigation reaches it. The
page is still rendered. Not orphans: `404.md` (the not-found page) and files only
ever pulled into other pages by an include. Without SUMMARY.md the navigation
follows the folders and reaches every page.",
    why: "\
Readers find such a page only through search or a link, so it goes unread and
unreviewed, and often out of date: usually it was forgotten when SUMMARY.md was
edited, or it should have been deleted.",
    fix: "\
List the page in SUMMARY.md where readers would look for it, or delete it if it
is no longer needed.",
    configure: "\
It is a warning by default, which fails a run only with `--strict`. Make it an
error or switch it off in book.toml:

[policy.severity]
orphan = \"error\"   # or \"off\"

To keep one page out of the navigation on purpose, say so anywhere in it, with
no `shipshape-enable` after it (see `shipshape explain suppression`):

<!-- shipshape-disable orphan -- reached from the runbooks only -->",
    example: "\
warning[orphan]: no navigation reaches this page: readers can only find it through search or links
--> content/guide/old.md
 = help: list it in content/SUMMARY.md, or delete it if it is no longer needed",
};

pub const ALT_TEXT: About = About {
    summary: "an image in a page without alt text",
    finds: "\
An image in a markdown page that has no text alternative, as markdownlint's
MD045 finds them:

- A markdown image with nothing between its brackets: `![](flow.png)`, or only
  spaces, `![ ](flow.png)`. Reference images (`![][flow]`) too.
- A raw HTML `<img>` tag without an `alt` attribute. An explicit `alt=\"\"` marks
  a decorative image and is fine.

Images that an include pulls into a page are reported at the include line.",
    why: "\
A screen reader announces an image without alt text as nothing, or reads out
its file name; a reader on a slow connection, or with images off, sees an empty
box. For a diagram of how a failover works, that reader loses the point of the
page. Alt text is also what search and the print page have of the image.",
    fix: "\
Say what the image shows, in the words a colleague would use on a call: between
the brackets of a markdown image, or in the `alt` attribute of an `<img>`:

![Requests flow from the gateway through the queue to the workers](flow.png)
<img src=\"flow.png\" alt=\"Requests flow from the gateway to the workers\">

For an image that is only decoration (a divider, a logo beside the name it
shows), write it as HTML with an empty `alt=\"\"`, which tells screen readers
to skip it.",
    configure: "\
It is a warning by default, which fails a run only with `--strict`. Make it an
error or switch it off in book.toml:

[policy.severity]
alt-text = \"error\"   # or \"off\"

To accept one image as it is, say why on the line above it (see `shipshape
explain suppression`):

<!-- shipshape-disable-next-line alt-text -- the caption below says it all -->",
    example: "\
warning[alt-text]: image `flow.png` has no alt text: a screen reader, or a reader whose images do not load, gets nothing in its place
 --> content/guide/failover.md:12:1
   |
12 | ![](flow.png)
   | ^
   |
   = help: say what the image shows between the brackets: `![what it shows](flow.png)`; an image that is only decoration can be written `<img src=\"flow.png\" alt=\"\">`",
};

pub const SUPPRESSION: About = About {
    summary: "an inline suppression without a reason, one that suppresses nothing, or a wrong one",
    finds: "\
Problems with the comments that suppress findings:

- A `shipshape-disable-next-line` or `shipshape-disable` without a reason after
  ` -- `.
- One that suppresses nothing: no finding of its rule on the line it applies to,
  or between it and its `shipshape-enable`. It is judged only for rules the run
  checked: not for a rule that `--rule` or `--skip-rule` left out, nor for one that
  the policy switches off for that file.
- A rule id that is no rule (with \"did you mean\"), a directive that names no
  rule, a word after `shipshape-` that is no directive, a `shipshape-enable` with
  no `shipshape-disable` to close, and a rule disabled twice.
- A directive that names `suppression` itself: these findings cannot be
  suppressed.",
    why: "\
A suppression hides a finding from everyone who runs the check after you. Without
a reason nobody can tell whether it still holds; one that suppresses nothing
(the link was fixed, the line moved) would silently hide the next real problem
at that place; a misspelt rule id suppresses nothing at all.",
    fix: "\
Say why after ` -- `. Remove a suppression that suppresses nothing, or move it
to the line above the finding. Take the \"did you mean\" for a misspelt rule. In
markdown, on the line above the finding or around a stretch of the page:

<!-- shipshape-disable-next-line link -- the page is generated at deploy -->
<!-- shipshape-disable link, orphan -- imported from the old wiki -->
...
<!-- shipshape-enable link, orphan -->

In front matter and YAML files, the same words in a `#` comment on a line of its
own:

# shipshape-disable-next-line schema -- read by our theme

A `shipshape-disable` with no `shipshape-enable` runs to the end of the file; only
such a one also suppresses findings that have no line, such as `orphan`. A
directive in a code block or a code span is text, not a directive.",
    configure: "\
Change its level or switch it off in book.toml; suppressions keep working either
way:

[policy.severity]
suppression = \"error\"   # or \"off\"

Suppressed findings do not fail the run; reports count them (`3 suppressed` in
the summary line, `summary.suppressed` in JSON).",
    example: "\
warning[suppression]: `lnk` in `shipshape-disable-next-line` is no rule
 --> content/guide/intro.md:7:34
  |
7 | <!-- shipshape-disable-next-line lnk -- moved next week -->
  |                                  ^
  |
  = help: did you mean `link`? `shipshape explain` lists the rules",
};

pub const SECTION_MISSING: About = About {
    summary: "a page lacks a section it must have, or leaves it empty",
    finds: "\
A required section that a page does not have, or has only as an empty heading:

- ADRs: Context, Decision and Consequences for shipshape's and adr-tools' format;
  Context and Problem Statement, Considered Options and Decision Outcome for MADR.
  `[policy.adr] required-sections` replaces both lists.
- Runbooks: Symptoms, Impact, Diagnosis, Mitigation and Escalation, or the list in
  `[policy.runbook] required-sections`.
- Any page under a `[policy.pages.\"GLOB\"]` that sets `required-sections`.

A heading of level 2 or deeper matches when its text is the section's name, in
any case. `A|B` takes either name and `Name*` any heading that starts with Name.
A section runs to the next heading of the same or a higher level, so one holding
only subsections has content; whitespace and HTML comments are no content. The
order of sections is not checked.",
    why: "\
The sections are the questions a reader comes with: what was decided and why, or
what to do when the alert fires at night. A runbook without a Mitigation section
fails the person on call exactly when it is needed, and an ADR without its
Context cannot be judged when someone wants to reverse it.",
    fix: "\
Add the heading the help names, as `## Name`, and write at least one line under
it. A missing section is reported on the page's title line; an empty one on its
heading.",
    configure: "\
Set the lists in book.toml, or change the rule's level:

[policy.runbook]
required-sections = [\"Symptoms\", \"Impact\", \"Diagnosis\", \"Mitigation|Remediation\", \"Escalation\"]

[policy.adr]
required-sections = [\"Context\", \"Decision\", \"Consequences*\"]

[policy.pages.\"guide/**\"]
required-sections = [\"Owner\"]

[policy.severity]
section-missing = \"warning\"   # or \"off\"

To accept one page without a section, say why above its title (see `shipshape
explain suppression`):

<!-- shipshape-disable-next-line section-missing -- a stub until the service ships -->",
    example: "\
error[section-missing]: no `Mitigation` section: every runbook needs it (`[policy.runbook] required-sections`)
 --> content/runbooks/payments-latency.md:8:1
  |
8 | # Payments API p99 latency high
  | ^
  |
  = help: add a heading `## Mitigation` with at least one line under it (any level from `##` down counts)",
};

pub const STALE: About = About {
    summary: "a page's review is overdue, due soon, or has no date",
    finds: "\
Pages that must be reviewed on a schedule and are behind it:

- Runbooks: `last_reviewed` plus `review_every` (else `[policy.runbook] max-age`,
  90 days) is in the past. An error.
- Pages under a `[policy.pages.\"GLOB\"]` with `max-age`: the same, with that age.
- Service checklists: `last_reviewed` plus `[policy.service] max-age` (180 days).
- Any of them within `[policy] warn-before` (14 days) of its due date: an advisory
  warning, which stays a warning whatever the rule's level.
- Any of them without a `last_reviewed` date. A date that is not a date, such as
  `2026-13-40`, is a `schema` finding instead.
- With `[policy] git = true`: a runbook or page without `last_reviewed` is dated
  by its file's last commit instead, and a service checklist is stale when its
  `code` globs have commits after the end of its review day (UTC); the finding
  gives their count and the newest one's id, date and subject. In a shallow clone
  or outside a repository, one advisory warning on book.toml says what could not
  be computed, and nothing is guessed.

ADRs never go stale: they record a decision as it was made.",
    why: "\
Systems change under their documents. A runbook that names a dashboard that was
renamed or a command that was replaced costs minutes in an incident, and a
review date is the only way to tell a checked page from an abandoned one.",
    fix: "\
Read the page against how things work today: run its commands, follow its links,
ask its owner. Then set `last_reviewed` to today's date in its front matter. A
page reviewed less often can say so with `review_every: 180d`.",
    configure: "\
Set the ages in book.toml, or change the rule's level:

[policy.runbook]
max-age = \"90d\"

[policy.pages.\"guide/**\"]
max-age = \"365d\"

[policy]
warn-before = \"14d\"

[policy.severity]
stale = \"warning\"   # due-soon warnings stay warnings; \"off\" drops both

To accept one page's review date for now, say why in its front matter, on the
line above `last_reviewed` (see `shipshape explain suppression`):

# shipshape-disable-next-line stale -- reviewed in the Q1 game day, date follows",
    example: "\
error[stale]: review overdue since 2026-11-29: last reviewed 2026-08-31, every 90d (`[policy.runbook] max-age`)
 --> content/runbooks/payments-latency.md:6:16
  |
6 | last_reviewed: 2026-08-31
  |                ^
  |
  = help: review it against how things work today, then set `last_reviewed: 2026-12-01`",
};

pub const ADR: About = About {
    summary: "the ADR collection does not hold together",
    finds: "\
Problems across the architecture decision records (the `NNNN-title.md` files of
the ADR folder, in shipshape's, adr-tools' or MADR's format):

- Two files with one number (both are reported).
- A status other than proposed, accepted, rejected, deprecated and superseded,
  with \"did you mean\". An ADR without a status, only with `require-status`.
- Status `superseded` without `superseded_by`, or a `superseded_by` on an ADR
  whose status is something else.
- `supersedes` and `superseded_by` that do not agree both ways: if 5 supersedes 1,
  1 must say it is superseded by 5. The finding names the other file too.
- A reference to an ADR number that does not exist, and a supersedes chain that
  loops back on itself.
- Warning: a file in the ADR folder that starts with a digit but is not named
  `NNNN-title.md` (`4-title.md`), which is read as an ordinary page.",
    why: "\
ADRs are cited by number and read as a history: a reader who lands on an old
decision must be sent on to the one that replaced it, and a duplicate number or
a one-way supersedes link sends them to the wrong place or nowhere.",
    fix: "\
Follow the help: renumber one of two duplicates, correct a misspelt status, and
make both ends of a supersedes pair agree (`status: superseded` and
`superseded_by: N` on the old ADR, `supersedes: [M]` on the new one).
`shipshape new adr \"Title\" --supersedes N` writes both ends for you.",
    configure: "\
Add a team's own statuses, ask for a status on every ADR, or change the level:

[policy.adr]
statuses = [\"on hold\"]
require-status = true

[policy.severity]
adr = \"warning\"   # or \"off\"

To accept one finding, say why on the line above it (see `shipshape explain
suppression`); in front matter the comment is YAML:

# shipshape-disable-next-line adr -- ADR-0003 is renumbered in the next release",
    example: "\
error[adr]: ADR-0005 says it supersedes ADR-0001, but ADR-0001 does not say it is superseded by ADR-0005
 --> content/adr/0005-use-queues.md:5:13
  |
5 | supersedes: [1]
  |             ^
  |
  = help: in content/adr/0001-record-decisions.md, set `status: superseded` and `superseded_by: 5`",
};
pub const READINESS: About = About {
    summary: "a required checklist item of a service is not done and not validly waived",
    finds: "\
Items of a service's standard that its tier requires (the item's `tiers` include
the service's `tier`) and that are in state `fail` or `unknown`:

- not mentioned under `checks:` (unknown), or mentioned without a `status`;
- `todo` or `partial`;
- `done` while the item requires evidence and no evidence link resolves;
- `n/a` without a `note`, or `waived` without a complete or with an expired waiver;
- an automatic rule (`verify:`) that does not hold: `alert-runbooks`,
  `adr-exists`, `runbook-exists`, `file-exists`.

The finding is on the item's line, or on the `checks:` line when the item is not
mentioned. Before an item's `enforce-from` date it is an advisory warning. Tier 4
has no required items in the built-in standard.",
    why: "\
A tier says how much depends on a service. An item its tier requires is the
minimum the organisation agreed on for that much risk: a tier-1 service without
timeouts or a rollback plan is an incident that has not happened yet. The check
makes the agreement visible in review, not after the outage.",
    fix: "\
Do the work, then say so: `status: done` with `evidence:` naming a page (with an
optional `#section`), a repository file or a URL that shows it. Where the item
does not apply, write `status: n/a` with a `note` saying why. Where it cannot be
done yet, a waiver records who accepted the risk and until when:

reliability.retries:
  status: waived
  waiver: {reason: \"the gateway SDK retries internally\", approved_by: dana, expires: 2027-01-31}

For an automatic rule, change the handbook, not the status: link each alert to a
runbook, accept an ADR that lists the service, write a runbook for it.",
    configure: "\
Change its level or switch it off in book.toml; a team rolling a standard out
gradually starts with a warning:

[policy.severity]
readiness = \"warning\"   # or \"off\"

A standard announces a new item with `enforce-from: 2027-01-01`: until then a
failing item is a warning. To accept one item in a file, say why on the line
above it (see `shipshape explain suppression`):

# shipshape-disable-next-line readiness -- decommissioned in March",
    example: "\
error[readiness]: `reliability.timeouts` (Every call to another service has a timeout) is required for tier 1 and fails: status is todo
 --> content/services/payments.yaml:12:3
   |
12 |   reliability.timeouts:
   |   ^
   |
   = help: set `status: done` with `evidence:` naming a page (with an optional #section), a repository file or a URL that shows it",
};

pub const WAIVER_EXPIRED: About = About {
    summary: "a checklist waiver is past its expiry date, or about to be",
    finds: "\
Waivers in service checklists (`status: waived` with `waiver: {reason,
approved_by, expires}`):

- past `expires` (the day itself still counts): an error, and the item fails, so
  a required item is a `readiness` finding too;
- expiring within `[policy] warn-before` (14 days): an advisory warning.

A waiver without a reason, an approver or an expiry date is a `schema` finding and
does not count.",
    why: "\
A waiver is a risk someone accepted for a while, not forever. Without an end date
that is checked, a temporary exception quietly becomes the way things are, and
nobody remembers who agreed to it or why.",
    fix: "\
Do the work and set `status: done` with evidence. If the exception still makes
sense, have it reviewed again and set a new `expires` date, with the approver of
the new decision in `approved_by`.",
    configure: "\
Set the warning window, or change the rule's level:

[policy]
warn-before = \"14d\"

[policy.severity]
waiver-expired = \"warning\"   # expiring-soon warnings stay warnings; \"off\" drops both",
    example: "\
error[waiver-expired]: the waiver of `reliability.retries` expired on 2026-04-30, so the item fails (approved by dana)
 --> content/services/payments.yaml:17:57
   |
17 |     waiver: {reason: \"sdk\", approved_by: dana, expires: 2026-04-30}
   |                                                         ^
   |
   = help: do the work and set `status: done`, or have the waiver reviewed and set a new `expires` date",
};

pub const EVIDENCE: About = About {
    summary: "an evidence link in a service checklist does not resolve",
    finds: "\
`evidence:` values of a service's checks (one value or a list) that lead nowhere:

- a page that does not exist (with \"did you mean\"), or one left out as a draft;
- a `#section` the page does not have;
- a repository file that does not exist.

Paths are relative to the content folder; a path starting with `/` is relative to
the handbook root (where book.toml is). URLs are not fetched. Evidence that does
not resolve does not count: an item that requires evidence then fails.",
    why: "\
Evidence is what lets a reviewer trust a `done` without asking. A link to a page
that was renamed, or to a section that was rewritten, turns a claim back into
hearsay, and nobody notices until an audit or an incident.",
    fix: "\
Point the link at the page, section or file that shows the work: take the \"did
you mean\" when there is one, or write the page. A section is named by its heading's
anchor, as links in pages are (`## Timeouts` is `#timeouts`).",
    configure: "\
Change its level or switch it off in book.toml:

[policy.severity]
evidence = \"warning\"   # or \"off\"",
    example: "\
error[evidence]: evidence for `reliability.timeouts` does not resolve: `runbooks/pay.md` has no section `#mitigaton` (did you mean `#mitigation`?)
 --> content/services/payments.yaml:14:15
   |
14 |     evidence: runbooks/pay.md#mitigaton
   |               ^
   |
   = help: name a page (paths are relative to the content folder, `/` is the handbook root), a section of it with `#anchor`, a repository file, or a URL",
};

pub const ALERT_RUNBOOK: About = About {
    summary: "a service's alert has no runbook, or its runbook link leads nowhere",
    finds: "\
Alerts a service checklist declares under `alerts:` whose `runbook:`

- is missing;
- names a page that does not exist, or a `#section` it does not have;
- names a page outside the runbooks folder, a file or a URL rather than a runbook.

Every service is checked, whatever its tier. The same links decide the
`alert-runbooks` automatic rule of the built-in standard.",
    why: "\
An alert wakes someone up. The runbook is what they read next: an alert without
one, or with a link to a section that was renamed, leaves the person on call to
work it out under pressure.",
    fix: "\
Set `runbook:` to the runbook page and the section that answers the alert, such as
`runbooks/payments-latency.md#mitigation`. `shipshape new runbook \"TITLE\"
--service ID --alert NAME` writes a runbook with every required section.",
    configure: "\
Change its level or switch it off in book.toml:

[policy.severity]
alert-runbook = \"warning\"   # or \"off\"",
    example: "\
error[alert-runbook]: the runbook of alert `PayDown` does not resolve: `runbooks/pay.md` has no section `#nope`
 --> content/services/payments.yaml:10:14
   |
10 |     runbook: runbooks/pay.md#nope
   |              ^
   |
   = help: set `runbook:` to a runbook page and the section that answers the alert, such as `runbooks/payments-latency.md#mitigation`; `shipshape new runbook` writes one",
};
