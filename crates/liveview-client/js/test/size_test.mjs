// The size budget of the bundle a page downloads (issue 17): dist/liveview.js at most 16 KB
// (16,000 bytes) gzipped at level 9, as docs/benchmarks.md measures it with `gzip -9`.
import { it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 16_000;

it(`dist/liveview.js is at most ${BUDGET} bytes gzipped`, () => {
  const size = gzipSync(readFileSync(new URL("../../dist/liveview.js", import.meta.url)), { level: 9 }).length;
  assert.ok(size <= BUDGET, `dist/liveview.js is ${size} bytes gzipped, over the ${BUDGET}-byte budget`);
});
