// A View and its LiveSocket over a fake WebSocket, with just enough of a browser: navigation
// targets the server sends (redirect, live_redirect, live_patch in pushes, join replies and
// event replies) and what an error reply to a push leaves behind.
import { describe, it, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";

const START = "https://example.test/form";
const history = [];
const errors = [];
globalThis.location = { href: START, origin: "https://example.test", protocol: "https:", host: "example.test", pathname: "/form" };
globalThis.window = {
  history: {
    state: null,
    pushState: (_s, _t, href) => history.push(["push", href]),
    replaceState: (_s, _t, href) => history.push(["replace", href]),
  },
  addEventListener() {},
  dispatchEvent() { return true; },
};
globalThis.document = { cookie: "", querySelectorAll: () => [], querySelector: () => null };

const { LiveSocket, safeHref } = await import("../live_socket.js");
const { View } = await import("../view.js");
const { USED } = await import("../form.js");

class FakeWS {
  constructor() { this.readyState = 0; this.sent = []; FakeWS.last = this; setTimeout(() => { this.readyState = 1; this.onopen(); }, 0); }
  send(t) { this.sent.push(JSON.parse(t)); }
  close() { this.readyState = 3; }
  reply(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
}
const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

// An element: attributes, classes (className kept in step), a value.
class El {
  constructor(tag, attrs = {}) {
    Object.assign(this, { tagName: tag, attrs: new Map(Object.entries(attrs)), classes: new Set(), value: "" });
    this.classList = {
      add: (...n) => n.forEach((c) => this.classes.add(c)),
      remove: (...n) => n.forEach((c) => this.classes.delete(c)),
      contains: (c) => this.classes.has(c),
    };
  }
  get className() { return [...this.classes].join(" "); }
  get id() { return this.attrs.get("id") || ""; }
  getAttribute(n) { return n === "class" ? this.className : this.attrs.has(n) ? this.attrs.get(n) : null; }
  setAttribute(n, v) { this.attrs.set(n, String(v)); }
  removeAttribute(n) { n === "class" ? this.classes.clear() : this.attrs.delete(n); }
  hasAttribute(n) { return this.attrs.has(n); }
  closest() { return null; }
  querySelectorAll() { return []; }
}

let ls;
let view;
let join;
const topic = "lv:phx-a";
const push = (event, payload) => FakeWS.last.reply([join[0], null, topic, event, payload]);
const sentEvents = () => FakeWS.last.sent.filter((f) => f[3] === "event");

beforeEach(async () => {
  location.href = START;
  history.length = errors.length = 0;
  console.error = (...args) => errors.push(args.join(" "));
  ls = new LiveSocket("/live", { transport: FakeWS });
  ls.socket.connect();
  await tick();
  view = new View(new El("DIV", { id: "phx-a", "data-phx-session": "S" }), ls);
  ls.views.set(view.id, view);
  view.join();
  join = FakeWS.last.sent[0];
  assert.equal(join[3], "phx_join");
});

afterEach(() => {
  clearTimeout(ls.reloadTimer);
  view.destroy();
  ls.socket.disconnect();
});

describe("safeHref", () => {
  it("makes http(s) targets absolute", () => {
    assert.equal(safeHref("/other?x=1"), "https://example.test/other?x=1");
    assert.equal(safeHref("http://elsewhere.test/"), "http://elsewhere.test/");
  });
  it("refuses javascript:, data: and other schemes however they are spelled", () => {
    for (const to of ["javascript:alert(document.cookie)", " JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd"]) {
      assert.equal(safeHref(to), null, to);
    }
  });
  it("refuses another origin for live navigation", () => {
    assert.equal(safeHref("https://elsewhere.test/x", true), null);
    assert.equal(safeHref("/x", true), "https://example.test/x");
  });
});

describe("navigation the server asks for", () => {
  const evil = "javascript:alert(document.cookie)";

  it("a redirect push to javascript: is refused; the page stays and stays connected", () => {
    push("redirect", { to: evil });
    assert.equal(location.href, START);
    assert.equal(ls.socket.isConnected(), true);
    assert.match(errors.join("\n"), /refused to navigate/);
  });

  it("live_redirect and live_patch pushes to javascript: are refused", () => {
    push("live_redirect", { to: evil, kind: "push" });
    push("live_patch", { to: evil, kind: "push" });
    push("live_patch", { to: "https://elsewhere.test/x", kind: "push" });
    assert.equal(location.href, START);
    assert.deepEqual(history, []);
    assert.equal(ls.socket.isConnected(), true);
  });

  it("a join reply redirecting to javascript: is refused", async () => {
    FakeWS.last.reply([join[0], join[1], topic, "phx_reply", { status: "error", response: { redirect: { to: evil } } }]);
    await tick();
    assert.equal(location.href, START);
  });

  it("event replies redirecting to javascript: are refused", () => {
    for (const response of [{ redirect: { to: evil } }, { live_redirect: { to: evil, kind: "push" } }, { live_patch: { to: evil, kind: "push" } }]) {
      view.applyReply({ status: "ok", response });
    }
    assert.equal(location.href, START);
    assert.deepEqual(history, []);
  });

  it("an http(s) redirect is followed, and a same-origin live_patch is pushed to history", () => {
    push("live_patch", { to: "/form?page=2", kind: "push" });
    assert.deepEqual(history.at(-1), ["push", "https://example.test/form?page=2"]);
    push("redirect", { to: "/elsewhere" });
    assert.equal(location.href, "https://example.test/elsewhere");
    assert.deepEqual(errors, []);
  });
});

describe("pushEvent with an error reply", () => {
  it("unlocks the element, keeps its value and does not resend", async () => {
    view.channel.state = "joined";
    const big = "x".repeat(70_000);
    const input = new El("INPUT", { id: "name", name: "user[name]", "phx-disable-with": "" });
    input.value = big;
    const pushed = view.pushEvent("form", input, "validate", `user%5Bname%5D=${big}`, { loading: "phx-change-loading" });
    assert.equal(input.getAttribute("data-phx-ref-lock"), "1");
    assert.ok(input.classList.contains("phx-change-loading"));
    const [frame] = sentEvents();
    FakeWS.last.reply([frame[0], frame[1], topic, "phx_reply", { status: "error", response: { reason: "event too large" } }]);
    assert.equal(await pushed, null);
    assert.equal(input.value, big);
    assert.equal(input.className, "");
    for (const a of ["data-phx-ref-lock", "data-phx-ref-loading", "data-phx-ref-src", "data-phx-disabled"]) assert.equal(input.hasAttribute(a), false, a);
    await tick(20);
    assert.equal(sentEvents().length, 1, "sent once");
    assert.equal(ls.socket.isConnected(), true);
  });
});

describe("pushEvent replies arriving out of order", () => {
  it("are applied in the order of their pushes", async () => {
    view.channel.state = "joined";
    const applied = [];
    view.applyReply = ({ response }) => applied.push(response.n);
    const pushes = [1, 2, 3].map((n) => view.pushEvent("form", null, "validate", `n=${n}`));
    const frames = sentEvents();
    assert.equal(frames.length, 3);
    // As an actix context polling ready futures with swap_remove answers them: 1, 3, 2.
    for (const i of [0, 2, 1]) FakeWS.last.reply([frames[i][0], frames[i][1], topic, "phx_reply", { status: "ok", response: { n: i + 1 } }]);
    await Promise.all(pushes);
    assert.deepEqual(applied, [1, 2, 3]);
  });
});

describe("a frame the server closed the socket over (1009)", () => {
  it("is not sent again by form recovery, so the socket does not close in a loop", async () => {
    view.channel.state = "joined";
    const big = "x".repeat(70_000);
    const form = new El("FORM", { id: "f", "phx-change": "validate" });
    const input = new El("INPUT", { name: "name", type: "text" });
    input.value = big;
    Object.assign(input, { form, name: "name", type: "text", [USED]: true });
    form.elements = [input];
    // serializeForm's view of the form, and the rejoin's HTML with the same form.
    globalThis.FormData = class { constructor(f) { this.f = f; } forEach(cb) { this.f.elements.forEach((e) => cb(e.value, e.name)); } };
    document.createElement = () => ({ innerHTML: "", content: { querySelector: () => form } });
    view.el.querySelectorAll = () => [form];
    view.owns = () => true;
    const value = `name=${big}`;
    const pushed = view.pushEvent("form", input, "validate", value, {});
    const first = FakeWS.last;
    assert.equal(sentEvents().length, 1);
    first.readyState = 3;
    first.onclose({ code: 1009 });
    assert.equal((await pushed), null);
    // The socket reconnects and the view rejoins.
    await tick(30);
    assert.notEqual(FakeWS.last, first);
    assert.equal(ls.socket.isConnected(), true);
    view.channel.state = "joined";
    const [skipped] = await view.recoverForms("");
    assert.equal(skipped.status, "error");
    assert.equal(sentEvents().length, 0, "the too-big form is not re-sent");
    // Once the user changes the form, recovery sends it again.
    input.value = big + "y";
    const again = view.recoverForms("");
    assert.equal(sentEvents().length, 1);
    const frame = sentEvents()[0];
    FakeWS.last.reply([frame[0], frame[1], topic, "phx_reply", { status: "ok", response: {} }]);
    assert.equal((await again)[0].status, "ok");
  });
});
