// The client-side rendered tree: merges diffs into it and turns it into HTML (PROTOCOL §4).
//
// The output is byte-identical to the official client's `Rendered.toString`; the shared
// fixtures in tests/fixtures/diffs prove it (see tests/oracle).

import {
  COMPONENTS, EVENTS, KEYED, KEYED_COUNT, KEYED_MOVED, PHX_COMPONENT, PHX_MAGIC_ID,
  PHX_SKIP, PHX_VIEW_REF, REPLY, ROOT, STATIC, STREAM, TEMPLATES, TITLE,
} from "./constants.js";

const VOID_TAGS = new Set([
  "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen",
  "link", "meta", "param", "source", "track", "wbr",
]);

/** True for plain objects (not arrays, not null). */
export const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** True for a component id: a number, or a string of decimal digits. */
export const isCid = (v) => typeof v === "number" || (typeof v === "string" && /^(0|[1-9]\d*)$/.test(v));

const clone = (v) => (typeof structuredClone === "function" ? structuredClone(v) : JSON.parse(JSON.stringify(v)));

/**
 * Adds `attrs` to the start tag of the single root element in `html`, optionally
 * emptying it (the skip stub). Returns `[html, before, after]`, where `before` and
 * `after` are the whitespace/comments around the element.
 */
export function modifyRoot(html, attrs, clearInner) {
  const head = html.match(/^(\s*(?:<!--.*?-->\s*)*)<([^\s/>]+)/);
  if (head === null) throw new Error(`malformed html ${html}`);
  const before = head[1];
  const tag = head[2];
  const tagEnd = head[0].length;
  let id;
  // Find the id attribute in the start tag (only quoted values count).
  for (let i = tagEnd; i < html.length; i++) {
    const ch = html[i];
    if (ch === ">") break;
    if (ch !== "=") continue;
    const isId = html.slice(i - 3, i) === " id";
    i++;
    const quote = html[i];
    if (quote === '"' || quote === "'") {
      const start = i;
      for (i++; i < html.length && html[i] !== quote; i++);
      if (isId) {
        id = html.slice(start + 1, i);
        break;
      }
    }
  }
  // Find the end of the element, skipping trailing comments.
  let close = html.length - 1;
  let inComment = false;
  while (close >= before.length + tag.length) {
    const ch = html[close];
    if (inComment) {
      if (ch === "-" && html.slice(close - 3, close) === "<!-") {
        inComment = false;
        close -= 4;
      } else {
        close -= 1;
      }
    } else if (ch === ">" && html.slice(close - 2, close) === "--") {
      inComment = true;
      close -= 3;
    } else if (ch === ">") {
      break;
    } else {
      close -= 1;
    }
  }
  const after = html.slice(close + 1);
  const attrText = Object.keys(attrs)
    .map((name) => (attrs[name] === true ? name : `${name}="${attrs[name]}"`))
    .join(" ");
  const sep = attrText === "" ? "" : " ";
  let out;
  if (clearInner) {
    const idText = id ? ` id="${id}"` : "";
    out = VOID_TAGS.has(tag)
      ? `<${tag}${idText}${sep}${attrText}/>`
      : `<${tag}${idText}${sep}${attrText}></${tag}>`;
  } else {
    out = `<${tag}${sep}${attrText}${html.slice(tagEnd, close + 1)}`;
  }
  return [out, before, after];
}

/** The rendered tree of one LiveView. */
export class Rendered {
  /**
   * Removes the top-level title `t`, events `e` and reply `r` from a diff (they are not
   * part of the tree) and returns them alongside the remaining diff.
   */
  static extract(diff) {
    const title = diff[TITLE];
    const events = diff[EVENTS];
    const reply = diff[REPLY];
    delete diff[TITLE];
    delete diff[EVENTS];
    delete diff[REPLY];
    return { diff, title, reply: reply || null, events: events || [] };
  }

  /** Builds the tree from a join's `rendered` (already passed through `extract`). */
  constructor(viewId, rendered) {
    this.viewId = viewId;
    this.tree = {};
    this.magicCounter = 0;
    this.mergeDiff(rendered);
  }

  /** The component ids a diff mentions, as numbers. */
  componentCIDs(diff) {
    return Object.keys(diff[COMPONENTS] || {}).map((cid) => parseInt(cid, 10));
  }

  /** True when the (extracted) diff holds nothing but component changes. */
  isComponentOnlyDiff(diff) {
    return !!diff[COMPONENTS] && Object.keys(diff).length === 1;
  }

