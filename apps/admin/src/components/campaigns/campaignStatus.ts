import type { CampaignStatus, Role } from "../../gql/graphql";

/** What can be asked of a campaign (one mutation each). */
export type CampaignAction = "schedule" | "unschedule" | "launch" | "pause" | "resume" | "end";

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  "DRAFT",
  "SCHEDULED",
  "RUNNING",
  "PAUSED",
  "ENDED",
];

// The API's transition table (apps/api/src/modules/campaigns/campaign-status.ts), mirrored so
// that the page offers only the moves the API allows; the API still decides.
const TRANSITIONS: Readonly<Record<CampaignAction, readonly CampaignStatus[]>> = {
  schedule: ["DRAFT"],
  unschedule: ["SCHEDULED"],
  launch: ["DRAFT", "SCHEDULED"],
  pause: ["RUNNING"],
  resume: ["PAUSED"],
  end: ["SCHEDULED", "RUNNING", "PAUSED"],
};

const ORDER: readonly CampaignAction[] = [
  "launch",
  "schedule",
  "unschedule",
  "pause",
  "resume",
  "end",
];

/**
 * The actions allowed from a status, in the order the page shows them.
 *
 * @example
 * allowedActions("RUNNING") // ["pause", "end"]
 */
export function allowedActions(status: CampaignStatus): CampaignAction[] {
  return ORDER.filter((action) => TRANSITIONS[action].includes(status));
}

/**
 * Which fields may change: everything but the key before launch; once launched only the
 * name, the end, the time zone and the budget; nothing once ended.
 */
export function editableFields(status: CampaignStatus): "all" | "launched" | "none" {
  if (status === "DRAFT" || status === "SCHEDULED") return "all";
  return status === "ENDED" ? "none" : "launched";
}

/** naive-ui tag type per status. */
export function statusTagType(
  status: CampaignStatus,
): "default" | "info" | "success" | "warning" | "error" {
  switch (status) {
    case "DRAFT":
      return "default";
    case "SCHEDULED":
      return "info";
    case "RUNNING":
      return "success";
    case "PAUSED":
      return "warning";
    case "ENDED":
      return "default";
  }
}

// `campaigns:manage` goes to admins and marketers (apps/api/src/modules/auth/permissions.ts).
const MANAGES_CAMPAIGNS: Record<Role, boolean> = { ADMIN: true, MARKETER: true, ANALYST: false };

/** Whether a role may create and run campaigns; null while the role is not known. */
export function canManageCampaigns(role: Role | null | undefined): boolean | null {
  return role ? MANAGES_CAMPAIGNS[role] : null;
}
