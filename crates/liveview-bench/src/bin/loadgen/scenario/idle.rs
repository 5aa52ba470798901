//! B3: idle memory per session.

use std::time::{Duration, Instant};

use crate::client::{close, open_many};
use crate::ctx::Ctx;
use crate::options::Target;
use crate::report::{report_errors, Row};
use crate::Res;

/// B3: RSS delta per session, after 100 warm-up sessions opened and closed. For live also a
/// breakdown run: connected (page fetched, websocket open, session actor) but not joined.
pub(crate) async fn idle(cx: &mut Ctx) -> Res<()> {
    let n = cx.cap(cx.opts.idle_sessions, "idle");
    let mut row = Row::new("B3", format!("idle memory per session, N={n}"), "KiB");
    row.live_max = Some(16.0);
    row.ratio_max = Some(1.5);
    let mut part = Row::new("B3", "  breakdown: live connected, not joined", "KiB");
    let mut notes = Vec::new();
    let mut runs: Vec<(Target, bool)> = cx.opts.targets.iter().map(|t| (*t, true)).collect();
    if cx.opts.targets.contains(&Target::Live) {
        runs.push((Target::Live, false));
    }
    for (target, join) in runs {
        let server = cx.spawn(target).await?;
        let (warm, _, errs) = open_many(
            &cx.client,
            target,
            server.port,
            "/",
            100,
            cx.opts.concurrency,
            join,
        )
        .await;
        report_errors("idle warm-up", &errs);
        futures_util::future::join_all(warm.into_iter().map(close)).await;
        let before = cx
            .settle(&server, Duration::from_secs(10), |s| {
                s.sessions == 0 && s.views == 0
            })
            .await?;
        let t = Instant::now();
        let (conns, _, errs) = open_many(
            &cx.client,
            target,
            server.port,
            "/",
            n,
            cx.opts.concurrency,
            join,
        )
        .await;
        let took = t.elapsed();
        report_errors("idle", &errs);
        actix_rt::time::sleep(Duration::from_secs(2)).await;
        let after = cx.stats(&server).await?;
        let per = (after.rss_kib as f64 - before.rss_kib as f64) / conns.len().max(1) as f64;
        eprintln!(
            "B3 {}{}: {} sessions in {:.1}s, RSS {} -> {} KiB, {:.2} KiB/session (views {}, sessions {})",
            target.name(),
            if join { "" } else { " (not joined)" },
            conns.len(),
            took.as_secs_f64(),
            before.rss_kib,
            after.rss_kib,
            per,
            after.views,
            after.sessions
        );
        match (target, join) {
            (Target::Live, true) => row.live = Some(per),
            (Target::Live, false) => part.live = Some(per),
            (Target::Echo, _) => row.echo = Some(per),
        }
        if join {
            notes.push(format!(
                "{}: RSS {}→{} MiB",
                target.name(),
                before.rss_kib / 1024,
                after.rss_kib / 1024
            ));
        }
        drop(server);
        drop(conns);
    }
    part.echo = row.echo;
    row.note = notes.join("; ");
    cx.rows.push(row);
    if part.live.is_some() {
        cx.rows.push(part);
    }
    Ok(())
}
