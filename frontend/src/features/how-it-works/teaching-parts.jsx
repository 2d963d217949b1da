// The small pieces every section of /how-it-works is built from: a titled panel, a request or
// response as it travels, a JSON value, and the "Done by" line that names the code.

/** One titled panel, a region named by its heading. */
export function Panel({ id, title, children }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      {children}
    </section>
  );
}

/** A request or response as it travels, named for screen readers by `label`. */
export function WireText({ label, children }) {
  return (
    // tabIndex: a long line scrolls sideways, and keyboard users must be able to reach it.
    <pre className="exchange" tabIndex={0} aria-label={label}>
      {children}
    </pre>
  );
}

/** A JSON value, pretty-printed. */
export function JsonText({ value, label }) {
  return (
    // tabIndex: a long line scrolls sideways, and keyboard users must be able to reach it.
    <pre className="json" tabIndex={0} aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** "Done by: file function; file function": where in this repository a step happens. */
export function DoneBy({ places }) {
  return (
    <p className="done-by">
      <strong>Done by: </strong>
      {places.map(([file, fn], index) => (
        <span key={`${file}-${fn}`}>
          {index > 0 && "; "}
          <code>{file}</code> <code>{fn}</code>
        </span>
      ))}
    </p>
  );
}
