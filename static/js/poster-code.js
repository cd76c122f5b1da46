// The poster form's code field: look the code up in the register as it is typed, or read it from the
// sheet's QR code with the phone's camera. The browser's BarcodeDetector reads the QR where there is
// one; elsewhere the vendored jsQR (static/vendor/jsqr, Apache-2.0) does, loaded only when needed.
// Reading what a person typed (O for 0, spaces…) is the server's job: fieldkit/posters/codes.py.

const script = document.querySelector('script[data-lookup-url]');
const input = document.querySelector('input[name=poster_code]');
const words = script ? script.dataset : {};

/** The poster code a QR payload carries: the part after /p/ of a poster URL, or the text itself. */
export function codeFromPayload(text) {
  const value = (text || '').trim();
  const match = value.match(/\/p\/([^/?#\s]+)\/?(?:[?#].*)?$/);
  if (match) return decodeURIComponent(match[1]);
  return /^[A-Za-z0-9 _.-]{3,40}$/.test(value) ? value : null;
}

function statusLine() {
  const line = document.createElement('p');
  line.className = 'hint poster-code-status';
  line.setAttribute('aria-live', 'polite');
  input.insertAdjacentElement('afterend', line);
  return line;
}

async function lookUp(status) {
  const typed = input.value.trim();
  status.textContent = '';
  status.classList.remove('error');
  if (!typed) return;
  status.textContent = words.checking;
  let answer;
  try {
    const url = `${words.lookupUrl}?code=${encodeURIComponent(typed)}`;
    const response = await fetch(url, { headers: { 'X-Requested-With': 'fieldkit' }, credentials: 'same-origin' });
    if (!response.ok) throw new Error(String(response.status));
    answer = await response.json();
  } catch (error) {
    status.textContent = words.offline;
    return;
  }
  if (input.value.trim() !== typed) return; // typed on since: a newer look-up will answer
  status.textContent = answer.message;
  status.classList.toggle('error', !answer.found);
  if (answer.found) {
    input.value = answer.code;
    const group = document.querySelector('select[name=residential_group]');
    if (group && !group.value && [...group.options].some((option) => option.value === answer.group)) {
      group.value = answer.group;
      group.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }
}

let decoderLoaded = null;
function loadDecoder() {
  // jsQR is a UMD file: a classic script that defines window.jsQR.
  decoderLoaded ||= new Promise((resolve, reject) => {
    const tag = document.createElement('script');
    tag.src = words.decoderUrl;
    tag.onload = () => resolve(window.jsQR);
    tag.onerror = reject;
    document.head.append(tag);
  });
  return decoderLoaded;
}

async function makeReader() {
  if ('BarcodeDetector' in window) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes('qr_code')) {
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        return async (source) => {
          const found = await detector.detect(source);
          return found.length ? found[0].rawValue : null;
        };
      }
    } catch (error) {
      // fall through to jsQR
    }
  }
  const jsQR = await loadDecoder();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
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

function accept(text, status) {
  const code = codeFromPayload(text);
  if (!code) {
    status.textContent = words.notPoster;
    status.classList.add('error');
    return false;
  }
  input.value = code;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  lookUp(status);
  return true;
}

function liveScanner(status) {
  const panel = document.createElement('div');
  panel.className = 'scanner';
  panel.hidden = true;
  const video = document.createElement('video');
  video.setAttribute('playsinline', '');
  video.muted = true;
  const aim = document.createElement('p');
  aim.className = 'hint';
  aim.textContent = words.aimLabel;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = words.closeLabel;
  panel.append(video, aim, close);
  let stream = null;
  let running = false;

  const stop = () => {
    running = false;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    panel.hidden = true;
  };
  close.addEventListener('click', stop);

  const start = async () => {
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch (error) {
      status.textContent = words.noCamera;
      status.classList.add('error');
      return;
    }
    panel.hidden = false;
    video.srcObject = stream;
    await video.play();
    const read = await makeReader();
    running = true;
    const tick = async () => {
      if (!running) return;
      let text = null;
      try {
        text = await read(video);
      } catch (error) {
        text = null;
      }
      if (text && accept(text, status)) {
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
  const picker = document.createElement('input');
  picker.type = 'file';
  picker.accept = 'image/*';
  picker.setAttribute('capture', 'environment');
  picker.hidden = true;
  picker.addEventListener('change', async () => {
    const file = picker.files[0];
    if (!file) return;
    const image = new Image();
    image.src = URL.createObjectURL(file);
    try {
      await image.decode();
      const read = await makeReader();
      const text = await read(image);
      if (!text || !accept(text, status)) {
        status.textContent = words.notPoster;
        status.classList.add('error');
      }
    } finally {
      URL.revokeObjectURL(image.src);
      picker.value = '';
    }
  });
  return { panel: picker, start: () => picker.click() };
}

if (script && input) {
  const status = statusLine();
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'scan-button';
  button.textContent = words.scanLabel;
  const live = navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  const scanner = live ? liveScanner(status) : photoScanner(status);
  status.insertAdjacentElement('afterend', button);
  button.insertAdjacentElement('afterend', scanner.panel);
  button.addEventListener('click', () => scanner.start());
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => lookUp(status), 500);
  });
  input.addEventListener('change', () => lookUp(status));
  if (input.value) lookUp(status);
}
