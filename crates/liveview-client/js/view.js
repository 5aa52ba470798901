// One joined LiveView: its channel, rendered tree, patches, pushes and hooks (PROTOCOL §3, §5, §6, §8).

import {
  COMPONENTS, PHX_AUTO_RECOVER, PHX_COMPONENT, PHX_CONNECTED_CLASS, PHX_ERROR_CLASS, PHX_CLIENT_ERROR_CLASS,
  PHX_HOOK, PHX_LOADING_CLASS, PHX_MAIN, PHX_PARENT_ID, PHX_PID, PHX_ROOT_ID, PHX_SERVER_ERROR_CLASS,
  PHX_SESSION, PHX_STATIC, PHX_STICKY, PHX_TARGET, LOADER_TIMEOUT, PUSH_TIMEOUT,
} from "./constants.js";
import { Rendered, isCid } from "./rendered.js";
import { DOMPatch } from "./dom_patch.js";
import { serializeForm } from "./form.js";

const STATE_CLASSES = [PHX_CONNECTED_CLASS, PHX_LOADING_CLASS, PHX_ERROR_CLASS, PHX_CLIENT_ERROR_CLASS, PHX_SERVER_ERROR_CLASS];
const isEmpty = (obj) => Object.keys(obj).length === 0;

/** A LiveView mounted on a container element. */
export class View {
  constructor(el, liveSocket, parent = null, nav = {}) {
    this.el = el;
    this.id = el.id;
    this.liveSocket = liveSocket;
    this.parent = parent;
    this.root = parent ? parent.root : this;
    this.session = el.getAttribute(PHX_SESSION);
    const staticToken = el.getAttribute(PHX_STATIC);
    this.static = staticToken ? staticToken : null;
    this.redirect = nav.redirect || null;
    this.flash = nav.flash || null;
    this.referer = nav.referer || null;
    this.joinCount = parent ? parent.joinCount - 1 : 0;
    this.joinAttempts = 0;
    this.rendered = null;
    this.joinPending = true;
    this.pendingDiffs = [];
    this.hooks = new Map();
    this.children = new Map();
    this.destroyed = false;
    el.setAttribute(PHX_ROOT_ID, this.root.id);
  }

  isMain() { return this.el.hasAttribute(PHX_MAIN); }
  isConnected() { return !!this.channel && this.channel.state === "joined" && !this.joinPending; }

  /** The phx_join payload (PROTOCOL §3.1). */
  joinPayload() {
    const params = { ...this.liveSocket.params(this.el), _mounts: this.joinCount, _mount_attempts: this.joinAttempts };
    if (this.referer) params._live_referer = this.referer;
    const tracked = Array.from(document.querySelectorAll("[phx-track-static]")).map((el) => el.src || el.href);
    if (tracked.length > 0) params._track_static = tracked;
    const sticky = this.el.hasAttribute(PHX_STICKY);
    const payload = {};
    if (!this.parent && !sticky) {
      if (this.redirect) payload.redirect = this.redirect;
      else payload.url = window.location.href;
    }
    payload.params = params;
    payload.session = this.session;
    payload.static = this.static;
    if (this.flash) payload.flash = this.flash;
    payload.sticky = sticky;
    return payload;
  }

  join() {
    this.loaderTimer = setTimeout(() => this.setState([PHX_LOADING_CLASS]), LOADER_TIMEOUT);
    this.channel = this.liveSocket.socket.channel("lv:" + this.id, () => this.joinPayload());
    this.channel.on("diff", (diff) => this.update(diff));
    this.channel.on("redirect", ({ to, flash }) => this.liveSocket.redirect(to, flash));
    this.channel.on("live_redirect", ({ to, kind, flash }) => this.liveSocket.liveRedirect(to, kind, flash));
    this.channel.on("live_patch", ({ to, kind }) => this.liveSocket.historyPatch(to, kind));
    this.channel.onError((payload) => this.onChannelError(payload));
    this.channel.onClose(() => this.setState([PHX_LOADING_CLASS, PHX_ERROR_CLASS, PHX_SERVER_ERROR_CLASS]));
    this.channel.join((reply) => this.onJoinReply(reply));
  }

  onChannelError(payload) {
    this.joinPending = true;
    const clientSide = payload && payload.reason === "socket closed";
    this.setState([PHX_LOADING_CLASS, PHX_ERROR_CLASS, clientSide ? PHX_CLIENT_ERROR_CLASS : PHX_SERVER_ERROR_CLASS]);
    this.hooks.forEach((hook) => hook.disconnected && hook.disconnected());
  }

