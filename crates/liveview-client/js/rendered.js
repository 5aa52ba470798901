// The rendered tree: diff merge and HTML, byte-identical to the official client's (PROTOCOL §4).

const VOID = new Set("area base br col command embed hr img input keygen link meta param source track wbr".split(" "));
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
export const isCid = (v) => typeof v === "number" || (typeof v === "string" && /^(0|[1-9]\d*)$/.test(v));

// Returns [html, before, after]; `clear`: a skip stub.
export function modifyRoot(html, attrs, clear) {
  const head = html.match(/^(\s*(?:<!--.*?-->\s*)*)<([^\s/>]+)/);
  if (!head) throw new Error(`malformed html ${html}`);
  const [start, before, tag] = head;
  let id, i = start.length, close = html.length - 1, inComment = false;
  for (; i < html.length && html[i] !== ">"; i++) {
    if (html[i] !== "=") continue;
    const isId = html.slice(i - 3, i) === " id";
    const q = html[++i];
    if (q === '"' || q === "'") {
      const s = i;
      for (i++; i < html.length && html[i] !== q; i++);
      if (isId) { id = html.slice(s + 1, i); break; }
    }
  }
  while (close >= before.length + tag.length) {
    const ch = html[close];
    if (inComment) {
      if (ch === "-" && html.slice(close - 3, close) === "<!-") { inComment = false; close -= 4; } else close--;
    } else if (ch === ">" && html.slice(close - 2, close) === "--") { inComment = true; close -= 3; } else if (ch === ">") break;
    else close--;
  }
  const text = Object.keys(attrs).map((k) => (attrs[k] === true ? k : `${k}="${attrs[k]}"`)).join(" ");
  const sep = text ? " " : "";
  const out = clear
    ? `<${tag}${id ? ` id="${id}"` : ""}${sep}${text}${VOID.has(tag) ? "/>" : `></${tag}>`}`
    : `<${tag}${sep}${text}${html.slice(start.length, close + 1)}`;
  return [out, before, html.slice(close + 1)];
}

export class Rendered {
  static extract(diff) {
    const { t: title, e: events = [], r: reply = null } = diff;
    delete diff.t;
    delete diff.e;
    delete diff.r;
    return { diff, title, reply, events };
  }

  constructor(viewId, rendered) {
    this.viewId = viewId;
    this.tree = {};
    this.magic = 0;
    this.mergeDiff(rendered);
  }

  componentCIDs(diff) { return Object.keys(diff.c || {}).map(Number); }
  isComponentOnlyDiff(diff) { return !!diff.c && Object.keys(diff).length === 1; }
  resetRender(cid) { const c = this.tree.c[cid]; if (c) c.reset = true; }
  pruneCIDs(cids) { cids.forEach((cid) => delete this.tree.c[cid]); }

  mergeDiff(diff) {
    const incoming = diff.c;
    delete diff.c;
    this.tree = this.merge(this.tree, diff);
    const current = (this.tree.c = this.tree.c || {});
    if (incoming) {
      const resolved = {};
      for (const cid in incoming) incoming[cid] = this.resolve(cid, incoming[cid], current, incoming, resolved);
      Object.assign(current, incoming);
      diff.c = incoming;
    }
  }

  resolve(cid, cdiff, current, incoming, resolved) {
    if (resolved[cid]) return resolved[cid];
    const shared = cdiff.s;
    let result;
    if (isCid(shared)) {
      // Shared statics: +m from this diff, -m from the previous render.
      const base = shared > 0 ? this.resolve(shared, incoming[shared], current, incoming, resolved) : current[-shared];
      result = this.cloneMerge(base, cdiff, true);
      result.s = base.s;
    } else result = shared !== undefined || !current[cid] ? cdiff : this.cloneMerge(current[cid], cdiff, false);
    return (resolved[cid] = result);
  }

  merge(target, source) {
    if (source.s !== undefined) return source;
    this.mergeInto(target, source);
    return target;
  }

  mergeInto(target, source) {
    if (source.k) this.mergeKeyed(target, source);
    else {
      for (const key in source) {
        const value = source[key];
        if (isObject(value) && value.s === undefined && isObject(target[key])) this.mergeInto(target[key], value);
        else target[key] = value;
      }
    }
    if (target.r) target.newRender = true;
  }

