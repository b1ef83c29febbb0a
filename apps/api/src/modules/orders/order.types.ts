import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../../graphql/money";
import { PageInfo } from "../../graphql/connection";
import { ReadableWith } from "../../graphql/access";

export enum OrderStatusGql {
  COMPLETED = "completed",
  REFUNDED = "refunded",
}
registerEnumType(OrderStatusGql, { name: "OrderStatus" });

@ObjectType("Order")
@ReadableWith("customers:read")
export class OrderNode {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  externalId: string;

  /** Not a GraphQL field: Order.customer resolves it through a loader. */
  customerId: number;

  @Field(() => Date)
  placedAt: Date;

  @Field(() => Money)
  amount: Money;

  @Field(() => Money, { nullable: true, description: "Null when the import gave no margin." })
  margin: Money | null;

  @Field(() => OrderStatusGql)
  status: OrderStatusGql;
}

@ObjectType()
export class OrderEdge {
  @Field(() => String)
  cursor: string;

  @Field(() => OrderNode)
  node: OrderNode;
}

@ObjectType()
export class OrderConnection {
  @Field(() => [OrderEdge])
  edges: OrderEdge[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
