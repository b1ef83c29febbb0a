import { Column, Entity, PrimaryColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

/** What a login attempt counter is kept for: the email tried, or the client address. */
export type LoginAttemptKind = "email" | "ip";

/**
 * Failed logins of one email or one client address, kept in the database (not in memory) so
 * that every API process sees the same count and a restart does not reset it.
 */
@Entity({ name: "login_attempts" })
export class LoginAttemptEntity {
  @PrimaryColumn({ type: "varchar", length: 8 })
  kind: LoginAttemptKind;

  /** The email (lower-cased) or the client address. */
  @PrimaryColumn({ type: "varchar", length: 254 })
  subject: string;

  /** Attempts counted since the last success or since the window passed (see login-throttle.ts). */
  @Column({ type: "int", default: 0 })
  failures: number;

  @Column({ name: "last_failure_at", type: DATETIME, precision: 3, nullable: true })
  lastFailureAt: Date | null;

  /** No attempt is checked before this time; null when not locked. */
  @Column({ name: "locked_until", type: DATETIME, precision: 3, nullable: true })
  lockedUntil: Date | null;
}
