import { useState } from "react";
import { fieldMessage } from "./password-rules.js";

/**
 * The state and submit steps that the signup, login and change-password forms share, kept in
 * one place so that they cannot drift apart: the values typed, a message per field, one
 * message for the whole form, "sending..." and "it worked".
 *
 * Options:
 *   initial            the starting values, e.g. { username: "", password: "" }
 *   fields             the field names in page order: the first invalid one gets focus, and
 *                      these are the fields the server's per-field errors (`err.errors`) go on
 *   validate           values -> { name: message } for each field that is wrong
 *   recheck            once the user has tried to submit, re-check on every keystroke
 *   focusServerErrors  also move focus to the first field the server rejected
 *   failMessage        the form message when an error carries no `msg` of its own
 *
 * `submit(event, send)` is the form's onSubmit: it checks the values and only then awaits
 * `send(values)`, with `pending` true meanwhile. If `send` throws, the error's per-field
 * messages go on their fields, or else its `msg` becomes `formError`. `field(name)` gives
 * the props that wire a <TextField> to all this.
 */
export function useForm({
  initial,
  fields = [],
  validate = () => ({}),
  recheck = false,
  focusServerErrors = false,
  failMessage,
}) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const [formError, setFormError] = useState(null);
  const [pending, setPending] = useState(false);
  const [done, setDone] = useState(false);
  const [attempted, setAttempted] = useState(false);

  function change(event) {
    const next = { ...values, [event.target.name]: event.target.value };
    setValues(next);
    // "It worked" is about the values sent, not these new ones.
    setDone(false);
    if (recheck && attempted) setErrors(validate(next));
  }

  async function submit(event, send) {
    event.preventDefault();
    // React empties event.currentTarget once the handler returns, so keep the form for later.
    const form = event.currentTarget;
    setAttempted(true);
    setFormError(null);
    setDone(false);
    const found = validate(values);
    setErrors(found);
    const firstInvalid = fields.find((name) => found[name]);
    if (firstInvalid) {
      // Move focus to the first field to fix, so keyboard and screen-reader users land on it.
      form.elements[firstInvalid].focus();
      return;
    }

    setPending(true);
    try {
      await send(values);
      setDone(true);
    } catch (err) {
      const serverErrors = {};
      for (const name of fields) {
        if (err.errors?.[name])
          serverErrors[name] = fieldMessage(err.errors[name]);
      }
      setErrors(serverErrors);
      const firstRejected = fields.find((name) => serverErrors[name]);
      // No field to point at (a 409, a 401, a network failure): say it for the whole form.
      if (!firstRejected) setFormError(err.msg ?? failMessage);
      else if (focusServerErrors) form.elements[firstRejected].focus();
    } finally {
      setPending(false);
    }
  }

  function field(name) {
    return { name, value: values[name], error: errors[name], onChange: change };
  }

  return {
    values,
    setValues,
    formError,
    setFormError,
    pending,
    done,
    submit,
    field,
  };
}
