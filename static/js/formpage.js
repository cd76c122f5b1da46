// The form page, enhanced: a submission is written to the outbox FIRST (with its uuid), then sent.
// What is typed is kept as a draft; a 422-rejected record opens here (#sua=<uuid>) to be corrected.
// Without this script, or where IndexedDB fails, the form posts to the server the plain way.

import * as drafts from "./drafts.js";
import * as outbox from "./outbox.js";
import { OUTBOX, get } from "./store.js";
import { photoFiles, recordFromForm } from "./record.js";
import { storablePhotos } from "./photos.js";
import { settings, text } from "./text.js";
import { uuid4 } from "./uuid.js";

const SKIP = new Set(["csrf_token", "uuid"]);
const SAVE_DELAY_MS = 300;
const TOKEN_TIMEOUT_MS = 8000;

function named(form) {
  return Array.from(form.elements).filter((el) => el.name && !SKIP.has(el.name)
    && !el.disabled && !["submit", "button", "reset", "file"].includes(el.type));
}

// What the officer has typed, input by input, for the draft (record.js reads the typed record).
export function snapshot(form) {
  const values = {};
  for (const el of named(form)) {
    if (el.type === "checkbox") {
      values[el.name] = values[el.name] || [];
      if (el.checked) values[el.name].push(el.value);
    } else if (el.type === "radio") {
      if (el.checked) values[el.name] = el.value;
    } else if (el.multiple) {
      values[el.name] = Array.from(el.selectedOptions, (o) => o.value);
    } else if (el.value !== "") {
      values[el.name] = el.value;
    }
  }
  return values;
}

// Put values back into the inputs: a draft's snapshot, or a refused record's data.
export function fill(form, data) {
  const flat = { ...data };
  for (const [name, value] of Object.entries(data)) {
    if (value && typeof value === "object" && "lat" in value) {
      flat[`${name}__lat`] = value.lat;
      flat[`${name}__lon`] = value.lon;
    }
  }
  data = flat;
  for (const el of named(form)) {
    if (!(el.name in data)) continue;
    const value = data[el.name];
    if (el.type === "checkbox") el.checked = Array.isArray(value) ? value.includes(el.value) : Boolean(value);
    else if (el.type === "radio") el.checked = String(value) === el.value || (typeof value === "boolean" && el.value === (value ? "yes" : "no"));
    else if (el.multiple) for (const o of el.options) o.selected = [].concat(value).includes(o.value);
    else el.value = value;
  }
}

function showErrors(form, errors) {
  for (const old of form.querySelectorAll(".js-error")) old.remove();
  for (const [name, message] of Object.entries(errors || {})) {
    const el = form.elements[name];
    const first = el && (el.length !== undefined && !el.tagName ? el[0] : el);
    const place = (first && first.closest(".field")) || form;
    place.classList.add("has-error");
    const p = document.createElement("p");
    p.className = "error js-error";
    p.textContent = message;
    place.append(p);
  }
}

function statusLine(form) {
  const line = document.createElement("p");
  line.className = "flash outbox-status";
  line.setAttribute("role", "status");
  line.hidden = true;
  form.before(line);
  return (message, { link = false, kind = "info" } = {}) => {
    line.hidden = false;
    line.className = `flash flash-${kind} outbox-status`;
    line.textContent = message + " ";
    if (link) {
      const a = document.createElement("a");
      a.href = settings().outboxUrl || "/outbox";
      a.textContent = text("outbox_link");
      line.append(a);
    }
  };
}

