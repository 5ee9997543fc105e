//! The flat highlight classes, their colours, and the two stylesheets made from them.
//!
//! Every highlighted run of code is in at most one `<span class="hl-…">`, whichever
//! highlighter produced it, so a theme styles these classes and nothing else.

/// One flat highlight class; `name()` is the CSS class the HTML carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Keyword,
    String,
    Escape,
    Comment,
    Number,
    Constant,
    Type,
    Function,
    Builtin,
    Variable,
    Property,
    Attribute,
    Tag,
    Operator,
    Punctuation,
    Label,
    Namespace,
    Inserted,
    Deleted,
    Heading,
    Emphasis,
    Strong,
    Link,
    Prompt,
}

impl Class {
    /// Every class, in the order the stylesheets list them.
    pub const ALL: [Class; 24] = [
        Class::Keyword,
        Class::String,
        Class::Escape,
        Class::Comment,
        Class::Number,
        Class::Constant,
        Class::Type,
        Class::Function,
        Class::Builtin,
        Class::Variable,
        Class::Property,
        Class::Attribute,
        Class::Tag,
        Class::Operator,
        Class::Punctuation,
        Class::Label,
        Class::Namespace,
        Class::Inserted,
        Class::Deleted,
        Class::Heading,
        Class::Emphasis,
        Class::Strong,
        Class::Link,
        Class::Prompt,
    ];

    /// The CSS class name, `hl-keyword` and so on.
    pub fn name(self) -> &'static str {
        match self {
            Class::Keyword => "hl-keyword",
            Class::String => "hl-string",
            Class::Escape => "hl-escape",
            Class::Comment => "hl-comment",
            Class::Number => "hl-number",
            Class::Constant => "hl-constant",
            Class::Type => "hl-type",
            Class::Function => "hl-function",
            Class::Builtin => "hl-builtin",
            Class::Variable => "hl-variable",
            Class::Property => "hl-property",
            Class::Attribute => "hl-attribute",
            Class::Tag => "hl-tag",
            Class::Operator => "hl-operator",
            Class::Punctuation => "hl-punctuation",
            Class::Label => "hl-label",
            Class::Namespace => "hl-namespace",
            Class::Inserted => "hl-inserted",
            Class::Deleted => "hl-deleted",
            Class::Heading => "hl-heading",
            Class::Emphasis => "hl-emphasis",
            Class::Strong => "hl-strong",
            Class::Link => "hl-link",
            Class::Prompt => "hl-prompt",
        }
    }

    /// How the class looks in each theme.
    fn style(self) -> Style {
        PALETTE
            .iter()
            .find(|(class, _)| *class == self)
            .map(|(_, style)| *style)
            .unwrap_or(Style::PLAIN)
    }
}

/// A colour as `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// A class's look: a colour per theme (or the block's own text colour) and a font.
#[derive(Clone, Copy, Debug)]
struct Style {
    light: Option<Rgb>,
    dark: Option<Rgb>,
    italic: bool,
    bold: bool,
    underline: bool,
    /// Left out when text is selected or copied (a shell prompt).
    unselectable: bool,
}

impl Style {
    const PLAIN: Style = Style {
        light: None,
        dark: None,
        italic: false,
        bold: false,
        underline: false,
        unselectable: false,
    };
}

const fn colour(light: Rgb, dark: Rgb) -> Style {
    Style {
        light: Some(light),
        dark: Some(dark),
        ..Style::PLAIN
    }
}

/// The one palette both stylesheets are written from (close to GitHub's code colours).
/// Every colour keeps a contrast of at least 4.5:1 against its theme's code background
/// (`--code-bg` in the theme's style.css; a unit test checks).
const PALETTE: [(Class, Style); 24] = {
    const RED: (Rgb, Rgb) = (Rgb(0xcf, 0x22, 0x2e), Rgb(0xff, 0x7b, 0x72));
    const NAVY: (Rgb, Rgb) = (Rgb(0x0a, 0x30, 0x69), Rgb(0xa5, 0xd6, 0xff));
    const BLUE: (Rgb, Rgb) = (Rgb(0x05, 0x50, 0xae), Rgb(0x79, 0xc0, 0xff));
    const GREEN: (Rgb, Rgb) = (Rgb(0x11, 0x63, 0x29), Rgb(0x7e, 0xe7, 0x87));
    const ORANGE: (Rgb, Rgb) = (Rgb(0x95, 0x38, 0x00), Rgb(0xff, 0xa6, 0x57));
    const PURPLE: (Rgb, Rgb) = (Rgb(0x66, 0x39, 0xba), Rgb(0xd2, 0xa8, 0xff));
    const GREY: (Rgb, Rgb) = (Rgb(0x57, 0x60, 0x6a), Rgb(0x8b, 0x94, 0x9e));
    const DARK_RED: (Rgb, Rgb) = (Rgb(0x82, 0x07, 0x1e), Rgb(0xff, 0xa1, 0x98));
    const fn of(pair: (Rgb, Rgb)) -> Style {
        colour(pair.0, pair.1)
    }
    [
        (Class::Keyword, of(RED)),
        (Class::String, of(NAVY)),
        (Class::Escape, of(GREEN)),
        (
            Class::Comment,
            Style {
                italic: true,
                ..of(GREY)
            },
        ),
        (Class::Number, of(BLUE)),
        (Class::Constant, of(BLUE)),
        (Class::Type, of(ORANGE)),
        (Class::Function, of(PURPLE)),
        (Class::Builtin, of(BLUE)),
        (Class::Variable, of(ORANGE)),
        (Class::Property, of(BLUE)),
        (Class::Attribute, of(BLUE)),
        (Class::Tag, of(GREEN)),
        (Class::Operator, of(RED)),
        (Class::Punctuation, of(GREY)),
        (Class::Label, of(ORANGE)),
        (Class::Namespace, of(ORANGE)),
        (Class::Inserted, of(GREEN)),
        (Class::Deleted, of(DARK_RED)),
        (
            Class::Heading,
            Style {
                bold: true,
                ..of(BLUE)
            },
        ),
        (
            Class::Emphasis,
            Style {
                italic: true,
                ..Style::PLAIN
            },
        ),
        (
            Class::Strong,
            Style {
                bold: true,
                ..Style::PLAIN
            },
        ),
        (
            Class::Link,
            Style {
                underline: true,
                ..of(NAVY)
            },
        ),
        (
            Class::Prompt,
            Style {
                unselectable: true,
                ..of(GREY)
            },
        ),
    ]
};

