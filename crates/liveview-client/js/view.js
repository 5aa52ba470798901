// One LiveView: join, diffs, pushes, hooks (PROTOCOL §3, §5, §8).

import { Rendered, isCid } from "./rendered.js";
import { DOMPatch, CLONE } from "./dom_patch.js";
import { serializeForm, lock } from "./form.js";
import { runAll, keepForRemove, pushedEvent } from "./js.js";

const SESSION = "data-phx-session";
const COMPONENT = "data-phx-component";
const LOCK = "data-phx-ref-lock";
const LOADING = "phx-loading";
const ERROR = ["phx-loading", "phx-error"];
const STATES = ["phx-connected", "phx-loading", "phx-error", "phx-client-error", "phx-server-error"];
// `[name, payload, true]`: dispatched before the patch.
const early = (events, first) => events.filter((e) => (e.length === 3 && e[2] == true) === first).map((e) => e.slice(0, 2));

// The cid of the component el is in (null: the view).
const cidOf = (el) => {
  const c = el.closest(`[${COMPONENT}]`);
  return c ? +c.getAttribute(COMPONENT) : null;
};

// form[TOO_BIG]: the serialised form whose frame the server closed the socket over.
const TOO_BIG = Symbol("phx-too-big");
const tooBig = (form, value, reply) => {
  if (reply.response?.code === 1009 && form) form[TOO_BIG] = value;
  return { ...reply, form };
};

export class View {
  constructor(el, liveSocket, parent = null, nav = {}) {
    Object.assign(this, {
      el, id: el.id, liveSocket, parent, root: parent ? parent.root : this, ...nav,
      session: el.getAttribute(SESSION), static: el.getAttribute("data-phx-static") || null,
      joinCount: parent ? parent.joinCount - 1 : 0, joinAttempts: 0, rendered: null, joinPending: true,
      pendingDiffs: [], hooks: new Map(), children: new Map(), owner: (e) => this.owns(e), refs: new Set(), dying: new Set(),
    });
    el.setAttribute("data-phx-root-id", this.root.id);
  }

  isMain() { return this.el.hasAttribute("data-phx-main"); }
  isConnected() { return !!this.channel && this.channel.state === "joined" && !this.joinPending; }
  // (an element of a locked element's clone is detached: ours unless in a nested view's copy)
  owns(el) {
    const v = el.closest(`[${SESSION}]`);
    return v ? v === this.el : !el.isConnected;
  }

  joinPayload() {
    const params = { ...this.liveSocket.params(this.el), _mounts: this.joinCount, _mount_attempts: this.joinAttempts };
    if (this.referer) params._live_referer = this.referer;
    const tracked = [...document.querySelectorAll("[phx-track-static]")].map((el) => el.src || el.href);
    if (tracked.length > 0) params._track_static = tracked;
    const sticky = this.el.hasAttribute("data-phx-sticky");
    const payload = {};
    if (!this.parent && !sticky) payload[this.redirect ? "redirect" : "url"] = this.redirect || location.href;
    Object.assign(payload, { params, session: this.session, static: this.static });
    if (this.flash) payload.flash = this.flash;
    payload.sticky = sticky;
    return payload;
  }

  join() {
    const ls = this.liveSocket;
    if (this.isMain()) this.loadingDone = ls.pageLoading({ to: this.redirect || location.href, kind: "initial" });
    this.loaderTimer = setTimeout(() => this.setState([LOADING]), 1);
    this.channel = ls.socket.channel("lv:" + this.id, () => this.joinPayload(), {
      diff: (diff) => this.update(diff),
      redirect: ({ to, flash }) => ls.redirect(to, flash),
      live_redirect: ({ to, kind, flash }) => ls.liveRedirect(to, kind, flash),
      live_patch: ({ to, kind }) => ls.historyPatch(to, kind),
      phx_error: (payload) => {
        this.joinPending = true;
        const closed = payload?.reason === "socket closed";
        if (!closed) ls.log(this, "error", "view crashed", payload);
        this.displayError(closed ? "client" : "server");
        this.hooks.forEach((hook) => hook.disconnected?.());
        this.disconnectTimer = setTimeout(() => this.destroyed || runAll(this, "phx-disconnected"), 500);
      },
      phx_close: () => this.setState([...ERROR, "phx-server-error"]),
    });
    this.channel.join((reply) => this.onJoinReply(reply));
  }

