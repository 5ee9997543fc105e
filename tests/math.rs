//! `[output.html] mathjax-support`: mdBook's `\\( … \\)` and `\\[ … \\]` math, rendered at
//! build time to MathML.

mod common;

use common::*;

const MATH_ON: &str = "[book]\ntitle = \"Book\"\n[output.html]\nmathjax-support = true\n";
const MATH_OFF: &str = "[book]\ntitle = \"Book\"\n";

/// The built home page of a book whose README is `text`.
fn home(book_toml: &str, text: &str) -> String {
    let dir = handbook(&[("book.toml", book_toml), ("src/README.md", text)]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = page(&out, "index.html");
    let main = html
        .split_once("<main")
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map(|(main, _)| main.to_string());
    main.unwrap_or(html)
}

#[test]
fn inline_and_display_math_become_mathml() {
    let text = "# Circles\n\n\
        The area is \\\\( \\pi r^2 \\\\) for radius \\\\(r\\\\).\n\n\
        \\\\[\n\\mu = \\frac{1}{N} \\sum_{i=0} x_i\n\\\\]\n\n\
        With specials: \\\\( a_1 * b_2 \\\\), cases\n\
        \\\\[ f(x) = \\begin{cases} 1 & x > 0 \\\\\\\\ 0 & x \\le 0 \\end{cases} \\\\]\n\n\
        ## Euler \\\\( e^{i\\pi} + 1 = 0 \\\\)\n";
    let html = home(MATH_ON, text);
    assert!(
        html.contains("The area is <math display=\"inline\">"),
        "{html}"
    );
    assert!(html.contains("<msup><mi>r</mi><mn>2</mn></msup>"), "{html}");
    assert!(
        html.contains("</math> for radius <math display=\"inline\">"),
        "{html}"
    );
    assert!(html.contains("<math display=\"block\">"), "{html}");
    assert!(html.contains("<mfrac><mrow><mn>1</mn></mrow>"), "{html}");
    assert!(
        html.contains("<msub><mi>a</mi><mn>1</mn></msub><mo>∗</mo><msub><mi>b</mi>"),
        "the _ and * stay in the math: {html}"
    );
    assert!(html.contains("<mtable"), "cases: {html}");
    assert!(html.contains("<mo>&gt;</mo>"), "{html}");
    // The source is kept as an annotation, the way other MathML writers do.
    assert!(
        html.contains("<annotation encoding=\"application/x-tex\">\\pi r^2</annotation>"),
        "{html}"
    );
    assert!(!html.contains("\\("), "no delimiter is left: {html}");
    assert!(!html.contains("\\["), "no delimiter is left: {html}");
    assert!(!html.contains("<em>"), "{html}");
    // Math in a heading; the anchor is the outline's, as without math.
    assert!(
        html.contains("<h2 id=\"euler--eipi--1--0-\">Euler <math display=\"inline\">"),
        "{html}"
    );
}

#[test]
fn without_mathjax_support_the_text_stays_as_mdbook_leaves_it() {
    let html = home(MATH_OFF, "Area \\\\( \\pi r^2 \\\\) and \\\\[ x \\\\]\n");
    assert!(
        html.contains("Area \\( \\pi r^2 \\) and \\[ x \\]"),
        "{html}"
    );
    assert!(!html.contains("<math"), "{html}");
}

#[test]
fn nothing_in_the_math_reaches_the_page_as_html() {
    let text = "Text: \\\\( \\text{\\<script>alert(1)\\</script>} \\\\)\n\n\
        Entity: \\\\( \\text{&lt;img src=x onerror=alert(2)&gt;} \\\\)\n\n\
        Relation: \\\\( a \\<script> b \\\\)\n\n\
        Name: \\\\( \\operatorname{\\<script>alert(3)\\</script>} x \\\\)\n";
    let html = home(MATH_ON, text);
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img"), "{html}");
    assert!(
        html.contains("<mtext>&lt;script&gt;alert(1)&lt;/script&gt;</mtext>"),
        "{html}"
    );
    assert!(
        html.contains("<mtext>&lt;img src=x onerror=alert(2)&gt;</mtext>"),
        "{html}"
    );
    assert!(html.contains("<mo>&lt;</mo>"), "{html}");
    // An operator name with markup in it is refused and shown as its source.
    assert!(
        html.contains("\\operatorname{&lt;script&gt;alert(3)&lt;/script&gt;} x \\)</code>"),
        "{html}"
    );
}

#[test]
fn latex_that_does_not_parse_is_shown_as_its_source() {
    let html = home(
        MATH_ON,
        "Bad \\\\( \\nosuchcommand x \\\\) and \\\\[ a^b^c \\\\], good \\\\( y \\\\).\n\n\
         Unclosed \\\\( x and \\\\] alone.\n",
    );
    assert!(
        html.contains(
            "Bad <code class=\"math-error\" title=\"parsing error: unknown primitive command found"
        ),
        "{html}"
    );
    assert!(
        html.contains(">\\( \\nosuchcommand x \\)</code> and"),
        "{html}"
    );
    assert!(html.contains(">\\[ a^b^c \\]</code>, good <math"), "{html}");
    assert!(html.contains("Unclosed \\( x and \\] alone."), "{html}");
}

#[test]
fn code_spans_and_code_blocks_are_never_math() {
    let html = home(
        MATH_ON,
        "Write `\\\\( x \\\\)` or `\\( y \\)`, which is \\\\( x \\\\).\n\n\
         ```\n\\\\[ z \\\\]\n\\( w \\)\n```\n\n    \\[ indented \\]\n",
    );
    assert!(html.contains("<code>\\\\( x \\\\)</code>"), "{html}");
    assert!(html.contains("<code>\\( y \\)</code>"), "{html}");
    assert!(
        html.contains("which is <math display=\"inline\">"),
        "{html}"
    );
    assert!(html.contains("\\\\[ z \\\\]\n\\( w \\)"), "{html}");
    assert!(html.contains("\\[ indented \\]"), "{html}");
    assert_eq!(html.matches("<math").count(), 1, "{html}");
}

#[test]
fn math_that_markdown_turned_into_emphasis_stays_text() {
    // As with mdBook's MathJax, `*b*` is emphasis before the math is looked for: the
    // delimiters are left as they are, and the build goes on.
    let html = home(MATH_ON, "Then \\\\( a*b*c \\\\) holds.\n");
    assert!(html.contains("Then \\( a<em>b</em>c \\) holds."), "{html}");
    assert!(!html.contains("<math"), "{html}");
}

#[test]
fn the_print_page_has_the_math_too() {
    let dir = handbook(&[
        ("book.toml", MATH_ON),
        ("src/SUMMARY.md", "- [One](one.md)\n"),
        ("src/one.md", "# One\n\n\\\\( x^2 \\\\)\n"),
    ]);
    let out = dir.path().join("site");
    let output = build(dir.path(), &out);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(page(&out, "print.html").contains("<math display=\"inline\">"));
    assert!(page(&out, "one.html").contains("<math display=\"inline\">"));
}
