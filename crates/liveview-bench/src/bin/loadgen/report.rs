//! The table of figures, the helpers that format them, and the machine's description.

use std::time::Duration;

#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub(crate) id: &'static str,
    pub(crate) what: String,
    pub(crate) live: Option<f64>,
    pub(crate) echo: Option<f64>,
    pub(crate) unit: &'static str,
    /// Ratio target (live/echo at most), and an absolute target on the live figure.
    pub(crate) ratio_max: Option<f64>,
    pub(crate) ratio_min: Option<f64>,
    pub(crate) live_max: Option<f64>,
    pub(crate) note: String,
}

impl Row {
    pub(crate) fn new(id: &'static str, what: impl Into<String>, unit: &'static str) -> Self {
        Row {
            id,
            what: what.into(),
            live: None,
            echo: None,
            unit,
            ratio_max: None,
            ratio_min: None,
            live_max: None,
            note: String::new(),
        }
    }

    pub(crate) fn ratio(&self) -> Option<f64> {
        match (self.live, self.echo) {
            (Some(l), Some(e)) if e > 0.0 => Some(l / e),
            _ => None,
        }
    }

    pub(crate) fn verdict(&self) -> String {
        let mut parts = Vec::new();
        let mut ok = true;
        if let (Some(max), Some(r)) = (self.ratio_max, self.ratio()) {
            parts.push(format!("<={max}x"));
            ok &= r <= max;
        }
        if let (Some(min), Some(r)) = (self.ratio_min, self.ratio()) {
            parts.push(format!(">={min}x"));
            ok &= r >= min;
        }
        if let (Some(max), Some(l)) = (self.live_max, self.live) {
            parts.push(format!("<={} {}", fmt(max), self.unit));
            ok &= l <= max;
        }
        if parts.is_empty() {
            "report".into()
        } else {
            format!("{} {}", parts.join(", "), if ok { "MET" } else { "MISSED" })
        }
    }
}

pub(crate) fn fmt(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

pub(crate) fn print_table(rows: &[Row]) {
    println!();
    println!("| bench | measure | live | echo | ratio | target | notes |");
    println!("|---|---|---|---|---|---|---|");
    for r in rows {
        let cell =
            |v: Option<f64>| v.map_or("—".to_owned(), |v| format!("{} {}", fmt(v), r.unit));
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.id,
            r.what,
            cell(r.live),
            cell(r.echo),
            r.ratio().map_or("—".to_owned(), |x| format!("{x:.2}x")),
            r.verdict(),
            r.note
        );
    }
}

pub(crate) fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

pub(crate) fn sorted_us(v: impl IntoIterator<Item = Duration>) -> Vec<u32> {
    let mut v: Vec<u32> = v
        .into_iter()
        .map(|d| d.as_micros().min(u32::MAX as u128) as u32)
        .collect();
    v.sort_unstable();
    v
}

pub(crate) fn report_errors(what: &str, errors: &[String]) {
    if let Some(e) = errors.first() {
        eprintln!("{what}: {} failed (first: {e})", errors.len());
    }
}

pub(crate) fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|k| k.parse::<u64>().ok())
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "{cores} CPUs ({cpu}), {} GiB, Linux {}, load {}",
        mem / 1024 / 1024,
        kernel.trim(),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}
