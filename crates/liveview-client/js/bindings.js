// DOM event bindings, debounce and throttle (PROTOCOL §5.1, §9).

import { serializeForm, USED, lock } from "./form.js";
import { exec, visible } from "./js.js";

const phxValues = (el) => {
  const value = {};
  for (const { name, value: v } of el.attributes) if (name.startsWith("phx-value-")) value[name.slice(10)] = v;
  return value;
};

function extractValue(el, extra) {
  const value = phxValues(el);
  if (el.value !== undefined && el.tagName !== "FORM" && !(/^(checkbox|radio)$/.test(el.type) && el.tagName === "INPUT" && !el.checked)) {
    value.value = el.value;
  }
  return Object.assign(value, extra);
}

const ms = (attr) => {
  const n = parseInt(attr, 10);
  return Number.isNaN(n) ? 300 : n;
};

// el.__phx: timers, `key:blur` and `key:trailing` calls.
function rateLimit(el, key, fn) {
  const debounce = el.getAttribute("phx-debounce");
  const throttle = el.getAttribute("phx-throttle");
  if (debounce === null && throttle === null) return fn();
  const state = (el.__phx = el.__phx || {});
  if (debounce !== null) {
    clearTimeout(state[key]);
    state[key + ":blur"] = fn;
    if (debounce !== "blur") state[key] = setTimeout(() => { delete state[key + ":blur"]; fn(); }, ms(debounce));
    return;
  }
  if (state[key]) return void (state[key + ":trailing"] = fn);
  fn();
  const tick = () => {
    const trailing = state[key + ":trailing"];
    delete state[key + ":trailing"];
    if (trailing) {
      trailing();
      state[key] = setTimeout(tick, ms(throttle));
    } else delete state[key];
  };
  state[key] = setTimeout(tick, ms(throttle));
}

function flushOnBlur(el) {
  const state = el.__phx || {};
  for (const key of Object.keys(state)) {
    if (!key.endsWith(":blur")) continue;
    const fn = state[key];
    delete state[key];
    clearTimeout(state[key.slice(0, -5)]);
    fn();
  }
}

// Sends a binding's push (a plain event name, or a JS `push` op) with el's values.
export const pusher = (liveSocket, el, type, extra) => (event, value, opts) =>
  liveSocket.owner(el)?.pushEvent(type, el, event, { ...extractValue(el, extra), ...value }, { loading: `phx-${type}-loading`, ...opts });

