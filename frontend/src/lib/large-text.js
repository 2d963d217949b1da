// Display preferences kept in this browser. Only the token store touches "jwt-token"; this
// module owns "classroom-large-text", the projector-friendly larger type.

export const LARGE_TEXT_KEY = "classroom-large-text";

/** Whether larger text was switched on in this browser. */
export function getLargeText() {
  try {
    return window.localStorage.getItem(LARGE_TEXT_KEY) === "on";
  } catch {
    return false; // storage blocked (some privacy modes): default size
  }
}

/** Remember the choice; a blocked storage only means it is forgotten on reload. */
export function setLargeText(on) {
  try {
    if (on) window.localStorage.setItem(LARGE_TEXT_KEY, "on");
    else window.localStorage.removeItem(LARGE_TEXT_KEY);
  } catch {
    // Nothing to do: the page still switches, it just will not remember.
  }
}

/** Apply the choice to the page: a class on <html> that the stylesheet scales from. */
export function applyLargeText(on) {
  document.documentElement.classList.toggle("large-text", on);
}
