// Read a form page (/forms/<id>/new, /records/<root>/edit) into the record POST /api/v1/submissions
// takes: {uuid, form_id, form_version, commune, data[, replaces]}. Each field's wrapper carries
// data-field (its name) and data-type (its type, read by fieldtypes.js). typedData() holds the values
// as typed; validate.js turns them into the clean data that is stored and sent. Photos are not in
// `data`: they travel separately (POST /api/v1/media), see photoFiles().
import { TYPES } from "./fieldtypes.js";
import { uuid4 } from "./uuid.js";
import { validate } from "./validate.js";

// The form's definition (rules, messages, choices) as the page carries it.
export function definitionOf(form) {
  const node = document.getElementById("form-definition");
  return node && form ? JSON.parse(node.textContent) : null;
}

export function typedData(form) {
  const data = {};
  for (const wrapper of form.querySelectorAll("[data-field]")) {
    if (wrapper.hidden) continue;
    const value = TYPES[wrapper.dataset.type]?.read(wrapper);
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) continue;
    data[wrapper.dataset.field] = value;
  }
  return data;
}

// The record of the form; `data` defaults to the clean values the form's rules accept.
export function recordFromForm(form, data = validate(definitionOf(form), typedData(form)).clean) {
  const uuidInput = form.querySelector("input[name=uuid]");
  if (uuidInput && !uuidInput.value) uuidInput.value = uuid4();
  const version = form.dataset.formVersion;
  const record = {
    uuid: uuidInput ? uuidInput.value : uuid4(),
    form_id: form.dataset.formId,
    form_version: /^\d+$/.test(version) ? Number(version) : version,
    commune: form.dataset.commune,
    created_at: new Date().toISOString(),
    data,
  };
  if (form.dataset.replaces) record.replaces = form.dataset.replaces;
  return record;
}

// What the outbox shows of a record instead of its uuid: the form, the village and the date.
export function summaryOf(definition, data) {
  const summary = { title: definition.title, labels: {} };
  for (const field of definition.fields) {
    summary.labels[field.name] = field.label;
    const kind = TYPES[field.type].summary;
    const value = data[field.name];
    if (!kind || value === undefined || summary[kind] !== undefined) continue;
    summary[kind] = kind === "group" ? (field.choices.find((c) => c.value === value) || {}).label || "" : value;
  }
  return summary;
}

export function photoFiles(form) {
  // [{field, file}] for each chosen photo, to send after the record with its uuid.
  const files = [];
  for (const wrapper of form.querySelectorAll('[data-type="photo"]')) {
    if (wrapper.hidden) continue;
    for (const input of wrapper.querySelectorAll("input[type=file]")) {
      for (const file of input.files) files.push({ field: wrapper.dataset.field, file });
    }
  }
  return files;
}
