//! `html!` renders the same HTML as `maud::html!` for the same template.

use maud::PreEscaped;

/// Renders the template with both macros and asserts the HTML is identical; returns it.
macro_rules! same_html {
    ($($template:tt)*) => {{
        let ours = liveview_diff::html! { $($template)* }.to_html();
        let theirs = maud::html! { $($template)* }.into_string();
        assert_eq!(ours, theirs, "html! and maud::html! disagree");
        ours
    }};
}

#[test]
fn empty_template_renders_nothing() {
    assert_eq!(same_html! {}, "");
}

#[test]
fn elements_with_bodies_and_text() {
    let html = same_html! {
        div { h1 { "Title" } p { "One " "two" } span {} }
    };
    assert_eq!(html, "<div><h1>Title</h1><p>One two</p><span></span></div>");
}

#[test]
fn literals_are_escaped_like_maud() {
    same_html! { p { "<b> & \"quoted\" 'single' </b>" } };
    same_html! { p title="a<b & \"c\"" { "x" } };
}

#[test]
fn splices_are_escaped_and_pre_escaped_is_verbatim() {
    let name = "<script>";
    let bold = PreEscaped("<b>bold</b>");
    let html = same_html! { p { (name) " " (bold) " " (42) " " (1.5) " " ('c') } };
    assert_eq!(html, "<p>&lt;script&gt; <b>bold</b> 42 1.5 c</p>");
}

#[test]
fn spliced_markup_is_verbatim() {
    let inner = maud::html! { em { "hi" } };
    same_html! { div { (inner) } };
}

#[test]
fn void_elements() {
    let html = same_html! {
        br;
        input type="text" name="q";
        img src="/a.png" alt="A";
        hr;
    };
    assert_eq!(
        html,
        "<br><input type=\"text\" name=\"q\"><img src=\"/a.png\" alt=\"A\"><hr>"
    );
}

