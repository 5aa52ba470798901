// issues/3194, 4290 (E2E_SCENARIOS.md §5.7): EVT-01, EVT-03. EVT-02 needs live components.
import { test } from "node:test";
import { setup, syncLV, eventually, gap, assert } from "../lib/harness.mjs";

const suite = setup();

test(
  "EVT-01 (3194) does not send event to wrong LV when submitting form with debounce blur",
  async () => {
    const page = await suite.page();
    await page.goto("/issues/3194");
    await syncLV(page);
    const input = page.locator("input[name='foo[store_number]']");
    await input.focus();
    await input.pressSequentially("hello");
    await input.press("Enter");
    await page.waitForURL("**/issues/3194/other");
    await eventually(async () => assert.ok(await page.getByText("Another LiveView").isVisible()));
    await page.waitForTimeout(50);
    await syncLV(page);
    assert.ok(
      suite.logs.some((l) => l.includes("destroyed: the child has been removed from the parent")),
      `logs: ${suite.logs.join("\n")}`,
    );
    assert.ok(!suite.logs.some((l) => l.includes("view crashed")), "a view crashed");
  },
);

test(
  "EVT-03 (4290) events from the old view are not routed to the new view during live navigation",
  async () => {
    const page = await suite.page();
    await page.goto("/issues/4290/a");
    await syncLV(page);
    await page.getByRole("button", { name: "Navigate" }).click();
    await page.waitForTimeout(500);
    assert.equal(await page.locator("h1").textContent(), "A");
    await page.locator("input[name=name]").fill("typed during the transition");
    await eventually(async () => assert.equal(await page.locator("h1").textContent(), "B"), 5_000);
    await syncLV(page);
    assert.equal(await page.locator("#event-count").textContent(), "0");
  },
);
