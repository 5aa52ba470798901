//! Compile-time behaviour of `html!`: templates that must compile, and mistakes that must fail
//! with an error pointing at the offending token and showing the right form (golden `.stderr`
//! files; regenerate with `TRYBUILD=overwrite` and read every diff).

#[test]
fn valid_templates_compile() {
    trybuild::TestCases::new().pass("tests/pass/*.rs");
}

#[test]
fn template_mistakes_fail_with_errors_that_show_the_fix() {
    trybuild::TestCases::new().compile_fail("tests/fail/*.rs");
}
