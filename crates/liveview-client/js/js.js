// Phoenix.LiveView.JS commands (PROTOCOL §9): the `[[op, args], ...]` lists servers put in phx-*
// attributes, run in the browser. What they do to an element is recorded on it ("sticky") and
// re-applied to each server version of it before a patch (`sticky`), so patches keep it.

const STICKY = Symbol("phx-js");
const MOUNTED = Symbol("phx-mounted");
const REMOVING = Symbol("phx-removing");
const focusStack = [];

export const isJS = (v) => typeof v === "string" && v.trim()[0] === "[";

// A binding's value as a command list: JSON, or an event name (a push).
export const commands = (v) => (Array.isArray(v) ? v : isJS(v) ? JSON.parse(v) : [["push", { event: v }]]);

// Class names and transitions come as lists from the server, as strings from the API.
const list = (c) => (typeof c === "string" ? c.split(" ").filter(Boolean) : c || []);
export const transitionOf = (t) => (typeof t === "string" ? [list(t), [], []] : (t || []).map(list));

// `to`: a selector (document-wide), {inner: sel} (within el), {closest: sel}; none: el itself.
export function targets(el, to) {
  if (!to) return [el];
  if (to.inner) return [...el.querySelectorAll(to.inner)];
  if (to.closest) return [el.closest(to.closest)].filter(Boolean);
  return [...el.ownerDocument.querySelectorAll(to)];
}

export const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);

// Sticky state: c = {class: added?}, a = {attr: value or null}, d = display, i = ignored attrs.
export const stateOf = (el) => el[STICKY] || (el[STICKY] = { c: {}, a: {}, i: [] });

function classes(el, add, remove) {
  const { c } = stateOf(el);
  const set = (names, on) => list(names).forEach((n) => el.classList.toggle(n, (c[n] = on)));
  set(remove, false);
  set(add, true);
}

function attr(el, name, value) {
  if (value == null) el.removeAttribute(name);
  else el.setAttribute(name, value);
  stateOf(el).a[name] = value ?? null;
}

const display = (el, d) => (el.style.display = stateOf(el).d = d);

const ignored = (names, name) => names.some((n) => n === name || (n.endsWith("*") && name.startsWith(n.slice(0, -1))));

// Before `from` is patched into `to` (the server's version): give `to` what JS commands did.
export function sticky(from, to) {
  const s = from[STICKY];
  if (!s) return;
  for (const { name } of [...to.attributes]) if (ignored(s.i, name)) to.removeAttribute(name);
  for (const { name, value } of [...from.attributes]) if (ignored(s.i, name)) to.setAttribute(name, value);
  for (const [n, v] of Object.entries(s.a)) v === null ? to.removeAttribute(n) : to.setAttribute(n, v);
  for (const [n, on] of Object.entries(s.c)) to.classList.toggle(n, on);
  if (s.d != null) to.style.display = s.d;
}

const frame = (f) => requestAnimationFrame(f);

// [classes, start, end]: start classes now; the transition classes next frame; then end classes
// replace start ones, and `time` ms later all go and `done` runs. Returns the time it takes.
function transition(el, t, time = 200, done) {
  const [run = [], start = [], end = []] = transitionOf(t);
  if (!run.length && !start.length && !end.length) return void done?.();
  classes(el, start, []);
  frame(() => {
    classes(el, run, []);
    frame(() => {
      classes(el, end, start);
      setTimeout(() => (classes(el, [], [...run, ...end]), done?.()), time);
    });
  });
  return time;
}

// Shows (on) or hides el unless it already is; shown before a transition, hidden after it.
function showHide(el, on, a, t) {
  if (visible(el) === on) return 0;
  if (on) display(el, a.display || { TR: "table-row", TD: "table-cell" }[el.tagName] || "block");
  return transition(el, t, a.time, () => on || display(el, "none"));
}

// Focuses the first (or last) focusable element inside el, preferring ones focusable without a
// tabindex (controls, links) over those with one. Hidden ones fail `focus()` and are skipped.
export function focusIn(el, last) {
  const all = [...el.querySelectorAll("*")];
  if (last) all.reverse();
  const tries = (e, native) => e.tabIndex >= 0 && !e.disabled && e.getAttribute("aria-hidden") !== "true" &&
    !(native && e.hasAttribute("tabindex")) && (e.focus(), e.ownerDocument.activeElement === e);
  return all.find((e) => tries(e, true)) || all.find((e) => tries(e));
}

