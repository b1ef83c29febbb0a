import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

/** One run of a background job (scoring, later point expiry and campaigns); the rows are the history. */
@Entity({ name: "jobs" })
@Index("idx_jobs_kind", ["kind", "id"])
@Index("idx_jobs_status", ["status", "id"])
export class JobEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  /** What the job does: "scoring", … (a registered handler). */
  @Column({ type: "varchar", length: 64 })
  kind: string;

  @Column({ type: "varchar", length: 16 })
  status: JobStatus;

  /** 0 to 1. */
  @Column({ type: "double", default: 0 })
  progress: number;

  @Column({ name: "progress_message", type: "varchar", length: 500, nullable: true })
  progressMessage: string | null;

  /** The handler's parameters (JSON). */
  @Column({ name: "params_json", type: "text", nullable: true })
  paramsJson: string | null;

  /** What the handler returned (JSON); set when it succeeded. */
  @Column({ name: "result_json", type: "text", nullable: true })
  resultJson: string | null;

  @Column({ type: "text", nullable: true })
  error: string | null;

  /** Audit label of who asked for it ("cli", "schedule", an email). */
  @Column({ name: "requested_by", type: "varchar", length: 254 })
  requestedBy: string;

  /**
   * 1 once someone asked to cancel: the process running the job sees it at its next heartbeat
   * or progress report and aborts the handler's signal.
   */
  @Column({ name: "cancel_requested", type: "tinyint", default: 0 })
  cancelRequested: number;

  @Column({ name: "cancelled_by", type: "varchar", length: 254, nullable: true })
  cancelledBy: string | null;

  /** 1 for a first run; a job started again after its process died counts up (not used yet). */
  @Column({ type: "int", default: 1 })
  attempt: number;

  /** The runner (host, pid and a random part) executing the job. */
  @Column({ type: "varchar", length: 255, default: "" })
  owner: string;

  @Column({ name: "heartbeat_at", type: DATETIME, precision: 3, nullable: true })
  heartbeatAt: Date | null;

  @Column({ name: "started_at", type: DATETIME, precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ name: "finished_at", type: DATETIME, precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ name: "created_at", type: DATETIME, precision: 3 })
  createdAt: Date;
}
