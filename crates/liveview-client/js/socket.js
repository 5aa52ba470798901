// Phoenix Channels V2 over WebSocket (PROTOCOL §1, §8.1).

const backoff = (steps, max) => (tries) => steps[tries - 1] || max;
export const reconnectAfter = backoff([10, 50, 100, 150, 200, 250, 500, 1000, 2000], 5000);
export const rejoinAfter = backoff([1000, 2000, 5000], 10000);

export const encodeParams = (params, prefix) =>
  Object.keys(params).map((key) => {
    const name = prefix ? `${prefix}[${key}]` : key;
    const v = params[key];
    return v !== null && typeof v === "object" ? encodeParams(v, name) : encodeURIComponent(name) + "=" + encodeURIComponent(v);
  }).join("&");

export const encodeFrame = (joinRef, ref, topic, event, payload) => JSON.stringify([joinRef, ref, topic, event, payload]);

export function decodeFrame(text) {
  const [joinRef, ref, topic, event, payload] = JSON.parse(text);
  return { joinRef, ref, topic, event, payload };
}

// States: closed, joining, joined, errored.
class Channel {
  constructor(socket, topic, joinPayload, on = {}) {
    Object.assign(this, { socket, topic, joinPayload, on, state: "closed", joinRef: null, tries: 0 });
  }

  join(onReply) {
    if (onReply) this.onReply = onReply;
    clearTimeout(this.timer);
    this.timer = null;
    if (!this.socket.isConnected()) return void (this.state = "errored");
    this.state = "joining";
    const [ref, reply] = this.socket.request(null, this.topic, "phx_join", this.joinPayload(), 10000);
    this.joinRef = ref;
    reply.then((r) => {
      if (this.joinRef !== ref) return;
      if (r.status === "ok") {
        this.state = "joined";
        this.tries = 0;
      } else {
        this.state = "errored";
        if (r.status === "timeout") this.socket.send(encodeFrame(ref, this.socket.makeRef(), this.topic, "phx_leave", {}));
      }
      this.onReply(r);
    });
  }

  scheduleRejoin() {
    if (this.timer || this.state === "closed") return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.socket.isConnected()) this.join();
    }, rejoinAfter(++this.tries));
  }

  push(event, payload, timeout = 30000) {
    if (this.state !== "joined") return Promise.resolve({ status: "error", response: { reason: "not joined" } });
    return this.socket.request(this.joinRef, this.topic, event, payload, timeout)[1];
  }

  leave() {
    clearTimeout(this.timer);
    const was = this.state;
    this.state = "closed";
    this.socket.remove(this);
    if ((was === "joined" || was === "joining") && this.socket.isConnected()) {
      this.socket.request(this.joinRef, this.topic, "phx_leave", {}, 10000);
    }
  }

  handle({ joinRef, event, payload }) {
    if (joinRef != null && joinRef !== this.joinRef) return; // stale join
    const cb = this.on[event];
    if (event === "phx_error" || event === "phx_close") {
      if (this.state === "closed") return;
      if (event === "phx_close") this.socket.remove(this);
      this.state = event === "phx_close" ? "closed" : "errored";
      cb?.(payload);
      this.scheduleRejoin();
    } else cb?.(payload);
  }

  dropped() {
    if (this.state === "joined" || this.state === "joining") {
      this.state = "errored";
      this.on.phx_error?.({ reason: "socket closed" });
    }
  }
}

export class Socket {
  constructor(endPoint, opts = {}) {
    this.endPoint = endPoint;
    this.params = opts.params || {};
    this.transport = opts.transport || globalThis.WebSocket;
    this.heartbeatMs = opts.heartbeatIntervalMs || 30000;
    this.location = opts.location || globalThis.location;
    this.channels = [];
    this.pending = new Map();
    this.ref = this.tries = 0;
    this.onClose = () => {};
  }
  makeRef() { return String(++this.ref); }
  isConnected() { return !!this.conn && this.conn.readyState === 1; }

  url() {
    const query = encodeParams(this.params);
    return `${this.location.protocol === "https:" ? "wss:" : "ws:"}//${this.location.host}${this.endPoint}/websocket?${query ? query + "&" : ""}vsn=2.0.0`;
  }

  connect() {
    if (this.conn) return;
    this.manual = false;
    const conn = (this.conn = new this.transport(this.url()));
    conn.onopen = () => {
      this.tries = 0;
      clearInterval(this.hbTimer);
      this.hbTimer = setInterval(() => this.heartbeat(), this.heartbeatMs);
      this.channels.filter((c) => c.state === "errored").forEach((c) => c.join());
    };
    conn.onmessage = (e) => this.receive(e.data);
    conn.onclose = (e) => this.closed(conn, e);
  }

  disconnect() {
    this.manual = true;
    clearTimeout(this.reconnectTimer);
    this.close({ code: 1000, manual: true });
  }

  close(event, reason) {
    const conn = this.conn;
    if (!conn) return;
    conn.onclose = null;
    conn.close(event.code, reason);
    this.closed(conn, event);
  }

  heartbeat() {
    if (this.hbRef) return this.close({ code: 1000, abnormal: true }, "heartbeat timeout");
    this.hbRef = this.makeRef();
    this.send(encodeFrame(null, this.hbRef, "phoenix", "heartbeat", {}));
  }

  closed(conn, event) {
    if (this.conn !== conn) return;
    this.conn = this.hbRef = null;
    clearInterval(this.hbTimer);
    // (`code`: 1009 says a frame was too big for the server.)
    for (const done of [...this.pending.values()]) done({ status: "error", response: { reason: "disconnected", code: event.code } });
    this.channels.forEach((c) => c.dropped());
    this.onClose(event);
    // A server close with code 1000: no reconnect.
    if (!this.manual && (event.code !== 1000 || event.abnormal)) {
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = setTimeout(() => this.connect(), reconnectAfter(++this.tries));
    }
  }

  request(joinRef, topic, event, payload, timeout) {
    const ref = this.makeRef();
    const reply = new Promise((resolve) => {
      const timer = setTimeout(() => done({ status: "timeout", response: { reason: "timeout" } }), timeout);
      const done = (r) => {
        clearTimeout(timer);
        this.pending.delete(ref);
        resolve(r);
      };
      this.pending.set(ref, done);
    });
    this.send(encodeFrame(joinRef || ref, ref, topic, event, payload));
    return [ref, reply];
  }

  send(text) {
    if (this.isConnected()) this.conn.send(text);
  }

  channel(topic, joinPayload, on) {
    const ch = new Channel(this, topic, joinPayload, on);
    this.channels.push(ch);
    return ch;
  }
  remove(channel) { this.channels = this.channels.filter((c) => c !== channel); }

  receive(text) {
    const msg = decodeFrame(text);
    if (msg.topic === "phoenix" && msg.ref === this.hbRef) this.hbRef = null;
    else if (msg.event === "phx_reply" && msg.ref !== null) {
      const done = this.pending.get(msg.ref);
      if (done) done(msg.payload);
    } else this.channels.filter((c) => c.topic === msg.topic).forEach((c) => c.handle(msg));
  }
}
