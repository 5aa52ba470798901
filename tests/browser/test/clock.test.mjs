// The clock in headless Chromium, with our embedded client and with the official
// phoenix_live_view client: the server pushes the time every second with no event from the
// page; #clock must change twice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, useOfficialClient, collectErrors } from "../lib/harness.mjs";

const TIMEOUT = 10_000;
let server;
let browser;

before(async () => {
  server = await startServer("example-clock");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const clockText = (page) => page.locator("#clock").textContent().then((t) => t.trim());

/** Waits (with a timeout, no fixed sleep) until #clock shows something other than `before`. */
const clockChangesFrom = async (page, before) => {
  await page.waitForFunction((b) => document.querySelector("#clock")?.textContent.trim() !== b, before, {
    timeout: TIMEOUT,
  });
  return clockText(page);
};

for (const client of ["ours", "official"]) {
  test(`clock: the server pushes the time every second (${client} client)`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const errors = collectErrors(page);
    try {
      if (client === "official") await useOfficialClient(page, server.url);
      const response = await page.goto(server.url, { timeout: TIMEOUT });
      assert.equal(response.status(), 200);
      await page.locator("[data-phx-main].phx-connected").waitFor({ timeout: TIMEOUT });
      if (client === "official") {
        assert.equal(await page.evaluate(() => typeof window.LiveView?.LiveSocket), "function");
      } else {
        assert.equal(await page.evaluate(() => typeof window.LiveView), "undefined");
      }

      const t0 = await clockText(page);
      assert.match(t0, /^\d\d:\d\d:\d\d$/);
      const t1 = await clockChangesFrom(page, t0);
      const t2 = await clockChangesFrom(page, t1);
      console.log(`[${client}] #clock: ${t0} -> ${t1} -> ${t2}`);
      assert.match(t1, /^\d\d:\d\d:\d\d$/);
      assert.match(t2, /^\d\d:\d\d:\d\d$/);
      const ticks = Number(await page.locator("#ticks").textContent());
      assert.ok(ticks >= 1, `ticks: ${ticks}`);
      assert.equal(await page.title(), "Clock");
      assert.deepEqual(errors, []);
    } catch (e) {
      if (errors.length) e.message += `\npage errors:\n${errors.join("\n")}`;
      throw e;
    } finally {
      await context.close();
    }
  });
}
