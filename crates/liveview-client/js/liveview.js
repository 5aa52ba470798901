// Entry point: boots the client on page load and exposes `window.liveSocket`.
//
// Served at /live/assets/liveview.js as <script type="module">. Hooks: set
// `window.LiveViewHooks = {Name: {mounted() {…}}}` in a script before this one, or call
// `window.liveSocket.registerHook(name, hook)` later. Set `window.liveViewAutoConnect = false`
// to build your own `new LiveSocket("/live", {params, hooks})` from ./live_socket.js instead.

import { LiveSocket } from "./live_socket.js";

export { LiveSocket };

if (typeof window !== "undefined" && window.liveViewAutoConnect !== false && !window.liveSocket) {
  const meta = document.querySelector("meta[name='csrf-token']");
  const csrf = meta ? meta.getAttribute("content") : null;
  const liveSocket = new LiveSocket("/live", {
    params: csrf ? { _csrf_token: csrf } : {},
    hooks: window.LiveViewHooks || {},
  });
  window.liveSocket = liveSocket;
  const start = () => liveSocket.connect();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}
