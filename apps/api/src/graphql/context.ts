import type { DataSource } from "typeorm";
import type { AppConfig } from "../config";
import type { Services } from "../composition";
import type { Principal } from "../modules/auth/principal";
import type { Loaders } from "./loaders";

/** Per-request GraphQL context. Loaders are per request so caches never leak between callers. */
export interface GraphQLContext {
  principal: Principal | null;
  dataSource: DataSource;
  config: AppConfig;
  loaders: Loaders;
  /** The API's services, built once at start-up (composition.ts). */
  services: Services;
  /** The caller's address as Express sees it (`req.ip`), for login limits and the audit log. */
  clientIp: string;
}
