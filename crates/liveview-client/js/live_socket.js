// The page-wide client: socket, root views, navigation, pushed events, titles and reload fail-safe (PROTOCOL §1-§3, §6, §8).

import {
  CONSECUTIVE_RELOADS, FAILSAFE_JITTER, FLASH_COOKIE, MAX_RELOADS, PHX_MAIN, PHX_PARENT_ID, PHX_SESSION,
  RELOAD_JITTER_MAX, RELOAD_JITTER_MIN,
} from "./constants.js";
import { Socket } from "./socket.js";
import { View } from "./view.js";
import { bind } from "./bindings.js";

const reloadKey = () => `phx:${window.location.pathname}:${CONSECUTIVE_RELOADS}`;

/** Owns the websocket and every LiveView on the page. */
export class LiveSocket {
  /**
   * `url`: the socket endpoint ("/live"). `opts.params`: connect/join params (object or
   * function of the container element); `opts.hooks`: `{HookName: {mounted() {…}, …}}`.
   */
  constructor(url = "/live", opts = {}) {
    this.url = url;
    this.paramsOpt = opts.params || {};
    this.hooks = opts.hooks || {};
    this.views = new Map();
    this.main = null;
    this.linkPending = false;
    this.pendingFlash = null;
    this.reloadTimer = null;
    const socketParams = typeof this.paramsOpt === "function" ? {} : { ...this.paramsOpt };
    this.socket = new Socket(url, { params: socketParams, transport: opts.transport });
  }

  /** The user params sent in every join. */
  params(el) {
    return typeof this.paramsOpt === "function" ? this.paramsOpt(el) : { ...this.paramsOpt };
  }

  connect() {
    bind(this);
    window.addEventListener("popstate", (e) => this.onPopState(e));
    this.socket.onClose((event) => {
      if (event && event.code === 1000 && !event.manual && !event.abnormal && this.main) this.reloadWithJitter(this.main);
    });
    this.socket.connect();
    document.querySelectorAll(`[${PHX_SESSION}]:not([${PHX_PARENT_ID}])`).forEach((el) => this.joinRoot(el));
  }

  disconnect() { this.socket.disconnect(); }

  joinRoot(el, nav) {
    const view = new View(el, this, null, nav);
    this.views.set(el.id, view);
    if (el.hasAttribute(PHX_MAIN)) this.main = view;
    if (view.isMain() && window.history.state === null) {
      window.history.replaceState({ type: "patch", id: view.id }, "", window.location.href);
    }
    view.join();
    return view;
  }

  /** The view owning an element (its closest container). */
  owner(el) {
    const container = el.closest(`[${PHX_SESSION}]`);
    return container ? this.views.get(container.id) : null;
  }

  /** Registers a hook after boot and mounts it on elements already present. */
  registerHook(name, def) {
    this.hooks[name] = def;
    this.views.forEach((view) => view.rendered && view.syncHooks({ updated: [] }, false));
  }

  /** Dispatches pushed events as `phx:<name>` window events and to hooks' handleEvent. */
  dispatchEvents(events) {
    events.forEach(([name, payload]) => {
      window.dispatchEvent(new CustomEvent(`phx:${name}`, { detail: payload }));
      this.views.forEach((view) => view.dispatchToHooks(name, payload));
    });
  }

  /** `document.title = prefix + title + suffix`, or data-default for an empty title. */
  putTitle(title) {
    const el = document.querySelector("title");
    if (!el) {
      if (typeof title === "string" && title.trim() !== "") document.title = title;
      return;
    }
    const { prefix = "", suffix = "", default: fallback } = el.dataset;
    if (typeof title === "string" && title.trim() !== "") document.title = `${prefix}${title}${suffix}`;
    else if (fallback !== undefined) document.title = `${prefix}${fallback}${suffix}`;
  }

  /** Full page navigation; the flash token travels in the __phoenix_flash__ cookie. */
  redirect(to, flash) {
    if (flash) document.cookie = `${FLASH_COOKIE}=${flash}; max-age=60; path=/`;
    window.location.href = to;
  }

  /** Server-side live_patch: only the URL and history change. */
  historyPatch(to, kind = "push") {
    const href = new URL(to, window.location.href).href;
    if (href === window.location.href && kind === "push") return;
    window.history[kind === "replace" ? "replaceState" : "pushState"]({ type: "patch", id: this.main && this.main.id }, "", href);
  }

  /** data-phx-link="patch": live_patch {url} to the main view, then history. */
  async livePatch(href, kind = "push", fromPop = false) {
    const view = this.main;
    if (!view || !view.isConnected()) return this.redirect(href);
    this.linkPending = true;
    try {
      const reply = await view.channel.push("live_patch", { url: href }, 30000);
      this.linkPending = false;
      if (reply.status === "ok" && reply.response && reply.response.link_redirect) return this.liveRedirect(href, fromPop ? null : kind);
      if (!fromPop) this.historyPatch(href, kind);
      view.applyReply(reply);
    } finally {
      this.linkPending = false;
      const pending = view.pendingDiffs.splice(0);
      pending.forEach((p) => view.applyDiff(p.diff));
    }
  }

  /** data-phx-link="redirect" / live_redirect: leave, then join again with `redirect`. */
  liveRedirect(to, kind = "push", flash = null) {
    const old = this.main;
    const href = new URL(to, window.location.href).href;
    if (!old) return this.redirect(href, flash);
    const referer = window.location.href;
    if (kind) window.history[kind === "replace" ? "replaceState" : "pushState"]({ type: "redirect", id: old.id }, "", href);
    old.destroy();
    this.main = this.joinRoot(old.el, { redirect: href, flash, referer });
  }

  onPopState(e) {
    const state = e.state;
    if (!state || !this.main) return;
    if (state.type === "patch" && state.id === this.main.id) this.livePatch(window.location.href, null, true);
    else this.liveRedirect(window.location.href, null);
  }

  /** Reload in 5-10 s (30 s after too many consecutive reloads) unless the view reconnects. */
  reloadWithJitter(view) {
    if (this.reloadTimer) return;
    let tries = 0;
    try { tries = parseInt(localStorage.getItem(reloadKey()) || "0", 10) + 1; localStorage.setItem(reloadKey(), String(tries)); } catch (_e) { /* storage off */ }
    const delay = tries > MAX_RELOADS ? FAILSAFE_JITTER : RELOAD_JITTER_MIN + Math.floor(Math.random() * (RELOAD_JITTER_MAX - RELOAD_JITTER_MIN));
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = null;
      if (!view.isConnected() || view.destroyed) window.location.reload();
    }, delay);
  }

  /** A successful join resets the reload counter and cancels a pending reload. */
  clearReloads() {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = null;
    try { localStorage.removeItem(reloadKey()); } catch (_e) { /* storage off */ }
  }
}
