import { Link } from "react-router";
import { PAGES } from "../../lib/paths.js";

/** Any path the app does not know. */
export function NotFoundPage() {
  return (
    <article className="prose">
      <h1>Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <Link to={PAGES.home}>Back to the start page</Link>
      </p>
    </article>
  );
}
