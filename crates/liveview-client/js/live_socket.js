// The page: socket, root views, navigation, titles, reload fail-safe (PROTOCOL §2, §6, §8).

import { Socket } from "./socket.js";
import { View } from "./view.js";
import { bind } from "./bindings.js";

const reloadKey = () => `phx:${window.location.pathname}:consecutive-reloads`;
const history = (kind, type, id, href) => window.history[kind === "replace" ? "replaceState" : "pushState"]({ type, id }, "", href);
const storage = (f) => { try { return f(localStorage); } catch (_e) { return null; } };

export class LiveSocket {
  constructor(url = "/live", opts = {}) {
    this.paramsOpt = opts.params || {};
    this.hooks = opts.hooks || {};
    this.views = new Map();
    this.main = null;
    this.socket = new Socket(url, { params: typeof this.paramsOpt === "function" ? {} : { ...this.paramsOpt }, transport: opts.transport });
  }

  params(el) {
    return typeof this.paramsOpt === "function" ? this.paramsOpt(el) : { ...this.paramsOpt };
  }

  connect() {
    bind(this);
    window.addEventListener("popstate", (e) => this.onPopState(e));
    this.socket.onClose = (e) => e.code === 1000 && !e.manual && !e.abnormal && this.main && this.reloadWithJitter(this.main);
    this.socket.connect();
    document.querySelectorAll("[data-phx-session]:not([data-phx-parent-id])").forEach((el) => this.joinRoot(el));
  }

  disconnect() { this.socket.disconnect(); }

  joinRoot(el, nav) {
    const view = new View(el, this, null, nav);
    this.views.set(el.id, view);
    if (view.isMain()) {
      this.main = view;
      if (window.history.state === null) history("replace", "patch", view.id, window.location.href);
    }
    view.join();
    return view;
  }

  owner(el) {
    const container = el.closest("[data-phx-session]");
    return container ? this.views.get(container.id) : null;
  }

  registerHook(name, def) {
    this.hooks[name] = def;
    this.views.forEach((view) => view.rendered && view.syncHooks({ updated: [] }, false));
  }

  dispatchEvents(events) {
    for (const [name, payload] of events) {
      window.dispatchEvent(new CustomEvent(`phx:${name}`, { detail: payload }));
      this.views.forEach((view) => view.dispatchToHooks(name, payload));
    }
  }

  putTitle(title) {
    const { prefix = "", suffix = "", default: fallback } = document.querySelector("title")?.dataset || {};
    const text = typeof title === "string" && title.trim() !== "" ? title : fallback;
    if (text !== undefined) document.title = `${prefix}${text}${suffix}`;
  }

  redirect(to, flash) {
    if (flash) document.cookie = `__phoenix_flash__=${flash}; max-age=60; path=/`;
    window.location.href = to;
  }

  historyPatch(to, kind = "push") {
    const href = new URL(to, window.location.href).href;
    if (href !== window.location.href || kind === "replace") {
      history(kind, "patch", this.main?.id, href);
    }
  }

  async livePatch(href, kind = "push", fromPop = false) {
    const view = this.main;
    if (!view || !view.isConnected()) return this.redirect(href);
    this.linkPending = true;
    try {
      const reply = await view.channel.push("live_patch", { url: href });
      this.linkPending = false;
      if (reply.status === "ok" && reply.response?.link_redirect) return this.liveRedirect(href, fromPop ? null : kind);
      if (!fromPop) this.historyPatch(href, kind);
      view.applyReply(reply);
    } finally {
      this.linkPending = false;
      view.flushPending();
    }
  }

  liveRedirect(to, kind = "push", flash = null) {
    const old = this.main;
    const href = new URL(to, window.location.href).href;
    if (!old) return this.redirect(href, flash);
    const referer = window.location.href;
    if (kind) history(kind, "redirect", old.id, href);
    old.destroy();
    this.main = this.joinRoot(old.el, { redirect: href, flash, referer });
  }

  onPopState({ state }) {
    if (!state || !this.main) return;
    if (state.type === "patch" && state.id === this.main.id) this.livePatch(window.location.href, null, true);
    else this.liveRedirect(window.location.href, null);
  }

  reloadWithJitter(view) {
    if (this.reloadTimer) return;
    const tries = storage((s) => {
      const n = parseInt(s.getItem(reloadKey()) || "0", 10) + 1;
      s.setItem(reloadKey(), String(n));
      return n;
    }) || 0;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      if (!view.isConnected() || view.destroyed) window.location.reload();
    }, tries > 10 ? 30000 : 5000 + Math.floor(Math.random() * 5000));
  }

  clearReloads() {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
    storage((s) => s.removeItem(reloadKey()));
  }
}
