// The one owner of fieldkit's IndexedDB schema. Other modules get transactions from here.
//   outbox  key uuid: records to send, with their state (see outbox.js)
//   drafts  key id:   forms being filled, saved as the officer types (see drafts.js)
//   meta    key key:  small flags (e.g. "login needed")

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
