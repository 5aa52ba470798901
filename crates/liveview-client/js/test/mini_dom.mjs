// A small DOM for the client's unit tests (no dependencies): elements, text, fragments and
// templates, an HTML parser for the markup the tests and the rendered tree produce (tags,
// quoted or bare attributes, text, void elements; no comments or entities), compound selectors
// without combinators (`tag#id.class[attr][attr="v"]`, comma lists), and what dom_patch.js and
// view.js touch. `install()` makes it the global `document`.

const VOID = new Set("area base br col embed hr img input link meta param source track wbr".split(" "));

class Node {
  constructor(doc) {
    Object.assign(this, { ownerDocument: doc, parentNode: null, childNodes: [] });
  }
  get firstChild() { return this.childNodes[0] || null; }
  get nextSibling() {
    const s = this.parentNode?.childNodes;
    return s ? s[s.indexOf(this) + 1] || null : null;
  }
  get children() { return this.childNodes.filter((n) => n.nodeType === 1); }
  get firstElementChild() { return this.children[0] || null; }
  get parentElement() { return this.parentNode?.nodeType === 1 ? this.parentNode : null; }
  get isConnected() { return this.parentNode ? this.parentNode.isConnected : this === this.ownerDocument.body; }
  get textContent() { return this.childNodes.map((n) => n.textContent).join(""); }
  set textContent(text) {
    this.childNodes.forEach((n) => (n.parentNode = null));
    this.childNodes = [];
    if (text) this.append(this.ownerDocument.createTextNode(text));
  }
  insertBefore(node, ref) {
    const nodes = node.nodeType === 11 ? [...node.childNodes] : [node];
    for (const n of nodes) {
      n.remove();
      n.parentNode = this;
      const i = ref ? this.childNodes.indexOf(ref) : -1;
      if (i < 0) this.childNodes.push(n);
      else this.childNodes.splice(i, 0, n);
    }
    return node;
  }
  append(...nodes) { nodes.forEach((n) => this.insertBefore(typeof n === "string" ? this.ownerDocument.createTextNode(n) : n, null)); }
  before(node) { this.parentNode.insertBefore(node, this); }
  remove() {
    if (!this.parentNode) return;
    const s = this.parentNode.childNodes;
    s.splice(s.indexOf(this), 1);
    this.parentNode = null;
  }
  contains(other) {
    for (let n = other; n; n = n.parentNode) if (n === this) return true;
    return false;
  }
  descendants() { return this.children.flatMap((c) => [c, ...c.descendants()]); }
  querySelectorAll(sel) { return this.descendants().filter((e) => e.matches(sel)); }
  querySelector(sel) { return this.querySelectorAll(sel)[0] || null; }
  isEqualNode(other) { return html(this) === html(other); }
}

class Text extends Node {
  constructor(doc, text) {
    super(doc);
    Object.assign(this, { nodeType: 3, nodeName: "#text", nodeValue: text });
  }
  get textContent() { return this.nodeValue; }
  cloneNode() { return new Text(this.ownerDocument, this.nodeValue); }
}

class Fragment extends Node {
  constructor(doc) {
    super(doc);
    Object.assign(this, { nodeType: 11, nodeName: "#document-fragment" });
  }
}

