// Tests for dom_patch.js helpers that need no browser.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { indexStreams } from "../dom_patch.js";

describe("indexStreams", () => {
  it("indexes inserts, deletes and resets (reset is the presence of a 4th element)", () => {
    const { inserts, deletes, resets } = indexStreams([
      ["0", [["songs-1", -1, null, false], ["songs-2", 0, -3, true]], ["songs-9"]],
      ["1", [], [], false],
    ]);
    assert.deepEqual(inserts.get("songs-2"), { ref: "0", at: 0, limit: -3, updateOnly: true });
    assert.ok(deletes.has("songs-9"));
    assert.deepEqual([...resets], ["1"]);
  });
});
