// @ts-check
// The outbox: every submission is written here first, then sent. One record never blocks another.
//   waiting   saved, not tried yet (or put back after a 401: login needed)
//   sending   frozen: a tab is sending it now
//   failed    network error or 5xx; retried with backoff (next_try)
//   rejected  the server refused it (409, 422, other 4xx); kept with the reason, never dropped
//   sent      the server answered 2xx
// The content of a record is frozen from the moment it is added; only a 422-rejected record
// may be corrected (same uuid: the server stored nothing for it) and then waits again.

import { DRAFTS, META, OUTBOX, getAll, promised, put, remove, transact } from "./store.js";
import { postPhoto, postSubmission } from "./connection.js";
import { photoBlob } from "./photos.js";
import { nextTryAt } from "./backoff.js";
import { setting } from "./text.js";

/** @typedef {import("./store.js").OutboxRecord} OutboxRecord */

export const STATES = ["waiting", "sending", "failed", "rejected", "sent"];
/** @type {OutboxRecord["state"][]} */
const SENDABLE = ["waiting", "failed"];
const LOCK = "fieldkit-outbox";
const STALE_SENDING_MS = 2 * 60 * 1000;
// A record the form also posted the plain way waits this long for its landing page before the
// API sends it (same uuid, so a late duplicate is answered "already have it").
const POSTED_GRACE_MS = 15 * 1000;

export class DraftGone extends Error {}

export const events = new EventTarget();
const channel = "BroadcastChannel" in self ? new BroadcastChannel(LOCK) : null;
if (channel) channel.onmessage = () => events.dispatchEvent(new Event("change"));
let running = null;
let timer = null;
let again = false;

// The retry backoff is the server's (config.py), read from the page each time it is needed.
const backoff = () => ({ baseMs: Number(setting("retry_base_ms")), capMs: Number(setting("retry_cap_ms")) });

function changed() {
  events.dispatchEvent(new Event("change"));
  if (channel) channel.postMessage("change");
}

/** @returns {Promise<OutboxRecord[]>} every record, oldest first */
export async function list() {
  const records = await getAll(OUTBOX);
  return records.sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));
}

export async function loginNeeded() {
  const flags = await getAll(META);
  return flags.some((f) => f.key === "login-needed" && f.value);
}

// Add a record (and consume the draft it came from in the same transaction: a draft sent from
// one tab cannot be sent again from another). Rejects with DraftGone when the draft is gone.
/**
 * @param {Omit<OutboxRecord, "state" | "attempts" | "next_try" | "reason" | "errors" | "status" | "updated">} record
 * @param {string|null} draftId
 * @returns {Promise<OutboxRecord>}
 */
export async function add(record, draftId = null) {
  const now = new Date().toISOString();
  /** @type {OutboxRecord} */
  const full = {
    ...record, state: "waiting", attempts: 0, next_try: 0, reason: null, errors: null, status: null,
    created: record.created || now, updated: now,
  };
  await transact([OUTBOX, DRAFTS], "readwrite", async (s) => {
    if (draftId !== null) {
      const draft = await promised(s[DRAFTS].get(draftId));
      if (!draft || draft.uuid !== record.uuid) throw new DraftGone();
      await promised(s[DRAFTS].delete(draftId));
    }
    await promised(s[OUTBOX].add(full)); // add, not put: a uuid goes in once
  });
  changed();
  return full;
}

// Change a record if it is in one of `from` states; return the new record or null.
/**
 * @param {string} uuid
 * @param {OutboxRecord["state"][]} from
 * @param {Partial<OutboxRecord> | ((record: OutboxRecord) => Partial<OutboxRecord>)} changes
 * @returns {Promise<OutboxRecord|null>}
 */
async function move(uuid, from, changes) {
  const result = await transact(OUTBOX, "readwrite", async (s) => {
    const record = await promised(s[OUTBOX].get(uuid));
    if (!record || !from.includes(record.state)) return null;
    const next = { ...record, ...(typeof changes === "function" ? changes(record) : changes) };
    next.updated = new Date().toISOString();
    await promised(s[OUTBOX].put(next));
    return next;
  });
  if (result) changed();
  return result;
}

// The plain post of a record landed on its record page: the server has it.
export async function confirmLanding(path) {
  for (const record of await list()) {
    if (record.landing === path && record.state === "waiting") {
      await move(record.uuid, ["waiting"], { state: "sent", sent_at: new Date().toISOString(), status: 303 });
    }
  }
}

export async function discard(uuid) {
  await remove(OUTBOX, uuid);
  changed();
}

// A record the server refused for invalid content: put the corrected data in, send again.
export function correct(uuid, data, photos) {
  return move(uuid, ["rejected"], (r) => ({
    data, photos: photos || r.photos, state: "waiting", attempts: 0, next_try: 0, reason: null, errors: null,
    status: null,
  }));
}

// "Thử gửi lại" on a set-aside record (e.g. after logging in as the right user).
export const retry = (uuid) => move(uuid, ["rejected", "failed"], { state: "waiting", next_try: 0 });

export async function clearSent() {
  const sent = (await list()).filter((r) => r.state === "sent");
  await transact(OUTBOX, "readwrite", async (s) => {
    for (const record of sent) await promised(s[OUTBOX].delete(record.uuid));
  });
  changed();
  return sent.length;
}

