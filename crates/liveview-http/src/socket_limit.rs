//! The cap on live websockets per client address: a count per address, taken at the upgrade
//! and given back when the upgraded connection's response ends.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv6Addr};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::web::Bytes;
use actix_web::HttpResponse;

/// The open websockets of each client address; shared by every worker of one app.
#[derive(Debug)]
pub(crate) struct SocketLimit {
    max: usize,
    /// Only addresses with at least one socket: the map never outgrows the open sockets.
    counts: Mutex<HashMap<IpAddr, usize>>,
}

impl SocketLimit {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            max: max.max(1),
            counts: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn max(&self) -> usize {
        self.max
    }

    /// A slot for one more socket of `client`, or `None` when it holds [`Self::max`] already.
    pub(crate) fn acquire(self: &Arc<Self>, client: IpAddr) -> Option<SocketSlot> {
        let key = key(client);
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let count = counts.entry(key).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(SocketSlot {
            limit: Arc::clone(self),
            key,
        })
    }

    #[cfg(test)]
    fn held(&self, client: IpAddr) -> usize {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.get(&key(client)).copied().unwrap_or(0)
    }
}

/// What is counted: an IPv4 address, or an IPv6 address's /64 (one host usually owns a
/// whole /64, and could otherwise open sockets from as many addresses as it likes).
fn key(client: IpAddr) -> IpAddr {
    match client.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 @ IpAddr::V4(_) => v4,
    }
}

/// One counted socket; dropping it gives the slot back.
#[derive(Debug)]
pub(crate) struct SocketSlot {
    limit: Arc<SocketLimit>,
    key: IpAddr,
}

impl Drop for SocketSlot {
    fn drop(&mut self) {
        let mut counts = self
            .limit
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = counts.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                counts.remove(&self.key);
            }
        }
    }
}

/// `res` (the `101` of an upgrade) holding `slot` until its body ends or is dropped.
///
/// The body of an upgraded websocket is the stream of the session's frames: it ends when the
/// session stops, and actix-http drops it when the connection goes, whichever way it goes.
pub(crate) fn hold(res: HttpResponse, slot: SocketSlot) -> HttpResponse {
    res.map_body(|_, body| BoxBody::new(Held { body, slot }))
}

struct Held {
    body: BoxBody,
    #[allow(dead_code)] // held for its Drop
    slot: SocketSlot,
}

impl MessageBody for Held {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_counted_per_address_and_given_back_on_drop() {
        let limit = Arc::new(SocketLimit::new(2));
        let a: IpAddr = "192.0.2.1".parse().expect("ip");
        let b: IpAddr = "192.0.2.2".parse().expect("ip");
        let first = limit.acquire(a).expect("first");
        let second = limit.acquire(a).expect("second");
        assert!(limit.acquire(a).is_none());
        assert!(limit.acquire(b).is_some());
        drop(first);
        assert_eq!(limit.held(a), 1);
        let _third = limit.acquire(a).expect("a freed slot");
        drop(second);
        assert_eq!(limit.held(a), 1);
        assert_eq!(limit.held(b), 0, "a dropped slot of b left the map");
    }

    #[test]
    fn ipv6_addresses_of_one_slash_64_share_a_count() {
        let limit = Arc::new(SocketLimit::new(1));
        let _one = limit
            .acquire("2001:db8::1".parse().expect("ip"))
            .expect("one");
        assert!(limit.acquire("2001:db8::2".parse().expect("ip")).is_none());
        assert!(limit
            .acquire("2001:db8:0:1::1".parse().expect("ip"))
            .is_some());
    }
}
