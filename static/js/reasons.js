// Why the server did not take a record, in words a person can act on: which field and what to do.
// Never a status code or a word such as "invalid" (the page's words come from text.js).
import { text } from "./text.js";

const BY_STATUS = { 403: "refused_commune", 404: "refused_form", 413: "refused_big" };

export function reasonText(record) {
  if (record.kind === "invalid" && record.errors && Object.keys(record.errors).length) {
    const labels = record.labels || {};
    return Object.entries(record.errors)
      .map(([name, message]) => (labels[name] ? `${labels[name]}: ${message}` : message))
      .join(" · ");
  }
  if (record.kind === "conflict") return text("conflict");
  if (record.state === "failed") return text(record.reason === "server" ? "server" : "network");
  return text(BY_STATUS[record.status] || "refused");
}