/**
 * What POST submissions takes of a record.
 * @param {OutboxRecord} record
 * @returns {import("./connection.js").SubmissionPayload}
 */
function payload(record) {
  const { uuid, form_id, form_version, commune, data, created, replaces } = record;
  const body = { uuid, form_id, form_version, commune, data, created_at: created };
  if (replaces) body.replaces = replaces;
  return body;
}

// The one error shape (fieldkit/errors.py): {error: code word, message: sentence, errors: {field: message}}.
const reasonOf = (result) => (result.json && result.json.message) || null;

// Photos go after their record (the server links them by its uuid); each one once, by its hash.
async function sendPhotos(record, submitted) {
  const photos = record.photos || [];
  for (let i = 0; i < photos.length; i += 1) {
    if (photos[i].uploaded) continue;
    const result = await postPhoto(record.uuid, photos[i].field, photoBlob(photos[i]));
    if (result.kind !== "ok") return result;
    await move(record.uuid, ["sending"], (r) => ({
      photos: r.photos.map((p, n) => (n === i ? { ...p, uploaded: true } : p)),
    }));
  }
  return submitted;
}

/**
 * Send one record (and its photos) and set its next state.
 * @param {OutboxRecord} record
 * @returns {Promise<string>} what happened: sent, login, network, server, rejected or skipped
 */
async function sendOne(record) {
  const claimed = await move(record.uuid, SENDABLE, (r) => ({
    state: "sending", attempts: r.attempts + 1, claimed_at: Date.now(),
  }));
  if (!claimed) return "skipped"; // another tab took it
  const submitted = await postSubmission(payload(claimed));
  const result = submitted.kind === "ok" ? await sendPhotos(claimed, submitted) : submitted;
  const base = { status: result.status, claimed_at: null };
  switch (result.kind) {
    case "ok":
      await move(claimed.uuid, ["sending"], { ...base, state: "sent", sent_at: new Date().toISOString(), reason: null, errors: null });
      return "sent";
    case "login":
      // Not the record's fault: it waits, untouched, for the next login.
      await move(claimed.uuid, ["sending"], { ...base, state: "waiting", attempts: claimed.attempts - 1 });
      await put(META, { key: "login-needed", value: true });
      return "login";
    case "retry":
      await move(claimed.uuid, ["sending"], {
        ...base, state: "failed", reason: result.status ? "server" : "network",
        next_try: nextTryAt(claimed.attempts, backoff()),
      });
      return result.status ? "server" : "network";
    default: // conflict, invalid, refused
      await move(claimed.uuid, ["sending"], {
        ...base, state: "rejected", reason: reasonOf(result) || result.kind,
        kind: result.kind, errors: (result.json && result.json.errors) || null,
      });
      return "rejected";
  }
}

// A tab that died while sending left its records in "sending": put them back.
async function recoverStale(holdsLock) {
  const now = Date.now();
  for (const record of await list()) {
    if (record.state === "sending" && (holdsLock || now - (record.claimed_at || 0) > STALE_SENDING_MS)) {
      await move(record.uuid, ["sending"], { state: "waiting", claimed_at: null });
    }
  }
}

async function pass({ force, holdsLock }) {
  await recoverStale(holdsLock);
  const now = Date.now();
  const due = (await list()).filter((r) => SENDABLE.includes(r.state)
    && (force || (r.next_try || 0) <= now) && now - (r.posted_at || 0) >= POSTED_GRACE_MS);
  let sent = 0;
  let answered = false; // the server answered with the session alive
  for (const record of due) {
    const outcome = await sendOne(record);
    if (outcome === "sent") sent += 1;
    if (outcome === "login" || outcome === "network") break; // the rest would fail the same way
    if (outcome !== "skipped") answered = true;
  }
  if (answered) await remove(META, "login-needed");
  return sent;
}

function schedule() {
  clearTimeout(timer);
  list().then((records) => {
    const next = Math.min(
      ...records.filter((r) => r.state === "failed").map((r) => r.next_try),
      ...records.filter((r) => r.state === "waiting" && r.posted_at).map((r) => r.posted_at + POSTED_GRACE_MS),
    );
    if (Number.isFinite(next)) timer = setTimeout(() => flush(), Math.max(0, next - Date.now()) + 50);
  });
}

// Send what is due. Tabs take turns through a Web Lock where there is one; without it (plain
// HTTP) the per-record claim above still keeps two tabs from sending the same record at once.
export function flush({ force = false } = {}) {
  if (running) {
    again = true; // a record added while a pass runs goes in the next pass
    return running;
  }
  if (navigator.onLine === false) return Promise.resolve(0);
  const work = async (holdsLock) => {
    try { return await pass({ force, holdsLock }); } finally { schedule(); }
  };
  running = (navigator.locks ? navigator.locks.request(LOCK, () => work(true)) : work(false))
    .finally(() => {
      running = null;
      changed();
      if (again) {
        again = false;
        flush();
      }
    });
  return running;
}

// Start sending: now, and whenever the phone comes back online.
export function start() {
  self.addEventListener("online", () => flush({ force: true }));
  return flush();
}
