// issues/3919 (E2E_SCENARIOS.md §5.14): REN-02. REN-03 (async) is in pending/async.test.mjs;
// REN-01 (keyed) is a later stage.
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
