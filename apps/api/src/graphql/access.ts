import { Authorized, Extensions } from "type-graphql";
import type { Permission } from "../modules/auth/permissions";

/**
 * Every root field says who may call it, with exactly one of these decorators; a test walks the
 * schema and fails on a field that has neither.
 *
 * `Allow(...permissions)`: a signed-in user whose role grants, or an API key whose scopes
 * include, every listed permission. `Allow()` with none: any signed-in user or key.
 */
export function Allow(...permissions: Permission[]): MethodDecorator {
  const authorized = Authorized(...permissions);
  const extensions = Extensions({ access: permissions.length ? permissions : ["authenticated"] });
  return (target, key, descriptor) => {
    authorized(target, key, descriptor);
    extensions(target, key, descriptor);
  };
}

/** Open to anonymous callers (login). */
export function Public(): MethodDecorator {
  return Extensions({ access: ["public"] });
}

/**
 * Everything of an object type, wherever it appears (a query, a nested field, a mutation's
 * payload), may be read only by a caller holding `permissions`: a field is authorised as if it
 * were queried directly. Field resolvers of the type that live in resolver classes need the
 * same `@Authorized` on their class (see CustomerValueResolver).
 */
export function ReadableWith(...permissions: Permission[]): ClassDecorator {
  const authorized = Authorized(...permissions);
  const extensions = Extensions({ readAccess: permissions });
  return (target) => {
    authorized(target);
    extensions(target);
  };
}
