//! B8: connect/join/close cycles.

use std::time::{Duration, Instant};

use futures_util::StreamExt as _;

use crate::client::{close, open};
use crate::ctx::Ctx;
use crate::options::Target;
use crate::report::Row;
use crate::Res;

pub(crate) async fn cycles(cx: &Ctx, target: Target, port: u16, n: usize) -> usize {
    let client = &cx.client;
    let failed: Vec<bool> = futures_util::stream::iter(0..n)
        .map(|_| async move {
            match open(client, target, port, "/", true).await {
                Ok((c, _)) => {
                    close(c).await;
                    false
                }
                Err(e) => {
                    eprintln!("churn: {e}");
                    true
                }
            }
        })
        .buffer_unordered(cx.opts.concurrency)
        .collect()
        .await;
    failed.iter().filter(|f| **f).count()
}

/// B8: connect/join/close cycles.
pub(crate) async fn churn(cx: &mut Ctx) -> Res<()> {
    let n = cx.opts.churn_cycles;
    let mut rss = Row::new("B8", format!("RSS after {n} cycles / before"), "x");
    rss.live_max = Some(1.1);
    let mut actors = Row::new("B8", "live views+sessions after − before", "");
    for target in cx.opts.targets.clone() {
        let server = cx.spawn(target).await?;
        let fresh = cx.stats(&server).await?;
        let failed_w = cycles(cx, target, server.port, cx.opts.churn_warmup).await;
        let before = cx
            .settle(&server, Duration::from_secs(15), |s| {
                s.views == fresh.views && s.sessions == fresh.sessions
            })
            .await?;
        let t = Instant::now();
        let failed = cycles(cx, target, server.port, n).await;
        let took = t.elapsed();
        let after = cx
            .settle(&server, Duration::from_secs(15), |s| {
                s.views == before.views && s.sessions == before.sessions
            })
            .await?;
        let ratio = after.rss_kib as f64 / before.rss_kib.max(1) as f64;
        eprintln!(
            "B8 {}: fresh {:?}; after {} warm-up cycles {:?}; after {n} cycles ({:.1}s, {:.0}/s, {} failed) {:?}",
            target.name(),
            fresh,
            cx.opts.churn_warmup,
            before,
            took.as_secs_f64(),
            n as f64 / took.as_secs_f64(),
            failed + failed_w,
            after
        );
        let delta = (after.views + after.sessions) as f64 - (before.views + before.sessions) as f64;
        let note = format!(
            "{}: RSS fresh {} KiB, before {} KiB, after {} KiB; views {}→{}, sessions {}→{}; {:.0} cycles/s",
            target.name(),
            fresh.rss_kib,
            before.rss_kib,
            after.rss_kib,
            before.views,
            after.views,
            before.sessions,
            after.sessions,
            n as f64 / took.as_secs_f64()
        );
        match target {
            Target::Live => {
                rss.live = Some(ratio);
                actors.live = Some(delta);
                rss.note = note;
            }
            Target::Echo => {
                rss.echo = Some(ratio);
                actors.echo = Some(delta);
                actors.note = note;
            }
        }
    }
    actors.live_max = Some(0.0);
    cx.rows.push(rss);
    cx.rows.push(actors);
    Ok(())
}