  /** Forces the next render of component `cid` to be complete (no skip stubs). */
  resetRender(cid) {
    const c = this.tree[COMPONENTS][cid];
    if (c) c.reset = true;
  }

  /** Forgets components the server destroyed. */
  pruneCIDs(cids) {
    cids.forEach((cid) => delete this.tree[COMPONENTS][cid]);
  }

  /** Merges a diff (without t/e/r) into the tree (PROTOCOL §4.3). */
  mergeDiff(diff) {
    const incoming = diff[COMPONENTS];
    delete diff[COMPONENTS];
    this.tree = this.merge(this.tree, diff);
    this.tree[COMPONENTS] = this.tree[COMPONENTS] || {};
    if (incoming) {
      const current = this.tree[COMPONENTS];
      const resolved = {};
      for (const cid in incoming) {
        incoming[cid] = this.resolveComponent(cid, incoming[cid], current, incoming, resolved);
      }
      for (const cid in incoming) current[cid] = incoming[cid];
      diff[COMPONENTS] = incoming;
    }
  }

  resolveComponent(cid, cdiff, current, incoming, resolved) {
    if (resolved[cid]) return resolved[cid];
    let result;
    const shared = cdiff[STATIC];
    if (isCid(shared)) {
      // Shared statics: +m from this diff, -m from the previous render.
      const base = shared > 0
        ? this.resolveComponent(shared, incoming[shared], current, incoming, resolved)
        : current[-shared];
      const statics = base[STATIC];
      result = this.cloneMerge(base, cdiff, true);
      result[STATIC] = statics;
    } else if (shared !== undefined || current[cid] === undefined) {
      result = cdiff;
    } else {
      result = this.cloneMerge(current[cid], cdiff, false);
    }
    resolved[cid] = result;
    return result;
  }

  merge(target, source) {
    if (source[STATIC] !== undefined) return source;
    this.mergeInto(target, source);
    return target;
  }

  mergeInto(target, source) {
    if (source[KEYED]) {
      this.mergeKeyed(target, source);
    } else {
      for (const key in source) {
        const value = source[key];
        const old = target[key];
        if (isObject(value) && value[STATIC] === undefined && isObject(old)) {
          this.mergeInto(old, value);
        } else {
          target[key] = value;
        }
      }
    }
    if (target[ROOT]) target.newRender = true;
  }

  mergeKeyed(target, source) {
    const entries = source[KEYED];
    // Moves read old positions, so take a copy before anything is overwritten.
    const before = entries[KEYED_MOVED] && clone(target);
    for (const [pos, entry] of Object.entries(entries)) {
      if (pos === KEYED_COUNT || pos === KEYED_MOVED) continue;
      if (Array.isArray(entry)) {
        target[KEYED][pos] = before[KEYED][entry[0]];
        this.mergeInto(target[KEYED][pos], entry[1]);
      } else if (typeof entry === "number") {
        target[KEYED][pos] = before[KEYED][entry];
      } else if (typeof entry === "object") {
        if (!target[KEYED][pos]) target[KEYED][pos] = {};
        this.mergeInto(target[KEYED][pos], entry);
      }
    }
    const count = entries[KEYED_COUNT];
    for (let i = count; i < target[KEYED][KEYED_COUNT]; i++) delete target[KEYED][i];
    target[KEYED][KEYED_COUNT] = count;
    if (source[STREAM]) target[STREAM] = source[STREAM];
    if (source[TEMPLATES]) target[TEMPLATES] = source[TEMPLATES];
  }

  // Merges without mutating `target`; `prune` drops magic ids copied from another component.
  cloneMerge(target, source, prune) {
    let merged;
    if (source[KEYED]) {
      merged = clone(target);
      this.mergeKeyed(merged, source);
      if (prune) this.pruneDeep(merged);
    } else {
      merged = { ...target, ...source };
      for (const key in merged) {
        const value = source[key];
        const old = target[key];
        if (isObject(value) && value[STATIC] === undefined && isObject(old)) {
          merged[key] = this.cloneMerge(old, value, prune);
        } else if (value === undefined && isObject(old)) {
          merged[key] = this.cloneMerge(old, {}, prune);
        }
      }
    }
    if (prune) {
      delete merged.magicId;
      delete merged.newRender;
    } else if (target[ROOT]) {
      merged.newRender = true;
    }
    return merged;
  }

  pruneDeep(node) {
    for (const key in node) if (isObject(node[key])) this.pruneDeep(node[key]);
    delete node.magicId;
    delete node.newRender;
  }

