//! The `Origin` check at the websocket handshake: which pages may open a live socket.

use std::net::IpAddr;

use actix_web::http::header::ORIGIN;
use actix_web::HttpRequest;

use crate::forwarding::Forwarding;

/// Which `Origin`s may open the websocket (Phoenix's `check_origin`).
///
/// A browser always sends `Origin` on a websocket handshake, so this is what stops a page on
/// another site from opening a socket with the user's cookies (cross-site websocket
/// hijacking). A request **without** an `Origin` header does not come from a browser page (a
/// CLI, a test client, a server-side proxy); it is allowed, because it cannot ride a user's
/// cookies and the session and CSRF tokens still guard every join. `Origin: null` (sandboxed
/// frames, `file:` pages) is always refused, and so is any scheme but `http` and `https`
/// unless an allow-list names it.
///
/// The request's host is its `Host` header. `X-Forwarded-Host` and `Forwarded: host=` count
/// only from a proxy the app trusts ([`LiveConfig::trusted_proxies`]): anyone else could name
/// any host.
///
/// ```
/// use liveview_http::{AllowedOrigins, LiveConfig};
///
/// // The default: same host, and that host is loopback or one the app is served under.
/// let live = LiveConfig::with_random_secret().hosts(["example.com", "www.example.com"]);
/// // Or exactly these origins, whatever the host.
/// let list = AllowedOrigins::list(["https://example.com", "https://www.example.com"]);
/// # let _ = (live, list);
/// ```
///
/// [`LiveConfig::trusted_proxies`]: crate::LiveConfig::trusted_proxies
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowedOrigins {
    /// The default. The origin (`http` or `https`) must have the request's host and port,
    /// and that host must be a loopback name (`localhost`, `127.0.0.0/8`, `[::1]`) or one of
    /// [`LiveConfig::hosts`](crate::LiveConfig::hosts). A server reached under any other
    /// name (a DNS rebinding page whose name resolves to `127.0.0.1`) is refused until the
    /// app names its hosts.
    #[default]
    SameHost,
    /// One of these origins (`scheme://host[:port]`, compared case-insensitively).
    List(Vec<String>),
    /// Any `http` or `https` origin. Only for development behind something else that checks.
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
    pub(crate) fn check(
        &self,
        req: &HttpRequest,
        forwarding: &Forwarding,
        hosts: &Hosts,
    ) -> Result<(), String> {
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
        if let Self::List(list) = self {
            return if list.contains(&origin) {
                Ok(())
            } else {
                Err(origin)
            };
        }
        let Some((scheme, authority)) = origin.split_once("://") else {
            return Err(origin);
        };
        let default_port = match scheme {
            "http" => 80,
            "https" => 443,
            _ => return Err(origin),
        };
        let Some((origin_host, origin_port)) = split_authority(authority) else {
            return Err(origin);
        };
        if matches!(self, Self::Any) {
            return Ok(());
        }
        let Some((host, port)) = forwarding.host(req).as_deref().and_then(split_authority) else {
            return Err(origin);
        };
        let port = port.unwrap_or(default_port);
        let same = origin_host == host && origin_port.unwrap_or(default_port) == port;
        if same && (is_loopback(&host) || hosts.contains(&host, port)) {
            Ok(())
        } else {
            Err(origin)
        }
    }
}

/// The host names an app is served under ([`LiveConfig::hosts`](crate::LiveConfig::hosts)).
#[derive(Debug, Clone, Default)]
pub(crate) struct Hosts(Vec<(String, Option<u16>)>);

impl Hosts {
    /// `example.com`, `example.com:8443` (that port only), `*.example.com` (its subdomains).
    pub(crate) fn new<S: AsRef<str>>(hosts: impl IntoIterator<Item = S>) -> Self {
        Self(
            hosts
                .into_iter()
                .filter_map(|h| {
                    let h = h.as_ref().trim().to_ascii_lowercase();
                    if let Some(rest) = h.strip_prefix("*.") {
                        let (name, port) = split_authority(rest)?;
                        return Some((format!("*.{name}"), port));
                    }
                    let parsed = split_authority(&h);
                    if parsed.is_none() {
                        log::warn!("LiveConfig::hosts: `{h}` is not a host name; ignored");
                    }
                    parsed
                })
                .collect(),
        )
    }

    fn contains(&self, host: &str, port: u16) -> bool {
        self.0.iter().any(|(name, p)| {
            let name_matches = match name.strip_prefix("*.") {
                Some(parent) => host
                    .strip_suffix(parent)
                    .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
                None => name == host,
            };
            name_matches && p.is_none_or(|p| p == port)
        })
    }
}

