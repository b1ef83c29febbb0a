import { Column, Entity, Index, PrimaryColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

/**
 * A signed-in session. The session token (JWT) carries this row's id, and a request counts only
 * while the row is neither revoked nor expired, so logging out, disabling a user or an operator
 * revoking sessions takes effect at once instead of when the token runs out.
 */
@Entity({ name: "sessions" })
@Index("idx_sessions_user", ["userId", "revokedAt"])
export class SessionEntity {
  /** 128 random bits, base64url (22 characters). */
  @PrimaryColumn({ type: "varchar", length: 32 })
  id: string;

  @Column({ name: "user_id", type: "int" })
  userId: number;

  @Column({ name: "created_at", type: DATETIME, precision: 3 })
  createdAt: Date;

  @Column({ name: "expires_at", type: DATETIME, precision: 3 })
  expiresAt: Date;

  @Column({ name: "revoked_at", type: DATETIME, precision: 3, nullable: true })
  revokedAt: Date | null;
}
