// Tests for form.js: the encoding matches the official client's (PROTOCOL §5.1).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { encodeForm, unusedKey } from "../form.js";

describe("unusedKey", () => {
  it("prefixes the last key segment", () => {
    assert.equal(unusedKey("user[name]"), "user[_unused_name]");
    assert.equal(unusedKey("name"), "_unused_name");
    assert.equal(unusedKey("user[tags][]"), "user[_unused_tags][]");
  });
});

describe("encodeForm", () => {
  it("produces the verified PROTOCOL §5.1 example", () => {
    const entries = [["user[name]", "jose"], ["user[email]", ""], ["user[tags][]", "a"], ["user[tags][]", "b"]];
    const fields = [
      { name: "user[name]", type: "text", used: true },
      { name: "user[email]", type: "email", used: false },
      { name: "user[tags][]", type: "checkbox", used: false },
      { name: "user[tags][]", type: "checkbox", used: false },
    ];
    assert.equal(encodeForm(entries, fields),
      "user%5Bname%5D=jose&user%5B_unused_email%5D=&user%5Bemail%5D=&user%5B_unused_tags%5D%5B%5D=&user%5Btags%5D%5B%5D=a&user%5B_unused_tags%5D%5B%5D=&user%5Btags%5D%5B%5D=b");
  });
  it("never marks hidden fields or the submitter unused", () => {
    const entries = [["id", "5"], ["save", "yes"]];
    const fields = [{ name: "id", type: "hidden", used: false }, { name: "save", type: "submit", used: false }];
    assert.equal(encodeForm(entries, fields, { submitterName: "save" }), "id=5&save=yes");
  });
  it("encodes spaces as + and keeps only the named field for input-level phx-change", () => {
    const entries = [["a", "x y"], ["b", "z"]];
    const fields = [{ name: "a", type: "text", used: true }, { name: "b", type: "text", used: false }];
    assert.equal(encodeForm(entries, fields, { onlyNames: ["a"] }), "a=x+y");
  });
  it("honours phx-no-unused-field on the form", () => {
    assert.equal(encodeForm([["a", ""]], [{ name: "a", type: "text", used: false }], { skipUnused: true }), "a=");
  });
  it("drops non-string values such as files", () => {
    assert.equal(encodeForm([["f", {}], ["a", "1"]], [{ name: "a", type: "text", used: true }]), "a=1");
  });
});
