// Photos shrink in the browser before they are stored: longest side 1600 px, JPEG. A phone photo
// of 4–9 MB becomes a few hundred KB, so the outbox fits in the browser's storage (records with
// three 9 MB photos failed to save in Enketo on iPhones: kobotoolbox/enketo-express issues 398, 430).
// Stored as a Blob, or as base64 text where IndexedDB cannot keep Blobs (older iPhones).

import { blobsSupported } from "./store.js";

export const LONGEST_SIDE = 1600;
const QUALITY = 0.82;

function canvasBlob(canvas) {
  if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
}

export async function shrink(file, longest = LONGEST_SIDE) {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const scale = Math.min(1, longest / Math.max(bitmap.width, bitmap.height));
  const width = Math.round(bitmap.width * scale);
  const height = Math.round(bitmap.height * scale);
  const canvas = typeof OffscreenCanvas === "function"
    ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement("canvas"), { width, height });
  canvas.getContext("2d").drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return canvasBlob(canvas);
}

function asBase64(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

export function photoBlob(photo) {
  if (photo.blob) return photo.blob;
  const [head, body] = photo.base64.split(",");
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: head.slice(5).split(";")[0] });
}

// [{field, file}] -> [{field, blob}] or [{field, base64}], each shrunk.
export async function storablePhotos(files) {
  const keepBlobs = await blobsSupported();
  const photos = [];
  for (const { field, file } of files) {
    const small = await shrink(file);
    photos.push(keepBlobs ? { field, blob: small } : { field, base64: await asBase64(small) });
  }
  return photos;
}
