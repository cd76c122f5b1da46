// Field types on the phone: the same table as fieldkit/formspec/types.py. Each type reads its value
// from the page (read), turns a value into its clean form or throws the key of its message
// (convert), and says what min/max compare (measure). tests/form_cases.json holds both to the
// same answers; a rule changed here must change there too.

// NUL, other controls (tab and line breaks aside) and zero-width characters: removed (fieldkit/text.py).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u200b-\u200d\u2060\ufeff]/g;
const SPACES = /\s+/g;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const DAY_FIRST = /^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$/;
const INTEGER = /^[+-]?[0-9]{1,15}$/;
const DECIMAL = /^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)$/;
const TIME = /^([01]?[0-9]|2[0-3]):([0-5][0-9])(?::[0-5][0-9](?:\.[0-9]+)?)?$/;
const PHOTO_REF = /^[A-Za-z0-9_.:-]{1,200}$/;
const LIMIT = 1e15;
const YES = new Set(["yes", "true", "1", "co", "có", "on"]);
const NO = new Set(["no", "false", "0", "khong", "không", "off"]);
const VIETNAM = { lat: [8, 24], lon: [102, 110] };

export class Invalid extends Error {}
const fail = (key) => { throw new Invalid(key); };

export const nfc = (text) => String(text).replace(INVISIBLE, "").normalize("NFC").replace(SPACES, " ").trim();
export const nfcLines = (text) => String(text).replace(/\r\n?/g, "\n").replace(INVISIBLE, "").normalize("NFC").trim();
// Full-width digits and signs as ASCII (fieldkit/values.py plain()).
const plain = (text) => String(text).replace(INVISIBLE, "").normalize("NFKC").trim();
const length = (text) => Array.from(text).length; // code points, as Python's len()
const two = (n) => String(n).padStart(2, "0");

function integer(value) {
  if (typeof value === "number") return Number.isInteger(value) && Math.abs(value) < LIMIT ? value : fail("integer");
  if (typeof value === "string" && INTEGER.test(plain(value))) return parseInt(plain(value), 10);
  return fail("integer");
}

export function decimal(value, key = "decimal") {
  let number = value;
  if (typeof value === "string") {
    const text = plain(value);
    if (text.length > 30 || !DECIMAL.test(text)) fail(key);
    number = Number(text.replace(",", "."));
  }
  return typeof number === "number" && Number.isFinite(number) && Math.abs(number) < LIMIT ? number : fail(key);
}

function isoDate(value) {
  if (typeof value !== "string" || length(value) > 20) fail("date");
  const text = plain(value);
  let found = text.match(ISO_DATE);
  let year, month, day;
  if (found) [year, month, day] = found.slice(1).map(Number);
  else if ((found = text.match(DAY_FIRST))) [day, month, year] = found.slice(1).map(Number);
  else fail("date");
  const when = new Date(Date.UTC(year, month - 1, day));
  if (when.getUTCFullYear() !== year || when.getUTCMonth() !== month - 1 || when.getUTCDate() !== day) fail("date");
  if (year < 1900 || year > 2100) fail("date");
  return `${year}-${two(month)}-${two(day)}`;
}

function chosen(allowed) {
  return (value) => (typeof value === "string" && allowed.includes(value) ? value : fail("choice"));
}

// Reading the page: each field's wrapper carries data-field (its name) and data-type.
function inputs(wrapper) {
  return Array.from(wrapper.querySelectorAll("input, select, textarea")).filter((i) => !i.disabled);
}
const named = (wrapper) => inputs(wrapper).filter((i) => i.name === wrapper.dataset.field);
const readText = (wrapper) => named(wrapper)[0]?.value ?? "";
function readOne(wrapper) {
  const all = named(wrapper);
  const radios = all.filter((i) => i.type === "radio");
  return radios.length ? radios.find((i) => i.checked)?.value ?? "" : all[0]?.value ?? "";
}

const text = {
  bounds: true,
  maxLength: 2000,
  clean: nfc,
  convert(value) {
    if (typeof value !== "string") fail("text");
    const clean = this.clean(value);
    return length(clean) > this.maxLength ? fail("too_long") : clean;
  },
  measure: length,
  read: readText,
};

export const TYPES = {
  text,
  long_text: { ...text, maxLength: 20000, clean: nfcLines },
  integer: { bounds: true, convert: integer, measure: (v) => v, read: readText },
  decimal: { bounds: true, convert: (v) => decimal(v), measure: (v) => v, read: readText },
  date: { bounds: true, summary: "date", convert: isoDate, measure: (v) => v, read: readText },
  time: {
    convert(value) {
      const found = typeof value === "string" && length(value) < 30 ? plain(value).match(TIME) : null;
      return found ? `${two(Number(found[1]))}:${found[2]}` : fail("time");
    },
    read: readText,
  },
  choice: { convert: (value, allowed) => chosen(allowed)(value), read: readOne },
  residential_group: { summary: "group", convert: (value, allowed) => chosen(allowed)(value), read: readOne },
  multi_choice: {
    bounds: true,
    many: true,
    convert(value, allowed) {
      const values = typeof value === "string" ? [value] : value;
      if (!Array.isArray(values) || !values.every((v) => typeof v === "string" && allowed.includes(v))) fail("choice");
      return allowed.filter((v) => values.includes(v));
    },
    measure: (v) => v.length,
    read: (wrapper) => named(wrapper).filter((i) => i.checked).map((i) => i.value),
  },
  yes_no: {
    convert(value) {
      if (typeof value === "boolean") return value;
      if (typeof value === "string") {
        const word = value.replace(INVISIBLE, "").normalize("NFC").trim().toLowerCase();
        if (YES.has(word)) return true;
        if (NO.has(word)) return false;
      }
      return fail("yes_no");
    },
    read: readOne,
  },
  gps: {
    convert(value) {
      if (!value || typeof value !== "object" || Array.isArray(value)) fail("gps");
      const keys = Object.keys(value);
      if (!("lat" in value && "lon" in value) || keys.some((k) => !["lat", "lon", "accuracy"].includes(k))) fail("gps");
      const point = {};
      for (const key of ["lat", "lon", "accuracy"]) {
        if (key in value) point[key] = decimal(value[key], "gps");
      }
      if (point.accuracy !== undefined && (point.accuracy < 0 || point.accuracy > 1e6)) fail("gps");
      const inside = (key) => VIETNAM[key][0] <= point[key] && point[key] <= VIETNAM[key][1];
      if (!inside("lat") || !inside("lon")) fail("outside");
      for (const key of Object.keys(point)) point[key] = Number(point[key].toFixed(key === "accuracy" ? 1 : 6));
      return point;
    },
    read(wrapper) {
      const name = wrapper.dataset.field;
      const lat = inputs(wrapper).find((i) => i.name === `${name}__lat`)?.value ?? "";
      const lon = inputs(wrapper).find((i) => i.name === `${name}__lon`)?.value ?? "";
      return lat === "" && lon === "" ? null : { lat, lon };
    },
  },
  photo: {
    // References to photos sent separately; the page sends the files, not references (photos.js).
    convert(value) {
      const refs = typeof value === "string" ? [value] : value;
      if (!Array.isArray(refs) || refs.length > 10 || !refs.every((v) => typeof v === "string" && PHOTO_REF.test(v))) {
        fail("photo");
      }
      return Array.from(new Set(refs));
    },
    read: () => undefined,
  },
};
