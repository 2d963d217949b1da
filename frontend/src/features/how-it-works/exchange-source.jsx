// Whether the page shows this browser's own requests or example values, said once at the top.
import { Link } from "react-router";
import { PAGES } from "../../lib/paths.js";

/** The line under the title: live (your own requests) or example values. */
export function ExchangeSource({ exchange }) {
  if (!exchange.live) {
    return (
      <p className="message message-note">
        Example values: <Link to={PAGES.login}>log in</Link> and this page shows
        your own requests instead.
      </p>
    );
  }
  return (
    <p role="status" className="message message-success">
      Live: these are your own requests
      {exchange.loginAt
        ? ` from your login at ${exchange.loginAt.toLocaleTimeString()}`
        : ""}
      , as {exchange.username}. The password is never shown.
    </p>
  );
}
