import type { UserEntity } from "./user.entity";
import { RoleGql, type UserNode } from "./user.types";

export function toUserNode(user: UserEntity): UserNode {
  return {
    id: String(user.id),
    email: user.email,
    name: user.name,
    role: RoleGql[user.role],
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
  };
}
