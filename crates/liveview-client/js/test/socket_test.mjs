// Tests for socket.js: framing, params, backoff and a join/push round trip over a fake WebSocket.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Socket, decodeFrame, encodeFrame, encodeParams, reconnectAfter, rejoinAfter } from "../socket.js";

class FakeWS {
  constructor(url) { this.url = url; this.readyState = 0; this.sent = []; FakeWS.last = this; setTimeout(() => { this.readyState = 1; this.onopen(); }, 0); }
  send(t) { this.sent.push(JSON.parse(t)); }
  close() { this.readyState = 3; }
  reply(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
}
const location = { protocol: "https:", host: "example.test" };
const tick = () => new Promise((r) => setTimeout(r, 1));

describe("encodeFrame / decodeFrame", () => {
  it("round-trips a V2 frame", () => {
    const text = encodeFrame("4", "8", "lv:phx-demo", "event", { type: "click", event: "inc", value: { value: "" } });
    assert.equal(text, '["4","8","lv:phx-demo","event",{"type":"click","event":"inc","value":{"value":""}}]');
    assert.deepEqual(decodeFrame(text), { joinRef: "4", ref: "8", topic: "lv:phx-demo", event: "event", payload: { type: "click", event: "inc", value: { value: "" } } });
  });
});

describe("encodeParams", () => {
  it("form-encodes nested params", () => {
    assert.equal(encodeParams({ _csrf_token: "a b", x: { y: 1 } }), "_csrf_token=a%20b&x%5By%5D=1");
  });
});

describe("backoff", () => {
  it("follows PROTOCOL §8.1", () => {
    assert.deepEqual([1, 2, 3, 9, 10, 50].map(reconnectAfter), [10, 50, 100, 2000, 5000, 5000]);
    assert.deepEqual([1, 2, 3, 4, 9].map(rejoinAfter), [1000, 2000, 5000, 10000, 10000]);
  });
});

describe("Socket", () => {
  it("connects to /live/websocket with the csrf token and vsn", () => {
    const s = new Socket("/live", { params: { _csrf_token: "XYZ" }, transport: FakeWS, location });
    assert.equal(s.url(), "wss://example.test/live/websocket?_csrf_token=XYZ&vsn=2.0.0");
  });
  it("joins with ref == join_ref, pushes with the join_ref and resolves replies", async () => {
    const s = new Socket("/live", { params: {}, transport: FakeWS, location });
    s.connect();
    await tick();
    const got = [];
    const ch = s.channel("lv:phx-a", () => ({ url: "http://x/", params: {}, session: "S", static: null, sticky: false }), { diff: (d) => got.push(d) });
    const joined = new Promise((resolve) => ch.join(resolve));
    const [jr, ref, topic, event, payload] = FakeWS.last.sent[0];
    assert.equal(jr, ref);
    assert.equal(topic, "lv:phx-a");
    assert.equal(event, "phx_join");
    assert.equal(payload.session, "S");
    FakeWS.last.reply([jr, ref, topic, "phx_reply", { status: "ok", response: { rendered: {} } }]);
    assert.deepEqual(await joined, { status: "ok", response: { rendered: {} } });
    assert.equal(ch.state, "joined");
    const pushed = ch.push("event", { type: "click", event: "inc", value: {} }, 1000);
    const frame = FakeWS.last.sent[1];
    assert.equal(frame[0], jr);
    FakeWS.last.reply([jr, frame[1], topic, "phx_reply", { status: "ok", response: {} }]);
    assert.deepEqual(await pushed, { status: "ok", response: {} });
    // Pushes from a stale join are dropped; current ones are delivered.
    FakeWS.last.reply(["999", null, topic, "diff", { 0: "stale" }]);
    FakeWS.last.reply([jr, null, topic, "diff", { 0: "fresh" }]);
    assert.deepEqual(got, [{ 0: "fresh" }]);
    s.disconnect();
  });
});
