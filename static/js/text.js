// The one channel from the server to the scripts: the page's JSON blocks (<script type="application/json"
// data-script-data>, templates/_script_data.html) carry the words (translated on the server, like every
// other text), the URLs (from url_for) and the settings (from config.py). Scripts hold none of their own.

let merged = null;

function data() {
  if (!merged) {
    merged = { words: {}, urls: {}, settings: {} };
    for (const node of document.querySelectorAll("script[data-script-data]")) {
      const block = JSON.parse(node.textContent);
      for (const part of Object.keys(merged)) Object.assign(merged[part], block[part]);
    }
  }
  return merged;
}

// Put values into "{name}" places.
function filled(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** The page's words for `key`, with `values` put into its {name} places; the key itself if the page has none. */
export function text(key, values = {}) {
  const words = data().words;
  if (key in words) return filled(words[key], values);
  console.warn(`fieldkit: the page gives no words for ${key}`); // a template misses it: tests/test_scripts.py
  return key;
}

/** The URL the server named `name`, with each of `values` (encoded) put into its {name} places. */
export function url(name, values = {}) {
  const template = data().urls[name];
  if (template === undefined) throw new Error(`the page gives no URL named ${name}`);
  const encoded = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, encodeURIComponent(v)]));
  return filled(template, encoded);
}

/** A setting the server gives the page (the signed-in user, the outbox's retry backoff), or undefined. */
export function setting(name) {
  return data().settings[name];
}
