// The form page, enhanced: a record is checked by the form's own rules (validate.js, the messages
// beside their fields), written to the outbox FIRST (with its uuid), then sent. What is typed is
// kept as a draft. A record from the outbox opens here (#sua=<uuid>): a refused one to be corrected,
// a sent one to be edited as a new version, offline too. Without this script, or where IndexedDB
// fails, the form posts to the server the plain way, and the server shows the same messages.

import * as drafts from "./drafts.js";
import * as outbox from "./outbox.js";
import { OUTBOX, get } from "./store.js";
import { TYPES } from "./fieldtypes.js";
import { definitionOf, photoFiles, recordFromForm, summaryOf, typedData } from "./record.js";
import { reasonText } from "./reasons.js";
import { storablePhotos } from "./photos.js";
import { text, url } from "./text.js";
import { uuid4 } from "./uuid.js";
import { validate } from "./validate.js";

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

// Each message beside its field (the form's own words); the first one scrolled to and focused.
function showErrors(form, errors, { focus = false } = {}) {
  for (const old of form.querySelectorAll(".field .error, .js-error")) old.remove();
  for (const place of form.querySelectorAll(".has-error")) place.classList.remove("has-error");
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
  let first = null;
  for (const [name, message] of Object.entries(errors || {})) {
    const place = form.querySelector(`#field-${CSS.escape(name)}`) || form;
    place.classList.add("has-error");
    const p = document.createElement("p");
    p.className = "error js-error";
    p.id = `error-${name}`;
    p.textContent = message;
    place.append(p);
    for (const input of place.querySelectorAll("input, select, textarea")) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", p.id);
    }
    const before = first && first.compareDocumentPosition(place) & Node.DOCUMENT_POSITION_PRECEDING;
    if (!first || before) first = place;
  }
  if (focus && first) {
    first.scrollIntoView({ block: "center" });
    const input = first.querySelector("input:not([type=hidden]):not(:disabled), select, textarea");
    if (input) input.focus({ preventScroll: true });
  }
  return first !== null;
}

// The record as the form's rules read it: {data (clean), errors}.
function checked(form) {
  const { clean, errors } = validate(definitionOf(form), typedData(form));
  return { data: clean, errors };
}

// A new record starts at today (the page may have been kept from an earlier day), and with what
// the link that opened it says: ?date=…&topic=… (broadcast plan), ?group=<uuid> (a village's page).
function today() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

function startAtToday(form) {
  for (const input of form.querySelectorAll("input[type=date]")) {
    if (input.value === form.dataset.today) input.value = today();
  }
}

