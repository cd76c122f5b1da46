// /outbox: every record on this phone (its form, village and date) with its state, "Gửi ngay"
// while something waits, and how much storage is used.

import * as outbox from "./outbox.js";
import { reasonText } from "./reasons.js";
import { estimate, formatBytes, persist } from "./storage.js";

const root = document.getElementById("outbox");
const words = root.dataset;
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

const stateLabel = (state) => words[`state${state[0].toUpperCase()}${state.slice(1)}`] || state;

function reasonOf(record) {
  if (record.state === "failed") {
    return `${reasonText(record)} · ${words.attempts}: ${record.attempts} · ${words.nextTry} ${when(record.next_try)}`;
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
  if (record.replaces) about.unshift(words.edit);
  about.push(`${words.created} ${when(record.created)}`);
  li.append(head, element("p", "muted", about.join(" · ")));
  const reason = reasonOf(record);
  if (reason) li.append(element("p", record.state === "rejected" ? "error" : "muted", reason));
  if ((record.state === "rejected" && record.kind === "invalid") || record.state === "sent") {
    const fix = element("a", "button", record.state === "sent" ? words.change : words.fix);
    fix.href = `/forms/${encodeURIComponent(record.form_id)}/new#sua=${record.uuid}`;
    li.append(fix);
  } else if (record.state === "rejected" || record.state === "failed") {
    const again = element("button", "", words.retry);
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
  if (!records.length) listNode.append(element("li", "muted", words.empty));
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

async function showStorage() {
  const persisted = await persist().catch(() => null);
  const usage = await estimate().catch(() => null);
  const parts = [];
  if (usage) parts.push(words.storage.replace("{used}", formatBytes(usage.usage)).replace("{quota}", formatBytes(usage.quota)));
  if (persisted !== null) parts.push(persisted ? words.persisted : words.notPersisted);
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
