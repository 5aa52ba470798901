//! Live routes: a path pattern ([`RoutePattern`]), matched the way actix-web matches it, and
//! the view it mounts.

use std::sync::Arc;

use actix_web::dev::{Path, ResourceDef, Url};
use actix_web::http::Uri;
use actix_web::web;
use liveview_session::{Params, ViewEntry};

/// A live route's path pattern, such as `/users/{id}`: `{name}` segments capture one path
/// segment each. It matches exactly as the dead render and the join match a live route (the
/// test harness uses it too), and gives the parameters `mount` and `handle_params` receive.
///
/// ```
/// use liveview_http::RoutePattern;
///
/// let route = RoutePattern::new("/users/{id}");
/// let params = route.match_path("/users/7?id=9&tab=posts").unwrap();
/// assert_eq!(params.get("id"), Some("7")); // path parameters win over the query's
/// assert_eq!(params.get("tab"), Some("posts"));
/// assert!(route.match_path("/users/7/edit").is_none());
/// ```
#[derive(Debug, Clone)]
pub struct RoutePattern {
    pattern: String,
    resource: ResourceDef,
}

impl RoutePattern {
    /// The pattern `pattern` (actix-web's syntax: `/items/{id}`, `/files/{path:.*}`).
    pub fn new(pattern: &str) -> Self {
        Self {
            pattern: pattern.to_owned(),
            resource: ResourceDef::new(pattern),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// The path and query parameters for `uri`, if its path matches. Path parameters win over
    /// query parameters of the same name.
    pub fn params(&self, uri: &Uri) -> Option<Params> {
        let mut path = Path::new(Url::new(uri.clone()));
        if !self.resource.capture_match_info(&mut path) {
            return None;
        }
        let mut params = Params::new();
        if let Some(query) = uri.query() {
            if let Ok(pairs) = web::Query::<Vec<(String, String)>>::from_query(query) {
                for (k, v) in pairs.into_inner() {
                    params.insert(k, v);
                }
            }
        }
        for (k, v) in path.iter() {
            params.insert(k, v);
        }
        Some(params)
    }

    /// [`RoutePattern::params`] for a path and query (`/users/7?tab=posts`) or an absolute URL
    /// (`http://host/users/7`); `None` when it does not match or is not a valid URI.
    pub fn match_path(&self, path: &str) -> Option<Params> {
        self.params(&path.parse::<Uri>().ok()?)
    }
}

/// One live route: a path pattern and the view it mounts.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    pub(crate) pattern: RoutePattern,
    pub(crate) entry: ViewEntry,
    pub(crate) live_session: Arc<str>,
}

impl Route {
    pub(crate) fn new(pattern: &str, entry: ViewEntry, live_session: Arc<str>) -> Self {
        Self {
            pattern: RoutePattern::new(pattern),
            entry,
            live_session,
        }
    }

    /// The route's parameters for `uri`, if its path matches ([`RoutePattern::params`]).
    pub(crate) fn params(&self, uri: &Uri) -> Option<Params> {
        self.pattern.params(uri)
    }
}

/// The registry name of `V` at `pattern`: the type and the route, so that one type mounted at
/// two routes with different factories stays two entries.
pub(crate) fn view_name<V>(pattern: &str) -> String {
    format!("{}@{pattern}", std::any::type_name::<V>())
}

/// The view type of a registry name made by [`view_name`].
pub(crate) fn view_type(name: &str) -> &str {
    name.split_once('@').map_or(name, |(ty, _)| ty)
}
