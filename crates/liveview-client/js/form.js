// Form serialisation for phx-change / phx-submit, encoded like the official client (PROTOCOL §5.1).

/** `user[name]` -> `user[_unused_name]`, `tags[]` -> `_unused_tags[]`. */
export function unusedKey(key, prefix = "_unused_") {
  const isArray = key.endsWith("[]");
  let base = isArray ? key.slice(0, -2) : key;
  base = base.replace(/([^[\]]+)(\]?$)/, `${prefix}$1$2`);
  return isArray ? base + "[]" : base;
}

/**
 * Encodes form data. Pure: the DOM is read by `serializeForm`.
 * - `entries`: `[name, value]` pairs in document order (FormData order, files already removed).
 * - `fields`: every named form-associated element: `{name, type, used}` (`used` when the user
 *   typed in it, submitted it, or it carries phx-no-unused-field).
 * - `opts.onlyNames`: restrict to these names; `opts.submitterName`; `opts.skipUnused` (form
 *   carries phx-no-unused-field).
 */
export function encodeForm(entries, fields, opts = {}) {
  const { onlyNames = [], submitterName, skipUnused = false } = opts;
  const unused = {};
  const onlyHidden = {};
  for (const { name, type, used } of fields) {
    if (!name) continue;
    if (unused[name] === undefined) unused[name] = true;
    if (onlyHidden[name] === undefined) onlyHidden[name] = true;
    unused[name] = unused[name] && !used;
    onlyHidden[name] = onlyHidden[name] && type === "hidden";
  }
  const params = new URLSearchParams();
  for (const [key, value] of entries) {
    if (onlyNames.length > 0 && onlyNames.indexOf(key) < 0) continue;
    if (!skipUnused && unused[key] && submitterName !== key && !onlyHidden[key]) {
      params.append(unusedKey(key), "");
    }
    if (typeof value === "string") params.append(key, value);
  }
  return params.toString();
}

/** Marks an input as used (it received input, or its form was submitted). */
export const USED = Symbol("phx-used");

const isFormAssociated = (el) =>
  el && typeof el.name === "string" && ["INPUT", "SELECT", "TEXTAREA", "BUTTON", "OUTPUT", "FIELDSET", "OBJECT"].includes(el.tagName);

/** Serialises a form element in the browser. */
export function serializeForm(form, { submitter, onlyNames = [] } = {}) {
  let injected;
  if (submitter && submitter.name) {
    // Put the submitter in document order, like a real submission would.
    injected = document.createElement("input");
    injected.type = "hidden";
    const formId = submitter.getAttribute("form");
    if (formId) injected.setAttribute("form", formId);
    injected.name = submitter.name;
    injected.value = submitter.value;
    submitter.parentElement.insertBefore(injected, submitter);
  }
  const entries = [];
  new FormData(form).forEach((value, key) => {
    if (typeof value === "string") entries.push([key, value]);
  });
  const fields = Array.from(form.elements)
    .filter((el) => isFormAssociated(el) && el !== injected)
    .map((el) => ({ name: el.name, type: el.type, used: !!el[USED] || el.hasAttribute("phx-no-unused-field") }));
  const encoded = encodeForm(entries, fields, {
    onlyNames,
    submitterName: submitter && submitter.name,
    skipUnused: form.hasAttribute("phx-no-unused-field"),
  });
  if (injected) injected.remove();
  return encoded;
}