function linkValues(form) {
  const params = new URLSearchParams(location.search);
  const given = {};
  for (const wrapper of form.querySelectorAll("[data-field]")) {
    const name = wrapper.dataset.field;
    const type = TYPES[wrapper.dataset.type] || {};
    if (params.has(name)) given[name] = type.many ? params.getAll(name) : params.get(name);
    else if (type.summary === "group" && params.has("group")) given[name] = params.get("group");
  }
  return given;
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
      a.href = url("outbox");
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
      show(`${text("rejected")}: ${reasonText(record)}`, { link: true, kind: "error" });
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
  const state = { draft: null, fixing: null, busy: false, tried: false };
  const nextDraft = (notice) => newDraft(form, formId, notice).then((draft) => { state.draft = draft; });
  if (!form.dataset.replaces) startAtToday(form);
  state.ready = (async () => {
    if (fixUuid) {
      const stored = await get(OUTBOX, fixUuid);
      if (stored && stored.state === "rejected") {
        state.fixing = stored;
        fill(form, stored.data);
        showErrors(form, stored.errors, { focus: true });
        if (form.elements.uuid) form.elements.uuid.value = stored.uuid;
        show(text("fixing"), { kind: "error" });
        return;
      }
      if (stored && stored.state === "sent" && stored.form_id === formId) {
        // Editing a record this phone sent: a new version of it, offline too.
        fill(form, stored.data);
        form.dataset.replaces = stored.uuid;
        form.dataset.root = stored.root || stored.uuid;
        state.draft = { id: null, uuid: uuid4() };
        state.apiOnly = true; // this page's plain post would make a new record, not a new version
        if (form.elements.uuid) form.elements.uuid.value = state.draft.uuid;
        show(text("editing"));
        return;
      }
    }
    if (form.dataset.replaces) {
      // An edit of a stored record: no draft, a new uuid for the new version.
      state.draft = { id: null, uuid: uuid4() };
      if (form.elements.uuid) form.elements.uuid.value = state.draft.uuid;
      return;
    }
    // Not fatal: the refused post's copy then stays in the outbox, and the server refuses it again there.
    const kept = await takeBackRefusedPost(form).catch((error) => {
      console.warn("fieldkit: the refused post's outbox copy was not taken back:", error);
      return null;
    });
    await nextDraft(show);
    const given = linkValues(form);
    if (Object.keys(given).length) fill(form, given);
    if (kept) {
      state.draft.uuid = kept;
      form.elements.uuid.value = kept;
    }
    if (kept || Object.keys(given).length) await saveDraft(state, form, show);
  })();

  const save = debounce(() => {
    if (state.draft && state.draft.id && !state.busy) saveDraft(state, form, show);
  }, SAVE_DELAY_MS);
  const recheck = () => {
    if (state.tried) showErrors(form, checked(form).errors);
  };
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("change", recheck);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (state.busy) return; // a double tap: the first one is being saved
    state.tried = true;
    const { data, errors } = checked(form);
    if (showErrors(form, errors, { focus: true })) {
      show(text("not_saved"), { kind: "error" });
      return;
    }
    state.busy = true;
    try {
      await state.ready;
    } catch {
      form.submit(); // IndexedDB unusable here (private mode…): the plain way
      return;
    }
    try {
      await saveSubmission(form, formId, state, show, data);
    } finally {
      state.busy = false;
    }
  });
}

// A draft that cannot be saved (storage full, private mode) says so once, instead of failing silently.
async function saveDraft(state, form, show) {
  try {
    await drafts.save(state.draft, snapshot(form));
    if (state.draftFailed) show(text("draft_saved"));
    state.draftFailed = false;
  } catch {
    if (!state.draftFailed) show(text("draft_failed"), { kind: "error" });
    state.draftFailed = true;
  }
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
  } catch {
    return false; // no answer in time: no plain post now, the outbox sends the record when it can
  } finally {
    clearTimeout(timer);
  }
}

// An edit (of a record on the server, or of one this phone sent) carries the root of the record.
const rootOf = (form) => form.dataset.root || "";

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

async function saveSubmission(form, formId, state, show, data) {
  const { replaces } = recordFromForm(form, data);
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
    ...summaryOf(definitionOf(form), data),
    data,
    photos,
  };
  if (replaces) {
    record.replaces = replaces;
    record.root = rootOf(form);
  }
  // Online and logged in: after the outbox copy is safe, the form also posts the plain way, so
  // the server answers as it does without JavaScript (record page, message). The copy is marked
  // sent on the page it lands on, or goes through the API later if that post never arrived.
  const postNow = !state.apiOnly && navigator.onLine !== false && !(await outbox.loginNeeded()) && (await freshToken(form));
  if (postNow) {
    record.posted_at = Date.now();
    record.landing = url("record_page", { root_uuid: replaces ? rootOf(form) : record.uuid });
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
  startAtToday(form);
  state.tried = false;
  showErrors(form, {});
  show(text("saved"), { link: true });
  window.scrollTo(0, 0);
  follow(record.uuid, show);
  if (replaces) {
    // One new version per edit: the page stays as saved, its button done.
    form.querySelector("button[type=submit]").disabled = true;
    outbox.flush();
    return;
  }
  state.draft = null;
  state.ready = newDraft(form, formId, () => {}).then((draft) => { state.draft = draft; });
  await state.ready;
  outbox.flush();
}

export function start() {
  const form = document.querySelector("form[data-form-id]");
  if (form && "indexedDB" in self) enhance(form);
}
