// DOM event bindings: phx-click, forms, keys, focus/blur, window variants, debounce/throttle (PROTOCOL §5.1, §9).

import { DEFAULT_DEBOUNCE, PHX_DEBOUNCE, PHX_DISABLE_WITH, PHX_KEY, PHX_LINK, PHX_LINK_STATE, PHX_THROTTLE, PHX_VALUE } from "./constants.js";
import { serializeForm, USED } from "./form.js";

const CHECKABLE = ["checkbox", "radio"];

/** `phx-value-*` attributes plus `value` for elements that have one (buttons send ""). */
export function extractValue(el, extra = {}) {
  const value = {};
  for (const { name } of Array.from(el.attributes)) {
    if (name.startsWith(PHX_VALUE)) value[name.slice(PHX_VALUE.length)] = el.getAttribute(name);
  }
  if (el.value !== undefined && el.tagName !== "FORM") {
    value.value = el.value;
    if (el.tagName === "INPUT" && CHECKABLE.includes(el.type) && !el.checked) delete value.value;
  }
  return Object.assign(value, extra);
}

/** `phx-value-*` of a form, used as `meta` of form events. */
function formMeta(form) {
  const meta = {};
  for (const { name } of Array.from(form.attributes)) {
    if (name.startsWith(PHX_VALUE)) meta[name.slice(PHX_VALUE.length)] = form.getAttribute(name);
  }
  return meta;
}

/** Rate limits `fn` per element and key with phx-debounce / phx-throttle. */
function rateLimit(el, key, fn) {
  const debounce = el.getAttribute(PHX_DEBOUNCE);
  const throttle = el.getAttribute(PHX_THROTTLE);
  const state = (el.__phxTimers = el.__phxTimers || {});
  if (debounce === null && throttle === null) return fn();
  if (debounce !== null) {
    clearTimeout(state[key]);
    if (debounce === "blur") {
      state[key + ":blur"] = fn;
      return;
    }
    const ms = debounce === "" ? DEFAULT_DEBOUNCE : parseInt(debounce, 10);
    state[key + ":blur"] = fn;
    state[key] = setTimeout(() => { delete state[key + ":blur"]; fn(); }, Number.isNaN(ms) ? DEFAULT_DEBOUNCE : ms);
    return;
  }
  const ms = throttle === "" ? DEFAULT_DEBOUNCE : parseInt(throttle, 10);
  if (state[key]) { state[key + ":trailing"] = fn; return; }
  fn();
  const tick = () => {
    const trailing = state[key + ":trailing"];
    delete state[key + ":trailing"];
    if (trailing) { trailing(); state[key] = setTimeout(tick, ms); } else { delete state[key]; }
  };
  state[key] = setTimeout(tick, ms);
}

/** A pending debounce fires at once when its element loses focus. */
function flushOnBlur(el) {
  const state = el.__phxTimers;
  if (!state) return;
  for (const key of Object.keys(state)) {
    if (!key.endsWith(":blur")) continue;
    const fn = state[key];
    delete state[key];
    clearTimeout(state[key.slice(0, -5)]);
    fn();
  }
}

function cancelDebounces(form) {
  Array.from(form.elements).forEach((el) => {
    const state = el.__phxTimers;
    if (!state) return;
    Object.keys(state).forEach((k) => { if (!k.endsWith(":blur") && !k.endsWith(":trailing")) clearTimeout(state[k]); delete state[k]; });
  });
}

