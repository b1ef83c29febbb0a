import type { Role } from "../gql/graphql";

// The API grants `value:manage` (start scoring runs, change the value settings) to these
// roles (apps/api/src/modules/auth/permissions.ts). `me` carries only the role, so the admin
// mirrors that one rule to show a plain message instead of a button that would be refused;
// the API still decides. A Record over `Role`, so a new role fails the typecheck here.
const MANAGES_VALUE: Record<Role, boolean> = { ADMIN: true, MARKETER: true, ANALYST: false };

/**
 * Whether a role may start scoring runs and change the value settings.
 *
 * @param role - the signed-in user's role, or null while it is not known.
 * @returns true or false for a known role; null when the role is not known (let the API decide).
 * @example
 * canManageValue("ANALYST") // false
 */
export function canManageValue(role: Role | null | undefined): boolean | null {
  return role ? MANAGES_VALUE[role] : null;
}
