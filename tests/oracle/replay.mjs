// Replays diff fixtures through the official phoenix_live_view client's own
// `Rendered` class (PROTOCOL.md §11) and checks the HTML each fixture records.
//
// Usage:
//   node replay.mjs [fixture.json ...]   check fixtures (default: ../fixtures/diffs/*.json)
//   node replay.mjs --stdin              read ONE fixture from stdin, print the official
//                                        result of every step as JSON; also checks any
//                                        `html`/`stream` the input already holds
//   node replay.mjs --update [files]     rewrite `html` (and `stream` when present or
//                                        non-empty) in the fixture files from the official client
//
// Exits non-zero on any mismatch or client exception.
//
// A fixture with `"compare": "fresh"` (the generated live-component sequences of
// `cargo run -p liveview-test --example oracle_components`) is replayed as the browser's
// `View` would, with the destroy exchange: a step may hold a `diff` (merged, then rendered as
// `View.update` renders it), `reset` (CIDs named in `cids_will_destroy`: `resetRender`),
// `prune` (the server's answer to `cids_destroyed`: `pruneCIDs`) and `html`: a fresh render of
// the server's state, which the merged tree rendered in full (every component, on a copy, so
// that the replay itself is not disturbed) must equal once the attributes the client adds to
// component roots (`data-phx-id`, `data-phx-component`, `data-phx-view`) are left out.
//
// The bundle is read from node_modules at run time and patched in memory only; nothing
// built from third-party code is ever written to disk.

import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { JSDOM } from "jsdom";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const FIXTURE_DIR = resolve(here, "../fixtures/diffs");

/** Loads the official IIFE bundle into a fresh jsdom window and returns its `Rendered`. */
function loadOfficialRendered() {
  // The package's "exports" map hides priv/ (and package.json), so look it up on the
  // ordinary node_modules search path instead.
  const pkgDir = require.resolve.paths("phoenix_live_view")
    .map((p) => join(p, "phoenix_live_view"))
    .find((p) => existsSync(join(p, "priv/static/phoenix_live_view.js")));
  if (!pkgDir) throw new Error("phoenix_live_view is not installed: run `npm ci` in tests/oracle");
  const bundlePath = join(pkgDir, "priv/static/phoenix_live_view.js");
  const original = readFileSync(bundlePath, "utf8");
  const marker = "return __toCommonJS(phoenix_live_view_exports);";
  if (!original.includes(marker)) {
    throw new Error(`cannot find "${marker}" in ${bundlePath}; the bundle layout changed`);
  }
  const patched = original.replace(
    marker,
    "return Object.assign(__toCommonJS(phoenix_live_view_exports), { Rendered, View, DOMPatch });",
  );
  const dom = new JSDOM("<!doctype html><html><head></head><body></body></html>", {
    url: "http://example.test/",
    runScripts: "outside-only",
    pretendToBeVisual: true,
  });
  const { window } = dom;
  window.eval(patched);
  const Rendered = window.LiveView && window.LiveView.Rendered;
  if (typeof Rendered !== "function") {
    throw new Error("the patched bundle did not expose Rendered");
  }
  return { window, Rendered };
}

/**
 * Replays one fixture object and returns the official `{html, stream}` per step.
 * Mirrors View.onJoin / View.update: `Rendered.extract` strips t/e/r, the join builds a
 * `new Rendered` and renders with `toString(null)`, every later step does `mergeDiff`
 * then `toString(componentCIDs(diff))` (what `renderContainer` does, without the
 * container tag).
 */
export function replay(fixture, official = loadOfficialRendered()) {
  const { window, Rendered } = official;
  const viewId = fixture.view_id || "phx-fixture";
  let rendered = null;
  return fixture.steps.map((step, i) => {
    // Build the diff inside the jsdom realm: the client relies on `instanceof Array`.
    const raw = window.JSON.parse(JSON.stringify(step.diff));
    const { diff } = Rendered.extract(raw);
    let out;
    if (i === 0) {
      rendered = new Rendered(viewId, diff);
      out = rendered.toString(null);
    } else {
      rendered.mergeDiff(diff);
      out = rendered.toString(rendered.componentCIDs(diff));
    }
    return {
      html: out.buffer,
      stream: JSON.parse(JSON.stringify(Array.from(out.streams))),
    };
  });
}

/** The HTML of every component root attribute the client adds, removed. */
function stripClientAttrs(html) {
  return html.replace(/ data-phx-(?:id|component|view)="[^"]*"/g, "");
}

/**
 * Replays a `"compare": "fresh"` fixture; returns the problems found. Each checked step
 * compares the full render of a copy of the merged tree with the step's `html`.
 */
