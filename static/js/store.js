// @ts-check
// The one owner of fieldkit's IndexedDB schema. Other modules get transactions from here.
//   outbox  key uuid: records to send, with their state (see outbox.js)
//   drafts  key id:   forms being filled, saved as the officer types (see drafts.js)
//   meta    key key:  small flags (e.g. "login needed")

/**
 * A record in the outbox store. outbox.js moves it from state to state; connection.js sends its payload.
 * @typedef {object} OutboxRecord
 * @property {string} uuid            made on the phone (uuid.js); the store's key, and the server's
 * @property {string} form_id
 * @property {number} form_version
 * @property {string} commune         the commune's code
 * @property {Object<string, *>} data the clean values the form's rules accept (validate.js)
 * @property {OutboxPhoto[]} photos   sent after the record, each once
 * @property {"waiting"|"sending"|"failed"|"rejected"|"sent"} state
 * @property {number} attempts        tries so far
 * @property {number} next_try        when a failed record may be tried again (ms since 1970; 0: now)
 * @property {string|null} reason     why it is not sent: "network", "server", or the server's message
 * @property {"conflict"|"invalid"|"refused"} [kind]  how the server refused it
 * @property {Object<string, string>|null} errors     the server's message for each field (422)
 * @property {number|null} status     the last HTTP status (0: no answer)
 * @property {string} created         when it was saved (ISO 8601), sent as created_at
 * @property {string} updated         when its state last changed (ISO 8601)
 * @property {string} [sent_at]       when the server took it (ISO 8601)
 * @property {number|null} [claimed_at] when a tab took it to send (ms), to free it if that tab died
 * @property {number} [posted_at]     when the form also posted it the plain way (ms)
 * @property {string} [landing]       the record page that plain post lands on (outbox.confirmLanding)
 * @property {string} [replaces]      the uuid of the version this one replaces (an edit)
 * @property {string} [root]          the uuid of the first version of the record it edits
 * @property {string} [title]         what the outbox page shows (record.js summaryOf): the form,
 * @property {string} [group]         the village,
 * @property {string} [date]          the date (ISO),
 * @property {Object<string, string>} [labels] and each field's label beside the server's messages
 */

/**
 * A photo of a record: a Blob, or base64 text where IndexedDB cannot keep Blobs (photos.js).
 * @typedef {{field: string, blob?: Blob, base64?: string, uploaded?: boolean}} OutboxPhoto
 */

export const OUTBOX = "outbox";
export const DRAFTS = "drafts";
export const META = "meta";
const NAME = "fieldkit";
const VERSION = 1;

let opening = null;

function upgrade(db, oldVersion) {
  if (oldVersion < 1) {
    const outbox = db.createObjectStore(OUTBOX, { keyPath: "uuid" });
    outbox.createIndex("state", "state");
    outbox.createIndex("created", "created");
    const drafts = db.createObjectStore(DRAFTS, { keyPath: "id" });
    drafts.createIndex("form_id", "form_id");
    db.createObjectStore(META, { keyPath: "key" });
  }
}

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(NAME, VERSION);
      request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
      request.onsuccess = () => {
        const db = request.result;
        // A newer page wants to upgrade the schema: let it.
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
  }
  return opening;
}

export function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Run work(stores) in one transaction; resolve with its result once the transaction has committed.
// work must only await IndexedDB requests of this transaction (else the transaction closes).
export async function transact(names, mode, work) {
  const db = await openDb();
  const list = [].concat(names);
  return new Promise((resolve, reject) => {
    const tx = db.transaction(list, mode);
    const stores = Object.fromEntries(list.map((name) => [name, tx.objectStore(name)]));
    let result;
    let failure = null;
    Promise.resolve()
      .then(() => work(stores))
      .then((value) => { result = value; }, (error) => {
        failure = error;
        try { tx.abort(); } catch { /* already finished: nothing to undo */ }
      });
    tx.oncomplete = () => resolve(result);
    tx.onabort = () => reject(failure || tx.error || new Error("transaction aborted"));
  });
}

export const get = (name, key) => transact(name, "readonly", (s) => promised(s[name].get(key)));
export const getAll = (name) => transact(name, "readonly", (s) => promised(s[name].getAll()));
export const put = (name, value) => transact(name, "readwrite", (s) => promised(s[name].put(value)));
export const remove = (name, key) => transact(name, "readwrite", (s) => promised(s[name].delete(key)));

// Old iOS could not keep a Blob in IndexedDB; callers fall back to base64 text when this is false.
let blobCheck = null;
export function blobsSupported() {
  if (!blobCheck) {
    blobCheck = put(META, { key: "blob-check", value: new Blob(["x"], { type: "text/plain" }) })
      .then(() => remove(META, "blob-check")).then(() => true, () => false);
  }
  return blobCheck;
}
