// /outbox: every record on this phone (its form, village and date) with its state, "Gửi ngay"
// while something waits, and how much storage is used.

import * as outbox from "./outbox.js";
import { reasonText } from "./reasons.js";
import { estimate, formatBytes, persist } from "./storage.js";
import { text, url } from "./text.js";

const root = document.getElementById("outbox");
const listNode = document.getElementById("outbox-list");

const two = (n) => String(n).padStart(2, "0");

function when(iso) {
  const d = new Date(iso);
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

// "2026-11-20" as 20/11/2026.
const day = (iso) => iso.split("-").reverse().join("/");

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

const stateLabel = (state) => text(`state_${state}`);

function reasonOf(record) {
  if (record.state === "failed") {
    return `${reasonText(record)} · ${text("attempts")}: ${record.attempts} · ${text("next_try")} ${when(record.next_try)}`;
  }
  return record.state === "rejected" ? reasonText(record) : "";
}

function item(record) {
  const li = element("li", `outbox-item state-${record.state}`);
  li.dataset.uuid = record.uuid;
  li.dataset.state = record.state;
  const head = element("p", "outbox-title");
  head.append(element("strong", "", record.title || record.form_id), " ", element("span", "badge", stateLabel(record.state)));
  const about = [record.group, record.date && day(record.date)].filter(Boolean);
  if (record.replaces) about.unshift(text("edit"));
  about.push(`${text("created")} ${when(record.created)}`);
  li.append(head, element("p", "muted", about.join(" · ")));
  const reason = reasonOf(record);
  if (reason) li.append(element("p", record.state === "rejected" ? "error" : "muted", reason));
  if ((record.state === "rejected" && record.kind === "invalid") || record.state === "sent") {
    const fix = element("a", "button", text(record.state === "sent" ? "change" : "fix"));
    fix.href = `${url("form_page", { form_id: record.form_id })}#sua=${record.uuid}`;
    li.append(fix);
  } else if (record.state === "rejected" || record.state === "failed") {
    const again = element("button", "", text("retry"));
    again.type = "button";
    again.addEventListener("click", async () => {
      await outbox.retry(record.uuid);
      outbox.flush({ force: true });
    });
    li.append(again);
  }
  return li;
}

async function render() {
  const records = await outbox.list();
  listNode.replaceChildren(...records.slice().reverse().map(item));
  if (!records.length) listNode.append(element("li", "muted", text("empty")));
  const counts = outbox.STATES.map((state) => [state, records.filter((r) => r.state === state).length])
    .filter(([, n]) => n).map(([state, n]) => `${stateLabel(state)}: ${n}`);
  document.getElementById("outbox-summary").textContent = counts.join(" · ");
  // Nothing to send, nothing to clear: no button that does nothing.
  document.getElementById("send-now").hidden = !records.some((r) => ["waiting", "failed"].includes(r.state));
  document.getElementById("clear-sent").hidden = !records.some((r) => r.state === "sent");
  document.getElementById("outbox-offline").hidden = navigator.onLine !== false;
  document.getElementById("outbox-login").hidden = !(await outbox.loginNeeded());
  root.dataset.ready = "1";
}

// A note only: where the browser cannot say (no answer, or it refuses), the note leaves that part out.
async function showStorage() {
  const persisted = await persist().catch(() => null);
  const usage = await estimate().catch(() => null);
  const parts = [];
  if (usage) parts.push(text("storage", { used: formatBytes(usage.usage), quota: formatBytes(usage.quota) }));
  if (persisted !== null) parts.push(text(persisted ? "persisted" : "not_persisted"));
  document.getElementById("storage-usage").textContent = parts.join(" ");
}

let pending = false;
outbox.events.addEventListener("change", () => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; render(); });
});
for (const name of ["online", "offline"]) self.addEventListener(name, render);
document.getElementById("send-now").addEventListener("click", () => outbox.flush({ force: true }));
document.getElementById("clear-sent").addEventListener("click", () => outbox.clearSent());
render();
showStorage();
