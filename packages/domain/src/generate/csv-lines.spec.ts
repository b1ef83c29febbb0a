import { describe, expect, it } from "vitest";
import { csvField, customerCsvLine, CUSTOMERS_CSV_HEADER } from "./csv-lines";

describe("csvField", () => {
  it("quotes only fields that need it, doubling inner quotes", () => {
    expect(csvField("O'Brien")).toBe("O'Brien");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });
});

describe("customerCsvLine", () => {
  it("writes the columns in header order", () => {
    const line = customerCsvLine({
      external_id: "C1",
      email: "a@example.com",
      name: "Lee, Ann",
      created_at: "2024-01-01T00:00:00Z",
      acquisition_channel: "email",
      acquisition_cost: "1.00",
      tags: "vip;b2b",
      nps: "9",
    });
    expect(line).toBe('C1,a@example.com,"Lee, Ann",2024-01-01T00:00:00Z,email,1.00,vip;b2b,9\n');
    expect(CUSTOMERS_CSV_HEADER.split(",")).toHaveLength(line.split(",").length - 1);
  });
});
