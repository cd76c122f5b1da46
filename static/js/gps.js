// Fill a GPS field's latitude and longitude from the phone's position, when the user asks.
// Without this script (or without location access) the two boxes can still be typed in.

function fill(button) {
  const name = button.dataset.gpsFor;
  const form = button.form;
  const status = document.getElementById(`gps-status-${name}`);
  const lat = form.querySelector(`[name="${CSS.escape(name)}__lat"]`);
  const lon = form.querySelector(`[name="${CSS.escape(name)}__lon"]`);
  status.textContent = button.dataset.waiting || "…";
  navigator.geolocation.getCurrentPosition(
    (position) => {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      status.textContent = `± ${Math.round(position.coords.accuracy)} m`;
    },
    () => {
      status.textContent = button.dataset.failed || "";
    },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
  );
}

if ("geolocation" in navigator) {
  for (const button of document.querySelectorAll("button[data-gps-for]")) {
    button.hidden = false;
    button.addEventListener("click", () => fill(button));
  }
}
