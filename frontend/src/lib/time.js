// Times as people read them. JWT times are "NumericDate": seconds since 1970-01-01 UTC, so they
// are multiplied by 1000 for JavaScript's Date.

/** A NumericDate as this browser's local date and time, e.g. "28/11/2026, 16:45:12". */
export function localTime(seconds) {
  return new Date(seconds * 1000).toLocaleString();
}

/** "14:32" (or "1:02:03" past an hour) for a number of seconds left; never negative. */
export function formatCountdown(secondsLeft) {
  const total = Math.max(0, Math.floor(secondsLeft));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  if (hours > 0)
    return `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`;
  return `${minutes}:${seconds}`;
}

/**
 * The last moment this browser's clock read `hhmm` ("09:00"), as a Date: today, or yesterday
 * when that time has not come yet today (a class that started at 23:30, seen at 00:15).
 */
export function lastTimeAt(hhmm, nowMs = Date.now()) {
  const [hours, minutes] = hhmm.split(":").map(Number);
  const at = new Date(nowMs);
  at.setHours(hours, minutes, 0, 0);
  if (at.getTime() > nowMs) at.setDate(at.getDate() - 1);
  return at;
}

/** "09:05": a Date's local hours and minutes, as an <input type="time"> holds them. */
export function hoursAndMinutes(date) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
