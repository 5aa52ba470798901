// Builds `../dist/liveview.js`: the client modules in `../js`, bundled into one ES module and
// minified with esbuild. The server serves that file at `/live/assets/liveview.js`.
//
//   npm ci && node bundle.mjs          # rebuild after changing anything in ../js
//   node bundle.mjs --check            # exit 1 if the committed bundle is not today's build
//
// The first line records the FNV-1a 64 hash of the sources, computed exactly as the crate's
// `liveview_client::SOURCES_HASH`, so `cargo test` notices a stale bundle without Node.
import { build } from "esbuild";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const js = fileURLToPath(new URL("../js/", import.meta.url));
const out = fileURLToPath(new URL("../dist/liveview.js", import.meta.url));

// The crate lists the modules in this order (src/lib.rs `SOURCES`); the entry comes first.
const ORDER = ["liveview.js", "live_socket.js", "view.js", "bindings.js", "js.js", "form.js", "dom_patch.js", "rendered.js", "socket.js"];

export function sourcesHash(files) {
  const mask = (1n << 64n) - 1n;
  let hash = 0xcbf29ce484222325n;
  const eat = (byte) => { hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & mask; };
  for (const [name, source] of files) {
    for (const part of [name, source]) {
      for (const byte of Buffer.from(part, "utf8")) eat(byte);
      eat(0xff);
    }
  }
  return hash.toString(16).padStart(16, "0");
}

const onDisk = readdirSync(js).filter((f) => f.endsWith(".js")).sort();
if (onDisk.join() !== [...ORDER].sort().join()) {
  console.error(`bundle.mjs: ORDER lists ${ORDER.join(", ")} but js/ has ${onDisk.join(", ")}`);
  process.exit(1);
}
const hash = sourcesHash(ORDER.map((name) => [name, readFileSync(js + name, "utf8")]));

const result = await build({
  entryPoints: [js + "liveview.js"],
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2020",
  legalComments: "none",
  banner: { js: `/* liveview-client ${hash} (built by bundle.mjs from js/; do not edit) */` },
  write: false,
  logLevel: "warning",
});
const text = result.outputFiles[0].text;

if (process.argv.includes("--check")) {
  let committed = "";
  try { committed = readFileSync(out, "utf8"); } catch {}
  if (committed !== text) {
    console.error("dist/liveview.js is stale: run `cd crates/liveview-client/bundle && npm ci && node bundle.mjs`");
    process.exit(1);
  }
  console.log(`dist/liveview.js is up to date (sources ${hash}, ${text.length} bytes)`);
} else {
  writeFileSync(out, text);
  console.log(`wrote dist/liveview.js (sources ${hash}, ${text.length} bytes)`);
}