  setState(classes) {
    clearTimeout(this.loaderTimer);
    this.el.classList.remove(...STATE_CLASSES);
    this.el.classList.add(...classes);
  }

  onJoinReply({ status, response }) {
    if (this.destroyed) return;
    if (status === "ok") return this.onJoin(response);
    this.joinAttempts++;
    const reason = response && response.reason;
    if (reason === "stale" || reason === "unauthorized") {
      return this.liveSocket.redirect(window.location.href, this.liveSocket.pendingFlash);
    }
    if (reason === "reload") {
      document.cookie = `__phoenix_reload_status__=${response.token}; max-age=60; path=/`;
      return this.liveSocket.redirect(window.location.href);
    }
    if (response && (response.redirect || response.live_redirect)) {
      this.liveSocket.dispatchEvents(response.events || []);
      this.destroy();
      if (response.redirect) return this.liveSocket.redirect(response.redirect.to, response.redirect.flash);
      const { to, kind, flash } = response.live_redirect;
      return this.liveSocket.liveRedirect(to, kind, flash);
    }
    this.setState([PHX_LOADING_CLASS, PHX_ERROR_CLASS, PHX_SERVER_ERROR_CLASS]);
    if (this.parent && this.joinAttempts >= 3) return this.destroy();
    if (this.isMain() || !this.parent) this.liveSocket.reloadWithJitter(this);
    this.channel.scheduleRejoin();
  }

  async onJoin(resp) {
    const { rendered, container, pid, live_patch } = resp;
    if (container) this.replaceContainer(container[0], container[1]);
    if (pid) this.el.setAttribute(PHX_PID, pid);
    this.liveSocket.clearReloads();
    const { diff, title, events } = Rendered.extract(rendered);
    const isRejoin = this.joinCount > 0 && this.rendered !== null;
    this.rendered = new Rendered(this.id, diff);
    const { html, streams } = this.rendered.toString(null);
    const myJoin = ++this.joinCount;
    this.joinAttempts = 0;
    this.flash = null;
    const recoveries = isRejoin ? await this.recoverForms(html) : [];
    if (this.joinCount !== myJoin || this.destroyed) return;
    this.splitEvents(events, (pre) => this.liveSocket.dispatchEvents(pre));
    this.patch(html, streams, { isJoin: true }, isRejoin);
    if (typeof title === "string" || this.isMain()) this.liveSocket.putTitle(title);
    this.joinPending = false;
    this.setState([PHX_CONNECTED_CLASS]);
    this.splitEvents(events, null, (post) => this.liveSocket.dispatchEvents(post));
    recoveries.forEach((r) => this.applyReply(r));
    const pending = this.pendingDiffs.filter((p) => p.joinCount === myJoin - 1 || p.joinCount === myJoin);
    this.pendingDiffs = [];
    pending.forEach((p) => this.applyDiff(p.diff));
    if (live_patch) this.liveSocket.historyPatch(live_patch.to, live_patch.kind);
    this.joinChildren();
  }

  replaceContainer(tag, attrs) {
    const keep = ["id", PHX_SESSION, PHX_STATIC, PHX_MAIN, PHX_ROOT_ID];
    let el = this.el;
    if (el.tagName.toLowerCase() !== tag.toLowerCase()) {
      const fresh = document.createElement(tag);
      keep.forEach((a) => el.hasAttribute(a) && fresh.setAttribute(a, el.getAttribute(a)));
      while (el.firstChild) fresh.appendChild(el.firstChild);
      el.replaceWith(fresh);
      this.el = el = fresh;
    }
    Array.from(el.attributes).forEach(({ name }) => !keep.includes(name) && el.removeAttribute(name));
    Object.entries(attrs || {}).forEach(([k, v]) => !keep.includes(k) && el.setAttribute(k, v));
  }

  splitEvents(events, pre, post) {
    const early = events.filter((e) => e.length === 3 && e[2] == true).map((e) => e.slice(0, 2));
    const late = events.filter((e) => !(e.length === 3 && e[2] == true));
    if (pre) pre(early);
    if (post) post(late);
  }

  /** Form recovery (PROTOCOL §8.3): returns the replies of the recovery pushes. */
  recoverForms(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const pushes = [];
    this.el.querySelectorAll("form[id][phx-change]").forEach((form) => {
      if (form.getAttribute(PHX_AUTO_RECOVER) === "ignore" || !this.owns(form)) return;
      const next = template.content.querySelector(`form[id="${form.id}"]`);
      if (!next || next.getAttribute("phx-change") !== form.getAttribute("phx-change")) return;
      const event = form.getAttribute(PHX_AUTO_RECOVER) || form.getAttribute("phx-change");
      const first = Array.from(form.elements).find((el) => el.name && el.type !== "hidden");
      const payload = {
        type: "form", event, value: serializeForm(form),
        meta: { _target: first ? first.name : "undefined" }, uploads: {},
      };
      pushes.push(this.channel.push("event", payload, PUSH_TIMEOUT));
    });
    return Promise.all(pushes);
  }

