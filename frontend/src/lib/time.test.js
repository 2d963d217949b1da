import { describe, expect, test } from "vitest";
import { formatCountdown } from "./time.js";

describe("formatCountdown", () => {
  test("counts down in minutes and seconds, with hours past the hour", () => {
    expect(formatCountdown(14 * 60 + 32)).toBe("14:32");
    expect(formatCountdown(5)).toBe("0:05");
    expect(formatCountdown(3723)).toBe("1:02:03");
    expect(formatCountdown(-3)).toBe("0:00");
  });
});
