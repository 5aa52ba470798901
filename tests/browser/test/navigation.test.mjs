// Live navigation in the todo example, with our client and the official one: live patches
// (links and server push_patch) with back/forward, live navigation to another view with a
// flash (push_navigate, data-phx-link="redirect"), and a full redirect whose flash rides the
// __phoenix_flash__ cookie.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, useOfficialClient, collectErrors } from "../lib/harness.mjs";

const TIMEOUT = 10_000;
let browser;
const servers = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
});

const connected = (page) => page.locator("[data-phx-main].phx-connected").waitFor({ timeout: TIMEOUT });

const textIs = (page, selector, text) =>
  page.waitForFunction(
    ([s, t]) => document.querySelector(s)?.textContent.trim() === t,
    [selector, text],
    { timeout: TIMEOUT },
  );

const titlesAre = (page, titles) =>
  page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll("#todos .title")].map((e) => e.textContent.trim())) === want,
    JSON.stringify(titles),
    { timeout: TIMEOUT },
  );

const pathIs = (page, path) => page.waitForURL((u) => u.pathname + u.search === path, { timeout: TIMEOUT });

/** Marks the current document: a live navigation keeps the mark, a page load loses it. */
const mark = (page) => page.evaluate(() => (window.__sameDocument = true));
const sameDocument = (page) => page.evaluate(() => window.__sameDocument === true);

/** A fresh server (empty store) with two todos, one done, and a connected page on `/`. */
async function open(client) {
  const server = await startServer("example-todo");
  servers.push(server);
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = collectErrors(page);
  const loads = [];
  page.on("request", (r) => {
    if (r.resourceType() === "document") loads.push(new URL(r.url()).pathname);
  });
  if (client === "official") await useOfficialClient(page, server.url);
  await page.goto(server.url, { timeout: TIMEOUT });
  await connected(page);
  for (const t of ["open", "closed"]) {
    await page.fill("#title", t);
    await page.press("#title", "Enter");
    await page.locator("#todos .title", { hasText: t }).waitFor();
  }
  await page.click("#todo-2 .toggle");
  await textIs(page, "#left", "1 left");
  await mark(page);
  loads.length = 0;
  return { server, context, page, errors, loads };
}

function run(name, client, body) {
  test(`${name} (${client} client)`, { timeout: 60_000 }, async () => {
    const ctx = await open(client);
    try {
      await body(ctx);
      assert.deepEqual(ctx.errors, []);
    } catch (e) {
      if (ctx.errors.length) e.message += `\npage errors:\n${ctx.errors.join("\n")}`;
      throw e;
    } finally {
      await ctx.context.close();
    }
  });
}

for (const client of ["ours", "official"]) {
  run("patch links, back and forward", client, async ({ page, loads }) => {
    await page.click("#filter-done");
    await pathIs(page, "/?filter=done");
    await titlesAre(page, ["closed"]);
    await page.click("#filter-active");
    await pathIs(page, "/?filter=active");
    await titlesAre(page, ["open"]);
    assert.match(await page.getAttribute("#filter-active", "class"), /active/);

    await page.goBack();
    await pathIs(page, "/?filter=done");
    await titlesAre(page, ["closed"]);
    await page.goBack();
    await pathIs(page, "/");
    await titlesAre(page, ["open", "closed"]);
    await page.goForward();
    await pathIs(page, "/?filter=done");
    await titlesAre(page, ["closed"]);

    // The server's push_patch: the URL follows, handle_params ran.
    await page.click("#filter-all");
    await pathIs(page, "/");
    await titlesAre(page, ["open", "closed"]);
    await page.click("#show-done");
    await pathIs(page, "/?filter=done");
    await titlesAre(page, ["closed"]);
    await page.goBack();
    await pathIs(page, "/");
    await titlesAre(page, ["open", "closed"]);

    assert.equal(await sameDocument(page), true, "no page load");
    assert.deepEqual(loads, []);
  });

  run("live navigation with a flash, back and forward", client, async ({ page, loads }) => {
    await page.click("#todo-1 .title");
    await pathIs(page, "/todos/1");
    await textIs(page, "#todo-title", "open");
    await connected(page);
    await page.waitForFunction(() => document.title === "open", null, { timeout: TIMEOUT });

    // push_navigate with a flash: the list joins with the signed flash token.
    await page.click("#complete");
    await pathIs(page, "/");
    await textIs(page, "#flash-info", "Marked “open” as done");
    await textIs(page, "#left", "0 left");
    await connected(page);
    // lv:clear-flash
    await page.click("#flash-info");
    await page.locator("#flash-info").waitFor({ state: "detached", timeout: TIMEOUT });

    // Back to the todo, forward to the list: live navigations again.
    await page.goBack();
    await pathIs(page, "/todos/1");
    await textIs(page, "#todo-status", "Done");
    await page.goForward();
    await pathIs(page, "/");
    await titlesAre(page, ["open", "closed"]);
    // A navigation carries no flash unless asked: the list shows none now.
    assert.equal(await page.locator("#flash-info").count(), 0);

    await page.click("#about-link");
    await pathIs(page, "/about");
    await textIs(page, "#about", "About");
    await page.click("#back");
    await pathIs(page, "/");
    await titlesAre(page, ["open", "closed"]);

    assert.equal(await sameDocument(page), true, "no page load");
    assert.deepEqual(loads, []);
  });

  run("redirect with a flash in the cookie", client, async ({ page, loads }) => {
    await page.click("#todo-2 .title");
    await pathIs(page, "/todos/2");
    await textIs(page, "#todo-title", "closed");
    await connected(page);

    // redirect: a full page load; the flash rides the __phoenix_flash__ cookie.
    await Promise.all([page.waitForEvent("load", { timeout: TIMEOUT }), page.click("#delete")]);
    await pathIs(page, "/");
    await textIs(page, "#flash-info", "Deleted “closed”");
    await connected(page);
    await titlesAre(page, ["open"]);
    assert.equal(await sameDocument(page), false, "a page load");
    assert.deepEqual(loads, ["/"]);
    // The joined view shows it too (it came in the static token), and the cookie is gone.
    const cookies = await page.context().cookies();
    assert.equal(cookies.filter((c) => c.name === "__phoenix_flash__").length, 0, JSON.stringify(cookies));

    await page.reload();
    await connected(page);
    await titlesAre(page, ["open"]);
    assert.equal(await page.locator("#flash-info").count(), 0, "the flash shows once");
  });
}
