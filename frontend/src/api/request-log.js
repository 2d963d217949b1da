// The request log: every API call the SPA makes, newest first, kept in memory for the Lab page
// and /how-it-works. http.js records each exchange as it ends, from the moment the app starts, so
// calls made before /lab was opened (the login itself) are in the log too. A tiny external store,
// read by React through useSyncExternalStore: no state library needed for one list.
import { useSyncExternalStore } from "react";
import { shortenToken } from "../lib/jwt.js";
import { API } from "../lib/paths.js";

// Enough for a lesson; older entries drop off so a long session does not grow without end.
export const MAX_ENTRIES = 100;

let entries = [];
let nextId = 1;
const listeners = new Set();

function emit() {
  for (const listener of listeners) listener();
}

/**
 * Add one call: {method, path, status (0 = no answer), ms, at, token (the one sent, or none),
 * retry (the second try after a refresh), background}.
 */
export function recordRequest(call) {
  // The checks the app repeats every few seconds (is my session still alive? the classroom's
  // table) would push the lesson's own calls out of the log within minutes: left out.
  if (call.background) return;
  const entry = {
    id: nextId++,
    method: call.method,
    path: call.path,
    status: call.status,
    ms: call.ms,
    at: call.at,
    sentAuth: Boolean(call.token),
    // Only a recognisable slice of the token is kept: the log is for looking, not for reuse.
    token: call.token ? shortenToken(call.token) : null,
    isRefresh: call.path === API.refresh,
    isUnauthorized: call.status === 401,
    // The second try of a request, with the token a refresh just bought.
    isRetry: Boolean(call.retry),
  };
  // A new array each time: React compares by reference to know the log changed.
  entries = [entry, ...entries].slice(0, MAX_ENTRIES);
  emit();
}

/** The entries, newest first. */
export function getRequestLog() {
  return entries;
}

/** Empty the log ("Clear log"). */
export function clearRequestLog() {
  entries = [];
  emit();
}

/** Be told when the log changes; returns an unsubscribe function. */
export function subscribeRequestLog(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The log, re-rendering the component whenever it changes. */
export function useRequestLog() {
  return useSyncExternalStore(subscribeRequestLog, getRequestLog);
}
