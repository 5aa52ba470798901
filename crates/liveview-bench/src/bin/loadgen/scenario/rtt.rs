//! B4: click round trips, open loop.

use std::time::{Duration, Instant};

use liveview_bench::percentile;

use crate::client::{open_loop, open_many};
use crate::ctx::Ctx;
use crate::options::Target;
use crate::report::{loadavg, report_errors, Row};
use crate::Res;

/// One B4 run: target, p50 µs, p99 µs, server CPU %, client CPU %.
pub(crate) type RttRun = (Target, u32, u32, f64, f64);

/// B4: open-loop click round trips at `rate` per session; `--repeat` runs per target,
/// interleaved (live, echo, live, …), the median of their percentiles reported.
pub(crate) async fn rtt(cx: &mut Ctx) -> Res<()> {
    for n in cx.opts.rtt_sessions.clone() {
        let n = cx.cap(n, "rtt");
        let mut p50 = Row::new(
            "B4",
            format!("click RTT p50, N={n}, {}/s each", cx.opts.rate),
            "µs",
        );
        p50.ratio_max = Some(1.5);
        let mut p99 = Row::new("B4", format!("click RTT p99, N={n}"), "µs");
        if n >= 5000 {
            p99.live_max = Some(5000.0);
        }
        let mut runs: Vec<RttRun> = Vec::new();
        for _ in 0..cx.opts.repeat {
            for target in cx.opts.targets.clone() {
                let server = cx.spawn(target).await?;
                let (conns, _, errs) = open_many(
                    &cx.client,
                    target,
                    server.port,
                    "/",
                    n,
                    cx.opts.concurrency,
                    true,
                )
                .await;
                report_errors("rtt connect", &errs);
                let count = conns.len().max(1);
                let period = Duration::from_secs_f64(1.0 / cx.opts.rate);
                let start = Instant::now() + Duration::from_millis(200);
                let stop = start + Duration::from_secs_f64(cx.opts.rtt_secs);
                let (c0, s0) = (cx.cpu("self"), cx.cpu(&server.pid));
                let handles: Vec<_> = conns
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let phase = period.mul_f64(i as f64 / count as f64);
                        actix_rt::spawn(open_loop(c, start, phase, period, stop))
                    })
                    .collect();
                let mut lat = Vec::new();
                let (mut sent, mut errors) = (0, 0);
                let mut conns = Vec::new();
                for h in handles {
                    if let Ok((c, out)) = h.await {
                        lat.extend(out.latencies_us);
                        sent += out.sent;
                        errors += out.errors;
                        conns.push(c);
                    }
                }
                let wall = start.elapsed().as_secs_f64();
                let client_cpu = (cx.cpu("self") - c0).as_secs_f64() / wall * 100.0;
                let server_cpu = (cx.cpu(&server.pid) - s0).as_secs_f64() / wall * 100.0;
                lat.sort_unstable();
                let (a, b) = (percentile(&lat, 0.5), percentile(&lat, 0.99));
                eprintln!(
                    "B4 {} N={n}: {sent} sent, {} replies, {errors} lost, p50 {a} µs, p99 {b} µs, max {} µs; CPU client {client_cpu:.0}%, server {server_cpu:.0}% (load {})",
                    target.name(),
                    lat.len(),
                    lat.last().copied().unwrap_or(0),
                    loadavg()
                );
                runs.push((target, a, b, server_cpu, client_cpu));
                drop(server);
                drop(conns);
            }
        }
        let mut notes = Vec::new();
        for target in cx.opts.targets.clone() {
            let mine: Vec<_> = runs.iter().filter(|r| r.0 == target).collect();
            let med = |f: &dyn Fn(&RttRun) -> f64| {
                let mut v: Vec<f64> = mine.iter().map(|r| f(r)).collect();
                v.sort_by(f64::total_cmp);
                v.get(v.len() / 2).copied()
            };
            let (a, b) = (med(&|r| f64::from(r.1)), med(&|r| f64::from(r.2)));
            notes.push(format!(
                "{}: p50 runs {:?}, p99 runs {:?} µs, CPU server {:.0}% client {:.0}%",
                target.name(),
                mine.iter().map(|r| r.1).collect::<Vec<_>>(),
                mine.iter().map(|r| r.2).collect::<Vec<_>>(),
                med(&|r| r.3).unwrap_or(0.0),
                med(&|r| r.4).unwrap_or(0.0)
            ));
            match target {
                Target::Live => (p50.live, p99.live) = (a, b),
                Target::Echo => (p50.echo, p99.echo) = (a, b),
            }
        }
        p50.note = notes.join("; ");
        cx.rows.push(p50);
        cx.rows.push(p99);
    }
    Ok(())
}
