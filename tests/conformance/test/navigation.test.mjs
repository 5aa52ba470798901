// navigation.spec.js, form-unsaved.spec.js and issues 3529 / 3709 / 4094 (E2E_SCENARIOS.md §5.3):
// NAV-01…08, NAV-14…17, NAV-19; NAV-18 (live components, stage 1). The scroll scenarios
// NAV-09…13 wait for streams (stage 2).
import { test } from "node:test";
import { setup, syncLV, eventually, gap, assert } from "../lib/harness.mjs";

const suite = setup();

/** A library gap: the scenario runs and reports as TODO (it does not fail the suite). */
// A check beyond the catalogue that cannot pass reliably yet: it runs, but as a TODO.
const beyondCatalogue = (reason) => ({ todo: reason });
// Phoenix renders `/navigation/b`'s items as a stream; this app renders a plain list until
// streams land (#15). The scenarios that visit it pass on URLs, frames and events, but do not
// exercise streams yet (docs/conformance.md, "Not yet meaningful"); their titles say so.
const PLAIN_LIST = " [not yet meaningful for streams: /navigation/b is a plain list until #15]";

/** §5.3 beforeEach: every websocket frame (and close) of the page, in order. */
function recordFrames(page) {
  const frames = [];
  page.on("websocket", (ws) => {
    ws.on("framesent", (e) => frames.push({ type: "sent", payload: String(e.payload) }));
    ws.on("framereceived", (e) => frames.push({ type: "received", payload: String(e.payload) }));
    ws.on("close", () => frames.push({ type: "close" }));
  });
  return frames;
}

/** Page requests (not the client's assets). */
const pageRequests = () =>
  suite.requests.filter((r) => {
    const p = new URL(r.url).pathname;
    return !p.startsWith("/assets/") && !p.startsWith("/live/assets/") && p !== "/favicon.ico";
  });

const clear = (a) => a.splice(0, a.length);
const has = (frames, type, needle) =>
  frames.some((f) => f.type === type && (needle instanceof RegExp ? needle.test(f.payload) : f.payload?.includes(needle)));
const count = (frames, needle) => frames.filter((f) => f.payload?.includes(needle)).length;
const summary = (frames) => frames.map((f) => `${f.type}:${f.payload ? f.payload.slice(0, 90) : ""}`).join("\n");
const path = (page) => {
  const u = new URL(page.url());
  return u.pathname + u.search + u.hash;
};
const historyLength = (page) => page.evaluate(() => window.history.length);

/** Records phx:before-navigate (prevented while window.preventNav) and phx:navigate details. */
async function navListeners(page, prevent) {
  await page.evaluate((prevent) => {
    window.preventNav = prevent;
    window.beforeNav = [];
    window.navs = [];
    window.addEventListener("phx:before-navigate", (e) => {
      window.beforeNav.push(e.detail);
      if (window.preventNav) e.preventDefault();
    });
    window.addEventListener("phx:navigate", (e) => window.navs.push(e.detail));
  }, prevent);
}

test("NAV-01 can navigate between LiveViews in the same live session over websocket" + PLAIN_LIST, async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/navigation/a");
  await syncLV(page);
  assert.deepEqual(pageRequests(), [{ method: "GET", url: `${suite.baseURL}/navigation/a` }]);
  assert.deepEqual(
    frames.map((f) => [f.type, f.payload.includes(f.type === "sent" ? "phx_join" : "phx_reply")]),
    [["sent", true], ["received", true]],
    summary(frames),
  );

  clear(suite.requests);
  clear(frames);
  const length = await historyLength(page);
  await page.getByRole("link", { name: "Patch this LiveView" }).click();
  await syncLV(page);
  await eventually(() => assert.equal(frames.length, 2, summary(frames)));
  assert.deepEqual(pageRequests(), []);
  assert.ok(frames[0].type === "sent" && frames[0].payload.includes("live_patch"), summary(frames));
  assert.ok(frames[1].type === "received" && frames[1].payload.includes("phx_reply"), summary(frames));
  assert.equal(await historyLength(page), length + 1);

  clear(frames);
  await page.getByRole("link", { name: "LiveView B" }).click();
  await syncLV(page);
  await page.getByText("This is page B").waitFor();
  assert.deepEqual(pageRequests(), []);
  await eventually(() => {
    assert.ok(has(frames, "sent", "phx_leave"), summary(frames));
    assert.ok(has(frames, "sent", "phx_join"), summary(frames));
    assert.ok(frames.filter((f) => f.type === "received" && f.payload.includes("phx_reply")).length >= 2, summary(frames));
  });
  nav01Frames = frames;
});

