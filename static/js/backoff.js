// Exponential backoff with jitter: after a failed try, wait base·2^(n-1), capped, of which half is
// fixed and half random, so that many phones coming back online do not all retry at the same moment.

export const DEFAULTS = { baseMs: 2000, capMs: 5 * 60 * 1000 };

export function retryDelay(attempt, options = {}) {
  const { baseMs = DEFAULTS.baseMs, capMs = DEFAULTS.capMs, random = Math.random } = options;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function nextTryAt(attempt, options = {}, now = Date.now()) {
  return now + retryDelay(attempt, options);
}
