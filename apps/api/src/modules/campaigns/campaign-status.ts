import { DomainError } from "../../errors/domain-error";
import type { CampaignStatus } from "./campaign.entity";

/** What someone (or the scheduler) asks of a campaign. */
export type CampaignAction = "schedule" | "unschedule" | "launch" | "pause" | "resume" | "end";

/**
 * The allowed moves, and nothing else: every action names the statuses it starts from and the
 * one it leads to. Launch freezes the audience, so it exists only before the campaign has run;
 * a paused campaign resumes (same members) and an ended one is final.
 *
 *   draft ──schedule──▶ scheduled ──launch (by hand or at startsAt)──▶ running ⇄ paused
 *     │  ◀──unschedule──    │                                            │        │
 *     └──────launch─────────┼──────────────────────────────────────────▶ │        │
 *                           └──end──▶ ended ◀──────────end───────────────┴────────┘
 */
export const CAMPAIGN_TRANSITIONS: Readonly<
  Record<CampaignAction, { from: readonly CampaignStatus[]; to: CampaignStatus }>
> = {
  schedule: { from: ["draft"], to: "scheduled" },
  unschedule: { from: ["scheduled"], to: "draft" },
  launch: { from: ["draft", "scheduled"], to: "running" },
  pause: { from: ["running"], to: "paused" },
  resume: { from: ["paused"], to: "running" },
  end: { from: ["scheduled", "running", "paused"], to: "ended" },
};

/**
 * The status `action` leads to from `status`.
 *
 * @throws {DomainError} INVALID_TRANSITION naming the status, the action and what is allowed.
 * @example
 * nextStatus("running", "pause"); // "paused"
 * nextStatus("ended", "launch"); // throws INVALID_TRANSITION
 */
export function nextStatus(status: CampaignStatus, action: CampaignAction): CampaignStatus {
  const rule = CAMPAIGN_TRANSITIONS[action];
  if (!rule.from.includes(status)) {
    const allowed = (Object.keys(CAMPAIGN_TRANSITIONS) as CampaignAction[]).filter((a) =>
      CAMPAIGN_TRANSITIONS[a].from.includes(status),
    );
    throw new DomainError(
      "INVALID_TRANSITION",
      `a ${status} campaign cannot ${action}` +
        (allowed.length ? ` (it can: ${allowed.join(", ")})` : " (an ended campaign is final)"),
      { field: "id" },
    );
  }
  return rule.to;
}