  // The error classes (`kind`: client or server); the main view also starts page loading.
  displayError(kind) {
    if (this.isMain()) this.liveSocket.pageLoading({ to: location.href, kind: "error" });
    this.setState([...ERROR, `phx-${kind}-error`]);
  }

  setState(classes) {
    clearTimeout(this.loaderTimer);
    this.el.classList.remove(...STATES);
    this.el.classList.add(...classes);
  }

  onJoinReply({ status, response }) {
    const ls = this.liveSocket;
    if (this.destroyed) return;
    if (status === "ok") return this.onJoin(response);
    response = response || {};
    this.joinAttempts++;
    const { reason, redirect, live_redirect } = response;
    if (reason === "reload") document.cookie = `__phoenix_reload_status__=${response.token}; max-age=60; path=/`;
    if (reason === "reload") return ls.redirect(location.href);
    // Refused (e.g. another live session): load the page over HTTP, keeping the flash.
    if (reason === "stale" || reason === "unauthorized") {
      ls.log(this, "error", "unauthorized live_redirect. Falling back to page request", response);
      return ls.redirect(this.redirect || location.href, this.flash);
    }
    if (redirect || live_redirect) {
      ls.dispatchEvents(response.events || []);
      this.destroy();
      if (redirect) return ls.redirect(redirect.to, redirect.flash);
      return ls.liveRedirect(live_redirect.to, live_redirect.kind, live_redirect.flash);
    }
    ls.log(this, "error", "unable to join", response);
    this.displayError("server");
    if (this.parent) return this.joinAttempts >= 3 ? this.destroy() : this.channel.scheduleRejoin();
    if (ls.isConnected()) ls.reloadWithJitter(this);
  }

  async onJoin({ rendered, container, pid, live_patch }) {
    const ls = this.liveSocket;
    if (container) this.replaceContainer(container[0], container[1]);
    if (pid) this.el.setAttribute("data-phx-pid", pid);
    ls.clearReloads();
    const { diff, title, events } = Rendered.extract(rendered);
    ls.log(this, "mount", "received diff", rendered);
    const isRejoin = this.joinCount > 0 && this.rendered !== null;
    this.rendered = new Rendered(this.id, diff);
    const { html, streams } = this.rendered.toString(null);
    const myJoin = ++this.joinCount;
    this.joinAttempts = 0;
    this.flash = null;
    const recoveries = isRejoin ? await this.recoverForms(html) : [];
    if (this.joinCount !== myJoin || this.destroyed) return;
    ls.dispatchEvents(early(events, true));
    // A form the server did not recover keeps what the user typed.
    const kept = recoveries.filter((r) => r.status !== "ok").flatMap((r) => [...r.form.elements])
      .filter((el) => el.name && !/^(hidden|file|button|submit|reset)$/.test(el.type)).map((el) => [el, el.value, el.checked]);
    this.patch(new DOMPatch(this.el, html, { streams, isJoin: true, owns: this.owner }), isRejoin);
    kept.forEach(([el, value, checked]) => el.isConnected && Object.assign(el, /^(checkbox|radio)$/.test(el.type) ? { checked } : { value }));
    if (typeof title === "string" || this.isMain()) ls.putTitle(title);
    this.joinPending = false;
    this.setState(["phx-connected"]);
    clearTimeout(this.disconnectTimer);
    runAll(this, "phx-connected");
    ls.dispatchEvents(early(events, false));
    recoveries.forEach((r) => this.applyReply(r));
    this.loadingDone?.();
    this.flushPending((p) => p.joinCount >= myJoin - 1);
    if (live_patch) ls.historyPatch(live_patch.to, live_patch.kind);
  }

