// Tests for rendered.js: every shared fixture in tests/fixtures/diffs replays to the exact
// HTML the official client produced, plus focused cases per function.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Rendered, modifyRoot, isCid } from "../rendered.js";

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), "../../../../tests/fixtures/diffs");
const fixtureNames = readdirSync(FIXTURES).filter((f) => f.endsWith(".json")).sort();

/** Replays a fixture the way the view does: extract, merge, render with the diff's cids. */
function replay(fixture) {
  let rendered;
  return fixture.steps.map((step, i) => {
    const { diff } = Rendered.extract(structuredClone(step.diff));
    if (i === 0) {
      rendered = new Rendered(fixture.view_id, diff);
      return rendered.toString(null);
    }
    rendered.mergeDiff(diff);
    return rendered.toString(rendered.componentCIDs(diff));
  });
}

describe("shared fixtures", () => {
  it("has the fixtures PROTOCOL §4.5 requires", () => {
    for (const name of ["counter", "conditional", "comprehension", "components", "components_in_comprehension",
      "templates_renumbered", "nested_comprehensions", "comprehension_nested_node", "empty_comprehension",
      "escaped_text", "streams"]) {
      assert.ok(fixtureNames.includes(`${name}.json`), `missing fixture ${name}`);
    }
  });
  for (const name of fixtureNames) {
    it(`${name} renders the official HTML after every step`, () => {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
      const results = replay(fixture);
      fixture.steps.forEach((step, i) => {
        assert.equal(results[i].html, step.html, `${name} step ${i} html`);
        assert.deepEqual(results[i].streams, step.stream || [], `${name} step ${i} streams`);
      });
    });
  }
});

describe("Rendered.extract", () => {
  it("strips top-level t, e and r and returns them", () => {
    const out = Rendered.extract({ 0: "x", t: "T", e: [["a", {}]], r: { ok: 1 } });
    assert.deepEqual(out, { diff: { 0: "x" }, title: "T", reply: { ok: 1 }, events: [["a", {}]] });
  });
  it("defaults reply to null and events to []", () => {
    const out = Rendered.extract({ 0: "x" });
    assert.equal(out.reply, null);
    assert.deepEqual(out.events, []);
    assert.equal(out.title, undefined);
  });
});

describe("mergeDiff", () => {
  it("replaces a node that carries statics", () => {
    const r = new Rendered("v", { 0: { 0: "a", s: ["<i>", "</i>"] }, s: ["", ""] });
    r.mergeDiff({ 0: { s: ["<b>x</b>"] } });
    assert.equal(r.toString(null).html, "<b>x</b>");
  });
  it("throws a TypeError on a move without km", () => {
    const r = new Rendered("v", { 0: { s: ["<li>", "</li>"], k: { 0: { 0: "A" }, 1: { 0: "B" }, kc: 2 } }, s: ["", ""] });
    assert.throws(() => r.mergeDiff({ 0: { k: { 0: 1, kc: 1 } } }), TypeError);
  });
  it("reports component ids and component-only diffs", () => {
    const r = new Rendered("v", { 0: 1, s: ["", ""], c: { 1: { 0: "a", r: 1, s: ["<p>", "</p>"] } } });
    const diff = { c: { 1: { 0: "b" } } };
    r.mergeDiff(diff);
    assert.deepEqual(r.componentCIDs(diff), [1]);
    assert.equal(r.isComponentOnlyDiff(diff), true);
    assert.equal(r.isComponentOnlyDiff({ 0: "x", c: {} }), false);
  });
  it("prunes destroyed components", () => {
    const r = new Rendered("v", { 0: 1, s: ["", ""], c: { 1: { 0: "a", r: 1, s: ["<p>", "</p>"] } } });
    r.pruneCIDs([1]);
    assert.throws(() => r.toString(null), /missing component: 1/);
  });
});

describe("toString", () => {
  it("writes undefined for a missing dynamic and the text of numbers inside strings", () => {
    const r = new Rendered("v", { s: ["<p>", "</p>"] });
    assert.equal(r.toString(null).html, "<p>undefined</p>");
  });
  it("renders a reset component in full even when not listed", () => {
    const r = new Rendered("v", { 0: 1, s: ["", ""], c: { 1: { 0: { 0: "in", s: ["<b>", "</b>"], r: 1 }, r: 1, s: ["<p>", "</p>"] } } });
    r.toString(null);
    r.resetRender(1);
    assert.equal(r.toString([1]).html,
      '<p data-phx-id="c1-v" data-phx-component="1" data-phx-view="v"><b data-phx-id="m1-v">in</b></p>');
  });
});

describe("componentToString", () => {
  it("renders one component without surrounding whitespace", () => {
    const r = new Rendered("v", { 0: 1, s: ["", ""], c: { 1: { 0: "a", r: 1, s: ["\n <p>", "</p>\n"] } } });
    assert.equal(r.componentToString(1).html, '<p data-phx-id="c1-v" data-phx-component="1" data-phx-view="v">a</p>');
  });
});

describe("modifyRoot", () => {
  it("inserts attributes right after the tag name", () => {
    assert.deepEqual(modifyRoot('<div class="a">x</div>', { "data-phx-id": "m1-v" }),
      ['<div data-phx-id="m1-v" class="a">x</div>', "", ""]);
  });
  it("keeps only the id in a skip stub and self-closes void tags", () => {
    assert.equal(modifyRoot('<input id="i" value="1">', { a: "1", b: true }, true)[0], '<input id="i" a="1" b/>');
    assert.equal(modifyRoot("<p id='x'>hi</p>", { b: true }, true)[0], '<p id="x" b></p>');
  });
  it("splits off leading and trailing whitespace and comments", () => {
    assert.deepEqual(modifyRoot("\n <!-- a --> <p>x</p> <!-- z -->\n", {}),
      ["<p>x</p>", "\n <!-- a --> ", " <!-- z -->\n"]);
  });
  it("throws on html without a root tag", () => {
    assert.throws(() => modifyRoot("text", {}), /malformed html/);
  });
});

describe("isCid", () => {
  it("accepts numbers and digit strings only", () => {
    assert.equal(isCid(3), true);
    assert.equal(isCid("12"), true);
    assert.equal(isCid("01"), false);
    assert.equal(isCid(["a"]), false);
  });
});
