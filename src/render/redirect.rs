//! The pages of `[output.html.redirect]`, as mdBook 0.5's `redirect.hbs` writes them: a
//! meta refresh, a canonical link and a link to follow by hand, and a script that sends
//! an old `#fragment` where its own entry says (or on to the new page with the same
//! fragment). A page still written at an old path gets that script after its content.
//!
//! Targets come from book.toml, which comes with the pull request: they reach HTML only
//! through `escape`, and scripts only as JSON with `<`, `>` and `&` escaped, so no value
//! can end the script or the attribute it is in.

use std::collections::BTreeMap;

use super::{SiteFile, escape};
use crate::model::redirect::RedirectPage;

/// The page written at `redirect.path`.
pub fn page(redirect: &RedirectPage) -> SiteFile {
    let url = escape(&redirect.target);
    let fragment_map = script_json(&redirect.fragments);
    let url_js = script_string(&redirect.target);
    let html = format!(
        r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Redirecting...</title>
    <meta http-equiv="refresh" content="0; URL={url}">
    <link rel="canonical" href="{url}">
  </head>
  <body>
      <p>Redirecting to... <a href="{url}">{url}</a>.</p>

<script>
    // This handles redirects that involve fragments.
    document.addEventListener('DOMContentLoaded', function() {{
        const fragmentMap =
            {fragment_map}
        ;
        const fragment = window.location.hash;
        if (fragment) {{
            let redirectUrl = {url_js};
            const target = fragmentMap[fragment];
            if (target) {{
                let url = new URL(target, window.location.href);
                redirectUrl = url.href;
            }} else {{
                let url = new URL(redirectUrl, window.location.href);
                url.hash = window.location.hash;
                redirectUrl = url.href;
            }}
            window.location.replace(redirectUrl);
        }}
        // else redirect handled by http-equiv
    }});
</script>
  </body>
</html>
"#
    );
    SiteFile {
        path: redirect.path.clone(),
        bytes: html.into_bytes(),
    }
}

/// The script a page still written at an old path carries, as mdBook's page template
/// has it: an old `#fragment` of the page is sent where its entry says.
pub fn in_page_script(fragments: &BTreeMap<String, String>) -> String {
    format!(
        r#"<script>
    document.addEventListener('DOMContentLoaded', function() {{
        const fragmentMap = {};
        const target = fragmentMap[window.location.hash];
        if (target) {{
            window.location.replace(new URL(target, window.location.href).href);
        }}
    }});
</script>
"#,
        script_json(fragments)
    )
}

fn script_json(map: &BTreeMap<String, String>) -> String {
    for_script(serde_json::to_string(map).unwrap_or_else(|_| "{}".into()))
}

fn script_string(text: &str) -> String {
    for_script(serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()))
}

/// JSON made safe inside `<script>`: `</script>`, `<!--` and `&` cannot appear in it.
/// The escapes are JSON's own, so the value is unchanged.
fn for_script(json: String) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_leave_their_place() {
        let hostile = RedirectPage {
            path: "old.html".into(),
            target: "new.html\"><script>alert(1)</script>".into(),
            fragments: [(
                "#a".to_string(),
                "</script><script>alert(2)</script>".to_string(),
            )]
            .into(),
        };
        let html = String::from_utf8(page(&hostile).bytes).unwrap();
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(!html.contains("\"><"), "{html}");
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
    }
}
