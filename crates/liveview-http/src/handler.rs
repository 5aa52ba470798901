//! The request handlers: `GET <live route>` is the dead render, `GET /live/websocket` checks
//! the origin and CSRF token and hands the upgraded socket to `liveview-session`.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use liveview_session::{DeadRender, DeadRenderer, Flash, JoinAuthorizer, Session};
use maud::{html, PreEscaped};

use crate::app::Shared;
use crate::asset::client_entry_url;
use crate::authorizer::HttpAuthorizer;
use crate::csrf::CsrfState;
use crate::error::{ForbiddenOrigin, MountFailed, TooManySockets};
use crate::layout::Page;
use crate::socket_limit::hold;
use crate::token::{random_b64, SessionClaims, StaticClaims};

/// The cookie in which the client carries the flash of a `redirect` to the next page
/// (PROTOCOL.md §6): a signed flash token, 60 s. The dead render reads it, shows the flash,
/// puts it in the static token (so the joined view shows it too) and deletes the cookie.
pub const FLASH_COOKIE: &str = "__phoenix_flash__";

/// The flash of the `__phoenix_flash__` cookie, if it verifies.
fn cookie_flash(shared: &Shared, req: &HttpRequest) -> Option<Flash> {
    let cookie = req.cookie(FLASH_COOKIE)?;
    match shared.signer.verify_flash(cookie.value()) {
        Ok(flash) => Some(flash),
        Err(e) => {
            log::debug!("{FLASH_COOKIE} cookie: {e}; ignored");
            None
        }
    }
}

/// The absolute URL of `req` as the browser sees it (what the client later sends as `url`);
/// forwarding headers count only from a trusted proxy.
fn absolute_uri(shared: &Shared, req: &HttpRequest) -> String {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/", actix_web::http::uri::PathAndQuery::as_str);
    let host = shared.forwarding.host(req).unwrap_or_default();
    format!("{}://{host}{path}", shared.forwarding.scheme(req))
}

/// `GET <live route>`: mount (not connected), render, and answer the whole page.
pub(crate) fn dead_render(
    shared: &Shared,
    index: usize,
    req: &HttpRequest,
) -> Result<HttpResponse, MountFailed> {
    let Some(route) = shared.routes.get(index) else {
        unreachable!("a route handler is registered for each route index")
    };
    // actix matched this route; match it again our way so the dead render and the join see
    // exactly the same parameters.
    let params = route.params(req.uri()).unwrap_or_default();
    let session = shared
        .session
        .as_ref()
        .map_or_else(Session::new, |f| f(req));
    let uri = absolute_uri(shared, req);
    let had_flash_cookie = req.cookie(FLASH_COOKIE).is_some();
    let flash = cookie_flash(shared, req).unwrap_or_default();
    let id = format!("phx-{}", random_b64(12));
    let (rendered, adoptable) = route
        .entry
        .dead_render_adoptable(
            DeadRenderer::new(&params, &session, &uri)
                .flash(flash.clone())
                .request(req),
            &id,
        )
        .map_err(|source| {
            if source.http_status().is_some() {
                log::info!("dead render of `{}` at {uri}: {source}", route.entry.name());
            } else {
                log::error!(
                    "dead render of `{}` at {uri} failed: {source}",
                    route.entry.name()
                );
            }
            MountFailed {
                view: route.entry.name().to_owned(),
                source,
            }
        })?;
    let (inner, title) = match rendered {
        DeadRender::Page { html, title } => (html, title),
        DeadRender::Redirect { to } => {
            log::debug!("dead render of `{}` redirects to {to}", route.entry.name());
            return Ok(HttpResponse::Found()
                .insert_header((header::LOCATION, to))
                .finish());
        }
    };

    let session_token = shared.signer.sign_session(&SessionClaims {
        id: id.clone(),
        view: route.entry.name().to_owned(),
        live_session: route.live_session.to_string(),
        session,
    });
    let static_token = shared.signer.sign_static(&StaticClaims {
        id: id.clone(),
        flash,
    });
    let csrf = CsrfState::for_request(req, shared.forwarding.scheme(req) == "https");
    let csrf_token = shared.csrf.page_token(&csrf);
    if let Some(view) = adoptable {
        // Kept for this page's join, which presents both tokens (issue 21).
        view.offer(&session_token, &csrf_token, &shared.adoption);
    }

    let scripts = match &shared.client_head {
        Some(head) => head.clone(),
        None => html! { script type="module" src=(client_entry_url()) {} },
    };
    let page = Page {
        request: req,
        route: route.pattern.as_str(),
        params: &params,
        live_session: &route.live_session,
        title: title.as_deref(),
        csrf_token: &csrf_token,
        head: html! {
            meta name="csrf-token" content=(csrf_token);
            (scripts)
        },
        content: html! {
            div id=(id) data-phx-main data-phx-session=(session_token) data-phx-static=(static_token) {
                (PreEscaped(inner))
            }
        },
    };
    let body = (shared.layout_for(route))(&page).into_string();

    let mut response = HttpResponse::Ok();
    response
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("max-age=0, private, must-revalidate"),
        ));
    if let Some(cookie) = csrf.new_cookie() {
        response.cookie(cookie.clone());
    }
    if had_flash_cookie {
        // Shown once: the next page load does not show it again.
        let mut gone = Cookie::build(FLASH_COOKIE, "")
            .path("/")
            .same_site(SameSite::Lax)
            .finish();
        gone.make_removal();
        response.cookie(gone);
    }
    Ok(response.body(body))
}

