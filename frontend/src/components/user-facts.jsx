// Who GET /api/protected says you are: shown on /private and in the lab's token inspector.

/** The user's name and id, as a definition list. */
export function UserFacts({ user }) {
  return (
    <dl className="facts">
      <dt>Username</dt>
      <dd>{user.username}</dd>
      <dt>User id</dt>
      <dd>{user.id}</dd>
    </dl>
  );
}
