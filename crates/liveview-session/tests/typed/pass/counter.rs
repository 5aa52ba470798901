use liveview_diff::{html, Rendered};
use liveview_session::{
    Assigns, LiveAssigns, LiveEvent, LiveView, Params, Session, Socket, ViewError,
};

#[derive(LiveAssigns)]
#[live(crate = liveview_session)]
struct State {
    count: i64,
    last: Option<u64>,
}

#[derive(LiveEvent)]
#[live(crate = liveview_session)]
enum Msg {
    Inc,
    Set { to: i64 },
}

struct Counter;

impl LiveView for Counter {
    type Info = ();
    type Event = Msg;

    fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.assign_all(State { count: 0, last: None });
        Ok(())
    }

    fn update(&mut self, msg: Msg, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        match msg {
            Msg::Inc => socket.update(State::count, |n| *n += 1),
            Msg::Set { to } => socket.assign(State::count, to).assign(State::last, Some(7)),
        };
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let last = assigns.get(State::last);
        html! {
            span { (assigns[State::count]) }
            @if let Some(last) = last { i { (last) } }
            button phx-click=(Msg::Set { to: 3 }) { "3" }
        }
    }
}

fn main() {
    let _ = Counter;
}
