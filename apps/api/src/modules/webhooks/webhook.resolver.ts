import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { parseId } from "../../db/ids";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import { PageArgs, toConnection } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { WEBHOOK_EVENT_TYPES } from "./webhook-event-types";
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  RedeliverWebhookPayload,
  toWebhookDeliveryNode,
  toWebhookEndpointNode,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookDeliveryStatusGql,
  WebhookEndpointNode,
  WebhookEndpointPayload,
} from "./webhook.types";

@Resolver()
export class WebhookResolver {
  @Query(() => [String], { description: "The event types an endpoint may subscribe to." })
  @Allow("webhooks:manage")
  webhookEventTypes(): string[] {
    return [...WEBHOOK_EVENT_TYPES];
  }

  @Query(() => [WebhookEndpointNode], { description: "Every webhook endpoint, oldest first." })
  @Allow("webhooks:manage")
  async webhookEndpoints(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpointNode[]> {
    return (await ctx.services.webhooks.listEndpoints()).map(toWebhookEndpointNode);
  }

  @Query(() => WebhookDeliveryConnection, {
    description: "The delivery log, newest first: of one endpoint and/or one status.",
  })
  @Allow("webhooks:manage")
  async webhookDeliveries(
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
    @Arg("endpointId", () => ID, { nullable: true }) endpointId?: string | null,
    @Arg("status", () => WebhookDeliveryStatusGql, { nullable: true })
    status?: WebhookDeliveryStatusGql | null,
  ): Promise<InstanceType<typeof WebhookDeliveryConnection>> {
    const service = ctx.services.webhooks;
    const { page, countTotal } = await service.deliveries(
      { endpointId: endpointId ? parseId(endpointId, "endpointId") : null, status },
      first,
      after,
    );
    const events = await service.events(page.rows.map((d) => d.eventId));
    return toConnection(
      WebhookDeliveryConnection,
      page,
      (d) => toWebhookDeliveryNode(d, events.get(d.eventId)),
      countTotal,
    );
  }

  @Mutation(() => CreateWebhookEndpointPayload, {
    description: "Makes a webhook endpoint; its signing secret is in this payload only.",
  })
  @Allow("webhooks:manage")
  async createWebhookEndpoint(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
  ): Promise<CreateWebhookEndpointPayload> {
    const result = await ctx.services.webhooks.createEndpoint(input, actorOf(ctx));
    if (Array.isArray(result)) return { endpoint: null, secret: null, userErrors: result };
    return {
      endpoint: toWebhookEndpointNode(result.endpoint),
      secret: result.secret,
      userErrors: [],
    };
  }

  @Mutation(() => WebhookEndpointPayload, {
    description: "Changes an endpoint's URL, events, description, or enables/disables it.",
  })
  @Allow("webhooks:manage")
  async updateWebhookEndpoint(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
  ): Promise<WebhookEndpointPayload> {
    const result = await ctx.services.webhooks.updateEndpoint(
      parseId(id, "id"),
      input,
      actorOf(ctx),
    );
    return Array.isArray(result)
      ? { endpoint: null, userErrors: result }
      : { endpoint: toWebhookEndpointNode(result), userErrors: [] };
  }

  @Mutation(() => WebhookEndpointPayload, {
    description: "Deletes an endpoint and its delivery log.",
  })
  @Allow("webhooks:manage")
  async deleteWebhookEndpoint(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<WebhookEndpointPayload> {
    const result = await ctx.services.webhooks.deleteEndpoint(parseId(id, "id"), actorOf(ctx));
    return Array.isArray(result)
      ? { endpoint: null, userErrors: result }
      : { endpoint: toWebhookEndpointNode(result), userErrors: [] };
  }

  @Mutation(() => RedeliverWebhookPayload, {
    description:
      "Sends a delivery again: a new attempt within seconds (one attempt, no automatic retries after it, for a delivered or failed one).",
  })
  @Allow("webhooks:manage")
  async redeliverWebhook(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<RedeliverWebhookPayload> {
    const service = ctx.services.webhooks;
    const result = await service.redeliver(parseId(id, "id"), actorOf(ctx));
    if (Array.isArray(result)) return { delivery: null, userErrors: result };
    const events = await service.events([result.eventId]);
    return { delivery: toWebhookDeliveryNode(result, events.get(result.eventId)), userErrors: [] };
  }
}
