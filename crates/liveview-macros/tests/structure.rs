//! `html!` splits a template into exactly the statics and dynamics the diff engine relies on.

use liveview_diff::{html, Comprehension, Dynamic, Entry, Rendered};
use maud::PreEscaped;

fn statics(r: &Rendered) -> Vec<&'static str> {
    r.template().statics().to_vec()
}

fn nested(d: &Dynamic) -> &Rendered {
    match d {
        Dynamic::Nested(r) => r,
        other => panic!("expected a nested tree, got {other:?}"),
    }
}

fn comprehension(d: &Dynamic) -> &Comprehension {
    match d {
        Dynamic::Comprehension(c) => c,
        other => panic!("expected a comprehension, got {other:?}"),
    }
}

fn text(s: &str) -> Dynamic {
    Dynamic::text(s)
}

#[test]
fn empty_template_has_one_empty_static() {
    let r = html! {};
    assert_eq!(statics(&r), [""]);
    assert!(r.dynamics().is_empty());
}

#[test]
fn static_markup_is_joined_into_one_static() {
    let r = html! { div.a #b { h1 { "Hi" } br; "a" "b" } };
    assert_eq!(
        statics(&r),
        ["<div class=\"a\" id=\"b\"><h1>Hi</h1><br>ab</div>"]
    );
    assert!(r.dynamics().is_empty());
}

#[test]
fn each_splice_is_one_hole() {
    let (a, b) = (1, "two");
    let r = html! { p { (a) (b) } };
    assert_eq!(statics(&r), ["<p>", "", "</p>"]);
    assert_eq!(r.dynamics(), [text("1"), text("two")]);
}

#[test]
fn splice_at_the_edges_gives_empty_statics() {
    let r = html! { ("x") };
    assert_eq!(statics(&r), ["", ""]);
    assert_eq!(r.dynamics(), [text("x")]);
}

#[test]
fn spliced_text_is_escaped_and_pre_escaped_is_one_verbatim_dynamic() {
    let r = html! { p { ("<script>") (PreEscaped("<b>")) } };
    assert_eq!(r.dynamics(), [text("&lt;script&gt;"), text("<b>")]);
    assert_eq!(r.to_html(), "<p>&lt;script&gt;<b></p>");
}

#[test]
fn spliced_markup_is_one_verbatim_dynamic() {
    let markup = maud::html! { em { "a<b" } };
    let r = html! { div { (markup) } };
    assert_eq!(r.dynamics(), [text("<em>a&lt;b</em>")]);
}

#[test]
fn spliced_rendered_is_a_nested_tree() {
    let inner = html! { b { ("x") } };
    let r = html! { div { (inner) } };
    assert_eq!(statics(&r), ["<div>", "</div>"]);
    let n = nested(&r.dynamics()[0]);
    assert_eq!(statics(n), ["<b>", "</b>"]);
    assert_eq!(n.dynamics(), [text("x")]);
}

#[test]
fn attribute_splice_is_a_text_hole_inside_the_quotes() {
    let id = "a\"b";
    let r = html! { a href={ "/u/" (id) } title=(id) { "x" } };
    assert_eq!(statics(&r), ["<a href=\"/u/", "\" title=\"", "\">x</a>"]);
    assert_eq!(r.dynamics(), [text("a&quot;b"), text("a&quot;b")]);
}

#[test]
fn hyphenated_and_string_attribute_names_are_static() {
    let r = html! { button phx-click="inc" phx-value-id="7" data-x-y="z" "@click"="go" { "+" } };
    assert_eq!(
        statics(&r),
        ["<button phx-click=\"inc\" phx-value-id=\"7\" data-x-y=\"z\" @click=\"go\">+</button>"]
    );
}

#[test]
fn toggled_attribute_is_a_hole_holding_the_name_or_nothing() {
    for on in [true, false] {
        let r = html! { input checked[on] disabled; };
        assert_eq!(statics(&r), ["<input", " disabled>"]);
        assert_eq!(r.dynamics(), [text(if on { " checked" } else { "" })]);
    }
}

#[test]
fn optional_attribute_is_a_hole_holding_the_whole_attribute() {
    let r = html! { a href=[Some("/x?a&b")] { } };
    assert_eq!(statics(&r), ["<a", "></a>"]);
    assert_eq!(r.dynamics(), [text(" href=\"/x?a&amp;b\"")]);
    let r = html! { a href=[None::<&str>] { } };
    assert_eq!(r.dynamics(), [Dynamic::empty()]);
}

#[test]
fn toggled_classes_come_after_static_classes_one_hole_each() {
    let r = html! { p.a.b[true].c.d[false] { } };
    assert_eq!(statics(&r), ["<p class=\"a c", "", "\"></p>"]);
    assert_eq!(r.dynamics(), [text(" b"), Dynamic::empty()]);
    // The very first class gets no leading space, as in maud.
    let r = html! { p.first[true] { } };
    assert_eq!(statics(&r), ["<p class=\"", "\"></p>"]);
    assert_eq!(r.dynamics(), [text("first")]);
}

#[test]
fn class_and_id_splices_are_text_holes() {
    let r = html! { p.(1 + 1) #("i<d") .x { } };
    assert_eq!(statics(&r), ["<p class=\"", " x\" id=\"", "\"></p>"]);
    assert_eq!(r.dynamics(), [text("2"), text("i&lt;d")]);
}

#[test]
fn if_chain_is_one_hole_with_a_template_per_branch() {
    let render = |n: i32| html! { div { @if n == 0 { "zero" } @else if n == 1 { b { (n) } } @else { i { "many" } } } };
    let zero = render(0);
    assert_eq!(statics(&zero), ["<div>", "</div>"]);
    assert_eq!(statics(nested(&zero.dynamics()[0])), ["zero"]);
    let one = render(1);
    let branch = nested(&one.dynamics()[0]);
    assert_eq!(statics(branch), ["<b>", "</b>"]);
    assert_eq!(branch.dynamics(), [text("1")]);
    let many = render(5);
    assert_eq!(statics(nested(&many.dynamics()[0])), ["<i>many</i>"]);
    // Same outer template every time: only the hole changes.
    assert_eq!(zero.template(), one.template());
}

#[test]
fn if_without_else_is_empty_when_false() {
    let r = html! { p { @if false { "x" } } };
    assert_eq!(r.dynamics(), [Dynamic::empty()]);
    assert_eq!(r.to_html(), "<p></p>");
}

#[test]
fn if_let_binds_in_the_branch() {
    let r = html! { @if let Some(n) = Some(3) { (n) } };
    assert_eq!(statics(nested(&r.dynamics()[0])), ["", ""]);
    assert_eq!(nested(&r.dynamics()[0]).dynamics(), [text("3")]);
}

#[test]
fn match_is_one_hole_with_a_template_per_arm() {
    let render = |v: Option<i32>| {
        html! { @match v { Some(n) if n > 9 => b { (n) }, Some(_) => { "small" } None => "none" } }
    };
    let big = render(Some(10));
    assert_eq!(statics(&big), ["", ""]);
    assert_eq!(statics(nested(&big.dynamics()[0])), ["<b>", "</b>"]);
    assert_eq!(statics(nested(&render(Some(1)).dynamics()[0])), ["small"]);
    assert_eq!(statics(nested(&render(None).dynamics()[0])), ["none"]);
}

#[test]
fn for_is_one_comprehension_hole_with_one_entry_per_item() {
    let r = html! { ul { @for x in ["a", "b"] { li { (x) } } } };
    assert_eq!(statics(&r), ["<ul>", "</ul>"]);
    let c = comprehension(&r.dynamics()[0]);
    assert_eq!(c.template().statics(), ["<li>", "</li>"]);
    assert_eq!(
        c.entries(),
        [Entry::new(vec![text("a")]), Entry::new(vec![text("b")])]
    );
    assert!(c.entries().iter().all(|e| e.key().is_none()));
}

#[test]
fn empty_loop_is_a_comprehension_without_entries() {
    let r = html! { @for x in Vec::<u8>::new() { (x) } };
    assert!(comprehension(&r.dynamics()[0]).entries().is_empty());
    assert_eq!(r.to_html(), "");
}

#[test]
fn keyed_for_gives_each_entry_its_key() {
    struct Item {
        id: u32,
        name: &'static str,
    }
    let items = [Item { id: 7, name: "a" }, Item { id: 9, name: "b" }];
    let r = html! { @for item in &items; key = (item.id) { li { (item.name) } } };
    let c = comprehension(&r.dynamics()[0]);
    assert_eq!(
        c.entries(),
        [
            Entry::keyed("7", vec![text("a")]),
            Entry::keyed("9", vec![text("b")])
        ]
    );
}

#[test]
fn keyed_for_accepts_any_display_key() {
    let r = html! { @for (i, c) in ['x', 'y'].iter().enumerate(); key = (format_args!("k{i}")) { (c) } };
    let keys: Vec<_> = comprehension(&r.dynamics()[0])
        .entries()
        .iter()
        .map(|e| e.key().unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["k0", "k1"]);
}

#[test]
fn nested_loops_nest_comprehensions_in_entries() {
    let rows = [vec![1, 2], vec![3]];
    let r = html! { @for row in &rows { tr { @for cell in row { td { (cell) } } } } };
    let outer = comprehension(&r.dynamics()[0]);
    assert_eq!(outer.template().statics(), ["<tr>", "</tr>"]);
    let first = comprehension(&outer.row(0).dynamics()[0]);
    assert_eq!(first.template().statics(), ["<td>", "</td>"]);
    assert_eq!(first.entries().len(), 2);
    let second = comprehension(&outer.row(1).dynamics()[0]);
    assert_eq!(second.entries(), [Entry::new(vec![text("3")])]);
    assert_eq!(
        r.to_html(),
        "<tr><td>1</td><td>2</td></tr><tr><td>3</td></tr>"
    );
}

#[test]
fn loop_body_without_holes_has_empty_entries() {
    let r = html! { @for _ in 0..2 { hr; } };
    let c = comprehension(&r.dynamics()[0]);
    assert_eq!(c.template().statics(), ["<hr>"]);
    assert_eq!(c.entries(), [Entry::new(vec![]), Entry::new(vec![])]);
}

#[test]
fn while_is_a_comprehension_without_keys() {
    let mut n = 0;
    let r = html! { @while n < 2 { @let current = { n += 1; n }; i { (current) } } };
    let c = comprehension(&r.dynamics()[0]);
    assert_eq!(c.template().statics(), ["<i>", "</i>"]);
    assert_eq!(
        c.entries(),
        [Entry::new(vec![text("1")]), Entry::new(vec![text("2")])]
    );
}

#[test]
fn let_adds_no_hole_and_scopes_to_its_block() {
    let x = "outer";
    let r = html! {
        div { @let x = "inner"; (x) }
        (x)
        { @let x = "block"; (x) }
        (x)
        @let x = "rest";
        (x)
    };
    assert_eq!(statics(&r), ["<div>", "</div>", "", "", "", ""]);
    assert_eq!(
        r.dynamics(),
        [
            text("inner"),
            text("outer"),
            text("block"),
            text("outer"),
            text("rest")
        ]
    );
}

#[test]
fn same_template_site_shares_its_static_template() {
    let render = |n: u32| html! { span #count { (n) } };
    let (a, b) = (render(1), render(2));
    assert!(std::ptr::eq(a.template(), b.template()));
    assert_ne!(a, b);
}

#[test]
fn splices_are_evaluated_in_source_order() {
    let mut log = Vec::new();
    let mut next = |s: &'static str| {
        log.push(s);
        s
    };
    let r = html! { p title=(next("a")) { (next("b")) @if true { (next("c")) } } (next("d")) };
    assert_eq!(r.to_html(), "<p title=\"a\">bc</p>d");
    assert_eq!(log, ["a", "b", "c", "d"]);
}

#[test]
fn control_flow_in_an_attribute_value_is_one_nested_hole_of_escaped_text() {
    let r = html! { p title={ "a " @if true { ("<b>") } } { } };
    assert_eq!(statics(&r), ["<p title=\"a ", "\"></p>"]);
    let branch = nested(&r.dynamics()[0]);
    assert_eq!(statics(branch), ["", ""]);
    assert_eq!(branch.dynamics(), [text("&lt;b&gt;")]);
}

#[test]
fn display_only_values_splice_like_maud() {
    let flag = true;
    let pi = 3.5_f32;
    let r = html! { p title=(flag) { (flag) " " (pi) " " ('<') } };
    assert_eq!(
        r.to_html(),
        maud::html! { p title=(flag) { (flag) " " (pi) " " ('<') } }.into_string()
    );
}

/// A typed event for the event-attribute tests.
enum Msg {
    Inc,
    Move { id: u32, to: &'static str },
}

impl liveview_diff::EventBinding for Msg {
    fn event_name(&self) -> &str {
        match self {
            Msg::Inc => "inc",
            Msg::Move { .. } => "move",
        }
    }

    fn event_values(&self) -> Vec<(&'static str, String)> {
        match self {
            Msg::Inc => Vec::new(),
            Msg::Move { id, to } => vec![("id", id.to_string()), ("to", (*to).to_owned())],
        }
    }
}

#[test]
fn an_event_attribute_splice_is_one_hole_holding_the_whole_attribute() {
    let r = html! { button phx-click=(Msg::Inc) { "+" } };
    assert_eq!(statics(&r), ["<button", ">+</button>"]);
    assert_eq!(r.dynamics(), [text(" phx-click=\"inc\"")]);
}

#[test]
fn a_typed_event_renders_its_values_as_escaped_phx_value_attributes() {
    let r = html! { button.up phx-click=(Msg::Move { id: 7, to: "<top>" }) { "up" } };
    assert_eq!(
        r.to_html(),
        "<button class=\"up\" phx-click=\"move\" phx-value-id=\"7\" phx-value-to=\"&lt;top&gt;\">up</button>"
    );
}

#[test]
fn a_reference_to_a_typed_event_renders_the_same() {
    let msgs = [Msg::Inc, Msg::Move { id: 1, to: "a" }];
    let r = html! { @for m in &msgs { button phx-click=(m) {} } };
    assert_eq!(
        r.to_html(),
        "<button phx-click=\"inc\"></button><button phx-click=\"move\" phx-value-id=\"1\" phx-value-to=\"a\"></button>"
    );
}

#[test]
fn an_event_attribute_with_any_other_splice_renders_as_before() {
    let js = String::from("[[\"push\",{\"event\":\"a\"}]]");
    let r = html! { button phx-click=(js) phx-submit="save" { "x" } };
    assert_eq!(
        r.to_html(),
        "<button phx-click=\"[[&quot;push&quot;,{&quot;event&quot;:&quot;a&quot;}]]\" phx-submit=\"save\">x</button>"
    );
    let shown = true;
    let r = html! { button phx-blur=(shown) { "x" } };
    assert_eq!(r.to_html(), "<button phx-blur=\"true\">x</button>");
}

#[test]
fn other_attribute_splices_keep_their_hole_inside_the_quotes() {
    let id = 3;
    let r = html! { button phx-value-id=(id) { "x" } };
    assert_eq!(statics(&r), ["<button phx-value-id=\"", "\">x</button>"]);
}
