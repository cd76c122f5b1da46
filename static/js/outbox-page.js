// /outbox: every record on this phone with its state, "Gửi ngay", and how much storage is used.

import * as outbox from "./outbox.js";
import { estimate, formatBytes, persist } from "./storage.js";
import { text } from "./text.js";

const root = document.getElementById("outbox");
const words = root.dataset;
const listNode = document.getElementById("outbox-list");

function when(iso) {
  const d = new Date(iso);
  const two = (n) => String(n).padStart(2, "0");
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

const stateLabel = (state) => words[`state${state[0].toUpperCase()}${state.slice(1)}`] || state;

function reasonOf(record) {
  if (record.state === "failed") {
    return `${text(record.reason)} · ${words.attempts}: ${record.attempts} · ${words.nextTry} ${when(record.next_try)}`;
  }
  if (record.state !== "rejected") return "";
  if (record.kind === "conflict") return `${text("conflict")} ${record.reason === "conflict" ? "" : record.reason}`;
  if (record.kind === "invalid" && record.errors) {
    return Object.values(record.errors).join(" · ");
  }
  return `${text("refused")} (${record.status}) ${record.reason || ""}`;
}

function item(record) {
  const li = element("li", `outbox-item state-${record.state}`);
  li.dataset.uuid = record.uuid;
  li.dataset.state = record.state;
  const head = element("p", "outbox-title");
  head.append(element("strong", "", record.title || record.form_id), " ", element("span", "badge", stateLabel(record.state)));
  li.append(head, element("p", "muted", `${words.created} ${when(record.created)} · ${record.uuid.slice(0, 8)}`));
  const reason = reasonOf(record);
  if (reason) li.append(element("p", record.state === "rejected" ? "error" : "muted", reason));
  if (record.state === "rejected" && record.kind === "invalid") {
    const fix = element("a", "button", words.fix);
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
