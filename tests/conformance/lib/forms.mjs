// Helpers shared by the form test files, and the form recovery scenarios FRM-04…10, which run
// on plain `/form` (form_recovery.test.mjs) and on `/form?live-component`
// (forms_components.test.mjs).
import { test } from "node:test";
import { syncLV, eventually, assert } from "./harness.mjs";

export function recordFrames(page) {
  const frames = [];
  page.on("websocket", (ws) => {
    ws.on("framesent", (e) => frames.push({ type: "sent", payload: String(e.payload) }));
    ws.on("framereceived", (e) => frames.push({ type: "received", payload: String(e.payload) }));
    ws.on("close", () => frames.push({ type: "close" }));
  });
  return frames;
}
export const has = (frames, type, needle) =>
  frames.some((f) => f.type === type && (needle instanceof RegExp ? needle.test(f.payload) : f.payload?.includes(needle)));
export const summary = (frames) => frames.map((f) => `${f.type}:${f.payload ? f.payload.slice(0, 160) : ""}`).join("\n");
export const clear = (a) => a.splice(0, a.length);

/** Every mutation in `expected` occurs in `actual` (expect.arrayContaining). */
export function containsAll(actual, expected) {
  for (const e of expected) {
    assert.ok(
      actual.some((a) => a.attr === e.attr && a.oldValue === e.oldValue && a.newValue === e.newValue),
      `missing ${JSON.stringify(e)} in ${JSON.stringify(actual)}`,
    );
  }
}

export const attr = (locator, name) => locator.evaluate((el, name) => el.getAttribute(name), name);
export const hasAttr = (locator, name) => locator.evaluate((el, name) => el.hasAttribute(name), name);
export const isFocused = (locator) => locator.evaluate((el) => document.activeElement === el);

export async function disconnect(page) {
  await page.evaluate(() => new Promise((resolve) => window.liveSocket.disconnect(resolve)));
  await eventually(async () => assert.equal(await page.locator(".phx-loading").count(), 1));
}

export async function reconnect(page) {
  await page.evaluate(() => window.liveSocket.connect());
  await syncLV(page);
  await eventually(async () => assert.equal(await page.locator(".phx-loading").count(), 0));
}

/** The url-encoded value of the first sent `event` frame matching `re`, parsed. */
export function sentEventValue(frames, re) {
  const f = frames.find((f) => f.type === "sent" && f.payload.includes('"event"') && re.test(f.payload));
  return f && JSON.parse(f.payload)[4].value;
}

/**
 * FRM-04…10 (form recovery) on `/form?<variant>`: `""` (stage 0, form_recovery.test.mjs) or
 * `"live-component"` (stage 1, forms_components.test.mjs: the form is rendered by live
 * component `form-component` with `phx-target={@myself}`).
 */
