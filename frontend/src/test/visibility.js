// Test-only: the browser hiding or showing this tab (another tab in front, the window minimised,
// the phone locked), as the page sees it: document.visibilityState and a visibilitychange event.

/** Make the tab "hidden" or "visible" and tell the page. */
export function showTab(state) {
  Object.defineProperty(document, "visibilityState", {
    configurable: true,
    get: () => state,
  });
  document.dispatchEvent(new Event("visibilitychange"));
}
