//! Fuzzes decoding, parsing and linking (`policykg_extract::extract_bytes` with the built-in
//! gazetteer). The first byte picks the format — `.txt`, `.html`, `.docx` as given, or a
//! `.docx` built around the rest as its Word XML parts — and the rest is the document.
//! Checks: no panic, and every span of the parsed document (sections, tasks, units, goals,
//! entity links, pairings, unread clauses) lies in the text and cuts out the text the model
//! says is there. See `check_decode_parse` in `fuzz/checks.rs`.

use policykg_fuzz::checks::check_decode_parse;

fn main() {
    // Load the gazetteer and the parser's lazily built tables once, before AFL++'s fork
    // server starts, rather than in every child.
    let _ = policykg_extract::link::Gazetteer::builtin();
    check_decode_parse(
        "\0一、总体要求\n（一）加强合作。（牵头单位：省发展改革委，责任单位：各市政府）\n"
            .as_bytes(),
    );
    afl::fuzz!(|data: &[u8]| {
        check_decode_parse(data);
    });
}