  owns(el) {
    const container = el.closest(`[${PHX_SESSION}]`);
    return container === this.el;
  }

  /** Server pushed a diff. */
  update(diff) {
    if (this.joinPending || (this.liveSocket.linkPending && this.root.isMain())) {
      this.pendingDiffs.push({ diff, joinCount: this.joinCount });
      return;
    }
    this.applyDiff(diff);
  }

  /** Merges and patches one diff; returns the hook reply `r` (or null). */
  applyDiff(raw) {
    const { diff, title, reply, events } = Rendered.extract(raw);
    this.splitEvents(events, (pre) => this.liveSocket.dispatchEvents(pre));
    if (!isEmpty(diff)) {
      this.rendered.mergeDiff(diff);
      if (this.rendered.isComponentOnlyDiff(diff)) {
        this.topCids(this.rendered.componentCIDs(diff)).forEach((cid) => {
          const el = this.componentEl(cid);
          const { html, streams } = this.rendered.componentToString(cid);
          this.runPatch(new DOMPatch(el, html, { streams, targetIsRoot: true, owns: (e) => this.owns(e) }), false);
        });
      } else {
        const { html, streams } = this.rendered.toString(this.rendered.componentCIDs(diff));
        this.patch(html, streams, {}, false);
      }
    }
    if (typeof title === "string") this.liveSocket.putTitle(title);
    this.splitEvents(events, null, (post) => this.liveSocket.dispatchEvents(post));
    return reply;
  }

  componentEl(cid) {
    return Array.from(this.el.querySelectorAll(`[${PHX_COMPONENT}="${cid}"]`)).find((el) => this.owns(el));
  }

  /** Component ids present in the DOM whose element is not inside another listed component. */
  topCids(cids) {
    const els = cids.map((cid) => [cid, this.componentEl(cid)]).filter(([, el]) => el);
    return els.filter(([, el]) => !els.some(([, other]) => other !== el && other.contains(el))).map(([cid]) => cid);
  }

  patch(html, streams, opts, reconnected) {
    this.runPatch(new DOMPatch(this.el, html, { ...opts, streams, owns: (e) => this.owns(e) }), reconnected);
  }

  runPatch(patch, reconnected) {
    patch.perform();
    this.syncHooks(patch, reconnected);
    this.maybeDestroyCids();
    this.joinChildren();
  }

  /** Hook lifecycle after a patch: mounted / updated / destroyed / reconnected. */
  syncHooks(patch, reconnected) {
    const updated = new Set(patch.updated);
    for (const [id, hook] of Array.from(this.hooks)) {
      const el = document.getElementById(id);
      if (!el || !this.el.contains(el) || !el.hasAttribute(PHX_HOOK)) {
        this.hooks.delete(id);
        hook.destroyed && hook.destroyed();
      } else {
        if (el !== hook.el) hook.el = el;
        if (reconnected && hook.reconnected) hook.reconnected();
        if (updated.has(el) && hook.updated) hook.updated();
      }
    }
    this.el.querySelectorAll(`[${PHX_HOOK}]`).forEach((el) => {
      if (!el.id || this.hooks.has(el.id) || !this.owns(el)) return;
      const def = this.liveSocket.hooks[el.getAttribute(PHX_HOOK)];
      if (!def) return;
      const hook = this.createHook(el, def);
      this.hooks.set(el.id, hook);
      hook.mounted && hook.mounted();
    });
  }

  createHook(el, def) {
    const view = this;
    const hook = Object.create(def);
    hook.el = el;
    hook.liveSocket = this.liveSocket;
    hook.__handlers = [];
    hook.pushEvent = (event, payload = {}, onReply) => {
      const p = view.pushEvent("hook", hook.el, event, payload, { loading: "phx-hook-loading" });
      if (onReply) p.then((reply) => onReply(reply, hook.__ref));
      return p;
    };
    hook.pushEventTo = (target, event, payload = {}, onReply) => {
      const cid = view.targetCid(target);
      const p = view.pushEvent("hook", hook.el, event, payload, { cid });
      if (onReply) p.then((reply) => onReply(reply));
      return p;
    };
    hook.handleEvent = (name, cb) => {
      const ref = [name, cb];
      hook.__handlers.push(ref);
      return ref;
    };
    hook.removeHandleEvent = (ref) => { hook.__handlers = hook.__handlers.filter((r) => r !== ref); };
    return hook;
  }

