import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

/**
 * An API key for a storefront or integration. The secret is shown once; only its SHA-256 is
 * stored (the secret has 256 bits of entropy, so a slow hash adds nothing). The prefix is the
 * visible, indexed part used to find the key.
 */
@Entity({ name: "api_keys" })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 120 })
  name: string;

  @Index("uq_api_keys_prefix", { unique: true })
  @Column({ type: "varchar", length: 32 })
  prefix: string;

  @Column({ name: "secret_hash", type: "varchar", length: 64 })
  secretHash: string;

  /** Scopes joined with ','. */
  @Column({ type: "varchar", length: 512 })
  scopes: string;

  @Column({ name: "created_by_user_id", type: "int", nullable: true })
  createdByUserId: number | null;

  @Column({ name: "last_used_at", type: DATETIME, precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: "revoked_at", type: DATETIME, precision: 3, nullable: true })
  revokedAt: Date | null;

  @Index("idx_api_keys_created")
  @CreateDateColumn({ name: "created_at", type: DATETIME })
  createdAt: Date;
}