export function bind(liveSocket) {
  const on = (type, handler, capture) => window.addEventListener(type, handler, capture);
  // Runs binding `attr` of el: its JS commands, or a push of the event it names.
  const run = (el, type, attr, extra) => exec(liveSocket, el, el.getAttribute(attr), type, pusher(liveSocket, el, type, extra));
  const push = (el, type, attr, extra) => liveSocket.owner(el) && rateLimit(el, type, () => run(el, type, attr, extra));

  // `data-confirm` (what phoenix_html does for Phoenix apps): ask before the click goes
  // anywhere; a refusal stops it, and with it the submit a submit button would make.
  on("click", (e) => {
    const el = e.target.closest?.("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);

  // phx-viewport-top/bottom (infinite scroll): when a container's first (last) child scrolls
  // into view, its event is pushed with the child's id, once per arrival, as the official
  // client's InfiniteScroll does.
  on("scroll", () => {
    for (const el of document.querySelectorAll("[phx-viewport-top],[phx-viewport-bottom]")) {
      for (const [attr, child] of [["phx-viewport-top", el.firstElementChild], ["phx-viewport-bottom", el.lastElementChild]]) {
        const box = child?.getBoundingClientRect();
        const seen = !!box && box.bottom > 0 && box.top < window.innerHeight;
        if (seen && el.__seen?.[attr] !== child && el.hasAttribute(attr)) push(el, "viewport", attr, { id: child.id, _overran: false });
        (el.__seen = el.__seen || {})[attr] = seen && child;
      }
    }
  }, true);

  // Click-away looks at where the press started: a drag out of an element is no click away.
  let down;
  on("mousedown", (e) => (down = e.target), true);
  on("click", (e) => {
    const start = (e.detail && down) || e.target;
    down = null;
    document.querySelectorAll("[phx-click-away]").forEach((el) => !el.contains(start) && visible(el) && push(el, "click", "phx-click-away"));
    const link = e.target.closest?.("a[data-phx-link]");
    if (link && !e.defaultPrevented && e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey) {
      e.preventDefault();
      const kind = link.getAttribute("data-phx-link-state") || "push";
      if (kind !== "push" && kind !== "replace") throw new Error(`expected data-phx-link-state to be "push" or "replace", got: ${kind}`);
      const patch = link.getAttribute("data-phx-link") === "patch";
      if (liveSocket.emit("before-navigate", link.href, patch, false)) liveSocket[patch ? "livePatch" : "liveRedirect"](link.href, kind);
      return;
    }
    const el = e.target.closest?.("[phx-click]");
    if (!el || !liveSocket.owner(el)) return;
    if (el.tagName === "A" || el.getAttribute("href") === "#") e.preventDefault();
    push(el, "click", "phx-click");
  });

  for (const type of ["keydown", "keyup"]) {
    on(type, (e) => {
      const send = (el, attr) => {
        const key = el.getAttribute("phx-key");
        if (!key || (e.key && key.toLowerCase() === e.key.toLowerCase())) push(el, type, attr, { key: e.key });
      };
      const target = e.target.closest?.(`[phx-${type}]`);
      if (target) send(target, `phx-${type}`);
      document.querySelectorAll(`[phx-window-${type}]`).forEach((el) => send(el, `phx-window-${type}`));
    });
  }

  // Not rate limited; a blur flushes debounces.
  for (const [type, dom] of [["blur", "focusout"], ["focus", "focusin"]]) {
    const send = (el, attr) => liveSocket.owner(el) && run(el, type, attr);
    on(dom, (e) => {
      if (type === "blur") flushOnBlur(e.target);
      if (e.target.hasAttribute?.(`phx-${type}`)) send(e.target, `phx-${type}`);
    });
    on(type, (e) => e.target === window && document.querySelectorAll(`[phx-window-${type}]`).forEach((el) => send(el, `phx-window-${type}`)), true);
  }

  const change = (e) => {
    const input = e.target;
    const form = input.form;
    if (!form || input.type === "file") return;
    const own = input.getAttribute("phx-change");
    const event = own || form.getAttribute("phx-change");
    const view = event && liveSocket.owner(input);
    if (!view) return;
    // A named button dispatching the change (JS.dispatch("change")) is sent like a submitter.
    const submitter = input.tagName === "BUTTON" && input.name ? input : null;
    const send = (name, _value, opts) => {
      input[USED] = true;
      const value = serializeForm(form, { onlyNames: own ? [input.name] : [], submitter });
      const meta = { _target: input.name || "undefined", ...phxValues(form) };
      view.pushEvent("form", input, name, value, { meta, uploads: {}, loading: "phx-change-loading", loadingEls: [input, form], ...opts });
    };
    rateLimit(input, "change", () => exec(liveSocket, input, event, "change", send));
  };
  on("input", change);
  // The browser's own change events come with an input event; others (JS.dispatch) do not.
  on("change", (e) => e.isTrusted || change(e));

  // A reset form is unused again.
  on("reset", (e) => e.target.elements && [...e.target.elements].forEach((el) => delete el[USED]), true);

  on("submit", (e) => {
    const form = e.target;
    const event = form.getAttribute("phx-submit");
    const view = event && liveSocket.owner(form);
    if (!view) return;
    e.preventDefault();
    for (const el of form.elements) {
      for (const k of Object.keys(el.__phx || {})) {
        if (!k.includes(":")) clearTimeout(el.__phx[k]);
        delete el.__phx[k];
      }
      el[USED] = true;
    }
    exec(liveSocket, form, event, "submit", (name, _value, opts) => {
      const value = serializeForm(form, { submitter: (form.__submitter = e.submitter) });
      const restore = disableForm(form);
      view.pushEvent("form", form, name, value, { meta: phxValues(form), loading: "phx-submit-loading", loadingEls: [form, e.submitter], cid: view.cidFor(form), ...opts }).finally(restore);
    });
  });
}

const disableForm = (form) => {
  const undo = [...form.elements].map((el) =>
    el.tagName === "BUTTON" || el.type === "submit" ? lock(el, "data-phx-disabled", "disabled")
      : "readOnly" in el ? lock(el, "data-phx-readonly", "readOnly") : null);
  return () => undo.forEach((f) => f?.());
};