#[test]
fn class_and_id_shorthands() {
    same_html! { .a { "x" } };
    same_html! { #b { "x" } };
    same_html! { p.a.b #c { "x" } };
    same_html! { p #c .a .b title="t" { "x" } };
    same_html! { input.field #q type="text"; };
    same_html! { p."with-string" { "x" } };
    same_html! { p.col-md-6.mt-2 { "x" } };
}

#[test]
fn classes_merge_like_maud_with_toggles() {
    for (on, off) in [(true, false), (false, true), (true, true), (false, false)] {
        same_html! { p.a.b[on].c[off].d { "x" } };
        same_html! { p.first[on].second { "x" } };
        same_html! { p.first[off] { "x" } };
        same_html! { p.first[on].second[off] { "x" } };
    }
}

#[test]
fn class_and_id_splices() {
    let class = "dyn<amic>";
    let id = "the-id";
    let on = true;
    same_html! { p.static.(class) #(id) { "x" } };
    same_html! { p.(class)[on].other { "x" } };
    same_html! { p.a.(class)[!on] { "x" } };
    same_html! { p.{ "pre-" (class) } { "x" } };
    same_html! { p #{ "item-" (id) } { "x" } };
}

#[test]
fn attribute_values() {
    let url = "/search?q=a&b=\"c\"";
    let n = 7;
    same_html! { a href=(url) { "go" } };
    same_html! { a href={ "/items/" (n) "/edit" } { "edit" } };
    same_html! { div data-count=(n) data-label="seven" { } };
    same_html! { div "data-x"="1" { } };
    same_html! { html xml:lang="en" { } };
    same_html! { button phx-click="inc" phx-value-id=(n) { "+" } };
}

#[test]
fn empty_and_toggled_attributes() {
    for on in [true, false] {
        same_html! { input type="checkbox" checked; };
        same_html! { input type="checkbox" checked[on] disabled[!on]; };
        same_html! { button disabled[on] phx-click="go" { "Go" } };
    }
}

#[test]
fn optional_attributes() {
    for value in [Some("a<b"), None] {
        same_html! { input value=[value]; };
        same_html! { a href=[value] title="t" { "x" } };
    }
    let n: Option<u32> = Some(3);
    same_html! { td colspan=[n] { } };
}

#[test]
fn if_else_chains() {
    for n in [0, 1, 2, 3] {
        same_html! {
            div {
                @if n == 0 { "zero" }
                @else if n == 1 { b { "one" } }
                @else if n == 2 { i { "two" } (n) }
                @else { "many" }
            }
        };
        same_html! { p { @if n > 1 { "big" } } };
    }
}

#[test]
fn if_let() {
    for user in [Some("ann"), None] {
        same_html! {
            @if let Some(name) = user { p { "Hi " (name) } } @else { p { "Who?" } }
        };
    }
}

#[test]
fn match_arms() {
    for v in [None, Some(1), Some(5), Some(50)] {
        same_html! {
            div {
                @match v {
                    Some(n) if n > 10 => { b { "big " (n) } }
                    Some(n) => span { (n) },
                    None => "none",
                }
            }
        };
    }
}

#[test]
fn for_loops() {
    let items = ["a", "<b>", "c"];
    same_html! { ul { @for item in &items { li { (item) } } } };
    let empty: [&str; 0] = [];
    same_html! { ul { @for item in &empty { li { (item) } } } };
    same_html! { ol { @for (i, item) in items.iter().enumerate() { li value=(i) { (item) } } } };
}

#[test]
fn nested_loops() {
    let rows = [vec![1, 2], vec![], vec![3]];
    same_html! {
        table {
            @for (r, row) in rows.iter().enumerate() {
                tr.odd[r % 2 == 1] {
                    @for cell in row { td { (cell) } }
                    @if row.is_empty() { td { "empty" } }
                }
            }
        }
    };
}

#[test]
fn while_loops() {
    let mut i = 0;
    let ours = liveview_diff::html! { ul { @while i < 3 { @let current = { i += 1; i - 1 }; li { (current) } } } };
    let mut i = 0;
    let theirs =
        maud::html! { ul { @while i < 3 { @let current = { i += 1; i - 1 }; li { (current) } } } };
    assert_eq!(ours.to_html(), theirs.into_string());
    assert_eq!(ours.to_html(), "<ul><li>0</li><li>1</li><li>2</li></ul>");
}

#[test]
fn let_bindings() {
    let items = [1, 2, 3];
    same_html! {
        @let total: i32 = items.iter().sum();
        p { "Total: " (total) }
        @for x in &items {
            @let double = x * 2;
            span { (double) }
        }
        { @let scoped = "inner"; b { (scoped) } }
    };
}

#[test]
fn doctype_is_a_splice() {
    let html = same_html! { (maud::DOCTYPE) html { head { title { "T" } } body {} } };
    assert!(html.starts_with("<!DOCTYPE html><html>"));
}

#[test]
fn stray_semicolons_are_ignored() {
    same_html! { p { "a" ; "b" } ; };
}

#[test]
fn a_broad_page() {
    struct Todo {
        id: u32,
        title: &'static str,
        done: bool,
    }
    let todos = [
        Todo {
            id: 1,
            title: "<write> tests",
            done: true,
        },
        Todo {
            id: 2,
            title: "ship",
            done: false,
        },
    ];
    let filter: Option<&str> = Some("all");
    same_html! {
        section #todos .app data-filter=[filter] {
            header { h1 { "Todos (" (todos.len()) ")" } }
            ul.list {
                @for todo in &todos {
                    li.todo.done[todo.done] id={ "todo-" (todo.id) } {
                        input type="checkbox" checked[todo.done] phx-click="toggle" phx-value-id=(todo.id);
                        label { (todo.title) }
                        @match todo.done { true => small { "done" }, false => {} }
                    }
                }
            }
            @if todos.is_empty() { p.empty { "Nothing to do" } }
            footer { "Left: " (todos.iter().filter(|t| !t.done).count()) }
        }
    };
}

#[test]
fn control_flow_inside_attribute_values_and_classes() {
    for on in [true, false] {
        same_html! { p title={ @if on { "yes" } @else { "no" } } { "x" } };
        same_html! { p data-list={ @for i in 0..3 { (i) "," } } { } };
        same_html! { p.base.{ "state-" @if on { "on" } @else { "off" } } { } };
        same_html! { p.a.{ "x-" (1) }[on] { } };
        same_html! { p.{ "only" }[on] { } };
        same_html! { p title=@match on { true => "t", false => "f" } { } };
    }
}

#[test]
fn element_and_attribute_names_with_punctuation() {
    same_html! { my-element data-a-b-c="1" "aria-label"="x" xml:lang="en" { } };
    same_html! { svg viewBox="0 0 1 1" { circle cx="1" r="1" {} } };
    same_html! { div data-1="one" { } };
}

#[test]
fn deeply_nested_control_flow() {
    let groups = [("a", vec![Some(1), None]), ("b", vec![])];
    for flag in [true, false] {
        same_html! {
            @for (name, items) in &groups {
                section.group.open[flag] {
                    h2 { (name) }
                    @if items.is_empty() { p { "empty" } } @else {
                        ul {
                            @for item in items {
                                @match item {
                                    Some(n) => li.some { (n) @if flag { " *" } },
                                    None => li.none { "-" },
                                }
                            }
                        }
                    }
                }
            }
        };
    }
}

#[test]
fn integer_splices_and_keys_print_like_maud() {
    // Integers take a path of their own (digits straight into the dynamic); the bytes must be
    // maud's (`itoa`) for every width, sign and extreme.
    let (a, b, c, d, e) = (0u8, u16::MAX, u32::MAX, u64::MAX, usize::MAX);
    let (f, g, h, i, j) = (i8::MIN, i16::MIN, i32::MIN, i64::MIN, isize::MIN);
    let (k, l, m) = (-1i64, 9i32, 10u64);
    same_html! { p { (a) " " (b) " " (c) " " (d) " " (e) } };
    same_html! { p { (f) " " (g) " " (h) " " (i) " " (j) " " (k) " " (l) " " (m) } };
    same_html! { p { (7) (-7) (i64::MAX) (1_000_000_000_000u64) } };
    let refs = [&3u32, &40];
    same_html! { @for r in refs { i { (r) (*r) } } };
    let values: Vec<i64> = vec![-120, 0, 99, 100, i64::MIN, i64::MAX];
    let live = liveview_diff::html! { @for v in &values; key = (*v) { b { (v) } } };
    let keys: Vec<_> = match &live.dynamics()[0] {
        liveview_diff::Dynamic::Comprehension(c) => c
            .rows()
            .map(|r| r.key().map(|k| k.as_str().to_owned()))
            .collect(),
        other => panic!("not a loop: {other:?}"),
    };
    let expected: Vec<_> = values.iter().map(|v| Some(v.to_string())).collect();
    assert_eq!(keys, expected);
    same_html! { @for v in &values { b { (v) } } };
}