/** Installs every delegated listener on `window` for `liveSocket`. */
export function bind(liveSocket) {
  const on = (type, handler, capture = false) => window.addEventListener(type, handler, capture);

  on("click", (e) => {
    const link = e.target.closest && e.target.closest(`a[${PHX_LINK}]`);
    if (link && !e.defaultPrevented && e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey) {
      e.preventDefault();
      const kind = link.getAttribute(PHX_LINK_STATE) || "push";
      if (kind !== "push" && kind !== "replace") throw new Error(`expected ${PHX_LINK_STATE} to be "push" or "replace", got: ${kind}`);
      if (link.getAttribute(PHX_LINK) === "patch") liveSocket.livePatch(link.href, kind);
      else liveSocket.liveRedirect(link.href, kind);
      return;
    }
    const el = e.target.closest && e.target.closest("[phx-click]");
    if (!el) return;
    const view = liveSocket.owner(el);
    if (!view) return;
    if (el.tagName === "A" || el.getAttribute("href") === "#") e.preventDefault();
    rateLimit(el, "click", () => view.pushEvent("click", el, el.getAttribute("phx-click"), extractValue(el), { loading: "phx-click-loading" }));
  });

  const keyHandler = (type) => (e) => {
    const matches = (el) => {
      const key = el.getAttribute(PHX_KEY);
      return !key || (e.key && key.toLowerCase() === e.key.toLowerCase());
    };
    const send = (el, attr) => {
      const view = liveSocket.owner(el);
      if (!view || !matches(el)) return;
      rateLimit(el, type, () => view.pushEvent(type, el, el.getAttribute(attr), extractValue(el, { key: e.key }), { loading: `phx-${type}-loading` }));
    };
    const target = e.target && e.target.closest && e.target.closest(`[phx-${type}]`);
    if (target) send(target, `phx-${type}`);
    document.querySelectorAll(`[phx-window-${type}]`).forEach((el) => send(el, `phx-window-${type}`));
  };
  on("keydown", keyHandler("keydown"));
  on("keyup", keyHandler("keyup"));

  const focusHandler = (type, attr) => (e) => {
    const el = e.target;
    if (type === "blur" && el && el.nodeType === 1) flushOnBlur(el);
    if (!el || !el.getAttribute || !el.hasAttribute(attr)) return;
    const view = liveSocket.owner(el);
    if (view) view.pushEvent(type, el, el.getAttribute(attr), extractValue(el), { loading: `phx-${type}-loading` });
  };
  on("focusout", focusHandler("blur", "phx-blur"));
  on("focusin", focusHandler("focus", "phx-focus"));
  const windowFocus = (type) => (e) => {
    if (e.target !== window) return;
    document.querySelectorAll(`[phx-window-${type}]`).forEach((el) => {
      const view = liveSocket.owner(el);
      if (view) view.pushEvent(type, el, el.getAttribute(`phx-window-${type}`), extractValue(el));
    });
  };
  on("blur", windowFocus("blur"), true);
  on("focus", windowFocus("focus"), true);

  on("input", (e) => {
    const input = e.target;
    const form = input && input.form;
    if (!form || input.type === "file") return;
    const event = input.getAttribute("phx-change") || form.getAttribute("phx-change");
    if (!event) return;
    const view = liveSocket.owner(input);
    if (!view) return;
    rateLimit(input, "change", () => {
      input[USED] = true;
      const onlyNames = input.getAttribute("phx-change") ? [input.name] : [];
      const value = serializeForm(form, { onlyNames });
      const meta = { _target: input.name || "undefined", ...formMeta(form) };
      view.pushEvent("form", input, event, value, { meta, uploads: {}, loading: "phx-change-loading", loadingEls: [input, form] });
    });
  });

  on("submit", (e) => {
    const form = e.target;
    const event = form.getAttribute && form.getAttribute("phx-submit");
    if (!event) return;
    const view = liveSocket.owner(form);
    if (!view) return;
    e.preventDefault();
    cancelDebounces(form);
    const submitter = e.submitter || null;
    Array.from(form.elements).forEach((el) => (el[USED] = true));
    const value = serializeForm(form, { submitter });
    const restore = disableForm(form);
    view.pushEvent("form", form, event, value, { meta: formMeta(form), loading: "phx-submit-loading", cid: view.cidFor(form) })
      .finally(restore);
  });
}

/** Disables a form while its submit is pending (phx-disable-with); returns the undo. */
function disableForm(form) {
  const undo = [];
  Array.from(form.elements).forEach((el) => {
    if (el.tagName === "BUTTON" || el.type === "submit") {
      const was = el.disabled;
      el.disabled = true;
      const text = el.getAttribute(PHX_DISABLE_WITH);
      const old = el.innerText;
      if (text !== null) el.innerText = text;
      undo.push(() => { el.disabled = was; if (text !== null) el.innerText = old; });
    } else if ("readOnly" in el) {
      const was = el.readOnly;
      el.readOnly = true;
      undo.push(() => (el.readOnly = was));
    }
  });
  return () => undo.forEach((f) => f());
}
