//! Who sent a request and which host it asked for: the peer's own address and `Host`, or the
//! `Forwarded` / `X-Forwarded-*` headers when (and only when) the peer is a trusted proxy.
//!
//! actix-web's `ConnectionInfo` honours forwarding headers from anyone, so a client could name
//! any host or address it liked; nothing security-relevant reads it here.

use std::net::IpAddr;
use std::sync::Arc;

use actix_web::http::header::{HeaderName, HOST};
use actix_web::HttpRequest;

const FORWARDED: HeaderName = HeaderName::from_static("forwarded");
const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
const X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");

/// The proxies whose forwarding headers are believed (none by default).
#[derive(Debug, Clone, Default)]
pub(crate) struct Forwarding {
    trusted: Arc<[IpAddr]>,
}

impl Forwarding {
    pub(crate) fn new(trusted: &[IpAddr]) -> Self {
        Self {
            trusted: trusted.iter().map(|ip| ip.to_canonical()).collect(),
        }
    }

    fn is_trusted(&self, ip: IpAddr) -> bool {
        self.trusted.contains(&ip.to_canonical())
    }

    /// Whether `req` came straight from a trusted proxy.
    fn is_from_trusted_proxy(&self, req: &HttpRequest) -> bool {
        req.peer_addr().is_some_and(|a| self.is_trusted(a.ip()))
    }

    /// Whether `req` carries forwarding headers that were ignored because its peer is not
    /// trusted (for a log line that tells the app what to configure).
    pub(crate) fn ignored_headers(&self, req: &HttpRequest) -> bool {
        !self.is_from_trusted_proxy(req)
            && [FORWARDED, X_FORWARDED_FOR, X_FORWARDED_HOST]
                .iter()
                .any(|h| req.headers().contains_key(h))
    }

    /// The client's address: the peer, or behind trusted proxies the nearest address in the
    /// forwarded chain that is not itself a trusted proxy (entries further left were written by
    /// whoever the untrusted client is, and prove nothing). `None` without a peer address.
    pub(crate) fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip().to_canonical();
        if !self.is_trusted(peer) {
            return Some(peer);
        }
        let chain: Vec<String> = {
            let forwarded = forwarded_values(req, "for");
            if forwarded.is_empty() {
                header_list(req, &X_FORWARDED_FOR)
            } else {
                forwarded
            }
        };
        let mut leftmost = None;
        for entry in chain.iter().rev() {
            let Some(ip) = parse_node(entry) else {
                // `unknown`, an obfuscated name, garbage: count the proxy itself.
                return Some(peer);
            };
            if !self.is_trusted(ip) {
                return Some(ip);
            }
            leftmost = Some(ip);
        }
        Some(leftmost.unwrap_or(peer))
    }

    /// The host (`name[:port]`) the client asked for: `Host` (or the URI's authority in
    /// HTTP/2), or from a trusted proxy `Forwarded: host=` / `X-Forwarded-Host`.
    pub(crate) fn host(&self, req: &HttpRequest) -> Option<String> {
        if self.is_from_trusted_proxy(req) {
            let forwarded = forwarded_values(req, "host")
                .into_iter()
                .next()
                .or_else(|| header_list(req, &X_FORWARDED_HOST).into_iter().next());
            if forwarded.is_some() {
                return forwarded;
            }
        }
        req.headers()
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
            .or_else(|| req.uri().authority().map(|a| a.as_str().to_owned()))
    }

    /// The scheme the client used: the server's own (`https` when it serves TLS), or from a
    /// trusted proxy `Forwarded: proto=` / `X-Forwarded-Proto`.
    pub(crate) fn scheme(&self, req: &HttpRequest) -> String {
        if self.is_from_trusted_proxy(req) {
            let forwarded = forwarded_values(req, "proto")
                .into_iter()
                .next()
                .or_else(|| header_list(req, &X_FORWARDED_PROTO).into_iter().next());
            if let Some(proto) = forwarded {
                let proto = proto.to_ascii_lowercase();
                if proto == "http" || proto == "https" {
                    return proto;
                }
            }
        }
        if req.app_config().secure() {
            "https".to_owned()
        } else {
            "http".to_owned()
        }
    }
}

