// The page's last word: the grader checks a student's own implementation of the same steps.

/** Where to go next: `make grade` against your own app. */
export function GradeYourOwn() {
  return (
    <section aria-labelledby="grade-heading">
      <h2 id="grade-heading">Now grade your own</h2>
      <p>
        Built the lesson into your own Flask and React app? Start it, then run{" "}
        <code>
          make grade API=http://localhost:3001/api APP=http://localhost:3000
          USERNAME=you PASSWORD=yours
        </code>{" "}
        in this repository. It checks every step above against your app, in a
        real browser, and says what is wrong, why it matters and how to fix it
        (the README&apos;s &quot;Grade your own implementation&quot;).
      </p>
    </section>
  );
}
