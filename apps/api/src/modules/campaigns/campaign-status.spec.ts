import { describe, expect, it } from "vitest";
import { DomainError } from "../../errors/domain-error";
import type { CampaignStatus } from "./campaign.entity";
import { CAMPAIGN_TRANSITIONS, nextStatus, type CampaignAction } from "./campaign-status";

const STATUSES: CampaignStatus[] = ["draft", "scheduled", "running", "paused", "ended"];
const ACTIONS = Object.keys(CAMPAIGN_TRANSITIONS) as CampaignAction[];

describe("campaign transitions", () => {
  it("moves along the allowed paths", () => {
    expect(nextStatus("draft", "schedule")).toBe("scheduled");
    expect(nextStatus("scheduled", "unschedule")).toBe("draft");
    expect(nextStatus("draft", "launch")).toBe("running");
    expect(nextStatus("scheduled", "launch")).toBe("running");
    expect(nextStatus("running", "pause")).toBe("paused");
    expect(nextStatus("paused", "resume")).toBe("running");
    expect(nextStatus("paused", "end")).toBe("ended");
  });

  it("allows exactly 9 moves; every other pair is a coded refusal naming what is allowed", () => {
    let allowed = 0;
    for (const status of STATUSES) {
      for (const action of ACTIONS) {
        try {
          nextStatus(status, action);
          allowed++;
        } catch (error) {
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe("INVALID_TRANSITION");
          expect((error as DomainError).message).toContain(`a ${status} campaign cannot ${action}`);
        }
      }
    }
    expect(allowed).toBe(9);
  });

  it("never launches twice: a campaign that has run cannot be launched (its members are frozen)", () => {
    for (const status of ["running", "paused", "ended"] as const) {
      expect(() => nextStatus(status, "launch")).toThrow(/cannot launch/);
    }
    expect(() => nextStatus("ended", "resume")).toThrow(/ended campaign is final/);
  });
});
