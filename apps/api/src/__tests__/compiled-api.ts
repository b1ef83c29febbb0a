import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";

const apiDir = path.resolve(__dirname, "../..");

export interface CompiledApi {
  /** Folder of the compiled src tree: `${dir}/main.js`, `${dir}/db/…`. */
  dir: string;
  remove(): void;
}

/**
 * Compiles the API's sources into a folder of its own, for tests that run it as a separate
 * process (signals, kill -9). Not apps/api/dist: `npm test` may be rebuilding that at the same
 * time, and a test of the sources must not run a stale build. The folder sits under
 * apps/api/node_modules so that the compiled files resolve the same packages as dist does.
 */
export async function compileApi(): Promise<CompiledApi> {
  const cache = path.join(apiDir, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(path.join(cache, "vt-compiled-api-"));
  const tsc = createRequire(__filename).resolve("typescript/bin/tsc");
  await promisify(execFile)(
    process.execPath,
    [
      tsc,
      "-p",
      path.join(apiDir, "tsconfig.build.json"),
      "--outDir",
      dir,
      "--declaration",
      "false",
      "--sourceMap",
      "false",
    ],
    { cwd: apiDir },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