// NAV-01's last expectation, separate so that the rest stays enforced: Phoenix pushes
// `phx_close` on the left topic after replying to `phx_leave`.
let nav01Frames = [];
test("NAV-01 (phx_close after phx_leave)", async () => {
  assert.ok(has(nav01Frames, "received", "phx_close"), `no phx_close received:\n${summary(nav01Frames)}`);
});

test("NAV-02 handles live redirect loops", async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/navigation/redirectloop");
  await syncLV(page);
  await page.getByRole("link", { name: "Redirect Loop" }).click();
  await eventually(() => assert.ok(has(frames, "received", "phx_error"), summary(frames)));
  // after the rejoin (at ?loop=true) the view mounts with the message
  await eventually(async () => assert.equal(await page.locator("#message").textContent(), "Too many redirects"), 8_000);
  assert.match(page.url(), /loop=true/);
});

test("NAV-03 popstate" + PLAIN_LIST, async () => {
  const page = await suite.page();
  await page.goto("/navigation/a");
  await syncLV(page);
  clear(suite.requests);

  await page.getByRole("link", { name: "Patch this LiveView" }).click();
  await syncLV(page);
  await eventually(() => assert.match(path(page), /^\/navigation\/a\?/));
  assert.deepEqual(pageRequests(), []);

  await page.getByRole("link", { name: "LiveView B" }).click();
  await syncLV(page);
  await eventually(() => assert.equal(path(page), "/navigation/b"));
  assert.deepEqual(pageRequests(), []);

  await page.goBack();
  await syncLV(page);
  await eventually(() => assert.match(path(page), /^\/navigation\/a\?/));
  await page.getByText("This is page A").waitFor();
  assert.deepEqual(pageRequests(), []);

  await page.goBack();
  await syncLV(page);
  await eventually(() => assert.equal(path(page), "/navigation/a"));
  assert.deepEqual(pageRequests(), []);

  await page.goForward();
  await page.goForward();
  await syncLV(page);
  await eventually(() => assert.equal(path(page), "/navigation/b"));
  await page.getByText("This is page B").waitFor();
  assert.deepEqual(pageRequests(), []);
});

test("NAV-04 can prevent live link navigation with before navigate" + PLAIN_LIST, async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/navigation/a");
  await syncLV(page);
  await navListeners(page, true);
  clear(suite.requests);
  clear(frames);

  await page.getByRole("link", { name: "LiveView B" }).click();
  await eventually(async () => assert.equal((await page.evaluate(() => window.beforeNav)).length, 1));
  assert.equal(path(page), "/navigation/a");
  assert.deepEqual(pageRequests(), []);
  assert.deepEqual(frames, []);
  assert.deepEqual(await page.evaluate(() => window.beforeNav), [
    { href: `${suite.baseURL}/navigation/b`, patch: false, pop: false, direction: "forward" },
  ]);
  assert.deepEqual(await page.evaluate(() => window.navs), []);

  await page.evaluate(() => (window.preventNav = false));
  await page.getByRole("link", { name: "LiveView B" }).click();
  await syncLV(page);
  await eventually(() => assert.equal(path(page), "/navigation/b"));
  await page.getByText("This is page B").waitFor();
  assert.deepEqual(pageRequests(), []);
});