/// The light and the dark stylesheet for highlighted code.
pub fn stylesheets() -> (String, String) {
    (stylesheet(Theme::Light), stylesheet(Theme::Dark))
}

#[derive(Clone, Copy)]
enum Theme {
    Light,
    Dark,
}

fn stylesheet(theme: Theme) -> String {
    let mut css = String::from(
        "/* Code colours, generated by shipshape from one palette; the hl-* classes are \
         listed in its README. */\n",
    );
    for class in Class::ALL {
        let style = class.style();
        let colour = match theme {
            Theme::Light => style.light,
            Theme::Dark => style.dark,
        };
        let mut rules = Vec::new();
        if let Some(Rgb(r, g, b)) = colour {
            rules.push(format!("color: #{r:02x}{g:02x}{b:02x}"));
        }
        if style.italic {
            rules.push("font-style: italic".to_string());
        }
        if style.bold {
            rules.push("font-weight: 600".to_string());
        }
        if style.underline {
            rules.push("text-decoration: underline".to_string());
        }
        if style.unselectable {
            rules.push("user-select: none".to_string());
            rules.push("-webkit-user-select: none".to_string());
        }
        css.push_str(&format!(".{} {{ {}; }}\n", class.name(), rules.join("; ")));
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio between two colours (1 to 21).
    fn contrast(a: Rgb, b: Rgb) -> f64 {
        fn luminance(Rgb(r, g, b): Rgb) -> f64 {
            let channel = |c: u8| {
                let c = f64::from(c) / 255.0;
                if c <= 0.04045 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
        }
        let (la, lb) = (luminance(a), luminance(b));
        let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// The code background of each theme, from `--code-bg: light-dark(#light, #dark)`.
    fn backgrounds() -> (Rgb, Rgb) {
        let css = include_str!("../../../themes/default/static/style.css");
        let value = css
            .split("--code-bg: light-dark(")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .expect("style.css sets --code-bg");
        let parse = |hex: &str| {
            let hex = hex.trim().trim_start_matches('#');
            let byte = |at| u8::from_str_radix(&hex[at..at + 2], 16).expect("a hex colour");
            Rgb(byte(0), byte(2), byte(4))
        };
        let (light, dark) = value.split_once(',').expect("two colours");
        (parse(light), parse(dark))
    }

    #[test]
    fn every_colour_reads_against_its_code_background() {
        let (light, dark) = backgrounds();
        for class in Class::ALL {
            let style = class.style();
            for (colour, background, theme) in
                [(style.light, light, "light"), (style.dark, dark, "dark")]
            {
                if let Some(colour) = colour {
                    let ratio = contrast(colour, background);
                    assert!(
                        ratio >= 4.5,
                        "{} in the {theme} theme: {ratio:.2}:1",
                        class.name()
                    );
                }
            }
        }
    }

    #[test]
    fn every_class_has_one_rule_in_each_stylesheet_and_a_unique_name() {
        let (light, dark) = stylesheets();
        for class in Class::ALL {
            let rule = format!(".{} {{", class.name());
            assert_eq!(light.matches(&rule).count(), 1, "{rule}");
            assert_eq!(dark.matches(&rule).count(), 1, "{rule}");
            assert_eq!(PALETTE.iter().filter(|(c, _)| *c == class).count(), 1);
        }
        let mut names: Vec<_> = Class::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Class::ALL.len());
        assert_ne!(light, dark);
    }

    #[test]
    fn contrast_matches_known_pairs() {
        let white = Rgb(255, 255, 255);
        let black = Rgb(0, 0, 0);
        assert!((contrast(white, black) - 21.0).abs() < 1e-9);
        assert!((contrast(white, white) - 1.0).abs() < 1e-9);
        // #767676 on white is the usual 4.54:1 example.
        assert!((contrast(Rgb(0x76, 0x76, 0x76), white) - 4.54).abs() < 0.01);
    }
}
