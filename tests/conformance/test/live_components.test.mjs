// Live components (E2E_SCENARIOS.md §5.10), ported from Phoenix's test/e2e/tests/issues/*.spec.js:
// stage 1 LC-01, LC-03, LC-05, LC-07, LC-08, LC-09; async (stage 5) LC-02, LC-04, LC-06 (×2).
// Page errors and leftover [data-phx-skip] elements fail every test (harness, §1.2).
import { test } from "node:test";
import { setup, syncLV, eventually, assert } from "../lib/harness.mjs";

const suite = setup();
const visible = (locator) => locator.isVisible();

test("LC-01 (3026) LiveComponent is re-rendered when racing destory", async () => {
  const page = await suite.page();
  await page.goto("/issues/3026");
  await syncLV(page);
  const name = page.locator("input[name='name']");
  await eventually(async () => assert.equal(await name.inputValue(), "John"));

  // Submitting unloads the component; the parent's :load (200 ms later) adds it back.
  await page.locator("button").click();
  await syncLV(page);
  await eventually(async () => {
    assert.ok(await visible(name));
    assert.equal(await name.inputValue(), "John");
  });

  for (let i = 0; i < 5; i++) {
    await page.locator("select[name='status']").selectOption("connecting");
    await syncLV(page);
    await eventually(async () => assert.equal(await visible(name), false));
    await page.locator("select[name='status']").selectOption("loaded");
    await syncLV(page);
    await eventually(async () => assert.ok(await visible(name)));
  }
});

test("LC-02 (3117) LiveComponent with static FC root is not reset", async () => {
  const page = await suite.page();
  await page.goto("/issues/3117");
  await syncLV(page);
  await page.locator("#navigate").click();
  await syncLV(page);
  for (const row of ["#row-1", "#row-2"]) {
    const stat = page.locator(`${row} .static`);
    await eventually(async () => {
      assert.ok(await visible(stat), `${row} .static is visible`);
      assert.equal(await stat.textContent(), "static content");
    });
  }
});

test("LC-03 (3169) updates which add cids back on page are properly magic id change tracked", async () => {
  const page = await suite.page();
  await page.goto("/issues/3169");
  await syncLV(page);
  const inputVals = () => page.locator('input[type="text"]').evaluateAll((list) => list.map((i) => i.value));
  for (const name of ["a", "b", "z"]) {
    await page.locator(`#select-${name}`).click();
    await syncLV(page);
    await eventually(async () => {
      assert.match(await page.locator("body").textContent(), /FormColumn \(c3\)/);
      assert.deepEqual(await inputVals(), [`Record ${name}`, `Record ${name}`, `Record ${name}`]);
    });
  }
});

test("LC-04 (3941) component-only patch in locked tree works", async () => {
  const page = await suite.page();
  await page.goto("/issues/3941");
  await syncLV(page);
  // The bug: the parent was locked, the component-only patch was applied, and then the stale
  // locked tree was applied over it, erasing the patch.
  const item = (n) => page.locator(`#Item_${n}`);
  const loaded = async (n) => eventually(async () => assert.match(await item(n).textContent(), /I AM LOADED/));
  const gone = async (n) => eventually(async () => assert.equal(await item(n).count(), 0));
  await loaded(1);
  await loaded(2);

  await page.locator("#select-Item_1").uncheck();
  await page.locator("#select-Item_2").uncheck();
  await gone(1);
  await gone(2);

  await page.locator("#select-Item_1").check();
  await loaded(1);
  await gone(2);

  await page.locator("#select-Item_2").check();
  await loaded(1);
  await loaded(2);
});

test("LC-05 (3979) components destroyed check works properly", async () => {
  const page = await suite.page();
  await page.goto("/issues/3979");
  await syncLV(page);
  const bump = page.getByRole("button", { name: "Bump ID (and counter)" });
  for (let i = 0; i < 10; i++) {
    await bump.click();
    await syncLV(page);
  }
  // CIDs are numbered 1..10 in render order (§4); each component got send_update(counter: 10).
  for (let cid = 1; cid <= 10; cid++) {
    await eventually(async () => assert.equal((await page.locator(`[data-phx-component="${cid}"]`).textContent()).trim(), "10"));
  }
});

