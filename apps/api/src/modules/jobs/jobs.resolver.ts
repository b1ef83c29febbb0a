import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import { PageArgs } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { apiError } from "../../graphql/errors";
import { JobEntity } from "./job.entity";
import { jobRunnerOf } from "./job-runner-registry";
import { JobConnection, JobNode, toJobNode } from "./job.types";

const CURSOR_PREFIX = "job:";

/** The id a `jobs` cursor resumes after. */
function afterId(after: string | null | undefined): number | null {
  if (!after) return null;
  const text = Buffer.from(after, "base64url").toString("utf8");
  const id = Number(text.slice(CURSOR_PREFIX.length));
  if (!text.startsWith(CURSOR_PREFIX) || !Number.isSafeInteger(id) || id <= 0) {
    throw apiError("BAD_USER_INPUT", "after: not a cursor returned by jobs");
  }
  return id;
}

const cursorOf = (id: number) => Buffer.from(`${CURSOR_PREFIX}${id}`, "utf8").toString("base64url");

@Resolver()
export class JobsResolver {
  @Query(() => JobConnection, { description: "Background jobs, newest first: the history." })
  @Allow("business:read")
  async jobs(
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
    @Arg("kind", () => String, {
      nullable: true,
      description: "Only jobs of this kind, e.g. scoring.",
    })
    kind?: string | null,
  ): Promise<JobConnection> {
    const qb = ctx.dataSource.getRepository(JobEntity).createQueryBuilder("job");
    if (kind) qb.andWhere("job.kind = :kind", { kind });
    const from = afterId(after);
    if (from !== null) qb.andWhere("job.id < :from", { from });
    const found = await qb
      .orderBy("job.id", "DESC")
      .limit(first + 1)
      .getMany();
    const rows = found.slice(0, first);
    return {
      edges: rows.map((job) => ({ cursor: cursorOf(job.id), node: toJobNode(job) })),
      pageInfo: {
        hasNextPage: found.length > first,
        endCursor: rows.length > 0 ? cursorOf(rows.at(-1)!.id) : null,
      },
    };
  }

  @Mutation(() => JobNode, {
    nullable: true,
    description:
      "Asks a queued or running job to stop; the process running it stops at its next heartbeat and the job ends CANCELLED. Returns the job (unchanged when it had already ended), null when there is none with that id.",
  })
  @Allow("value:manage")
  async cancelJob(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<JobNode | null> {
    const jobId = Number(id);
    if (!/^[1-9]\d{0,9}$/.test(id) || !Number.isSafeInteger(jobId)) {
      throw apiError("BAD_USER_INPUT", `id: not a job id: "${id.slice(0, 40)}"`);
    }
    const job = await jobRunnerOf(ctx.dataSource).cancel(jobId, actorOf(ctx));
    return job ? toJobNode(job) : null;
  }
}
