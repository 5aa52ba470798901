//! `html!` is an expression of type `Rendered`, usable in functions, closures and generics.
use liveview_diff::{html, Rendered};

fn row<T: std::fmt::Display>(label: &str, value: T) -> Rendered {
    html! { tr { th { (label) } td { (maud::display(value)) } } }
}

fn page(rows: &[(String, u32)]) -> Rendered {
    html! {
        (maud::DOCTYPE)
        table {
            @for (label, value) in rows { (row(label, value)) }
        }
    }
}

fn main() {
    let html = page(&[("a".to_owned(), 1)]).to_html();
    assert_eq!(html, "<!DOCTYPE html><table><tr><th>a</th><td>1</td></tr></table>");
    let closure = |b: bool| html! { @if b { "yes" } };
    assert_eq!(closure(true).to_html(), "yes");
}