  /** Components the tree holds but the DOM lost: the two-step destroy of PROTOCOL §5.3. */
  maybeDestroyCids() {
    const cids = Object.keys(this.rendered.tree[COMPONENTS] || {}).map(Number).filter((cid) => !this.componentEl(cid));
    if (cids.length === 0 || this.destroying) return;
    this.destroying = true;
    this.channel.push("cids_will_destroy", { cids }, PUSH_TIMEOUT).then(() => {
      const gone = cids.filter((cid) => !this.componentEl(cid));
      if (gone.length === 0) { this.destroying = false; return; }
      return this.channel.push("cids_destroyed", { cids: gone }, PUSH_TIMEOUT).then(({ status, response }) => {
        this.destroying = false;
        if (status === "ok" && response && response.cids) this.rendered.pruneCIDs(response.cids);
      });
    });
  }

  /** The cid for a phx-target value: a number, or a selector inside a component. */
  targetCid(target) {
    if (target === null || target === undefined) return null;
    if (isCid(target)) return parseInt(target, 10);
    const el = typeof target === "string" ? document.querySelector(target) : target;
    const comp = el && el.closest(`[${PHX_COMPONENT}]`);
    return comp ? parseInt(comp.getAttribute(PHX_COMPONENT), 10) : null;
  }

  /** The cid an element's event goes to (its `phx-target`, if any). */
  cidFor(el) {
    const target = el.getAttribute(PHX_TARGET) || (el.form && el.form.getAttribute(PHX_TARGET));
    return target ? this.targetCid(target) : null;
  }

  /**
   * Pushes an `event` and applies the reply; resolves with the hook reply `r`.
   * `opts`: `{cid, meta, uploads, loading: class, loadingEls}`.
   */
  async pushEvent(type, el, event, value, opts = {}) {
    const payload = { type, event, value };
    if (opts.meta) payload.meta = opts.meta;
    if (opts.uploads) payload.uploads = opts.uploads;
    const cid = opts.cid !== undefined ? opts.cid : el && el.getAttribute ? this.cidFor(el) : null;
    if (typeof cid === "number" && !Number.isNaN(cid)) payload.cid = cid;
    const loadingEls = (opts.loadingEls || [el]).filter((e) => e && e.classList);
    if (opts.loading) loadingEls.forEach((e) => e.classList.add(opts.loading));
    try {
      const reply = await this.channel.push("event", payload, PUSH_TIMEOUT);
      return this.applyReply(reply);
    } finally {
      if (opts.loading) loadingEls.forEach((e) => e.classList.remove(opts.loading));
    }
  }

  /** Handles `{status, response}` of a push: diff, redirects, patches. Returns the hook reply. */
  applyReply({ status, response }) {
    if (status === "timeout") {
      this.liveSocket.reloadWithJitter(this);
      return null;
    }
    if (status !== "ok" || !response) return null;
    let reply = null;
    if (response.diff) reply = this.applyDiff(response.diff);
    if (response.redirect) this.liveSocket.redirect(response.redirect.to, response.redirect.flash);
    if (response.live_redirect) {
      const { to, kind, flash } = response.live_redirect;
      this.liveSocket.liveRedirect(to, kind, flash);
    }
    if (response.live_patch) this.liveSocket.historyPatch(response.live_patch.to, response.live_patch.kind);
    return reply;
  }

  /** Nested LiveViews rendered inside this one join on their own channels. */
  joinChildren() {
    this.el.querySelectorAll(`[${PHX_PARENT_ID}="${this.id}"][${PHX_SESSION}]`).forEach((el) => {
      if (this.children.has(el.id) || !el.getAttribute(PHX_SESSION)) return;
      const child = new View(el, this.liveSocket, this);
      this.children.set(el.id, child);
      this.liveSocket.views.set(el.id, child);
      child.join();
    });
    for (const [id, child] of Array.from(this.children)) {
      if (!document.getElementById(id)) {
        child.destroy();
        this.children.delete(id);
      }
    }
  }

  /** Dispatches a pushed event to this view's hooks' handleEvent callbacks. */
  dispatchToHooks(name, payload) {
    this.hooks.forEach((hook) => hook.__handlers.forEach(([n, cb]) => n === name && cb(payload)));
  }

  destroy() {
    this.destroyed = true;
    clearTimeout(this.loaderTimer);
    this.children.forEach((child) => child.destroy());
    this.hooks.forEach((hook) => hook.destroyed && hook.destroyed());
    this.hooks.clear();
    this.liveSocket.views.delete(this.id);
    if (this.channel) this.channel.leave();
  }
}
