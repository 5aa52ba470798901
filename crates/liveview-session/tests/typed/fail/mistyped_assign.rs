use liveview_diff::{html, Rendered};
use liveview_session::{Assigns, LiveAssigns, LiveView, Params, Session, Socket, ViewError};

#[derive(LiveAssigns)]
#[live(crate = liveview_session)]
struct State {
    count: i64,
}

struct Counter;

impl LiveView for Counter {
    type Info = ();
    type Event = ();

    fn mount(&mut self, _: &Params, _: &Session, socket: &mut Socket<Self>) -> Result<(), ViewError> {
        socket.assign(State::count, "zero");
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let count: &String = &assigns[State::count];
        html! { span { (count) } }
    }
}

fn main() {}
