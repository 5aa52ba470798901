//! JS commands (E2E_SCENARIOS.md §5.9): `/js` (JS-01…03) and `/issues/3040` (JS-04, JS-05).

use liveview::prelude::*;
use liveview::LiveConfig;

use crate::js::{Args, JS};
use crate::layout::PageOpts;
use crate::router::{Family, DEFAULT};

/// The family.
pub const FAMILY: Family = Family { routes, page };

fn routes(live: LiveConfig) -> LiveConfig {
    live.live_session(DEFAULT, |s| {
        s.live::<JsLive>("/js").live::<Issue3040>("/issues/3040")
    })
}

fn page(path: &str) -> Option<PageOpts> {
    (path == "/issues/3040").then_some(PageOpts {
        head: MODAL_CSS,
        ..PageOpts::default()
    })
}

/// `/js`: a modal shown/hidden/toggled by JS commands, and a `<details>` whose `open` the
/// server must not reset.
#[derive(Debug, Default)]
pub struct JsLive;

/// The count [`JsLive`] shows.
const COUNT: Key<i64> = Key::new("count");

/// The events of [`JsLive`].
#[derive(Debug, LiveEvent)]
pub enum JsMsg {
    /// One more.
    Increment,
}

impl LiveView for JsLive {
    type Info = ();
    type Event = JsMsg;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(COUNT, 0);
        Ok(())
    }

    fn update(
        &mut self,
        JsMsg::Increment: JsMsg,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.update(COUNT, |n| *n += 1);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let count = assigns[COUNT];
        let modal = || Args::new().to("#my-modal");
        let show = JS::new()
            .show(modal().transition("fade-in").time(50))
            .set_attribute("aria-expanded", "true", modal())
            .set_attribute("open", "true", modal());
        let hide = JS::new()
            .hide(modal().transition("fade-out").time(50))
            .set_attribute("aria-expanded", "false", modal())
            .remove_attribute("open", modal());
        let toggle = JS::new()
            .toggle(modal().ins("fade-in").outs("fade-out").time(50))
            .toggle_attribute("aria-expanded", "true", Some("false"), modal())
            .toggle_attribute("open", "true", None, modal());
        let ignore = JS::new().ignore_attributes(&["open"], Args::new());
        html! {
            div #my-modal aria-expanded="false" style="display: none;" { "Test" }
            button phx-click=(show) { "show modal" }
            button phx-click=(hide) { "hide modal" }
            button phx-click=(toggle) { "toggle modal" }
            details phx-mounted=(ignore) {
                summary { "Details" }
                button phx-click=(JsMsg::Increment) { (count) }
            }
        }
    }
}

/// Inline CSS for the core-components modal of `/issues/3040` (the utility classes it uses).
const MODAL_CSS: &str = "<style>\
.relative{position:relative}.fixed{position:fixed}.inset-0{top:0;right:0;bottom:0;left:0}\
.z-50{z-index:50}.bg-zinc-50\\/90{background:rgba(250,250,250,.9)}.overflow-y-auto{overflow-y:auto}\
.flex{display:flex}.min-h-full{min-height:100%}.items-center{align-items:center}.justify-center{justify-content:center}\
.w-full{width:100%}.max-w-3xl{max-width:48rem}.p-4{padding:1rem}.bg-white{background:#fff}\
.shadow-lg{box-shadow:0 4px 12px rgba(0,0,0,.2)}.p-14{padding:3.5rem}\
.transition-opacity{transition:opacity .2s}.opacity-0{opacity:0}.opacity-100{opacity:1}\
</style>";

/// `/issues/3040`: a core-components-style modal opened by a patch, closed by click-away or
/// Escape (through `data-cancel`), holding a form whose submit must not count as a
/// click-away.
#[derive(Debug, Default)]
pub struct Issue3040;

