// issues/3919, 3931 (E2E_SCENARIOS.md §5.14): REN-02; REN-03 (async). REN-01 (keyed) is a later stage.
import { test } from "node:test";
import { setup, syncLV, eventually, assert } from "../lib/harness.mjs";

const suite = setup();

test("REN-02 (3919) attribute defaults are properly considered as changed", async () => {
  const page = await suite.page();
  await page.goto("/issues/3919");
  await syncLV(page);
  // As Phoenix's spec: the div is found by its style attribute, which HEEx renders as
  // `style=""` (never drops it) while `special` is false.
  const div = page.locator("div[style]");
  assert.equal(await div.count(), 1);
  assert.equal(await div.textContent(), "No red");
  assert.equal(await div.getAttribute("style"), "");
  await page.getByRole("button", { name: "toggle" }).click();
  await eventually(async () => assert.equal(await div.textContent(), "Red"));
  assert.equal(await div.getAttribute("style"), "background-color: red;");
  await page.getByRole("button", { name: "toggle" }).click();
  await eventually(async () => assert.equal(await div.textContent(), "No red"));
  assert.equal(await div.count(), 1);
  assert.equal(await div.getAttribute("style"), "");
});

test("REN-03 (3931) dynamic attributes reset __changed__ and properly re-render", async () => {
  const page = await suite.page();
  const frames = [];
  page.on("websocket", (ws) => {
    ws.on("framesent", (e) => frames.push({ type: "sent", payload: String(e.payload) }));
    ws.on("framereceived", (e) => frames.push({ type: "received", payload: String(e.payload) }));
  });
  await page.goto("/issues/3931");
  await syncLV(page);
  await eventually(async () => assert.match(await page.locator("#async").textContent(), /This was loaded asynchronously!/));
  const has = (type, needle) => frames.some((f) => f.type === type && f.payload.includes(needle));
  assert.ok(has("sent", "phx_join"));
  assert.ok(has("received", "phx_reply"));
  // The async result is pushed by the server as a `diff` message.
  assert.ok(frames.some((f) => f.type === "received" && JSON.parse(f.payload)[3] === "diff"), frames.map((f) => f.payload).join("\n"));
});
