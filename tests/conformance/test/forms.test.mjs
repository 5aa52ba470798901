// forms.spec.js and form issues (E2E_SCENARIOS.md §5.2), stage 0: FRM-01…03, FRM-11, FRM-12 on
// the plain `/form` (no /form/nested or portal variant), FRM-14…20, FRM-23…26. Form recovery
// (FRM-04…10) is in form_recovery.test.mjs, the live-component scenarios (stage 1) in
// forms_components.test.mjs: one file per ~20 tests keeps each under run.sh's 60 s timeout,
// which node applies to a whole file too.
import { test } from "node:test";
import { setup, syncLV, eventually, evalLV, evalPlug, attributeMutations, gap, assert } from "../lib/harness.mjs";
import { recordFrames, has, summary, containsAll, attr, hasAttr, disconnect, reconnect, sentEventValue } from "../lib/forms.mjs";

const suite = setup();

test("FRM-01 /form - readonly state is restored after submits", async () => {
  const page = await suite.page();
  await page.goto("/form");
  await syncLV(page);
  const a = page.locator("input[name=a]");
  assert.equal(await hasAttr(a, "readonly"), true);
  const changesA = await attributeMutations(page, "input[name=a]");
  const changesB = await attributeMutations(page, "input[name=b]");
  await page.locator("#submit").click();
  await page.getByText("Form was submitted!").waitFor();
  await syncLV(page);
  containsAll(await changesA(), [
    { attr: "data-phx-readonly", oldValue: null, newValue: "true" },
    { attr: "data-phx-readonly", oldValue: "true", newValue: null },
  ]);
  containsAll(await changesB(), [
    { attr: "data-phx-readonly", oldValue: null, newValue: "false" },
    { attr: "readonly", oldValue: null, newValue: "" },
    { attr: "data-phx-readonly", oldValue: "false", newValue: null },
    { attr: "readonly", oldValue: "", newValue: null },
  ]);
  assert.equal(await hasAttr(a, "readonly"), true);
  await page.locator("#submit").click();
  await syncLV(page);
  assert.equal(await hasAttr(a, "readonly"), true);
});

test("FRM-02 /form - button disabled state is restored after submits", async () => {
  const page = await suite.page();
  await page.goto("/form");
  await syncLV(page);
  const changes = await attributeMutations(page, "#submit");
  await page.locator("#submit").click();
  await page.getByText("Form was submitted!").waitFor();
  await syncLV(page);
  containsAll(await changes(), [
    { attr: "data-phx-disabled", oldValue: null, newValue: "false" },
    { attr: "disabled", oldValue: null, newValue: "" },
    { attr: "class", oldValue: null, newValue: "phx-submit-loading" },
    { attr: "data-phx-disabled", oldValue: "false", newValue: null },
    { attr: "disabled", oldValue: "", newValue: null },
    { attr: "class", oldValue: "phx-submit-loading", newValue: null },
  ]);
});

test("FRM-03 /form - non-form button (phx-disable-with) disabled state is restored after click", async () => {
  const page = await suite.page();
  await page.goto("/form");
  await syncLV(page);
  const changes = await attributeMutations(page, "button[type=button]");
  await page.locator("button[type=button]").click();
  await syncLV(page);
  containsAll(await changes(), [
    { attr: "data-phx-disabled", oldValue: null, newValue: "false" },
    { attr: "disabled", oldValue: null, newValue: "" },
    { attr: "class", oldValue: null, newValue: "phx-click-loading" },
    { attr: "data-phx-disabled", oldValue: "false", newValue: null },
    { attr: "disabled", oldValue: "", newValue: null },
    { attr: "class", oldValue: "phx-click-loading", newValue: null },
  ]);
});

test("FRM-11 /form - can submit form with button that has phx-click", async () => {
  const page = await suite.page();
  await page.goto("/form?phx-auto-recover=custom-recovery");
  await syncLV(page);
  assert.equal(await page.getByText("Form was submitted!").isVisible(), false);
  await page.getByRole("button", { name: "Submit with JS" }).click();
  await syncLV(page);
  await page.getByText("Form was submitted!").waitFor();
});

