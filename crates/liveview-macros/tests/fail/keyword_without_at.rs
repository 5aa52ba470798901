use liveview_diff::html;

fn main() {
    let ok = true;
    let _ = html! { if ok { "yes" } };
}
