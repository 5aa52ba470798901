// Form serialisation, encoded like the official client (PROTOCOL §5.1).

export function unusedKey(key) {
  const isArray = key.endsWith("[]");
  const base = (isArray ? key.slice(0, -2) : key).replace(/([^[\]]+)(\]?$)/, "_unused_$1$2");
  return isArray ? base + "[]" : base;
}

// entries: [name, value]; fields: {name, type, used}.
export function encodeForm(entries, fields, { onlyNames = [], submitterName, skipUnused = false } = {}) {
  const unused = {};
  const onlyHidden = {};
  for (const { name, type, used } of fields) {
    if (!name) continue;
    unused[name] = unused[name] !== false && !used;
    onlyHidden[name] = onlyHidden[name] !== false && type === "hidden";
  }
  const params = new URLSearchParams();
  for (const [key, value] of entries) {
    if (onlyNames.length > 0 && !onlyNames.includes(key)) continue;
    if (!skipUnused && unused[key] && submitterName !== key && !onlyHidden[key]) params.append(unusedKey(key), "");
    if (typeof value === "string") params.append(key, value);
  }
  return params.toString();
}

export const USED = Symbol("phx-used");
// Whether the user has focused/typed into or submitted `el` (the official export of that name).
export const isUsedInput = (el) => !!el[USED];

const CONTROLS = ["INPUT", "SELECT", "TEXTAREA", "BUTTON", "OUTPUT", "FIELDSET", "OBJECT"];

export function serializeForm(form, { submitter, onlyNames = [] } = {}) {
  let injected;
  if (submitter && submitter.name) {
    // The submitter, in document order.
    injected = document.createElement("input");
    injected.type = "hidden";
    const formId = submitter.getAttribute("form");
    if (formId) injected.setAttribute("form", formId);
    injected.name = submitter.name;
    injected.value = submitter.value;
    submitter.before(injected);
  }
  const entries = [];
  new FormData(form).forEach((value, key) => typeof value === "string" && entries.push([key, value]));
  const fields = [...form.elements]
    .filter((el) => el !== injected && typeof el.name === "string" && CONTROLS.includes(el.tagName))
    .map((el) => ({ name: el.name, type: el.type, used: !!el[USED] || el.hasAttribute("phx-no-unused-field") }));
  const encoded = encodeForm(entries, fields, {
    onlyNames,
    submitterName: submitter && submitter.name,
    skipUnused: form.hasAttribute("phx-no-unused-field"),
  });
  if (injected) injected.remove();
  return encoded;
}

// `attr` keeps the old `prop` while `prop` is true; returns the undo.
export function lock(el, attr, prop) {
  if (el.hasAttribute(attr)) return () => {};
  const was = el[prop];
  el.setAttribute(attr, was);
  el[prop] = true;
  return () => {
    el[prop] = was;
    el.removeAttribute(attr);
  };
}
