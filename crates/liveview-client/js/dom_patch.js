// Our DOM morph: patches a LiveView container towards newly rendered HTML (PROTOCOL §4.4, §4.6, §9).

import { PHX_MAGIC_ID, PHX_PATCH_FOCUSED, PHX_SESSION, PHX_SKIP, PHX_STREAM, PHX_UPDATE } from "./constants.js";

const ELEMENT = 1;

/** The key that identifies an element across renders: its id, else its magic id. */
const keysOf = (node) => {
  if (node.nodeType !== ELEMENT) return [];
  const keys = [];
  if (node.id) keys.push("#" + node.id);
  const magic = node.getAttribute(PHX_MAGIC_ID);
  if (magic) keys.push("@" + magic);
  return keys;
};

const isFormControl = (el) => el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";

/**
 * Streams handed over by the renderer, indexed for the patcher.
 * `[ref, inserts: [[domId, at, limit, updateOnly]], deleteIds, reset?]`.
 */
export function indexStreams(streams) {
  const inserts = new Map();
  const deletes = new Set();
  const resets = new Set();
  for (const [ref, ins, dels, ...rest] of streams) {
    for (const [id, at, limit, updateOnly] of ins) inserts.set(id, { ref, at, limit, updateOnly });
    for (const id of dels) deletes.add(id);
    if (rest.length > 0) resets.add(ref); // reset is the presence of a 4th element
  }
  return { inserts, deletes, resets };
}

/**
 * One patch of a container.
 * - `container`: the element whose children are patched (the LiveView container), or a
 *   component's root element when `targetIsRoot`.
 * - `html`: the new inner HTML (or the component's outer HTML).
 * - `opts.streams`, `opts.isJoin`, `opts.owns(el)` (false for nested LiveViews' contents).
 * After `perform()`, `added`, `updated` and `removed` list the elements with those fates.
 */
export class DOMPatch {
  constructor(container, html, opts = {}) {
    this.container = container;
    this.html = html;
    this.streams = indexStreams(opts.streams || []);
    this.isJoin = !!opts.isJoin;
    this.targetIsRoot = !!opts.targetIsRoot;
    this.owns = opts.owns || (() => true);
    this.added = [];
    this.updated = [];
    this.removed = [];
  }

  perform() {
    const doc = this.container.ownerDocument;
    const focused = doc.activeElement;
    const selection = focused && isFormControl(focused) ? saveSelection(focused) : null;
    const template = doc.createElement("template");
    template.innerHTML = this.html;
    // Stream deletes apply wherever the item lives.
    for (const id of this.streams.deletes) {
      const el = doc.getElementById(id);
      if (el && this.container.contains(el)) this.remove(el);
    }
    if (this.targetIsRoot) {
      const next = template.content.firstElementChild;
      if (next) this.morphNode(this.container, next);
    } else {
      this.morphChildren(this.container, template.content);
    }
    // Keep focus and selection on the element the user is typing in.
    if (focused && focused !== doc.activeElement && focused.isConnected && typeof focused.focus === "function") {
      focused.focus();
      if (selection) restoreSelection(focused, selection);
    }
    return this;
  }

  remove(el) {
    this.collect(el, this.removed);
    el.remove();
  }

  collect(el, list) {
    if (el.nodeType !== ELEMENT) return;
    list.push(el);
    el.querySelectorAll("*").forEach((child) => list.push(child));
  }

  morphChildren(from, to) {
    const index = new Map();
    for (let child = from.firstChild; child; child = child.nextSibling) {
      for (const key of keysOf(child)) if (!index.has(key)) index.set(key, child);
    }
    const used = new Set();
    let cursor = from.firstChild;
    for (const next of Array.from(to.childNodes)) {
      let match = null;
      const keys = keysOf(next);
      for (const key of keys) {
        const candidate = index.get(key);
        if (candidate && !used.has(candidate) && candidate.nodeName === next.nodeName) { match = candidate; break; }
      }
      if (!match && keys.length > 0 && next.hasAttribute(PHX_SKIP)) {
        // A skip stub whose element moved elsewhere in the view: find it anywhere.
        const magic = next.getAttribute(PHX_MAGIC_ID);
        const found = magic && Array.from(this.container.querySelectorAll(`[${PHX_MAGIC_ID}]`))
          .find((el) => el.getAttribute(PHX_MAGIC_ID) === magic);
        if (found && !used.has(found)) match = found;
      }
      if (!match && keys.length === 0 && cursor && !used.has(cursor) && cursor.nodeType === next.nodeType &&
          cursor.nodeName === next.nodeName && keysOf(cursor).length === 0) {
        match = cursor;
      }
      if (match) {
        used.add(match);
        if (match === cursor) cursor = cursor.nextSibling;
        else from.insertBefore(match, cursor);
        this.morphNode(match, next);
      } else {
        const fresh = from.ownerDocument.importNode(next, true);
        stripSkip(fresh);
        from.insertBefore(fresh, cursor);
        this.collect(fresh, this.added);
      }
      while (cursor && used.has(cursor)) cursor = cursor.nextSibling;
    }
    // Whatever was not matched is gone.
    for (let child = cursor; child;) {
      const nextSibling = child.nextSibling;
      if (!used.has(child)) {
        if (child.nodeType === ELEMENT) this.remove(child);
        else child.remove();
      }
      child = nextSibling;
    }
  }

