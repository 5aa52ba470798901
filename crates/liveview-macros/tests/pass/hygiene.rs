//! `html!` works without the prelude and its locals neither clash with nor see the user's.
#![no_implicit_prelude]

extern crate liveview_diff;
extern crate std;

fn main() {
    let __liveview_dynamics = "mine";
    let __liveview_entries = 2;
    let __liveview_value = ::std::option::Option::Some("v");
    let items = [1, 2];
    let page: liveview_diff::Rendered = liveview_diff::html! {
        p.a.b[true] #c title=(__liveview_dynamics) value=[__liveview_value] hidden[false] {
            (__liveview_entries)
            @for i in &items; key = (i) { b { (i) } }
            @while false { "never" }
            @if let ::std::option::Option::Some(v) = __liveview_value { (v) } @else { "none" }
            @match __liveview_entries { 2 => "two", _ => {} }
            @let local = 3;
            (local)
        }
    };
    ::std::assert_eq!(
        page.to_html(),
        "<p class=\"a b\" id=\"c\" title=\"mine\" value=\"v\">2<b>1</b><b>2</b>vtwo3</p>"
    );
}
