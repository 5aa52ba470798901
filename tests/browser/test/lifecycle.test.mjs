// Issue 21, with both clients: no double mount, and state that survives a dropped connection.
//
// - `/adopt` adopts its dead render: once the page is connected, `mount` ran once for it
//   (`#mounts` 1; Phoenix: 2). `/twice` does not opt in: 2, as the usual lifecycle says.
// - `/reconnect`, loaded through a TCP proxy the test controls: the count is taken to 5, the
//   proxy resets every connection and refuses new ones for 1 s (the network drops); a PubSub
//   message is sent meanwhile (`POST /news` straight to the server). The client reconnects
//   and re-attaches: the page shows 5 and the news, and `mount` did not run again. Then the
//   network drops for 5 s, longer than the server's grace period (3 s here): the rejoin
//   mounts afresh (`#count` 0, `#mounts` one more).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { startServer, launchBrowser, useOfficialClient, collectErrors, freePort } from "../lib/harness.mjs";

const TIMEOUT = 10_000;
const GRACE_MS = 3_000;
const env = {
  SECRET_KEY_BASE: "browser-tests-lifecycle-secret-0123456789abcdef0123456789",
  RECONNECT_GRACE_MS: String(GRACE_MS),
};
let server;
let browser;

before(async () => {
  server = await startServer("example-scenarios", { env });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * A TCP proxy on 127.0.0.1 to `port`. `drop(ms)` resets every open connection (no Close
 * frame, no FIN: as a network that goes away) and resets new ones for `ms`.
 */
async function startProxy(port) {
  const open = new Set();
  let refuseUntil = 0;
  const proxy = net.createServer((client) => {
    if (Date.now() < refuseUntil) return client.resetAndDestroy();
    const upstream = net.connect(port, "127.0.0.1");
    const pair = [client, upstream];
    open.add(pair);
    const end = () => {
      open.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const proxyPort = await freePort();
  await new Promise((resolve) => proxy.listen(proxyPort, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${proxyPort}/`,
    drop(ms) {
      refuseUntil = Date.now() + ms;
      for (const [client, upstream] of open) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      open.clear();
    },
    close: () => new Promise((resolve) => proxy.close(resolve)),
  };
}

const textIs = (page, selector, text) =>
  page.waitForFunction(
    ([selector, text]) => document.querySelector(selector)?.textContent.trim() === text,
    [selector, text],
    { timeout: TIMEOUT },
  );

const connected = (page, timeout = TIMEOUT) =>
  page.locator("[data-phx-main].phx-connected").waitFor({ timeout });

const disconnected = (page) =>
  page.waitForFunction(() => !document.querySelector("[data-phx-main]").classList.contains("phx-connected"), null, {
    timeout: TIMEOUT,
  });

const pageKey = () => Math.random().toString(36).slice(2);

/** Polls the server's `GET /stats` (view counts) until `ok(stats)`; fails after TIMEOUT. */
async function statsUntil(what, ok, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await (await fetch(new URL("/stats", server.url))).json();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}; last /stats: ${JSON.stringify(last)}`);
}

async function withPage(client, base, body, { allowed = [] } = {}) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = collectErrors(page);
  try {
    if (client === "official") await useOfficialClient(page, base);
    await body(page);
    const official = await page.evaluate(() => typeof window.LiveView?.LiveSocket === "function");
    assert.equal(official, client === "official", "the intended client is running");
    assert.equal(await page.locator("[data-phx-skip]").count(), 0, "no [data-phx-skip] left in the DOM");
    const unexpected = errors.filter((e) => !allowed.some((re) => re.test(e)));
    assert.deepEqual(unexpected, []);
  } catch (e) {
    if (errors.length) e.message += `\npage errors:\n${errors.join("\n")}`;
    throw e;
  } finally {
    await context.close();
  }
}

for (const client of ["ours", "official"]) {
  test(`a view that adopts its dead render mounts once; one that does not, twice (${client} client)`, { timeout: 60_000 }, () =>
    withPage(client, server.url, async (page) => {
      await page.goto(new URL(`/adopt?page=${pageKey()}`, server.url).href, { timeout: TIMEOUT });
      await connected(page);
      await textIs(page, "#live", "true");
      assert.equal((await page.textContent("#mounts")).trim(), "1", "mount ran once for the page view");

      await page.goto(new URL(`/twice?page=${pageKey()}`, server.url).href, { timeout: TIMEOUT });
      await connected(page);
      await textIs(page, "#live", "true");
      assert.equal((await page.textContent("#mounts")).trim(), "2", "the usual lifecycle mounts twice");
      // Leaving a page stops its view at once: it does not wait for a rejoin.
      await statsUntil("only the current page's view", (s) => s.views === 1 && s.orphans === 0);
    }));

  test(`a dropped connection re-attaches to the living view; after the grace period it mounts afresh (${client} client)`, { timeout: 90_000 }, async () => {
    const proxy = await startProxy(server.port);
    try {
      await withPage(
        client,
        proxy.url,
        async (page) => {
          await page.goto(new URL(`/reconnect?page=${pageKey()}`, proxy.url).href, { timeout: TIMEOUT });
          await connected(page);
          await textIs(page, "#live", "true");
          await textIs(page, "#mounts", "2");
          for (let i = 1; i <= 5; i++) {
            await page.click("#inc");
            await textIs(page, "#count", String(i));
          }

          // The network drops for 1 s; the view gets news meanwhile.
          proxy.drop(1_000);
          await disconnected(page);
          await statsUntil("the view to wait for its client", (s) => s.orphans === 1);
          const news = await fetch(new URL("/news?n=42", server.url), { method: "POST" });
          assert.equal(news.status, 204);
          await connected(page, 15_000);
          await textIs(page, "#news", "42");
          assert.equal((await page.textContent("#count")).trim(), "5", "the count survived");
          assert.equal((await page.textContent("#mounts")).trim(), "2", "mount did not run again");
          await page.click("#inc");
          await textIs(page, "#count", "6");

          // Down for longer than the grace period: the view is gone; the rejoin mounts.
          proxy.drop(GRACE_MS + 2_000);
          await disconnected(page);
          await statsUntil("the view to wait for its client", (s) => s.orphans === 1);
          await statsUntil("the view to stop after the grace period", (s) => s.views === 0, GRACE_MS + 2_000);
          await connected(page, 20_000);
          await textIs(page, "#count", "0");
          await textIs(page, "#mounts", "3");
          await textIs(page, "#news", "0");
          await page.click("#inc");
          await textIs(page, "#count", "1");
        },
        // While the proxy refuses connections, the client's reconnects fail; Chromium logs them.
        { allowed: [/WebSocket connection to .* failed/, /ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE/] },
      );
    } finally {
      await proxy.close();
    }
  });
}
