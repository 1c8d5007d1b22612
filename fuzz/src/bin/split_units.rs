//! Fuzzes the unit-list splitter (`policykg_extract::parse::split_unit_list`) with UTF-8 text. Checks:
//! no panic, every unit's `surface` is the input's code points at its `span`, and no unit
//! has an empty name. See `check_split_units` in `fuzz/checks.rs`.

use policykg_fuzz::checks::check_split_units;

fn main() {
    // Lazily built tables are built once, before AFL++'s fork server starts.
    check_split_units("省发展改革委、省财政厅，各市政府（牵头）\n沈阳、大连市政府".as_bytes());
    afl::fuzz!(|data: &[u8]| {
        check_split_units(data);
    });
}
