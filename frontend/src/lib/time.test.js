import { describe, expect, test } from "vitest";
import { formatCountdown, hoursAndMinutes, lastTimeAt } from "./time.js";

describe("formatCountdown", () => {
  test("counts down in minutes and seconds, with hours past the hour", () => {
    expect(formatCountdown(14 * 60 + 32)).toBe("14:32");
    expect(formatCountdown(5)).toBe("0:05");
    expect(formatCountdown(3723)).toBe("1:02:03");
    expect(formatCountdown(-3)).toBe("0:00");
  });
});

describe("lastTimeAt", () => {
  const now = new Date(2026, 11, 7, 10, 30).getTime(); // 7 December, 10:30 local time

  test("a time already past today is today's", () => {
    expect(lastTimeAt("09:05", now)).toEqual(new Date(2026, 11, 7, 9, 5));
  });

  test("a time still ahead today is yesterday's: the class started before midnight", () => {
    expect(lastTimeAt("23:30", now)).toEqual(new Date(2026, 11, 6, 23, 30));
  });

  test("hoursAndMinutes gives it back as an input holds it", () => {
    expect(hoursAndMinutes(lastTimeAt("09:05", now))).toBe("09:05");
  });
});
