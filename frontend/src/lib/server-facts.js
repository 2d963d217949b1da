// Sentences about the server that several pages state, made from server-facts.json: which
// routes answer 403, what a stock flask-jwt-extended answers to each bad token, what a role
// change does. backend/tests/test_teaching_facts.py and test_library_claims.py check the JSON
// against the code, so a page cannot say one thing while the server does another.
import FACTS from "./server-facts.json";

export const FORBIDDEN = FACTS.forbidden;
export const LIBRARY_ANSWERS = FACTS.libraryAnswers;
export const ROLE_CHANGE = FACTS.roleChange;

/** `a, b and c` (the last two joined by `word`); with ";", `a; b; c`. */
function list(items, word = "and") {
  if (items.length < 2) return items.join("");
  const joint = word === ";" ? "; " : ` ${word} `;
  return `${items.slice(0, -1).join(word === ";" ? "; " : ", ")}${joint}${items.at(-1)}`;
}

/** What a stock flask-jwt-extended answers to one bad token: `422 "Signature verification failed"`. */
export function libraryAnswer(id) {
  const answer = LIBRARY_ANSWERS.find((entry) => entry.id === id);
  if (!answer)
    throw new Error(`server-facts.json has no library answer "${id}"`);
  return `${answer.status} "${answer.msg}"`;
}

/** Every status a stock flask-jwt-extended gives, with the tokens that get it, in one sentence. */
export function libraryStatuses() {
  const statuses = [...new Set(LIBRARY_ANSWERS.map((entry) => entry.status))];
  return list(
    statuses.map((status) => {
      const tokens = LIBRARY_ANSWERS.filter((e) => e.status === status).map(
        (e) => e.token,
      );
      return `${status} for ${list(tokens, "or")}`;
    }),
    ";",
  );
}

/** Where this app answers 403, and when: `/api/classroom/... (a genuine token ...) and ...`. */
export function forbiddenRoutes() {
  return list(FORBIDDEN.map((entry) => `${entry.routes} (${entry.when})`));
}