export function recoveryScenarios(suite, variant) {
  const label = variant ? `?${variant}` : "";

  test(`FRM-04 /form${label} - form state is recovered when socket reconnects`, async () => {
    const page = await suite.page();
    const frames = recordFrames(page);
    await page.goto(`/form?${variant}`);
    await syncLV(page);
    await page.locator("input[name=b]").fill("test");
    await page.locator("input[name=e]").fill("inside");
    await page.locator("input[name=f]").fill("outside");
    await page.locator("select[name=d]").selectOption("bar");
    await page.locator("input[name=c]").fill("hello world");
    assert.equal(await isFocused(page.locator("input[name=c]")), true);
    await syncLV(page);

    await disconnect(page);
    await eventually(() => {
      assert.ok(has(frames, "sent", "phx_join"), summary(frames));
      assert.ok(has(frames, "received", "phx_reply"), summary(frames));
      assert.ok(frames.some((f) => f.type === "close"), `no close:\n${summary(frames)}`);
    });
    clear(frames);

    await reconnect(page);
    assert.equal(await page.locator("input[name=b]").inputValue(), "test");
    assert.equal(await isFocused(page.locator("input[name=c]")), true);
    assert.equal(await page.locator("select[name=d]").inputValue(), "bar");
    await eventually(() => {
      assert.ok(has(frames, "sent", "phx_join"), summary(frames));
      assert.ok(has(frames, "received", "phx_reply"), summary(frames));
      assert.ok(has(frames, "sent", "validate"), summary(frames));
    });
    const value = sentEventValue(frames, /validate/);
    // The recovery goes where the new form's phx-target points: the component (@myself).
    const recovery = JSON.parse(frames.find((f) => f.type === "sent" && /"validate"/.test(f.payload)).payload)[4];
    assert.equal(typeof recovery.cid, variant ? "number" : "undefined", JSON.stringify(recovery));
    assert.deepEqual(Object.fromEntries(new URLSearchParams(value)), {
      _unused_a: "",
      a: "foo",
      b: "test",
      c: "hello world",
      d: "bar",
      e: "inside",
      f: "outside",
    });
  });

  test(`FRM-05 /form${label} - JS command in phx-change works during recovery`, async () => {
    const page = await suite.page();
    await page.goto(`/form?${variant}&js-change=1`);
    await syncLV(page);
    await page.locator("input[name=b]").fill("test");
    await page.locator("input[name=b]").blur();
    assert.match(await attr(page.locator("form"), "phx-change"), /push/);
    await syncLV(page);
    await disconnect(page);
    await reconnect(page);
    assert.equal(await page.locator("input[name=b]").inputValue(), "test");
  });

  test(`FRM-06 /form${label} - does not recover when form is missing id`, async () => {
    const page = await suite.page();
    await page.goto(`/form?no-id&${variant}`);
    await syncLV(page);
    await page.locator("input[name=b]").fill("test");
    await page.locator("input[name=b]").blur();
    await syncLV(page);
    await disconnect(page);
    await reconnect(page);
    await eventually(async () => assert.equal(await page.locator("input[name=b]").inputValue(), "bar"));
  });

  test(`FRM-07 /form${label} - does not recover when form is missing phx-change`, async () => {
    const page = await suite.page();
    await page.goto(`/form?no-change-event&${variant}`);
    await syncLV(page);
    await page.locator("input[name=b]").fill("test");
    await page.locator("input[name=b]").blur();
    await syncLV(page);
    await disconnect(page);
    await reconnect(page);
    await eventually(async () => assert.equal(await page.locator("input[name=b]").inputValue(), "bar"));
  });

  test(`FRM-08 /form${label} - phx-auto-recover`, async () => {
    const page = await suite.page();
    const frames = recordFrames(page);
    await page.goto(`/form?phx-auto-recover=custom-recovery&${variant}`);
    await syncLV(page);
    await page.locator("input[name=b]").fill("test");
    await page.locator("input[name=b]").blur();
    await syncLV(page);
    await disconnect(page);
    clear(frames);
    await reconnect(page);
    await eventually(async () =>
      assert.equal(await page.locator("input[name=b]").inputValue(), "custom value from server"),
    );
    assert.ok(has(frames, "sent", "phx_join"), summary(frames));
    assert.ok(has(frames, "received", "phx_reply"), summary(frames));
    assert.ok(has(frames, "sent", /custom-recovery.*_unused_a=&a=foo&b=test/), summary(frames));
  });

  test(`FRM-09 /form${label} - respects disabled state of a fieldset`, async () => {
    const page = await suite.page();
    const frames = recordFrames(page);
    await page.goto(`/form?disabled-fieldset=true&${variant}`);
    await syncLV(page);
    await page.locator("input[name=c]").fill("hello world");
    await page.locator("select[name=d]").selectOption("bar");
    await syncLV(page);
    await disconnect(page);
    clear(frames);
    await reconnect(page);
    await eventually(() => assert.ok(has(frames, "sent", "validate"), summary(frames)));
    const value = sentEventValue(frames, /validate/);
    assert.deepEqual(Object.fromEntries(new URLSearchParams(value)), {
      c: "hello world",
      d: "bar",
      _unused_e: "",
      e: "",
      _unused_f: "",
      f: "",
    });
  });

  test(`FRM-10 /form${label} - navigation during recovery is properly handled by the client`, async () => {
    const page = await suite.page();
    await page.goto(`/form?phx-auto-recover=patch-recovery&${variant}`);
    await syncLV(page);
    await disconnect(page);
    await reconnect(page);
    await eventually(() => assert.match(page.url(), /patched=true/));
  });
}
