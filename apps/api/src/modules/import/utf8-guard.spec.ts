import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { invalidOffsets, Utf8Guard } from "./utf8-guard";

async function run(chunks: Buffer[]): Promise<{ out: Buffer; guard: Utf8Guard }> {
  const guard = new Utf8Guard();
  const parts: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    Readable.from(chunks)
      .pipe(guard)
      .on("data", (b: Buffer) => parts.push(b))
      .on("end", resolve);
    guard.on("error", reject);
  });
  return { out: Buffer.concat(parts), guard };
}

const bytesOf = (buf: Buffer) => [...buf].map((_, i) => buf.subarray(i, i + 1));

describe("Utf8Guard", () => {
  it("drops a BOM and passes everything else through, even split byte by byte", async () => {
    const text = "a,b\nZoë,😀\nend";
    const input = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const { out, guard } = await run(bytesOf(input));
    expect(out.toString()).toBe(text);
    expect(guard.invalidLines).toEqual([]);
  });

  it("reports the lines that hold invalid bytes, once each", async () => {
    const input = Buffer.concat([
      Buffer.from("ok\nbad "),
      Buffer.from([0xff, 0xfe]),
      Buffer.from("\nfine \uFFFD\ntruncated "),
      Buffer.from([0xe2, 0x82]),
      Buffer.from("\nlast"),
    ]);
    for (const chunks of [[input], bytesOf(input)]) {
      const { out, guard } = await run(chunks);
      expect(out.equals(input)).toBe(true);
      expect(guard.invalidLines).toEqual([2, 4]);
    }
  });

  it("reports a sequence cut off at the end of the input", async () => {
    const { guard } = await run([Buffer.from("a\nb"), Buffer.from([0xf0, 0x9f])]);
    expect(guard.invalidLines).toEqual([2]);
  });
});

describe("invalidOffsets", () => {
  it("agrees with a fatal TextDecoder on random bytes", () => {
    const decoder = new TextDecoder("utf-8", { fatal: true });
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
    for (let round = 0; round < 3000; round++) {
      const length = 1 + (next() % 6);
      const bytes = Uint8Array.from({ length }, () => {
        const r = next() % 10;
        // mostly bytes that form or break multi-byte sequences
        return r < 2 ? next() % 0x80 : r < 5 ? 0x80 + (next() % 0x40) : 0xc0 + (next() % 0x40);
      });
      let valid = true;
      try {
        decoder.decode(bytes);
      } catch {
        valid = false;
      }
      expect([...invalidOffsets(bytes)].length === 0, Buffer.from(bytes).toString("hex")).toBe(
        valid,
      );
    }
  });
});
