//! The `Origin` check at the websocket handshake: which pages may open a live socket.

use actix_web::http::header::ORIGIN;
use actix_web::HttpRequest;

/// Which `Origin`s may open the websocket.
///
/// A browser always sends `Origin` on a websocket handshake, so this is what stops a page on
/// another site from opening a socket with the user's cookies (cross-site websocket
/// hijacking). A request **without** an `Origin` header does not come from a browser page (a
/// CLI, a test client, a server-side proxy); it is allowed, because it cannot ride a user's
/// cookies and the session and CSRF tokens still guard every join. `Origin: null` (sandboxed
/// frames, `file:` pages) is always refused.
///
/// ```
/// use liveview_http::AllowedOrigins;
///
/// let same_host = AllowedOrigins::SameHost; // the default
/// let list = AllowedOrigins::list(["https://example.com", "https://www.example.com"]);
/// # let _ = (same_host, list);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowedOrigins {
    /// The origin's host (and port) must equal the request's `Host`, whatever the scheme.
    #[default]
    SameHost,
    /// One of these origins (`scheme://host[:port]`, compared case-insensitively).
    List(Vec<String>),
    /// Any origin. Only for development behind something else that checks.
    Any,
}

impl AllowedOrigins {
    /// An allow-list of origins such as `"https://example.com"`.
    pub fn list<S: Into<String>>(origins: impl IntoIterator<Item = S>) -> Self {
        Self::List(
            origins
                .into_iter()
                .map(|o| o.into().trim_end_matches('/').to_ascii_lowercase())
                .collect(),
        )
    }

    /// Whether `req` may upgrade; `Err` carries the refused origin for the log and the 403.
    pub(crate) fn check(&self, req: &HttpRequest) -> Result<(), String> {
        let Some(origin) = req.headers().get(ORIGIN) else {
            return Ok(());
        };
        let Ok(origin) = origin.to_str() else {
            return Err("<non-ascii>".to_owned());
        };
        let origin = origin.trim().to_ascii_lowercase();
        if origin == "null" {
            return Err(origin);
        }
        let allowed = match self {
            Self::Any => true,
            Self::List(list) => list.contains(&origin),
            Self::SameHost => match origin.split_once("://") {
                Some((_, host)) => {
                    let req_host = req.connection_info().host().to_ascii_lowercase();
                    host == req_host
                }
                None => false,
            },
        };
        if allowed {
            Ok(())
        } else {
            Err(origin)
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn req(origin: Option<&str>) -> HttpRequest {
        let mut r = TestRequest::default().insert_header(("host", "app.test:4000"));
        if let Some(o) = origin {
            r = r.insert_header(("origin", o));
        }
        r.to_http_request()
    }

    #[test]
    fn same_host_accepts_either_scheme_of_the_request_host() {
        let o = AllowedOrigins::SameHost;
        assert!(o.check(&req(Some("http://app.test:4000"))).is_ok());
        assert!(o.check(&req(Some("https://APP.test:4000"))).is_ok());
    }

    #[test]
    fn same_host_refuses_other_hosts_and_ports() {
        let o = AllowedOrigins::SameHost;
        assert!(o.check(&req(Some("http://evil.test:4000"))).is_err());
        assert!(o.check(&req(Some("http://app.test:4001"))).is_err());
        assert!(o
            .check(&req(Some("http://app.test:4000.evil.test")))
            .is_err());
    }

    #[test]
    fn null_origin_is_refused_even_with_any() {
        assert!(AllowedOrigins::Any.check(&req(Some("null"))).is_err());
    }

    #[test]
    fn missing_origin_is_allowed() {
        assert!(AllowedOrigins::SameHost.check(&req(None)).is_ok());
    }

    #[test]
    fn list_matches_exact_origins() {
        let o = AllowedOrigins::list(["https://example.com/"]);
        assert!(o.check(&req(Some("https://example.com"))).is_ok());
        assert!(o.check(&req(Some("http://example.com"))).is_err());
    }
}
