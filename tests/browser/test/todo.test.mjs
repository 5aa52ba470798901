// The todo example (forms, validation, keyed list, form recovery) in headless Chromium, with
// our embedded client and with the official phoenix_live_view client.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, useOfficialClient, collectErrors } from "../lib/harness.mjs";

const TIMEOUT = 10_000;
const env = { SECRET_KEY_BASE: "browser-tests-todo-secret-key-base-0123456789abcdef012345" };
let browser;
const servers = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
});

/** A fresh server (an empty store) and a connected page on it. */
async function open(client, { allow = [] } = {}) {
  const server = await startServer("example-todo", { env });
  servers.push(server);
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = collectErrors(page);
  if (client === "official") await useOfficialClient(page, server.url);
  await page.goto(server.url, { timeout: TIMEOUT });
  await connected(page);
  if (client === "official") assert.equal(await page.evaluate(() => typeof window.LiveView?.LiveSocket), "function");
  else assert.equal(await page.evaluate(() => typeof window.LiveView), "undefined");
  const unexpected = () => errors.filter((e) => !allow.some((re) => re.test(e)));
  return { server, context, page, errors, unexpected };
}

const connected = (page) => page.locator("[data-phx-main].phx-connected").waitFor({ timeout: TIMEOUT });

const textIs = (page, selector, text) =>
  page.waitForFunction(
    ([s, t]) => document.querySelector(s)?.textContent.trim() === t,
    [selector, text],
    { timeout: TIMEOUT },
  );

const absent = (page, selector) => page.locator(selector).waitFor({ state: "detached", timeout: TIMEOUT });

const titlesAre = (page, titles) =>
  page
    .waitForFunction(
      (want) => JSON.stringify([...document.querySelectorAll("#todos .title")].map((e) => e.textContent.trim())) === want,
      JSON.stringify(titles),
      { timeout: TIMEOUT },
    )
    .catch(async (e) => {
      const got = await page.$$eval("#todos .title", (els) => els.map((e) => e.textContent.trim()));
      throw new Error(`expected todos ${JSON.stringify(titles)}, got ${JSON.stringify(got)}: ${e.message}`);
    });

async function add(page, title, tag) {
  await page.fill("#title", title);
  if (tag !== undefined) await page.fill("#tag", tag);
  await page.press("#title", "Enter");
}

function run(name, client, body, opts) {
  test(`${name} (${client} client)`, { timeout: 60_000 }, async () => {
    const ctx = await open(client, opts);
    try {
      await body(ctx);
      assert.deepEqual(ctx.unexpected(), []);
    } catch (e) {
      if (ctx.errors.length) e.message += `\npage errors:\n${ctx.errors.join("\n")}`;
      throw e;
    } finally {
      await ctx.context.close();
    }
  });
}

for (const client of ["ours", "official"]) {
  run("add a todo", client, async ({ page }) => {
    await textIs(page, "#left", "0 left");
    await add(page, "Buy milk", "home");
    await titlesAre(page, ["Buy milk"]);
    await textIs(page, "#left", "1 left");
    await textIs(page, "#todo-1 .tag", "home");
    await add(page, "Walk the dog");
    await titlesAre(page, ["Buy milk", "Walk the dog"]);
    assert.equal(await page.locator("#title-error").count(), 0);
    assert.equal(await page.locator("[data-phx-skip]").count(), 0);
  });

  run("validation messages under used fields only", client, async ({ page }) => {
    await page.fill("#tag", "no spaces");
    await textIs(page, "#tag-error", "Tag use letters, digits and - only");
    // The title was never used: no error under it although it is blank.
    assert.equal(await page.locator("#title-error").count(), 0);
    await page.fill("#title", "x");
    await textIs(page, "#title-count", "1/80");
    await page.fill("#title", "");
    await textIs(page, "#title-error", "Title can't be blank");
    await page.fill("#tag", "dog");
    await absent(page, "#tag-error");
    // Submitting the invalid form adds nothing.
    await page.press("#title", "Enter");
    await textIs(page, "#title-error", "Title can't be blank");
    assert.equal(await page.locator("#todos li").count(), 0);
    await page.fill("#title", "Valid");
    await absent(page, "#title-error");
    await page.press("#title", "Enter");
    await titlesAre(page, ["Valid"]);
  });

  run("rename in a row's own live component", client, async ({ page }) => {
    for (const t of ["a", "b"]) {
      await add(page, t);
      await page.locator("#todos .title", { hasText: t }).waitFor();
    }
    // The rows are live components: CIDs in render order on their roots.
    assert.equal(await page.getAttribute("#todo-1", "data-phx-component"), "1");
    assert.equal(await page.getAttribute("#todo-2", "data-phx-component"), "2");
    await page.click("#todo-2 .edit");
    await page.locator("#todo-2 form.rename input[name=title]").waitFor();
    await page.fill("#todo-2 form.rename input[name=title]", "");
    await page.click("#todo-2 .save");
    await textIs(page, "#todo-2 .error", "Title must be 1 to 80 characters");
    await page.fill("#todo-2 form.rename input[name=title]", "bee");
    await page.click("#todo-2 .save");
    await titlesAre(page, ["a", "bee"]);
    await absent(page, "#todo-2 form.rename");
    // A deleted row's component is destroyed; the others keep their CIDs.
    await page.click("#todo-1 .delete");
    await titlesAre(page, ["bee"]);
    assert.equal(await page.getAttribute("#todo-2", "data-phx-component"), "2");
    await page.click("#todo-2 .edit");
    await page.click("#todo-2 .cancel");
    await absent(page, "#todo-2 form.rename");
    await titlesAre(page, ["bee"]);
  });

  run("reorder and delete", client, async ({ page }) => {
    for (const t of ["a", "b", "c"]) {
      await add(page, t);
      await page.locator("#todos .title", { hasText: t }).waitFor();
    }
    await titlesAre(page, ["a", "b", "c"]);
    await page.click("#todo-3 .up");
    await titlesAre(page, ["a", "c", "b"]);
    await page.click("#todo-1 .down");
    await titlesAre(page, ["c", "a", "b"]);
    await page.click("#todo-1 .delete");
    await titlesAre(page, ["c", "b"]);
    await page.click("#todo-2 .toggle");
    await textIs(page, "#left", "1 left");
    assert.match(await page.getAttribute("#todo-2", "class"), /done/);
  });

  run(
    "form recovery after a server restart",
    client,
    async (ctx) => {
      const { page } = ctx;
      await page.fill("#title", "half typed");
      await textIs(page, "#title-count", "10/80");
      await page.locator("#tag").focus();
      await ctx.server.stop("SIGKILL");
      await page.waitForFunction(() => !document.querySelector("[data-phx-main]").classList.contains("phx-connected"), null, {
        timeout: TIMEOUT,
      });
      const server = await startServer("example-todo", { env, port: ctx.server.port });
      servers.push(server);
      await page.locator("[data-phx-main].phx-connected").waitFor({ timeout: 15_000 });
      // A fresh mount renders 0/80; the recovered phx-change brought the typed value back.
      await textIs(page, "#title-count", "10/80");
      assert.equal(await page.inputValue("#title"), "half typed");
      await page.press("#title", "Enter");
      await titlesAre(page, ["half typed"]);
    },
    // While the server is down the websocket fails to connect; Chromium logs that.
    { allow: [/WebSocket connection to .* failed/] },
  );
}
