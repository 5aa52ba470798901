// forms.spec.js and form issues with live components (E2E_SCENARIOS.md §5.2), stage 1:
// FRM-04…10 on `/form?live-component` (the form inside live component `form-component`, with
// `phx-target={@myself}`), FRM-21 (3200), FRM-22 (3684).
import { test } from "node:test";
import { setup, syncLV, eventually, assert } from "../lib/harness.mjs";
import { recordFrames, summary, clear, hasAttr, disconnect, reconnect, recoveryScenarios } from "../lib/forms.mjs";

const suite = setup();

recoveryScenarios(suite, "live-component");

test("FRM-21 (3200) phx-target='selector' is used correctly for form recovery", async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/issues/3200/settings");
  await syncLV(page);
  await page.getByRole("button", { name: "Messages" }).click();
  await syncLV(page);
  await eventually(() => assert.equal(new URL(page.url()).pathname, "/issues/3200/messages"));
  await page.locator("#new_message_input").fill("Hello");
  await syncLV(page);
  await disconnect(page);
  clear(frames);
  await reconnect(page);
  await eventually(async () => assert.equal(await page.locator("#new_message_input").inputValue(), "Hello"));
  // The selector names the form itself: the recovery goes to the component it is in.
  const recovery = frames.find((f) => f.type === "sent" && f.payload.includes('"add_message_change"'));
  assert.ok(recovery, summary(frames));
  assert.equal(typeof JSON.parse(recovery.payload)[4].cid, "number", recovery.payload);
});

test("FRM-22 (3684) nested clones are correctly applied", async () => {
  const page = await suite.page();
  await page.goto("/issues/3684");
  await syncLV(page);
  const dewey = page.locator("#dewey");
  assert.equal(await hasAttr(dewey, "checked"), false);
  // The click (to the component) and the change (to the parent) overlap on a locked form.
  await dewey.click();
  await syncLV(page);
  await eventually(async () => assert.equal(await hasAttr(dewey, "checked"), true));
});
