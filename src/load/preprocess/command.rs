//! Running one preprocessor as mdBook 0.5 does (`CmdPreprocessor`): its command line
//! split as a shell would, the program looked up on `PATH` (or, when it has a folder
//! part, from the book root), run in the book root; `supports html` first, then the
//! book as JSON on stdin and the book back on stdout. Its stderr is shipshape's, or
//! read line by line for the JSON log (`Messages`).

use std::io::{BufRead as _, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::{Deserialize, Serialize};

use super::Messages;
use super::book::BookItem;
use crate::config::{FILE_NAME, Preprocessor};

/// The renderer shipshape is: mdBook's HTML one.
pub const RENDERER: &str = "html";
/// The mdBook version whose protocol this is, as sent in the context.
pub const MDBOOK_VERSION: &str = "0.5.4";

/// A preprocessor ready to run.
pub struct Program<'a> {
    pub table: &'a Preprocessor,
    /// The command line as written, or `mdbook-NAME`.
    pub line: String,
    /// The book root, absolute: the working folder and where relative programs start.
    pub root: &'a Path,
    /// Where what it prints for people goes.
    pub messages: Messages,
}

/// Why a preprocessor did not run.
pub enum Skipped {
    /// It answered that it does not support html.
    Unsupported,
    /// Its program does not exist.
    Missing,
}

/// What mdBook 0.5 sends as the context (`PreprocessorContext`).
#[derive(Serialize)]
pub struct Context<'a> {
    pub root: &'a Path,
    pub config: &'a serde_json::Value,
    pub renderer: &'a str,
    pub mdbook_version: &'a str,
}

/// The book as sent: mdBook 0.5 reads `items`; a preprocessor built on mdBook 0.4 reads
/// `sections` and needs `__non_exhaustive` to be there.
#[derive(Serialize)]
struct Outgoing<'a> {
    items: &'a [BookItem],
    sections: &'a [BookItem],
    __non_exhaustive: (),
}

#[derive(Deserialize)]
struct Incoming {
    items: Option<Vec<BookItem>>,
    sections: Option<Vec<BookItem>>,
}

