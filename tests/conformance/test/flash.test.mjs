// issues/3686.spec.js (E2E_SCENARIOS.md §5.5): FL-01.
import { test } from "node:test";
import { setup, syncLV, eventually, gap, assert } from "../lib/harness.mjs";

const suite = setup();

test("FL-01 flash is copied across fallback redirect", async () => {
  const page = await suite.page();
  const flash = page.locator("#flash");
  const h1 = page.locator("h1");
  await page.goto("/issues/3686/a");
  await syncLV(page);
  assert.equal(await flash.textContent(), "%{}");

  // A -> B: push_navigate (a live redirect carrying a flash token)
  await page.getByRole("button", { name: "To B" }).click();
  await eventually(async () => assert.equal(await h1.textContent(), "B"));
  await eventually(async () => assert.match(await flash.textContent(), /Flash from A/));
  await syncLV(page);

  // B -> C: redirect (HTTP, the flash in the __phoenix_flash__ cookie)
  await page.getByRole("button", { name: "To C" }).click();
  await eventually(async () => assert.equal(await h1.textContent(), "C"));
  await eventually(async () => assert.match(await flash.textContent(), /Flash from B/));
  await syncLV(page);

  // C -> A: push_navigate across live sessions: refused, then an HTTP load with the flash
  await page.getByRole("button", { name: "To A" }).click();
  await eventually(async () => assert.equal(await h1.textContent(), "A"));
  await eventually(async () => assert.match(await flash.textContent(), /Flash from C/));
  await syncLV(page);
});
