import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "../../testing/test-server";
import { AuditEntryEntity } from "../audit/audit-entry.entity";
import { ValueSettingsEntity } from "./value-settings.entity";

interface Payload {
  updateValueSettings: {
    settings: { horizonMonths: number; monthlyDiscountRate: string; defaultMarginRate: string };
    userErrors: { field: string | null; code: string; message: string }[];
  };
}

const UPDATE = `mutation($input: UpdateValueSettingsInput!) {
  updateValueSettings(input: $input) {
    settings { horizonMonths monthlyDiscountRate defaultMarginRate }
    userErrors { field code message }
  }
}`;

describe("updateValueSettings refusals", () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await startTestApi();
    token = await api.adminToken();
  });
  afterAll(async () => api?.close());

  async function stored() {
    return {
      rows: await api.db.dataSource.getRepository(ValueSettingsEntity).count(),
      audits: await api.db.dataSource
        .getRepository(AuditEntryEntity)
        .countBy({ entityType: "value_settings" }),
    };
  }

  // Each refusal: the input, then the userErrors' field and code, and the bound the message names.
  const cases: [string, Record<string, unknown>, string, string, string][] = [
    [
      "a horizon of 0",
      { horizonMonths: 0 },
      "input.horizonMonths",
      "HORIZON_OUT_OF_RANGE",
      "1 to 120",
    ],
    [
      "a horizon of 999",
      { horizonMonths: 999 },
      "input.horizonMonths",
      "HORIZON_OUT_OF_RANGE",
      "(got 999)",
    ],
    [
      "a discount rate of 5",
      { monthlyDiscountRate: "5" },
      "input.monthlyDiscountRate",
      "RATE_OUT_OF_RANGE",
      "from 0 to 1",
    ],
    [
      "a margin rate of 1%",
      { defaultMarginRate: "1%" },
      "input.defaultMarginRate",
      "RATE_NOT_DECIMAL",
      '"1%"',
    ],
    [
      "a FIXED source without an amount",
      { cacSource: "FIXED" },
      "input.fixedCac",
      "FIXED_CAC_REQUIRED",
      "fixed amount",
    ],
    [
      "a negative fixed CAC",
      { cacSource: "FIXED", fixedCac: "-5.00" },
      "input.fixedCac",
      "FIXED_CAC_NEGATIVE",
      "at least 0",
    ],
    [
      "a fixed CAC with the CHANNEL source",
      { fixedCac: "5.00" },
      "input.fixedCac",
      "FIXED_CAC_WITHOUT_FIXED_SOURCE",
      "only applies",
    ],
  ];

  it.each(cases)(
    "refuses %s as a userError with its code, and saves nothing",
    async (_, input, field, code, said) => {
      const before = await stored();
      const res = await api.gql<Payload>(UPDATE, { input }, token);
      expect(res.errors).toBeUndefined();
      const payload = res.data!.updateValueSettings;
      expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual([[field, code]]);
      expect(payload.userErrors[0]!.message).toContain(said);
      // the defaults still apply: no row, no audit entry, and the payload shows them unchanged
      expect(await stored()).toEqual(before);
      expect(before.rows).toBe(0);
      expect(payload.settings).toEqual({
        horizonMonths: 12,
        monthlyDiscountRate: "0.01",
        defaultMarginRate: api.config.defaultMarginRate,
      });
    },
  );

  it("returns every refusal of one change together", async () => {
    const res = await api.gql<Payload>(
      UPDATE,
      { input: { horizonMonths: 121, monthlyDiscountRate: "5", defaultMarginRate: "abc" } },
      token,
    );
    expect(res.data!.updateValueSettings.userErrors.map((e) => e.code)).toEqual([
      "HORIZON_OUT_OF_RANGE",
      "RATE_OUT_OF_RANGE",
      "RATE_NOT_DECIMAL",
    ]);
    expect((await stored()).rows).toBe(0);
  });

  it("saves the bounds themselves as given", async () => {
    const res = await api.gql<Payload>(
      UPDATE,
      { input: { horizonMonths: 120, monthlyDiscountRate: "1", defaultMarginRate: "0" } },
      token,
    );
    expect(res.data!.updateValueSettings).toEqual({
      settings: { horizonMonths: 120, monthlyDiscountRate: "1", defaultMarginRate: "0" },
      userErrors: [],
    });
    expect(await stored()).toEqual({ rows: 1, audits: 1 });
  });
});
