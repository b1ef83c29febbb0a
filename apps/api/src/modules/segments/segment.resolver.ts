import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { parseId } from "../../db/ids";
import { Allow } from "../../graphql/access";
import { actorOf } from "../../graphql/actor";
import type { GraphQLContext } from "../../graphql/context";
import type { SegmentEntity } from "./segment.entity";
import {
  DeleteSegmentPayload,
  SegmentInput,
  SegmentNode,
  SegmentPayload,
  SegmentPreviewResult,
  SegmentSize,
  UpdateSegmentInput,
} from "./segment.types";

const toSegmentNode = (segment: SegmentEntity): SegmentNode => ({
  id: String(segment.id),
  name: segment.name,
  query: segment.query,
  createdBy: segment.createdBy,
  createdAt: segment.createdAt,
  updatedAt: segment.updatedAt,
});

@Resolver(() => SegmentNode)
export class SegmentResolver {
  @Query(() => [SegmentNode], { description: "Saved segments, by name." })
  @Allow("business:read")
  async segments(@Ctx() ctx: GraphQLContext): Promise<SegmentNode[]> {
    return (await ctx.services.segments.list()).map(toSegmentNode);
  }

  @Query(() => SegmentNode, { nullable: true })
  @Allow("business:read")
  async segment(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<SegmentNode | null> {
    const found = await ctx.services.segments.find(parseId(id, "id"));
    return found ? toSegmentNode(found) : null;
  }

  @Query(() => SegmentPreviewResult, {
    description:
      "Counts the customers a query holds now, with a sample, or says where it cannot be read.",
  })
  @Allow("business:read")
  async segmentPreview(
    @Ctx() ctx: GraphQLContext,
    @Arg("query", () => String) query: string,
  ): Promise<SegmentPreviewResult> {
    const preview = await ctx.services.segments.preview(query);
    if (!preview.ok) return { count: null, sample: [], errors: [preview.error] };
    return {
      count: preview.count,
      sample: preview.sample.map((m) => ({ ...m, id: String(m.id) })),
      errors: [],
    };
  }

  @FieldResolver(() => Int, { description: "Customers in the segment now." })
  async memberCount(@Root() node: SegmentNode, @Ctx() ctx: GraphQLContext): Promise<number> {
    const segment = await ctx.services.segments.find(Number(node.id));
    return segment ? ctx.services.segments.memberCount(segment) : 0;
  }

  @FieldResolver(() => [SegmentSize], {
    description: "Its size when each of the latest scoring runs was current, newest first.",
  })
  async sizeHistory(
    @Root() node: SegmentNode,
    @Ctx() ctx: GraphQLContext,
    @Arg("runs", () => Int, { defaultValue: 6, description: "1 to 24." }) runs: number,
  ): Promise<SegmentSize[]> {
    const segment = await ctx.services.segments.find(Number(node.id));
    if (!segment) return [];
    const sizes = await ctx.services.segments.sizeHistory(segment, Math.max(1, Math.min(24, runs)));
    return sizes.map((s) => ({ ...s, runId: String(s.runId) }));
  }

  @Mutation(() => SegmentPayload)
  @Allow("segments:manage")
  async createSegment(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => SegmentInput) input: SegmentInput,
  ): Promise<SegmentPayload> {
    const result = await ctx.services.segments.create(input, actorOf(ctx));
    return Array.isArray(result)
      ? { segment: null, userErrors: result }
      : { segment: toSegmentNode(result), userErrors: [] };
  }

  @Mutation(() => SegmentPayload)
  @Allow("segments:manage")
  async updateSegment(
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UpdateSegmentInput) input: UpdateSegmentInput,
  ): Promise<SegmentPayload> {
    const result = await ctx.services.segments.update(
      parseId(input.id, "input.id"),
      input,
      actorOf(ctx),
    );
    return Array.isArray(result)
      ? { segment: null, userErrors: result }
      : { segment: toSegmentNode(result), userErrors: [] };
  }

  @Mutation(() => DeleteSegmentPayload)
  @Allow("segments:manage")
  async deleteSegment(
    @Ctx() ctx: GraphQLContext,
    @Arg("id", () => ID) id: string,
  ): Promise<DeleteSegmentPayload> {
    const result = await ctx.services.segments.delete(parseId(id, "id"), actorOf(ctx));
    return Array.isArray(result)
      ? { deletedId: null, userErrors: result }
      : { deletedId: String(result), userErrors: [] };
  }
}
