// The password rules of POST /api/signup and POST /api/password, for instant feedback in the
// forms. The API checks them again: anyone can send a request without these pages.

export const PASSWORD_HINT = "At least 8 characters.";

/** What is wrong with a new password, or null. `empty` is the message for a blank field. */
export function passwordProblem(password, empty) {
  // The API counts characters (code points), not UTF-16 units: an emoji is one character.
  const length = [...password].length;
  if (length === 0) return empty;
  if (length < 8) return "Password must be at least 8 characters long.";
  if (length > 128) return "Password must be at most 128 characters long.";
  return null;
}

/** The server may send a message or a list of messages per field. */
export function fieldMessage(value) {
  return Array.isArray(value) ? value.join(" ") : String(value);
}
