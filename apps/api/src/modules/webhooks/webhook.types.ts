import { ArrayMaxSize, MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { UserError } from "../../graphql/errors";
import type { WebhookDeliveryEntity } from "./webhook-delivery.entity";
import type { WebhookEndpointEntity } from "./webhook-endpoint.entity";
import type { WebhookEventEntity } from "./webhook-event.entity";
import { WEBHOOK_EVENT_TYPES } from "./webhook-event-types";
import { endpointEvents } from "./webhook.service";

const EVENTS_DESCRIPTION = `Event types: ${WEBHOOK_EVENT_TYPES.join(", ")}.`;

/** GraphQL spellings of the stored (lower-case) delivery statuses. */
export enum WebhookDeliveryStatusGql {
  PENDING = "pending",
  SUCCEEDED = "succeeded",
  FAILED = "failed",
}
registerEnumType(WebhookDeliveryStatusGql, {
  name: "WebhookDeliveryStatus",
  description:
    "PENDING: waiting for its first attempt or a retry; SUCCEEDED: the endpoint answered 2xx; FAILED: given up after the last attempt.",
});

@ObjectType("WebhookEndpoint", { description: "A URL that receives signed events." })
export class WebhookEndpointNode {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  url: string;

  @Field(() => String)
  description: string;

  @Field(() => [String], { description: EVENTS_DESCRIPTION })
  events: string[];

  @Field(() => Boolean, { description: "False while disabled: nothing is sent to it." })
  active: boolean;

  @Field(() => String)
  createdBy: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType("WebhookEvent", { description: "One event as it is sent (the body's data)." })
export class WebhookEventNode {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  type: string;

  @Field(() => String, { description: "The payload, as JSON text." })
  payload: string;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType("WebhookDelivery", { description: "One event to one endpoint, with its attempts." })
export class WebhookDeliveryNode {
  @Field(() => ID, { description: "Also sent in the X-ValueTier-Delivery header." })
  id: string;

  @Field(() => ID)
  endpointId: string;

  @Field(() => WebhookEventNode, { nullable: true })
  event: WebhookEventNode | null;

  @Field(() => WebhookDeliveryStatusGql)
  status: WebhookDeliveryStatusGql;

  @Field(() => Int, { description: "HTTP attempts so far, automatic and by hand." })
  attempts: number;

  @Field(() => Date, { nullable: true, description: "When the next attempt is due (pending)." })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true })
  lastAttemptAt: Date | null;

  @Field(() => Int, { nullable: true, description: "HTTP status of the last answer." })
  responseStatus: number | null;

  @Field(() => String, { nullable: true, description: "The start of the last answer's body." })
  responseExcerpt: string | null;

  @Field(() => String, { nullable: true, description: "Why the last attempt failed." })
  lastError: string | null;

  @Field(() => Int, { nullable: true })
  durationMs: number | null;

  @Field(() => Date, { nullable: true })
  deliveredAt: Date | null;

  @Field(() => Date)
  createdAt: Date;
}

export const WebhookDeliveryConnection = Connection(WebhookDeliveryNode, "WebhookDelivery");

@InputType()
export class CreateWebhookEndpointInput {
  @Field(() => String, { description: "https:// or http:// URL, at most 2,000 characters." })
  @MaxLength(4000)
  url: string;

  @Field(() => [String], { description: EVENTS_DESCRIPTION })
  @ArrayMaxSize(20)
  events: string[];

  @Field(() => String, { nullable: true, description: "At most 200 characters." })
  @MaxLength(1000)
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: "Default true." })
  active?: boolean | null;
}

@InputType()
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  @MaxLength(4000)
  url?: string | null;

  @Field(() => [String], { nullable: true, description: EVENTS_DESCRIPTION })
  @ArrayMaxSize(20)
  events?: string[] | null;

  @Field(() => String, { nullable: true })
  @MaxLength(1000)
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: "False disables the endpoint." })
  active?: boolean | null;
}

@ObjectType()
export class CreateWebhookEndpointPayload {
  @Field(() => WebhookEndpointNode, { nullable: true })
  endpoint: WebhookEndpointNode | null;

  @Field(() => String, {
    nullable: true,
    description: "The signing secret, shown this once: keep it where the receiver can read it.",
  })
  secret: string | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class WebhookEndpointPayload {
  @Field(() => WebhookEndpointNode, { nullable: true })
  endpoint: WebhookEndpointNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class RedeliverWebhookPayload {
  @Field(() => WebhookDeliveryNode, { nullable: true })
  delivery: WebhookDeliveryNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

export function toWebhookEndpointNode(endpoint: WebhookEndpointEntity): WebhookEndpointNode {
  return {
    id: String(endpoint.id),
    url: endpoint.url,
    description: endpoint.description,
    events: endpointEvents(endpoint),
    active: endpoint.active === 1,
    createdBy: endpoint.createdBy,
    createdAt: endpoint.createdAt,
    updatedAt: endpoint.updatedAt,
  };
}

export function toWebhookDeliveryNode(
  delivery: WebhookDeliveryEntity,
  event: WebhookEventEntity | undefined,
): WebhookDeliveryNode {
  return {
    id: String(delivery.id),
    endpointId: String(delivery.endpointId),
    event: event
      ? {
          id: String(event.id),
          type: event.type,
          payload: JSON.stringify(JSON.parse(event.payloadJson)),
          createdAt: event.createdAt,
        }
      : null,
    status: delivery.status as WebhookDeliveryStatusGql,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt,
    lastAttemptAt: delivery.lastAttemptAt,
    responseStatus: delivery.responseStatus,
    responseExcerpt: delivery.responseExcerpt,
    lastError: delivery.lastError,
    durationMs: delivery.durationMs,
    deliveredAt: delivery.deliveredAt,
    createdAt: delivery.createdAt,
  };
}
