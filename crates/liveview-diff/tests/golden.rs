//! Exact wire bytes for the counter, the conditional and the comprehension cases of
//! PROTOCOL.md §4.5, with templates written in `html!`.

use liveview_diff::{html, DiffTracker, Extras, Rendered};

fn counter(n: i64) -> Rendered {
    html! { div { h1 { "Count: " (n) } button phx-click="inc" { "+" } } }
}

#[test]
fn counter_join_and_click() {
    let mut t = DiffTracker::new();
    let title = format!("Counter {}", 0);
    let join = t.render_full(
        counter(0),
        &Extras {
            title: Some(&title),
            ..Extras::default()
        },
    );
    assert_eq!(
        join,
        r#"{"0":"0","s":["<div><h1>Count: ","</h1><button phx-click=\"inc\">+</button></div>"],"t":"Counter 0"}"#
    );
    let title = format!("Counter {}", 1);
    let click = t.render_diff(
        counter(1),
        &Extras {
            title: Some(&title),
            ..Extras::default()
        },
    );
    assert_eq!(click.as_deref(), Some(r#"{"0":"1","t":"Counter 1"}"#));
    // B2: the counter click is 9 bytes before the title (target: at most 16).
    let bare = t
        .render_diff(
            counter(2),
            &Extras {
                title: None,
                ..Extras::default()
            },
        )
        .unwrap();
    assert_eq!(bare, r#"{"0":"2"}"#);
    assert!(bare.len() <= 16);
}

fn conditional(title: &str, on: bool, n: i64) -> Rendered {
    html! { div { h1 { (title) } @if on { p.on { "ON " (n) } } @else { span { "OFF" } } } }
}

#[test]
fn conditional_switches_branches_with_new_statics() {
    let mut t = DiffTracker::new();
    let e = Extras::default();
    assert_eq!(
        t.render_full(conditional("Hello", true, 1), &e),
        r#"{"0":"Hello","1":{"0":"1","s":["<p class=\"on\">ON ","</p>"]},"s":["<div><h1>","</h1>","</div>"]}"#
    );
    assert_eq!(
        t.render_diff(conditional("Hello", true, 2), &e).as_deref(),
        Some(r#"{"1":{"0":"2"}}"#)
    );
    assert_eq!(
        t.render_diff(conditional("World", true, 2), &e).as_deref(),
        Some(r#"{"0":"World"}"#)
    );
    assert_eq!(
        t.render_diff(conditional("World", false, 2), &e).as_deref(),
        Some(r#"{"1":{"s":["<span>OFF</span>"]}}"#)
    );
    assert_eq!(
        t.render_diff(conditional("World", true, 3), &e).as_deref(),
        Some(r#"{"1":{"0":"3","s":["<p class=\"on\">ON ","</p>"]}}"#)
    );
    assert_eq!(t.render_diff(conditional("World", true, 3), &e), None);
}

fn list(items: &[(u32, &str)]) -> Rendered {
    html! { ul { @for (id, name) in items; key = (id) { li { (name) } } } }
}

#[test]
fn comprehension_appends_removes_reorders_and_moves() {
    let mut t = DiffTracker::new();
    let e = Extras::default();
    assert_eq!(
        t.render_full(list(&[(1, "A"), (2, "B")]), &e),
        r#"{"0":{"k":{"0":{"0":"A"},"1":{"0":"B"},"kc":2},"s":["<li>","</li>"]},"s":["<ul>","</ul>"]}"#
    );
    let steps: &[(&[(u32, &str)], &str)] = &[
        (
            &[(1, "A"), (2, "B"), (3, "C")],
            r#"{"0":{"k":{"2":{"0":"C"},"kc":3}}}"#,
        ),
        (&[(1, "A"), (2, "B")], r#"{"0":{"k":{"kc":2}}}"#),
        (
            &[(2, "B"), (1, "A")],
            r#"{"0":{"k":{"0":1,"1":0,"kc":2,"km":true}}}"#,
        ),
        (
            &[(2, "B"), (1, "AA")],
            r#"{"0":{"k":{"1":{"0":"AA"},"kc":2}}}"#,
        ),
        (
            &[(1, "A2"), (2, "B"), (9, "Z")],
            r#"{"0":{"k":{"0":[1,{"0":"A2"}],"1":0,"2":{"0":"Z"},"kc":3,"km":true}}}"#,
        ),
        (&[], r#"{"0":{"k":{"kc":0}}}"#),
    ];
    for (items, expected) in steps {
        assert_eq!(t.render_diff(list(items), &e).as_deref(), Some(*expected));
    }
}

#[test]
fn statics_shared_within_one_diff_go_to_templates() {
    let rows = |n: u32| -> Rendered {
        html! { ul { @for i in 0..n; key = (i) { li { @if i % 2 == 0 { b { (i) } } @else { i { (i) } } } } } }
    };
    let mut t = DiffTracker::new();
    let join = t.render_full(rows(3), &Extras::default());
    assert_eq!(
        join,
        r#"{"0":{"k":{"0":{"0":{"0":"0","s":0}},"1":{"0":{"0":"1","s":["<i>","</i>"]}},"2":{"0":{"0":"2","s":0}},"kc":3},"s":["<li>","</li>"]},"s":["<ul>","</ul>"],"p":{"0":["<b>","</b>"]}}"#
    );
}

#[test]
fn text_is_escaped_and_always_a_json_string() {
    let name = "<script>alert(1)</script>";
    let mut t = DiffTracker::new();
    let join = t.render_full(html! { p { (name) (42) } }, &Extras::default());
    assert_eq!(
        join,
        r#"{"0":"&lt;script&gt;alert(1)&lt;/script&gt;","1":"42","s":["<p>","","</p>"]}"#
    );
}