test("NAV-05 can prevent popstate navigation with before navigate" + PLAIN_LIST, async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/navigation/a");
  await syncLV(page);
  await page.getByRole("link", { name: "LiveView B" }).click();
  await syncLV(page);
  await eventually(() => assert.equal(path(page), "/navigation/b"));
  await page.getByText("This is page B").waitFor();

  await navListeners(page, true);
  clear(suite.requests);
  clear(frames);
  await page.goBack();
  await eventually(async () => assert.equal((await page.evaluate(() => window.beforeNav)).length, 1));
  // The client undoes the prevented pop with a history step of its own: wait for it to land.
  await eventually(() => assert.equal(path(page), "/navigation/b"));
  assert.deepEqual(pageRequests(), []);
  assert.deepEqual(frames, []);
  assert.deepEqual(await page.evaluate(() => window.beforeNav), [
    { href: `${suite.baseURL}/navigation/a`, patch: false, pop: true, direction: "backward" },
  ]);
  assert.deepEqual(await page.evaluate(() => window.navs), []);

  await page.evaluate(() => (window.preventNav = false));
  await page.goBack();
  await syncLV(page);
  await eventually(() => assert.equal(path(page), "/navigation/a"));
  await page.getByText("This is page A").waitFor();
});

test("NAV-06 before navigate does not prevent server-side navigation" + PLAIN_LIST, async () => {
  const page = await suite.page();
  await page.goto("/navigation/a");
  await syncLV(page);
  await navListeners(page, true);
  await page.getByRole("button", { name: "Server Navigate" }).click();
  await eventually(() => assert.equal(path(page), "/navigation/b"));
  await page.getByText("This is page B").waitFor();
  await syncLV(page);
  assert.deepEqual(await page.evaluate(() => window.beforeNav), []);
});

test("NAV-07 patch with replace replaces history", async () => {
  const page = await suite.page();
  await page.goto("/navigation/a");
  await syncLV(page);
  const url = page.url();
  const length = await historyLength(page);
  await page.getByRole("link", { name: "Patch (Replace)" }).click();
  await syncLV(page);
  await eventually(() => assert.notEqual(page.url(), url));
  assert.equal(await historyLength(page), length);
});

test("NAV-08 falls back to http navigation when navigating between live sessions", async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/navigation/a");
  await syncLV(page);
  clear(suite.requests);
  clear(frames);
  await page.getByRole("link", { name: "LiveView (other session)" }).click();
  await page.getByText("Streams (live_session default)").waitFor();
  await syncLV(page);
  assert.ok(
    suite.requests.some((r) => r.method === "GET" && r.url === `${suite.baseURL}/stream`),
    JSON.stringify(suite.requests),
  );
  await eventually(() => {
    assert.ok(has(frames, "sent", "phx_leave"), summary(frames));
    assert.ok(has(frames, "sent", "phx_join"), summary(frames));
    assert.ok(has(frames, "received", /error.*unauthorized/), summary(frames));
  });
  nav08Frames = frames;
});

// NAV-08's websocket `close` event, separate so that the rest stays enforced. Playwright drops
// the events of the old page's sockets once the new page commits, so the close must finish
// before that. The server closes the connection right after the closing handshake
// (`CLIENT_DISCONNECT_TIMEOUT`; it took up to 1 s before). But the official client calls
// `close()` only ~150 ms after it starts the HTTP fallback (`teardown` waits for the socket's
// `bufferedAmount`, non-zero after its two `phx_leave` frames), and this app's GET /stream
// commits within a few ms, so the browser tears the socket down itself, unreported. Our
// client closes the socket before it navigates (as the official one means to), but the
// closing handshake still races the new page's commit (seen in about 1 run of 3). The
// catalogue's NAV-08 expectations (E2E_SCENARIOS.md) do not include this event; the test
// above enforces all of them.
let nav08Frames = [];
test("NAV-08 (websocket close before the HTTP fallback)", beyondCatalogue("timing: the close races the fallback page's commit (official: a 150 ms bufferedAmount wait first; ours: a close handshake of ~1 ms against a commit of a few ms)"), async () => {
  assert.ok(nav08Frames.some((f) => f.type === "close"), summary(nav08Frames));
});

