import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import type { JobEntity } from "./job.entity";

/** GraphQL spellings of the stored (lower-case) statuses. */
export enum JobStatusGql {
  QUEUED = "queued",
  RUNNING = "running",
  SUCCEEDED = "succeeded",
  FAILED = "failed",
  CANCELLED = "cancelled",
}
registerEnumType(JobStatusGql, { name: "JobStatus" });

@ObjectType("Job", {
  description: "One run of a background job (scoring, …); the jobs are the history.",
})
export class JobNode {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: "What the job does, e.g. scoring." })
  kind: string;

  @Field(() => JobStatusGql)
  status: JobStatusGql;

  @Field(() => Float, { description: "0 to 1." })
  progress: number;

  @Field(() => String, { nullable: true })
  progressMessage: string | null;

  @Field(() => String, { nullable: true, description: "Why it failed or was cancelled." })
  error: string | null;

  @Field(() => String, {
    nullable: true,
    description: "What it returned (JSON), when it succeeded.",
  })
  result: string | null;

  @Field(() => String, { description: "Who asked: an email, cli, schedule." })
  requestedBy: string;

  @Field(() => Boolean, {
    description: "Someone asked it to stop; it stops at its next heartbeat.",
  })
  cancelRequested: boolean;

  @Field(() => String, { nullable: true })
  cancelledBy: string | null;

  @Field(() => Int)
  attempt: number;

  @Field(() => Date, {
    nullable: true,
    description: "Last sign of life of the process running it.",
  })
  heartbeatAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  finishedAt: Date | null;
}

export function toJobNode(job: JobEntity): JobNode {
  return {
    id: String(job.id),
    kind: job.kind,
    status: job.status as JobStatusGql,
    progress: job.progress,
    progressMessage: job.progressMessage,
    error: job.error,
    result: job.resultJson,
    requestedBy: job.requestedBy,
    cancelRequested: job.cancelRequested === 1,
    cancelledBy: job.cancelledBy,
    attempt: job.attempt,
    heartbeatAt: job.heartbeatAt,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}

export const JobConnection = Connection(JobNode, "Job");
export type JobConnection = InstanceType<typeof JobConnection>;
