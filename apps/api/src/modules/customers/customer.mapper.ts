import { money } from "../../graphql/money";
import type { OrderEntity } from "../orders/order.entity";
import { OrderStatusGql, type OrderNode } from "../orders/order.types";
import type { CustomerEntity } from "./customer.entity";
import type { CustomerNode } from "./customer.types";

/** Entity → GraphQL node. `currency` is the store currency (customer totals are kept in it). */
export function toCustomerNode(entity: CustomerEntity, currency: string): CustomerNode {
  return {
    id: String(entity.id),
    externalId: entity.externalId,
    email: entity.email,
    name: entity.name,
    createdAt: entity.firstSeenAt,
    acquisitionChannel: entity.acquisitionChannel,
    acquisitionCost:
      entity.acquisitionCostMinor === null ? null : money(entity.acquisitionCostMinor, currency),
    tags: entity.tags ? entity.tags.split(";").filter(Boolean) : [],
    nps: entity.nps,
    orderCount: entity.orderCount,
    totalSpent: money(entity.totalSpentMinor, currency),
    firstOrderAt: entity.firstOrderAt,
    lastOrderAt: entity.lastOrderAt,
  };
}

export function toOrderNode(entity: OrderEntity): OrderNode {
  return {
    id: String(entity.id),
    externalId: entity.externalId,
    customerId: entity.customerId,
    placedAt: entity.placedAt,
    amount: money(entity.amountMinor, entity.currency),
    margin: entity.marginMinor === null ? null : money(entity.marginMinor, entity.currency),
    status: entity.status === "refunded" ? OrderStatusGql.REFUNDED : OrderStatusGql.COMPLETED,
  };
}
