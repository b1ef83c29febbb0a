/**
 * The events ValueTier sends to webhook endpoints, and the payload of each (docs/webhooks.md).
 * Payloads carry customers by their external id, amounts as integer minor units or decimal
 * strings, points as integers and times as ISO 8601 text in UTC.
 */
export const WEBHOOK_EVENT_TYPES = [
  "tier.changed",
  "points.expiring_soon",
  "reward.redeemed",
  "campaign.started",
  "campaign.ended",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * A customer's value tier after a scoring run differs from the one of the previous current run
 * (`previousTier` null: the customer had none, e.g. new since, or this is the first run); or,
 * under a points or spend tier policy, an earn moved the customer up at once (`scoringRunId`:
 * the current run whose tier state changed; `changedAt`: the earn's time).
 */
export interface TierChangedPayload {
  customerId: string;
  previousTier: string | null;
  tier: string;
  scoringRunId: number;
  changedAt: string;
}

/** Points of a customer that expire within the notice window. */
export interface PointsExpiringSoonPayload {
  customerId: string;
  points: number;
  expiresAt: string;
  /** The balance the customer has now (the expiring points included). */
  balance: number;
}

/** A customer redeemed a reward for points. */
export interface RewardRedeemedPayload {
  customerId: string;
  redemptionId: string;
  rewardId: string;
  rewardName: string;
  points: number;
  redeemedAt: string;
}

/** A campaign started running (launched, or resumed is not a start). */
export interface CampaignStartedPayload {
  campaignId: string;
  name: string;
  startedAt: string;
  endsAt: string | null;
  treatmentCustomers: number;
  controlCustomers: number;
}

/** A campaign ended (by its schedule or by hand). */
export interface CampaignEndedPayload {
  campaignId: string;
  name: string;
  endedAt: string;
}

/** Each event type's payload. */
export interface WebhookPayloads {
  "tier.changed": TierChangedPayload;
  "points.expiring_soon": PointsExpiringSoonPayload;
  "reward.redeemed": RewardRedeemedPayload;
  "campaign.started": CampaignStartedPayload;
  "campaign.ended": CampaignEndedPayload;
}

/**
 * An event to emit: its type, its payload, and a key that names the fact it reports (e.g.
 * "redemption:42"), so that emitting the same fact twice makes one event.
 */
export type WebhookEvent = {
  [T in WebhookEventType]: { type: T; key: string; payload: WebhookPayloads[T] };
}[WebhookEventType];
