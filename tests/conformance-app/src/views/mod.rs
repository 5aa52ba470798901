//! The fixture views, one module per route family, and the function components they share.

pub mod colocated;
pub mod components;
pub mod components_async;
pub mod errors;
pub mod events;
pub mod flash;
pub mod focus;
pub mod form;
pub mod form_issues;
pub mod form_unsaved;
pub mod hooks;
pub mod js;
pub mod navigation;
pub mod render;
pub mod select;

use liveview::{html, Rendered};

/// Milliseconds since the epoch, as the render-time paragraphs show it.
pub fn now_millis() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis().to_string())
        .unwrap_or_default()
}

/// `<.focus_wrap id=...>`: Phoenix's markup, with the built-in `Phoenix.FocusWrap` hook and
/// its two sentinels.
pub fn focus_wrap(id: &str, class: &str, inner: Rendered) -> Rendered {
    html! {
        div id=(id) class=(class) phx-hook="Phoenix.FocusWrap" {
            div id={ (id) "-start" } tabindex="0" aria-hidden="true" {}
            (inner)
            div id={ (id) "-end" } tabindex="0" aria-hidden="true" {}
        }
    }
}

/// The focus_wrap of core components' modal: `phx-window-keydown` + `phx-key="escape"` and
/// `phx-click-away`, both running `cancel`.
pub fn focus_wrap_with(id: &str, class: &str, cancel: &crate::js::JS, inner: Rendered) -> Rendered {
    html! {
        div id=(id) class=(class) phx-hook="Phoenix.FocusWrap"
            phx-window-keydown=(cancel) phx-key="escape" phx-click-away=(cancel) {
            div id={ (id) "-start" } tabindex="0" aria-hidden="true" {}
            (inner)
            div id={ (id) "-end" } tabindex="0" aria-hidden="true" {}
        }
    }
}
