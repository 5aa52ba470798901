// Phoenix Channels V2 over WebSocket: framing, refs, heartbeat, reconnect and channel rejoin (PROTOCOL §1, §8.1).

import {
  CHANNEL_EVENTS, HEARTBEAT_INTERVAL, JOIN_TIMEOUT, RECONNECT_AFTER_MS, RECONNECT_MAX_MS,
  REJOIN_AFTER_MS, REJOIN_MAX_MS, VSN,
} from "./constants.js";

/** Socket reconnect delay for the n-th try (1-based). */
export const reconnectAfter = (tries) => RECONNECT_AFTER_MS[tries - 1] || RECONNECT_MAX_MS;
/** Channel rejoin delay for the n-th try (1-based). */
export const rejoinAfter = (tries) => REJOIN_AFTER_MS[tries - 1] || REJOIN_MAX_MS;

/** Form-encodes params, nested objects as `a[b]=` (like phoenix.js). */
export function encodeParams(params, prefix) {
  const parts = [];
  for (const key in params) {
    if (!Object.prototype.hasOwnProperty.call(params, key)) continue;
    const name = prefix ? `${prefix}[${key}]` : key;
    const value = params[key];
    if (value !== null && typeof value === "object") parts.push(encodeParams(value, name));
    else parts.push(encodeURIComponent(name) + "=" + encodeURIComponent(value));
  }
  return parts.join("&");
}

/** Encodes one V2 frame. */
export const encodeFrame = (joinRef, ref, topic, event, payload) =>
  JSON.stringify([joinRef, ref, topic, event, payload]);

/** Decodes one V2 frame into an object. */
export function decodeFrame(text) {
  const [joinRef, ref, topic, event, payload] = JSON.parse(text);
  return { joinRef, ref, topic, event, payload };
}

/** A pending request: resolves with `{status, response}`; `status` may be `"timeout"`. */
class Push {
  constructor(socket, timeout) {
    this.socket = socket;
    this.timeout = timeout;
    this.ref = null;
    this.promise = new Promise((resolve) => (this.resolve = resolve));
  }
  send(joinRef, topic, event, payload) {
    this.ref = this.socket.makeRef();
    this.socket.pending.set(this.ref, this);
    this.timer = setTimeout(() => this.finish({ status: "timeout", response: {} }), this.timeout);
    this.socket.send(encodeFrame(joinRef, this.ref, topic, event, payload));
    return this.ref;
  }
  finish(reply) {
    clearTimeout(this.timer);
    this.socket.pending.delete(this.ref);
    this.resolve(reply);
  }
}

/** One topic on the socket. States: closed, joining, joined, errored, leaving. */
export class Channel {
  constructor(socket, topic, joinPayload) {
    this.socket = socket;
    this.topic = topic;
    this.joinPayload = joinPayload; // function returning the phx_join payload
    this.state = "closed";
    this.joinRef = null;
    this.bindings = new Map();
    this.rejoinTries = 0;
    this.rejoinTimer = null;
    this.onJoinReply = () => {};
    this.onErrorCb = () => {};
    this.onCloseCb = () => {};
  }
  on(event, cb) { this.bindings.set(event, cb); }
  onError(cb) { this.onErrorCb = cb; }
  onClose(cb) { this.onCloseCb = cb; }

  /** Sends phx_join; `onReply({status, response})` runs on every join attempt's outcome. */
  join(onReply) {
    if (onReply) this.onJoinReply = onReply;
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = null;
    if (!this.socket.isConnected()) {
      this.state = "errored"; // joined as soon as the socket opens
      return;
    }
    this.state = "joining";
    const push = new Push(this.socket, JOIN_TIMEOUT);
    // The join's ref is the channel's join_ref.
    const ref = this.socket.makeRef();
    this.joinRef = ref;
    push.ref = ref;
    this.socket.pending.set(ref, push);
    push.timer = setTimeout(() => push.finish({ status: "timeout", response: { reason: "timeout" } }), JOIN_TIMEOUT);
    this.socket.send(encodeFrame(ref, ref, this.topic, CHANNEL_EVENTS.join, this.joinPayload()));
    push.promise.then((reply) => {
      if (this.joinRef !== ref) return;
      if (reply.status === "ok") {
        this.state = "joined";
        this.rejoinTries = 0;
      } else {
        this.state = "errored";
        if (reply.status === "timeout") this.socket.send(encodeFrame(ref, this.socket.makeRef(), this.topic, CHANNEL_EVENTS.leave, {}));
      }
      this.onJoinReply(reply);
    });
  }

  /** Schedules a rejoin with the channel backoff (1 s, 2 s, 5 s, then 10 s). */
  scheduleRejoin() {
    if (this.rejoinTimer || this.state === "closed" || this.state === "leaving") return;
    this.rejoinTries++;
    this.rejoinTimer = setTimeout(() => {
      this.rejoinTimer = null;
      if (this.socket.isConnected()) this.join();
    }, rejoinAfter(this.rejoinTries));
  }

  /** Pushes an event; resolves with the reply `{status, response}`. */
  push(event, payload, timeout) {
    const push = new Push(this.socket, timeout);
    if (this.state !== "joined") {
      setTimeout(() => push.resolve({ status: "error", response: { reason: "not joined" } }), 0);
      return push.promise;
    }
    push.send(this.joinRef, this.topic, event, payload);
    return push.promise;
  }

  leave() {
    clearTimeout(this.rejoinTimer);
    this.rejoinTimer = null;
    const joined = this.state === "joined" || this.state === "joining";
    this.state = "leaving";
    let done = Promise.resolve();
    if (joined && this.socket.isConnected()) {
      const push = new Push(this.socket, JOIN_TIMEOUT);
      push.send(this.joinRef, this.topic, CHANNEL_EVENTS.leave, {});
      done = push.promise;
    }
    this.state = "closed";
    this.socket.remove(this);
    return done;
  }

