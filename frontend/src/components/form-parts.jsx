// The pieces every form here ends with: the form-level error, and a submit button that says
// what is happening while the request is on its way (and cannot be pressed twice).

/** The form's error (role="alert": a screen reader reads it at once), or nothing. */
export function FormError({ message }) {
  if (!message) return null;
  return (
    <p role="alert" className="message message-error">
      {message}
    </p>
  );
}

/** A submit button, disabled and labelled `pendingLabel` while the form is being sent. */
export function SubmitButton({ pending, pendingLabel, children }) {
  return (
    <button type="submit" disabled={pending}>
      {pending ? pendingLabel : children}
    </button>
  );
}
