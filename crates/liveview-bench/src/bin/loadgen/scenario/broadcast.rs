//! B7: one broadcast reaching every session.

use std::time::{Duration, Instant};

use liveview_bench::percentile;

use crate::client::{await_push, open_many};
use crate::ctx::Ctx;
use crate::options::Target;
use crate::report::{loadavg, report_errors, sorted_us, Row};
use crate::Res;

/// What one B7 variant measured.
pub(crate) struct Bcast {
    pub(crate) last_ms: f64,
    pub(crate) per_us: f64,
    p50_ms: f64,
    p99_ms: f64,
    pub(crate) cpu_us: Option<f64>,
    pub(crate) missing: usize,
}

/// B7, one variant: `rounds` times, every session waits for a pushed diff while one POST to
/// `endpoint` makes the server broadcast.
pub(crate) async fn broadcast_run(
    cx: &mut Ctx,
    target: Target,
    path: &str,
    endpoint: &str,
    n: usize,
) -> Res<Bcast> {
    let server = cx.spawn(target).await?;
    let (mut conns, _, errs) = open_many(
        &cx.client,
        target,
        server.port,
        path,
        n,
        cx.opts.concurrency,
        true,
    )
    .await;
    report_errors("broadcast connect", &errs);
    let count = conns.len();
    let mut lasts = Vec::new();
    let mut all = Vec::new();
    let mut missing = 0;
    let mut server_us = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..cx.opts.bcast_rounds {
        let limit = Instant::now() + Duration::from_secs(15);
        let handles: Vec<_> = conns
            .drain(..)
            .map(|c| actix_rt::spawn(await_push(c, limit)))
            .collect();
        actix_rt::time::sleep(Duration::from_millis(300)).await;
        let s0 = cx.cpu(&server.pid);
        let t0 = Instant::now();
        let mut res = cx
            .client
            .post(format!("http://127.0.0.1:{}{endpoint}", server.port))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let body = res.body().await.map_err(|e| e.to_string())?;
        let body: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        server_us.push(body["micros"].as_u64().unwrap_or(0));
        let mut round = Vec::new();
        for h in handles {
            if let Ok((c, at)) = h.await {
                match at {
                    Some(at) => round.push(at.saturating_duration_since(t0)),
                    None => missing += 1,
                }
                conns.push(c);
            }
        }
        cpus.push((cx.cpu(&server.pid) - s0).as_secs_f64() * 1e6 / count.max(1) as f64);
        round.sort_unstable();
        lasts.push(round.last().copied().unwrap_or_default());
        all.extend(round);
        actix_rt::time::sleep(Duration::from_millis(200)).await;
    }
    lasts.sort_unstable();
    cpus.sort_by(f64::total_cmp);
    let last_ms = lasts
        .get(lasts.len() / 2)
        .map_or(0.0, |d| d.as_secs_f64() * 1e3);
    let all = sorted_us(all);
    eprintln!(
        "B7 {} {path}: {count} sessions, last recipient per round {:?} ms, p50 {} µs, p99 {} µs, {missing} missing; server send {:?} µs; CPU/recipient {:?} µs (load {})",
        target.name(),
        lasts.iter().map(|d| d.as_millis()).collect::<Vec<_>>(),
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        server_us,
        cpus.iter().map(|c| c.round()).collect::<Vec<_>>(),
        loadavg()
    );
    drop(server);
    drop(conns);
    Ok(Bcast {
        last_ms,
        per_us: last_ms * 1e3 / count.max(1) as f64,
        p50_ms: f64::from(percentile(&all, 0.5)) / 1e3,
        p99_ms: f64::from(percentile(&all, 0.99)) / 1e3,
        cpu_us: cpus.get(cpus.len() / 2).copied(),
        missing,
    })
}

/// B7: one broadcast to every session, `--bcast-rounds` times: live through the PubSub
/// (`/p`, `POST /bench/publish`), live by sending `Info` to every view directly (`/b`), echo.
pub(crate) async fn broadcast(cx: &mut Ctx) -> Res<()> {
    let n = cx.cap(cx.opts.bcast_sessions, "broadcast");
    let echo = if cx.opts.targets.contains(&Target::Echo) {
        Some(broadcast_run(cx, Target::Echo, "/", "/bench/broadcast", n).await?)
    } else {
        None
    };
    if !cx.opts.targets.contains(&Target::Live) {
        return Ok(());
    }
    for (path, endpoint, how) in [
        ("/p", "/bench/publish", "PubSub"),
        ("/b", "/bench/broadcast", "direct Info to each view"),
    ] {
        let live = broadcast_run(cx, Target::Live, path, endpoint, n).await?;
        let mut last = Row::new(
            "B7",
            format!("broadcast to N={n} ({how}): last recipient"),
            "ms",
        );
        let mut per = Row::new("B7", "  per recipient (last / N)", "µs");
        let mut p50 = Row::new("B7", "  recipient p50", "ms");
        let mut cpu = Row::new("B7", "  server CPU per recipient", "µs");
        (last.live, per.live, p50.live, cpu.live) = (
            Some(live.last_ms),
            Some(live.per_us),
            Some(live.p50_ms),
            live.cpu_us,
        );
        p50.note = format!("live p99 {:.1} ms", live.p99_ms);
        last.note = format!(
            "median of {} rounds; live {} missed",
            cx.opts.bcast_rounds, live.missing
        );
        if let Some(e) = &echo {
            (last.echo, per.echo, p50.echo, cpu.echo) =
                (Some(e.last_ms), Some(e.per_us), Some(e.p50_ms), e.cpu_us);
            p50.note.push_str(&format!("; echo p99 {:.1} ms", e.p99_ms));
            last.note.push_str(&format!(", echo {} missed", e.missing));
        }
        cpu.note = "10 ms clock ticks: coarse".into();
        cx.rows.extend([last, per, p50, cpu]);
    }
    Ok(())
}
