// The chat in headless Chromium: two pages of one room (both with our client, then both with
// the official phoenix_live_view client); a message typed in one appears in the other, through
// the server's PubSub.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, useOfficialClient, collectErrors } from "../lib/harness.mjs";

const TIMEOUT = 10_000;
let server;
let browser;

before(async () => {
  server = await startServer("example-chat");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens a connected chat page; resolves with the page and its collected errors. */
async function openChat(context, client) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = collectErrors(page);
  if (client === "official") await useOfficialClient(page, server.url);
  const response = await page.goto(server.url, { timeout: TIMEOUT });
  assert.equal(response.status(), 200);
  await page.locator("[data-phx-main].phx-connected").waitFor({ timeout: TIMEOUT });
  if (client === "official") {
    assert.equal(await page.evaluate(() => typeof window.LiveView?.LiveSocket), "function");
  } else {
    assert.equal(await page.evaluate(() => typeof window.LiveView), "undefined");
  }
  return { page, errors };
}

/** Types `text` into the page's message box and submits the form with Enter. */
async function say(page, text) {
  const input = page.locator('#compose input[name="body"]');
  await input.fill(text);
  await input.press("Enter");
}

/** Waits until a `#messages li` with an id `msg-…` shows `text`; resolves with its id. */
async function waitForMessage(page, text) {
  const li = page.locator("#messages li", { hasText: text });
  await li.waitFor({ timeout: TIMEOUT });
  const id = await li.getAttribute("id");
  assert.match(id, /^msg-\d+$/);
  return id;
}

for (const client of ["ours", "official"]) {
  test(`chat: a message typed in one page appears in the other (${client} client)`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    let a;
    let b;
    try {
      a = await openChat(context, client);
      b = await openChat(context, client);
      const nameA = (await a.page.locator("#me").textContent()).trim();
      const nameB = (await b.page.locator("#me").textContent()).trim();
      assert.match(nameA, /^guest-\d+$/);
      assert.notEqual(nameA, nameB);

      const hello = `hello from A (${client}) <b>not bold</b>`;
      await say(a.page, hello);
      const idInB = await waitForMessage(b.page, hello);
      const idInA = await waitForMessage(a.page, hello);
      assert.equal(idInA, idInB);
      assert.equal((await b.page.locator(`#${idInB} .author`).textContent()).trim(), nameA);
      // The body is text, escaped: no <b> element came from it.
      assert.equal(await b.page.locator(`#${idInB} .body b`).count(), 0);

      const reply = `reply from B (${client})`;
      await say(b.page, reply);
      await waitForMessage(a.page, reply);
      await waitForMessage(b.page, reply);
      for (const { page } of [a, b]) {
        const texts = await page.locator("#messages li .body").allTextContents();
        assert.deepEqual(texts.slice(-2), [hello, reply]);
      }
      assert.deepEqual([...a.errors, ...b.errors], []);
    } catch (e) {
      const errors = [...(a?.errors ?? []), ...(b?.errors ?? [])];
      if (errors.length) e.message += `\npage errors:\n${errors.join("\n")}`;
      throw e;
    } finally {
      await context.close();
    }
  });
}
