//! Fuzzes the DOT string escaper (`policykg_views::render::escape`) with UTF-8 text. Checks: the result
//! is one double-quoted literal whose inner quotes are all escaped and whose closing quote
//! is not, without raw line breaks; its escapes read back give the input (carriage returns
//! dropped); and graphviz-rust parses `digraph { a [label=LITERAL] }` with that literal as
//! the label. See `check_dot_escape` in `fuzz/checks.rs`.

use policykg_fuzz::checks::check_dot_escape;

fn main() {
    // Lazily built tables are built once, before AFL++'s fork server starts.
    check_dot_escape(b"a \"b\" \\ c\r\n");
    afl::fuzz!(|data: &[u8]| {
        check_dot_escape(data);
    });
}
