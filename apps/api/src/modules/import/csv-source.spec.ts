import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ColumnSpec } from "@valuetier/domain";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import {
  checkCsvHeader,
  CsvTokenizer,
  streamCsvRows,
  type CsvRecord,
  type CsvRow,
} from "./csv-source";
import { ImportFileError } from "./import-errors";

const dir = mkdtempSync(path.join(tmpdir(), "vt-csv-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec: ColumnSpec = { required: ["id", "text"], optional: ["note"] };
let fileNo = 0;

function file(content: string | Buffer): string {
  const name = path.join(dir, `f${++fileNo}.csv`);
  writeFileSync(name, content);
  return name;
}

async function rows(content: string | Buffer, batchSize = 1000): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  const summary = await streamCsvRows(file(content), spec, {
    batchSize,
    accept: (row) => row,
    onBatch: async (batch) => {
      expect(batch.length).toBeLessThanOrEqual(batchSize);
      out.push(...batch);
    },
  });
  expect(summary.rows).toBe(out.length);
  return out;
}

const brief = (r: CsvRow) =>
  r.record ? `${r.line}:${r.record.id}` : `${r.line}!${r.problem!.code}`;

describe("streamCsvRows", () => {
  it("maps fields to the spec's columns and numbers lines from the header", async () => {
    const out = await rows("ID, Text ,extra\n1,a,x\n2,b,y\n");
    expect(out).toEqual([
      { line: 2, record: { id: "1", text: "a" }, problem: null },
      { line: 3, record: { id: "2", text: "b" }, problem: null },
    ]);
  });

  it("tolerates a BOM, CRLF and blank lines, and counts them", async () => {
    const out = await rows("\uFEFFid,text\r\n1,a\r\n\r\n  \r\n2,b\r\n,\r\n3,c");
    expect(out.map(brief)).toEqual(["2:1", "5:2", "7:3"]);
    expect(out[0]!.record).toEqual({ id: "1", text: "a" });
  });

  it("counts line breaks inside quoted fields, with LF and CRLF", async () => {
    for (const nl of ["\n", "\r\n"]) {
      const csv = `id,text${nl}1,"two${nl}lines"${nl}2,"a ""quote"""${nl}3,"three${nl}${nl}lines"${nl}4,x`;
      const out = await rows(csv);
      expect(out.map(brief)).toEqual(["2:1", "4:2", "5:3", "8:4"]);
      expect(out[0]!.record!.text).toBe(`two${nl}lines`);
      expect(out[1]!.record!.text).toBe('a "quote"');
    }
  });

  it("finds the right line in random files", async () => {
    let seed = 7;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let round = 0; round < 20; round++) {
      const nl = next(2) ? "\r\n" : "\n";
      let csv = `id,text${nl}`;
      let line = 2;
      const expected: string[] = [];
      for (let i = 0; i < 40; i++) {
        while (next(5) === 0) {
          csv += nl;
          line++;
        }
        const breaks = next(4) === 0 ? 1 + next(3) : 0;
        const text = breaks
          ? `"x${nl.repeat(breaks)}y"`
          : next(3)
            ? "plain"
            : '"quoted, with comma"';
        csv += `${i},${text}${nl}`;
        expected.push(`${line}:${i}`);
        line += 1 + breaks;
      }
      expect((await rows(csv, 7)).map(brief)).toEqual(expected);
    }
  });

  it("rejects rows with invalid UTF-8 by line and keeps the others", async () => {
    const out = await rows(
      Buffer.concat([
        Buffer.from("id,text\n1,Zoë\n2,bad"),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('\n3,"multi\nline '),
        Buffer.from([0xff]),
        Buffer.from('"\n4,real \uFFFD is fine\n'),
      ]),
    );
    expect(out.map(brief)).toEqual(["2:1", "3!INVALID_ENCODING", "4!INVALID_ENCODING", "6:4"]);
    expect(out[0]!.record!.text).toBe("Zoë");
    expect(out[3]!.record!.text).toBe("real \uFFFD is fine");
  });

  it("rejects rows with the wrong number of fields", async () => {
    const out = await rows("id,text\n1,a\n2\n3,c,d\n4,d\n");
    expect(out.map(brief)).toEqual(["2:1", "3!WRONG_FIELD_COUNT", "4!WRONG_FIELD_COUNT", "5:4"]);
    expect(out[1]!.problem!.message).toBe("has 1 field, the header has 2");
  });

  it("reads stray quotes as text and reports a quote that never closes", async () => {
    const out = await rows('id,text\n1,O"Brien\n2,b\n3,"never closed\n4,d\n');
    expect(out.map(brief)).toEqual(["2:1", "3:2", "4!MALFORMED_CSV"]);
    expect(out[0]!.record!.text).toBe('O"Brien');
    expect(out[2]!.problem!.message).toMatch(/opened on line 4 is never closed/);
  });

  it("hands rows over in batches, in order", async () => {
    const body = Array.from({ length: 25 }, (_, i) => `${i},t`).join("\n");
    const out = await rows(`id,text\n${body}\n`, 10);
    expect(out.map((r) => r.record!.id)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
  });

  it("rejects unusable files as a whole", async () => {
    const code = async (content: string | Buffer) => {
      try {
        await checkCsvHeader(file(content), spec);
        return "ok";
      } catch (error) {
        expect(error).toBeInstanceOf(ImportFileError);
        return (error as ImportFileError).code;
      }
    };
    expect(await code("id,text\n")).toBe("ok");
    expect(await code("id,note\n1,2\n")).toBe("MISSING_COLUMNS");
    expect(await code("")).toBe("EMPTY_FILE");
    expect(await code("\n\n")).toBe("MISSING_COLUMNS");
    expect(await code("id,text,id\n")).toBe("DUPLICATE_COLUMN");
    expect(await code(Buffer.from([0x69, 0x64, 0xff, 0x2c, 0x74, 0x0a]))).toBe("INVALID_ENCODING");
    await expect(checkCsvHeader(path.join(dir, "missing.csv"), spec)).rejects.toMatchObject({
      code: "FILE_NOT_FOUND",
    });
    await expect(checkCsvHeader(file("id\n"), spec)).rejects.toThrow(
      /missing required column text \(the header has: id\)/,
    );
  });
});

/** Tokenizes `parts` as consecutive chunks of one input. */
function tokenize(parts: Buffer[], maxRecordBytes?: number): CsvRecord[] {
  const tokenizer = new CsvTokenizer(maxRecordBytes);
  const out: CsvRecord[] = [];
  parts.forEach((part, i) => out.push(...tokenizer.records(part, i === parts.length - 1)));
  return out;
}

describe("CsvTokenizer", () => {
  const sample = Buffer.from(
    'id,text\r\n1,"a, ""b""\r\nc"\r\n2,Zoë 中文\n3,O"Brien\n\n4,"x"\n5,"bad"x,y\n6,""\n7,"ends"',
  );

  it("reads the same records wherever the input is cut into chunks", () => {
    const whole = tokenize([sample]);
    expect(whole.map((r) => (r.ok ? `${r.line}:${r.fields.join("|")}` : `${r.line}!`))).toEqual([
      "1:id|text",
      '2:1|a, "b"\r\nc',
      "4:2|Zoë 中文",
      '5:3|O"Brien',
      "6:",
      "7:4|x",
      "8!",
      "9:6|",
      "10:7|ends",
    ]);
    for (let a = 0; a <= sample.length; a++) {
      expect(tokenize([sample.subarray(0, a), sample.subarray(a)])).toEqual(whole);
      for (let b = a; b <= Math.min(sample.length, a + 5); b++) {
        expect(
          tokenize([sample.subarray(0, a), sample.subarray(a, b), sample.subarray(b)]),
        ).toEqual(whole);
      }
    }
  });

  it("agrees with csv-parse on random well-formed files", () => {
    let seed = 11;
    const next = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const pieces = ["a", "Zoë", "中", " ", "x y", "1.5", '"', ",", "\n", "\r\n", '""'];
    for (let round = 0; round < 200; round++) {
      const nl = next(2) ? "\r\n" : "\n";
      const rows: string[] = [];
      for (let r = 0; r < 1 + next(6); r++) {
        const fields: string[] = [];
        for (let f = 0; f < 3; f++) {
          let text = "";
          for (let k = next(4); k > 0; k--) text += pieces[next(pieces.length)];
          const plain = !/[",\r\n]/.test(text);
          fields.push(plain && next(2) ? text : `"${text.replaceAll('"', '""')}"`);
        }
        rows.push(fields.join(","));
      }
      const csv = Buffer.from(rows.join(nl) + (next(2) ? nl : ""));
      const expected = parse(csv, { relax_quotes: true }) as string[][];
      const cut = next(csv.length + 1);
      const records = tokenize([csv.subarray(0, cut), csv.subarray(cut)]);
      expect(records.map((r) => (r.ok ? r.fields : null))).toEqual(expected);
    }
  });

  it("reports text after a closing quote and goes on at the next line", async () => {
    const out = await rows('id,text\n1,"ab"c\n2,b\n');
    expect(out.map(brief)).toEqual(["2!MALFORMED_CSV", "3:2"]);
    expect(out[0]!.problem!.message).toMatch(/followed by a comma or the end of the line/);
  });

  it("bounds what it holds of one record", () => {
    const brief = (r: CsvRecord) =>
      r.ok ? `${r.line}:${r.fields.join("|")}` : `${r.line}!${r.message}`;
    const chunked = (text: string) => Array.from(text.match(/[^]{1,8}/g)!, (t) => Buffer.from(t));
    // A line that never ends within the limit is reported, and reading goes on after it.
    expect(tokenize(chunked(`a,b\n1,${"x".repeat(100)}\n2,y\n`), 32).map(brief)).toEqual([
      "1:a|b",
      "2!malformed CSV: the line is longer than 32 bytes",
      "3:2|y",
    ]);
    // A quoted field that does not close within the limit ends the reading: where records
    // start again cannot be told.
    expect(tokenize(chunked(`a,b\n1,"open\n${"2,y\n".repeat(20)}`), 32).map(brief)).toEqual([
      "1:a|b",
      "2!a quoted field on line 2 does not close within 32 bytes, so lines 2 to the end were not read",
    ]);
  });
});
