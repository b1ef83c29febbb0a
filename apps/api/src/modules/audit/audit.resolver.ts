import { Arg, Args, Ctx, Field, ID, ObjectType, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import { Connection, PageArgs, toConnection } from "../../graphql/connection";
import type { GraphQLContext } from "../../graphql/context";
import { AuditEntryEntity } from "./audit-entry.entity";

@ObjectType("AuditEntry")
export class AuditEntryNode {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: "user, api_key or system." })
  actorType: string;

  @Field(() => String)
  actorLabel: string;

  @Field(() => String, { description: 'What was done, e.g. "api_key.create".' })
  action: string;

  @Field(() => String)
  entityType: string;

  @Field(() => String, { nullable: true })
  entityId: string | null;

  @Field(() => String, { nullable: true, description: "JSON text of the state before the change." })
  before: string | null;

  @Field(() => String, { nullable: true, description: "JSON text of the state after the change." })
  after: string | null;

  @Field(() => Date)
  createdAt: Date;
}

export const AuditEntryConnection = Connection(AuditEntryNode, "AuditEntry");
export type AuditEntryConnection = InstanceType<typeof AuditEntryConnection>;

function toAuditEntryNode(entry: AuditEntryEntity): AuditEntryNode {
  return {
    id: String(entry.id),
    actorType: entry.actorType,
    actorLabel: entry.actorLabel,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.beforeJson,
    after: entry.afterJson,
    createdAt: entry.createdAt,
  };
}

@Resolver()
export class AuditResolver {
  @Query(() => AuditEntryConnection, { description: "The audit log, newest first." })
  @Allow("audit:read")
  async auditLog(
    @Ctx() ctx: GraphQLContext,
    @Args() { first, after }: PageArgs,
    @Arg("entityType", () => String, { nullable: true }) entityType?: string,
    @Arg("entityId", () => String, { nullable: true }) entityId?: string,
  ): Promise<AuditEntryConnection> {
    const { page, countTotal } = await ctx.services.auditLog.list(
      { entityType, entityId },
      first,
      after,
    );
    return toConnection(AuditEntryConnection, page, toAuditEntryNode, countTotal);
  }
}
