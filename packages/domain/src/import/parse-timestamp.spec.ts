import { describe, expect, it } from "vitest";
import { parseTimestamp } from "./parse-timestamp";

const iso = (text: string) => {
  const result = parseTimestamp(text);
  return result.ok ? result.date.toISOString() : `error: ${result.message}`;
};

describe("parseTimestamp", () => {
  it("reads dates as midnight UTC", () => {
    expect(iso("2024-03-05")).toBe("2024-03-05T00:00:00.000Z");
    expect(iso(" 2024-03-05 ")).toBe("2024-03-05T00:00:00.000Z");
  });

  it("reads ISO 8601 date-times with and without zone", () => {
    expect(iso("2024-03-05T10:30:15Z")).toBe("2024-03-05T10:30:15.000Z");
    expect(iso("2024-03-05T10:30")).toBe("2024-03-05T10:30:00.000Z");
    expect(iso("2024-03-05 10:30:15.25")).toBe("2024-03-05T10:30:15.250Z");
    expect(iso("2024-03-05T10:30:15.123456Z")).toBe("2024-03-05T10:30:15.123Z");
    expect(iso("2024-03-05T10:30:00+02:00")).toBe("2024-03-05T08:30:00.000Z");
    expect(iso("2024-03-05T10:30:00-0530")).toBe("2024-03-05T16:00:00.000Z");
    expect(iso("2024-03-05T01:00:00+05")).toBe("2024-03-04T20:00:00.000Z");
    expect(iso("2024-03-05t10:30:00.5 z")).toBe("2024-03-05T10:30:00.500Z");
    expect(iso("2024-03-05T10:30:00,05+00:00")).toBe("2024-03-05T10:30:00.050Z");
  });

  it("accepts 29 February in leap years only", () => {
    expect(iso("2024-02-29")).toBe("2024-02-29T00:00:00.000Z");
    expect(iso("2000-02-29")).toBe("2000-02-29T00:00:00.000Z");
    expect(iso("2023-02-29")).toMatch(/^error: .*has 28 days/);
    expect(iso("1900-02-29")).toMatch(/^error/);
  });

  it.each([
    "2023-02-30",
    "2023-04-31",
    "2023-13-01",
    "2023-00-10",
    "2023-01-00",
    "2023-01-01T24:00:00Z",
    "2023-01-01T12:60:00Z",
    "2023-01-01T12:00:61Z",
    "2023-01-01T12:00:00+15:00",
    "0999-12-31",
    "0050-06-01",
    "2023-01-01T12:00:00.1234567891Z",
    "2023-01-01T12:00:00.Z",
    "2023-01-01T12:00:00+0",
    "2023-01-01T12:00:00+02:0",
    "2023-01-01T12:00:00ZZ",
    "2023-01-01T1:00",
    "",
    "yesterday",
    "2023/01/05",
    "05.01.2023",
    "2023-1-5",
    "20230105",
    "2023-01-05T",
    "NaN",
  ])("refuses %j", (text) => {
    expect(parseTimestamp(text).ok).toBe(false);
  });
});