for (const c of ["first", "second"]) {
  test(`LC-06 (4027) keyed comprehensions are merged properly in LiveComponents - case ${c}`, async () => {
    const page = await suite.page();
    await page.goto(`/issues/4027?case=${c}`);
    await syncLV(page);
    const entries = page.locator("#result p");
    await page.getByRole("button", { name: "Load data" }).click();
    await eventually(async () => assert.equal(await entries.count(), 3));
    await page.getByRole("button", { name: "Remove first entry" }).click();
    await eventually(async () => assert.equal(await entries.count(), 2));
    const text = await page.locator("#result").textContent();
    assert.doesNotMatch(text, /First/);
    assert.match(text, /Second/);
    assert.match(text, /Third/);
  });
}
test("LC-07 (4088) locked LiveComponent container can be patched properly", async () => {
  const page = await suite.page();
  await page.goto("/issues/4088");
  await syncLV(page);
  // The hook pushes my_update to its own component three times at once; the component's root
  // is locked by each push while the replies patch it. All three are answered and applied.
  const foo = page.locator("#foo");
  await eventually(async () => {
    assert.equal(await foo.getAttribute("data-phx-ref-lock"), null);
    assert.equal(await foo.getAttribute("data-phx-ref-loading"), null);
    assert.notEqual((await foo.textContent()).trim(), "value", "my_update assigned a random number");
  });
});

test("LC-08 (4334) hook is remounted when changing LC root id and content is properly patched", async () => {
  const page = await suite.page();
  await page.goto("/issues/4334");
  await syncLV(page);
  const hookLines = () => suite.logs.filter((l) => l.includes("MyHook"));
  await eventually(() => assert.deepEqual(hookLines(), ["MyHook mounted"]));
  await page.getByRole("button", { name: "Change component root id" }).click();
  await syncLV(page);
  await eventually(() => assert.deepEqual(hookLines(), ["MyHook mounted", "MyHook mounted"]));
  await eventually(async () => assert.ok(await visible(page.getByText("NEW CHILD SHOULD REMAIN VISIBLE"))));
});

test("LC-09 (4350) reviving a component also revives children skipped by change tracking", async () => {
  const page = await suite.page();
  // cids_destroyed is held until the test releases it, so the order is explicit.
  let onDestroyedSent, releaseDestroyed, onDestroyedHandled;
  const destroyedSent = new Promise((r) => (onDestroyedSent = r));
  const destroyedReleased = new Promise((r) => (releaseDestroyed = r));
  const destroyedHandled = new Promise((r) => (onDestroyedHandled = r));
  await page.routeWebSocket(/.*live.*/, (ws) => {
    const server = ws.connectToServer();
    let destroyedRef = null; // [join_ref, ref, topic, event, payload]
    ws.onMessage(async (message) => {
      if (typeof message === "string" && message.includes("cids_destroyed") && destroyedRef === null) {
        destroyedRef = JSON.parse(message)[1];
        onDestroyedSent();
        await destroyedReleased;
      }
      server.send(message);
    });
    server.onMessage((message) => {
      if (destroyedRef !== null && typeof message === "string" && JSON.parse(message)[1] === destroyedRef) onDestroyedHandled();
      ws.send(message);
    });
  });
  const timeout = (p, what) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), 5_000))]);

  await page.goto("/issues/4350");
  await syncLV(page);
  await page.locator("#bump").click();
  await eventually(async () => assert.equal(await page.locator("#leaf-count").textContent(), "1"));

  // Re-render the branch so the dynamic holding the leaf is change-tracked away.
  await page.locator("#tick").click();
  await syncLV(page);
  await eventually(async () => assert.match(await page.locator("#branch").textContent(), /tick: 1/));
  const leafCid = await page.locator("#leaf").getAttribute("data-phx-component");

  // Remove the subtree: the client reports both cids, and cids_destroyed is held.
  await page.locator("#hide").click();
  await eventually(async () => assert.equal(await page.locator("#wrapper").count(), 0));
  await timeout(destroyedSent, "cids_destroyed sent");
  await page.locator("#show").click();
  await eventually(async () => assert.equal(await page.locator("#wrapper").count(), 1));
  await syncLV(page);

  releaseDestroyed();
  await timeout(destroyedHandled, "cids_destroyed answered");

  // The leaf is the same component, still alive on the server.
  assert.equal(await page.locator("#leaf").getAttribute("data-phx-component"), leafCid);
  await page.locator("#bump").click();
  await eventually(async () => assert.equal(await page.locator("#leaf-count").textContent(), "2"));
});
