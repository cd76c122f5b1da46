// The phone's validator: the rules and messages of a form definition (the JSON of
// GET /api/v1/forms/<id>, also carried by the form page) applied as fieldkit/formspec/validate.py
// applies them, so that what the server would refuse never enters the outbox.
//   validate(definition, data) -> {clean, errors}: errors maps a field's name to its message.

import { Invalid, TYPES, nfc } from "./fieldtypes.js";

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

export function isEmpty(value) {
  if (value === null || value === undefined) return true;
  if (typeof value === "string") return nfc(value) === "";
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.values(value).every(isEmpty);
  return false;
}

const known = (value) => value !== null && value !== undefined;

// The key of the first rule (min, max, pattern, at_most) the clean value breaks, or null.
function broken(field, value, clean) {
  const type = TYPES[field.type];
  if (type.bounds) {
    const measure = type.measure(value);
    if (known(field.min) && measure < field.min) return "min";
    if (known(field.max) && measure > field.max) return "max";
  }
  if (known(field.pattern) && !new RegExp(`^(?:${field.pattern})$`, "u").test(value)) return "pattern";
  const whole = field.at_most ? clean[field.at_most] : undefined;
  if (typeof whole === "number" && value > whole) return "at_most";
  return null;
}

export function isVisible(field, clean, byName) {
  const condition = field.show_if;
  if (!condition) return true;
  const source = byName[condition.field];
  if (!source || !isVisible(source, clean, byName)) return false;
  const value = clean[condition.field];
  if (Array.isArray(value)) return value.some((v) => condition.equals.includes(v));
  return known(value) && condition.equals.includes(value);
}

export function validate(definition, data) {
  if (!isObject(data)) return { clean: {}, errors: { data: definition.messages.data } };
  const clean = {};
  const errors = {};
  const byName = Object.fromEntries(definition.fields.map((f) => [f.name, f]));
  for (const key of Object.keys(data)) {
    if (!(key in byName)) errors[key.slice(0, 60)] = definition.messages.unknown;
  }
  for (const field of definition.fields) {
    if (!isVisible(field, clean, byName)) continue;
    let problem = null;
    let value = data[field.name];
    if (isEmpty(value)) {
      problem = field.required ? "required" : null;
    } else {
      try {
        value = TYPES[field.type].convert(value, (field.choices || []).map((c) => c.value));
        problem = broken(field, value, clean);
      } catch (error) {
        if (!(error instanceof Invalid)) throw error;
        problem = error.message;
      }
      if (problem === null) clean[field.name] = value;
    }
    if (problem) errors[field.name] = field.messages[problem];
  }
  return { clean, errors };
}
