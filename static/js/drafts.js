// Drafts: what the officer has typed so far, saved in IndexedDB as they type. A draft is held by
// one tab at a time (a Web Lock, or a BroadcastChannel question where locks are missing), so the
// same draft cannot be sent from two tabs; outbox.add() consumes it in one transaction as well.

import { DRAFTS, promised, put, remove, transact } from "./store.js";
import { uuid4 } from "./uuid.js";

const ASK_MS = 150;
const held = new Set();
const channel = "BroadcastChannel" in self ? new BroadcastChannel("fieldkit-drafts") : null;
if (channel) {
  channel.onmessage = (event) => {
    const { type, id } = event.data || {};
    if (type === "who-holds" && held.has(id)) channel.postMessage({ type: "held", id });
  };
}

function lockWithWebLocks(id) {
  return new Promise((resolve) => {
    navigator.locks.request(`fieldkit-draft:${id}`, { ifAvailable: true }, (lock) => {
      resolve(Boolean(lock));
      // Keep the lock for as long as this tab lives.
      return lock ? new Promise(() => {}) : undefined;
    });
  });
}

function lockWithChannel(id) {
  if (!channel) return Promise.resolve(true);
  return new Promise((resolve) => {
    const answered = (event) => {
      if (event.data && event.data.type === "held" && event.data.id === id) finish(false);
    };
    const finish = (free) => {
      channel.removeEventListener("message", answered);
      clearTimeout(timer);
      if (free) held.add(id);
      resolve(free);
    };
    channel.addEventListener("message", answered);
    const timer = setTimeout(() => finish(true), ASK_MS);
    channel.postMessage({ type: "who-holds", id });
  });
}

export function lock(id) {
  return navigator.locks ? lockWithWebLocks(id) : lockWithChannel(id);
}

export async function forForm(formId) {
  const drafts = await transact(DRAFTS, "readonly", (s) => promised(s[DRAFTS].index("form_id").getAll(formId)));
  return drafts.sort((a, b) => b.updated - a.updated);
}

// The newest draft of this form that no other tab holds, or a new empty one; {draft, taken}.
export async function claim(formId) {
  let taken = false;
  for (const draft of await forForm(formId)) {
    if (await lock(draft.id)) return { draft, taken, restored: true };
    taken = true;
  }
  const draft = { id: uuid4(), uuid: uuid4(), form_id: formId, data: {}, updated: Date.now() };
  await lock(draft.id);
  return { draft, taken, restored: false };
}

export function save(draft, data) {
  draft.data = data;
  draft.updated = Date.now();
  return put(DRAFTS, draft);
}

export const discard = (draft) => remove(DRAFTS, draft.id);