  /**
   * Renders the whole tree. `onlyCids` (numbers) lists the components that changed; other
   * components are emitted as skip stubs. Pass `null` to render every component.
   * Returns `{html, streams}`; `streams` are the stream operations for the DOM patcher.
   */
  toString(onlyCids) {
    const out = { html: "", streams: new Set() };
    const ctx = { components: this.tree[COMPONENTS], onlyCids: onlyCids ? new Set(onlyCids) : null };
    this.nodeToHTML(this.tree, null, out, ctx, true, {});
    return { html: out.html, streams: Array.from(out.streams) };
  }

  /** Renders a single component (for component-only diffs), without surrounding whitespace. */
  componentToString(cid) {
    const out = { html: "", streams: new Set() };
    const ctx = { components: this.tree[COMPONENTS], onlyCids: null };
    this.componentToHTML(cid, out, ctx);
    return { html: modifyRoot(out.html, {})[0], streams: Array.from(out.streams) };
  }

  nextMagicId() {
    this.magicCounter++;
    return `m${this.magicCounter}-${this.viewId}`;
  }

  nodeToHTML(node, templates, out, ctx, tracking, rootAttrs) {
    if (node[KEYED]) return this.comprehensionToHTML(node, templates, out, ctx, tracking);
    if (node[TEMPLATES]) {
      templates = node[TEMPLATES];
      delete node[TEMPLATES];
    }
    const statics = typeof node[STATIC] === "number" ? templates[node[STATIC]] : node[STATIC];
    node[STATIC] = statics;
    const isRoot = node[ROOT];
    let outer;
    if (isRoot) {
      outer = out.html;
      out.html = "";
      if (tracking && !node.magicId) {
        node.newRender = true;
        node.magicId = this.nextMagicId();
      }
    }
    this.dynamicsToHTML(node, statics, templates, out, ctx, tracking);
    if (isRoot) {
      let skip = false;
      let attrs = rootAttrs;
      if (tracking || node.magicId) {
        skip = tracking && !node.newRender;
        attrs = { [PHX_MAGIC_ID]: node.magicId, ...rootAttrs };
      }
      if (skip) attrs[PHX_SKIP] = true;
      const [root, before, after] = modifyRoot(out.html, attrs, skip);
      out.html = outer + before + root + after;
      node.newRender = false;
    }
  }

  dynamicsToHTML(node, statics, templates, out, ctx, tracking) {
    const last = statics.length - 1;
    for (let i = 0; i < last; i++) {
      out.html += statics[i];
      const value = node[i];
      if (typeof value === "number") {
        this.componentToHTML(value, out, ctx);
      } else if (isObject(value)) {
        this.nodeToHTML(value, templates, out, ctx, tracking, {});
      } else {
        out.html += value;
      }
    }
    out.html += statics[last];
  }

  comprehensionToHTML(node, templates, out, ctx, tracking) {
    // An inherited template map wins over the comprehension's own for its entries.
    const entryTemplates = templates || node[TEMPLATES];
    const statics = typeof node[STATIC] === "number" ? templates[node[STATIC]] : node[STATIC];
    node[STATIC] = statics;
    delete node[TEMPLATES];
    const entries = node[KEYED];
    for (let i = 0; i < entries[KEYED_COUNT]; i++) {
      this.dynamicsToHTML(entries[i], statics, entryTemplates, out, ctx, tracking);
    }
    const stream = node[STREAM];
    if (stream) {
      const [, , deleteIds, reset] = stream;
      if (entries[KEYED_COUNT] > 0 || deleteIds.length > 0 || reset) {
        // Stream items live in the DOM only: hand the ops to the patcher, forget the entries.
        delete node[STREAM];
        node[KEYED] = { [KEYED_COUNT]: 0 };
        out.streams.add(stream);
      }
    }
  }

  componentToHTML(cid, out, ctx) {
    const component = ctx.components[cid];
    if (!component) throw new Error("Cannot continue render due to missing component: " + cid);
    const skip = ctx.onlyCids && !ctx.onlyCids.has(cid);
    component.newRender = !skip;
    component.magicId = `c${cid}-${this.viewId}`;
    const tracking = !component.reset;
    const inner = { html: "", streams: out.streams };
    const attrs = { [PHX_COMPONENT]: cid, [PHX_VIEW_REF]: this.viewId };
    this.nodeToHTML(component, null, inner, ctx, tracking, attrs);
    delete component.reset;
    out.html += inner.html;
  }
}
