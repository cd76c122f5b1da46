// @ts-check
// Every call fieldkit's pages make to the server. Answers are sorted into what the outbox does next:
//   ok        2xx with JSON            -> sent
//   conflict  409                      -> set aside: the server holds another copy of this uuid
//   invalid   422                      -> set aside: correct and resend (errors per field)
//   login     401                      -> keep waiting; send after the next login
//   retry     network error, timeout, 408, 429, 5xx, 2xx that is not JSON (captive portal)
//   refused   any other 4xx (403 another commune, 400, 404, 413) -> set aside with the reason
// Every error body has one shape (fieldkit/errors.py):
//   {"error": "invalid", "message": "a sentence for the officer", "errors": {"field": "its message"}}
// The URLs are the server's, from the page (text.js url()).

import { url } from "./text.js";

const HEADERS = { "X-Requested-With": "fieldkit", Accept: "application/json" };
const TIMEOUT_MS = 30000;

export function classify(status, json) {
  if (status >= 200 && status < 300) return json === null ? "retry" : "ok";
  if (status === 401) return "login";
  if (status === 409) return "conflict";
  if (status === 422) return "invalid";
  if (status === 0 || status === 408 || status === 429 || status >= 500) return "retry";
  return "refused";
}

async function readJson(response) {
  if (!(response.headers.get("Content-Type") || "").includes("json")) return null;
  try {
    return await response.json();
  } catch {
    return null; // a body cut short or not JSON: classify() treats it as no answer
  }
}

/**
 * Ask the server, and sort its answer (see above). Never throws: no answer is {kind: "retry", status: 0}.
 * @param {string} address
 * @param {{method?: string, body?: *, timeoutMs?: number}} [options]
 * @returns {Promise<{kind: string, status: number, json: ?Object}>}
 */
export async function call(address, { method = "GET", body, timeoutMs = TIMEOUT_MS } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const multipart = body instanceof FormData;
  const headers = body === undefined || multipart ? HEADERS : { ...HEADERS, "Content-Type": "application/json" };
  try {
    const response = await fetch(address, {
      method,
      headers,
      body: body === undefined || multipart ? body : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      signal: controller.signal,
    });
    const json = await readJson(response);
    return { kind: classify(response.status, json), status: response.status, json };
  } catch {
    return { kind: "retry", status: 0, json: null }; // offline, refused or timed out: the outbox retries
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A record as POST submissions takes it (outbox.js payload(), from an OutboxRecord of store.js).
 * @typedef {Pick<import("./store.js").OutboxRecord, "uuid" | "form_id" | "form_version" | "commune" | "data"
 *   | "replaces"> & {created_at: string}} SubmissionPayload
 */

/**
 * @param {SubmissionPayload} payload
 * @returns {Promise<{kind: string, status: number, json: ?Object}>}
 */
export const postSubmission = (payload) => call(url("submissions"), { method: "POST", body: payload });
export function postPhoto(submissionUuid, field, blob) {
  const form = new FormData();
  form.append("submission_uuid", submissionUuid);
  form.append("field", field);
  form.append("file", blob, `${field}.jpg`);
  return call(url("media"), { method: "POST", body: form });
}
