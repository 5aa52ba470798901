//! Signed, versioned, expiring tokens: the session token and the static token a dead render
//! puts on the page and a join sends back (PROTOCOL.md §7).
//!
//! Format: `<version>.<base64url(json claims)>.<base64url(hmac-sha256)>`, where the HMAC covers
//! `<version>.<payload>` and is keyed with a key derived from the app's secret and the token's
//! purpose, so a static token never verifies as a session token and the other way round.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use liveview_session::{Flash, Session};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::TokenError;

type HmacSha256 = Hmac<Sha256>;

/// The token format version; a token of another version is refused as outdated.
pub const TOKEN_VERSION: u32 = 1;

/// How long a session token stays valid by default: two weeks, as Phoenix.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// How long a flash token stays valid: 60 s, as Phoenix (and the client's flash cookie).
pub const FLASH_MAX_AGE: Duration = Duration::from_secs(60);

/// Clock skew tolerated for tokens issued "in the future" by another node.
const MAX_CLOCK_SKEW_SECS: u64 = 60;

/// What a session token vouches for (`data-phx-session`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionClaims {
    /// The view id: the container's `id`, the topic is `lv:<id>`.
    pub id: String,
    /// The registered name of the view.
    pub view: String,
    /// The live session the route belongs to; live navigation may not leave it.
    pub live_session: String,
    /// The session data handed to `mount`.
    pub session: Session,
}

/// What a static token vouches for (`data-phx-static`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaticClaims {
    /// The view id; must equal the session token's.
    pub id: String,
    /// The flash the dead render showed (from the `__phoenix_flash__` cookie): the joined
    /// view mounts with it too.
    #[serde(default, skip_serializing_if = "Flash::is_empty")]
    pub flash: Flash,
}

#[derive(Serialize, Deserialize)]
struct FlashClaims {
    flash: Flash,
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    /// Issued at, seconds since the Unix epoch.
    iat: u64,
    #[serde(flatten)]
    claims: T,
}

/// Signs and verifies the tokens of one app, with keys derived from its secret.
///
/// ```
/// use liveview_http::{SessionClaims, TokenSigner};
/// use liveview_session::Session;
///
/// let signer = TokenSigner::new(b"a secret of at least thirty-two bytes!!");
/// let claims = SessionClaims {
///     id: "phx-abc".into(),
///     view: "counter".into(),
///     live_session: "default".into(),
///     session: Session::new(),
/// };
/// let token = signer.sign_session(&claims);
/// assert_eq!(signer.verify_session(&token).unwrap(), claims);
///
/// let other = TokenSigner::new(b"another secret, also thirty-two bytes");
/// assert!(other.verify_session(&token).is_err());
/// ```
#[derive(Clone)]
pub struct TokenSigner {
    session_key: [u8; 32],
    static_key: [u8; 32],
    flash_key: [u8; 32],
    max_age: Duration,
}

impl std::fmt::Debug for TokenSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSigner")
            .field("max_age", &self.max_age)
            .finish_non_exhaustive()
    }
}

impl TokenSigner {
    /// A signer for `secret`, with the default max age ([`DEFAULT_MAX_AGE`]).
    pub fn new(secret: &[u8]) -> Self {
        Self {
            session_key: derive_key(secret, b"liveview session token"),
            static_key: derive_key(secret, b"liveview static token"),
            flash_key: derive_key(secret, b"liveview flash token"),
            max_age: DEFAULT_MAX_AGE,
        }
    }

    /// The same signer with another max age.
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// How long tokens stay valid.
    pub fn max_age(&self) -> Duration {
        self.max_age
    }

    /// Signs session claims, issued now.
    pub fn sign_session(&self, claims: &SessionClaims) -> String {
        sign(&self.session_key, claims, now_secs())
    }

    /// Signs session claims with an explicit issue time (seconds since the Unix epoch); for
    /// tests of expiry.
    pub fn sign_session_at(&self, claims: &SessionClaims, issued_at: u64) -> String {
        sign(&self.session_key, claims, issued_at)
    }

    /// Verifies a session token: signature (constant time), version, age.
    pub fn verify_session(&self, token: &str) -> Result<SessionClaims, TokenError> {
        verify(&self.session_key, token, self.max_age, now_secs())
    }

    /// Signs static claims, issued now.
    pub fn sign_static(&self, claims: &StaticClaims) -> String {
        sign(&self.static_key, claims, now_secs())
    }

    /// Verifies a static token: signature (constant time), version, age.
    pub fn verify_static(&self, token: &str) -> Result<StaticClaims, TokenError> {
        verify(&self.static_key, token, self.max_age, now_secs())
    }

