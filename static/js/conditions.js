// Show a field only when another field has a given value (show_if in forms/*.toml).
// A hidden field's inputs are disabled, so the browser neither checks nor sends them;
// the server ignores a hidden field's requirements in the same way.

function currentValues(form, name) {
  const inputs = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
  const values = [];
  for (const input of inputs) {
    if (input.disabled) continue;
    if ((input.type === "checkbox" || input.type === "radio") && !input.checked) continue;
    if (input.tagName === "SELECT" && input.multiple) {
      for (const option of input.selectedOptions) values.push(option.value);
    } else if (input.value !== "") {
      values.push(input.value);
    }
  }
  return values;
}

function matches(values, wanted) {
  // yes_no fields send "yes"/"no"; conditions on them are written as true/false.
  const asText = wanted.map((w) => (w === true ? "yes" : w === false ? "no" : String(w)));
  return values.some((v) => asText.includes(v));
}

function apply(form) {
  for (const wrapper of form.querySelectorAll("[data-show-if-field]")) {
    const wanted = JSON.parse(wrapper.dataset.showIfValues || "[]");
    const source = form.querySelector(`#field-${CSS.escape(wrapper.dataset.showIfField)}`);
    const sourceShown = !source || !source.hidden;
    const shown = sourceShown && matches(currentValues(form, wrapper.dataset.showIfField), wanted);
    wrapper.hidden = !shown;
    for (const input of wrapper.querySelectorAll("input, select, textarea")) {
      input.disabled = !shown;
      if (input.hasAttribute("data-required")) input.required = shown;
    }
  }
}

export function watchConditions(form) {
  apply(form);
  form.addEventListener("change", () => apply(form));
  form.addEventListener("input", () => apply(form));
}

for (const form of document.querySelectorAll("form[data-form-id]")) watchConditions(form);
