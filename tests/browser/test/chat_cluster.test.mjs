// The chat as a cluster in headless Chromium: one redis-server and two example-chat
// processes (nodes `a` and `b`, same SECRET_KEY_BASE, same REDIS_URL); one tab on each. A
// message typed in one shows in both, "who is here" lists both guests, and closing one tab
// removes its guest from the other's list.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { startServer, launchBrowser, collectErrors, freePort } from "../lib/harness.mjs";

const TIMEOUT = 10_000;
const SECRET = "cluster-test-secret-key-base-0123456789abcdef";
let redis;
let nodes = [];
let browser;

/** Starts redis-server on a free port below 32768; resolves once it accepts connections. */
async function startRedis() {
  const port = await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${TIMEOUT} ms:\n${output}`)), TIMEOUT);
    child.once("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not be started (${e.message}): install it (Debian: apt-get install redis-server; .ci/run does)`));
    });
    child.stdout.on("data", (c) => {
      output += c;
      if (/Ready to accept connections/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
  child.stdout.resume();
  return { url: `redis://127.0.0.1:${port}/`, stop: () => child.kill("SIGKILL") };
}

before(async () => {
  redis = await startRedis();
  for (const node of ["a", "b"]) {
    nodes.push(
      await startServer("example-chat", {
        env: { REDIS_URL: redis.url, LIVEVIEW_NODE: node, SECRET_KEY_BASE: SECRET },
      }),
    );
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const n of nodes) await n.stop();
  redis?.stop();
});

/** Opens a connected chat page of `server` in a context of its own. */
async function openChat(server) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const errors = collectErrors(page);
  const response = await page.goto(server.url, { timeout: TIMEOUT });
  assert.equal(response.status(), 200);
  await page.locator("[data-phx-main].phx-connected").waitFor({ timeout: TIMEOUT });
  // Connected to the other node through Redis: no "paused" banner.
  await page.locator("#paused").waitFor({ state: "detached", timeout: TIMEOUT });
  return { context, page, errors };
}

/** Waits until `#who` lists exactly `names` (in order). */
async function waitForWho(page, names) {
  await page.waitForFunction(
    (expected) => {
      const shown = [...document.querySelectorAll("#who li")].map((li) => li.textContent.trim());
      return JSON.stringify(shown) === JSON.stringify(expected);
    },
    names,
    { timeout: TIMEOUT },
  );
}

test("chat cluster: two servers, one Redis: messages and presence cross nodes", { timeout: 90_000 }, async () => {
  let a;
  let b;
  try {
    a = await openChat(nodes[0]);
    b = await openChat(nodes[1]);
    assert.equal((await a.page.locator("#node").textContent()).trim(), "a");
    assert.equal((await b.page.locator("#node").textContent()).trim(), "b");
    const nameA = (await a.page.locator("#me").textContent()).trim();
    const nameB = (await b.page.locator("#me").textContent()).trim();
    assert.match(nameA, /^guest-\d+-a$/);
    assert.match(nameB, /^guest-\d+-b$/);

    // Presence shows both users on both pages.
    const both = [nameA, nameB].sort();
    await waitForWho(a.page, both);
    await waitForWho(b.page, both);

    // A message typed on node a shows on both pages, with one id.
    const hello = "hello from node a";
    const input = a.page.locator('#compose input[name="body"]');
    await input.fill(hello);
    await input.press("Enter");
    const inB = b.page.locator("#messages li", { hasText: hello });
    const inA = a.page.locator("#messages li", { hasText: hello });
    await inB.waitFor({ timeout: TIMEOUT });
    await inA.waitFor({ timeout: TIMEOUT });
    const id = await inB.getAttribute("id");
    assert.match(id, /^msg-\d+-a-[0-9a-f]{4}$/);
    assert.equal(await inA.getAttribute("id"), id);
    assert.equal((await inB.locator(".author").textContent()).trim(), nameA);

    // Closing A's tab removes A from B's list.
    await a.context.close();
    await waitForWho(b.page, [nameB]);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } catch (e) {
    const errors = [...(a?.errors ?? []), ...(b?.errors ?? [])];
    if (errors.length) e.message += `\npage errors:\n${errors.join("\n")}`;
    e.message += `\nnode a log:\n${nodes[0]?.log?.() ?? ""}\nnode b log:\n${nodes[1]?.log?.() ?? ""}`;
    throw e;
  } finally {
    await b?.context.close();
  }
});