  morphNode(from, to) {
    if (from.nodeType !== ELEMENT) {
      if (from.nodeValue !== to.nodeValue) from.nodeValue = to.nodeValue;
      return;
    }
    if (to.hasAttribute(PHX_SKIP)) return; // untouched root: keep what we have
    if (!this.owns(from)) return; // a nested LiveView patches itself
    const update = from.getAttribute(PHX_UPDATE);
    if (update === "ignore" && to.getAttribute(PHX_UPDATE) === "ignore") {
      syncAttributes(from, to, (name) => name.startsWith("data-"));
      return;
    }
    const focused = from === from.ownerDocument.activeElement && isFormControl(from) && !from.hasAttribute(PHX_PATCH_FOCUSED);
    syncAttributes(from, to, () => true, focused ? ["value", "checked"] : []);
    this.updated.push(from);
    if (from.hasAttribute(PHX_SESSION) && from !== this.container) {
      return; // child LiveView container: its channel owns its children
    }
    if (from.tagName === "TEXTAREA") {
      if (!focused) {
        from.value = to.value !== undefined ? to.value : to.textContent;
        from.textContent = to.textContent;
      }
      return;
    }
    if (update === "stream") return this.morphStream(from, to);
    if (update === "append" || update === "prepend") return this.morphAppend(from, to, update);
    this.morphChildren(from, to);
    if (from.tagName === "INPUT" && !focused) syncInputProps(from);
    if (from.tagName === "SELECT" && !focused) syncSelect(from, to);
  }

  /** Stream container: keep existing items, insert/update per the stream ops (PROTOCOL §4.6). */
  morphStream(from, to) {
    const { inserts, resets } = this.streams;
    if (this.isJoin) Array.from(from.children).forEach((c) => this.remove(c));
    for (const child of Array.from(from.children)) {
      const ref = child.getAttribute(PHX_STREAM);
      if (ref !== null && resets.has(ref)) this.remove(child);
    }
    for (const next of Array.from(to.children)) {
      const info = inserts.get(next.id);
      const existing = next.id ? findChild(from, next.id) : null;
      if (existing) {
        this.morphNode(existing, next);
        if (info) existing.setAttribute(PHX_STREAM, info.ref);
        continue;
      }
      if (info && info.updateOnly) continue;
      const fresh = from.ownerDocument.importNode(next, true);
      stripSkip(fresh);
      if (info) fresh.setAttribute(PHX_STREAM, info.ref);
      const at = info ? info.at : -1;
      const before = at === 0 ? from.firstElementChild : at > 0 ? from.children[at] || null : null;
      from.insertBefore(fresh, before);
      this.collect(fresh, this.added);
      if (info && info.limit !== null && info.limit !== undefined) this.applyLimit(from, info.limit);
    }
  }

  applyLimit(container, limit) {
    const items = Array.from(container.children);
    if (limit < 0 && items.length > -limit) items.slice(0, items.length + limit).forEach((c) => this.remove(c));
    if (limit >= 0 && items.length > limit) items.slice(limit).forEach((c) => this.remove(c));
  }

  /** Deprecated phx-update="append"/"prepend": children with ids are kept. */
  morphAppend(from, to, mode) {
    const firstOld = from.firstChild;
    for (const next of Array.from(to.children)) {
      const existing = next.id ? findChild(from, next.id) : null;
      if (existing) { this.morphNode(existing, next); continue; }
      const fresh = from.ownerDocument.importNode(next, true);
      stripSkip(fresh);
      from.insertBefore(fresh, mode === "prepend" ? firstOld : null);
      this.collect(fresh, this.added);
    }
  }
}

function findChild(parent, id) {
  for (const c of parent.children) if (c.id === id) return c;
  return null;
}

function stripSkip(el) {
  if (el.nodeType !== ELEMENT) return;
  el.removeAttribute(PHX_SKIP);
}

/** Makes `from`'s attributes equal to `to`'s, for names `filter` accepts; `keep` are left alone. */
export function syncAttributes(from, to, filter, keep = []) {
  for (const { name, value } of Array.from(to.attributes)) {
    if (!filter(name) || keep.includes(name)) continue;
    if (from.getAttribute(name) !== value) from.setAttribute(name, value);
  }
  for (const { name } of Array.from(from.attributes)) {
    if (!filter(name) || keep.includes(name)) continue;
    if (!to.hasAttribute(name)) from.removeAttribute(name);
  }
}

function syncInputProps(input) {
  if (input.type === "checkbox" || input.type === "radio") {
    input.checked = input.hasAttribute("checked");
  } else if (input.type !== "file") {
    const value = input.getAttribute("value");
    if (input.value !== (value || "")) input.value = value || "";
  }
}

function syncSelect(from) {
  const options = Array.from(from.options || []);
  const anySelected = options.some((o) => o.hasAttribute("selected"));
  if (anySelected) options.forEach((o) => (o.selected = o.hasAttribute("selected")));
}

function saveSelection(el) {
  try {
    return { start: el.selectionStart, end: el.selectionEnd };
  } catch (_e) {
    return null;
  }
}

function restoreSelection(el, { start, end }) {
  try {
    if (start !== null && start !== undefined) el.setSelectionRange(start, end);
  } catch (_e) { /* not a text input */ }
}
