// Server restart: the client notices the socket went away, reconnects to the restarted
// server (same port, same SECRET_KEY_BASE so the page's tokens stay valid) and rejoins with
// a fresh mount.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startServer, launchBrowser, useOfficialClient, collectErrors } from "../lib/harness.mjs";

const TIMEOUT = 10_000;
const env = { SECRET_KEY_BASE: "browser-tests-secret-key-base-0123456789abcdef0123456789" };
let browser;
const servers = [];

after(async () => {
  await browser?.close();
  for (const s of servers) await s.stop();
});

const countIs = (page, n) =>
  page.waitForFunction((n) => document.querySelector("#count")?.textContent.trim() === String(n), n, {
    timeout: TIMEOUT,
  });

for (const client of ["ours", "official"]) {
  test(`reconnect after server restart (${client} client)`, { timeout: 60_000 }, async () => {
    browser ??= await launchBrowser();
    let server = await startServer("example-counter", { env });
    servers.push(server);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    const errors = collectErrors(page);
    try {
      if (client === "official") await useOfficialClient(page, server.url);
      await page.goto(server.url, { timeout: TIMEOUT });
      const main = page.locator("[data-phx-main]");
      await page.locator("[data-phx-main].phx-connected").waitFor({ timeout: TIMEOUT });
      await page.click("#inc");
      await page.click("#inc");
      await countIs(page, 2);

      await server.stop("SIGKILL");
      await page.waitForFunction(
        () => !document.querySelector("[data-phx-main]").classList.contains("phx-connected"),
        null,
        { timeout: TIMEOUT },
      );
      const classesWhileDown = await main.getAttribute("class");
      console.log(`[${client}] container classes while the server is down: ${classesWhileDown}`);

      const started = Date.now();
      server = await startServer("example-counter", { env, port: server.port });
      servers.push(server);
      await page.locator("[data-phx-main].phx-connected").waitFor({ timeout: 15_000 });
      console.log(`[${client}] restart -> phx-connected again: ${Date.now() - started} ms`);
      // A fresh mount: the server's state is gone.
      await countIs(page, 0);
      await page.click("#inc");
      await countIs(page, 1);
      await page.waitForFunction(() => document.title.includes("1"), null, { timeout: TIMEOUT });
      assert.equal(await page.locator("[data-phx-skip]").count(), 0);

      // While the server was down the websocket failed to connect; Chromium logs those
      // as console errors. Anything else is a failure.
      if (errors.length) console.log(`[${client}] ${errors.length} console error(s), e.g. ${errors[0]}`);
      const unexpected = errors.filter((e) => !/WebSocket connection to .* failed/.test(e));
      assert.deepEqual(unexpected, []);
    } catch (e) {
      if (errors.length) e.message += `\npage errors:\n${errors.join("\n")}`;
      throw e;
    } finally {
      await context.close();
    }
  });
}
