//! The hook through which the HTTP layer authorises each join: what the client asked for,
//! what the authoriser decided, and why it refused.

use crate::view::{Flash, Params, Session};

/// What the client asked for in a `phx_join`, for the authoriser to check.
#[derive(Debug, Clone)]
pub struct JoinRequest<'a> {
    /// The topic's view id (`lv:<id>` without the prefix).
    pub topic_id: &'a str,
    /// `data-phx-session`, verbatim.
    pub session_token: &'a str,
    /// `data-phx-static`, verbatim (`None` when empty).
    pub static_token: Option<&'a str>,
    /// The page URL (`url`), or the live-navigation target (`redirect`).
    pub url: Option<&'a str>,
    /// True when `url` came from `redirect` (live navigation).
    pub live_navigation: bool,
    /// The `params` object of the join (connect params such as `_csrf_token`, `_mounts`).
    pub params: &'a serde_json::Value,
    /// The join's `flash` token (live navigation after a `push_navigate` with a flash).
    pub flash: Option<&'a str>,
}

/// A join the authoriser accepted: which view to mount, with what.
#[derive(Debug, Clone)]
pub struct AuthorizedJoin {
    /// The registered name of the view to mount.
    pub view: String,
    /// Path and query parameters of `url`.
    pub params: Params,
    /// The session data the token vouched for.
    pub session: Session,
    /// The absolute URL the view is mounted at.
    pub uri: String,
    /// The flash the view mounts with (from the join's flash token or the static token).
    pub flash: Flash,
}

/// Why a join was refused, as the client expects it (PROTOCOL.md §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinRefusal {
    /// Invalid, expired or outdated token, CSRF failure, unknown view: `{"reason":"stale"}`.
    Stale,
    /// The URL does not route to the token's view or live session: `{"reason":"unauthorized"}`.
    Unauthorized,
}

impl JoinRefusal {
    /// The `reason` the client reads.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Stale => "stale",
            Self::Unauthorized => "unauthorized",
        }
    }
}

/// Verifies joins: tokens, CSRF state, routes. Implemented by the HTTP layer
/// (`liveview-http`), and by tests.
pub trait JoinAuthorizer: Send + Sync + 'static {
    /// Checks a join and says what to mount, or why not.
    fn authorize(&self, join: &JoinRequest<'_>) -> Result<AuthorizedJoin, JoinRefusal>;

    /// Resolves a live patch URL for an already mounted `view`: its parameters, or `None` when
    /// the URL routes to another view (the client then navigates).
    fn resolve_patch(&self, view: &str, url: &str) -> Option<Params>;

    /// Signs a flash that a navigation carries to the next page (the `flash` of a
    /// `redirect` or `live_redirect`). The default signs nothing: the flash is dropped.
    fn sign_flash(&self, flash: &Flash) -> Option<String> {
        let _ = flash;
        None
    }
}