  flushPending(keep = () => true) {
    this.pendingDiffs.splice(0).filter(keep).forEach((p) => this.applyDiff(p.diff));
  }

  replaceContainer(tag, attrs = {}) {
    const keep = ["id", SESSION, "data-phx-static", "data-phx-main", "data-phx-root-id"];
    let el = this.el;
    if (el.tagName.toLowerCase() !== tag.toLowerCase()) {
      const fresh = document.createElement(tag);
      keep.forEach((a) => el.hasAttribute(a) && fresh.setAttribute(a, el.getAttribute(a)));
      fresh.append(...el.childNodes);
      el.replaceWith(fresh);
      this.el = el = fresh;
    }
    [...el.attributes].forEach(({ name }) => !keep.includes(name) && el.removeAttribute(name));
    Object.entries(attrs).forEach(([k, v]) => !keep.includes(k) && el.setAttribute(k, v));
  }

  // Form recovery (PROTOCOL §8.3).
  recoverForms(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    const pushes = [];
    this.el.querySelectorAll("form[id][phx-change]").forEach((form) => {
      const change = form.getAttribute("phx-change");
      const recover = form.getAttribute("phx-auto-recover") || pushedEvent(change);
      const next = template.content.querySelector(`form[id="${form.id}"]`);
      if (!recover || recover === "ignore" || !this.owns(form) || !next || next.getAttribute("phx-change") !== change) return;
      const first = [...form.elements].find((el) => el.name && el.type !== "hidden");
      const value = serializeForm(form);
      // The frame that closed the socket as too big (1009) is not sent again: no close loop.
      if (form[TOO_BIG] === value) return pushes.push({ status: "error", form });
      // To the component the new form's phx-target names (a cid, or a selector matched in the
      // new HTML: one push for each match), else the view.
      const target = next.getAttribute("phx-target");
      const cids = target === null ? [null] : isCid(target) ? [+target] : [...template.content.querySelectorAll(target)].map(cidOf);
      for (const cid of cids) {
        pushes.push(this.channel.push("event", {
          type: "form", event: recover, value,
          meta: { _target: first ? first.name : "undefined" }, uploads: {}, ...(cid === null ? {} : { cid }),
        }).then((reply) => tooBig(form, value, reply)));
      }
    });
    return Promise.all(pushes);
  }

  update(diff) {
    this.liveSocket.log(this, "update", "received diff", diff);
    if (this.joinPending || (this.liveSocket.linkPending && this.root.isMain())) this.pendingDiffs.push({ diff, joinCount: this.joinCount });
    else this.applyDiff(diff);
  }

  applyDiff(raw) {
    const ls = this.liveSocket;
    const { diff, title, reply, events } = Rendered.extract(raw);
    const r = this.rendered;
    ls.dispatchEvents(early(events, true));
    if (Object.keys(diff).length > 0) {
      r.mergeDiff(diff);
      const cids = r.componentCIDs(diff);
      if (r.isComponentOnlyDiff(diff)) {
        // Top-most changed components only.
        const els = cids.map((cid) => [cid, this.componentEl(cid)]).filter(([, el]) => el);
        els.filter(([, el]) => !els.some(([, o]) => o !== el && o.contains(el))).forEach(([cid, el]) => {
          // Under a locked element with a clone, the clone's copy is patched (none: wait).
          const lock = el.parentNode.closest(`[${LOCK}]`);
          if (lock?.[CLONE]) el = lock[CLONE].querySelector(`[${COMPONENT}="${cid}"]`);
          if (!el) return;
          const { html, streams } = r.componentToString(cid);
          this.patch(new DOMPatch(el, html, { streams, targetIsRoot: true, owns: this.owner }), false);
        });
      } else {
        const { html, streams } = r.toString(cids);
        this.patch(new DOMPatch(this.el, html, { streams, owns: this.owner }), false);
      }
    }
    if (typeof title === "string") ls.putTitle(title);
    ls.dispatchEvents(early(events, false));
    return reply;
  }

  componentEl(cid) {
    return [...this.el.querySelectorAll(`[${COMPONENT}="${cid}"]`)].find((el) => this.owns(el));
  }

