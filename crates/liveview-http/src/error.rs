//! Errors of the HTTP layer; every HTTP-facing failure is its own type with a status and a body.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use liveview_session::ViewError;

/// Any failure of the HTTP layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The view's `mount`, `handle_params` failed during the dead render.
    #[error(transparent)]
    MountFailed(#[from] MountFailed),
    /// The websocket handshake came from an origin that is not allowed.
    #[error(transparent)]
    ForbiddenOrigin(#[from] ForbiddenOrigin),
    /// A client address already holds as many websockets as it may.
    #[error(transparent)]
    TooManySockets(#[from] TooManySockets),
    /// A client asset that does not exist was requested.
    #[error(transparent)]
    AssetNotFound(#[from] AssetNotFound),
    /// A session or static token did not verify.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The signing secret is too short to be safe.
    #[error("secret is {len} bytes; use at least {min}")]
    SecretTooShort {
        /// Its length.
        len: usize,
        /// The minimum.
        min: usize,
    },
}

impl ResponseError for Error {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::MountFailed(e) => e.status_code(),
            Self::ForbiddenOrigin(e) => e.status_code(),
            Self::TooManySockets(e) => e.status_code(),
            Self::AssetNotFound(e) => e.status_code(),
            Self::Token(_) => StatusCode::BAD_REQUEST,
            Self::SecretTooShort { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::MountFailed(e) => e.error_response(),
            Self::ForbiddenOrigin(e) => e.error_response(),
            Self::TooManySockets(e) => e.error_response(),
            Self::AssetNotFound(e) => e.error_response(),
            Self::Token(_) | Self::SecretTooShort { .. } => {
                text_response(self.status_code(), "bad request")
            }
        }
    }
}

/// A dead render whose `mount` or `handle_params` failed: `500 Internal Server Error` with a
/// small HTML page. The cause is logged, not shown to the client.
#[derive(Debug, thiserror::Error)]
#[error("mounting view `{view}` failed")]
pub struct MountFailed {
    /// The registered name of the view.
    pub view: String,
    /// What the callback returned.
    #[source]
    pub source: ViewError,
}

impl ResponseError for MountFailed {
    /// The status of a [`ViewError::status`] (a 404 for [`ViewError::not_found`]); 500 for
    /// every other failure.
    fn status_code(&self) -> StatusCode {
        self.source
            .http_status()
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let reason = status.canonical_reason().unwrap_or("Error");
        // The message of a status the view chose is for the user; any other error's cause is
        // logged, never shown.
        let message = match &self.source {
            ViewError::Status { message, .. } if self.source.http_status().is_some() => {
                message.as_str()
            }
            _ => "Something went wrong while rendering this page.",
        };
        let page = maud::html! {
            (maud::DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    title { (reason) }
                }
                body {
                    h1 { (reason) }
                    p { (message) }
                }
            }
        };
        HttpResponse::build(status)
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ))
            .body(page.into_string())
    }
}

/// A websocket handshake from an `Origin` outside the allow-list (or `Origin: null`):
/// `403 Forbidden`, and no session is started.
#[derive(Debug, thiserror::Error)]
#[error("origin `{origin}` is not allowed to open a live socket")]
pub struct ForbiddenOrigin {
    /// The refused origin, lowercased.
    pub origin: String,
}

impl ResponseError for ForbiddenOrigin {
    fn status_code(&self) -> StatusCode {
        StatusCode::FORBIDDEN
    }

    fn error_response(&self) -> HttpResponse {
        text_response(self.status_code(), "origin not allowed")
    }
}

/// A websocket handshake from a client address that already holds
/// [`LiveConfig::max_sockets_per_client`](crate::LiveConfig::max_sockets_per_client) live
/// sockets: `429 Too Many Requests` with `Retry-After: 1`, and no session is started.
#[derive(Debug, thiserror::Error)]
#[error("client address holds {max} live sockets already")]
pub struct TooManySockets {
    /// The cap.
    pub max: usize,
}

impl ResponseError for TooManySockets {
    fn status_code(&self) -> StatusCode {
        StatusCode::TOO_MANY_REQUESTS
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = text_response(self.status_code(), "too many live sockets");
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        res
    }
}

/// A request for a client asset that does not exist: `404 Not Found`.
#[derive(Debug, thiserror::Error)]
#[error("no client asset named `{name}`")]
pub struct AssetNotFound {
    /// The requested name.
    pub name: String,
}

impl ResponseError for AssetNotFound {
    fn status_code(&self) -> StatusCode {
        StatusCode::NOT_FOUND
    }

    fn error_response(&self) -> HttpResponse {
        text_response(self.status_code(), "asset not found")
    }
}

/// Why a session or static token did not verify. Every kind makes a join fail with
/// `{"reason":"stale"}`, so the browser reloads the page and gets fresh tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Not `<version>.<payload>.<signature>`, or not base64url / JSON inside.
    #[error("malformed token")]
    Malformed,
    /// The signature does not match (forged, tampered, or another app's secret).
    #[error("token signature does not match")]
    BadSignature,
    /// Signed for another token format version.
    #[error("token version is outdated")]
    Outdated,
    /// Older than the max age (or issued in the future).
    #[error("token expired")]
    Expired,
}

fn text_response(status: StatusCode, body: &'static str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        ))
        .body(body)
}
