import { Column, Entity, PrimaryColumn } from "typeorm";
import { DATETIME } from "../../db/column-types";

/**
 * The single-flight lock of one job kind, across processes: a row, taken and released with
 * conditional UPDATEs (no GET_LOCK, which TiDB, Vitess and Galera do not support). `jobId` is
 * NULL while the kind is free. A holder touches `heartbeatAt` every heartbeat; a lock whose
 * heartbeat is older than the runner's stale limit belongs to a process that stopped and may be
 * taken over.
 */
@Entity({ name: "job_locks" })
export class JobLockEntity {
  @PrimaryColumn({ type: "varchar", length: 64 })
  kind: string;

  @Column({ name: "job_id", type: "int", nullable: true })
  jobId: number | null;

  /** The holder: "host pid random", unique per runner instance. */
  @Column({ type: "varchar", length: 255, default: "" })
  owner: string;

  @Column({ name: "heartbeat_at", type: DATETIME, precision: 3, nullable: true })
  heartbeatAt: Date | null;
}