impl<'a> Program<'a> {
    pub fn new(table: &'a Preprocessor, root: &'a Path, messages: Messages) -> Program<'a> {
        let line = table
            .command
            .clone()
            .unwrap_or_else(|| format!("mdbook-{}", table.name));
        Program {
            table,
            line,
            root,
            messages,
        }
    }

    /// The program's name as the user would install it.
    pub fn program(&self) -> String {
        shlex::Shlex::new(&self.line).next().unwrap_or_default()
    }

    /// `CMD supports html`: exit status 0 means yes.
    pub fn supports(&self) -> anyhow::Result<Result<(), Skipped>> {
        let mut command = self.command()?;
        command.args(["supports", RENDERER]).stdin(Stdio::null());
        let status = match self.messages {
            // What it prints goes to stderr: stdout may be carrying a JSON report.
            Messages::Inherit => command
                .stdout(Stdio::from(std::io::stderr()))
                .stderr(Stdio::inherit())
                .status(),
            Messages::Lines(pass_on) => command.output().map(|output| {
                for text in [&output.stdout, &output.stderr] {
                    for line in String::from_utf8_lossy(text).lines() {
                        pass_on(&self.table.name, line);
                    }
                }
                output.status
            }),
        };
        match status {
            Ok(status) if status.success() => Ok(Ok(())),
            Ok(_) => Ok(Err(Skipped::Unsupported)),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Err(Skipped::Missing)),
            Err(err) => Err(self.cannot_start(&err)),
        }
    }

    /// Runs the preprocessor on `items`; the book it prints, or `Missing`.
    pub fn run(
        &self,
        context: &Context<'_>,
        items: &[BookItem],
    ) -> anyhow::Result<Result<Vec<BookItem>, Skipped>> {
        let input = serde_json::to_vec(&(
            context,
            Outgoing {
                items,
                sections: items,
                __non_exhaustive: (),
            },
        ))?;
        let mut command = self.command()?;
        let stderr = match self.messages {
            Messages::Inherit => Stdio::inherit(),
            Messages::Lines(_) => Stdio::piped(),
        };
        let child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn();
        let mut child = match child {
            Ok(child) => child,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Err(Skipped::Missing));
            }
            Err(err) => return Err(self.cannot_start(&err)),
        };
        let mut stdin = child.stdin.take().expect("stdin is piped");
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take();
        // Written from another thread, so a preprocessor that prints before it has read
        // everything cannot block on a full pipe. One that stops reading early is judged
        // by its exit status, as in mdBook. Its stderr, when read, is read as it comes
        // for the same reason.
        let output = std::thread::scope(|scope| {
            scope.spawn(move || {
                let _ = stdin.write_all(&input);
            });
            if let (Some(stderr), Messages::Lines(pass_on)) = (stderr, self.messages) {
                let name = &self.table.name;
                scope.spawn(move || {
                    for line in std::io::BufReader::new(stderr).split(b'\n') {
                        let Ok(line) = line else { break };
                        pass_on(name, &String::from_utf8_lossy(&line));
                    }
                });
            }
            let mut output = Vec::new();
            stdout.read_to_end(&mut output).map(|_| output)
        });
        let output =
            output.map_err(|err| self.failed(&format!("its output could not be read: {err}")))?;
        let status = child
            .wait()
            .map_err(|err| self.failed(&format!("shipshape could not wait for it: {err}")))?;
        if !status.success() {
            return Err(self.failed(&format!("it exited with {status}")));
        }
        let reply: Incoming = serde_json::from_slice(&output)
            .map_err(|err| self.not_a_book(&format!("its output is not a book in JSON ({err})")))?;
        let returned = match (reply.items, reply.sections) {
            // Both are there when it echoed what it was sent: the one it changed counts.
            (Some(same), Some(sections)) if same == items && sections != items => sections,
            (Some(returned), _) | (None, Some(returned)) => returned,
            (None, None) => {
                return Err(self.not_a_book(
                    "its output has neither `items` (mdBook 0.5's book) nor `sections` (mdBook 0.4's)",
                ));
            }
        };
        Ok(Ok(returned))
    }

    /// The command, as mdBook composes it.
    fn command(&self) -> anyhow::Result<Command> {
        let mut words = shlex::Shlex::new(&self.line);
        let Some(program) = words.next() else {
            anyhow::bail!(
                "the `command` of [preprocessor.{}] in {FILE_NAME} is empty\n  help: write the program to run, such as `command = \"mdbook-{}\"`, or remove the key to run `mdbook-{}`",
                self.table.name,
                self.table.name,
                self.table.name
            );
        };
        let program = PathBuf::from(program);
        // A bare name is looked up on PATH; a path starts at the book root.
        let program = if program.components().count() == 1 {
            program
        } else {
            self.root.join(program)
        };
        let mut command = Command::new(program);
        command.args(words).current_dir(self.root);
        Ok(command)
    }

    /// How to get the program, for a message about its absence.
    pub fn install_help(&self) -> String {
        let program = self.program();
        let name = Path::new(&program)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if program == name && name.starts_with("mdbook-") {
            format!("install it with `cargo install --locked {name}`")
        } else if program == name {
            format!("install `{program}` so that it is on PATH")
        } else {
            format!(
                "`{program}` is a path from the book root: check that the file is there and executable"
            )
        }
    }

    fn cannot_start(&self, err: &std::io::Error) -> anyhow::Error {
        self.failed(&format!("it could not be started: {err}"))
    }

    fn failed(&self, why: &str) -> anyhow::Error {
        anyhow::anyhow!(
            "the preprocessor `{}` (`{}`) failed: {why}\n  help: its own messages, if any, are above; fix what they say, or build without preprocessors with `--no-preprocessors` (the site may then differ from mdBook's)",
            self.table.name,
            self.line
        )
    }

    fn not_a_book(&self, why: &str) -> anyhow::Error {
        anyhow::anyhow!(
            "the preprocessor `{}` (`{}`) did not print a book: {why}\n  help: a preprocessor prints the book on stdout as JSON, `{{\"items\": [...]}}` as mdBook 0.5 sends it; messages belong on stderr",
            self.table.name,
            self.line
        )
    }
}
