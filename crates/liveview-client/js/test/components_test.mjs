// Live components in a View over a fake WebSocket and test/mini_dom.mjs: component-only diffs,
// patches held back by locked elements (the official client's clones), hook pushEventTo
// targets, form recovery to the form's component, and the two-step destroy with revival.
import { describe, it, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { install } from "./mini_dom.mjs";

globalThis.location = { href: "https://example.test/c", origin: "https://example.test", protocol: "https:", host: "example.test", pathname: "/c" };
globalThis.window = { history: { state: null, pushState() {}, replaceState() {} }, addEventListener() {}, dispatchEvent: () => true };
// serializeForm's FormData: the named controls' values.
globalThis.FormData = class {
  constructor(form) { this.form = form; }
  forEach(cb) { this.form.elements.filter((e) => e.name).forEach((e) => cb(e.value, e.name)); }
};
install();

const { LiveSocket } = await import("../live_socket.js");
const { View } = await import("../view.js");
const { CLONE } = await import("../dom_patch.js");

class FakeWS {
  constructor() { this.readyState = 0; this.sent = []; FakeWS.last = this; setTimeout(() => { this.readyState = 1; this.onopen(); }, 0); }
  send(t) { this.sent.push(JSON.parse(t)); }
  close() { this.readyState = 3; }
  reply(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
}
const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));
const topic = "lv:phx-a";
const $ = (sel) => document.querySelector(sel);
const text = (sel) => $(sel)?.textContent;

// The page: `p#out` (dynamic 0) and a slot (dynamic 1) holding components 1 and 2 (or what a
// diff puts there); each component is `div#c<n>` with an `i` (dynamic 0).
const comp = (n) => ({ s: [`<div id="c${n}" class="comp"><i class="item">`, "</i></div>"], 0: `comp ${n}`, r: 1 });
const both = { s: ["", "", ""], 0: 1, 1: 2 };
const rendered = () => ({ s: ['<p id="out" class="item">', '</p><section id="slot">', "</section>"], 0: "outside", 1: structuredClone(both), c: { 1: comp(1), 2: comp(2) } });

let ls, view, join;
const frames = (event) => FakeWS.last.sent.filter((f) => f[3] === event);
const replyTo = (frame, response = {}, status = "ok") => FakeWS.last.reply([frame[0], frame[1], topic, "phx_reply", { status, response }]);
const diff = (d) => FakeWS.last.reply([join[0], null, topic, "diff", d]);

beforeEach(async () => {
  install('<div id="phx-a" data-phx-session="S"></div>');
  ls = new LiveSocket("/live", { transport: FakeWS });
  ls.socket.connect();
  await tick();
  view = new View($("#phx-a"), ls);
  ls.views.set(view.id, view);
  view.join();
  join = FakeWS.last.sent[0];
  replyTo(join, { rendered: rendered() });
  await tick();
  assert.equal(text("#c2"), "comp 2");
});

afterEach(() => {
  clearTimeout(ls.reloadTimer);
  view.destroy();
  ls.socket.disconnect();
});

describe("component-only diffs", () => {
  it("patch the changed components and nothing else of the view", () => {
    $("#out").textContent = "the user's";
    diff({ c: { 2: { 0: "two" } } });
    assert.equal(text("#c2"), "two");
    assert.equal(text("#c1"), "comp 1");
    assert.equal(text("#out"), "the user's", "the view's own HTML is not re-patched");
    diff({ 0: "server" });
    assert.equal(text("#out"), "server");
    assert.equal($("[data-phx-skip]"), null);
  });
});

