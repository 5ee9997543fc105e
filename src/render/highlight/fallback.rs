//! Every language without a tree-sitter grammar here: syntect with two-face's grammars
//! (the ones `bat` ships), its scope stacks flattened into the same classes: each run of
//! text takes the class of its innermost scope that has one.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::class::Class;
use super::runs::Runs;

/// TextMate scope prefixes → class (`None`: plain text again, as inside an
/// interpolation). The longest prefix that matches whole atoms wins; a scope that
/// matches none leaves its outer scope's class in force.
const SCOPES: [(&str, Option<Class>); 50] = [
    ("comment", Some(Class::Comment)),
    ("string", Some(Class::String)),
    ("string.regexp", Some(Class::String)),
    ("constant", Some(Class::Constant)),
    ("constant.numeric", Some(Class::Number)),
    ("constant.character.escape", Some(Class::Escape)),
    ("constant.other.placeholder", Some(Class::Escape)),
    ("keyword", Some(Class::Keyword)),
    ("keyword.operator", Some(Class::Operator)),
    ("keyword.operator.word", Some(Class::Keyword)),
    ("keyword.operator.logical.python", Some(Class::Keyword)),
    ("storage", Some(Class::Keyword)),
    ("storage.type", Some(Class::Keyword)),
    ("storage.modifier", Some(Class::Keyword)),
    ("entity.name.function", Some(Class::Function)),
    ("entity.name.method", Some(Class::Function)),
    ("variable.function", Some(Class::Function)),
    ("meta.function-call.identifier", Some(Class::Function)),
    ("support.function", Some(Class::Builtin)),
    ("support.macro", Some(Class::Builtin)),
    ("entity.name.type", Some(Class::Type)),
    ("entity.name.class", Some(Class::Type)),
    ("entity.name.struct", Some(Class::Type)),
    ("entity.name.enum", Some(Class::Type)),
    ("entity.name.trait", Some(Class::Type)),
    ("entity.name.interface", Some(Class::Type)),
    ("entity.other.inherited-class", Some(Class::Type)),
    ("support.type", Some(Class::Type)),
    ("support.class", Some(Class::Type)),
    ("support.type.property-name", Some(Class::Property)),
    ("support.constant", Some(Class::Constant)),
    ("entity.name.tag", Some(Class::Tag)),
    ("entity.other.attribute-name", Some(Class::Attribute)),
    ("meta.annotation", Some(Class::Attribute)),
    ("entity.name.namespace", Some(Class::Namespace)),
    ("entity.name.module", Some(Class::Namespace)),
    ("entity.name.label", Some(Class::Label)),
    ("entity.name.section", Some(Class::Heading)),
    ("variable.parameter", Some(Class::Variable)),
    ("variable.language", Some(Class::Builtin)),
    ("variable.other.member", Some(Class::Property)),
    ("variable.other.property", Some(Class::Property)),
    ("markup.heading", Some(Class::Heading)),
    ("markup.bold", Some(Class::Strong)),
    ("markup.italic", Some(Class::Emphasis)),
    ("markup.underline.link", Some(Class::Link)),
    ("markup.inserted", Some(Class::Inserted)),
    ("markup.deleted", Some(Class::Deleted)),
    ("markup.raw", Some(Class::String)),
    ("meta.embedded", None),
];

/// The grammars (loaded on first use, so a handbook without such code never pays for
/// them) and which fence names were already looked up (the lookup scans every grammar).
pub struct Fallback {
    syntaxes: OnceLock<SyntaxSet>,
    languages: Mutex<HashMap<String, Option<usize>>>,
}

impl Default for Fallback {
    fn default() -> Fallback {
        Fallback {
            syntaxes: OnceLock::new(),
            languages: Mutex::new(HashMap::new()),
        }
    }
}

impl Fallback {
    /// Highlights `code` as the grammar for `lang` into `out`; `false` (and nothing
    /// written) when no grammar takes `lang` or the grammar fails on the code.
    pub fn highlight(&self, lang: &str, code: &str, out: &mut Runs) -> bool {
        let Some(syntax) = self.syntax(lang) else {
            return false;
        };
        let mut runs = Vec::new();
        if self.scan(syntax, code, &mut runs).is_none() {
            return false;
        }
        let mut start = 0;
        for (class, end) in runs {
            out.push(class, &code[start..end]);
            start = end;
        }
        true
    }

