// "Larger text" for projectors: a toggle button (aria-pressed tells screen readers its state),
// remembered in this browser by lib/large-text.js.
import { useEffect, useState } from "react";
import {
  applyLargeText,
  getLargeText,
  setLargeText,
} from "../lib/large-text.js";

/** The header's larger-text switch. */
export function LargeTextToggle() {
  const [on, setOn] = useState(getLargeText);

  useEffect(() => applyLargeText(on), [on]);

  function toggle() {
    setLargeText(!on);
    setOn(!on);
  }

  return (
    <button
      type="button"
      className="button-secondary"
      aria-pressed={on}
      onClick={toggle}
    >
      Larger text
    </button>
  );
}
