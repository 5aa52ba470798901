// The counter in headless Chromium, with our embedded client and with the official
// phoenix_live_view client loaded in its place.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  startServer,
  launchBrowser,
  useOfficialClient,
  collectErrors,
  recordConnectTime,
} from "../lib/harness.mjs";

const TIMEOUT = 10_000;
let server;
let browser;

before(async () => {
  server = await startServer("example-counter");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const countIs = (page, n) =>
  page.waitForFunction((n) => document.querySelector("#count")?.textContent.trim() === String(n), n, {
    timeout: TIMEOUT,
  });

for (const client of ["ours", "official"]) {
  test(`counter clicks (${client} client)`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const errors = collectErrors(page);
    const scripts = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    try {
      if (client === "official") await useOfficialClient(page, server.url);
      await recordConnectTime(page);

      const response = await page.goto(server.url, { timeout: TIMEOUT });
      assert.equal(response.status(), 200);
      await page.locator("[data-phx-main].phx-connected").waitFor({ timeout: TIMEOUT });
      const connectedAt = await page.evaluate(() => window.__phxConnectedAt);
      console.log(`[${client}] navigation -> phx-connected: ${connectedAt?.toFixed(1)} ms`);

      // Make sure the intended client, and only it, is the one running.
      if (client === "official") {
        assert.equal(await page.evaluate(() => typeof window.LiveView?.LiveSocket), "function");
        assert.equal(await page.evaluate(() => window.liveSocket?.isConnected()), true);
        assert.ok(!scripts.some((s) => s.startsWith("/live/assets/")), `our client loaded: ${scripts}`);
      } else {
        assert.ok(scripts.includes("/live/assets/liveview.js"), `our client not loaded: ${scripts}`);
        assert.equal(await page.evaluate(() => typeof window.LiveView), "undefined");
      }

      await countIs(page, 0);
      await page.click("#inc");
      await countIs(page, 1);
      await page.click("#inc");
      await countIs(page, 2);
      await page.click("#dec");
      await countIs(page, 1);
      await page.waitForFunction(() => document.title.includes("1"), null, { timeout: TIMEOUT });
      assert.match(await page.title(), /Count: 1/);

      assert.equal(await page.locator("[data-phx-skip]").count(), 0, "no [data-phx-skip] left in the DOM");
      assert.equal(await page.locator("[data-phx-main].phx-connected").count(), 1);
      assert.deepEqual(errors, []);
    } catch (e) {
      if (errors.length) e.message += `\npage errors:\n${errors.join("\n")}`;
      throw e;
    } finally {
      await context.close();
    }
  });
}