// (target el, args, context {ls, src, type, push}) => ms of the transition started, if any.
const OPS = {
  push(el, a, c) {
    const opts = {};
    if (a.target != null) opts.cid = c.ls.owner(c.src)?.targetCid(a.target);
    if (a.loading) opts.loadingEls = [c.src, ...el.ownerDocument.querySelectorAll(a.loading)];
    c.push(a.event, a.value || {}, opts);
  },
  navigate: (el, a, c) => c.ls.liveRedirect(a.href, a.replace ? "replace" : "push"),
  patch: (el, a, c) => c.ls.livePatch(new URL(a.href, location.href).href, a.replace ? "replace" : "push"),
  // A dispatched "click" is a MouseEvent, so links follow and checkboxes toggle as on a real click.
  dispatch(el, a, c) {
    const init = { bubbles: a.bubbles !== false, cancelable: true, detail: { ...a.detail, dispatcher: c.src } };
    el.dispatchEvent(a.event === "click" ? new MouseEvent("click", init) : new CustomEvent(a.event, init));
  },
  exec: (el, a, c) => el.hasAttribute(a.attr) && c.ls.execJS(el, el.getAttribute(a.attr), c.type),
  show: (el, a) => showHide(el, true, a, a.transition),
  hide: (el, a) => showHide(el, false, a, a.transition),
  toggle(el, a) {
    const on = !visible(el);
    return showHide(el, on, a, on ? a.ins : a.outs);
  },
  add_class: (el, a) => (classes(el, a.names, []), transition(el, a.transition, a.time)),
  remove_class: (el, a) => (classes(el, [], a.names), transition(el, a.transition, a.time)),
  toggle_class(el, a) {
    const has = (n) => el.classList.contains(n);
    classes(el, list(a.names).filter((n) => !has(n)), list(a.names).filter(has));
    return transition(el, a.transition, a.time);
  },
  transition: (el, a) => transition(el, a.transition, a.time),
  set_attr: (el, { attr: [name, value] }) => attr(el, name, value),
  remove_attr: (el, a) => attr(el, a.attr, null),
  toggle_attr: (el, { attr: [name, on, off] }) => attr(el, name, el.getAttribute(name) === on ? off : on),
  ignore_attrs: (el, a) => void (stateOf(el).i = [].concat(a.attrs)),
  focus: (el) => el.focus(),
  focus_first: (el) => void focusIn(el),
  push_focus: (el) => void focusStack.push(el),
  pop_focus: () => focusStack.pop()?.focus(),
};

// Runs `js` (see `commands`) for an event of `type` on `src`; `push(event, value, opts)` sends a
// push op the way the binding would. Returns the longest transition started, in ms.
export function exec(ls, src, js, type, push) {
  let ms = 0;
  for (const [op, a = {}] of commands(js)) {
    for (const el of targets(src, a.to)) ms = Math.max(ms, OPS[op]?.(el, a, { ls, src, type, push }) || 0);
  }
  return ms;
}

// Runs binding `attr` of each of the view's elements: phx-connected, phx-disconnected, and
// phx-mounted (after joins and patches: once per element).
export function runAll(view, attr) {
  for (const el of view.el.querySelectorAll(`[${attr}]`)) {
    if (!view.owns(el) || el[MOUNTED] === attr) continue;
    if (attr === "phx-mounted") el[MOUNTED] = attr;
    view.liveSocket.execJS(el, el.getAttribute(attr), attr.slice(4));
  }
}

// A removed element with phx-remove stays until the transitions it starts end (true: kept);
// `done` runs once it is gone.
export function keepForRemove(ls, el, done) {
  if (!el.hasAttribute?.("phx-remove")) return false;
  if (!el[REMOVING]) {
    el[REMOVING] = true;
    setTimeout(() => (el.remove(), done?.()), ls.execJS(el, el.getAttribute("phx-remove"), "remove"));
  }
  return true;
}

// The event name a phx-change runs (form recovery), if it pushes one.
export const pushedEvent = (v) => commands(v).find(([op]) => op === "push")?.[1].event;

// liveSocket.js() / a hook's this.js(): the official client's JS API.
export function api(ls, type) {
  const run = (op, args) => (el, ...x) => ls.execJS(el, [[op, args(...x)]], type);
  const nav = (op) => (href, o) => ls.execJS(document.body, [[op, { ...o, href }]], type);
  return {
    exec: (el, js) => ls.execJS(el, js, type),
    show: run("show", (o) => ({ ...o })),
    hide: run("hide", (o) => ({ ...o })),
    toggle: run("toggle", (o = {}) => ({ ...o, ins: o.in, outs: o.out })),
    addClass: run("add_class", (names, o) => ({ ...o, names })),
    removeClass: run("remove_class", (names, o) => ({ ...o, names })),
    toggleClass: run("toggle_class", (names, o) => ({ ...o, names })),
    transition: run("transition", (transition, o) => ({ ...o, transition })),
    setAttribute: run("set_attr", (name, value) => ({ attr: [name, value] })),
    removeAttribute: run("remove_attr", (attr) => ({ attr })),
    toggleAttribute: run("toggle_attr", (...attr) => ({ attr })),
    ignoreAttributes: run("ignore_attrs", (attrs) => ({ attrs })),
    push: run("push", (event, o) => ({ ...o, event })),
    navigate: nav("navigate"),
    patch: nav("patch"),
  };
}

// The built-in hook of `<.focus_wrap>`: sentinels first and last; Tab past an edge wraps around.
export const FocusWrap = {
  mounted() {
    const wrap = this.el;
    const start = wrap.firstElementChild;
    for (const s of [start, wrap.lastElementChild]) {
      // Leaving through the start (or entering through the end) lands on the last element.
      s?.addEventListener("focus", (e) => focusIn(wrap, (s === start) === wrap.contains(e.relatedTarget)));
    }
  },
};
