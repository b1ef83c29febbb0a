import type { Role } from "../../gql/graphql";

// A Record over the schema's `Role` enum: a role added to the schema fails the typecheck
// here until it is given a place in the list.
const ROLE_RANK: Record<Role, number> = { ADMIN: 0, MARKETER: 1, ANALYST: 2 };

/** Every role, most privileged first. */
export const ROLES: readonly Role[] = (Object.keys(ROLE_RANK) as Role[]).sort(
  (a, b) => ROLE_RANK[a] - ROLE_RANK[b],
);
