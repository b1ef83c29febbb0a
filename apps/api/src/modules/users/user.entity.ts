import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  Index,
} from "typeorm";
import { DATETIME } from "../../db/column-types";

export type Role = "ADMIN" | "MARKETER" | "ANALYST";

/** A person who logs into the admin. */
@Entity({ name: "users" })
export class UserEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_users_email", { unique: true })
  @Column({ type: "varchar", length: 254 })
  email: string;

  @Column({ type: "varchar", length: 255, default: "" })
  name: string;

  /** scrypt$N$r$p$salt$hash, see auth/password.ts. */
  @Column({ name: "password_hash", type: "varchar", length: 255 })
  passwordHash: string;

  @Column({ type: "varchar", length: 16 })
  role: Role;

  @Column({ name: "disabled_at", type: DATETIME, precision: 3, nullable: true })
  disabledAt: Date | null;

  @Column({ name: "last_login_at", type: DATETIME, precision: 3, nullable: true })
  lastLoginAt: Date | null;

  @CreateDateColumn({ name: "created_at", type: DATETIME })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: DATETIME })
  updatedAt: Date;
}