    /// Each run's class and end offset.
    fn scan(
        &self,
        syntax: &SyntaxReference,
        code: &str,
        runs: &mut Vec<(Option<Class>, usize)>,
    ) -> Option<()> {
        let syntaxes = self.syntaxes();
        let mut state = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        let mut class = None;
        let mut line_start = 0;
        for line in LinesWithEndings::from(code) {
            let mut at = 0;
            for (offset, op) in state.parse_line(line, syntaxes).ok()? {
                if offset > at {
                    runs.push((class, line_start + offset));
                    at = offset;
                }
                stack.apply(&op).ok()?;
                class = innermost(stack.as_slice());
            }
            if line.len() > at {
                runs.push((class, line_start + line.len()));
            }
            line_start += line.len();
        }
        Some(())
    }

    fn syntax(&self, lang: &str) -> Option<&SyntaxReference> {
        let known = self
            .languages
            .lock()
            .expect("languages lock")
            .get(lang)
            .copied();
        let index = match known {
            Some(index) => index,
            None => {
                let index = self.find_syntax(lang);
                self.languages
                    .lock()
                    .expect("languages lock")
                    .insert(lang.to_string(), index);
                index
            }
        };
        index.map(|index| &self.syntaxes().syntaxes()[index])
    }

    fn find_syntax(&self, lang: &str) -> Option<usize> {
        let token = match lang {
            "" => return None,
            "rb" => "ruby",
            "hs" => "haskell",
            "kt" | "kts" => "kotlin",
            "cs" | "c#" | "csharp" => "cs",
            "ps1" | "pwsh" | "powershell" => "powershell",
            other => other,
        };
        let syntaxes = self.syntaxes();
        let syntax = syntaxes
            .find_syntax_by_token(token)
            .or_else(|| syntaxes.find_syntax_by_name(lang))?;
        syntaxes
            .syntaxes()
            .iter()
            .position(|candidate| std::ptr::eq(candidate, syntax))
    }

    fn syntaxes(&self) -> &SyntaxSet {
        self.syntaxes.get_or_init(two_face::syntax::extra_newlines)
    }
}

/// The scope table as text, for [`super::Highlighter::identity`].
pub fn scope_table() -> impl Iterator<Item = &'static str> {
    SCOPES
        .iter()
        .flat_map(|(prefix, class)| [*prefix, class.map_or("", Class::name)])
}

/// The class of the innermost scope on `stack` that has one.
fn innermost(stack: &[Scope]) -> Option<Class> {
    thread_local! {
        /// A scope's string is behind syntect's global lock: look each one up once.
        static CLASSES: RefCell<HashMap<Scope, Option<Option<Class>>>> =
            RefCell::new(HashMap::new());
    }
    CLASSES.with_borrow_mut(|classes| {
        stack
            .iter()
            .rev()
            .find_map(|scope| {
                *classes
                    .entry(*scope)
                    .or_insert_with(|| scope_class(&scope.build_string()))
            })
            .flatten()
    })
}

/// The entry of [`SCOPES`] for a scope name: `None` when no prefix matches,
/// `Some(None)` for plain text.
fn scope_class(name: &str) -> Option<Option<Class>> {
    SCOPES
        .iter()
        .filter(|(prefix, _)| {
            name.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, class)| *class)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_prefixes_match_whole_atoms_and_the_longest_wins() {
        assert_eq!(
            scope_class("constant.numeric.integer.ruby"),
            Some(Some(Class::Number))
        );
        assert_eq!(
            scope_class("constant.language.ruby"),
            Some(Some(Class::Constant))
        );
        assert_eq!(scope_class("stringy.thing"), None);
        assert_eq!(scope_class("meta.embedded.line.ruby"), Some(None));
        assert_eq!(scope_class("source.ruby"), None);
    }
}