  // The cids of this view's components in the page, or in a locked element's clone (where
  // they wait to be applied).
  presentCids() {
    const roots = [this.el, ...[...this.el.querySelectorAll(`[${LOCK}]`)].map((el) => el[CLONE]).filter(Boolean)];
    const els = roots.flatMap((root) => [...root.querySelectorAll(`[${COMPONENT}]`)]).filter((el) => this.owns(el));
    return new Set(els.map((el) => +el.getAttribute(COMPONENT)));
  }

  // Applies what patches did to el's clone while el was locked, once nothing locks it; the
  // clone's marks of replied events are dropped first.
  unlock(el) {
    const clone = el[CLONE];
    if (!clone || el.hasAttribute(LOCK)) return;
    delete el[CLONE];
    if (el.isConnected) this.patch(new DOMPatch(el, this.sweep(clone), { targetIsRoot: true, owns: this.owner }), false);
  }

  // Drops the marks of replied events from a clone (and the clones of locked copies in it).
  sweep(clone) {
    for (const e of [clone, ...clone.querySelectorAll("[data-phx-ref-src]")]) {
      if (e !== clone && e[CLONE]) this.sweep(e[CLONE]);
      for (const a of ["data-phx-ref-loading", LOCK]) if (!this.refs.has(e.getAttribute(a))) e.removeAttribute(a);
      if (e.hasAttribute("data-phx-ref-loading")) continue;
      for (const [a, p] of [["data-phx-disabled", "disabled"], ["data-phx-readonly", "readOnly"]]) {
        if (e.hasAttribute(a)) e[p] = e.getAttribute(a) === "true";
      }
      ["data-phx-ref-src", "data-phx-disabled", "data-phx-readonly", "data-phx-disable-with-restore"].forEach((a) => e.removeAttribute(a));
      e.classList.remove(...[...e.classList].filter((c) => /^phx-\w+-loading$/.test(c)));
      if (!e.classList.length) e.removeAttribute("class");
    }
    return clone;
  }

  patch(patch, reconnected) {
    patch.dom = this.liveSocket.dom;
    patch.onRemove = (el) => keepForRemove(this.liveSocket, el, () => this.maybeDestroyCids());
    patch.perform();
    this.syncHooks(patch, reconnected);
    runAll(this, "phx-mounted");
    this.maybeDestroyCids();
    this.joinChildren();
    // `phx-trigger-action`: the server asks for a plain HTTP submit (with the submitter's name).
    const form = [...patch.added, ...patch.updated].find((el) => el.tagName === "FORM" && el.hasAttribute("phx-trigger-action") && el.isConnected);
    if (!form) return;
    const ls = this.liveSocket;
    ls.unload();
    const by = form.__submitter;
    if (by?.name && by.isConnected) {
      const input = Object.assign(document.createElement("input"), { type: "hidden", name: by.name, value: by.value });
      if (by.hasAttribute("form")) input.setAttribute("form", by.getAttribute("form"));
      by.before(input);
    }
    HTMLFormElement.prototype.submit.call(form);
  }

  syncHooks(patch, reconnected) {
    const updated = new Set(patch.updated);
    for (const [id, hook] of [...this.hooks]) {
      const el = document.getElementById(id);
      if (!el || !this.el.contains(el) || !el.hasAttribute("phx-hook")) {
        this.hooks.delete(id);
        hook.destroyed?.();
      } else {
        hook.el = el;
        if (reconnected) hook.reconnected?.();
        if (updated.has(el)) hook.updated?.();
      }
    }
    this.el.querySelectorAll("[phx-hook]").forEach((el) => {
      const def = this.liveSocket.hooks[el.getAttribute("phx-hook")];
      if (!el.id || this.hooks.has(el.id) || !this.owns(el) || !def) return;
      const hook = this.createHook(el, def);
      this.hooks.set(el.id, hook);
      hook.mounted?.();
    });
  }