    /// Signs a flash that a navigation carries to the next page (the `flash` of a
    /// `live_redirect` or `redirect`), issued now. Its own key: a flash token never verifies
    /// as a session or static token.
    ///
    /// ```
    /// use liveview_http::TokenSigner;
    /// use liveview_session::Flash;
    ///
    /// let signer = TokenSigner::new(b"a secret of at least thirty-two bytes!!");
    /// let flash = Flash::from([("info".to_owned(), "Saved".to_owned())]);
    /// let token = signer.sign_flash(&flash);
    /// assert_eq!(signer.verify_flash(&token).unwrap(), flash);
    /// assert!(signer.verify_session(&token).is_err());
    /// ```
    pub fn sign_flash(&self, flash: &Flash) -> String {
        self.sign_flash_at(flash, now_secs())
    }

    /// Signs a flash with an explicit issue time (seconds since the Unix epoch); for tests of
    /// expiry.
    pub fn sign_flash_at(&self, flash: &Flash, issued_at: u64) -> String {
        let claims = FlashClaims {
            flash: flash.clone(),
        };
        sign(&self.flash_key, &claims, issued_at)
    }

    /// Verifies a flash token: signature (constant time), version, and an age of at most
    /// [`FLASH_MAX_AGE`] (60 s), whatever the signer's max age.
    pub fn verify_flash(&self, token: &str) -> Result<Flash, TokenError> {
        verify::<FlashClaims>(&self.flash_key, token, FLASH_MAX_AGE, now_secs()).map(|c| c.flash)
    }
}

pub(crate) fn derive_key(secret: &[u8], purpose: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(secret).unwrap_or_else(|_| {
        // HMAC accepts keys of any length; this branch cannot run.
        unreachable!("hmac accepts keys of any length")
    });
    mac.update(purpose);
    mac.finalize().into_bytes().into()
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn mac_for(key: &[u8; 32]) -> HmacSha256 {
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("hmac accepts 32-byte keys"))
}

fn sign<T: Serialize>(key: &[u8; 32], claims: &T, iat: u64) -> String {
    let envelope = Envelope { iat, claims };
    // Claims are plain structs and JSON maps: serialising them cannot fail.
    let json = serde_json::to_vec(&envelope).unwrap_or_default();
    let signed = format!("{TOKEN_VERSION}.{}", URL_SAFE_NO_PAD.encode(json));
    let mut mac = mac_for(key);
    mac.update(signed.as_bytes());
    let tag = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signed}.{tag}")
}

fn verify<T: for<'de> Deserialize<'de>>(
    key: &[u8; 32],
    token: &str,
    max_age: Duration,
    now: u64,
) -> Result<T, TokenError> {
    let (signed, tag) = token.rsplit_once('.').ok_or(TokenError::Malformed)?;
    let (version, payload) = signed.split_once('.').ok_or(TokenError::Malformed)?;
    let tag = URL_SAFE_NO_PAD
        .decode(tag)
        .map_err(|_| TokenError::Malformed)?;
    let mut mac = mac_for(key);
    mac.update(signed.as_bytes());
    // `verify_slice` compares in constant time.
    mac.verify_slice(&tag)
        .map_err(|_| TokenError::BadSignature)?;
    if version != TOKEN_VERSION.to_string() {
        return Err(TokenError::Outdated);
    }
    let json = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| TokenError::Malformed)?;
    let envelope: Envelope<T> = serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)?;
    if envelope.iat > now.saturating_add(MAX_CLOCK_SKEW_SECS)
        || now.saturating_sub(envelope.iat) > max_age.as_secs()
    {
        return Err(TokenError::Expired);
    }
    Ok(envelope.claims)
}

