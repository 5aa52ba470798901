// select.spec.js (E2E_SCENARIOS.md §5.6): FOC-01.
import { test } from "node:test";
import { setup, syncLV, eventually, assert } from "../lib/harness.mjs";

const suite = setup();

test("FOC-01 select shows error when invalid option is selected", async () => {
  const page = await suite.page();
  await page.goto("/select");
  await syncLV(page);
  const select3 = page.locator("#select_form_select3");
  assert.equal(await select3.inputValue(), "2");
  const hasError = () => select3.evaluate((el) => el.classList.contains("has-error"));
  assert.equal(await hasError(), false);
  await select3.selectOption("3");
  await syncLV(page);
  await eventually(async () => assert.equal(await hasError(), true));
  await select3.selectOption("6");
  await syncLV(page);
  await eventually(async () => assert.equal(await hasError(), false));
});
