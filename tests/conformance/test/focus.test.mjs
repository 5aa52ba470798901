// issues/3083, 3107, 3448, 3636, 4323 (E2E_SCENARIOS.md §5.6): FOC-05…13.
import { describe, test } from "node:test";
import { setup, syncLV, evalLV, eventually, gap, assert } from "../lib/harness.mjs";

const suite = setup();
const selected = (loc) => loc.evaluate((el) => Array.from(el.selectedOptions).map((o) => o.value));

test("FOC-05 (3083) select multiple handles option updates properly", async () => {
  const page = await suite.page();
  await page.goto("/issues/3083?auto=false");
  await syncLV(page);
  const select = page.locator("#ids");
  assert.deepEqual(await selected(select), []);
  await evalLV(page, { op: "info", msg: { select: [1, 2] } });
  await eventually(async () => assert.deepEqual(await selected(select), ["1", "2"]));
  await evalLV(page, { op: "info", msg: { select: [2, 3] } });
  await eventually(async () => assert.deepEqual(await selected(select), ["2", "3"]));
  // The user picks option 1 (a click at the select's top-left corner).
  await select.click({ position: { x: 1, y: 1 } });
  await syncLV(page);
  await eventually(async () => assert.deepEqual(await selected(select), ["1"]));
  // A server update while the select is focused does not override the user's choice.
  await evalLV(page, { op: "info", msg: { select: [1, 2] } });
  await page.waitForTimeout(100);
  assert.deepEqual(await selected(select), ["1"]);
  await page.mouse.click(600, 600); // on the page, outside the select
  assert.deepEqual(await selected(select), ["1"]);
  await evalLV(page, { op: "info", msg: { select: [3, 4] } });
  await eventually(async () => {
    assert.equal(await select.evaluate((el) => el === document.activeElement), false);
    assert.deepEqual(await selected(select), ["3", "4"]);
  });
});

test("FOC-06 (3107) keeps value when updating select", async () => {
  const page = await suite.page();
  await page.goto("/issues/3107");
  await syncLV(page);
  assert.equal(await page.getByRole("button", { name: "OK" }).isDisabled(), true);
  const select = page.locator("select");
  await select.focus();
  await select.selectOption("TWO");
  await syncLV(page);
  await eventually(async () => assert.equal(await page.getByRole("button", { name: "OK" }).isDisabled(), false));
  assert.equal(await select.inputValue(), "TWO");
});

test(
  "FOC-07 (3448) focus is handled correctly when patching locked form",
  async () => {
    const page = await suite.page();
    await page.goto("/issues/3448");
    await syncLV(page);
    await page.evaluate(() => window.liveSocket.enableLatencySim(500));
    await page.locator("input[type=checkbox]").first().check();
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.id), "search"));
    await syncLV(page);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "search");
  },
);

test(
  "FOC-08 (3636) focus_wrap focuses first element when entering focus from outside",
  async () => {
    const page = await suite.page();
    await page.goto("/issues/3636");
    await syncLV(page);
    // Click just right of the wrap's buttons (inside the wrap, on no button), then Tab.
    const three = await page.getByRole("button", { name: "Three" }).boundingBox();
    await page.mouse.click(three.x + three.width + 40, three.y + three.height / 2);
    await page.keyboard.press("Tab");
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.textContent), "One"));
  },
);

describe("phx-patch-focused (4323)", () => {
  const bump = (page) => evalLV(page, { op: "inc" });
  async function open() {
    const page = await suite.page();
    await page.goto("/issues/4323");
    await syncLV(page);
    return page;
  }

  test(
    "FOC-09 preserves focused form-associated custom elements by default",
    async () => {
    const page = await open();
    await page.locator("#face-default").focus();
    await bump(page);
    await syncLV(page);
    await eventually(async () => assert.equal(await page.locator("#native-default").inputValue(), "1"));
    assert.equal(await page.locator("#face-default-child").textContent(), "count:0");
    },
  );

  test("FOC-10 patches an opted-in focused form-associated custom element", async () => {
    const page = await open();
    await page.locator("#face-opt-in").focus();
    await bump(page);
    await eventually(async () => assert.equal(await page.locator("#face-opt-in-child").textContent(), "count:1"));
  });

  test("FOC-11 patches opted-in slotted children when focus is delegated", async () => {
    const page = await open();
    await page.locator("#face-delegates").click();
    await eventually(async () => assert.equal(await page.evaluate(() => document.activeElement?.id), "face-delegates"));
    await bump(page);
    await eventually(async () => assert.equal(await page.locator("#face-delegates-child").textContent(), "count:1"));
  });

  test("FOC-12 preserves a focused native input by default", async () => {
    const page = await open();
    await page.locator("#native-default").fill("client");
    await bump(page);
    await syncLV(page);
    await eventually(async () => assert.equal(await page.locator("#face-default-child").textContent(), "count:1"));
    assert.equal(await page.locator("#native-default").inputValue(), "client");
  });

  test("FOC-13 patches an opted-in focused native input", async () => {
    const page = await open();
    await page.locator("#native-opt-in").fill("client");
    await bump(page);
    await eventually(async () => assert.equal(await page.locator("#native-opt-in").inputValue(), "1"));
  });
});
