// issues/3919 and issues/3931 (E2E_SCENARIOS.md §5.14): REN-02, REN-03. REN-01 (keyed) is a later stage.
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
    ws.on("close", () => frames.push({ type: "close" }));
  });
  await page.goto("/issues/3931");
  await syncLV(page);
  // The result is loaded by an assign_async task (100 ms) and arrives after the join.
  await eventually(async () =>
    assert.match(await page.locator("#async").textContent(), /This was loaded asynchronously!/),
  );
  const parsed = frames
    .filter((f) => f.payload)
    .map((f) => ({ type: f.type, msg: JSON.parse(f.payload) }));
  const join = parsed.find((f) => f.type === "sent" && f.msg[3] === "phx_join");
  assert.ok(join, "a phx_join was sent");
  const reply = parsed.find((f) => f.type === "received" && f.msg[3] === "phx_reply" && f.msg[1] === join.msg[1]);
  assert.ok(reply, "the join was answered");
  assert.ok(!JSON.stringify(reply.msg[4]).includes("This was loaded"), "the join renders the loading slot");
  // Phoenix's check (a received frame contains `diff`), made exact: the async result is a
  // server push of event `diff` carrying the data.
  const push = parsed.find((f) => f.type === "received" && f.msg[3] === "diff");
  assert.ok(push, `a diff push was received: ${JSON.stringify(parsed.map((f) => f.msg[3]))}`);
  assert.equal(push.msg[1], null, "a push has no ref");
  assert.ok(JSON.stringify(push.msg[4]).includes("This was loaded asynchronously!"));
});
