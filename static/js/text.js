// The words scripts show, taken from the page (translated on the server, like every other text).

export function text(key) {
  const node = document.querySelector(`#fk-offline [data-text="${key}"]`);
  return node ? node.textContent.trim() : key;
}

export function settings() {
  const node = document.getElementById("fk-offline");
  return node ? node.dataset : {};
}
