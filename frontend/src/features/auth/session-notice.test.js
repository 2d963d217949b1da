import { describe, expect, test } from "vitest";
import { ApiError } from "../../api/http.js";
import { sessionEndedNotice } from "./session-notice.js";

const refusal = (kind, msg) => new ApiError(401, msg, { kind });

describe("what /login says when the server ended the session", () => {
  test.each([
    ["token_expired", "Your session expired, please log in again"],
    ["token_missing", "Your session expired, please log in again"],
    [
      "token_revoked",
      "Your session has ended: Token has been revoked. Please log in again.",
    ],
    ["session_ended", "Your session was ended by the teacher"],
    ["session_over", "Your session is over: please log in again"],
    [
      "refresh_reused",
      "Your session has ended: its refresh token was used twice, as a stolen copy would be, so the server ended the whole session. Please log in again.",
    ],
    [
      "user_not_found",
      "Your session has ended: your account no longer exists.",
    ],
    [
      "key_retired",
      "Your session has ended: the key that signed your token was retired. Please log in again.",
    ],
  ])(
    "%s: the app's own sentence, whatever the server's words",
    (kind, says) => {
      expect(sessionEndedNotice(refusal(kind, "Reworded by the server"))).toBe(
        says,
      );
    },
  );

  test.each([["token_invalid"], ["a_kind_added_later"], [null]])(
    "%s: the server's reason, since only it knows which check failed",
    (kind) => {
      expect(
        sessionEndedNotice(refusal(kind, "Signature verification failed.")),
      ).toBe(
        "Your session has ended: Signature verification failed. Please log in again.",
      );
    },
  );
});
