use liveview_diff::html;

fn main() {
    let _ = html! { div { "ok" } p class="x" };
}
