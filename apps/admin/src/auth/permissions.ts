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

// `segments:manage` and `tiers:manage` (save segments; define tiers and their policy) go to the
// same roles as `value:manage`: everyone but the read-only analyst. Kept as their own rules, so
// that a change on the API side has one place to change here.
const MANAGES_SEGMENTS: Record<Role, boolean> = { ADMIN: true, MARKETER: true, ANALYST: false };
const MANAGES_TIERS: Record<Role, boolean> = { ADMIN: true, MARKETER: true, ANALYST: false };

/**
 * Whether a role may save, change and delete segments.
 *
 * @returns true or false for a known role; null when the role is not known (let the API decide).
 * @example
 * canManageSegments("ANALYST") // false
 */
export function canManageSegments(role: Role | null | undefined): boolean | null {
  return role ? MANAGES_SEGMENTS[role] : null;
}

/**
 * Whether a role may define tiers and change the tier policy.
 *
 * @returns true or false for a known role; null when the role is not known (let the API decide).
 * @example
 * canManageTiers("MARKETER") // true
 */
export function canManageTiers(role: Role | null | undefined): boolean | null {
  return role ? MANAGES_TIERS[role] : null;
}

// Loyalty (apps/api/src/modules/auth/permissions.ts): `loyalty:manage` (the programme's settings
// and manual point adjustments) is the ADMIN role's; `rewards:manage` (the catalogue) and
// `loyalty:write` (redeem for a customer) go to everyone but the read-only analyst.
const MANAGES_LOYALTY: Record<Role, boolean> = { ADMIN: true, MARKETER: false, ANALYST: false };
const MANAGES_REWARDS: Record<Role, boolean> = { ADMIN: true, MARKETER: true, ANALYST: false };
const WRITES_LOYALTY: Record<Role, boolean> = { ADMIN: true, MARKETER: true, ANALYST: false };

/**
 * Whether a role may change the loyalty settings and adjust a customer's points by hand.
 *
 * @returns true or false for a known role; null when the role is not known (let the API decide).
 * @example
 * canManageLoyalty("MARKETER") // false
 */
export function canManageLoyalty(role: Role | null | undefined): boolean | null {
  return role ? MANAGES_LOYALTY[role] : null;
}

/**
 * Whether a role may create and change rewards.
 *
 * @returns true or false for a known role; null when the role is not known (let the API decide).
 */
export function canManageRewards(role: Role | null | undefined): boolean | null {
  return role ? MANAGES_REWARDS[role] : null;
}

/**
 * Whether a role may redeem a reward on a customer's behalf.
 *
 * @returns true or false for a known role; null when the role is not known (let the API decide).
 */
export function canWriteLoyalty(role: Role | null | undefined): boolean | null {
  return role ? WRITES_LOYALTY[role] : null;
}
