// Entry point: boots and sets window.liveSocket (see the crate README).

import { LiveSocket } from "./live_socket.js";
import { isUsedInput } from "./form.js";

export { LiveSocket, isUsedInput };

if (typeof window !== "undefined" && window.liveViewAutoConnect !== false && !window.liveSocket) {
  const csrf = document.querySelector("meta[name='csrf-token']")?.getAttribute("content");
  const liveSocket = (window.liveSocket = new LiveSocket("/live", { params: csrf ? { _csrf_token: csrf } : {}, hooks: window.LiveViewHooks || {} }));
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => liveSocket.connect());
  else liveSocket.connect();
}
