//! Smoke test: the load generator starts the counter server, joins one session over a real
//! websocket and clicks for a second; every click is answered and nothing is left running.

use std::process::Command;

#[test]
fn one_session_clicks_for_a_second() {
    let port = 20000 + (std::process::id() % 5000) as u16;
    let out = Command::new(env!("CARGO_BIN_EXE_lv-loadgen"))
        .args(["smoke", "--no-pin", "--smoke-secs", "1", "--port"])
        .arg(port.to_string())
        .arg("--server-bin")
        .arg(env!("CARGO_BIN_EXE_lv-bench-server"))
        .output()
        .expect("run lv-loadgen");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("smoke: joined"), "{stdout}");
}

#[test]
fn help_documents_every_option() {
    let out = Command::new(env!("CARGO_BIN_EXE_lv-loadgen"))
        .arg("--help")
        .output()
        .expect("run lv-loadgen");
    let help = String::from_utf8_lossy(&out.stdout);
    let source = include_str!("../src/bin/loadgen/options.rs");
    // Every flag the parser matches (`"--flag" =>` or `"--flag" |`) appears in the help text.
    let mut checked = 0;
    for (at, _) in source.match_indices("\"--") {
        let rest = &source[at + 1..];
        let Some(end) = rest.find('"') else { continue };
        let after = rest[end + 1..].trim_start();
        if after.starts_with("=>") || after.starts_with('|') {
            let flag = &rest[..end];
            assert!(help.contains(flag), "--help does not mention {flag}");
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} flags found");
}
