//! The run's context: the server processes it starts (pinned), their stats, the limits.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use liveview_bench::proc::{cpu_time, rss_kib};

use crate::options::{Opts, Target};
use crate::report::Row;
use crate::Res;

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) pid: String,
    pub(crate) port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn taskset_available() -> bool {
    Command::new("taskset")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

pub(crate) fn open_file_limit() -> usize {
    std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|l| {
            l.lines()
                .find(|l| l.starts_with("Max open files"))
                .and_then(|l| l.split_whitespace().nth(3).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(1024)
}

pub(crate) struct Ctx {
    pub(crate) opts: Opts,
    pub(crate) client: awc::Client,
    pub(crate) ticks: u64,
    pub(crate) next_port: u16,
    pub(crate) pin: bool,
    pub(crate) max_sessions: usize,
    pub(crate) rows: Vec<Row>,
}

impl Ctx {
    pub(crate) async fn spawn(&mut self, target: Target) -> Res<Server> {
        let port = self.opts.port + self.next_port % 64;
        self.next_port += 1;
        let bin = &self.opts.server_bin;
        let args = [
            "--mode".to_owned(),
            target.name().to_owned(),
            "--port".to_owned(),
            port.to_string(),
            "--workers".to_owned(),
            self.opts.workers.to_string(),
        ];
        let mut cmd = match (self.pin, self.opts.server_cpu) {
            (true, Some(cpu)) => {
                let mut c = Command::new("taskset");
                c.arg("-c").arg(cpu.to_string()).arg(bin);
                c
            }
            _ => Command::new(bin),
        };
        let child = cmd
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let server = Server {
            pid: child.id().to_string(),
            child,
            port,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.stats(&server).await.is_ok() {
                return Ok(server);
            }
            actix_rt::time::sleep(Duration::from_millis(20)).await;
        }
        Err(format!(
            "{} server on port {port} did not start",
            target.name()
        ))
    }

    pub(crate) async fn stats(&self, s: &Server) -> Res<Stats> {
        let mut res = self
            .client
            .get(format!("http://127.0.0.1:{}/bench/stats", s.port))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let v: serde_json::Value = res.json().await.map_err(|e| e.to_string())?;
        let n = |k: &str| v[k].as_u64().unwrap_or(0);
        Ok(Stats {
            views: n("views"),
            sessions: n("sessions"),
            rss_kib: rss_kib(&s.pid).unwrap_or(0),
        })
    }

    /// Polls the server's stats until `done` holds or `limit` passes; the last stats.
    pub(crate) async fn settle(
        &self,
        s: &Server,
        limit: Duration,
        done: impl Fn(&Stats) -> bool,
    ) -> Res<Stats> {
        let deadline = Instant::now() + limit;
        loop {
            let st = self.stats(s).await?;
            if done(&st) || Instant::now() >= deadline {
                return Ok(st);
            }
            actix_rt::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub(crate) fn cap(&self, n: usize, what: &str) -> usize {
        if n > self.max_sessions {
            eprintln!(
                "note: {what}: {n} sessions exceed the open-file limit; using {}",
                self.max_sessions
            );
            self.max_sessions
        } else {
            n
        }
    }

    pub(crate) fn cpu(&self, pid: &str) -> Duration {
        cpu_time(pid, self.ticks).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Stats {
    pub(crate) views: u64,
    pub(crate) sessions: u64,
    pub(crate) rss_kib: u64,
}