export function replayFresh(name, fixture, official = loadOfficialRendered()) {
  const { window, Rendered } = official;
  const viewId = fixture.view_id || "phx-fixture";
  const inRealm = (v) => window.JSON.parse(JSON.stringify(v));
  const problems = [];
  let rendered = null;
  let checked = 0;
  fixture.steps.forEach((step, i) => {
    if ("diff" in step) {
      const { diff } = Rendered.extract(inRealm(step.diff));
      if (rendered === null) {
        rendered = new Rendered(viewId, diff);
        rendered.toString(null);
      } else {
        rendered.mergeDiff(diff);
        rendered.toString(rendered.componentCIDs(diff));
      }
    }
    if (rendered === null) throw new Error(`${name} step ${i}: the first step must hold the join's diff`);
    (step.reset || []).forEach((cid) => rendered.resetRender(cid));
    if (step.prune) rendered.pruneCIDs(step.prune);
    if (typeof step.html === "string") {
      checked++;
      const copy = new Rendered(viewId, inRealm({}));
      copy.rendered = inRealm(rendered.rendered);
      const full = stripClientAttrs(copy.toString(null).buffer);
      if (full !== step.html) {
        problems.push(
          `${name} step ${i}${step.note ? ` (${step.note})` : ""}: the merged tree differs from a fresh render\n  fresh:    ${JSON.stringify(step.html)}\n  official: ${JSON.stringify(full)}`,
        );
      }
    }
  });
  return { problems, checked };
}

function fixtureFiles(args) {
  if (args.length > 0) return args.map((a) => resolve(a));
  return readdirSync(FIXTURE_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(FIXTURE_DIR, f));
}

/** Compares recorded steps with the official ones; returns a list of problems. */
function compare(name, fixture, results) {
  const problems = [];
  fixture.steps.forEach((step, i) => {
    const got = results[i];
    if (typeof step.html !== "string") {
      problems.push(`${name} step ${i}: missing "html"`);
    } else if (step.html !== got.html) {
      problems.push(
        `${name} step ${i}: html mismatch\n  fixture:  ${JSON.stringify(step.html)}\n  official: ${JSON.stringify(got.html)}`,
      );
    }
    const expectedStream = step.stream || [];
    if (JSON.stringify(expectedStream) !== JSON.stringify(got.stream)) {
      problems.push(
        `${name} step ${i}: stream mismatch\n  fixture:  ${JSON.stringify(expectedStream)}\n  official: ${JSON.stringify(got.stream)}`,
      );
    }
  });
  return problems;
}

function main(argv) {
  const update = argv.includes("--update");
  const stdin = argv.includes("--stdin");
  const args = argv.filter((a) => !a.startsWith("--"));
  const official = loadOfficialRendered();

  if (stdin) {
    const fixture = JSON.parse(readFileSync(0, "utf8"));
    let results;
    try {
      results = replay(fixture, official);
    } catch (e) {
      console.error(`client exception: ${e && e.message}`);
      return 1;
    }
    process.stdout.write(JSON.stringify({ steps: results }, null, 2) + "\n");
    const recorded = fixture.steps.some((s) => "html" in s);
    const problems = recorded ? compare("<stdin>", fixture, results) : [];
    problems.forEach((p) => console.error(p));
    return problems.length ? 1 : 0;
  }

  let failures = 0;
  let steps = 0;
  for (const file of fixtureFiles(args)) {
    const name = file.split("/").pop();
    const fixture = JSON.parse(readFileSync(file, "utf8"));
    if (fixture.compare === "fresh") {
      if (update) {
        console.log(`skipped ${name}: a generated sequence, regenerate it instead`);
        continue;
      }
      let outcome;
      try {
        outcome = replayFresh(name, fixture, official);
      } catch (e) {
        console.error(`not ok ${name}: client exception: ${e && e.message}`);
        failures++;
        continue;
      }
      steps += outcome.checked;
      if (outcome.problems.length) {
        failures++;
        console.error(`not ok ${name}`);
        outcome.problems.forEach((p) => console.error("  " + p));
      } else {
        console.log(`ok ${name} (${fixture.steps.length} steps, ${outcome.checked} checked against a fresh render)`);
      }
      continue;
    }
    let results;
    try {
      results = replay(fixture, official);
    } catch (e) {
      console.error(`not ok ${name}: client exception: ${e && e.message}`);
      failures++;
      continue;
    }
    if (update) {
      fixture.steps.forEach((step, i) => {
        step.html = results[i].html;
        if (results[i].stream.length > 0 || "stream" in step) step.stream = results[i].stream;
      });
      writeFileSync(file, JSON.stringify(fixture, null, 2) + "\n");
      console.log(`updated ${name} (${results.length} steps)`);
      continue;
    }
    const problems = compare(name, fixture, results);
    steps += results.length;
    if (problems.length) {
      failures++;
      console.error(`not ok ${name}`);
      problems.forEach((p) => console.error("  " + p));
    } else {
      console.log(`ok ${name} (${results.length} steps)`);
    }
  }
  if (!update) console.log(`${failures === 0 ? "all fixtures agree" : `${failures} fixture(s) FAILED`} (${steps} steps checked)`);
  return failures ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