fn show_modal(id: &str) -> JS {
    JS::new()
        .show(Args::new().to(&format!("#{id}")))
        .show(Args::new().to(&format!("#{id}-bg")).time(300).transition3(
            "transition-all transform ease-out duration-300",
            "opacity-0",
            "opacity-100",
        ))
        .show(
            Args::new()
                .to(&format!("#{id}-container"))
                .time(300)
                .transition3(
                    "transition-all transform ease-out duration-300",
                    "opacity-0 translate-y-4 sm:translate-y-0 sm:scale-95",
                    "opacity-100 translate-y-0 sm:scale-100",
                ),
        )
        .add_class("overflow-hidden", Args::new().to("body"))
        .focus_first(Args::new().to(&format!("#{id}-content")))
}

fn hide_modal(id: &str) -> JS {
    JS::new()
        .hide(Args::new().to(&format!("#{id}-bg")).transition3(
            "transition-all transform ease-in duration-200",
            "opacity-100",
            "opacity-0",
        ))
        .hide(
            Args::new()
                .to(&format!("#{id}-container"))
                .time(200)
                .transition3(
                    "transition-all transform ease-in duration-200",
                    "opacity-100 translate-y-0 sm:scale-100",
                    "opacity-0 translate-y-4 sm:translate-y-0 sm:scale-95",
                ),
        )
        .hide(
            Args::new()
                .to(&format!("#{id}"))
                .transition3("block", "block", "hidden"),
        )
        .remove_class("overflow-hidden", Args::new().to("body"))
        .pop_focus()
}

/// The assigns of [`Issue3040`].
#[derive(Debug, LiveAssigns)]
pub struct State3040 {
    /// Whether the form was submitted.
    pub submitted: bool,
    /// Whether the modal shows (`?modal`).
    pub modal: bool,
}

/// The events of [`Issue3040`].
#[derive(Debug, LiveEvent)]
pub enum Msg3040 {
    /// The modal's form.
    Submit(Value),
}

impl LiveView for Issue3040 {
    type Info = ();
    type Event = Msg3040;

    fn mount(
        &mut self,
        _: &Params,
        _: &Session,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign_all(State3040 {
            submitted: false,
            modal: false,
        });
        Ok(())
    }

    fn handle_params(
        &mut self,
        params: &Params,
        _: &str,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(State3040::modal, params.get("modal").is_some());
        Ok(())
    }

    fn update(
        &mut self,
        Msg3040::Submit(_): Msg3040,
        socket: &mut Socket<Self>,
    ) -> Result<(), ViewError> {
        socket.assign(State3040::submitted, true);
        Ok(())
    }

    fn render(&self, assigns: &Assigns) -> Rendered {
        let modal = assigns[State3040::modal];
        let submitted = assigns[State3040::submitted];
        let id = "my-modal";
        let on_cancel = JS::new().patch("/issues/3040", false);
        let cancel = JS::new().exec("data-cancel", Args::new().to("#my-modal"));
        let content = html! {
            div #my-modal-content {
                form phx-submit=(Msg3040::submit) {
                    input type="text" name="name";
                    @if submitted { p { "Form was submitted!" } }
                }
            }
        };
        html! {
            (Link::patch("/issues/3040?modal=true").text("Add new"))
            @if modal {
                div id=(id) phx-mounted=(show_modal(id)) phx-remove=(hide_modal(id))
                    data-cancel=(JS::new().concat(on_cancel).exec("phx-remove", Args::new()))
                    class="relative z-50 hidden" {
                    div id={ (id) "-bg" } class="bg-zinc-50/90 fixed inset-0 transition-opacity" aria-hidden="true" {}
                    div class="fixed inset-0 overflow-y-auto" role="dialog" aria-modal="true" tabindex="0" {
                        div class="flex min-h-full items-center justify-center" {
                            div class="w-full max-w-3xl p-4" {
                                (super::focus_wrap_with(
                                    "my-modal-container",
                                    "hidden relative bg-white p-14 shadow-lg",
                                    &cancel,
                                    content,
                                ))
                            }
                        }
                    }
                }
            }
        }
    }
}
