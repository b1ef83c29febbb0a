/**
 * The event types an endpoint may subscribe to, as the API names them. The schema types them
 * as plain strings (`CreateWebhookEndpointInput.events` documents the list; the API refuses
 * any other value with a userError), so they are listed here with their explanations.
 */
export const WEBHOOK_EVENTS = [
  "tier.changed",
  "points.expiring_soon",
  "reward.redeemed",
  "campaign.started",
  "campaign.ended",
] as const;

export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** i18n key of each event's explanation. */
export const WEBHOOK_EVENT_DESCRIPTION = {
  "tier.changed": "settings.webhooks.events.tierChanged",
  "points.expiring_soon": "settings.webhooks.events.pointsExpiringSoon",
  "reward.redeemed": "settings.webhooks.events.rewardRedeemed",
  "campaign.started": "settings.webhooks.events.campaignStarted",
  "campaign.ended": "settings.webhooks.events.campaignEnded",
} as const satisfies Record<WebhookEventName, string>;
