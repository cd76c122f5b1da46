// Fill a cultural house's GPS field from the phone's own location; nothing is sent anywhere.
// The button stays hidden where the browser cannot locate (no geolocation, or not a secure origin).
const DIGITS = 6;

for (const button of document.querySelectorAll("[data-gps-target]")) {
  const field = document.getElementById(button.dataset.gpsTarget);
  const status = document.getElementById(button.dataset.gpsStatus);
  if (!field || !status || !("geolocation" in navigator) || !window.isSecureContext) continue;
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = button.dataset.msgWait;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        field.value = `${latitude.toFixed(DIGITS)}, ${longitude.toFixed(DIGITS)}`;
        status.textContent = button.dataset.msgDone.replace("{m}", String(Math.round(accuracy)));
      },
      () => {
        status.textContent = button.dataset.msgFail;
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  });
}