  createHook(el, def) {
    const hook = Object.create(def);
    const handlers = (hook.__handlers = []);
    const push = (event, payload = {}, onReply, opts) => {
      const p = this.pushEvent("hook", hook.el, event, payload, opts);
      if (onReply) p.then((reply) => onReply(reply));
      return p;
    };
    return Object.assign(hook, {
      el,
      liveSocket: this.liveSocket,
      js: () => this.liveSocket.js(),
      pushEvent: (event, payload, onReply) => push(event, payload, onReply, { loading: "phx-hook-loading" }),
      // One push for each target (settled together), none for an element no longer in the page.
      pushEventTo: (target, event, payload = {}, onReply) => {
        const ps = this.within(target).map(([view, cid]) => {
          const p = view.pushEvent("hook", hook.el, event, payload, { cid, loading: "phx-hook-loading" });
          return onReply ? p.then((reply) => onReply(reply)) : p.then((reply) => ({ reply }));
        });
        if (!onReply) return Promise.allSettled(ps);
      },
      handleEvent: (name, cb) => {
        const ref = [name, cb];
        handlers.push(ref);
        return ref;
      },
      removeHandleEvent: (ref) => handlers.includes(ref) && handlers.splice(handlers.indexOf(ref), 1),
    });
  }

  // Components the DOM lost: the two-step destroy of PROTOCOL §5.3. Each is rendered in full
  // if the server renders it again; `cids_destroyed` waits for running transitions (phx-remove)
  // and leaves out the components back in the page by then, and none of those is pruned.
  maybeDestroyCids() {
    const { dying, rendered } = this;
    const present = this.presentCids();
    const cids = Object.keys(rendered.tree.c).map(Number).filter((cid) => !dying.has(cid) && !present.has(cid));
    if (cids.length === 0) return;
    cids.forEach((cid) => {
      dying.add(cid);
      rendered.resetRender(cid);
    });
    const gone = (list) => {
      const now = this.presentCids();
      return list.filter((cid) => !now.has(cid));
    };
    this.channel.push("cids_will_destroy", { cids })
      .then((reply) => reply.status === "ok" && new Promise((r) => this.liveSocket.afterTransitions(() => r(true))))
      .then((ok) => ok && gone(cids).length > 0 && this.channel.push("cids_destroyed", { cids: gone(cids) }))
      .then((reply) => {
        cids.forEach((cid) => dying.delete(cid));
        if (reply?.status === "ok" && reply.response?.cids) rendered.pruneCIDs(gone(reply.response.cids));
      });
  }

  // pushEventTo's targets, [view, cid] each: a cid; an element, or each element a selector
  // matches, in its own view (Phoenix issue 4066: none for an element no longer in the page).
  within(target) {
    if (isCid(target)) return [[this, +target]];
    const els = typeof target === "string" ? [...document.querySelectorAll(target)] : [target];
    return els.map((el) => [el.isConnected && this.liveSocket.owner(el), el]).filter(([v]) => v).map(([v, el]) => [v, cidOf(el)]);
  }

  targetCid(target) {
    if (target == null) return null;
    if (isCid(target)) return parseInt(target, 10);
    const comp = (typeof target === "string" ? document.querySelector(target) : target)?.closest(`[${COMPONENT}]`);
    return comp ? parseInt(comp.getAttribute(COMPONENT), 10) : null;
  }

  cidFor(el) {
    return this.targetCid(el.getAttribute("phx-target") || el.form?.getAttribute("phx-target") || null);
  }

