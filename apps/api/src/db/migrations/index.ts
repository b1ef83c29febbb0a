import { Initial1795352461569 } from "./1795352461569-Initial";
import { ValueScoring1795353108931 } from "./1795353108931-ValueScoring";

/** MySQL migrations in the order they apply. Committed migrations are never edited. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const migrations: Function[] = [Initial1795352461569, ValueScoring1795353108931];
