import { Column, Entity, PrimaryColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

/** daily: every day at `timeOfDay` in `timeZone`; after_import: once an import has settled. */
export type JobScheduleMode = "daily" | "after_import";

/** When a job kind starts by itself; one row per kind. */
@Entity({ name: "job_schedules" })
export class JobScheduleEntity {
  @PrimaryColumn({ type: "varchar", length: 64 })
  kind: string;

  @Column({ type: "varchar", length: 16 })
  mode: JobScheduleMode;

  /** "HH:MM", 24-hour, for DAILY. */
  @Column({ name: "time_of_day", type: "varchar", length: 5, default: "02:00" })
  timeOfDay: string;

  /** IANA time zone of `timeOfDay`, e.g. "Asia/Taipei". */
  @Column({ name: "time_zone", type: "varchar", length: 64, default: "UTC" })
  timeZone: string;

  @Column({ type: "tinyint", default: 1 })
  enabled: number;

  /**
   * When the next DAILY run is due (NULL for AFTER_IMPORT or when disabled). A scheduler claims
   * a due run by moving this forward with a conditional UPDATE, so two schedulers ticking at
   * once start it once.
   */
  @Column({ name: "next_run_at", type: DATETIME, precision: 3, nullable: true })
  nextRunAt: Date | null;

  /** The last job this schedule started. */
  @Column({ name: "last_job_id", type: "int", nullable: true })
  lastJobId: number | null;

  /**
   * For AFTER_IMPORT: the latest import audit entry (customers, orders, a CSV import) already
   * answered with a run; a newer one starts the next run once it has settled.
   */
  @Column({ name: "last_import_audit_id", type: "int", nullable: true })
  lastImportAuditId: number | null;

  @Column({ name: "updated_at", type: DATETIME, precision: 3 })
  updatedAt: Date;

  @Column({ name: "updated_by", type: "varchar", length: 254 })
  updatedBy: string;
}
