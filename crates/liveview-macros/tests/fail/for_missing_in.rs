use liveview_diff::html;

fn main() {
    let items = [1, 2];
    let _ = html! { @for item of items { (item) } };
}