/// Random bytes as base64url, for view ids and CSRF state.
pub(crate) fn random_b64(len: usize) -> String {
    let mut bytes = vec![0_u8; len];
    if let Err(e) = getrandom::getrandom(&mut bytes) {
        // No entropy means no safe tokens: fail loudly rather than issue guessable ids.
        panic!("the operating system's random number generator failed: {e}");
    }
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> SessionClaims {
        let mut session = Session::new();
        session.insert("user_id", 7);
        SessionClaims {
            id: "phx-abc".into(),
            view: "counter".into(),
            live_session: "default".into(),
            session,
        }
    }

    fn signer() -> TokenSigner {
        TokenSigner::new(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn round_trips_session_claims() {
        let s = signer();
        assert_eq!(s.verify_session(&s.sign_session(&claims())), Ok(claims()));
    }

    #[test]
    fn refuses_a_token_signed_with_another_secret() {
        let other = TokenSigner::new(b"another secret of thirty-two byte");
        let token = other.sign_session(&claims());
        assert_eq!(
            signer().verify_session(&token),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn refuses_a_tampered_payload() {
        let s = signer();
        let token = s.sign_session(&claims());
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(
            br#"{"iat":1,"id":"phx-abc","view":"admin","live_session":"default","session":{}}"#,
        );
        parts[1] = &forged;
        assert_eq!(
            s.verify_session(&parts.join(".")),
            Err(TokenError::BadSignature)
        );
    }

    #[test]
    fn refuses_an_expired_token() {
        let s = signer().with_max_age(Duration::from_secs(10));
        let token = s.sign_session_at(&claims(), now_secs() - 11);
        assert_eq!(s.verify_session(&token), Err(TokenError::Expired));
    }

    #[test]
    fn refuses_a_token_from_the_future() {
        let s = signer();
        let token = s.sign_session_at(&claims(), now_secs() + 3600);
        assert_eq!(s.verify_session(&token), Err(TokenError::Expired));
    }

    #[test]
    fn refuses_another_version() {
        let s = signer();
        let key = s.session_key;
        let json = serde_json::to_vec(&Envelope {
            iat: now_secs(),
            claims: claims(),
        })
        .unwrap();
        let signed = format!("0.{}", URL_SAFE_NO_PAD.encode(json));
        let mut mac = mac_for(&key);
        mac.update(signed.as_bytes());
        let token = format!(
            "{signed}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        );
        assert_eq!(s.verify_session(&token), Err(TokenError::Outdated));
    }

    #[test]
    fn static_and_session_tokens_are_not_interchangeable() {
        let s = signer();
        let token = s.sign_static(&StaticClaims {
            id: "phx-abc".into(),
            flash: Flash::new(),
        });
        assert_eq!(s.verify_session(&token), Err(TokenError::BadSignature));
    }

    /// The token shown in `docs/http.md`, produced independently (Python's hmac): pins the
    /// format, the key derivation and the claim order.
    #[test]
    fn documented_token_verifies() {
        let s = TokenSigner::new(b"test secret: at least thirty-two bytes long")
            .with_max_age(Duration::from_secs(100 * 365 * 24 * 3600));
        let token = "1.eyJpYXQiOjE3NjcyMjU2MDAsImlkIjoicGh4LUY3azJRbTl4THBBM3ZaOHciLCJ2aWV3IjoiZXhhbXBsZV9jb3VudGVyOjpDb3VudGVyQC8iLCJsaXZlX3Nlc3Npb24iOiJkZWZhdWx0Iiwic2Vzc2lvbiI6eyJ1c2VyX2lkIjo3fX0.1sfJZRAgEkscXopvA7Mxp6ZZ3AxZGpteYK3UyrpZKmY";
        let claims = s.verify_session(token).expect("documented token verifies");
        assert_eq!(claims.id, "phx-F7k2Qm9xLpA3vZ8w");
        assert_eq!(claims.view, "example_counter::Counter@/");
        assert_eq!(claims.session.get::<u32>("user_id"), Some(7));
        assert_eq!(
            s.sign_session_at(&claims, 1_767_225_600),
            token,
            "signing is deterministic"
        );
        let static_token = "1.eyJpYXQiOjE3NjcyMjU2MDAsImlkIjoicGh4LUY3azJRbTl4THBBM3ZaOHcifQ.DnyBYEnGwBvi9jI57czAoj5osbrxxjndEE-aYFPnPGk";
        assert_eq!(s.verify_static(static_token).map(|c| c.id), Ok(claims.id));
    }

    #[test]
    fn flash_tokens_expire_after_sixty_seconds_and_are_their_own_purpose() {
        let s = signer();
        let flash = Flash::from([("info".to_owned(), "Saved".to_owned())]);
        let fresh = s.sign_flash_at(&flash, now_secs() - 50);
        assert_eq!(s.verify_flash(&fresh), Ok(flash.clone()));
        let old = s.sign_flash_at(&flash, now_secs() - 61);
        assert_eq!(s.verify_flash(&old), Err(TokenError::Expired));
        let session = s.sign_session(&claims());
        assert_eq!(s.verify_flash(&session), Err(TokenError::BadSignature));
    }

    #[test]
    fn static_claims_carry_the_flash_only_when_there_is_one() {
        let s = signer();
        let mut claims = StaticClaims {
            id: "phx-abc".into(),
            flash: Flash::new(),
        };
        let token = s.sign_static(&claims);
        let payload = URL_SAFE_NO_PAD
            .decode(token.split('.').nth(1).expect("payload"))
            .expect("base64");
        assert!(!String::from_utf8_lossy(&payload).contains("flash"));
        claims.flash.insert("info".into(), "hi".into());
        assert_eq!(s.verify_static(&s.sign_static(&claims)), Ok(claims));
    }

    #[test]
    fn refuses_garbage() {
        for t in ["", ".", "..", "1.x.y", "a.b", "1.!!.!!"] {
            assert!(signer().verify_session(t).is_err(), "{t}");
        }
    }
}
