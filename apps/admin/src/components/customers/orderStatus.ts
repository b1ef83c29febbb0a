import type { OrderStatus } from "../../gql/graphql";

/** Tag colour per order status: refunds stand out, completed orders stay quiet. */
export const ORDER_STATUS_TAG_TYPE: Record<OrderStatus, "success" | "warning"> = {
  COMPLETED: "success",
  REFUNDED: "warning",
};
