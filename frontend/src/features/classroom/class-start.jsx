// "This class started at": the time field that limits the classroom (list and End all) to one
// class, so two classes can share a server.
import { TextField } from "../../components/text-field.jsx";
import { hoursAndMinutes, lastTimeAt } from "../../lib/time.js";

/** The field, and "Show every session" once a time is set. `since`: an ISO date and time. */
export function ClassStart({ since, onChange }) {
  return (
    <div className="class-start">
      <TextField
        label="This class started at"
        name="since"
        type="time"
        value={since ? hoursAndMinutes(new Date(since)) : ""}
        onChange={(event) =>
          onChange(event.target.value ? lastTimeAt(event.target.value) : null)
        }
        hint="Only sessions started since then are listed and ended, so two classes can share this server. Empty: every session."
      />
      {since && (
        <button
          type="button"
          className="button-secondary"
          onClick={() => onChange(null)}
        >
          Show every session
        </button>
      )}
    </div>
  );
}
