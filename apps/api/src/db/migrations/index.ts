import { Initial1795351962399 } from "./1795351962399-Initial";

/** MySQL migrations in the order they apply. Committed migrations are never edited. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [Initial1795351962399];
