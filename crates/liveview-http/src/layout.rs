//! The page around a dead-rendered view: the app's layout function and the default one.

use std::sync::Arc;

use maud::{html, Markup, DOCTYPE};

/// What a layout receives: the pieces of the page it must place.
///
/// A layout must put [`Page::head`] inside `<head>` (it holds the `csrf-token` meta tag and
/// the client's `<script>`) and [`Page::content`] (the view's container) in the body.
///
/// ```
/// use liveview_http::Page;
/// use maud::{html, Markup, DOCTYPE};
///
/// fn my_layout(page: &Page<'_>) -> Markup {
///     html! {
///         (DOCTYPE)
///         html lang="en" {
///             head {
///                 meta charset="utf-8";
///                 title { (page.title.unwrap_or("My app")) }
///                 (page.head)
///                 link rel="stylesheet" href="/static/app.css";
///             }
///             body { nav { "My app" } main { (page.content) } }
///         }
///     }
/// }
/// # let _ = my_layout;
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct Page<'a> {
    /// The title the view set with `socket.page_title`, if any.
    pub title: Option<&'a str>,
    /// The masked CSRF token, also present in [`Page::head`]'s meta tag.
    pub csrf_token: &'a str,
    /// `<meta name="csrf-token">` and the client's script tags: put it in `<head>`.
    pub head: Markup,
    /// The view's container (`<div id="phx-…" data-phx-main …>…</div>`): put it in `<body>`.
    pub content: Markup,
}

/// A layout: renders the whole page around a view.
pub type Layout = Arc<dyn Fn(&Page<'_>) -> Markup + Send + Sync + 'static>;

/// The default layout: a minimal HTML5 document with the title, the head pieces, and the
/// view's container as the body.
///
/// ```
/// use std::sync::Arc;
/// use liveview_http::{default_layout, Layout};
///
/// let layout: Layout = Arc::new(default_layout);
/// # let _ = layout;
/// ```
pub fn default_layout(page: &Page<'_>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title.unwrap_or("LiveView")) }
                (page.head)
            }
            body { (page.content) }
        }
    }
}