  mergeKeyed(target, source) {
    const entries = source.k;
    const tk = target.k;
    // Moves read old positions.
    const before = entries.km && structuredClone(tk);
    for (const pos in entries) {
      const entry = entries[pos];
      if (pos === "kc" || pos === "km") continue;
      if (Array.isArray(entry)) {
        tk[pos] = before[entry[0]];
        this.mergeInto(tk[pos], entry[1]);
      } else if (typeof entry === "number") tk[pos] = before[entry];
      else if (typeof entry === "object") this.mergeInto((tk[pos] = tk[pos] || {}), entry);
    }
    for (let i = entries.kc; i < tk.kc; i++) delete tk[i];
    tk.kc = entries.kc;
    if (source.stream) target.stream = source.stream;
    if (source.p) target.p = source.p;
  }

  cloneMerge(target, source, prune) {
    let merged;
    if (source.k) {
      merged = structuredClone(target);
      this.mergeKeyed(merged, source);
      if (prune) this.pruneDeep(merged);
    } else {
      merged = { ...target, ...source };
      for (const key in merged) {
        const value = source[key];
        const old = target[key];
        if (isObject(old) && (value === undefined || (isObject(value) && value.s === undefined))) {
          merged[key] = this.cloneMerge(old, value || {}, prune);
        }
      }
    }
    if (prune) {
      delete merged.magicId;
      delete merged.newRender;
    } else if (target.r) merged.newRender = true;
    return merged;
  }

  pruneDeep(node) {
    for (const key in node) if (isObject(node[key])) this.pruneDeep(node[key]);
    delete node.magicId;
    delete node.newRender;
  }

  // Components not in `onlyCids` become skip stubs.
  toString(onlyCids) {
    return this.render(() => this.nodeHTML(this.tree, null, true, {}), onlyCids && new Set(onlyCids));
  }

  componentToString(cid) {
    const out = this.render(() => this.componentHTML(cid), null);
    out.html = modifyRoot(out.html, {})[0];
    return out;
  }

  render(f, only) {
    Object.assign(this, { html: "", streams: new Set(), only });
    f();
    return { html: this.html, streams: [...this.streams] };
  }

  nodeHTML(node, templates, tracking, rootAttrs) {
    if (node.k) return this.comprehensionHTML(node, templates, tracking);
    if (node.p) {
      templates = node.p;
      delete node.p;
    }
    const statics = (node.s = typeof node.s === "number" ? templates[node.s] : node.s);
    if (!node.r) return this.dynamicsHTML(node, statics, templates, tracking);
    const outer = this.html;
    this.html = "";
    if (tracking && !node.magicId) {
      node.newRender = true;
      node.magicId = `m${++this.magic}-${this.viewId}`;
    }
    this.dynamicsHTML(node, statics, templates, tracking);
    let attrs = rootAttrs;
    const skip = tracking && !node.newRender;
    if (tracking || node.magicId) attrs = { "data-phx-id": node.magicId, ...rootAttrs };
    if (skip) attrs["data-phx-skip"] = true;
    const [root, before, after] = modifyRoot(this.html, attrs, skip);
    this.html = outer + before + root + after;
    node.newRender = false;
  }

  dynamicsHTML(node, statics, templates, tracking) {
    statics.forEach((s, i) => {
      this.html += s;
      const value = node[i];
      if (i === statics.length - 1) return;
      if (typeof value === "number") this.componentHTML(value);
      else if (isObject(value)) this.nodeHTML(value, templates, tracking, {});
      else this.html += value;
    });
  }

  comprehensionHTML(node, templates, tracking) {
    // Inherited templates win.
    const entryTemplates = templates || node.p;
    const statics = (node.s = typeof node.s === "number" ? templates[node.s] : node.s);
    delete node.p;
    const entries = node.k;
    for (let i = 0; i < entries.kc; i++) this.dynamicsHTML(entries[i], statics, entryTemplates, tracking);
    const stream = node.stream;
    // Stream items live in the DOM only.
    if (stream && (entries.kc > 0 || stream[2].length > 0 || stream[3])) {
      delete node.stream;
      node.k = { kc: 0 };
      this.streams.add(stream);
    }
  }

  componentHTML(cid) {
    const component = this.tree.c[cid];
    if (!component) throw new Error("Cannot continue render due to missing component: " + cid);
    component.newRender = !this.only || this.only.has(cid);
    component.magicId = `c${cid}-${this.viewId}`;
    this.nodeHTML(component, null, !component.reset, { "data-phx-component": cid, "data-phx-view": this.viewId });
    delete component.reset;
  }
}
