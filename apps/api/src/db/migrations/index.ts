import { Initial1795352461569 } from "./1795352461569-Initial";

/** MySQL migrations in the order they apply. Committed migrations are never edited. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [Initial1795352461569];
