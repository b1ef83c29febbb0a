import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";
import { Max, Min } from "class-validator";
import type { Page } from "../db/keyset";

export const MAX_PAGE_SIZE = 250;

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 50, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = 50;

  @Field(() => String, { nullable: true, description: "endCursor of the previous page." })
  after?: string | null;
}

/** What a connection field resolves to: edges, page info and a total counted only when asked. */
export interface ConnectionValue<TNode> {
  edges: { cursor: string; node: TNode }[];
  pageInfo: PageInfo;
  /** Runs only when `totalCount` is selected. */
  countTotal: () => Promise<number>;
}

/**
 * The one Relay connection: `Connection(CustomerNode, "Customer")` is the `CustomerConnection`
 * type with its `CustomerEdge`. `totalCount` is counted only when a query asks for it.
 */
export function Connection<TNode extends object>(
  node: ClassType<TNode>,
  name: string,
  options: { totalCountDescription?: string } = {},
) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor: string;

    @Field(() => node)
    node: TNode;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionValue<TNode> {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    countTotal: () => Promise<number>;

    @Field(() => Int, {
      description: options.totalCountDescription ?? "Items in the whole list, across all pages.",
    })
    totalCount(): Promise<number> {
      return this.countTotal();
    }
  }
  return ConnectionType;
}

/**
 * A page of rows as an instance of a connection type (its `totalCount` is a method), each row
 * mapped to its node.
 */
export function toConnection<TRow, TNode, C extends ConnectionValue<TNode>>(
  type: new () => C,
  page: Page<TRow>,
  toNode: (row: TRow) => TNode,
  countTotal: () => Promise<number>,
): C {
  return Object.assign(new type(), {
    edges: page.rows.map((row, i) => ({ cursor: page.cursors[i]!, node: toNode(row) })),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.cursors.at(-1) ?? null },
    countTotal,
  });
}
