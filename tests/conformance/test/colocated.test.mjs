// colocated.spec.js (E2E_SCENARIOS.md §5.15): COL-01, COL-02 as ordinary hooks/JS.
import { test } from "node:test";
import { setup, syncLV, eventually, assert } from "../lib/harness.mjs";

const suite = setup();

test("COL-01 colocated hooks works", async () => {
  const page = await suite.page();
  await page.goto("/colocated");
  await syncLV(page);
  await page.locator("#user-phone-number").fill("1234567890");
  await page.locator("#user-phone-number").press("Enter");
  await eventually(async () => assert.equal(await page.locator("#phone").textContent(), "123-456-7890"));
  assert.ok(await page.locator("#runtime").isVisible());
});

test("COL-02 colocated JS works", async () => {
  const page = await suite.page();
  await page.goto("/colocated");
  await syncLV(page);
  assert.ok(await page.locator("#hello").isVisible());
  await page.getByRole("button", { name: "Push JS from server" }).click();
  await eventually(async () => assert.equal(await page.locator("#hello").isVisible(), false));
  await page.getByRole("button", { name: "Push JS from server" }).click();
  await eventually(async () => assert.ok(await page.locator("#hello").isVisible()));
});
