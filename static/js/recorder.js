// Record a reading in the browser: microphone → MediaRecorder, a level meter while recording, then
// play-back; the recording is put into the form's file field, so saving is the same plain upload
// as choosing a file. Hidden where the browser cannot record (no MediaRecorder, not a secure origin).
// Its words are the page's (text.js).
import { text } from "./text.js";

const TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/mp4", "audio/webm"];
const EXTENSIONS = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a" };

function clock(seconds) {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function startMeter(stream, meter) {
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let frame = 0;
  const draw = () => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const value of samples) sum += value * value;
    // Speech RMS sits around 0.05–0.3; scale so a normal voice fills most of the meter.
    meter.value = Math.min(1, Math.sqrt(sum / samples.length) * 4);
    frame = requestAnimationFrame(draw);
  };
  draw();
  return () => {
    cancelAnimationFrame(frame);
    meter.value = 0;
    context.close();
  };
}

function setUp(box) {
  const form = box.closest("form");
  const fileInput = form.querySelector('input[type="file"]');
  const [recordButton, stopButton] = [box.querySelector("[data-record]"), box.querySelector("[data-stop]")];
  const [meter, status, preview, time] = ["level", "status", "preview", "clock"].map((name) =>
    box.querySelector(`[data-${name}]`),
  );
  const type = TYPES.find((candidate) => MediaRecorder.isTypeSupported(candidate)) || "";
  let recorder = null;

  recordButton.addEventListener("click", async () => {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      status.textContent = text("recorder_denied");
      return;
    }
    const chunks = [];
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : {});
    const stopMeter = startMeter(stream, meter);
    const started = performance.now();
    const ticker = setInterval(() => (time.textContent = clock((performance.now() - started) / 1000)), 250);
    recorder.addEventListener("dataavailable", (event) => event.data.size && chunks.push(event.data));
    recorder.addEventListener("stop", () => {
      clearInterval(ticker);
      stopMeter();
      for (const track of stream.getTracks()) track.stop();
      const mime = (recorder.mimeType || type || "audio/webm").split(";")[0];
      const blob = new Blob(chunks, { type: mime });
      if (preview.src) URL.revokeObjectURL(preview.src);
      preview.src = URL.createObjectURL(blob);
      preview.hidden = false;
      const files = new DataTransfer();
      files.items.add(new File([blob], `${text("recorder_file_name")}.${EXTENSIONS[mime] || "webm"}`, { type: mime }));
      fileInput.files = files.files;
      status.textContent = text("recorder_ready");
      box.dataset.state = "ready";
      recordButton.disabled = false;
      stopButton.disabled = true;
    });
    recorder.start(1000);
    box.dataset.state = "recording";
    status.textContent = text("recorder_recording");
    preview.hidden = true;
    recordButton.disabled = true;
    stopButton.disabled = false;
  });

  stopButton.addEventListener("click", () => recorder && recorder.state !== "inactive" && recorder.stop());
}

if (window.MediaRecorder && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  for (const box of document.querySelectorAll(".recorder")) {
    box.hidden = false;
    setUp(box);
  }
}
