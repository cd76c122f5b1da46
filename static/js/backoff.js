// Exponential backoff with jitter: after a failed try, wait base·2^(n-1), capped, of which half is
// fixed and half random, so that many phones coming back online do not all retry at the same moment.
// base and cap are the server's (config.py OUTBOX_RETRY_BASE_MS, OUTBOX_RETRY_CAP_MS), given by the page.

/**
 * How long to wait after the `attempt`-th failed try, in milliseconds.
 * @param {number} attempt
 * @param {{baseMs: number, capMs: number, random?: () => number}} options
 */
export function retryDelay(attempt, { baseMs, capMs, random = Math.random }) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function nextTryAt(attempt, options, now = Date.now()) {
  return now + retryDelay(attempt, options);
}
