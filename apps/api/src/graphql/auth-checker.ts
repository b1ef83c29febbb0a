import type { AuthChecker } from "type-graphql";
import type { Permission } from "../modules/auth/permissions";
import { describePrincipal } from "../modules/auth/principal";
import type { GraphQLContext } from "./context";
import { apiError } from "./errors";

/**
 * Checks the permissions of `@Allow`, `@ReadableWith` and `@Authorized` (graphql/access.ts)
 * against the caller. Kept apart from the decorators, which object types import, so that types
 * do not depend on the request context.
 */
export const authChecker: AuthChecker<GraphQLContext, Permission> = (
  { context, info },
  required,
) => {
  const principal = context.principal;
  if (!principal) {
    throw apiError(
      "UNAUTHENTICATED",
      `${info.parentType.name}.${info.fieldName} needs a session token or an API key`,
    );
  }
  const missing = required.filter((permission) => !principal.permissions.has(permission));
  if (missing.length > 0) {
    throw apiError(
      "FORBIDDEN",
      `${info.parentType.name}.${info.fieldName} needs ${missing.join(", ")}, which ${describePrincipal(principal)} does not have`,
    );
  }
  return true;
};
