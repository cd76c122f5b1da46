// On every page: register the service worker (or, on plain HTTP, show what is missing), and when
// someone is logged in, start sending the outbox and ask the worker to keep every form offline.

import { setting, url } from "./text.js";

const user = setting("user") || "";

const ASK_AGAIN_MS = 4000;

// Ask the worker to keep every form of this user offline; ask again if no answer comes.
function askForForms(tries = 3) {
  let answered = false;
  navigator.serviceWorker.onmessage = (event) => {
    if (event.data && event.data.type === "precached") {
      answered = true;
      document.documentElement.dataset.offlineForms = String(event.data.forms);
    }
  };
  navigator.serviceWorker.ready.then((registration) => {
    registration.active.postMessage({ type: "precache", user });
    setTimeout(() => { if (!answered && tries > 1) askForForms(tries - 1); }, ASK_AGAIN_MS);
  });
}

async function register() {
  const registration = await navigator.serviceWorker.register(url("worker"), { scope: "/" });
  if (user) askForForms();
  return registration;
}

if (window.isSecureContext && "serviceWorker" in navigator) {
  // Without a worker the pages still work online; the forms are just not kept for offline use.
  register().catch((error) => console.warn("fieldkit: service worker not registered:", error));
} else {
  // Said once, in one line, until the officer dismisses it (remembered on this phone).
  const banner = document.getElementById("insecure-banner");
  const key = "fieldkit.insecure-notice-dismissed";
  let dismissed = false;
  try {
    dismissed = localStorage.getItem(key) === "1";
  } catch {
    dismissed = false; // storage blocked: show the notice
  }
  if (banner && !dismissed) {
    banner.hidden = false;
    banner.querySelector("[data-dismiss]").addEventListener("click", () => {
      banner.hidden = true;
      try {
        localStorage.setItem(key, "1");
      } catch {
        // storage blocked: hidden on this page only
      }
    });
  }
}

// The form page (rendered by the forms area) is enhanced here, so that its template needs no change.
if (document.querySelector("form[data-form-id]")) import("./formpage.js").then((m) => m.start());

// Logged in: send what waits (the outbox is loaded only then, to keep the login page light).
async function startOutbox() {
  const outbox = await import("./outbox.js");
  await outbox.confirmLanding(location.pathname);
  await outbox.start();
  const { persist } = await import("./storage.js");
  await persist();
}

// IndexedDB refused (private mode, storage full): the form page says so when the officer saves.
if (user && "indexedDB" in self) startOutbox().catch((error) => console.warn("fieldkit: outbox not started:", error));
