//! B5: closed-loop saturation.

use std::time::{Duration, Instant};

use crate::client::{closed_loop, open_many};
use crate::ctx::Ctx;
use crate::options::Target;
use crate::report::{loadavg, report_errors, Row};
use crate::Res;

/// One B5 run: target, events/s, server µs per event, server CPU %, client CPU %.
pub(crate) type SatRun = (Target, f64, f64, f64, f64);

/// B5: closed-loop saturation; `--repeat` runs per target, interleaved, median reported.
pub(crate) async fn saturate(cx: &mut Ctx) -> Res<()> {
    let n = cx.cap(cx.opts.sat_sessions, "saturate");
    let w = cx.opts.sat_window;
    let mut rate = Row::new(
        "B5",
        format!("saturation, {n} sessions x {w} in flight"),
        "ev/s",
    );
    rate.ratio_min = Some(0.6);
    let mut cost = Row::new("B5", "server CPU per event", "µs");
    let mut runs: Vec<SatRun> = Vec::new();
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
            report_errors("saturate connect", &errs);
            let measure = Instant::now() + Duration::from_secs(1);
            let stop = measure + Duration::from_secs_f64(cx.opts.sat_secs);
            let handles: Vec<_> = conns
                .into_iter()
                .map(|c| actix_rt::spawn(closed_loop(c, w, measure, stop)))
                .collect();
            actix_rt::time::sleep_until(measure.into()).await;
            let (c0, s0) = (cx.cpu("self"), cx.cpu(&server.pid));
            actix_rt::time::sleep_until(stop.into()).await;
            let (c1, s1) = (cx.cpu("self"), cx.cpu(&server.pid));
            let (mut done, mut errors, mut conns) = (0, 0, Vec::new());
            for h in handles {
                if let Ok((c, d, e)) = h.await {
                    done += d;
                    errors += e;
                    conns.push(c);
                }
            }
            let secs = cx.opts.sat_secs;
            let per_s = done as f64 / secs;
            let server_cpu = (s1 - s0).as_secs_f64();
            let client_cpu = (c1 - c0).as_secs_f64();
            let us_per = server_cpu * 1e6 / done.max(1) as f64;
            eprintln!(
                "B5 {}: {done} replies in {secs}s = {per_s:.0}/s, {errors} errors; CPU server {:.0}%, client {:.0}%; server {us_per:.1} µs/event (load {})",
                target.name(),
                server_cpu / secs * 100.0,
                client_cpu / secs * 100.0,
                loadavg()
            );
            runs.push((
                target,
                per_s,
                us_per,
                server_cpu / secs * 100.0,
                client_cpu / secs * 100.0,
            ));
            drop(server);
            drop(conns);
        }
    }
    let mut notes = Vec::new();
    for target in cx.opts.targets.clone() {
        let mine: Vec<_> = runs.iter().filter(|r| r.0 == target).collect();
        let med = |f: &dyn Fn(&SatRun) -> f64| {
            let mut v: Vec<f64> = mine.iter().map(|r| f(r)).collect();
            v.sort_by(f64::total_cmp);
            v.get(v.len() / 2).copied()
        };
        notes.push(format!(
            "{}: runs {:?} ev/s, CPU server {:.0}% client {:.0}%",
            target.name(),
            mine.iter().map(|r| r.1.round()).collect::<Vec<_>>(),
            med(&|r| r.3).unwrap_or(0.0),
            med(&|r| r.4).unwrap_or(0.0)
        ));
        match target {
            Target::Live => (rate.live, cost.live) = (med(&|r| r.1), med(&|r| r.2)),
            Target::Echo => (rate.echo, cost.echo) = (med(&|r| r.1), med(&|r| r.2)),
        }
    }
    // Each repeat ran live then echo back to back: their ratios, pair by pair.
    let live: Vec<f64> = runs
        .iter()
        .filter(|r| r.0 == Target::Live)
        .map(|r| r.1)
        .collect();
    let echo: Vec<f64> = runs
        .iter()
        .filter(|r| r.0 == Target::Echo)
        .map(|r| r.1)
        .collect();
    if !live.is_empty() && live.len() == echo.len() {
        let pairs: Vec<String> = live
            .iter()
            .zip(&echo)
            .map(|(l, e)| format!("{:.2}x", l / e.max(1.0)))
            .collect();
        notes.push(format!("paired live/echo ratios {}", pairs.join(", ")));
    }
    rate.note = notes.join("; ");
    cx.rows.push(rate);
    cx.rows.push(cost);
    Ok(())
}