/// `host[:port]` (lowercase in, as given) split into the host and its port; an IPv6 host keeps
/// its brackets. `None` for anything else (userinfo, a path, a bad port, no host).
fn split_authority(authority: &str) -> Option<(String, Option<u16>)> {
    let authority = authority.trim_end_matches('/').to_ascii_lowercase();
    if authority.is_empty() || authority.contains(['/', '@', '?', '#', ' ', '\\']) {
        return None;
    }
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        match rest {
            "" => (host, None),
            _ => (host, Some(rest.strip_prefix(':')?)),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority.as_str(), None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    Some((host.to_owned(), port))
}

/// `localhost`, an address in `127.0.0.0/8`, or `[::1]`.
fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    impl AllowedOrigins {
        /// The check for an app served as `app.test`, with no trusted proxy.
        fn check_app(&self, req: &HttpRequest) -> Result<(), String> {
            self.check(req, &Forwarding::default(), &Hosts::new(["app.test"]))
        }
    }

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
        assert!(o.check_app(&req(Some("http://app.test:4000"))).is_ok());
        assert!(o.check_app(&req(Some("https://APP.test:4000"))).is_ok());
    }

    #[test]
    fn same_host_refuses_other_hosts_and_ports() {
        let o = AllowedOrigins::SameHost;
        assert!(o.check_app(&req(Some("http://evil.test:4000"))).is_err());
        assert!(o.check_app(&req(Some("http://app.test:4001"))).is_err());
        assert!(o
            .check_app(&req(Some("http://app.test:4000.evil.test")))
            .is_err());
    }

    #[test]
    fn same_host_refuses_hosts_the_app_did_not_name_unless_loopback() {
        let o = AllowedOrigins::SameHost;
        let none = Hosts::default();
        let host = |h: &str, origin: &str| {
            TestRequest::default()
                .insert_header(("host", h))
                .insert_header(("origin", origin))
                .to_http_request()
        };
        assert!(o
            .check(
                &host("app.test:4000", "http://app.test:4000"),
                &Forwarding::default(),
                &none
            )
            .is_err());
        for (h, origin) in [
            ("localhost:4000", "http://localhost:4000"),
            ("127.0.0.1", "http://127.0.0.1"),
            ("127.0.0.1:443", "https://127.0.0.1"),
            ("[::1]:4000", "http://[::1]:4000"),
        ] {
            assert!(
                o.check(&host(h, origin), &Forwarding::default(), &none)
                    .is_ok(),
                "{h}"
            );
        }
        assert!(o
            .check(
                &host("127.0.0.1:80", "https://127.0.0.1"),
                &Forwarding::default(),
                &none
            )
            .is_err());
        let wild = Hosts::new(["*.app.test", "admin.test:8443"]);
        assert!(o
            .check(
                &host("eu.app.test", "https://eu.app.test"),
                &Forwarding::default(),
                &wild
            )
            .is_ok());
        assert!(o
            .check(
                &host("app.test", "https://app.test"),
                &Forwarding::default(),
                &wild
            )
            .is_err());
        assert!(o
            .check(
                &host("evilapp.test", "https://evilapp.test"),
                &Forwarding::default(),
                &wild
            )
            .is_err());
        assert!(o
            .check(
                &host("admin.test:8443", "https://admin.test:8443"),
                &Forwarding::default(),
                &wild
            )
            .is_ok());
        assert!(o
            .check(
                &host("admin.test", "https://admin.test"),
                &Forwarding::default(),
                &wild
            )
            .is_err());
    }

    #[test]
    fn only_http_and_https_origins_pass_same_host_and_any() {
        for o in [AllowedOrigins::SameHost, AllowedOrigins::Any] {
            assert!(o.check_app(&req(Some("foo://app.test:4000"))).is_err());
            assert!(o.check_app(&req(Some("file://app.test:4000"))).is_err());
            assert!(o
                .check_app(&req(Some("http://user@app.test:4000")))
                .is_err());
            assert!(o.check_app(&req(Some("https://app.test:4000"))).is_ok());
        }
        let listed = AllowedOrigins::list(["tauri://localhost"]);
        assert!(listed.check_app(&req(Some("tauri://localhost"))).is_ok());
    }

    #[test]
    fn null_origin_is_refused_even_with_any() {
        assert!(AllowedOrigins::Any.check_app(&req(Some("null"))).is_err());
    }

    #[test]
    fn missing_origin_is_allowed() {
        assert!(AllowedOrigins::SameHost.check_app(&req(None)).is_ok());
    }

    #[test]
    fn list_matches_exact_origins() {
        let o = AllowedOrigins::list(["https://example.com/"]);
        assert!(o.check_app(&req(Some("https://example.com"))).is_ok());
        assert!(o.check_app(&req(Some("http://example.com"))).is_err());
    }
}