const parseSelector = (sel) =>
  sel.split(",").map((part) => [...part.trim().matchAll(/([a-zA-Z][\w-]*|\*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:="([^"]*)")?\]/g)]);

class Element extends Node {
  constructor(doc, tag) {
    super(doc);
    Object.assign(this, { nodeType: 1, tagName: tag.toUpperCase(), nodeName: tag.toUpperCase(), localName: tag.toLowerCase(), attrs: new Map() });
    if (this.tagName === "TEMPLATE") Object.assign((this.content = new Fragment(doc)), { localName: "template" });
    const el = this;
    this.classList = {
      add: (...n) => el.setClasses([...new Set([...el.classes(), ...n])]),
      remove: (...n) => el.setClasses(el.classes().filter((c) => !n.includes(c))),
      contains: (n) => el.classes().includes(n),
      get length() { return el.classes().length; },
      [Symbol.iterator]: () => el.classes()[Symbol.iterator](),
    };
  }
  classes() { return (this.attrs.get("class") || "").split(/\s+/).filter(Boolean); }
  setClasses(list) { this.attrs.set("class", list.join(" ")); }
  get className() { return this.attrs.get("class") || ""; }
  get id() { return this.attrs.get("id") || ""; }
  get type() { return (this.attrs.get("type") || (this.tagName === "INPUT" ? "text" : "")).toLowerCase(); }
  get name() { return this.attrs.get("name") || ""; }
  get value() { return this._value ?? this.attrs.get("value") ?? ""; }
  set value(v) { this._value = String(v); }
  get checked() { return this._checked ?? this.attrs.has("checked"); }
  set checked(v) { this._checked = !!v; }
  get disabled() { return this.attrs.has("disabled"); }
  set disabled(v) { v ? this.attrs.set("disabled", "") : this.attrs.delete("disabled"); }
  get readOnly() { return this.attrs.has("readonly"); }
  set readOnly(v) { v ? this.attrs.set("readonly", "") : this.attrs.delete("readonly"); }
  get elements() { return this.querySelectorAll("input,select,textarea,button"); }
  get form() { return this.closest("form"); }
  get attributes() { return [...this.attrs].map(([name, value]) => ({ name, value })); }
  getAttribute(n) { return this.attrs.has(n) ? this.attrs.get(n) : null; }
  setAttribute(n, v) { this.attrs.set(n, String(v)); }
  removeAttribute(n) { this.attrs.delete(n); }
  hasAttribute(n) { return this.attrs.has(n); }
  matches(sel) {
    return parseSelector(sel).some((parts) => parts.length > 0 && parts.every(([, tag, id, cls, attr, value]) =>
      tag ? tag === "*" || tag.toUpperCase() === this.tagName
        : id ? this.id === id
          : cls ? this.classList.contains(cls)
            : value === undefined ? this.attrs.has(attr) : this.attrs.get(attr) === value));
  }
  closest(sel) {
    for (let n = this; n && n.nodeType === 1; n = n.parentNode) if (n.matches(sel)) return n;
    return null;
  }
  cloneNode(deep) {
    const copy = new Element(this.ownerDocument, this.localName);
    this.attrs.forEach((v, k) => copy.attrs.set(k, v));
    if (deep) this.childNodes.forEach((c) => copy.append(c.cloneNode(true)));
    if (deep && this.content) this.content.childNodes.forEach((c) => copy.content.append(c.cloneNode(true)));
    return copy;
  }
  set innerHTML(text) {
    const into = this.content || this;
    into.childNodes.forEach((n) => (n.parentNode = null));
    into.childNodes = [];
    parse(this.ownerDocument, text, into);
  }
  get innerHTML() { return this.childNodes.map(html).join(""); }
  get outerHTML() { return html(this); }
  focus() { this.ownerDocument.activeElement = this; }
  blur() { if (this.ownerDocument.activeElement === this) this.ownerDocument.activeElement = this.ownerDocument.body; }
  addEventListener() {}
  dispatchEvent() { return true; }
}

function html(node) {
  if (node.nodeType === 3) return node.nodeValue;
  if (node.nodeType === 11) return node.childNodes.map(html).join("");
  const attrs = node.attributes.map(({ name, value }) => ` ${name}="${value}"`).join("");
  return VOID.has(node.localName) ? `<${node.localName}${attrs}/>` : `<${node.localName}${attrs}>${node.childNodes.map(html).join("")}</${node.localName}>`;
}

function parse(doc, text, into) {
  const stack = [into];
  const re = /<\/([\w-]+)\s*>|<([\w-]+)((?:\s+[^\s=/>]+(?:="[^"]*"|='[^']*'|=[^\s>]+)?)*)\s*(\/?)>|([^<]+)/g;
  for (const [, close, open, attrs, selfClose, textPart] of text.matchAll(re)) {
    const top = stack.at(-1);
    if (textPart !== undefined) top.append(doc.createTextNode(textPart));
    else if (close) {
      const i = stack.findLastIndex((n) => n.localName === close.toLowerCase());
      if (i > 0) stack.length = i;
    } else {
      const el = doc.createElement(open);
      for (const [, name, , , dq, sq, bare] of attrs.matchAll(/([^\s=/>]+)(=("([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
        el.setAttribute(name, dq ?? sq ?? bare ?? "");
      }
      top.append(el);
      if (!selfClose && !VOID.has(el.localName)) stack.push(el.content || el);
    }
  }
  // (a template's content is pushed in place of the template; closing it pops the content)
  return into;
}

export class Document {
  constructor() {
    this.cookie = "";
    this.body = new Element(this, "body");
    this.activeElement = this.body;
  }
  createElement(tag) { return new Element(this, tag); }
  createTextNode(text) { return new Text(this, text); }
  createDocumentFragment() { return new Fragment(this); }
  importNode(node, deep) { return node.cloneNode(deep); }
  getElementById(id) { return this.body.querySelector(`#${id}`); }
  querySelectorAll(sel) { return this.body.querySelectorAll(sel); }
  querySelector(sel) { return this.body.querySelector(sel); }
  addEventListener() {}
}

// A fresh document as `globalThis.document`, its body holding `markup`.
export function install(markup = "") {
  const doc = new Document();
  globalThis.document = doc;
  doc.body.innerHTML = markup;
  return doc;
}
