// js.js without a browser: command parsing, targets, ops on a small fake element, sticky state
// re-applied to the server's next version of an element, the API's encoding, FocusWrap's choice.
import { describe, it, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { commands, transitionOf, targets, exec, sticky, pushedEvent, api, keepForRemove, FocusWrap, focusIn } from "../js.js";

// Animation frames run when a test says so.
const frames = [];
globalThis.requestAnimationFrame = (f) => frames.push(f);
const nextFrame = () => frames.splice(0).forEach((f) => f());
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

let doc;

// Just enough of an element: attributes, classes, inline display, children, simple selectors
// (`#id`, `.class`, `[attr]`, `tag`), focus and dispatched events.
class El {
  constructor(tag, attrs = {}, children = []) {
    Object.assign(this, { tagName: tag.toUpperCase(), attrs: new Map(Object.entries(attrs)), style: {}, events: [], parent: null, children, ownerDocument: doc });
    this.classes = new Set((attrs.class || "").split(" ").filter(Boolean));
    this.attrs.delete("class");
    children.forEach((c) => (c.parent = this));
    this.classList = {
      toggle: (n, on) => (on ? this.classes.add(n) : this.classes.delete(n)),
      contains: (n) => this.classes.has(n),
    };
    this.tabIndex = this.attrs.has("tabindex") ? Number(this.attrs.get("tabindex")) : ["BUTTON", "INPUT"].includes(this.tagName) ? 0 : -1;
  }
  get attributes() {
    const all = [...this.attrs].map(([name, value]) => ({ name, value }));
    return this.classes.size ? [...all, { name: "class", value: [...this.classes].join(" ") }] : all;
  }
  getAttribute(n) { return n === "class" ? [...this.classes].join(" ") : this.attrs.has(n) ? this.attrs.get(n) : null; }
  setAttribute(n, v) { this.attrs.set(n, String(v)); }
  removeAttribute(n) { this.attrs.delete(n); }
  hasAttribute(n) { return this.attrs.has(n); }
  // Rendered unless an inline or "hidden" class display says none.
  get offsetWidth() { return (this.style.display ?? (this.classes.has("hidden") ? "none" : "block")) === "none" ? 0 : 1; }
  get offsetHeight() { return 0; }
  getClientRects() { return []; }
  matches(sel) {
    if (sel === "*") return true;
    if (sel[0] === "#") return this.attrs.get("id") === sel.slice(1);
    if (sel[0] === ".") return this.classes.has(sel.slice(1));
    if (sel[0] === "[") return this.attrs.has(sel.slice(1, -1));
    return this.tagName === sel.toUpperCase();
  }
  descendants() { return this.children.flatMap((c) => [c, ...c.descendants()]); }
  querySelectorAll(sel) { return this.descendants().filter((e) => e.matches(sel)); }
  closest(sel) { return this.matches(sel) ? this : this.parent?.closest(sel) || null; }
  contains(other) { return !!other && (other === this || this.descendants().includes(other)); }
  get firstElementChild() { return this.children[0] || null; }
  get lastElementChild() { return this.children.at(-1) || null; }
  focus() { if (this.tabIndex >= 0 && this.offsetWidth) doc.activeElement = this; }
  dispatchEvent(e) { this.events.push(e); }
  addEventListener(type, f) { (this.listeners ||= {})[type] = f; }
}

const el = (tag, attrs, children) => new El(tag, attrs, children);

function page(children) {
  doc = { activeElement: null, querySelectorAll: (sel) => root.querySelectorAll(sel) };
  const root = el("body", {}, children());
  return root;
}

// A LiveSocket stand-in: records pushes, navigation and exec'd attributes.
function socket() {
  const ls = { pushes: [], navs: [] };
  ls.execJS = (src, js, type) => exec(ls, src, js, type, (event, value, opts) => ls.pushes.push({ src, type, event, value, opts }));
  ls.liveRedirect = (href, kind) => ls.navs.push(["navigate", href, kind]);
  ls.livePatch = (href, kind) => ls.navs.push(["patch", href, kind]);
  ls.owner = () => ({ targetCid: (t) => (t === "#comp" ? 3 : null) });
  return ls;
}

describe("commands", () => {
  it("parses JSON lists and turns an event name into a push", () => {
    assert.deepEqual(commands('[["push",{"event":"inc"}],["toggle",{"to":"#x"}]]'), [["push", { event: "inc" }], ["toggle", { to: "#x" }]]);
    assert.deepEqual(commands("inc"), [["push", { event: "inc" }]]);
    assert.deepEqual(commands([["hide", {}]]), [["hide", {}]]);
  });

  it("finds the event a phx-change pushes (form recovery)", () => {
    assert.equal(pushedEvent('[["dispatch",{"event":"x"}],["push",{"event":"validate"}]]'), "validate");
    assert.equal(pushedEvent("validate"), "validate");
    assert.equal(pushedEvent('[["dispatch",{"event":"x"}]]'), undefined);
  });

  it("normalises transitions given as a string, as strings or as lists", () => {
    assert.deepEqual(transitionOf("ease-out duration-300"), [["ease-out", "duration-300"], [], []]);
    assert.deepEqual(transitionOf(["a b", "c", ""]), [["a", "b"], ["c"], []]);
    assert.deepEqual(transitionOf([["a"], [], ["z"]]), [["a"], [], ["z"]]);
    assert.deepEqual(transitionOf(undefined), []);
  });
});

describe("targets", () => {
  let root, item, btn;
  beforeEach(() => {
    root = page(() => [el("ul", { id: "list" }, [(item = el("li", { class: "item" }, [(btn = el("button"))])), el("li", { class: "item" })])]);
  });

  it("is the element itself without `to`", () => assert.deepEqual(targets(btn, undefined), [btn]));
  it("is document-wide for a selector", () => assert.equal(targets(btn, ".item").length, 2));
  it("searches within for {inner}", () => assert.deepEqual(targets(item, { inner: "button" }), [btn]));
  it("walks up for {closest}", () => {
    assert.deepEqual(targets(btn, { closest: ".item" }), [item]);
    assert.deepEqual(targets(btn, { closest: ".nope" }), []);
    assert.ok(root);
  });
});

describe("ops", () => {
  let ls, modal, button;
  beforeEach(() => {
    ls = socket();
    page(() => [(modal = el("div", { id: "modal", class: "hidden" })), (button = el("button", { id: "b", "phx-value-id": "7" }))]);
  });

  it("show and hide set the display, toggle flips it", () => {
    exec(ls, button, '[["show",{"to":"#modal"}]]', "click");
    assert.equal(modal.style.display, "block");
    exec(ls, button, '[["show",{"to":"#modal","display":"flex"}]]', "click");
    assert.equal(modal.style.display, "block", "a visible element is left alone");
    exec(ls, button, '[["toggle",{"to":"#modal"}]]', "click");
    assert.equal(modal.style.display, "none");
    exec(ls, button, '[["toggle",{"to":"#modal","display":"flex"}]]', "click");
    assert.equal(modal.style.display, "flex");
  });

  it("runs a transition: start, then transition and end classes, all gone after `time`", async () => {
    const ms = exec(ls, button, '[["show",{"to":"#modal","time":30,"transition":[["fade"],["from"],["to"]]}]]', "click");
    assert.equal(ms, 30);
    assert.equal(modal.style.display, "block", "shown before the transition");
    assert.deepEqual([...modal.classes], ["hidden", "from"]);
    nextFrame();
    assert.deepEqual([...modal.classes].sort(), ["fade", "from", "hidden"]);
    nextFrame();
    assert.deepEqual([...modal.classes].sort(), ["fade", "hidden", "to"]);
    await tick(60);
    assert.deepEqual([...modal.classes], ["hidden"]);
    exec(ls, button, '[["hide",{"to":"#modal","transition":[["out"],[],[]]}]]', "click");
    nextFrame();
    nextFrame();
    assert.equal(modal.style.display, "block", "hidden only after the transition (200 ms by default)");
    await tick(230);
    assert.equal(modal.style.display, "none");
  });

  it("sets, removes and toggles attributes and classes", () => {
    exec(ls, button, '[["set_attr",{"to":"#modal","attr":["aria-expanded","true"]}],["toggle_attr",{"to":"#modal","attr":["open","true"]}]]', "click");
    assert.equal(modal.getAttribute("aria-expanded"), "true");
    assert.equal(modal.getAttribute("open"), "true");
    exec(ls, button, '[["toggle_attr",{"to":"#modal","attr":["open","true"]}],["toggle_attr",{"to":"#modal","attr":["aria-expanded","true","false"]}]]', "click");
    assert.equal(modal.getAttribute("open"), null);
    assert.equal(modal.getAttribute("aria-expanded"), "false");
    exec(ls, button, '[["remove_attr",{"to":"#modal","attr":"aria-expanded"}],["add_class",{"to":"#modal","names":["a","b"]}],["remove_class",{"to":"#modal","names":["hidden"]}],["toggle_class",{"to":"#modal","names":["a","c"]}]]', "click");
    assert.equal(modal.hasAttribute("aria-expanded"), false);
    assert.deepEqual([...modal.classes].sort(), ["b", "c"]);
  });

  it("pushes through the binding's sender with value, target and loading", () => {
    ls.execJS(button, "inc", "click");
    ls.execJS(button, '[["push",{"event":"save","value":{"x":1},"target":"#comp","loading":"#modal"}]]', "click");
    assert.deepEqual(ls.pushes.map((p) => [p.event, p.value, p.type]), [["inc", {}, "click"], ["save", { x: 1 }, "click"]]);
    assert.equal(ls.pushes[1].opts.cid, 3);
    assert.deepEqual(ls.pushes[1].opts.loadingEls, [button, modal]);
    assert.deepEqual(ls.pushes[0].opts, {});
  });

  it("dispatches a bubbling event that names its dispatcher", () => {
    exec(ls, button, '[["dispatch",{"event":"change"}],["dispatch",{"to":"#modal","event":"x","detail":{"a":1},"bubbles":false}]]', "click");
    const [change] = button.events;
    assert.equal(change.type, "change");
    assert.equal(change.bubbles, true);
    assert.equal(change.detail.dispatcher, button);
    const [x] = modal.events;
    assert.equal(x.bubbles, false);
    assert.deepEqual(x.detail, { a: 1, dispatcher: button });
  });

  it("dispatches a click as a MouseEvent (so it has the default action of a click)", () => {
    globalThis.MouseEvent = class extends Event {};
    exec(ls, button, '[["dispatch",{"to":"#modal","event":"click"}]]', "click");
    assert.ok(modal.events[0] instanceof MouseEvent);
    assert.equal(modal.events[0].type, "click");
    assert.equal(modal.events[0].bubbles, true);
  });

  it("navigates and patches", () => {
    globalThis.location = { href: "http://h/p" };
    exec(ls, button, '[["navigate",{"href":"/a","replace":false}],["patch",{"href":"/b?x=1","replace":true}]]', "click");
    assert.deepEqual(ls.navs, [["navigate", "/a", "push"], ["patch", "http://h/b?x=1", "replace"]]);
  });

  it("exec runs another attribute of the target, as if on it", () => {
    modal.setAttribute("data-cancel", '[["push",{"event":"close"}],["set_attr",{"attr":["data-x","1"]}]]');
    ls.execJS(button, '[["exec",{"attr":"data-cancel","to":"#modal"}]]', "keydown");
    assert.equal(ls.pushes[0].src, modal);
    assert.equal(ls.pushes[0].type, "keydown");
    assert.equal(modal.getAttribute("data-x"), "1");
    exec(ls, button, '[["exec",{"attr":"data-none","to":"#modal"}]]', "click");
  });

  it("focuses, remembers and restores focus", () => {
    exec(ls, button, '[["focus",{"to":"#modal"}]]', "click");
    assert.equal(doc.activeElement, null, "a div without tabindex cannot take focus");
    exec(ls, button, '[["push_focus",{}],["focus",{}]]', "click");
    assert.equal(doc.activeElement, button);
    doc.activeElement = null;
    exec(ls, modal, '[["pop_focus",{}]]', "click");
    assert.equal(doc.activeElement, button);
  });
});

describe("focusIn", () => {
  it("prefers controls over tabindex elements, skips aria-hidden and hidden ones", () => {
    let wrap, sentinel, tabbable, first, last;
    page(() => [
      (wrap = el("div", {}, [
        (sentinel = el("div", { tabindex: "0", "aria-hidden": "true" })),
        (tabbable = el("div", { tabindex: "0" })),
        el("button", { class: "hidden" }),
        (first = el("button")),
        (last = el("input")),
      ])),
    ]);
    focusIn(wrap);
    assert.equal(doc.activeElement, first);
    focusIn(wrap, true);
    assert.equal(doc.activeElement, last);
    first.tabIndex = last.tabIndex = -1;
    focusIn(wrap);
    assert.equal(doc.activeElement, tabbable);
    assert.ok(sentinel);
  });
});

describe("FocusWrap", () => {
  it("wraps Tab past an edge and enters from outside on the near edge", () => {
    let wrap, start, end, one, three, outside;
    page(() => [
      (outside = el("button")),
      (wrap = el("div", { id: "w" }, [
        (start = el("div", { tabindex: "0", "aria-hidden": "true" })),
        (one = el("button")),
        el("button"),
        (three = el("button")),
        (end = el("div", { tabindex: "0", "aria-hidden": "true" })),
      ])),
    ]);
    Object.create(FocusWrap, { el: { value: wrap } }).mounted();
    const enter = (sentinel, from) => sentinel.listeners.focus({ relatedTarget: from });
    enter(end, three); // Tab from the last element
    assert.equal(doc.activeElement, one);
    enter(start, one); // Shift+Tab from the first
    assert.equal(doc.activeElement, three);
    enter(start, outside); // Tab into the wrap
    assert.equal(doc.activeElement, one);
    enter(end, null); // Shift+Tab into it from below
    assert.equal(doc.activeElement, three);
  });
});

describe("sticky", () => {
  let ls, from;
  beforeEach(() => {
    ls = socket();
    page(() => [(from = el("details", { id: "d", class: "server hidden" }))]);
  });

  it("gives the server's next version what JS commands did", () => {
    exec(ls, from, '[["show",{"display":"flex"}],["add_class",{"names":["open"]}],["remove_class",{"names":["server","hidden"]}],["set_attr",{"attr":["aria-expanded","true"]}],["remove_attr",{"attr":"title"}]]', "click");
    const to = el("details", { id: "d", class: "server hidden other", title: "t" });
    sticky(from, to);
    assert.deepEqual([...to.classes].sort(), ["open", "other"]);
    assert.equal(to.getAttribute("aria-expanded"), "true");
    assert.equal(to.getAttribute("title"), null);
    assert.equal(to.style.display, "flex");
  });

  it("keeps ignored attributes' client values, wildcards included", () => {
    exec(ls, from, '[["ignore_attrs",{"attrs":["open","data-*"]}]]', "mount");
    from.setAttribute("open", "");
    from.setAttribute("data-a", "client");
    const to = el("details", { id: "d", "data-a": "server", "data-b": "server", title: "t" });
    sticky(from, to);
    assert.equal(to.getAttribute("open"), "");
    assert.equal(to.getAttribute("data-a"), "client");
    assert.equal(to.getAttribute("data-b"), null, "the client has none");
    assert.equal(to.getAttribute("title"), "t");
  });

  it("leaves elements JS never touched alone", () => {
    const to = el("details", { id: "d" });
    sticky(el("details", { open: "" }), to);
    assert.equal(to.getAttribute("open"), null);
  });
});

describe("phx-remove", () => {
  it("keeps the element until its transition ends, once", async () => {
    const ls = socket();
    let item;
    const root = page(() => [(item = el("li", { "phx-remove": '[["transition",{"transition":[["out"],[],[]],"time":20}]]' }))]);
    let removed = 0;
    item.remove = () => removed++;
    assert.equal(keepForRemove(ls, item), true);
    assert.equal(keepForRemove(ls, item), true);
    assert.equal(keepForRemove(ls, el("li")), false);
    nextFrame();
    assert.ok(item.classes.has("out"));
    nextFrame();
    await tick(60);
    assert.equal(removed, 1);
    assert.ok(root);
  });
});

describe("api", () => {
  it("encodes the official client's JS API as commands", () => {
    const runs = [];
    const ls = { execJS: (el, js, type) => runs.push([el, js, type]) };
    const js = api(ls, "hook");
    const e = {};
    js.show(e);
    js.toggle(e, { in: "a", out: ["b", "c", "d"], time: 5 });
    js.addClass(e, "x y", { transition: "t" });
    js.setAttribute(e, "id", "same");
    js.toggleAttribute(e, "open", "true");
    js.ignoreAttributes(e, "open");
    js.push(e, "save", { value: { a: 1 } });
    js.exec(e, "[]");
    assert.deepEqual(runs.map(([el, cmds]) => [el === e, cmds]), [
      [true, [["show", {}]]],
      [true, [["toggle", { in: "a", out: ["b", "c", "d"], time: 5, ins: "a", outs: ["b", "c", "d"] }]]],
      [true, [["add_class", { transition: "t", names: "x y" }]]],
      [true, [["set_attr", { attr: ["id", "same"] }]]],
      [true, [["toggle_attr", { attr: ["open", "true"] }]]],
      [true, [["ignore_attrs", { attrs: "open" }]]],
      [true, [["push", { value: { a: 1 }, event: "save" }]]],
      [true, "[]"],
    ]);
    assert.ok(runs.every(([, , type]) => type === "hook"));
  });

  it("accepts string class names and transitions in the ops", () => {
    const ls = socket();
    let target;
    page(() => [(target = el("div"))]);
    exec(ls, target, [["add_class", { names: "x y" }], ["ignore_attrs", { attrs: "open" }]], "hook");
    assert.deepEqual([...target.classes], ["x", "y"]);
    target.setAttribute("open", "");
    const to = el("div");
    sticky(target, to);
    assert.equal(to.getAttribute("open"), "");
  });
});
