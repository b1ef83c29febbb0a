import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { Money } from "../../graphql/money";
import { Connection } from "../../graphql/connection";
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

export const OrderConnection = Connection(OrderNode, "Order", {
  totalCountDescription: "The customer's orders, refunded ones included.",
});
export type OrderConnection = InstanceType<typeof OrderConnection>;