  // opts: cid, meta, uploads, loading, loadingEls.
  async pushEvent(type, el, event, value, opts = {}) {
    const payload = { type, event, value };
    if (opts.meta) payload.meta = opts.meta;
    if (opts.uploads) payload.uploads = opts.uploads;
    const cid = opts.cid !== undefined ? opts.cid : el?.getAttribute ? this.cidFor(el) : null;
    if (typeof cid === "number" && !Number.isNaN(cid)) payload.cid = cid;
    const cls = opts.loading;
    const els = cls ? (opts.loadingEls || [el]).filter((e) => e?.classList) : [];
    const undo = [];
    // Loading refs as the official client marks them: `data-phx-ref-loading`/`-src` on every
    // loading element, `-lock` on all but a submitted form; each is cleared by its own reply.
    const ref = String((this.refSeq = (this.refSeq || 0) + 1));
    const refs = (e) => (e.__refs = e.__refs || {});
    if (els.length) this.refs.add(ref);
    for (const e of els) {
      e.classList.add(cls);
      refs(e)[cls] = ref;
      e.setAttribute("data-phx-ref-src", this.id);
      e.setAttribute("data-phx-ref-loading", ref);
      if (e.tagName !== "FORM" || !cls.includes("submit")) e.setAttribute("data-phx-ref-lock", ref);
      const text = e.getAttribute("phx-disable-with");
      // (a click disabling its submitter would cancel the submit)
      if (text !== null && !(e.form && e.type === "submit" && cls.includes("click"))) {
        const was = e.textContent;
        e.setAttribute("data-phx-disable-with-restore", was);
        undo.push(lock(e, "data-phx-disabled", "disabled"), () => {
          e.removeAttribute("data-phx-disable-with-restore");
          if (text) e.textContent = was;
        });
        if (text) e.textContent = text;
      }
    }
    // The loading state is undone before the reply is patched in, so the patch compares the
    // server's HTML with what it rendered last. Replies are applied in the order of their
    // pushes even if they arrive out of order: each one's diff follows the one before.
    let reply;
    const turn = this.replied;
    let done;
    this.replied = new Promise((r) => (done = r));
    try {
      try {
        if (this.liveSocket.latency) await new Promise((r) => setTimeout(r, this.liveSocket.latency));
        reply = await this.channel.push("event", payload);
        if (type === "form") tooBig(el?.form || el, value, reply);
        await turn;
      } finally {
        this.refs.delete(ref);
        for (const e of els) {
          if (refs(e)[cls] === ref) e.className === cls ? e.removeAttribute("class") : e.classList.remove(cls);
          for (const a of ["loading", "lock"]) if (e.getAttribute("data-phx-ref-" + a) === ref) e.removeAttribute("data-phx-ref-" + a);
          if (!e.hasAttribute("data-phx-ref-loading")) e.removeAttribute("data-phx-ref-src");
        }
        undo.forEach((f) => f());
        els.forEach((e) => this.unlock(e));
      }
      return this.applyReply(reply);
    } finally {
      done();
    }
  }

  applyReply({ status, response }) {
    const ls = this.liveSocket;
    if (status === "timeout") ls.reloadWithJitter(this);
    if (status !== "ok" || !response) return null;
    const { diff, redirect, live_redirect: lr, live_patch: lp } = response;
    const reply = diff ? this.applyDiff(diff) : null;
    if (redirect) ls.redirect(redirect.to, redirect.flash);
    if (lr) ls.liveRedirect(lr.to, lr.kind, lr.flash);
    if (lp) ls.historyPatch(lp.to, lp.kind);
    return reply;
  }

  joinChildren() {
    this.el.querySelectorAll(`[data-phx-parent-id="${this.id}"][${SESSION}]`).forEach((el) => {
      if (this.children.has(el.id) || !el.getAttribute(SESSION)) return;
      const child = new View(el, this.liveSocket, this);
      this.children.set(el.id, child);
      this.liveSocket.views.set(el.id, child);
      child.join();
    });
    for (const [id, child] of [...this.children]) {
      if (!document.getElementById(id)) {
        child.destroy();
        this.children.delete(id);
      }
    }
  }

  dispatchToHooks(name, payload) {
    this.hooks.forEach((hook) => hook.__handlers.forEach(([n, cb]) => n === name && cb(payload)));
  }

  destroy() {
    this.destroyed = true;
    this.liveSocket.log(this, "destroyed", "the child has been removed from the parent");
    clearTimeout(this.loaderTimer);
    this.children.forEach((child) => child.destroy());
    this.hooks.forEach((hook) => hook.destroyed?.());
    this.hooks.clear();
    this.liveSocket.views.delete(this.id);
    this.channel?.leave();
  }
}
