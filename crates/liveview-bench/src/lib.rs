//! Benchmarks B3–B8 (`docs/benchmarks.md`): a raw actix-web-actors websocket echo server as the
//! baseline, a server for the counter view, and a load generator speaking the LiveView
//! protocol over real websockets.
//!
//! - `lv-bench-server --mode live|echo --port P` serves either the counter
//!   (`example_counter::Counter` at `/`, and the same counter with a broadcast `Info` at `/b`)
//!   or a plain websocket echo at `/ws`. Both answer `GET /bench/stats` (RSS, live actor counts)
//!   and `POST /bench/broadcast` (one message to every connected session).
//! - `lv-loadgen` starts the servers pinned to one core, pins itself to the other, runs the
//!   scenarios and prints the table. `lv-loadgen --help` lists every option.
//!
//! `crates/liveview-bench/run.sh` builds both in release and runs everything.

pub mod proc;
pub mod server;

/// The value at quantile `q` (0.0–1.0) of an ascending slice, or 0 when empty.
pub fn percentile(sorted: &[u32], q: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_by_rank() {
        let v: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&v, 0.5), 51);
        assert_eq!(percentile(&v, 0.99), 99);
        assert_eq!(percentile(&v, 1.0), 100);
        assert_eq!(percentile(&[], 0.5), 0);
    }
}
