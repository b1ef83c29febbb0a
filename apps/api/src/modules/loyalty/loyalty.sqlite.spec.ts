import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDataSource } from "../../db/data-source";
import { describeLoyaltyService } from "../../__tests__/loyalty-scenario";

// The embedded default database: schema from the entities, one connection, no row locks.
describeLoyaltyService("the embedded SQLite database", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "vt-loyalty-sqlite-"));
  const dataSource = createDataSource({ sqlitePath: path.join(dir, "loyalty.sqlite") });
  await dataSource.initialize();
  return {
    dataSource,
    async drop() {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
