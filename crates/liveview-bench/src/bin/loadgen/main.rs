//! `lv-loadgen`: the load generator of benchmarks B3–B8. It starts `lv-bench-server` (the
//! counter, and the raw websocket echo baseline) pinned to one core, pins itself to the
//! other, speaks the LiveView protocol over real websockets and prints a table of figures,
//! each with its ratio to the echo baseline measured in the same run. See `--help`.
//!
//! The modules: [`options`] (the command line), [`ctx`] (server processes and their stats),
//! [`client`] (one session over a websocket, and the per-session loops), one module per
//! scenario under [`scenario`], and [`report`] (the table).

mod client;
mod ctx;
mod options;
mod report;
mod scenario;

use std::process::{Command, Stdio};
use std::time::Duration;

use liveview_bench::proc::clock_ticks;

use crate::ctx::{open_file_limit, taskset_available, Ctx};
use crate::options::{parse_opts, HELP, MAX_SESSIONS};
use crate::report::{loadavg, machine, print_table};
use crate::scenario::broadcast::broadcast;
use crate::scenario::churn::churn;
use crate::scenario::connect::connect;
use crate::scenario::idle::idle;
use crate::scenario::rtt::rtt;
use crate::scenario::saturate::saturate;
use crate::scenario::smoke::smoke;

pub(crate) fn main() -> Result<(), String> {
    let Some(opts) = parse_opts()? else {
        print!("{HELP}");
        return Ok(());
    };
    let machine = machine();
    let pin = (opts.server_cpu.is_some() || opts.client_cpu.is_some()) && taskset_available();
    if let (true, Some(cpu)) = (pin, opts.client_cpu) {
        let ok = Command::new("taskset")
            .args([
                "-a",
                "-cp",
                &cpu.to_string(),
                &std::process::id().to_string(),
            ])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("note: could not pin to CPU {cpu}");
        }
    }
    let limit = open_file_limit();
    // One socket per session in each process, plus spare; and the team's cap of 9,000.
    let max_sessions = limit.saturating_sub(300).clamp(1, MAX_SESSIONS);
    println!("machine: {machine}");
    println!(
        "pinning: server CPU {:?}, client CPU {:?} ({}); open-file limit {limit} -> at most {max_sessions} sessions",
        opts.server_cpu,
        opts.client_cpu,
        if pin { "taskset" } else { "off" }
    );
    actix_rt::System::new().block_on(async move {
        let client = awc::Client::builder()
            .connector(awc::Connector::new().limit(0))
            .timeout(Duration::from_secs(20))
            .finish();
        let mut cx = Ctx {
            ticks: clock_ticks(),
            client,
            next_port: 0,
            pin,
            max_sessions,
            rows: Vec::new(),
            opts,
        };
        for s in cx.opts.scenarios.clone() {
            eprintln!("== {s} (load average {})", loadavg());
            match s.as_str() {
                "smoke" => smoke(&mut cx).await?,
                "idle" => idle(&mut cx).await?,
                "rtt" => rtt(&mut cx).await?,
                "saturate" => saturate(&mut cx).await?,
                "connect" => connect(&mut cx).await?,
                "broadcast" => broadcast(&mut cx).await?,
                "churn" => churn(&mut cx).await?,
                _ => {}
            }
        }
        if !cx.rows.is_empty() {
            println!("load average at the end: {}", loadavg());
            print_table(&cx.rows);
        }
        Ok(())
    })
}

/// What every step returns: an error is a sentence for the terminal.
type Res<T> = Result<T, String>;
