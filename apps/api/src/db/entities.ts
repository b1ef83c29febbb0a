import { ApiKeyEntity } from "../modules/api-keys/api-key.entity";
import { AuditEntryEntity } from "../modules/audit/audit-entry.entity";
import { CustomerEntity } from "../modules/customers/customer.entity";
import { OrderEntity } from "../modules/orders/order.entity";
import { UserEntity } from "../modules/users/user.entity";

/** Every entity, listed explicitly (no globs) so that tsc output and vitest load the same set. */
export const entities = [CustomerEntity, OrderEntity, UserEntity, ApiKeyEntity, AuditEntryEntity];
