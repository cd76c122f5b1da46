// Read a form page (/forms/<id>/new) into the record POST /api/v1/submissions takes:
// {uuid, form_id, form_version, commune, data[, replaces]}. Each field's wrapper carries
// data-field (its name) and data-type (its type); hidden (conditional) fields are left out.
// Photos are not in `data`: they travel separately (POST /api/v1/media), see photoFiles().
import { uuid4 } from "./uuid.js";

function number(text) {
  const value = Number(String(text).replace(",", "."));
  return text === "" || Number.isNaN(value) ? text : value;
}

function fieldValue(wrapper) {
  const name = wrapper.dataset.field;
  const inputs = Array.from(wrapper.querySelectorAll("input, select, textarea")).filter((i) => !i.disabled);
  const named = inputs.filter((i) => i.name === name);
  switch (wrapper.dataset.type) {
    case "multi_choice":
      return named.filter((i) => i.checked).map((i) => i.value);
    case "choice":
    case "yes_no": {
      const radios = named.filter((i) => i.type === "radio");
      const chosen = radios.length ? radios.find((i) => i.checked)?.value ?? "" : named[0]?.value ?? "";
      if (wrapper.dataset.type === "yes_no") return chosen === "" ? null : chosen === "yes";
      return chosen;
    }
    case "integer":
    case "decimal":
      return number(named[0]?.value ?? "");
    case "gps": {
      const lat = inputs.find((i) => i.name === `${name}__lat`)?.value ?? "";
      const lon = inputs.find((i) => i.name === `${name}__lon`)?.value ?? "";
      return lat === "" && lon === "" ? null : { lat: number(lat), lon: number(lon) };
    }
    case "photo":
      return undefined;
    default:
      return named[0]?.value ?? "";
  }
}

export function recordFromForm(form) {
  const data = {};
  for (const wrapper of form.querySelectorAll("[data-field]")) {
    if (wrapper.hidden) continue;
    const value = fieldValue(wrapper);
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) continue;
    data[wrapper.dataset.field] = value;
  }
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
