// The page: socket, root views, navigation, titles, reload fail-safe (PROTOCOL §2, §6, §8).

import { Socket } from "./socket.js";
import { View } from "./view.js";
import { bind, pusher } from "./bindings.js";
import { exec, api, FocusWrap } from "./js.js";

const reloadKey = () => `phx:${location.pathname}:consecutive-reloads`;
const fire = (name, detail, cancelable) => window.dispatchEvent(new CustomEvent("phx:" + name, { detail, cancelable }));
const storage = (f, store = "localStorage") => { try { return f(window[store]); } catch (_e) { return null; } };
const DEBUG = "phx:live-socket:debug";

// A navigation target: its absolute href when it is http(s) (and of this origin when
// `sameOrigin`), else null. A server's `javascript:` or `data:` target is never followed.
const parse = (to) => { try { return new URL(to, location.href); } catch (_e) { return null; } };
export function safeHref(to, sameOrigin = false) {
  const url = parse(to);
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || (sameOrigin && url.origin !== location.origin)) {
    console.error("liveview: refused to navigate to", String(to));
    return null;
  }
  return url.href;
}

const pick = (opts, keys) => Object.fromEntries(keys.split(" ").filter((k) => opts[k] != null).map((k) => [k, opts[k]]));

export class LiveSocket {
  constructor(url = "/live", opts = {}) {
    // Reload fail-safe after failed joins, with the official client's option names and defaults.
    Object.assign(this, { reloadJitterMin: 5000, reloadJitterMax: 10000, maxReloads: 10, failsafeJitter: 30000 }, pick(opts, "reloadJitterMin reloadJitterMax maxReloads failsafeJitter"));
    this.paramsOpt = opts.params || {};
    this.dom = opts.dom || {};
    this.hooks = { "Phoenix.FocusWrap": FocusWrap, ...opts.hooks };
    this.views = new Map();
    this.main = null;
    this.socket = new Socket(url, { params: typeof this.paramsOpt === "function" ? {} : { ...this.paramsOpt }, transport: opts.transport });
  }

  params(el) {
    return typeof this.paramsOpt === "function" ? this.paramsOpt(el) : { ...this.paramsOpt };
  }

  // After disconnect(): every view rejoins (form recovery).
  connect() {
    if (!this.bound) {
      this.bound = true;
      bind(this);
      this.pos = window.history.state?.position || 0;
      this.loc = location.href;
      window.addEventListener("popstate", (e) => this.onPopState(e));
      window.addEventListener("pagehide", () => (this.unloaded = true));
      const host = location.hostname;
      if ((host === "localhost" || host.endsWith(".localhost")) && !this.isDebugDisabled()) this.enableDebug();
      this.socket.onClose = (e) => e.code === 1000 && !e.manual && !e.abnormal && this.main && this.reloadWithJitter(this.main);
      document.querySelectorAll("[data-phx-session]:not([data-phx-parent-id])").forEach((el) => this.joinRoot(el));
      // Hooks outside every LiveView (e.g. in the root layout) mount once, pushing via the main view.
      document.querySelectorAll("[phx-hook]").forEach((el) => {
        const def = !el.closest("[data-phx-session]") && this.hooks[el.getAttribute("phx-hook")];
        if (def && this.main) this.main.createHook(el, def).mounted?.();
      });
    }
    this.socket.connect();
  }

  disconnect(callback) {
    this.socket.disconnect();
    callback?.();
  }

  isConnected() { return this.socket.isConnected(); }
  // Debug lines `<view id> <kind>: <message> - <object>`, as the official client prints them.
  isDebugEnabled() { return storage((s) => s.getItem(DEBUG), "sessionStorage") === "true"; }
  isDebugDisabled() { return storage((s) => s.getItem(DEBUG), "sessionStorage") === "false"; }
  enableDebug() { storage((s) => s.setItem(DEBUG, "true"), "sessionStorage"); }
  disableDebug() { storage((s) => s.setItem(DEBUG, "false"), "sessionStorage"); }
  log(view, kind, msg, obj) {
    if (this.isDebugEnabled()) console.log(`${view.id} ${kind}: ${msg} - `, obj);
  }
  // `phx:page-loading-start` now, and the returned function dispatches `phx:page-loading-stop`.
  pageLoading(info) {
    fire("page-loading-start", info);
    return () => fire("page-loading-stop", info);
  }
  isUnloaded() { return !!this.unloaded; }

  emit(name, href, patch, pop, direction = "forward") {
    return fire(name, { href, patch, pop, direction }, true);
  }

  // position: a pop's direction; backType: the type pushed next.
  history(kind, type, href) {
    const h = window.history;
    if (kind === "push") {
      h.replaceState({ ...h.state, backType: type }, "");
      this.pos++;
    }
    h[kind === "push" ? "pushState" : "replaceState"]({ type, id: this.main?.id, position: this.pos }, "", href);
    this.loc = location.href;
    if (kind) this.emit("navigate", href, type === "patch", false);
  }

  joinRoot(el, nav) {
    const view = new View(el, this, null, nav);
    this.views.set(el.id, view);
    if (view.isMain()) {
      this.main = view;
      if (window.history.state === null) this.history(null, "patch", location.href);
    }
    view.join();
    return view;
  }

