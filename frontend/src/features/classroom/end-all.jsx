// "End all student sessions": one click ends every live student session of the class.
import { useId } from "react";
import { hoursAndMinutes } from "../../lib/time.js";

/** "3 student sessions" */
export function studentSessions(n) {
  return n === 1 ? "1 student session" : `${n} student sessions`;
}

/**
 * The button, and beside it, read out with it (aria-describedby), how many it will end: `count`,
 * the server's `active_students` for the same `since`, which is exactly what the button ends.
 * Nothing to end: the button is disabled.
 */
export function EndAll({ count, since, pending, onEnd }) {
  const descriptionId = useId();
  const which = since
    ? `started since ${hoursAndMinutes(new Date(since))}`
    : "on this server";
  return (
    <>
      <button
        type="button"
        aria-describedby={descriptionId}
        disabled={pending !== null || count === 0}
        onClick={onEnd}
      >
        End all student sessions
      </button>
      <span id={descriptionId}>
        {count === 0
          ? `No student session ${which} to end.`
          : `Ends ${studentSessions(count)} ${which}.`}
      </span>
    </>
  );
}
