// Shared harness: spawn target/debug/example-counter on a free port, launch the system
// Chromium through playwright-core, and (for the official client) swap our script tag for
// phoenix.js + phoenix_live_view.js served from node_modules.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const workspace = path.resolve(here, "..", "..", "..");

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--no-first-run",
  // Pages whose HTML comes through request interception are otherwise refused loopback
  // websockets.
  "--disable-features=LocalNetworkAccessChecks",
];

/** Resolve the example binary, building it once if it is missing. */
export function exampleBinary(name) {
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(workspace, process.env.CARGO_TARGET_DIR)
    : path.join(workspace, "target");
  const bin = process.env.LIVEVIEW_EXAMPLE_BIN || path.join(targetDir, "debug", name);
  if (!existsSync(bin)) {
    const r = spawnSync("cargo", ["build", "-p", name], {
      cwd: workspace,
      stdio: "inherit",
      timeout: 600_000,
    });
    if (r.status !== 0 || !existsSync(bin)) throw new Error(`cargo build -p ${name} failed`);
  }
  return bin;
}

/** A port below 32768 that was free a moment ago. */
export async function freePort() {
  for (let i = 0; i < 50; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const ok = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error("no free port found");
}

/** Spawn the example server; resolves with { url, stop } once it prints "listening". */
export async function startServer(name = "example-counter", { timeoutMs = 15_000, port: fixedPort, env = {} } = {}) {
  const bin = exampleBinary(name);
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = fixedPort ?? (await freePort());
    const child = spawn(bin, [], {
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG || "warn", ...env, PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    try {
      const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name} did not print "listening" within ${timeoutMs} ms:\n${output}`)),
          timeoutMs,
        );
        const onData = (chunk) => {
          output += chunk;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", (c) => (output += c));
        child.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`${name} exited with ${code} before listening:\n${output}`));
        });
      });
      child.stdout.resume();
      const stop = (signal = "SIGTERM") =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const t = setTimeout(() => child.kill("SIGKILL"), 5_000);
          child.once("exit", () => {
            clearTimeout(t);
            resolve();
          });
          child.kill(signal);
        });
      return { url, port, stop, log: () => output };
    } catch (e) {
      lastError = e;
      child.kill("SIGKILL");
    }
  }
  throw lastError;
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

const OFFICIAL_FILES = {
  "phoenix.js": path.join(here, "..", "node_modules", "phoenix", "priv", "static", "phoenix.js"),
  "phoenix_live_view.js": path.join(here, "..", "node_modules", "phoenix_live_view", "priv", "static", "phoenix_live_view.js"),
};

const OFFICIAL_HEAD =
  `<script src="/__official/phoenix.js"></script>` +
  `<script src="/__official/phoenix_live_view.js"></script>` +
  `<script>` +
  `(function(){let csrf = document.querySelector("meta[name='csrf-token']").content;` +
  `let ls = new LiveView.LiveSocket("/live", Phoenix.Socket, {params: {_csrf_token: csrf}});` +
  `ls.connect(); window.liveSocket = ls;})();` +
  `</script>`;

const OUR_SCRIPT = /<script type="module" src="\/live\/assets\/liveview\.js[^"]*"><\/script>/;

/**
 * Route the page so that it loads the official client instead of ours: every HTML
 * document from the server has our script tag replaced; /__official/* is served from
 * node_modules.
 */
export async function useOfficialClient(page, baseUrl) {
  await page.route("**/__official/*", async (route) => {
    const name = new URL(route.request().url()).pathname.split("/").pop();
    const file = OFFICIAL_FILES[name];
    if (!file) return route.fulfill({ status: 404, body: "not found" });
    await route.fulfill({
      status: 200,
      contentType: "text/javascript",
      body: readFileSync(file, "utf8"),
    });
  });
  await page.route(
    (url) => url.href.startsWith(baseUrl) && !url.pathname.startsWith("/live/") && !url.pathname.startsWith("/__official/"),
    async (route) => {
      if (route.request().resourceType() !== "document") return route.continue();
      const response = await route.fetch();
      const type = response.headers()["content-type"] || "";
      if (!type.startsWith("text/html")) return route.fulfill({ response });
      const html = await response.text();
      if (!OUR_SCRIPT.test(html)) throw new Error(`our client script tag not found in:\n${html}`);
      await route.fulfill({ response, body: html.replace(OUR_SCRIPT, OFFICIAL_HEAD) });
    },
  );
}

/** Record page errors and console errors. */
export function collectErrors(page) {
  const errors = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.stack || e.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      // The example layout declares no favicon, so Chromium's automatic /favicon.ico
      // request 404s; that is the browser, not a client.
      if (/\/favicon\.ico$/.test(msg.location()?.url || "")) return;
      const where = msg.location()?.url ? ` (${msg.location().url})` : "";
      errors.push(`console.error: ${msg.text()}${where}`);
    }
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`HTTP ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return errors;
}

/**
 * Install (before any page script runs) an observer that records performance.now() — ms
 * since navigation start — when the main container first gets `phx-connected`.
 */
export async function recordConnectTime(page) {
  await page.addInitScript(() => {
    const check = () => {
      if (window.__phxConnectedAt !== undefined) return;
      const el = document.querySelector("[data-phx-main]");
      if (el && el.classList.contains("phx-connected")) window.__phxConnectedAt = performance.now();
    };
    new MutationObserver(check).observe(document, { subtree: true, attributes: true, childList: true, attributeFilter: ["class"] });
  });
}