/// `GET /live/websocket`: refuse foreign origins with 403 and a client address over its
/// socket cap with 429, record whether the CSRF token matched (if not, every join is
/// answered `stale`), and start the session.
pub(crate) fn websocket(
    shared: &Arc<Shared>,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    if let Err(origin) = shared.origins.check(req, &shared.forwarding, &shared.hosts) {
        log::warn!(
            "refused live socket from origin `{origin}` (host {:?}); if the app is served \
             under that name, add it with LiveConfig::hosts, and behind a reverse proxy list \
             the proxy with LiveConfig::trusted_proxies",
            shared.forwarding.host(req).unwrap_or_default()
        );
        return Err(ForbiddenOrigin { origin }.into());
    }
    let slot = match shared.forwarding.client_ip(req) {
        Some(client) => match shared.sockets.acquire(client) {
            Some(slot) => Some(slot),
            None => {
                let max = shared.sockets.max();
                if shared.forwarding.ignored_headers(req) {
                    log::warn!(
                        "refused live socket from {client}: it holds {max} already. It sends \
                         forwarding headers: if it is your reverse proxy, list it with \
                         LiveConfig::trusted_proxies so that each client is counted"
                    );
                } else {
                    log::info!("refused live socket from {client}: it holds {max} already");
                }
                return Err(TooManySockets { max }.into());
            }
        },
        None => None,
    };
    // Unknown query parameters (`_mounts`, `_mount_attempts`, `_live_referer`, `vsn`) are
    // ignored; a malformed query string counts as a missing token.
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string()).ok();
    let token = query.as_ref().and_then(|q| q.get("_csrf_token"));
    let csrf_ok = shared.csrf.verify(req, token.map(String::as_str));
    if !csrf_ok {
        log::info!(
            "live socket connected without a valid CSRF token; its joins will be refused as stale"
        );
    }
    let authorizer: Arc<dyn JoinAuthorizer> =
        Arc::new(HttpAuthorizer::new(Arc::clone(shared), csrf_ok));
    let res = start_session(shared, authorizer, req, payload)?;
    // The slot lives as long as the upgraded connection's response body.
    Ok(match slot {
        Some(slot) => hold(res, slot),
        None => res,
    })
}

/// The hand-off to `liveview-session`: one session actor per websocket.
fn start_session(
    shared: &Shared,
    authorizer: Arc<dyn JoinAuthorizer>,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let actor = liveview_session::SessionActor::new(
        shared.session_config.clone(),
        Arc::clone(&shared.registry),
        authorizer,
    )
    .request(req);
    liveview_session::start_websocket(actor, req, payload)
}