test("FRM-12 /form - loading and locked states with latency", async () => {
  const page = await suite.page();
  await page.goto("/form?phx-change=validate");
  await syncLV(page);
  const gateName = `frm12-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  assert.equal(await evalLV(page, { op: "gate", gate: gateName }), "ok");
  // The held view blocks its worker thread; a release that lands on that worker waits, so
  // each release is retried on a fresh connection until one answers.
  const release = async (event) => {
    for (let i = 0; i < 20; i++) {
      try {
        const res = await fetch(`${suite.baseURL}/eval`, {
          method: "POST",
          headers: { connection: "close" },
          body: JSON.stringify({ op: "release", gate: gateName, event }),
          signal: AbortSignal.timeout(1_000),
        });
        if (res.ok) return;
      } catch {}
    }
    throw new Error(`could not release ${event}`);
  };
  const form = page.locator("#test-form");
  const btn = page.locator("#test-form #submit");
  const cls = (l) => attr(l, "class");
  try {
  assert.equal(await page.getByText("Form was submitted!").isVisible(), false);

  await page.locator("#test-form input[name=b]").fill("test");
  await eventually(async () => assert.equal(await cls(form), "myformclass phx-change-loading"));
  for (const a of ["data-phx-ref-loading", "data-phx-ref-lock", "data-phx-ref-src"]) {
    assert.equal(await hasAttr(form, a), true, a);
  }
  await btn.click();
  await eventually(async () => assert.equal(await cls(form), "myformclass phx-change-loading phx-submit-loading"));

  await release("validate");
  await eventually(async () => assert.equal(await cls(form), "myformclass phx-submit-loading"));
  assert.equal(await cls(btn), "phx-submit-loading");
  assert.equal(await attr(btn, "data-phx-disable-with-restore"), "Submit");
  for (const a of ["data-phx-ref-loading", "data-phx-ref-lock", "data-phx-ref-src"]) {
    assert.equal(await hasAttr(btn, a), true, `button ${a}`);
  }
  assert.equal(await hasAttr(form, "data-phx-ref-loading"), true);
  assert.equal(await hasAttr(form, "data-phx-ref-src"), true);
  assert.equal(await hasAttr(form, "data-phx-ref-lock"), false);
  assert.equal(await attr(btn, "disabled"), "");
  assert.equal(await attr(btn, "phx-disable-with"), "Submitting");

  await release("save");
  await page.getByText("Form was submitted!").waitFor();
  await eventually(async () => assert.equal(await cls(form), "myformclass"));
  assert.ok(["", null].includes(await cls(btn)), `button class ${await cls(btn)}`);
  for (const a of ["data-phx-disable-with-restore", "data-phx-ref-loading", "data-phx-ref-lock", "data-phx-ref-src", "disabled"]) {
    assert.equal(await hasAttr(btn, a), false, `button still has ${a}`);
  }
  assert.equal(await attr(btn, "phx-disable-with"), "Submitting");
  } finally {
    // never leave the view (and its worker thread) held for the next test
    await release("validate").catch(() => {});
    await release("save").catch(() => {});
  }
});

const formData = (page, selector = "form") =>
  page.locator(selector).evaluate((form) => Object.fromEntries(new FormData(form)));

async function dynamicInputs(page, checkboxes) {
  await page.goto(checkboxes ? "/form/dynamic-inputs?checkboxes=1" : "/form/dynamic-inputs");
  await syncLV(page);
  const addMore = checkboxes ? page.getByLabel("add more") : page.getByRole("button", { name: "add more" });
  assert.deepEqual(await formData(page), { "my_form[name]": "", "my_form[users_drop][]": "" });
  await page.locator("#my-form_name").fill("Test");
  await addMore.click();
  await syncLV(page);
  await eventually(async () => assert.equal((await formData(page))["my_form[users][0][name]"], ""));
  await page.locator("#my-form_users_0_name").fill("User A");
  await addMore.click();
  await syncLV(page);
  await page.locator("#my-form_users_1_name").waitFor();
  await addMore.click();
  await syncLV(page);
  await page.locator("#my-form_users_2_name").fill("User C");
  await page.locator("#my-form_users_1_name").fill("User B");
  await syncLV(page);
  await eventually(async () => {
    const d = await formData(page);
    assert.equal(d["my_form[name]"], "Test");
    assert.equal(d["my_form[users][0][name]"], "User A");
    assert.equal(d["my_form[users][1][name]"], "User B");
    assert.equal(d["my_form[users][2][name]"], "User C");
  });
  const remove = checkboxes
    ? page.locator('input[name="my_form[users_drop][]"][value="1"]')
    : page.locator('button[name="my_form[users_drop][]"][value="1"]');
  await remove.click();
  await syncLV(page);
  await eventually(async () => {
    const d = await formData(page);
    assert.equal(d["my_form[users][0][name]"], "User A");
    assert.equal(d["my_form[users][1][name]"], "User C");
    assert.equal(d["my_form[users][2][name]"], undefined);
  });
}

test("FRM-14 can dynamically add/remove inputs (ecto sort_param/drop_param)", async () => {
  await dynamicInputs(await suite.page(), false);
});

test("FRM-15 can dynamically add/remove inputs using checkboxes", async () => {
  await dynamicInputs(await suite.page(), true);
});

test("FRM-16 form recovery does not create duplicates of dynamically added fields", async () => {
  const page = await suite.page();
  await page.goto("/form/dynamic-inputs");
  await syncLV(page);
  await page.getByRole("button", { name: "add more" }).click();
  await syncLV(page);
  await page.locator("#my-form_users_0_name").waitFor();
  await disconnect(page);
  await reconnect(page);
  const d = await formData(page);
  assert.equal(d["my_form[users][0][name]"], "");
  assert.equal(d["my_form[users][1][name]"], undefined, JSON.stringify(d));
});

test("FRM-17 phx-no-feedback is applied correctly for backwards-compatible-shims", async () => {
  const page = await suite.page();
  await page.goto("/form/feedback");
  await syncLV(page);
  const feedback = page.locator("[data-feedback-container]");
  const text = (t) => page.getByText(t);
  const hidden = async () => eventually(async () => assert.equal(await feedback.isVisible(), false));
  const visible = async () => eventually(async () => assert.equal(await feedback.isVisible(), true));
  await hidden();
  await page.getByRole("button", { name: "+" }).click();
  await syncLV(page);
  await text("Button Count: 1").waitFor();
  await hidden();
  await text("Validate Count: 0").waitFor();

  await page.locator("input[name=name]").fill("Test");
  await syncLV(page);
  await text("Validate Count: 1").waitFor();
  await hidden();
  await page.locator("input[name=myfeedback]").fill("Test");
  await syncLV(page);
  await text("Validate Count: 2").waitFor();
  await visible();

  await page.reload();
  await syncLV(page);
  await hidden();
  await page.getByRole("button", { name: "Submit" }).click();
  await syncLV(page);
  await text("Submit Count: 1").waitFor();
  await visible();
  await page.getByRole("button", { name: "Reset" }).click();
  await syncLV(page);
  await hidden();

  await page.reload();
  await syncLV(page);
  await hidden();
  await page.getByRole("button", { name: "Toggle feedback" }).click();
  await syncLV(page);
  await visible();
  await page.getByRole("button", { name: "Toggle feedback" }).click();
  await syncLV(page);
  await hidden();
});

test("FRM-18 phx-no-unused-field on a form is applied correctly and no unused fields are sent", async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/form?phx-no-unused-field-form");
  await syncLV(page);
  await page.locator("input[name=b]").fill("test");
  await page.locator("input[name=b]").blur();
  await syncLV(page);
  await eventually(() => assert.ok(has(frames, "sent", /event.*a=foo&b=test&c=baz&d=foo/), summary(frames)));
  assert.equal(frames.some((f) => f.type === "sent" && f.payload.includes("_unused_")), false, summary(frames));
});

test("FRM-19 phx-no-unused-field on an input is applied correctly and no unused field is sent for that specific input", async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/form?phx-no-unused-field-input");
  await syncLV(page);
  await page.locator("input[name=b]").fill("test");
  await page.locator("input[name=b]").blur();
  await syncLV(page);
  await eventually(() =>
    assert.ok(has(frames, "sent", /event.*_unused_a=&a=foo&b=test&c=baz&_unused_d=&d=foo/), summary(frames)),
  );
  const value = sentEventValue(frames, /validate/);
  const params = new URLSearchParams(value);
  assert.equal(params.has("_unused_a"), true);
  assert.equal(params.has("_unused_d"), true);
  assert.equal(params.has("_unused_b"), false);
  assert.equal(params.has("_unused_c"), false);
});

test("FRM-20 select is properly cleared on submit", async () => {
  const page = await suite.page();
  await page.goto("/issues/2787");
  await syncLV(page);
  const s1 = page.locator("#demo_select1");
  const s2 = page.locator("#demo_select2");
  const options = (l) => l.evaluate((el) => Array.from(el.options).map((o) => o.value));
  assert.equal(await s1.inputValue(), "");
  assert.equal(await s2.inputValue(), "");
  assert.deepEqual(await options(s1), ["", "greetings", "goodbyes"]);
  assert.deepEqual(await options(s2), [""]);

  await s1.selectOption("greetings");
  await syncLV(page);
  await eventually(async () => assert.deepEqual(await options(s2), ["", "hello", "hallo", "hei"]));
  await s2.selectOption("hei");
  await syncLV(page);

  await page.getByRole("button", { name: "Submit" }).click();
  await syncLV(page);
  await eventually(async () => {
    assert.equal(await s1.inputValue(), "");
    assert.equal(await s2.inputValue(), "");
  });

  await s1.selectOption("goodbyes");
  await syncLV(page);
  await eventually(async () =>
    assert.deepEqual(await options(s2), ["", "goodbye", "auf wiedersehen", "ha det bra"]),
  );
});

test("FRM-23 target is properly decoded", async () => {
  const page = await suite.page();
  await page.goto("/issues/3719");
  await syncLV(page);
  await page.locator("#a").fill("foo");
  await syncLV(page);
  await eventually(async () => assert.equal(await page.locator("#target").textContent(), '["foo"]'));
  await page.locator("#b").fill("foo");
  await syncLV(page);
  await eventually(async () => assert.equal(await page.locator("#target").textContent(), '["foo", "bar"]'));
  assert.equal(suite.logs.some((l) => l.includes("view crashed")), false);
});

test("FRM-24 submitter is sent when using phx-trigger-action", async () => {
  const page = await suite.page();
  await page.goto("/issues/3814");
  await syncLV(page);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/submit") && r.request().method() === "POST"),
    page.getByRole("button", { name: "Submit" }).click(),
  ]);
  assert.equal(response.status(), 200);
  await eventually(async () =>
    assert.match(await page.locator("body").textContent(), /"i-am-the-submitter":"submitter-value"/),
  );
});

test("FRM-25 form recovery aborts early when form is empty", async () => {
  const page = await suite.page();
  await page.goto("/issues/3819");
  await syncLV(page);
  await disconnect(page);
  await page.evaluate(() => {
    window.addEventListener("phx:page-loading-stop", () => {
      window.liveSocket.js().push(window.liveSocket.main.el, "reconnected");
    });
  });
  await reconnect(page);
  await page.locator("#reconnected").waitFor();
});

test("FRM-26 debounce works for inputs outside of the form", async () => {
  const page = await suite.page();
  await page.goto("/issues/4102");
  await syncLV(page);
  await page.locator("input[name=name]").fill("123");
  await page.getByRole("button", { name: "Submit" }).click();
  await syncLV(page);
});
