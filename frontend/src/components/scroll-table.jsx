// A table of rows (the lab's request log, the classroom's sessions) that scrolls sideways inside
// its own box on a narrow screen, so the page never does. The box is named and takes keyboard
// focus, so it can be scrolled without a mouse and a screen reader says what it holds.

/** `label` names the box, `columns` the header cells; `children` are the body's <tr>s. */
export function ScrollTable({ label, columns, children }) {
  return (
    <div className="table-scroll" tabIndex={0} aria-label={label}>
      <table className="log">
        <thead>
          <tr>
            {columns.map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
