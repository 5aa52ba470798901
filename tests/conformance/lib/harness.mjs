// Harness for the conformance suite (E2E_SCENARIOS.md §1): spawns the conformance app
// (tests/conformance-app) on localhost with the client chosen by LIVEVIEW_CLIENT, launches
// the system Chromium through playwright-core, and gives each test a fresh page with the
// per-test checks of §1.2 (no pageerror, no [data-phx-skip] left) and the helpers of §1.3.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import assert from "node:assert/strict";
import { after, afterEach, before } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const workspace = path.resolve(here, "..", "..", "..");
export const CLIENT = process.env.LIVEVIEW_CLIENT === "ours" ? "ours" : "official";
export const OFFICIAL = CLIENT === "official";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const TARGET_DIR = process.env.CARGO_TARGET_DIR
  ? path.resolve(workspace, process.env.CARGO_TARGET_DIR)
  : path.join(workspace, "target");
const BIN = process.env.CONFORMANCE_BIN || path.join(TARGET_DIR, "debug", "liveview-conformance");

/** Scenario ids that need client features our client lacks: skipped (as known gaps) with ours. */
export function gap(reason) {
  return OFFICIAL || process.env.CONFORMANCE_NO_SKIP ? {} : { skip: `our client: ${reason}` };
}

function binary() {
  if (!existsSync(BIN)) {
    const r = spawnSync("cargo", ["build", "-p", "liveview-conformance"], { cwd: workspace, stdio: "inherit" });
    if (r.status !== 0) throw new Error("cargo build -p liveview-conformance failed");
  }
  return BIN;
}

async function freePort() {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const ok = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error("no free port below 32768");
}

async function startServer() {
  const port = await freePort();
  const child = spawn(binary(), [], {
    env: { ...process.env, PORT: String(port), LIVEVIEW_CLIENT: CLIENT, RUST_LOG: process.env.RUST_LOG || "error" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 15_000);
    child.stdout.on("data", (c) => {
      output += c;
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on("data", (c) => (output += c));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", resolve);
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 3_000).unref();
    });
  return { baseURL: `http://localhost:${port}`, stop };
}

/**
 * Per test file: one server and one browser. `suite.page()` opens a fresh context and page;
 * after each test the page is checked (§1.2) and closed. `suite.logs` holds the console lines.
 */
export function setup() {
  const suite = { baseURL: null, logs: [], errors: [], requests: [] };
  let server;
  let browser;
  let context;
  let page;
  before(async () => {
    server = await startServer();
    suite.baseURL = server.baseURL;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
  });
  after(async () => {
    await withTimeout(browser?.close(), 10_000, "browser.close").catch(() => {});
    await server?.stop();
  });
  suite.page = async () => {
    context = await browser.newContext({ baseURL: suite.baseURL, viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    page.setDefaultTimeout(5_000);
    // CLIENT_BUNDLE=path: serve our client from that file instead of the one the server
    // embeds, to try client changes without rebuilding the app.
    if (process.env.CLIENT_BUNDLE) {
      const body = readFileSync(process.env.CLIENT_BUNDLE, "utf8");
      await page.route("**/live/assets/liveview.js*", (route) => route.fulfill({ contentType: "text/javascript", body }));
    }
    suite.logs = [];
    suite.errors = [];
    suite.requests = [];
    page.on("pageerror", (e) => suite.errors.push(e.stack || e.message));
    page.on("console", (m) => suite.logs.push(m.text()));
    page.on("request", (r) => suite.requests.push({ method: r.method(), url: r.url() }));
    return page;
  };
  afterEach(async () => {
    if (!page) return;
    const ctx = context;
    try {
      if (!page.isClosed()) {
        const skips = await withTimeout(page.locator("[data-phx-skip]").count(), 3_000, "[data-phx-skip] check").catch(() => 0);
        assert.equal(skips, 0, "a [data-phx-skip] element was left in the DOM");
      }
      assert.deepEqual(suite.errors, [], "page errors");
    } finally {
      page = null;
      await withTimeout(ctx?.close(), 5_000, "context.close").catch(() => {});
    }
  });
  return suite;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Retries `fn` (an assertion) until it passes or `timeout` ms pass. */
export async function eventually(fn, timeout = 5_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** §1.3 syncLV: the first .phx-connected is visible and no loading class is left. */
export async function syncLV(page) {
  await page.waitForFunction(() => {
    const c = document.querySelector(".phx-connected");
    if (!c) return false;
    const r = c.getBoundingClientRect();
    return (
      (r.width > 0 || r.height > 0) &&
      !document.querySelector(".phx-change-loading, .phx-click-loading, .phx-submit-loading")
    );
  }, null, { timeout: 5_000 });
}

/**
 * §1.3 evalLV: the `sandbox:eval` test-control event, handled before the view's own
 * handle_event (tests/conformance-app/src/control.rs). Resolves with the reply's `result`.
 */
export async function evalLV(page, cmd, selector = "[data-phx-main]") {
  return page.evaluate(
    ({ cmd, selector }) =>
      new Promise((resolve, reject) => {
        const ls = window.liveSocket;
        if (typeof ls.main?.withinTargets === "function") {
          ls.main.withinTargets(selector, (view, ctx) =>
            view.pushEvent("event", document.body, ctx, "sandbox:eval", { value: cmd }, {}, (reply) =>
              resolve(reply?.result),
            ),
          );
        } else {
          const view = ls.owner(document.querySelector(selector)) || ls.main;
          view.pushEvent("hook", document.body, "sandbox:eval", { value: cmd }, {}).then((r) => resolve(r?.result), reject);
        }
      }),
    { cmd, selector },
  );
}

/** §1.3 evalPlug: POST /eval. */
export async function evalPlug(baseURL, cmd) {
  const res = await fetch(`${baseURL}/eval`, { method: "POST", body: JSON.stringify(cmd) });
  return res.json();
}

/**
 * §1.3 attributeMutations: records attribute changes of the first element matching
 * `selector`; the returned function stops and returns [{attr, oldValue, newValue}].
 */
export async function attributeMutations(page, selector) {
  const id = Math.random().toString(36).slice(2);
  await page.evaluate(
    ({ selector, id }) => {
      const target = document.querySelector(selector);
      window[`__mutations_${id}`] = [];
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          window[`__mutations_${id}`].push({
            attr: r.attributeName,
            oldValue: r.oldValue,
            newValue: r.target.getAttribute(r.attributeName),
          });
        }
      });
      observer.observe(target, { attributes: true, attributeOldValue: true });
      window[`__observer_${id}`] = observer;
    },
    { selector, id },
  );
  return () =>
    page.evaluate((id) => {
      window[`__observer_${id}`].disconnect();
      return window[`__mutations_${id}`];
    }, id);
}

export async function isVisible(locator) {
  return locator.isVisible();
}

export { assert };
