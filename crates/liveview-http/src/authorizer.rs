//! [`HttpAuthorizer`]: the join check of one websocket connection (PROTOCOL.md §7): CSRF state
//! from the handshake, session and static tokens, and the route of the join URL.

use std::sync::Arc;

use actix_web::http::Uri;
use liveview_session::{AuthorizedJoin, Flash, JoinAuthorizer, JoinRefusal, JoinRequest, Params};

use crate::app::Shared;
use crate::route::view_type;

/// Authorises the joins of one websocket connection.
///
/// A join is refused `stale` when the connect-time CSRF check failed, when the session token
/// does not verify (signature, version, age), names another view id than the topic, or names
/// a view that no longer exists, or when the static token does not verify or names another
/// id. It is refused `unauthorized` when the join URL does not route to the token's view
/// (or, for live navigation, leaves the token's live session).
#[derive(Debug)]
pub struct HttpAuthorizer {
    shared: Arc<Shared>,
    csrf_ok: bool,
}

impl HttpAuthorizer {
    pub(crate) fn new(shared: Arc<Shared>, csrf_ok: bool) -> Self {
        Self { shared, csrf_ok }
    }
}

fn parse_url(url: &str) -> Option<Uri> {
    url.parse::<Uri>().ok()
}

impl JoinAuthorizer for HttpAuthorizer {
    fn authorize(&self, join: &JoinRequest<'_>) -> Result<AuthorizedJoin, JoinRefusal> {
        if !self.csrf_ok {
            log::debug!(
                "join of {} refused: no valid CSRF token at connect",
                join.topic_id
            );
            return Err(JoinRefusal::Stale);
        }
        let claims = self
            .shared
            .signer
            .verify_session(join.session_token)
            .map_err(|e| {
                log::debug!("join of {} refused: session {e}", join.topic_id);
                JoinRefusal::Stale
            })?;
        if claims.id != join.topic_id {
            log::debug!(
                "join of {} refused: the session token belongs to {}",
                join.topic_id,
                claims.id
            );
            return Err(JoinRefusal::Stale);
        }
        let mut flash = Flash::new();
        if let Some(token) = join.static_token {
            match self.shared.signer.verify_static(token) {
                // A live navigation clones the old page's container: its static flash was
                // that page's, not this one's.
                Ok(s) if s.id == claims.id => {
                    if !join.live_navigation {
                        flash = s.flash;
                    }
                }
                Ok(_) => {
                    log::debug!(
                        "join of {} refused: static token of another view",
                        join.topic_id
                    );
                    return Err(JoinRefusal::Stale);
                }
                Err(e) => {
                    log::debug!("join of {} refused: static {e}", join.topic_id);
                    return Err(JoinRefusal::Stale);
                }
            }
        }
        if self.shared.registry.get(&claims.view).is_none() {
            log::debug!(
                "join of {} refused: no view `{}`",
                join.topic_id,
                claims.view
            );
            return Err(JoinRefusal::Stale);
        }
        let Some(url) = join.url else {
            // Nested and sticky views (which send no url) are not supported yet.
            log::debug!("join of {} refused: no url", join.topic_id);
            return Err(JoinRefusal::Unauthorized);
        };
        let Some((route, params)) = parse_url(url).and_then(|u| self.shared.route_for(&u)) else {
            log::debug!(
                "join of {} refused: {url} routes to no live view",
                join.topic_id
            );
            return Err(JoinRefusal::Unauthorized);
        };
        // A rejoin sends the page's current URL, which a live patch may have moved to another
        // route of the same view type (Phoenix's live actions, `/items` and `/items/42`): the
        // rule of `resolve_patch`, same type and same live session.
        let allowed = if join.live_navigation {
            *route.live_session == *claims.live_session
        } else {
            route.entry.name() == claims.view
                || (view_type(route.entry.name()) == view_type(&claims.view)
                    && *route.live_session == *claims.live_session)
        };
        if !allowed {
            log::debug!(
                "join of {} refused: {url} routes to `{}`, not the token's `{}`",
                join.topic_id,
                route.entry.name(),
                claims.view
            );
            return Err(JoinRefusal::Unauthorized);
        }
        if let Some(token) = join.flash {
            // Like Phoenix: a flash token that does not verify (expired, forged) is dropped,
            // the join goes on.
            match self.shared.signer.verify_flash(token) {
                Ok(f) => flash.extend(f),
                Err(e) => log::debug!("join of {}: flash token {e}; ignored", join.topic_id),
            }
        }
        Ok(AuthorizedJoin {
            view: route.entry.name().to_owned(),
            params,
            session: claims.session,
            uri: url.to_owned(),
            flash,
        })
    }

    /// Phoenix's rule: a patch stays in the view when the target route mounts the same view
    /// type in the same live session, whichever of its routes the view was mounted at
    /// (`/items` to `/items/42`); anything else is a `link_redirect` (a remount).
    fn resolve_patch(&self, view: &str, url: &str) -> Option<Params> {
        let uri = parse_url(url)?;
        let (target, params) = self.shared.route_for(&uri)?;
        if target.entry.name() == view {
            return Some(params);
        }
        let current = self.shared.routes.iter().find(|r| r.entry.name() == view)?;
        let same_type = view_type(target.entry.name()) == view_type(view);
        (same_type && target.live_session == current.live_session).then_some(params)
    }

    fn sign_flash(&self, flash: &Flash) -> Option<String> {
        Some(self.shared.signer.sign_flash(flash))
    }
}
