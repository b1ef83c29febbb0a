import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// The module rules of .dependency-cruiser.cjs, which `npm test` runs first (npm run lint:deps):
// they must refuse an import cycle, and the repository must have none.

const run = promisify(execFile);
const root = path.resolve(__dirname, "..", "..");
const bin = path.join(root, "node_modules", ".bin", "depcruise");

async function depcruise(...paths: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(
      bin,
      [...paths, "--config", ".dependency-cruiser.cjs", "--output-type", "err"],
      { cwd: root },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

describe("module rules", () => {
  it("refuse an import cycle", async () => {
    const result = await depcruise("test/lint/fixtures/cycle");
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("no-cycles");
    expect(result.output).toContain("test/lint/fixtures/cycle/a.ts");
  });

  it("find no cycle and no reach into another module's internals in the repository", async () => {
    const pkg = (await import(path.join(root, "package.json"), { with: { type: "json" } }))
      .default as { scripts: Record<string, string> };
    const paths = pkg.scripts["lint:deps"]!.split(" ").filter((word) =>
      /^(apps|packages|test)\//.test(word),
    );
    expect(paths.length).toBeGreaterThan(3);
    const result = await depcruise(...paths);
    expect(result.output).toContain("no dependency violations found");
    expect(result.code).toBe(0);
  });
});