function debounce(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

async function newDraft(form, formId, show) {
  const claimed = await drafts.claim(formId);
  if (!claimed.restored) await drafts.save(claimed.draft, {});
  if (claimed.restored && Object.keys(claimed.draft.data).length) {
    fill(form, claimed.draft.data);
    show(text("draft_restored"));
  } else if (claimed.taken) {
    show(text("draft_taken"));
  }
  if (form.elements.uuid) form.elements.uuid.value = claimed.draft.uuid;
  return claimed.draft;
}

// Show each state change of the record just saved, until it is sent or set aside.
function follow(uuid, show) {
  const update = async () => {
    const record = await get(OUTBOX, uuid);
    if (!record) return;
    if (record.state === "sent") {
      show(text("sent"), { link: true, kind: "success" });
      outbox.events.removeEventListener("change", update);
    } else if (record.state === "rejected") {
      show(`${text("rejected")}: ${record.reason}`, { link: true, kind: "error" });
      outbox.events.removeEventListener("change", update);
    } else if (record.state === "waiting" && (await outbox.loginNeeded())) {
      show(text("login"), { link: true, kind: "error" });
    }
  };
  outbox.events.addEventListener("change", update);
}

function enhance(form) {
  const formId = form.dataset.formId;
  const show = statusLine(form);
  const fixUuid = new URLSearchParams(location.hash.slice(1)).get("sua");
  const state = { draft: null, fixing: null, busy: false };
  const nextDraft = (notice) => newDraft(form, formId, notice).then((draft) => { state.draft = draft; });
  state.ready = (async () => {
    if (fixUuid) {
      state.fixing = await get(OUTBOX, fixUuid);
      if (state.fixing && state.fixing.state === "rejected") {
        fill(form, state.fixing.data);
        showErrors(form, state.fixing.errors);
        if (form.elements.uuid) form.elements.uuid.value = state.fixing.uuid;
        show(text("fixing"), { kind: "error" });
        return;
      }
      state.fixing = null;
    }
    if (form.dataset.replaces) {
      // An edit of a stored record: no draft, a new uuid for the new version.
      state.draft = { id: null, uuid: uuid4() };
      if (form.elements.uuid) form.elements.uuid.value = state.draft.uuid;
      return;
    }
    const kept = await takeBackRefusedPost(form).catch(() => null);
    await nextDraft(show);
    if (kept) {
      state.draft.uuid = kept;
      form.elements.uuid.value = kept;
      await drafts.save(state.draft, snapshot(form));
    }
  })();

  const save = debounce(() => {
    if (state.draft && state.draft.id && !state.busy) drafts.save(state.draft, snapshot(form)).catch(() => {});
  }, SAVE_DELAY_MS);
  form.addEventListener("input", save);
  form.addEventListener("change", save);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (state.busy) return; // a double tap: the first one is being saved
    if (!form.checkValidity()) {
      form.reportValidity();
      return;
    }
    state.busy = true;
    try {
      await state.ready;
    } catch (error) {
      form.submit(); // IndexedDB unusable here (private mode…): the plain way
      return;
    }
    try {
      await saveSubmission(form, formId, state, show);
    } finally {
      state.busy = false;
    }
  });
}

// The page may come from the worker's cache, hours old, or another request may have renewed the
// session: take a current CSRF token for the plain post, and learn on the way whether the server
// answers and the session is alive (a redirect to /login means it is not).
async function freshToken(form) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TOKEN_TIMEOUT_MS);
  try {
    const response = await fetch(location.pathname + location.search, {
      credentials: "same-origin", cache: "no-store", signal: controller.signal,
    });
    if (!response.ok || response.redirected || !form.elements.csrf_token) return false;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const token = page.querySelector("form[data-form-id] input[name=csrf_token]");
    if (!token) return false;
    form.elements.csrf_token.value = token.value;
    return true;
  } catch (error) {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// On /records/<root>/edit the record page to land on is /records/<root>.
function rootOf() {
  const match = location.pathname.match(/^\/records\/([^/]+)\//);
  return match ? match[1] : "";
}

// The server re-showed the form with its errors after a plain post: that post's outbox copy is
// dropped (the server refused it; the officer corrects it on screen) and its uuid is kept.
async function takeBackRefusedPost(form) {
  const uuid = form.elements.uuid && form.elements.uuid.value;
  if (!uuid || !form.querySelector(".has-error")) return null;
  const record = await get(OUTBOX, uuid);
  if (!record || !record.posted_at || record.state !== "waiting") return null;
  await outbox.discard(uuid);
  return uuid;
}

async function saveSubmission(form, formId, state, show) {
  const { data, replaces } = recordFromForm(form);
  const photos = await storablePhotos(photoFiles(form));
  if (state.fixing) {
    await outbox.correct(state.fixing.uuid, data, photos.length ? photos : null);
    follow(state.fixing.uuid, show);
    show(text("saved"), { link: true });
    outbox.flush({ force: true });
    return;
  }
  const record = {
    uuid: state.draft.uuid,
    form_id: formId,
    form_version: Number(form.dataset.formVersion),
    commune: form.dataset.commune,
    title: (document.querySelector("h1") || document).textContent.trim(),
    data,
    photos,
  };
  if (replaces) record.replaces = replaces;
  // Online and logged in: after the outbox copy is safe, the form also posts the plain way, so
  // the server answers as it does without JavaScript (record page, message). The copy is marked
  // sent on the page it lands on, or goes through the API later if that post never arrived.
  const postNow = navigator.onLine !== false && !(await outbox.loginNeeded()) && (await freshToken(form));
  if (postNow) {
    record.posted_at = Date.now();
    record.landing = `/records/${replaces ? rootOf() : record.uuid}`;
  }
  try {
    await outbox.add(record, state.draft.id);
  } catch (error) {
    if (error instanceof outbox.DraftGone || (error && error.name === "ConstraintError")) {
      show(text("draft_gone"), { kind: "error" });
      form.reset();
      state.ready = newDraft(form, formId, () => {}).then((draft) => { state.draft = draft; });
      await state.ready;
      return;
    }
    form.submit();
    return;
  }
  if (postNow) {
    form.submit();
    return;
  }
  form.reset();
  showErrors(form, {});
  show(text("saved"), { link: true });
  window.scrollTo(0, 0);
  follow(record.uuid, show);
  state.draft = null;
  state.ready = newDraft(form, formId, () => {}).then((draft) => { state.draft = draft; });
  await state.ready;
  outbox.flush();
}

export function start() {
  const form = document.querySelector("form[data-form-id]");
  if (form && "indexedDB" in self) enhance(form);
}
