import {} from "./.ts";

/** MySQL migrations in the order they apply. Committed migrations are never edited. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [];
