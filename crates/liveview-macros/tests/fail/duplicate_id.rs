use liveview_diff::html;

fn main() {
    let _ = html! { p #a #b { } };
}
