//! Fuzzes the SPARQL 1.1 Protocol request reader (`policykg::http::read_operation`). Input: a
//! flags byte (bit 0: GET; bits 1–2: content type, 0 = as given), the query string, 0xFF,
//! the content type, 0xFF, the body. Checks: no panic; a refusal is a 4xx; an operation
//! read carries the text, kind, format and graphs that were given. See
//! `check_sparql_request` in `fuzz/checks.rs`.

use policykg_fuzz::checks::check_sparql_request;

fn main() {
    // Lazily built tables are built once, before AFL++'s fork server starts.
    check_sparql_request(b"\x01query=SELECT+*+%7B%7D&format=json\xff\xff");
    afl::fuzz!(|data: &[u8]| {
        check_sparql_request(data);
    });
}
