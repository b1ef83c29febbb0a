import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

export type ScoringRunStatus = "queued" | "running" | "succeeded" | "failed";

/**
 * One scoring run, kept for history. The current snapshot of customer values is the one of the
 * succeeded run with the highest id (runs never overlap, see `activeLock`), so a run becomes
 * visible in the single UPDATE that marks it succeeded, and a failed or killed run never does.
 */
@Entity({ name: "scoring_runs" })
@Index("idx_scoring_runs_status", ["status", "id"])
export class ScoringRunEntity {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 16 })
  status: ScoringRunStatus;

  /**
   * 1 while the run is queued or running, NULL afterwards. The unique index lets at most one
   * run hold it, across API and CLI processes, so a second run cannot start (NULLs never clash).
   */
  @Index("uq_scoring_runs_active_lock", { unique: true })
  @Column({ name: "active_lock", type: "tinyint", nullable: true })
  activeLock: number | null;

  /** 0 to 1. */
  @Column({ type: "double", default: 0 })
  progress: number;

  /** What the run is doing: aggregating, fitting, scoring, done. */
  @Column({ type: "varchar", length: 32, default: "queued" })
  phase: string;

  @Column({ name: "customers_total", type: "int", nullable: true })
  customersTotal: number | null;

  @Column({ name: "customers_scored", type: "int", default: 0 })
  customersScored: number;

  /** "host pid" of the process executing the run, to tell a dead process's run on start-up. */
  @Column({ type: "varchar", length: 255, default: "" })
  runner: string;

  /** Touched with every progress update; a run whose heartbeat stops is abandoned. */
  @Column({ name: "heartbeat_at", type: DATETIME, precision: 3 })
  heartbeatAt: Date;

  @Column({ name: "created_at", type: DATETIME, precision: 3 })
  createdAt: Date;

  @Column({ name: "started_at", type: DATETIME, precision: 3, nullable: true })
  startedAt: Date | null;

  @Column({ name: "finished_at", type: DATETIME, precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ type: "text", nullable: true })
  error: string | null;

  /** The value settings the run used (JSON of ValueSettings). */
  @Column({ name: "settings_json", type: "text" })
  settingsJson: string;

  /** Fitted models, holdout diagnostics and warnings (JSON of FittedModelRecord); set on success. */
  @Column({ name: "model_json", type: "text", nullable: true })
  modelJson: string | null;

  /** Audit label of who started the run ("cli", an email). */
  @Column({ name: "triggered_by", type: "varchar", length: 254 })
  triggeredBy: string;

  @Column({ name: "triggered_by_user_id", type: "int", nullable: true })
  triggeredByUserId: number | null;

  /**
   * The job that executed this run (jobs.id): the job is the execution (lock, heartbeat,
   * cancellation, schedule, history of attempts), this row the snapshot customer values point
   * to. NULL for runs from before the job runner.
   */
  @Index("idx_scoring_runs_job")
  @Column({ name: "job_id", type: "int", nullable: true })
  jobId: number | null;
}
