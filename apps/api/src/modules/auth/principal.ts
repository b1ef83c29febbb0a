import type { Role } from "../users/user.entity";
import type { Permission } from "./permissions";

/** Who is calling the API. */
export type Principal =
  | {
      kind: "user";
      userId: number;
      /** The session the request's token names; logout ends it. */
      sessionId: string;
      email: string;
      role: Role;
      permissions: ReadonlySet<Permission>;
    }
  | {
      kind: "api_key";
      apiKeyId: number;
      name: string;
      prefix: string;
      permissions: ReadonlySet<Permission>;
    };

export function describePrincipal(principal: Principal): string {
  return principal.kind === "user"
    ? `user ${principal.email} (${principal.role})`
    : `API key ${principal.prefix} ("${principal.name}")`;
}
