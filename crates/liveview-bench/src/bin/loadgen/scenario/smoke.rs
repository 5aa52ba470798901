//! `smoke`: one live session clicking for a moment; fails without replies.

use std::time::{Duration, Instant};

use liveview_bench::percentile;

use crate::client::{close, open, open_loop};
use crate::ctx::Ctx;
use crate::options::Target;
use crate::report::us;
use crate::Res;

/// One live session clicking at 20/s for `--smoke-secs`.
pub(crate) async fn smoke(cx: &mut Ctx) -> Res<()> {
    let server = cx.spawn(Target::Live).await?;
    let (c, t) = open(&cx.client, Target::Live, server.port, "/", true).await?;
    let start = Instant::now();
    let stop = start + Duration::from_secs_f64(cx.opts.smoke_secs);
    let (c, out) = open_loop(c, start, Duration::ZERO, Duration::from_millis(50), stop).await;
    close(c).await;
    let mut lat = out.latencies_us;
    lat.sort_unstable();
    println!(
        "smoke: joined in {:.0} µs (GET {:.0}); {} clicks, {} replies, {} lost; p50 {} µs",
        us(t.connect + t.join),
        us(t.get),
        out.sent,
        lat.len(),
        out.errors,
        percentile(&lat, 0.5)
    );
    if lat.is_empty() || out.errors > 0 {
        return Err("smoke: no replies or lost clicks".into());
    }
    let after = cx
        .settle(&server, Duration::from_secs(5), |s| {
            s.views == 0 && s.sessions == 0
        })
        .await?;
    if after.views != 0 || after.sessions != 0 {
        return Err(format!("smoke: actors left after close: {after:?}"));
    }
    Ok(())
}
