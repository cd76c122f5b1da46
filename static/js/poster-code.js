// The poster form's code field: look the code up in the register as it is typed, or read it from the
// sheet's QR code with the phone's camera. The browser's BarcodeDetector reads the QR where there is
// one; elsewhere the vendored jsQR (static/vendor/jsqr, Apache-2.0) does, loaded only when needed.
// Reading what a person typed (O for 0, spaces…) is the server's job: fieldkit/posters/codes.py.
// Words and URLs come from the page (templates/submissions/extras/poster.html, through text.js).

import { call } from "./connection.js";
import { text, url } from "./text.js";

const input = document.querySelector("input[name=poster_code]");

/** The poster code a QR payload carries: the part after /p/ of a poster URL, or the text itself. */
export function codeFromPayload(payload) {
  const value = (payload || "").trim();
  const match = value.match(/\/p\/([^/?#\s]+)\/?(?:[?#].*)?$/);
  if (match) return decodeURIComponent(match[1]);
  return /^[A-Za-z0-9 _.-]{3,40}$/.test(value) ? value : null;
}

function statusLine() {
  const line = document.createElement("p");
  line.className = "hint poster-code-status";
  line.setAttribute("aria-live", "polite");
  input.insertAdjacentElement("afterend", line);
  return line;
}

async function lookUp(status) {
  const typed = input.value.trim();
  status.textContent = "";
  status.classList.remove("error");
  if (!typed) return;
  status.textContent = text("poster_checking");
  const result = await call(`${url("poster_lookup")}?code=${encodeURIComponent(typed)}`);
  if (result.kind !== "ok") {
    status.textContent = text("poster_offline"); // the server checks the code when the record is sent
    return;
  }
  const answer = result.json;
  if (input.value.trim() !== typed) return; // typed on since: a newer look-up will answer
  status.textContent = answer.message;
  status.classList.toggle("error", !answer.found);
  if (answer.found) {
    input.value = answer.code;
    const group = document.querySelector("select[name=residential_group]");
    if (group && !group.value && [...group.options].some((option) => option.value === answer.group)) {
      group.value = answer.group;
      group.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
}

let decoderLoaded = null;
function loadDecoder() {
  // jsQR is a UMD file: a classic script that defines window.jsQR.
  decoderLoaded ||= new Promise((resolve, reject) => {
    const tag = document.createElement("script");
    tag.src = url("qr_decoder");
    tag.onload = () => resolve(window.jsQR);
    tag.onerror = reject;
    document.head.append(tag);
  });
  return decoderLoaded;
}

async function makeReader() {
  if ("BarcodeDetector" in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return async (source) => {
          const found = await detector.detect(source);
          return found.length ? found[0].rawValue : null;
        };
      }
    } catch {
      // fall through to jsQR
    }
  }
  const jsQR = await loadDecoder();
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return async (source) => {
    const width = source.videoWidth || source.naturalWidth || source.width;
    const height = source.videoHeight || source.naturalHeight || source.height;
    if (!width || !height) return null;
    canvas.width = width;
    canvas.height = height;
    context.drawImage(source, 0, 0, width, height);
    const found = jsQR(context.getImageData(0, 0, width, height).data, width, height);
    return found ? found.data : null;
  };
}

function accept(payload, status) {
  const code = codeFromPayload(payload);
  if (!code) {
    status.textContent = text("poster_not_poster");
    status.classList.add("error");
    return false;
  }
  input.value = code;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  lookUp(status);
  return true;
}

function liveScanner(status) {
  const panel = document.createElement("div");
  panel.className = "scanner";
  panel.hidden = true;
  const video = document.createElement("video");
  video.setAttribute("playsinline", "");
  video.muted = true;
  const aim = document.createElement("p");
  aim.className = "hint";
  aim.textContent = text("poster_aim");
  const close = document.createElement("button");
  close.type = "button";
  close.textContent = text("poster_close_camera");
  panel.append(video, aim, close);
  let stream = null;
  let running = false;

  const stop = () => {
    running = false;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    panel.hidden = true;
  };
  close.addEventListener("click", stop);

  const start = async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch {
      status.textContent = text("poster_no_camera");
      status.classList.add("error");
      return;
    }
    panel.hidden = false;
    video.srcObject = stream;
    await video.play();
    const read = await makeReader();
    running = true;
    const tick = async () => {
      if (!running) return;
      let found = null;
      try {
        found = await read(video);
      } catch {
        found = null; // a frame the reader could not take: try the next one
      }
      if (found && accept(found, status)) {
        stop();
        return;
      }
      setTimeout(tick, 200);
    };
    tick();
  };
  return { panel, start };
}

function photoScanner(status) {
  // Without a live camera (plain HTTP has none): a photo of the QR, read the same way.
  const picker = document.createElement("input");
  picker.type = "file";
  picker.accept = "image/*";
  picker.setAttribute("capture", "environment");
  picker.hidden = true;
  picker.addEventListener("change", async () => {
    const file = picker.files[0];
    if (!file) return;
    const image = new Image();
    image.src = URL.createObjectURL(file);
    try {
      await image.decode();
      const read = await makeReader();
      const found = await read(image);
      if (!found || !accept(found, status)) {
        status.textContent = text("poster_not_poster");
        status.classList.add("error");
      }
    } finally {
      URL.revokeObjectURL(image.src);
      picker.value = "";
    }
  });
  return { panel: picker, start: () => picker.click() };
}

if (input) {
  const status = statusLine();
  const button = document.createElement("button");
  button.type = "button";
  button.className = "scan-button";
  button.textContent = text("poster_scan");
  const live = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  const scanner = live ? liveScanner(status) : photoScanner(status);
  status.insertAdjacentElement("afterend", button);
  button.insertAdjacentElement("afterend", scanner.panel);
  button.addEventListener("click", () => scanner.start());
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => lookUp(status), 500);
  });
  input.addEventListener("change", () => lookUp(status));
  if (input.value) lookUp(status);
}