  /** Called by the socket for every frame on this topic. */
  handle(msg) {
    if (msg.joinRef !== null && msg.joinRef !== undefined && msg.joinRef !== this.joinRef) return; // stale join
    if (msg.event === CHANNEL_EVENTS.error) {
      if (this.state === "leaving" || this.state === "closed") return;
      this.state = "errored";
      this.onErrorCb(msg.payload);
      this.scheduleRejoin();
    } else if (msg.event === CHANNEL_EVENTS.close) {
      if (this.state === "leaving" || this.state === "closed") return;
      this.state = "closed";
      this.socket.remove(this);
      this.onCloseCb(msg.payload);
    } else {
      const cb = this.bindings.get(msg.event);
      if (cb) cb(msg.payload);
    }
  }

  /** The socket dropped: mark errored so the next open rejoins. */
  socketDropped() {
    if (this.state === "joined" || this.state === "joining") {
      this.state = "errored";
      this.onErrorCb({ reason: "socket closed" });
    }
  }
}

/** The websocket connection shared by every channel of the page. */
export class Socket {
  constructor(endPoint, opts = {}) {
    this.endPoint = endPoint;
    this.params = opts.params || {};
    this.transport = opts.transport || globalThis.WebSocket;
    this.heartbeatMs = opts.heartbeatIntervalMs || HEARTBEAT_INTERVAL;
    this.location = opts.location || globalThis.location;
    this.channels = [];
    this.pending = new Map();
    this.ref = 0;
    this.conn = null;
    this.tries = 0;
    this.manualClose = false;
    this.openCbs = [];
    this.closeCbs = [];
    this.pendingHeartbeat = null;
  }
  onOpen(cb) { this.openCbs.push(cb); }
  onClose(cb) { this.closeCbs.push(cb); }
  makeRef() { this.ref++; return String(this.ref); }
  isConnected() { return !!this.conn && this.conn.readyState === 1; }

  /** `ws(s)://host/<endPoint>/websocket?<params>&vsn=2.0.0`. */
  url() {
    const scheme = this.location.protocol === "https:" ? "wss:" : "ws:";
    const query = encodeParams(this.params);
    return `${scheme}//${this.location.host}${this.endPoint}/websocket?${query ? query + "&" : ""}vsn=${VSN}`;
  }

  connect() {
    if (this.conn) return;
    this.manualClose = false;
    const conn = new this.transport(this.url());
    this.conn = conn;
    conn.onopen = () => {
      this.tries = 0;
      this.startHeartbeat();
      this.openCbs.forEach((cb) => cb());
      this.channels.filter((c) => c.state === "errored").forEach((c) => c.join());
    };
    conn.onmessage = (e) => this.receive(e.data);
    conn.onerror = () => {};
    conn.onclose = (e) => this.closed(conn, e);
  }

  /** Closes on purpose: no reconnect. */
  disconnect(code = 1000) {
    this.manualClose = true;
    clearTimeout(this.reconnectTimer);
    if (this.conn) {
      const conn = this.conn;
      this.conn = null;
      conn.onclose = () => {};
      conn.close(code);
      this.dropped({ code, wasClean: true, manual: true });
    }
  }

  closed(conn, event) {
    if (this.conn !== conn) return;
    this.conn = null;
    this.dropped(event);
    // A server close with code 1000 is intentional: no reconnect (the live socket reloads).
    if (!this.manualClose && (event.code !== 1000 || event.abnormal)) this.scheduleReconnect();
  }

  dropped(event) {
    clearInterval(this.heartbeatTimer);
    this.pendingHeartbeat = null;
    for (const push of Array.from(this.pending.values())) push.finish({ status: "error", response: { reason: "disconnected" } });
    this.channels.forEach((c) => c.socketDropped());
    this.closeCbs.forEach((cb) => cb(event));
  }

  scheduleReconnect() {
    clearTimeout(this.reconnectTimer);
    this.tries++;
    this.reconnectTimer = setTimeout(() => this.connect(), reconnectAfter(this.tries));
  }

  startHeartbeat() {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (this.pendingHeartbeat) {
        // No reply within an interval: drop the connection and reconnect.
        const conn = this.conn;
        this.conn = null;
        if (conn) {
          conn.onclose = () => {};
          conn.close(1000, "heartbeat timeout");
          this.dropped({ code: 1000, abnormal: true });
          this.scheduleReconnect();
        }
        return;
      }
      this.pendingHeartbeat = this.makeRef();
      this.send(encodeFrame(null, this.pendingHeartbeat, "phoenix", CHANNEL_EVENTS.heartbeat, {}));
    }, this.heartbeatMs);
  }

  send(text) {
    if (this.isConnected()) this.conn.send(text);
  }

  channel(topic, joinPayload) {
    const ch = new Channel(this, topic, joinPayload);
    this.channels.push(ch);
    return ch;
  }
  remove(channel) { this.channels = this.channels.filter((c) => c !== channel); }

  receive(text) {
    const msg = decodeFrame(text);
    if (msg.topic === "phoenix" && msg.ref === this.pendingHeartbeat) {
      this.pendingHeartbeat = null;
      return;
    }
    if (msg.event === CHANNEL_EVENTS.reply && msg.ref !== null) {
      const push = this.pending.get(msg.ref);
      if (push) push.finish(msg.payload);
      return;
    }
    this.channels.filter((c) => c.topic === msg.topic).forEach((c) => c.handle(msg));
  }
}
