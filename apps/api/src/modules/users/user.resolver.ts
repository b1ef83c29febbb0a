import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { Allow, Public } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import { PageArgs, toConnection } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { userError } from "../../graphql/errors";
import { toUserNode } from "./user.mapper";
import {
  CreateUserInput,
  LoginPayload,
  LogoutPayload,
  UpdateUserInput,
  UserConnection,
  UserNode,
  UserPayload,
} from "./user.types";

@Resolver(() => UserNode)
export class UserResolver {
  @Mutation(() => LoginPayload, { description: "Exchanges email and password for a bearer token." })
  @Public()
  async login(
    @Ctx() ctx: GraphQLContext,
    @Arg("email", () => String) email: string,
    @Arg("password", () => String) password: string,
  ): Promise<LoginPayload> {
    const result = await ctx.services.users.login(email, password, {
      jwtSecret: ctx.config.jwtSecret,
      ttlSeconds: ctx.config.tokenTtlSeconds,
      clientIp: ctx.clientIp,
    });
    if ("userError" in result)
      return {
        token: null,
        user: null,
        retryAfterSeconds: result.retryAfterSeconds,
        userErrors: [result.userError],
      };
    return {
      token: result.token,
      user: toUserNode(result.user),
      retryAfterSeconds: null,
      userErrors: [],
    };
  }

  @Mutation(() => LogoutPayload, {
    description: "Ends the session of the token this request carries; the token stops working.",
  })
  @Allow()
  async logout(@Ctx() ctx: GraphQLContext): Promise<LogoutPayload> {
    if (ctx.principal?.kind !== "user") {
      return {
        loggedOut: false,
        userErrors: [
          userError(null, "NOT_A_SESSION", "an API key has no session to end: revoke the key"),
        ],
      };
    }
    const loggedOut = await ctx.services.users.logout(ctx.principal.sessionId, actorOf(ctx));
    return { loggedOut, userErrors: [] };
  }

  @Query(() => UserNode, { nullable: true, description: "The signed-in user; null for API keys." })
  @Allow()
  async me(@Ctx() ctx: GraphQLContext): Promise<UserNode | null> {
    if (ctx.principal?.kind !== "user") return null;
    const user = await ctx.services.users.findById(ctx.principal.userId);
    return user ? toUserNode(user) : null;
  }

  @Query(() => UserConnection)
  @Allow("users:manage")
  async users(
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
  ): Promise<UserConnection> {
    const { page, countTotal } = await ctx.services.users.list(first, after);
    return toConnection(UserConnection, page, toUserNode, countTotal);
  }

  @Mutation(() => UserPayload)
  @Allow("users:manage")
  async createUser(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => CreateUserInput) input: CreateUserInput,
  ): Promise<UserPayload> {
    const result = await ctx.services.users.create(input, actorOf(ctx));
    return Array.isArray(result)
      ? { user: null, userErrors: result }
      : { user: toUserNode(result), userErrors: [] };
  }

  @Mutation(() => UserPayload, { description: "Changes a user's name or role, or disables them." })
  @Allow("users:manage")
  async updateUser(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UpdateUserInput) input: UpdateUserInput,
  ): Promise<UserPayload> {
    const result = await ctx.services.users.update(input, actorOf(ctx));
    return Array.isArray(result)
      ? { user: null, userErrors: result }
      : { user: toUserNode(result), userErrors: [] };
  }
}
