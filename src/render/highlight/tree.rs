//! Highlighting with tree-sitter: one `tree_sitter_highlight::Highlighter` per thread,
//! its nested highlight events flattened into [`Runs`].

use std::cell::RefCell;

use tree_sitter_highlight::{HighlightEvent, Highlighter};

use super::class::Class;
use super::grammar::{self, Grammar};
use super::runs::Runs;

thread_local! {
    /// The parser and query cursors are reused between blocks; they cannot be shared.
    static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
}

/// Highlights `code` into `out`. On an error nothing is written and `false` returned,
/// so the caller can show the block plain.
pub fn highlight(grammar: Grammar, code: &str, out: &mut Runs) -> bool {
    let Some(config) = grammar.config() else {
        return false;
    };
    // Into a scratch list first: an error half-way must leave `out` untouched.
    let mut runs: Vec<(Option<Class>, usize)> = Vec::new();
    let done = HIGHLIGHTER.with_borrow_mut(|highlighter| {
        let Ok(events) = highlighter.highlight(config, code.as_bytes(), None, None, |name| {
            Grammar::from_name(&name.to_ascii_lowercase()).and_then(Grammar::config)
        }) else {
            return false;
        };
        // Each highlight open on the stack is a class or plain text (`None`); the text
        // takes the innermost.
        let mut stack: Vec<Option<Class>> = Vec::new();
        let mut at = 0;
        for event in events {
            match event {
                Ok(HighlightEvent::HighlightStart(highlight)) => {
                    stack.push(grammar::class(highlight));
                }
                Ok(HighlightEvent::HighlightEnd) => {
                    stack.pop();
                }
                Ok(HighlightEvent::Source { end, .. }) => {
                    // A boundary inside a character (a grammar error node can make one)
                    // moves to the character's end, so every run is whole UTF-8.
                    let end = code.ceil_char_boundary(end.min(code.len()));
                    if end > at {
                        runs.push((stack.last().copied().flatten(), end));
                        at = end;
                    }
                }
                Err(_) => return false,
            }
        }
        if at < code.len() {
            runs.push((None, code.len()));
        }
        true
    });
    if !done {
        return false;
    }
    let mut start = 0;
    for (class, end) in runs {
        out.push(class, &code[start..end]);
        start = end;
    }
    true
}
