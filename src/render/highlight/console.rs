//! Shell sessions (`console`, `shell-session`): a line starting `$ ` or `# ` is a prompt
//! and a command, highlighted as bash (with the lines a trailing `\` continues);
//! every other line is the command's output, shown plain.

use super::class::Class;
use super::grammar::Grammar;
use super::runs::Runs;
use super::tree;

/// Writes a session into `out`.
pub fn highlight(code: &str, out: &mut Runs) {
    let mut at = 0;
    while at < code.len() {
        let line = first_line(&code[at..]);
        let Some(prompt) = ["$ ", "# "]
            .into_iter()
            .find(|prompt| line.starts_with(prompt))
        else {
            out.push(None, line);
            at += line.len();
            continue;
        };
        out.push(Some(Class::Prompt), prompt);
        let start = at + prompt.len();
        let mut end = at + line.len();
        let mut last = line;
        while continues(last) && end < code.len() {
            last = first_line(&code[end..]);
            end += last.len();
        }
        let command = &code[start..end];
        if !tree::highlight(Grammar::Bash, command, out) {
            out.push(None, command);
        }
        at = end;
    }
}

/// The first line of `text`, its newline included.
fn first_line(text: &str) -> &str {
    text.find('\n').map_or(text, |newline| &text[..=newline])
}

/// Whether a command line ends in a `\` that joins the next line to it.
fn continues(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r']).ends_with('\\')
}
