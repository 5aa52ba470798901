use liveview_diff::html;

fn main() {
    let n = 1;
    let _ = html! { @if n == 0 { "zero" } @elif n == 1 { "one" } };
}