describe("a locked element (an event in flight)", () => {
  it("keeps its content while patches go to its clone, applied when the reply comes", async () => {
    const out = $("#out");
    const pushed = view.pushEvent("click", out, "go", {}, { loading: "phx-click-loading" });
    assert.equal(out.getAttribute("data-phx-ref-lock"), "1");
    diff({ 0: "while locked" });
    assert.equal(text("#out"), "outside");
    assert.equal(out[CLONE].textContent, "while locked");
    replyTo(frames("event")[0], { diff: { 0: "from the reply" } });
    await pushed;
    assert.equal(text("#out"), "from the reply");
    assert.equal(out[CLONE], undefined);
    for (const a of ["data-phx-ref-lock", "data-phx-ref-loading", "data-phx-ref-src", "class"]) assert.equal(out.getAttribute(a), a === "class" ? "item" : null, a);
  });

  it("applies its clone only once the newest lock is replied to", async () => {
    const out = $("#out");
    const first = view.pushEvent("click", out, "a", {}, { loading: "phx-click-loading" });
    const second = view.pushEvent("click", out, "b", {}, { loading: "phx-click-loading" });
    diff({ 0: "later" });
    const [a, b] = frames("event");
    replyTo(a);
    await first;
    assert.equal(text("#out"), "outside", "still locked by the second push");
    replyTo(b);
    await second;
    assert.equal(text("#out"), "later");
  });

  it("defers a component-only patch under it to its clone's copy (Phoenix 3941)", async () => {
    const slot = $("#slot");
    const pushed = view.pushEvent("click", slot, "go", {}, { loading: "phx-click-loading" });
    diff({ 0: "view changed" }); // the slot is not patched in place: a clone is made
    assert.ok(slot[CLONE]);
    diff({ c: { 1: { 0: "one" } } });
    assert.equal(text("#c1"), "comp 1");
    assert.equal(slot[CLONE].querySelector("#c1").textContent, "one");
    replyTo(frames("event")[0]);
    await pushed;
    assert.equal(text("#c1"), "one");
    assert.equal(text("#out"), "view changed");
  });

  it("defers a component-only patch of a locked component root (Phoenix 4088)", async () => {
    const root = $("#c2");
    const pushes = [1, 2, 3].map((n) => view.pushEvent("hook", root, "my_update", { n }, { cid: 2, loading: "phx-hook-loading" }));
    const sent = frames("event");
    assert.deepEqual(sent.map((f) => f[4].cid), [2, 2, 2]);
    for (const [i, f] of sent.entries()) replyTo(f, { diff: { c: { 2: { 0: `r${i}` } } } });
    await Promise.all(pushes);
    assert.equal(text("#c2"), "r2");
    assert.equal(root.hasAttribute("data-phx-ref-lock"), false);
    assert.equal($("#c2"), root, "patched in place, not replaced");
  });

  it("keeps a locked element's own clone when a locked ancestor's clone is applied", async () => {
    const [slot, c1] = [$("#slot"), $("#c1")];
    const outer = view.pushEvent("click", slot, "a", {}, { loading: "phx-click-loading" });
    const inner = view.pushEvent("click", c1, "b", {}, { loading: "phx-click-loading" });
    diff({ 0: "view changed" });
    diff({ c: { 1: { 0: "one" } } }); // into the slot's clone, where c1's copy is locked too
    const [a, b] = frames("event");
    replyTo(a);
    await outer;
    assert.equal(text("#out"), "view changed");
    assert.equal(text("#c1"), "comp 1", "c1 is still locked");
    assert.equal(c1.getAttribute("data-phx-ref-lock"), "2");
    replyTo(b);
    await inner;
    assert.equal(text("#c1"), "one");
    assert.equal($("[data-phx-ref-lock]"), null);
    assert.equal($("[data-phx-ref-src]"), null);
  });

  it("drops replied marks from the clones of locked copies (no stale refs come back)", async () => {
    const [slot, c1] = [$("#slot"), $("#c1")];
    const opts = { loading: "phx-change-loading", loadingEls: [c1, slot] };
    const first = view.pushEvent("form", c1, "validate", "", opts);
    const second = view.pushEvent("form", c1, "validate", "", opts);
    const [a, b] = frames("event");
    replyTo(a, { diff: { 0: "x", c: { 1: { 0: "one" } } } }); // into the slot's clone, c1's copy cloned too
    await first;
    replyTo(b);
    await second;
    assert.equal(text("#c1"), "one");
    assert.equal($("[data-phx-ref-src]"), null);
    assert.equal($("[data-phx-ref-lock]"), null);
    assert.equal($(".phx-change-loading"), null);
  });

  it("lets a focused input keep its own patch path", async () => {
    diff({ 0: '<input id="q" name="q" value="a"/>' });
    const input = $("#q");
    input.focus();
    input.value = "typed";
    const pushed = view.pushEvent("form", input, "validate", "q=typed", { loading: "phx-change-loading" });
    diff({ 0: '<input id="q" name="q" value="server" data-x="1"/>' });
    assert.equal(input[CLONE], undefined);
    assert.equal(input.value, "typed");
    replyTo(frames("event")[0]);
    await pushed;
  });
});

describe("a focused input", () => {
  it("takes the server's attributes but its value, checked included (Phoenix 3684)", () => {
    diff({ 0: '<input type="radio" id="dewey" name="type" value="dewey"/>' });
    const radio = $("#dewey");
    radio.focus();
    diff({ 0: '<input type="radio" id="dewey" name="type" value="server" checked/>' });
    assert.equal(radio.hasAttribute("checked"), true);
    assert.equal(radio.getAttribute("value"), "dewey");
  });
});

