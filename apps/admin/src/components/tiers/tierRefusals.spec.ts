import { describe, expect, it } from "vitest";
import type { TierIssueCode } from "@valuetier/domain";
import en from "../../i18n/en";
import zhTW from "../../i18n/zh-TW";
import { TIER_CODES, tierRefusal } from "./tierRefusals";

// Every code of the domain's policy check, listed at compile time: a new code fails the
// typecheck here until it is translated.
const DOMAIN_CODES: Record<TierIssueCode, true> = {
  TIERS_EMPTY: true,
  TIER_KEY_INVALID: true,
  TIER_KEY_DUPLICATE: true,
  TIER_RANK_INVALID: true,
  TIER_RANK_DUPLICATE: true,
  POLICY_KIND_UNKNOWN: true,
  POLICY_TIER_UNKNOWN: true,
  POLICY_TIER_ORDER: true,
  PERCENT_OUT_OF_RANGE: true,
  PERCENT_TOTAL_OVER_100: true,
  THRESHOLD_NOT_WHOLE: true,
  THRESHOLDS_NOT_DESCENDING: true,
  WINDOW_OUT_OF_RANGE: true,
};

describe("tier refusals", () => {
  it("has a message in both languages for every code it knows", () => {
    for (const code of TIER_CODES) {
      expect(en.tiersPage.codes[code], code).toBeTruthy();
      expect(zhTW.tiersPage.codes[code], code).toBeTruthy();
    }
  });

  it("knows the domain's policy codes a user can meet", () => {
    // Rank codes cannot come from the form: ranks are set by reordering.
    const reachable = Object.keys(DOMAIN_CODES).filter((c) => !c.startsWith("TIER_RANK_"));
    expect(reachable.filter((c) => !(TIER_CODES as readonly string[]).includes(c))).toEqual([]);
  });

  it("translates a known code and keeps the server's message for an unknown one", () => {
    const t = ((key: string) => `<${key}>`) as never;
    expect(
      tierRefusal(t, { field: "input.graceDays", code: "GRACE_OUT_OF_RANGE", message: "x" }),
    ).toEqual({
      field: "input.graceDays",
      code: "GRACE_OUT_OF_RANGE",
      message: "<tiersPage.codes.GRACE_OUT_OF_RANGE>",
    });
    expect(tierRefusal(t, { code: "SOMETHING_NEW", message: "as sent" }).message).toBe("as sent");
  });
});