test("NAV-14 navigating all the way back works without remounting (only patching)", async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  await page.goto("/navigation/a");
  await syncLV(page);
  clear(suite.requests);
  await page.getByRole("link", { name: "Patch this LiveView" }).click();
  await syncLV(page);
  await eventually(() => assert.match(path(page), /^\/navigation\/a\?param=/));
  await page.goBack();
  await syncLV(page);
  await eventually(() => assert.equal(path(page), "/navigation/a"));
  await eventually(() => assert.equal(count(frames, "live_patch"), 2, summary(frames)));
  assert.deepEqual(pageRequests(), []);
  assert.equal(count(frames, "phx_leave"), 0, summary(frames));
});

test("NAV-15 back and forward navigation types are tracked" + PLAIN_LIST, async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  const navEvents = () =>
    suite.logs.filter((l) => l.startsWith("navigate event ")).map((l) => JSON.parse(l.slice("navigate event ".length)));
  await page.goto("/navigation/b");
  await syncLV(page);
  clear(suite.requests);
  const base = suite.baseURL;
  const expectLast = async (expected) =>
    eventually(() => {
      const events = navEvents();
      assert.ok(events.length > 0, "no navigate event");
      const last = events.at(-1);
      if (expected.hrefPattern) {
        assert.match(last.href, expected.hrefPattern);
        const { hrefPattern, ...rest } = expected;
        const { href, ...lastRest } = last;
        assert.deepEqual(lastRest, rest);
      } else {
        assert.deepEqual(last, expected);
      }
    });

  // each step waits for the page it lands on, so the next one does not start mid-join
  const on = async (re, heading) => {
    await eventually(() => assert.match(path(page), re));
    await page.getByText(heading).waitFor();
    await syncLV(page);
  };
  const A = /^\/navigation\/a$/;
  const B = /^\/navigation\/b$/;
  const patchedPath = /^\/navigation\/a\?param=\d+$/;
  const patched = /\/navigation\/a\?param=\d+$/;

  await page.getByRole("link", { name: "LiveView A" }).click();
  await on(A, "This is page A");
  await expectLast({ href: `${base}/navigation/a`, patch: false, pop: false, direction: "forward" });
  await page.getByRole("link", { name: "Patch this LiveView" }).click();
  await on(patchedPath, "This is page A");
  await expectLast({ hrefPattern: patched, patch: true, pop: false, direction: "forward" });
  await page.goBack();
  await on(A, "This is page A");
  await expectLast({ href: `${base}/navigation/a`, patch: true, pop: true, direction: "backward" });
  await page.goBack();
  await on(B, "This is page B");
  await expectLast({ href: `${base}/navigation/b`, patch: false, pop: true, direction: "backward" });
  await page.goForward();
  await on(A, "This is page A");
  await expectLast({ href: `${base}/navigation/a`, patch: false, pop: true, direction: "forward" });
  await page.goForward();
  await on(patchedPath, "This is page A");
  await expectLast({ hrefPattern: patched, patch: true, pop: true, direction: "forward" });

  assert.deepEqual(pageRequests(), []);
  await eventually(() => {
    assert.equal(count(frames, "phx_leave"), 3, summary(frames));
    assert.equal(count(frames, "live_patch"), 3, summary(frames));
  });
});

