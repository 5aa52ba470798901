//! CSRF protection for the websocket: a random state in an HttpOnly cookie, a masked token
//! derived from it in the page's `<meta name="csrf-token">`, and the check at connect.
//!
//! The cookie `_liveview_csrf` holds 32 random bytes (base64url). The page token is
//! `base64url(mask || (mask XOR HMAC-SHA256(csrf_key, state)))` with a fresh 32-byte mask per
//! page, so it differs on every render (BREACH) while still verifying against the same cookie,
//! and it is bound to the app's secret. A cross-site page can read neither the cookie nor the
//! meta tag, so it cannot produce a matching `_csrf_token` at connect.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::token::{derive_key, random_b64};

/// The name of the cookie holding the CSRF state.
pub const CSRF_COOKIE: &str = "_liveview_csrf";

const STATE_LEN: usize = 32;

/// Issues and checks CSRF tokens for one app.
#[derive(Clone)]
pub(crate) struct CsrfGuard {
    key: [u8; 32],
}

impl std::fmt::Debug for CsrfGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsrfGuard").finish_non_exhaustive()
    }
}

/// The CSRF state of one page request: the cookie value, and whether it must be (re)set.
#[derive(Debug)]
pub(crate) struct CsrfState {
    state: Vec<u8>,
    cookie: Option<Cookie<'static>>,
}

impl CsrfState {
    /// The request's CSRF state, reusing its cookie when valid so that several tabs share it.
    /// A new cookie is `Secure` when the page was served over `https` (`secure`, as the
    /// handler's trusted-proxy rule decides).
    pub(crate) fn for_request(req: &HttpRequest, secure: bool) -> Self {
        if let Some(state) = cookie_state(req) {
            return Self {
                state,
                cookie: None,
            };
        }
        let value = random_b64(STATE_LEN);
        let state = URL_SAFE_NO_PAD.decode(&value).unwrap_or_default();
        let cookie = Cookie::build(CSRF_COOKIE, value)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .finish();
        Self {
            state,
            cookie: Some(cookie),
        }
    }

    /// The `Set-Cookie` to send when the request carried no usable state.
    pub(crate) fn new_cookie(&self) -> Option<&Cookie<'static>> {
        self.cookie.as_ref()
    }
}

impl CsrfGuard {
    pub(crate) fn new(secret: &[u8]) -> Self {
        Self {
            key: derive_key(secret, b"liveview csrf token"),
        }
    }

    /// A fresh masked page token for `state` (what `<meta name="csrf-token">` carries).
    pub(crate) fn page_token(&self, state: &CsrfState) -> String {
        let expected = self.expected(&state.state);
        let mask = URL_SAFE_NO_PAD
            .decode(random_b64(expected.len()))
            .unwrap_or_default();
        let mut out = mask.clone();
        out.extend(mask.iter().zip(expected.iter()).map(|(m, e)| m ^ e));
        URL_SAFE_NO_PAD.encode(out)
    }

    /// Whether the connect request's `_csrf_token` matches its cookie.
    pub(crate) fn verify(&self, req: &HttpRequest, token: Option<&str>) -> bool {
        let Some(token) = token else {
            return false;
        };
        let Some(state) = cookie_state(req) else {
            return false;
        };
        let Ok(bytes) = URL_SAFE_NO_PAD.decode(token) else {
            return false;
        };
        if bytes.len() != 64 {
            return false;
        }
        let (mask, masked) = bytes.split_at(32);
        let unmasked: Vec<u8> = mask.iter().zip(masked).map(|(m, x)| m ^ x).collect();
        let mut mac = self.mac();
        mac.update(&state);
        // Constant-time comparison.
        mac.verify_slice(&unmasked).is_ok()
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("hmac accepts 32-byte keys"))
    }

    fn expected(&self, state: &[u8]) -> Vec<u8> {
        let mut mac = self.mac();
        mac.update(state);
        mac.finalize().into_bytes().to_vec()
    }
}

fn cookie_state(req: &HttpRequest) -> Option<Vec<u8>> {
    let cookie = req.cookie(CSRF_COOKIE)?;
    let state = URL_SAFE_NO_PAD.decode(cookie.value()).ok()?;
    (state.len() == STATE_LEN).then_some(state)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn guard() -> CsrfGuard {
        CsrfGuard::new(b"0123456789abcdef0123456789abcdef")
    }

    fn with_cookie(state: &CsrfState) -> HttpRequest {
        let cookie = state.new_cookie().expect("a fresh request gets a cookie");
        TestRequest::default()
            .cookie(Cookie::new(CSRF_COOKIE, cookie.value().to_owned()))
            .to_http_request()
    }

    #[test]
    fn page_token_verifies_against_its_cookie() {
        let g = guard();
        let state = CsrfState::for_request(&TestRequest::default().to_http_request(), false);
        let token = g.page_token(&state);
        assert!(g.verify(&with_cookie(&state), Some(&token)));
    }

    #[test]
    fn page_tokens_differ_on_every_render() {
        let g = guard();
        let state = CsrfState::for_request(&TestRequest::default().to_http_request(), false);
        assert_ne!(g.page_token(&state), g.page_token(&state));
    }

    #[test]
    fn reuses_a_valid_cookie() {
        let g = guard();
        let state = CsrfState::for_request(&TestRequest::default().to_http_request(), false);
        let again = CsrfState::for_request(&with_cookie(&state), false);
        assert!(again.new_cookie().is_none());
        assert!(g.verify(&with_cookie(&state), Some(&g.page_token(&again))));
    }

    #[test]
    fn refuses_missing_wrong_or_foreign_tokens() {
        let g = guard();
        let state = CsrfState::for_request(&TestRequest::default().to_http_request(), false);
        let req = with_cookie(&state);
        assert!(!g.verify(&req, None));
        assert!(!g.verify(&req, Some("nope")));
        let other_state = CsrfState::for_request(&TestRequest::default().to_http_request(), false);
        assert!(!g.verify(&req, Some(&g.page_token(&other_state))));
        let other_app = CsrfGuard::new(b"another secret of thirty-two byte");
        assert!(!g.verify(&req, Some(&other_app.page_token(&state))));
        let no_cookie = TestRequest::default().to_http_request();
        assert!(!g.verify(&no_cookie, Some(&g.page_token(&state))));
    }
}
