// Fill GPS fields from the phone's own position when the user asks; nothing is sent anywhere.
// Buttons stay hidden where the browser cannot locate (no geolocation, or not a secure origin);
// the fields can always be typed in. One vocabulary for every GPS button: data-gps-status is the id of
// the line that says what happens, and the position goes either to data-gps-field, one text field
// holding "lat, lon" (a cultural house on the roster), or to data-gps-lat and data-gps-lon, two fields
// (a GPS point in a form). The words (gps_wait, gps_done, gps_fail) are the page's (text.js).
import { text } from "./text.js";

const DIGITS = 6;
const OPTIONS = { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 };

function put(input, value) {
  input.value = value;
  input.dispatchEvent(new Event("change", { bubbles: true })); // the form page keeps its draft on change
}

// How this button writes a position, or null when its fields are missing.
function writer(button) {
  const byId = (key) => (button.dataset[key] ? document.getElementById(button.dataset[key]) : null);
  const [field, lat, lon] = [byId("gpsField"), byId("gpsLat"), byId("gpsLon")];
  if (field) return (la, lo) => put(field, `${la}, ${lo}`);
  if (lat && lon) {
    return (la, lo) => {
      put(lat, la);
      put(lon, lo);
    };
  }
  return null;
}

function locate(status, write) {
  status.textContent = text("gps_wait");
  navigator.geolocation.getCurrentPosition(
    ({ coords }) => {
      write(coords.latitude.toFixed(DIGITS), coords.longitude.toFixed(DIGITS));
      status.textContent = text("gps_done", { m: Math.round(coords.accuracy) });
    },
    () => {
      status.textContent = text("gps_fail");
    },
    OPTIONS,
  );
}

if ("geolocation" in navigator && window.isSecureContext) {
  for (const button of document.querySelectorAll("button[data-gps-status]")) {
    const status = document.getElementById(button.dataset.gpsStatus);
    const write = writer(button);
    if (!status || !write) continue;
    button.hidden = false;
    button.addEventListener("click", () => locate(status, write));
  }
}
