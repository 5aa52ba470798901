//! Typed assigns and events are checked when compiling: a misspelled or mistyped assign, and a
//! template naming an event that does not exist, fail with an error that names the mistake
//! (golden `.stderr` files; regenerate with `TRYBUILD=overwrite` and read every diff).

#[test]
fn typed_views_compile() {
    trybuild::TestCases::new().pass("tests/typed/pass/*.rs");
}

#[test]
fn assign_and_event_mistakes_do_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/typed/fail/*.rs");
}