  owner(el) {
    const container = el.closest("[data-phx-session]");
    return container ? this.views.get(container.id) : null;
  }

  // JS commands (js.js): runs `js` as the handler of a `type` event on el; returns its longest transition (ms).
  execJS(el, js, type = "hook") {
    const ms = exec(this, el, js, type, pusher(this, el, type));
    this.busy = Math.max(this.busy || 0, Date.now() + ms);
    return ms;
  }

  // Calls f once the transitions started so far have ended.
  afterTransitions(f) { setTimeout(f, Math.max(0, (this.busy || 0) - Date.now())); }

  js() { return api(this, "hook"); }

  // Events are pushed `ms` late.
  enableLatencySim(ms) { this.latency = ms; }
  disableLatencySim() { this.latency = 0; }

  registerHook(name, def) {
    this.hooks[name] = def;
    this.views.forEach((view) => view.rendered && view.syncHooks({ updated: [] }, false));
  }

  dispatchEvents(events) {
    for (const [name, payload] of events) {
      fire(name, payload);
      this.views.forEach((view) => view.dispatchToHooks(name, payload));
    }
  }

  putTitle(title) {
    const { prefix = "", suffix = "", default: fallback } = document.querySelector("title")?.dataset || {};
    const text = typeof title === "string" && title.trim() !== "" ? title : fallback;
    if (text !== undefined) document.title = `${prefix}${text}${suffix}`;
  }

  // Leaving the page over HTTP: close the socket first, so the server hears of it now.
  redirect(to, flash) {
    const href = safeHref(to);
    if (!href) return;
    if (flash) document.cookie = `__phoenix_flash__=${flash}; max-age=60; path=/`;
    this.unload();
    location.href = href;
  }

  unload() {
    this.unloaded = true;
    this.disconnect();
  }

  historyPatch(to, kind = "push") {
    const href = safeHref(to, true);
    if (href && (href !== location.href || kind === "replace")) {
      this.history(kind, "patch", href);
    }
  }

  async livePatch(href, kind = "push", fromPop = false) {
    const view = this.main;
    if (!view || !view.isConnected() || parse(href)?.origin !== location.origin) return this.redirect(href);
    this.linkPending = true;
    const done = this.pageLoading({ to: href, kind: "patch" });
    try {
      const reply = await view.channel.push("live_patch", { url: href });
      this.linkPending = false;
      if (reply.status === "ok" && reply.response?.link_redirect) return this.liveRedirect(href, fromPop ? null : kind);
      if (!fromPop) this.historyPatch(href, kind);
      view.applyReply(reply);
    } finally {
      this.linkPending = false;
      view.flushPending();
      done();
    }
  }

  liveRedirect(to, kind = "push", flash = null) {
    const old = this.main;
    const href = safeHref(to);
    if (!href) return;
    // Another origin (or no live view to navigate from): an HTTP page load.
    if (!old || new URL(href).origin !== location.origin) return this.redirect(href, flash);
    const referer = location.href;
    if (kind) this.history(kind, "redirect", href);
    old.destroy();
    // The new view joins once the old one's phx-remove transitions end; none is live until then.
    const removes = [...old.el.querySelectorAll("[phx-remove]")];
    const wait = Math.max(0, ...removes.map((el) => this.execJS(el, el.getAttribute("phx-remove"), "remove")));
    removes.forEach((el) => el.removeAttribute("phx-remove"));
    const join = () => (this.main = this.joinRoot(old.el, { redirect: href, flash, referer }));
    if (!wait) return join();
    this.main = null;
    setTimeout(join, wait);
  }

  onPopState({ state }) {
    const href = location.href;
    if (!state || !this.main || href === this.loc) return;
    const fwd = state.position > this.pos;
    const patch = (fwd ? state.type : state.backType || state.type) === "patch";
    const dir = fwd ? "forward" : "backward";
    if (!this.emit("before-navigate", href, patch, true, dir)) return fwd ? window.history.back() : window.history.forward();
    this.loc = href;
    this.pos = state.position || 0;
    this.emit("navigate", href, patch, true, dir);
    if (patch && state.id === this.main.id) this.livePatch(href, null, true);
    else this.liveRedirect(href, null);
  }

  // After a failed join: disconnect, then reload after a jitter; after `maxReloads` consecutive
  // reloads of this path, wait `failsafeJitter` instead.
  reloadWithJitter(view) {
    clearTimeout(this.reloadTimer);
    this.socket.disconnect();
    const tries = storage((s) => {
      const n = parseInt(s.getItem(reloadKey()) || "0", 10) + 1;
      s.setItem(reloadKey(), String(n));
      return n;
    }) || 0;
    const { reloadJitterMin: min, reloadJitterMax: max, maxReloads } = this;
    this.reloadTimer = setTimeout(() => {
      if (view.destroyed || view.isConnected()) return;
      view.destroy();
      this.log(view, "join", `encountered ${tries} consecutive reloads`);
      if (tries >= maxReloads) this.log(view, "join", `exceeded ${maxReloads} consecutive reloads. Entering failsafe mode`);
      location.reload();
    }, tries >= maxReloads ? this.failsafeJitter : min + Math.floor(Math.random() * (max - min + 1)));
  }

  clearReloads() {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
    storage((s) => s.removeItem(reloadKey()));
  }
}
