// errors.spec.js (E2E_SCENARIOS.md §5.4): ERR-01, ERR-02. ERR-03…07 need nested LiveViews.
import { test } from "node:test";
import { setup, eventually, gap, assert } from "../lib/harness.mjs";

const suite = setup();

test("ERR-01 500 error when dead mount fails", async () => {
  const page = await suite.page();
  const statuses = [];
  page.on("response", (r) => r.url().includes("/errors") && statuses.push(r.status()));
  const res = await page.goto("/errors?dead-mount=raise");
  assert.equal(res.status(), 500);
  await page.waitForTimeout(200);
  assert.ok(statuses.length >= 1);
  assert.ok(statuses.every((s) => s === 500), `statuses: ${statuses}`);
});

test(
  "ERR-02 reloads the page when connected mount fails",
  async () => {
    const page = await suite.page();
    const url = "/errors?connected-mount=raise";
    await page.goto(url);
    await eventually(() => {
      const loads = suite.requests.filter((r) => r.method === "GET" && r.url === suite.baseURL + url);
      assert.ok(loads.length >= 7, `only ${loads.length} loads`);
      assert.ok(
        suite.logs.some((l) => l.includes("consecutive reloads. Entering failsafe mode")),
        "no failsafe log line",
      );
    }, 6_000);
    // End the reload loop: the next reload gets a page without a LiveView.
    await page.route("**/errors?*", (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<!DOCTYPE html><p>stopped</p>" }),
    );
    await page.waitForFunction(() => document.body?.textContent === "stopped", null, { timeout: 5_000 });
  },
);
