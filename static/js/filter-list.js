// A search box over a long list of checkboxes (the 54 ethnic groups): typing "dao" or "hmong" shows
// the matching ones, ignoring case and diacritics as the server's fold() does. Ticked ones stay shown.

function fold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().trim();
}

for (const box of document.querySelectorAll("input[data-filters]")) {
  const list = document.getElementById(box.dataset.filters);
  if (!list) continue;
  box.hidden = false;
  box.addEventListener("input", () => {
    const wanted = fold(box.value);
    for (const item of list.querySelectorAll("li")) {
      const input = item.querySelector("input");
      item.hidden = Boolean(wanted) && !input.checked && !fold(item.textContent).includes(wanted);
    }
  });
}