/// The comma-separated items of every `name` header, in order, trimmed.
fn header_list(req: &HttpRequest, name: &HeaderName) -> Vec<String> {
    req.headers()
        .get_all(name)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The values of `key` in the `Forwarded` header's elements (RFC 7239), in order, unquoted.
fn forwarded_values(req: &HttpRequest, key: &str) -> Vec<String> {
    header_list(req, &FORWARDED)
        .iter()
        .flat_map(|element| element.split(';'))
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case(key)
                .then(|| v.trim().trim_matches('"').to_owned())
        })
        .collect()
}

/// An address from a forwarded chain: `192.0.2.1`, `192.0.2.1:80`, `2001:db8::1`,
/// `[2001:db8::1]`, `[2001:db8::1]:4711`.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    if let Some(rest) = node.strip_prefix('[') {
        let (ip, _) = rest.split_once(']')?;
        return ip.parse().ok().map(|ip: IpAddr| ip.to_canonical());
    }
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    let (ip, port) = node.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    ip.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use actix_web::test::TestRequest;

    use super::*;

    fn req(peer: &str, headers: &[(&str, &str)]) -> HttpRequest {
        let mut r = TestRequest::default()
            .peer_addr(peer.parse::<SocketAddr>().expect("peer"))
            .insert_header(("host", "app.test"));
        for (k, v) in headers {
            r = r.append_header((*k, *v));
        }
        r.to_http_request()
    }

    fn trusting(ips: &[&str]) -> Forwarding {
        let ips: Vec<IpAddr> = ips.iter().map(|s| s.parse().expect("ip")).collect();
        Forwarding::new(&ips)
    }

    #[test]
    fn an_untrusted_peer_is_the_client_and_its_host_header_is_the_host() {
        let f = Forwarding::default();
        let r = req(
            "203.0.113.9:5000",
            &[
                ("x-forwarded-for", "192.0.2.1"),
                ("x-forwarded-host", "evil.test"),
                ("forwarded", "for=192.0.2.2;host=evil.test;proto=https"),
            ],
        );
        assert_eq!(f.client_ip(&r), Some("203.0.113.9".parse().expect("ip")));
        assert_eq!(f.host(&r).as_deref(), Some("app.test"));
        assert_eq!(f.scheme(&r), "http");
        assert!(f.ignored_headers(&r));
    }

    #[test]
    fn behind_trusted_proxies_the_nearest_untrusted_address_is_the_client() {
        let f = trusting(&["10.0.0.1", "10.0.0.2"]);
        let r = req(
            "10.0.0.1:5000",
            &[("x-forwarded-for", "198.51.100.7, 192.0.2.1, 10.0.0.2")],
        );
        assert_eq!(f.client_ip(&r), Some("192.0.2.1".parse().expect("ip")));
        let r = req(
            "10.0.0.1:5000",
            &[(
                "forwarded",
                "for=\"[2001:db8::1]:4711\";proto=https;host=app.example",
            )],
        );
        assert_eq!(f.client_ip(&r), Some("2001:db8::1".parse().expect("ip")));
        assert_eq!(f.host(&r).as_deref(), Some("app.example"));
        assert_eq!(f.scheme(&r), "https");
        let r = req("10.0.0.1:5000", &[("x-forwarded-for", "unknown")]);
        assert_eq!(f.client_ip(&r), Some("10.0.0.1".parse().expect("ip")));
        let r = req("10.0.0.1:5000", &[]);
        assert_eq!(f.client_ip(&r), Some("10.0.0.1".parse().expect("ip")));
    }

    #[test]
    fn nodes_parse_with_and_without_ports() {
        assert_eq!(parse_node("192.0.2.1:80"), "192.0.2.1".parse().ok());
        assert_eq!(parse_node("[::1]"), "::1".parse().ok());
        assert_eq!(parse_node("::ffff:192.0.2.1"), "192.0.2.1".parse().ok());
        assert_eq!(parse_node("_hidden"), None);
    }
}
