// components.spec.js (E2E_SCENARIOS.md §5.6): FOC-02…04 (focus_wrap).
import { test } from "node:test";
import { setup, syncLV, eventually, assert } from "../lib/harness.mjs";

const suite = setup();
const focused = (page) => page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.tagName);

async function open(page) {
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  await page.goto("/components?tab=focus_wrap");
  await syncLV(page);
  return consoleErrors;
}

test(
  "FOC-02 dropdown menu focus wrapping works correctly",
  async () => {
    const page = await suite.page();
    const consoleErrors = await open(page);
    assert.equal(await page.locator("#dropdown-menu").isVisible(), false);
    await page.locator("#dropdown-button").click();
    await eventually(async () => assert.ok(await page.locator("#dropdown-menu").isVisible()));
    await eventually(async () => assert.equal(await focused(page), "Edit Profile"));
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "Settings");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "Sign Out");
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "Edit Profile");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await focused(page), "Sign Out");
    await page.getByRole("button", { name: "Edit Profile" }).click();
    await eventually(async () => assert.equal(await page.locator("#dropdown-menu").isVisible(), false));
    assert.deepEqual(consoleErrors, []);
  },
);

test("FOC-03 simple focus container traps focus correctly", async () => {
  const page = await suite.page();
  const consoleErrors = await open(page);
  const activeTag = () => page.evaluate(() => document.activeElement?.tagName === "INPUT" ? "input" : document.activeElement?.textContent?.trim());
  await page.getByRole("button", { name: "Button 1" }).click();
  assert.equal(await activeTag(), "Button 1");
  for (const expected of ["Button 2", "input", "Button 1"]) {
    await page.keyboard.press("Tab");
    assert.equal(await activeTag(), expected);
  }
  for (const expected of ["input", "Button 2", "Button 1"]) {
    await page.keyboard.press("Shift+Tab");
    assert.equal(await activeTag(), expected);
  }
  assert.deepEqual(consoleErrors, []);
});

test("FOC-04 focus_wrap components have correct attributes", async () => {
  const page = await suite.page();
  await open(page);
  for (const id of ["dropdown-content", "simple-focus-container"]) {
    assert.equal(await page.locator(`#${id}`).getAttribute("phx-hook"), "Phoenix.FocusWrap");
    for (const s of ["start", "end"]) {
      assert.equal(await page.locator(`#${id}-${s}`).getAttribute("tabindex"), "0");
      assert.equal(await page.locator(`#${id}-${s}`).getAttribute("aria-hidden"), "true");
    }
  }
});
