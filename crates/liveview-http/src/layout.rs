//! The page around a dead-rendered view: the app's layout function and the default one.

use std::sync::Arc;

use actix_web::HttpRequest;
use liveview_session::Params;
use maud::{html, Markup, DOCTYPE};

/// What a layout receives: the pieces of the page it must place, and the request and route
/// they answer.
///
/// A layout must put [`Page::head`] inside `<head>` (it holds the `csrf-token` meta tag and
/// the client's `<script>`) and [`Page::content`] (the view's container) in the body. It may
/// look at the [`request`](Page::request) (path, query, headers, cookies, app data), the
/// matched [`route`](Page::route) pattern, its [`params`](Page::params) and its
/// [`live_session`](Page::live_session), like a Phoenix root layout sees `@conn`.
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
///
/// A layout that marks the current page in its navigation and shows the query:
///
/// ```
/// use liveview_http::Page;
/// use maud::{html, Markup};
///
/// fn nav_layout(page: &Page<'_>) -> Markup {
///     let here = page.request.path();
///     html! {
///         head { (page.head) }
///         body {
///             nav {
///                 a href="/" aria-current=[(here == "/").then_some("page")] { "Home" }
///                 a href="/items" aria-current=[page.route.starts_with("/items").then_some("page")] { "Items" }
///             }
///             @if let Some(id) = page.params.get("id") { p { "Item " (id) } }
///             @if !page.request.query_string().is_empty() { p.query { (page.request.query_string()) } }
///             (page.content)
///         }
///     }
/// }
/// # let _ = nav_layout;
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
    /// The page request (`path()`, `query_string()`, headers, cookies, `app_data`).
    pub request: &'a HttpRequest,
    /// The pattern of the live route that matched, as registered (`"/items/{id}"`).
    pub route: &'a str,
    /// The path and query parameters the view mounted with.
    pub params: &'a Params,
    /// The live session of the route ([`DEFAULT_LIVE_SESSION`](crate::DEFAULT_LIVE_SESSION)
    /// unless it was added with [`LiveConfig::live_session`](crate::LiveConfig::live_session)).
    pub live_session: &'a str,
}

/// A layout: renders the whole page around a view. Set the app's with
/// [`LiveConfig::layout`](crate::LiveConfig::layout) and a live session's with
/// [`LiveSession::layout`](crate::LiveSession::layout).
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
