// js.spec.js and issues/3040 (E2E_SCENARIOS.md §5.9): JS-01…05. JS-06…08 need streams.
import { test } from "node:test";
import { setup, syncLV, eventually, attributeMutations, assert } from "../lib/harness.mjs";

const suite = setup();

function includes(mutations, expected) {
  return mutations.some((m) => Object.entries(expected).every(([k, v]) => m[k] === v));
}

async function modalState(page) {
  return page.locator("#my-modal").evaluate((el) => ({
    visible: el.offsetWidth > 0 || el.offsetHeight > 0,
    fadeIn: el.classList.contains("fade-in"),
    fadeOut: el.classList.contains("fade-out"),
    expanded: el.getAttribute("aria-expanded"),
    open: el.getAttribute("open"),
  }));
}

async function checkShowHide(page, showLabel, hideLabel) {
  let stop = await attributeMutations(page, "#my-modal");
  await page.getByRole("button", { name: showLabel }).click();
  await eventually(async () => {
    const s = await modalState(page);
    assert.deepEqual(s, { visible: true, fadeIn: false, fadeOut: false, expanded: "true", open: "true" });
  });
  let m = await stop();
  assert.ok(includes(m, { attr: "style", oldValue: "display: none;", newValue: "display: block;" }), JSON.stringify(m));
  assert.ok(includes(m, { attr: "aria-expanded", oldValue: "false", newValue: "true" }), JSON.stringify(m));
  assert.ok(includes(m, { attr: "open", oldValue: null, newValue: "true" }), JSON.stringify(m));
  assert.ok(includes(m, { attr: "class", oldValue: null, newValue: "fade-in" }) || includes(m, { attr: "class", newValue: "fade-in" }), JSON.stringify(m));
  assert.ok(includes(m, { attr: "class", oldValue: "fade-in" }), JSON.stringify(m));

  stop = await attributeMutations(page, "#my-modal");
  await page.getByRole("button", { name: hideLabel }).click();
  await eventually(async () => {
    const s = await modalState(page);
    assert.deepEqual(s, { visible: false, fadeIn: false, fadeOut: false, expanded: "false", open: null });
  });
  m = await stop();
  assert.ok(includes(m, { attr: "style", oldValue: "display: block;", newValue: "display: none;" }), JSON.stringify(m));
  assert.ok(includes(m, { attr: "aria-expanded", oldValue: "true", newValue: "false" }), JSON.stringify(m));
  assert.ok(includes(m, { attr: "open", oldValue: "true", newValue: null }), JSON.stringify(m));
  assert.ok(includes(m, { attr: "class", newValue: "fade-out" }), JSON.stringify(m));
  assert.ok(includes(m, { attr: "class", oldValue: "fade-out" }), JSON.stringify(m));
}

test("JS-01 toggle_attribute", async () => {
  const page = await suite.page();
  await page.goto("/js");
  await syncLV(page);
  assert.equal((await modalState(page)).visible, false);
  await checkShowHide(page, "toggle modal", "toggle modal");
});

test("JS-02 set and remove_attribute", async () => {
  const page = await suite.page();
  await page.goto("/js");
  await syncLV(page);
  await checkShowHide(page, "show modal", "hide modal");
});

test("JS-03 ignore_attributes", async () => {
  const page = await suite.page();
  await page.goto("/js");
  await syncLV(page);
  const details = page.locator("details");
  assert.equal(await details.getAttribute("open"), null);
  await page.locator("summary").click();
  await eventually(async () => assert.equal(await details.getAttribute("open"), ""));
  await page.locator("details button").click();
  await syncLV(page);
  await eventually(async () => assert.equal(await page.locator("details button").textContent(), "1"));
  assert.equal(await details.getAttribute("open"), "");
});

async function openModal(page) {
  await page.goto("/issues/3040");
  await syncLV(page);
  await page.getByRole("link", { name: "Add new" }).click();
  await eventually(async () => assert.ok(await page.locator("#my-modal-container").isVisible()));
  await eventually(async () =>
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "name"),
  );
}

test("JS-04 click-away does not fire when triggering form submit", async () => {
  const page = await suite.page();
  await openModal(page);
  await page.keyboard.press("Enter");
  await eventually(async () => assert.match(await page.locator("#my-modal-content").textContent(), /Form was submitted!/));
  await page.waitForTimeout(100);
  assert.ok(await page.locator("#my-modal-container").isVisible());
  await page.mouse.click(0, 0);
  await eventually(async () => assert.equal(await page.locator("#my-modal-container").isVisible(), false));
});

test("JS-05 does not close modal when moving mouse outside while held down", async () => {
  const page = await suite.page();
  await openModal(page);
  const input = page.locator("input[name=name]");
  await input.fill("test");
  const box = await input.boundingBox();
  const container = await page.locator("#my-modal-container").boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width / 2, y);
  await page.mouse.down();
  await page.mouse.move(Math.max(1, container.x - 50), y, { steps: 5 });
  await page.mouse.up();
  await page.waitForTimeout(100);
  assert.ok(await page.locator("#my-modal-container").isVisible());
  await page.keyboard.press("Backspace");
  // The drag selected the text from the caret to the start: focus stayed in the input.
  await eventually(async () => assert.equal(await input.inputValue(), ""));
  assert.ok(await page.locator("#my-modal-container").isVisible());
  await page.keyboard.press("Escape");
  await eventually(async () => assert.equal(await page.locator("#my-modal-container").isVisible(), false));
});
