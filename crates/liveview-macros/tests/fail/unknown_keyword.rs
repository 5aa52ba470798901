use liveview_diff::html;

fn main() {
    let _ = html! { @each x in [1] { (x) } };
}
