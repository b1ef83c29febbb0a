import { Arg, Args, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import { Allow } from "../../graphql/access";
import { decodeCursor, encodeCursor, PageArgs, PageInfo } from "../../graphql/connection";
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

@ObjectType()
export class AuditEntryEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => AuditEntryNode)
  node: AuditEntryNode;
}

@ObjectType()
export class AuditEntryConnection {
  @Field(() => [AuditEntryEdge])
  edges: AuditEntryEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}

const AUDIT_ORDER = "audit:id:DESC";

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
    const base = () => {
      const qb = ctx.dataSource.getRepository(AuditEntryEntity).createQueryBuilder("a");
      if (entityType) qb.andWhere("a.entityType = :entityType", { entityType });
      if (entityId) qb.andWhere("a.entityId = :entityId", { entityId });
      return qb;
    };
    const qb = base();
    if (after) qb.andWhere("a.id < :id", { id: decodeCursor(after, AUDIT_ORDER).id });
    const found = await qb
      .orderBy("a.id", "DESC")
      .limit(first + 1)
      .getMany();
    const rows = found.slice(0, first);
    const edges = rows.map((entry) => ({
      cursor: encodeCursor({ order: AUDIT_ORDER, value: null, id: entry.id }),
      node: {
        id: String(entry.id),
        actorType: entry.actorType,
        actorLabel: entry.actorLabel,
        action: entry.action,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: entry.beforeJson,
        after: entry.afterJson,
        createdAt: entry.createdAt,
      },
    }));
    return {
      edges,
      pageInfo: { hasNextPage: found.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: await base().getCount(),
    };
  }
}
