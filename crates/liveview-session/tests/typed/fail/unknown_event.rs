use liveview_diff::html;
use liveview_session::LiveEvent;

#[derive(LiveEvent)]
#[live(crate = liveview_session)]
enum Msg {
    Inc,
    Delete { id: u64 },
}

fn main() {
    let _ = html! {
        button phx-click=(Msg::Dec) { "-" }
        button phx-click=(Msg::Delete { id: "seven" }) { "x" }
    };
}
