import { randomBytes } from "node:crypto";
import type { DataSource, EntityManager } from "typeorm";
import { fromSqlDateTime, toSqlDateTime } from "../../db/sql-values";
import type { Role } from "../users/user.entity";
import { SessionEntity } from "./session.entity";

/** Starts a session for a user, and forgets the user's sessions that have expired. */
export async function createSession(
  manager: EntityManager,
  userId: number,
  ttlSeconds: number,
  now = new Date(),
): Promise<SessionEntity> {
  await manager.query("DELETE FROM sessions WHERE user_id = ? AND expires_at < ?", [
    userId,
    toSqlDateTime(now),
  ]);
  const session = manager.create(SessionEntity, {
    id: randomBytes(16).toString("base64url"),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
    revokedAt: null,
  });
  await manager.insert(SessionEntity, session);
  return session;
}

/** Ends every open session of a user (disabled, or an operator asked); returns how many. */
export async function revokeUserSessions(
  manager: EntityManager,
  userId: number,
  now = new Date(),
): Promise<number> {
  const result = await manager
    .createQueryBuilder()
    .update(SessionEntity)
    .set({ revokedAt: now })
    .where("user_id = :userId AND revoked_at IS NULL", { userId })
    .execute();
  return result.affected ?? 0;
}

/** Ends one session (logout); false when it was already ended. */
export async function revokeSession(
  manager: EntityManager,
  sessionId: string,
  now = new Date(),
): Promise<boolean> {
  const result = await manager
    .createQueryBuilder()
    .update(SessionEntity)
    .set({ revokedAt: now })
    .where("id = :sessionId AND revoked_at IS NULL", { sessionId })
    .execute();
  return (result.affected ?? 0) > 0;
}

export interface LiveSession {
  sessionId: string;
  userId: number;
  email: string;
  role: Role;
}

interface SessionRow {
  user_id: number | string;
  expires_at: Date | string;
  revoked_at: Date | string | null;
  email: string;
  role: Role;
  disabled_at: Date | string | null;
}

/**
 * The session and its user in one primary-key lookup (with the user joined on its primary key),
 * or why the session no longer counts.
 */
export async function findLiveSession(
  dataSource: DataSource,
  sessionId: string,
  userId: number,
  now = new Date(),
): Promise<LiveSession | { refused: string }> {
  const [row] = (await dataSource.query(
    `SELECT s.user_id, s.expires_at, s.revoked_at, u.email, u.role, u.disabled_at
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
    [sessionId],
  )) as SessionRow[];
  if (!row || Number(row.user_id) !== userId)
    return { refused: "session is not valid: log in again" };
  if (row.disabled_at !== null) return { refused: "this user no longer has access" };
  if (row.revoked_at !== null) return { refused: "this session has ended: log in again" };
  if (fromSqlDateTime(row.expires_at)!.getTime() <= now.getTime())
    return { refused: "this session has expired: log in again" };
  return { sessionId, userId, email: row.email, role: row.role };
}
