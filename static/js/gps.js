// Fill GPS fields from the phone's own position when the user asks; nothing is sent anywhere.
// Buttons stay hidden where the browser cannot locate (no geolocation, or not a secure origin);
// the fields can always be typed in.
const DIGITS = 6;
const OPTIONS = { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 };

function locate(button, status, write) {
  status.textContent = button.dataset.msgWait || button.dataset.waiting || "…";
  navigator.geolocation.getCurrentPosition(
    ({ coords }) => {
      write(coords.latitude.toFixed(DIGITS), coords.longitude.toFixed(DIGITS));
      const done = button.dataset.msgDone || "± {m} m";
      status.textContent = done.replace("{m}", String(Math.round(coords.accuracy)));
    },
    () => {
      status.textContent = button.dataset.msgFail || button.dataset.failed || "";
    },
    OPTIONS,
  );
}

if ("geolocation" in navigator && window.isSecureContext) {
  // One text field holding "lat, lon" (a cultural house on the roster).
  for (const button of document.querySelectorAll("[data-gps-target]")) {
    const field = document.getElementById(button.dataset.gpsTarget);
    const status = document.getElementById(button.dataset.gpsStatus);
    if (!field || !status) continue;
    button.hidden = false;
    button.addEventListener("click", () =>
      locate(button, status, (lat, lon) => (field.value = `${lat}, ${lon}`)),
    );
  }
  // Two fields <name>__lat and <name>__lon (a GPS point in a form).
  for (const button of document.querySelectorAll("button[data-gps-for]")) {
    const name = button.dataset.gpsFor;
    const status = document.getElementById(`gps-status-${name}`);
    const lat = button.form.querySelector(`[name="${CSS.escape(name)}__lat"]`);
    const lon = button.form.querySelector(`[name="${CSS.escape(name)}__lon"]`);
    if (!status || !lat || !lon) continue;
    button.hidden = false;
    button.addEventListener("click", () =>
      locate(button, status, (la, lo) => {
        lat.value = la;
        lon.value = lo;
      }),
    );
  }
}
