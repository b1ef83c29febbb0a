import type { Actor } from "../modules/audit/audit.service";
import type { GraphQLContext } from "./context";

/** The audit actor for the caller of a mutation (resolvers run only after the access check). */
export function actorOf(ctx: GraphQLContext): Actor {
  const p = ctx.principal;
  if (!p) return { type: "system", id: null, label: "anonymous" };
  return p.kind === "user"
    ? { type: "user", id: p.userId, label: p.email }
    : { type: "api_key", id: p.apiKeyId, label: `${p.prefix} (${p.name})` };
}
