import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import { parseId } from "../../db/ids";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import { PageArgs, toConnection } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { jobHistory } from "./job-history";
import { jobRunnerOf } from "./job-runner-registry";
import { JobConnection, JobNode, toJobNode } from "./job.types";

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
    const { page, countTotal } = await jobHistory(ctx.dataSource, kind, first, after);
    return toConnection(JobConnection, page, toJobNode, countTotal);
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
    const job = await jobRunnerOf(ctx.dataSource).cancel(parseId(id, "id"), actorOf(ctx));
    return job ? toJobNode(job) : null;
  }
}
