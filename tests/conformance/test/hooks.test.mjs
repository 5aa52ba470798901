// issues/3651, 4147, 4325 (E2E_SCENARIOS.md §5.8): HK-01…03.
import { test } from "node:test";
import { setup, syncLV, eventually, gap, assert } from "../lib/harness.mjs";

const suite = setup();

test("HK-01 (3651) locked hook with dynamic id is properly cleared", async () => {
  const page = await suite.page();
  await page.goto("/issues/3651");
  await syncLV(page);
  await eventually(async () => assert.equal(await page.locator("#notice").isVisible(), false));
  await page.waitForTimeout(100);
  const total = Number(await page.locator("#total").textContent());
  assert.ok(total <= 50, `total = ${total}`);
});

test(
  "HK-02 (4147) hook outside of liveview works when reconnecting",
  async () => {
    const page = await suite.page();
    await page.goto("/issues/4147");
    await syncLV(page);
    await eventually(async () => assert.ok(suite.logs.includes("HookOutside mounted")));
    await page.evaluate(() => new Promise((resolve) => window.liveSocket.disconnect(resolve)));
    await page.evaluate(() => window.liveSocket.connect());
    await syncLV(page);
    await page.waitForTimeout(100);
    assert.equal(suite.logs.filter((l) => l === "HookOutside mounted").length, 1);
  },
);

test(
  "HK-03 (4325) setting an id to its current value preserves the element across patches",
  async () => {
    const page = await suite.page();
    await page.goto("/issues/4325");
    await syncLV(page);
    const lifecycle = () => page.evaluate(() => ({ ...window.issue4325Lifecycle }));
    await eventually(async () => assert.deepEqual(await lifecycle(), { mounted: 1, updated: 0, destroyed: 0 }));
    await page.evaluate(() => (window.__hooked = document.getElementById("hooked")));
    await page.getByRole("button", { name: "Increment" }).click();
    await eventually(async () => assert.equal(await page.locator("#hooked").textContent(), "count is 1"));
    assert.ok(await page.evaluate(() => window.__hooked.isConnected && window.__hooked === document.getElementById("hooked")));
    assert.deepEqual(await lifecycle(), { mounted: 1, updated: 1, destroyed: 0 });
  },
);
