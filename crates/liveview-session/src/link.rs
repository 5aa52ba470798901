//! [`Link`]: an anchor that navigates without a page load (Phoenix's `<.link>`).

use liveview_diff::{html, Rendered};

/// How a [`Link`] leaves the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `data-phx-link="patch"`: the same view, `handle_params` runs.
    Patch,
    /// `data-phx-link="redirect"`: another live view over the same socket.
    Navigate,
}

/// A link for live navigation, rendered as the anchor Phoenix's `<.link patch=...>` and
/// `<.link navigate=...>` render: an ordinary `href` (so it works without JavaScript and opens
/// in a new tab), plus `data-phx-link` and `data-phx-link-state`, which the client follows
/// over the websocket.
///
/// * [`Link::patch`]: the same view at a new URL; `handle_params` runs (the server side is
///   [`SocketCore::push_patch`](crate::SocketCore::push_patch)).
/// * [`Link::navigate`]: another live view of the same live session, without a page load
///   ([`SocketCore::push_navigate`](crate::SocketCore::push_navigate)); across live sessions
///   the browser loads the page.
///
/// A plain `a href="..."` is the third kind (a full page load). Build the link, then give it
/// its content with [`Link::text`] or [`Link::body`], which return a [`Rendered`] to splice:
///
/// ```
/// use liveview_diff::html;
/// use liveview_session::Link;
///
/// let page = html! {
///     nav {
///         (Link::patch("/items?page=2").replace().text("Next"))
///         (Link::navigate("/polls/7").class("button").body(html! { b { "Poll 7" } }))
///     }
/// };
/// assert_eq!(
///     page.to_html(),
///     "<nav><a href=\"/items?page=2\" data-phx-link=\"patch\" data-phx-link-state=\"replace\">Next</a>\
///      <a href=\"/polls/7\" data-phx-link=\"redirect\" data-phx-link-state=\"push\" class=\"button\"><b>Poll 7</b></a></nav>"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a Link renders nothing until `text` or `body`"]
pub struct Link {
    to: String,
    kind: Kind,
    replace: bool,
    class: Option<String>,
    id: Option<String>,
}

impl Link {
    /// A link that patches the current view to `to` (a path on this site).
    pub fn patch(to: impl Into<String>) -> Self {
        Self::new(to.into(), Kind::Patch)
    }

    /// A link that navigates to the live view at `to` (a path on this site).
    pub fn navigate(to: impl Into<String>) -> Self {
        Self::new(to.into(), Kind::Navigate)
    }

    fn new(to: String, kind: Kind) -> Self {
        Self {
            to,
            kind,
            replace: false,
            class: None,
            id: None,
        }
    }

    /// Replaces the current history entry instead of pushing one.
    pub fn replace(mut self) -> Self {
        self.replace = true;
        self
    }

    /// The anchor's `class`.
    pub fn class(mut self, class: impl Into<String>) -> Self {
        self.class = Some(class.into());
        self
    }

    /// The anchor's `id`.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The anchor with `text` (escaped) as its content.
    pub fn text(self, text: impl AsRef<str>) -> Rendered {
        self.body(html! { (text.as_ref()) })
    }

    /// The anchor with `content` inside.
    pub fn body(self, content: Rendered) -> Rendered {
        let kind = match self.kind {
            Kind::Patch => "patch",
            Kind::Navigate => "redirect",
        };
        let state = if self.replace { "replace" } else { "push" };
        html! {
            a href=(self.to) data-phx-link=(kind) data-phx-link-state=(state) class=[self.class] id=[self.id] {
                (content)
            }
        }
    }
}
