// Our DOM morph (PROTOCOL §4.4, §4.6, §9).

import { sticky } from "./js.js";

const MAGIC = "data-phx-id";
const SKIP = "data-phx-skip";
const STREAM = "data-phx-stream";
// el[CLONE]: the copy of a locked element (`data-phx-ref-lock`) that patches go to until the
// lock's reply comes, when View#unlock applies it.
export const CLONE = Symbol("phx-lock-clone");

const keysOf = (node) => {
  if (node.nodeType !== 1) return [];
  const magic = node.getAttribute(MAGIC);
  return [node.id && "#" + node.id, magic && "@" + magic].filter(Boolean);
};
const isFormControl = (el) => ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
// Inputs a focused user may be typing into, form-associated custom elements included.
const isEditable = (el) => (isFormControl(el) && el.type !== "button" && el.type !== "hidden") || !!globalThis.customElements?.get(el.localName)?.formAssociated;
// A focused drop-down whose options the server changed is patched (and blurred).
const changedSelect = (from, to) => from.type === "select-one" && (from.options.length !== to.options.length || ((to.value = from.value), !from.isEqualNode(to)));
const findChild = (parent, id) => [...parent.children].find((c) => c.id === id) || null;

export function indexStreams(streams) {
  const inserts = new Map();
  const deletes = new Set();
  const resets = new Set();
  for (const [ref, ins, dels, ...reset] of streams) {
    for (const [id, at, limit, updateOnly] of ins) inserts.set(id, { ref, at, limit, updateOnly });
    dels.forEach((id) => deletes.add(id));
    if (reset.length > 0) resets.add(ref);
  }
  return { inserts, deletes, resets };
}

// owns(el): false in nested views.
export class DOMPatch {
  constructor(container, html, opts = {}) {
    // dom: the LiveSocket's `dom` option (onPatchStart, onNodeAdded, onBeforeElUpdated, onPatchEnd).
    Object.assign(this, { container, html, isJoin: !!opts.isJoin, targetIsRoot: !!opts.targetIsRoot, added: [], updated: [], removed: [], dom: {} });
    this.streams = indexStreams(opts.streams || []);
    this.owns = opts.owns || (() => true);
  }

  perform() {
    const doc = this.container.ownerDocument;
    const focused = doc.activeElement;
    this.dom.onPatchStart?.(this.container);
    let sel = null;
    try { sel = focused && isFormControl(focused) && [focused.selectionStart, focused.selectionEnd]; } catch (_e) { /* no selection */ }
    // html: a string, or a detached element (a locked element's clone) to morph into the container.
    const template = doc.createElement("template");
    if (typeof this.html === "string") template.innerHTML = this.html;
    else template.content.append(this.html);
    for (const id of this.streams.deletes) {
      const el = doc.getElementById(id);
      if (el && this.container.contains(el)) this.remove(el);
    }
    if (!this.targetIsRoot) this.morphChildren(this.container, template.content);
    else if (template.content.firstElementChild) this.morphNode(this.container, template.content.firstElementChild);
    if (focused && focused !== doc.activeElement && focused.isConnected && focused.focus && focused.tagName !== "SELECT") {
      focused.focus();
      try { if (sel && sel[0] != null) focused.setSelectionRange(sel[0], sel[1]); } catch (_e) { /* not a text input */ }
    }
    this.dom.onPatchEnd?.(this.container);
    return this;
  }

  remove(el) {
    if (this.onRemove?.(el)) return;
    this.collect(el, this.removed);
    el.remove();
  }

  collect(el, list) {
    if (el.nodeType === 1) list.push(el, ...el.querySelectorAll("*"));
  }

  insert(parent, next, before) {
    const fresh = parent.ownerDocument.importNode(next, true);
    if (fresh.nodeType === 1) fresh.removeAttribute(SKIP);
    parent.insertBefore(fresh, before);
    const from = this.added.length;
    this.collect(fresh, this.added);
    this.added.slice(from).forEach((el) => this.dom.onNodeAdded?.(el));
    return fresh;
  }

  morphChildren(from, to) {
    const index = new Map();
    for (let child = from.firstChild; child; child = child.nextSibling) {
      for (const key of keysOf(child)) if (!index.has(key)) index.set(key, child);
    }
    const used = new Set();
    let cursor = from.firstChild;
    for (const next of [...to.childNodes]) {
      const keys = keysOf(next);
      let match = keys.map((k) => index.get(k)).find((c) => c && !used.has(c) && c.nodeName === next.nodeName);
      if (!match && keys.length > 0 && next.hasAttribute(SKIP)) {
        // A moved skip stub.
        const magic = next.getAttribute(MAGIC);
        // (searched in the tree being patched: the page, or a locked element's clone)
        let top = from;
        while (top.parentNode && top !== this.container) top = top.parentNode;
        match = magic && [...top.querySelectorAll(`[${MAGIC}]`)].find((el) => el.getAttribute(MAGIC) === magic && !used.has(el));
      }
      if (!match && keys.length === 0 && cursor && !used.has(cursor) && cursor.nodeName === next.nodeName && keysOf(cursor).length === 0) {
        match = cursor;
      }
      if (match) {
        used.add(match);
        if (match === cursor) cursor = cursor.nextSibling;
        else from.insertBefore(match, cursor);
        this.morphNode(match, next);
      } else this.insert(from, next, cursor);
      while (cursor && used.has(cursor)) cursor = cursor.nextSibling;
    }
    for (let child = cursor; child;) {
      const following = child.nextSibling;
      if (!used.has(child)) this.remove(child);
      child = following;
    }
  }

