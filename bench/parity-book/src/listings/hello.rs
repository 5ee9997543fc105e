// A listing shared by several chapters.
use std::fmt::Write;

// ANCHOR: greet
fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}
// ANCHOR_END: greet

// ANCHOR: main
fn main() {
    let mut s = String::new();
    write!(s, "{}", greet("reader")).unwrap();
    println!("{s}");
}
// ANCHOR_END: main