describe("a hook's pushEventTo", () => {
  let hook;
  beforeEach(() => { hook = view.createHook($("#c1"), {}); });

  it("pushes once for each element a selector matches, to its component or the view", async () => {
    const done = hook.pushEventTo(".item", "ev", { x: 1 });
    const sent = frames("event");
    assert.deepEqual(sent.map((f) => f[4].cid ?? null), [null, 1, 2]);
    assert.ok(sent.every((f) => f[4].type === "hook" && f[4].event === "ev" && f[4].value.x === 1));
    sent.forEach((f, i) => replyTo(f, { diff: { r: { i } } }));
    const results = await done;
    assert.deepEqual(results.map((r) => r.value.reply.i), [0, 1, 2]);
  });

  it("pushes to a cid, and nothing for an element no longer in the page (Phoenix 4066)", async () => {
    hook.pushEventTo(2, "ev", {});
    assert.equal(frames("event").at(-1)[4].cid, 2);
    const el = $("#c1");
    el.remove();
    const results = await hook.pushEventTo(el, "ev", {});
    assert.deepEqual(results, []);
    assert.equal(frames("event").length, 1);
    assert.deepEqual(await hook.pushEventTo("#nothing", "ev", {}), []);
  });

  it("marks the hook element loading and locked until the reply", async () => {
    const replied = [];
    hook.pushEventTo("#c2", "ev", {}, (reply) => replied.push(reply));
    assert.equal($("#c1").getAttribute("data-phx-ref-lock"), "1");
    assert.ok($("#c1").classList.contains("phx-hook-loading"));
    replyTo(frames("event")[0], { diff: { r: { ok: true } } });
    await tick();
    assert.deepEqual(replied, [{ ok: true }]);
    assert.equal($("#c1").hasAttribute("data-phx-ref-lock"), false);
  });
});

describe("form recovery", () => {
  const form = (target) => `<form id="f" phx-change="validate"${target ? ` phx-target="${target}"` : ""}><input name="a" value="1"/></form>`;
  const recover = (target) => {
    diff({ c: { 1: { 0: form(target) } } });
    return view.recoverForms(view.rendered.toString(null).html);
  };

  it("sends the cid a phx-target of @myself names", () => {
    recover("1");
    const [f] = frames("event");
    assert.equal(f[4].cid, 1);
    assert.equal(f[4].value, "_unused_a=&a=1");
  });

  it("finds the component of a phx-target selector in the new HTML", () => {
    recover("#f");
    assert.deepEqual(frames("event").map((f) => f[4].cid), [1]);
  });

  it("sends to the view without phx-target, and nothing for a selector matching nothing", () => {
    recover(null);
    assert.equal("cid" in frames("event")[0][4], false);
    recover("#nothing");
    assert.equal(frames("event").length, 1);
  });
});

describe("destroying components", () => {
  const hide2 = () => diff({ 1: { 1: "" } });
  const show2 = () => diff({ 1: { 1: 2 } });

  it("marks, waits for the reply, then destroys and prunes what the server deleted", async () => {
    hide2();
    const [will] = frames("cids_will_destroy");
    assert.deepEqual(will[4], { cids: [2] });
    assert.equal(view.rendered.tree.c[2].reset, true, "rendered in full if it comes back");
    assert.equal(frames("cids_destroyed").length, 0);
    replyTo(will);
    await tick(5);
    const [destroyed] = frames("cids_destroyed");
    assert.deepEqual(destroyed[4], { cids: [2] });
    replyTo(destroyed, { cids: [2] });
    await tick();
    assert.equal(view.rendered.tree.c[2], undefined);
    assert.ok(view.rendered.tree.c[1]);
  });

  it("waits for running transitions (phx-remove) before cids_destroyed", async () => {
    hide2();
    ls.busy = Date.now() + 60;
    replyTo(frames("cids_will_destroy")[0]);
    await tick(20);
    assert.equal(frames("cids_destroyed").length, 0);
    await tick(80);
    assert.equal(frames("cids_destroyed").length, 1);
  });

  it("leaves out a component rendered again meanwhile, in full (no skip stubs)", async () => {
    hide2();
    show2(); // the server unmarks it; an unchanged component has no `c` entry
    assert.equal(text("#c2"), "comp 2");
    assert.equal($("[data-phx-skip]"), null);
    replyTo(frames("cids_will_destroy")[0]);
    await tick(5);
    assert.equal(frames("cids_destroyed").length, 0);
    assert.ok(view.rendered.tree.c[2]);
  });

  it("counts a component in a locked element's clone as present", async () => {
    const slot = $("#slot");
    const pushed = view.pushEvent("click", slot, "go", {}, { loading: "phx-click-loading" });
    diff({ 1: { 1: 3 }, c: { 3: comp(3) } }); // the slot's clone now has 1 and 3, the page 1 and 2
    assert.equal(text("#c2"), "comp 2");
    assert.equal(frames("cids_will_destroy").length, 0, "3 waits in the clone, 2 is still shown");
    replyTo(frames("event")[0]);
    await pushed;
    assert.equal(text("#c3"), "comp 3");
    assert.deepEqual(frames("cids_will_destroy").map((f) => f[4].cids), [[2]]);
  });

  it("does not prune a component back in the page when cids_destroyed is answered (LC-09)", async () => {
    hide2();
    replyTo(frames("cids_will_destroy")[0]);
    await tick(5);
    const [destroyed] = frames("cids_destroyed");
    show2();
    replyTo(destroyed, { cids: [2] });
    await tick();
    assert.ok(view.rendered.tree.c[2]);
    diff({ c: { 2: { 0: "alive" } } });
    assert.equal(text("#c2"), "alive");
    assert.equal(frames("cids_will_destroy").length, 1, "not marked again while in the page");
  });
});
