// The line under a teacher's action (useAction in use-action.js) that says how it went.

/** What an action did: a status when it worked, an alert when it did not. */
export function ActionOutcome({ outcome }) {
  return (
    <>
      <div aria-live="polite">
        {outcome?.ok && (
          <p role="status" className="message message-success">
            {outcome.text}
          </p>
        )}
      </div>
      {outcome && !outcome.ok && (
        <p role="alert" className="message message-error">
          {outcome.text}
        </p>
      )}
    </>
  );
}
