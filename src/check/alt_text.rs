//! `alt-text`: every image in a page has a text alternative (markdownlint's MD045). The
//! images come from each page's outline, read in the model's one parse of the page.

use rayon::prelude::*;

use crate::finding::{Finding, Rule};
use crate::model::Handbook;
use crate::model::markdown::WithoutAlt;

/// A warning for each image without alt text, at the image (an included image at its
/// include line).
pub fn check(handbook: &Handbook) -> Vec<Finding> {
    handbook
        .pages
        .par_iter()
        .filter_map(|page| page.markdown())
        .flat_map_iter(|page| {
            let file = handbook.display_path(&page.document.path);
            page.outline
                .without_alt
                .iter()
                .map(move |image| finding(&file, image))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn finding(file: &str, image: &WithoutAlt) -> Finding {
    let src = &image.src;
    let what = match (image.html, src.is_empty()) {
        (true, true) => "an `<img>` tag".to_string(),
        (true, false) => format!("the `<img>` of `{src}`"),
        (false, _) => format!("image `{src}`"),
    };
    let help = if image.html {
        "add `alt=\"what it shows\"` to the tag, or `alt=\"\"` if the image is only decoration"
            .to_string()
    } else {
        format!(
            "say what the image shows between the brackets: `![what it shows]({src})`; an image that is only decoration can be written `<img src=\"{src}\" alt=\"\">`"
        )
    };
    Finding::new(
        Rule::AltText,
        file,
        format!(
            "{what} has no alt text: a screen reader, or a reader whose images do not load, gets nothing in its place"
        ),
    )
    .key(src.as_str())
    .at(image.position)
    .help(help)
}
