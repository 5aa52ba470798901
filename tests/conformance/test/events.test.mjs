// issues/3194, 4066, 4290 (E2E_SCENARIOS.md §5.7): EVT-01, EVT-03; EVT-02 (live components, stage 1).
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

test("EVT-02 (4066) events for disconnected elements are ignored", async () => {
  const page = await suite.page();
  // The component's hook pushes to its own input 100 ms after an input event; Toggle removes
  // the component before that. Pushed anyway, the event would reach the parent and crash it.
  await page.goto("/issues/4066?delay=100");
  await syncLV(page);
  const renderTime = await page.locator("#render-time").textContent();
  await page.locator("input").fill("123");
  await page.locator("button").click();
  await syncLV(page);
  await eventually(async () => assert.equal(await page.locator("input").isVisible(), false));
  // The hook sets this when its delay fires.
  await eventually(async () => assert.equal(await page.locator("body").getAttribute("data-pushed"), "yes"));
  await page.locator("button").click();
  await syncLV(page);
  await eventually(async () => assert.ok(await page.locator("input").isVisible()));
  // The view did not crash and remount.
  assert.equal(await page.locator("#render-time").textContent(), renderTime);
  assert.ok(!suite.logs.some((l) => l.includes("view crashed")), "a view crashed");
});

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
