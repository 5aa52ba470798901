use liveview_diff::html;

fn main() {
    let _ = html! { input checked["yes"]; };
}
