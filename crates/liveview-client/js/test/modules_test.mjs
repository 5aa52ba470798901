// Every module loads (outside a browser the entry does not boot) and exports what others import.
import { it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";

it("every module imports cleanly", async () => {
  const dir = new URL("../", import.meta.url);
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".js"))) await import(new URL(name, dir));
  const { LiveSocket } = await import("../liveview.js");
  assert.equal(typeof LiveSocket, "function");
  assert.equal(typeof new LiveSocket("/live", { transport: class {} }).connect, "function");
});

it("the committed bundle loads and exports the same LiveSocket API", async () => {
  const { LiveSocket } = await import("../../dist/liveview.js");
  const socket = new LiveSocket("/live", { transport: class {} });
  for (const method of ["connect", "disconnect", "isConnected", "registerHook"]) assert.equal(typeof socket[method], "function", method);
});
