import { MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { UserError } from "../../graphql/errors";

@ObjectType("Segment", {
  description: "A saved, named query in the segment language; membership follows the data.",
})
export class SegmentNode {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String, {
    description: "The query in the segment language (docs/segment-language.md).",
  })
  query: string;

  @Field(() => String, { description: "Who created it." })
  createdBy: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  updatedAt: Date;
}

@ObjectType({ description: "A segment's size when one scoring run was current." })
export class SegmentSize {
  @Field(() => ID)
  runId: string;

  @Field(() => Date, { nullable: true, description: "When the run finished." })
  scoredAt: Date | null;

  @Field(() => Int)
  count: number;
}

@ObjectType({ description: "One customer of a preview's sample." })
export class SegmentMember {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  externalId: string;

  @Field(() => String)
  name: string;
}

@ObjectType({
  description: "Why a query cannot be read, and where: `length` characters from `offset`.",
})
export class SegmentQueryError {
  @Field(() => Int, { description: "Offset in the text, from 0 (UTF-16 code units)." })
  offset: number;

  @Field(() => Int, { description: "Line, from 1." })
  line: number;

  @Field(() => Int, { description: "Column in characters, from 1." })
  column: number;

  @Field(() => Int)
  length: number;

  @Field(() => String, { description: "What was expected there." })
  expected: string;

  @Field(() => String, { description: "What was found instead." })
  found: string;

  @Field(() => String)
  message: string;
}

@ObjectType({ description: "What a query holds right now, or where it cannot be read." })
export class SegmentPreviewResult {
  @Field(() => Int, {
    nullable: true,
    description: "Customers matching; null when the query has errors.",
  })
  count: number | null;

  @Field(() => [SegmentMember], { description: "The first members by id (at most 10)." })
  sample: SegmentMember[];

  @Field(() => [SegmentQueryError])
  errors: SegmentQueryError[];
}

@InputType()
export class SegmentInput {
  @Field(() => String, { description: "At most 120 characters." })
  @MaxLength(1000)
  name: string;

  @Field(() => String)
  @MaxLength(20_000)
  query: string;
}

@InputType()
export class UpdateSegmentInput extends SegmentInput {
  @Field(() => ID)
  id: string;
}

@ObjectType()
export class SegmentPayload {
  @Field(() => SegmentNode, { nullable: true })
  segment: SegmentNode | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}

@ObjectType()
export class DeleteSegmentPayload {
  @Field(() => ID, { nullable: true })
  deletedId: string | null;

  @Field(() => [UserError])
  userErrors: UserError[];
}
