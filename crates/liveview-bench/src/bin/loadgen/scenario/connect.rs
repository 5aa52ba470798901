//! B6: the dead render's GET vs the websocket's connect + join.

use liveview_bench::percentile;

use crate::client::{close, open};
use crate::ctx::Ctx;
use crate::options::Target;
use crate::report::{sorted_us, Row};
use crate::Res;

/// B6: sequential GET vs connect + join.
pub(crate) async fn connect(cx: &mut Ctx) -> Res<()> {
    let k = cx.opts.connect_samples.max(1);
    let mut get_row = Row::new(
        "B6",
        format!("dead render GET p50 (HTTP), {k} samples"),
        "µs",
    );
    let mut cj_row = Row::new("B6", "ws connect + phx_join p50", "µs");
    let mut ratio_row = Row::new("B6", "connect+join / GET (live); echo = ws handshake", "x");
    let mut live_cj = None;
    let mut live_get = None;
    for target in cx.opts.targets.clone() {
        let server = cx.spawn(target).await?;
        let mut timings = Vec::new();
        for _ in 0..k {
            match open(&cx.client, target, server.port, "/", true).await {
                Ok((c, t)) => {
                    timings.push(t);
                    close(c).await;
                }
                Err(e) => eprintln!("connect: {e}"),
            }
        }
        let gets = sorted_us(timings.iter().map(|t| t.get));
        let cjs = sorted_us(timings.iter().map(|t| t.connect + t.join));
        let conns = sorted_us(timings.iter().map(|t| t.connect));
        let joins = sorted_us(timings.iter().map(|t| t.join));
        eprintln!(
            "B6 {}: GET p50 {} p99 {}; connect p50 {} p99 {}; join p50 {} p99 {}; connect+join p50 {} p99 {} (µs)",
            target.name(),
            percentile(&gets, 0.5),
            percentile(&gets, 0.99),
            percentile(&conns, 0.5),
            percentile(&conns, 0.99),
            percentile(&joins, 0.5),
            percentile(&joins, 0.99),
            percentile(&cjs, 0.5),
            percentile(&cjs, 0.99)
        );
        match target {
            Target::Live => {
                get_row.live = Some(percentile(&gets, 0.5) as f64);
                cj_row.live = Some(percentile(&cjs, 0.5) as f64);
                cj_row.note = format!(
                    "live: handshake {} + join {} µs",
                    percentile(&conns, 0.5),
                    percentile(&joins, 0.5)
                );
                live_cj = cj_row.live;
                live_get = get_row.live;
            }
            Target::Echo => cj_row.echo = Some(percentile(&cjs, 0.5) as f64),
        }
    }
    if let (Some(cj), Some(g)) = (live_cj, live_get) {
        ratio_row.live = Some(cj / g.max(1.0));
        ratio_row.note = "report (no target)".into();
    }
    cx.rows.push(get_row);
    cx.rows.push(cj_row);
    cx.rows.push(ratio_row);
    Ok(())
}