  morphNode(from, to) {
    if (from.nodeType !== 1) {
      if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue;
      return;
    }
    if (to.hasAttribute(SKIP) || !this.owns(from)) return;
    // Applying a clone: an element locked inside it has a newer clone of its own.
    if (to[CLONE]) to = to[CLONE];
    sticky(from, to);
    const update = from.getAttribute("phx-update");
    if (update === "ignore" && to.getAttribute("phx-update") === "ignore") return syncAttributes(from, to, (n) => n.startsWith("data-"));
    this.dom.onBeforeElUpdated?.(from, to);
    // An element with an event in flight keeps its loading classes, refs and locks.
    if (from.hasAttribute("data-phx-ref-src")) {
      for (const { name, value } of from.attributes) {
        if (/^(data-phx-(ref-|disable|readonly)|disabled$|readonly$)/.test(name) && !to.hasAttribute(name)) to.setAttribute(name, value);
      }
      Object.keys(from.__refs || {}).forEach((c) => from.classList.contains(c) && to.classList.add(c));
    }
    // A focused input keeps its value and children unless the new HTML opts in with
    // `phx-patch-focused`.
    let focused = from === from.ownerDocument.activeElement && isEditable(from) && !to.hasAttribute("phx-patch-focused");
    if (focused && changedSelect(from, to)) {
      from.blur();
      focused = false;
    }
    // A locked element (but a focused input) stays as it is: its clone takes the patch.
    if (!focused && from.hasAttribute("data-phx-ref-lock")) from = from[CLONE] ||= from.cloneNode(true);
    syncAttributes(from, to, (n) => !focused || n !== "value");
    this.updated.push(from);
    // A child LiveView patches itself.
    if (focused || (from !== this.container && from.hasAttribute("data-phx-session"))) return;
    if (from.tagName === "TEXTAREA") {
      from.value = from.textContent = to.textContent;
      return;
    }
    if (update === "stream") return this.morphStream(from, to);
    if (update === "append" || update === "prepend") return this.morphAppend(from, to, update);
    this.morphChildren(from, to);
    if (from.tagName === "INPUT") {
      if (from.type === "checkbox" || from.type === "radio") from.checked = from.hasAttribute("checked");
      else if (from.type !== "file" && from.value !== (from.getAttribute("value") || "")) from.value = from.getAttribute("value") || "";
    }
    // The selection the new HTML would have on its own, as the official morph ends up with:
    // the `selected` options; a drop-down without one shows its first enabled option.
    if (from.tagName === "SELECT") {
      const options = [...from.options];
      const i = options.findIndex((o) => o.hasAttribute("selected"));
      if (from.multiple) options.forEach((o) => (o.selected = o.hasAttribute("selected")));
      else from.selectedIndex = i < 0 && from.size <= 1 ? options.findIndex((o) => !o.disabled) : i;
    }
  }

  morphStream(from, to) {
    const { inserts, resets } = this.streams;
    for (const child of [...from.children]) {
      if (this.isJoin || resets.has(child.getAttribute(STREAM))) this.remove(child);
    }
    for (const next of [...to.children]) {
      const info = inserts.get(next.id);
      const existing = next.id && findChild(from, next.id);
      if (existing) {
        this.morphNode(existing, next);
        if (info) existing.setAttribute(STREAM, info.ref);
        continue;
      }
      if (info && info.updateOnly) continue;
      const at = info ? info.at : -1;
      const fresh = this.insert(from, next, at === 0 ? from.firstElementChild : at > 0 ? from.children[at] || null : null);
      if (!info) continue;
      fresh.setAttribute(STREAM, info.ref);
      const { limit } = info;
      const items = [...from.children];
      if (limit != null && items.length > Math.abs(limit)) {
        (limit < 0 ? items.slice(0, items.length + limit) : items.slice(limit)).forEach((c) => this.remove(c));
      }
    }
  }

  morphAppend(from, to, mode) {
    const first = from.firstChild;
    for (const next of [...to.children]) {
      const existing = next.id && findChild(from, next.id);
      if (existing) this.morphNode(existing, next);
      else this.insert(from, next, mode === "prepend" ? first : null);
    }
  }
}

function syncAttributes(from, to, filter) {
  for (const { name, value } of [...to.attributes]) if (filter(name) && from.getAttribute(name) !== value) from.setAttribute(name, value);
  for (const { name } of [...from.attributes]) if (filter(name) && !to.hasAttribute(name)) from.removeAttribute(name);
}
