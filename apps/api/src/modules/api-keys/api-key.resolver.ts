import { Arg, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import type { GraphQLContext } from "../../graphql/context";
import type { ApiKeyEntity } from "./api-key.entity";
import {
  ApiKeyNode,
  CreateApiKeyInput,
  CreateApiKeyPayload,
  RevokeApiKeyPayload,
} from "./api-key.types";

export function toApiKeyNode(key: ApiKeyEntity): ApiKeyNode {
  return {
    id: String(key.id),
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes.split(",").filter(Boolean),
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    revoked: key.revokedAt !== null,
  };
}

@Resolver(() => ApiKeyNode)
export class ApiKeyResolver {
  @Query(() => [ApiKeyNode], { description: "Every API key, newest first, revoked ones included." })
  @Allow("api_keys:manage")
  async apiKeys(@Ctx() ctx: GraphQLContext): Promise<ApiKeyNode[]> {
    return (await ctx.services.apiKeys.list()).map(toApiKeyNode);
  }

  @Mutation(() => CreateApiKeyPayload, {
    description: "Creates an API key; its secret is in this payload only.",
  })
  @Allow("api_keys:manage")
  async createApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput,
  ): Promise<CreateApiKeyPayload> {
    const result = await ctx.services.apiKeys.create(input, actorOf(ctx));
    if (Array.isArray(result)) return { apiKey: null, secret: null, userErrors: result };
    return { apiKey: toApiKeyNode(result.key), secret: result.secret, userErrors: [] };
  }

  @Mutation(() => RevokeApiKeyPayload)
  @Allow("api_keys:manage")
  async revokeApiKey(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<RevokeApiKeyPayload> {
    const result = await ctx.services.apiKeys.revoke(id, actorOf(ctx));
    return Array.isArray(result)
      ? { apiKey: null, userErrors: result }
      : { apiKey: toApiKeyNode(result), userErrors: [] };
  }
}
