// The feed example (a stream: infinite scroll, live inserts at the top, a window) in headless
// Chromium, with our embedded client and with the official phoenix_live_view client.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, useOfficialClient, collectErrors } from "../lib/harness.mjs";

const TIMEOUT = 10_000;
const env = { SECRET_KEY_BASE: "browser-tests-feed-secret-key-base-0123456789abcdef0123456" };
let browser;
let server;

before(async () => {
  browser = await launchBrowser();
  server = await startServer("example-feed", { env });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(client) {
  // A short viewport, and clicks that do not scroll: the bottom of the list stays out of
  // view, so `phx-viewport-bottom` (which the official client implements) loads nothing on
  // its own and the counts below are exact.
  const context = await browser.newContext({ viewport: { width: 800, height: 240 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = collectErrors(page);
  if (client === "official") await useOfficialClient(page, server.url);
  await page.goto(server.url, { timeout: TIMEOUT });
  await page.locator("[data-phx-main].phx-connected").waitFor({ timeout: TIMEOUT });
  return { context, page, errors };
}

/** Clicks "Load more" without scrolling it into view. */
const more = (page) => page.evaluate(() => document.querySelector("#more").click());

/** The ids of the posts shown, in order. */
const ids = (page) => page.$$eval("#posts > li", (els) => els.map((e) => e.id));

const countIs = (page, n) =>
  page
    .waitForFunction((n) => document.querySelectorAll("#posts > li").length === n, n, { timeout: TIMEOUT })
    .catch(async (e) => {
      const got = await ids(page);
      throw new Error(`expected ${n} posts, got ${got.length}: ${got.slice(0, 3)}…${got.slice(-3)}: ${e.message}`);
    });

for (const client of ["ours", "official"]) {
  test(`feed: load more, live inserts at the top, a window of 60 (${client} client)`, { timeout: 60_000 }, async () => {
    const a = await open(client);
    const b = await open(client);
    try {
      await countIs(a.page, 20);
      const first = await ids(a.page);
      assert.match(first[0], /^posts-\d+$/);
      assert.equal(await a.page.textContent("#shown"), "20 posts shown");

      // Older posts are appended, the page keeps its elements.
      const top = await a.page.$("#posts > li");
      await more(a.page);
      await countIs(a.page, 40);
      assert.deepEqual((await ids(a.page)).slice(0, 20), first);
      assert.ok(await top.evaluate((el) => el.isConnected), "the first item kept its element");

      // A post from another reader arrives at the top of both pages.
      await b.page.locator("#compose input[name=body]").evaluate((el, v) => (el.value = v), `hello from b (${client})`);
      await b.page.evaluate(() => document.querySelector("#compose button").click());
      for (const p of [a.page, b.page]) {
        await p.locator("#posts > li:first-child .body", { hasText: `hello from b (${client})` }).waitFor();
      }
      await countIs(a.page, 41);

      // Two more pages: the window keeps the last 60 (the newest leave the top).
      await more(a.page);
      await countIs(a.page, 60);
      // One page more: still 60, the newest 20 leave the top (waiting for that, as the count
      // alone does not change).
      await more(a.page);
      await a.page.waitForFunction((id) => !document.getElementById(id), first[0], { timeout: TIMEOUT });
      await countIs(a.page, 60);
      assert.equal(await a.page.textContent("#shown"), "60 posts shown");
      assert.equal(await a.page.locator("[data-phx-skip]").count(), 0);
      assert.deepEqual(a.errors, []);
      assert.deepEqual(b.errors, []);
    } finally {
      await a.context.close();
      await b.context.close();
    }
  });
}

for (const client of ["ours", "official"]) {
  test(`feed: scrolling to the bottom loads older posts (phx-viewport-bottom, ${client} client)`, { timeout: 60_000 }, async () => {
    const a = await open(client);
    try {
      await countIs(a.page, 20);
      const last = (await ids(a.page)).at(-1);
      // Scroll until the last post is in view: its container's phx-viewport-bottom fires.
      await a.page.locator(`#${last}`).scrollIntoViewIfNeeded();
      await a.page.evaluate(() => window.dispatchEvent(new Event("scroll")));
      await a.page.waitForFunction((n) => document.querySelectorAll("#posts > li").length >= n, 40, { timeout: TIMEOUT });
      const after = await ids(a.page);
      assert.equal(after[19], last, "the older posts came after the ones shown");
      assert.deepEqual(a.errors, []);
    } finally {
      await a.context.close();
    }
  });
}