test("NAV-16 can prevent live navigation and beforeunload", async () => {
  const page = await suite.page();
  const frames = recordFrames(page);
  const dialogs = [];
  page.on("dialog", async (d) => {
    dialogs.push({ type: d.type(), message: d.message() });
    await d.dismiss();
  });
  await page.goto("/form-unsaved");
  await syncLV(page);
  assert.deepEqual(await page.evaluate(() => window.unsavedEvents), []);
  await page.locator("#unsaved-note").fill("draft");
  await eventually(async () => assert.equal(await page.locator("#unsaved-value").textContent(), "Unsaved value: draft"));
  await page.locator("#unsaved-form[data-dirty='true']").waitFor();
  await syncLV(page);

  clear(suite.requests);
  clear(frames);
  await page.getByRole("link", { name: "Leave form" }).click();
  await eventually(() => assert.equal(dialogs.length, 1));
  assert.deepEqual(dialogs[0], { type: "confirm", message: "You have unsaved changes. Leave without saving?" });
  assert.equal(path(page), "/form-unsaved");
  assert.deepEqual(pageRequests(), []);
  assert.deepEqual(frames, []);
  assert.deepEqual(await page.evaluate(() => window.unsavedEvents), [
    { type: "phx", detail: { href: `${suite.baseURL}/form-unsaved/target`, patch: false, pop: false, direction: "forward" } },
  ]);

  await page.locator("#unsaved-note").fill("draft 2");
  await eventually(async () => assert.equal(await page.locator("#unsaved-value").textContent(), "Unsaved value: draft 2"));
  await syncLV(page);
  await page.close({ runBeforeUnload: true });
  await eventually(() => assert.equal(dialogs.length, 2));
  assert.equal(dialogs[1].type, "beforeunload");
  assert.equal(page.isClosed(), false);
  assert.equal(path(page), "/form-unsaved");
  assert.equal(await page.locator("#unsaved-note").inputValue(), "draft 2");
  assert.deepEqual((await page.evaluate(() => window.unsavedEvents)).at(-1), { type: "beforeunload" });
  assert.equal(await page.evaluate(() => window.liveSocket.isConnected()), true);
  assert.equal(await page.evaluate(() => window.liveSocket.isUnloaded()), false);

  await page.locator("#unsaved-note").fill("draft 3");
  await eventually(async () => assert.equal(await page.locator("#unsaved-value").textContent(), "Unsaved value: draft 3"));
});

test("NAV-17 forward and backward navigation is handled properly (replaceRootHistory)", async () => {
  const page = await suite.page();
  await page.goto("/issues/3529");
  await syncLV(page);
  const h1 = page.locator("h1");
  let text = await h1.textContent();
  const changes = async (expectChange) => {
    if (expectChange) {
      await eventually(async () => assert.notEqual(await h1.textContent(), text));
    } else {
      // a patch: the URL changes but the view does not remount
      await syncLV(page);
      assert.equal(await h1.textContent(), text);
    }
    text = await h1.textContent();
  };

  await page.getByRole("link", { name: "Navigate" }).click();
  await changes(true);
  await syncLV(page);
  let url = page.url();
  await page.getByRole("link", { name: "Patch" }).click();
  await eventually(() => assert.notEqual(page.url(), url));
  await changes(false);

  url = page.url();
  await page.goBack();
  await eventually(() => assert.notEqual(page.url(), url));
  await changes(false);

  await page.goBack();
  await changes(true);
  await syncLV(page);

  await page.goForward();
  await changes(true);
  await syncLV(page);
  await page.goBack();
  await changes(true);
});

test("NAV-18 (3709) pendingDiffs don't race with navigation", async () => {
  const page = await suite.page();
  await page.goto("/issues/3709/1");
  await syncLV(page);
  await eventually(async () => assert.match(await page.locator("body").textContent(), /id: 1/));
  // An inline onclick clicks all ten patch links at once; each patch renders another component.
  await page.getByRole("button", { name: "Break Stuff" }).click();
  await syncLV(page);
  assert.ok(!suite.logs.some((l) => l.includes("Cannot read properties of undefined (reading 's')")), suite.logs.join("\n"));
  await page.getByRole("link", { name: "Link 5" }).click();
  await syncLV(page);
  await eventually(async () => assert.match(await page.locator("body").textContent(), /id: 5/));
  assert.ok(!suite.logs.some((l) => l.includes("Cannot set properties of undefined (setting 'newRender')")), suite.logs.join("\n"));
});

test("NAV-19 no errors when handle_params redirects", async () => {
  const page = await suite.page();
  await page.goto("/issues/4094");
  await syncLV(page);
  await page.getByRole("link", { name: "Patch" }).click();
  await eventually(() => assert.equal(path(page), "/navigation/a"));
  await page.getByText("This is page A").waitFor();
  await syncLV(page);
});
