import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

export type ActorType = "user" | "api_key" | "system";

/** Who changed what, when, with the state before and after (JSON text). Append-only. */
@Entity({ name: "audit_log" })
@Index("idx_audit_log_created", ["createdAt", "id"])
@Index("idx_audit_log_entity", ["entityType", "entityId", "id"])
@Index("idx_audit_log_actor", ["actorType", "actorId", "id"])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ name: "actor_type", type: "varchar", length: 16 })
  actorType: ActorType;

  @Column({ name: "actor_id", type: "int", nullable: true })
  actorId: number | null;

  /** The actor as shown to people (an email, a key name, "cli"), kept even if the actor is deleted. */
  @Column({ name: "actor_label", type: "varchar", length: 254 })
  actorLabel: string;

  @Column({ type: "varchar", length: 64 })
  action: string;

  @Column({ name: "entity_type", type: "varchar", length: 64 })
  entityType: string;

  @Column({ name: "entity_id", type: "varchar", length: 191, nullable: true })
  entityId: string | null;

  @Column({ name: "before_json", type: "text", nullable: true })
  beforeJson: string | null;

  @Column({ name: "after_json", type: "text", nullable: true })
  afterJson: string | null;

  @CreateDateColumn({ name: "created_at", type: DATETIME })
  createdAt: Date;
}
