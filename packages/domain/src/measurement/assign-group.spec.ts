import { describe, expect, it } from "vitest";
import {
  assignGroup,
  assignmentPosition,
  hashToUnit,
  isInGlobalHoldout,
  GLOBAL_HOLDOUT_SALT,
} from "./assign-group";
import { MeasurementError } from "./measurement-error";
import { sha256Hex, utf8Bytes } from "./sha256";

describe("sha256", () => {
  it("matches the FIPS 180-4 test vectors and Node's crypto on multi-byte text", () => {
    expect(sha256Hex(utf8Bytes(""))).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(sha256Hex(utf8Bytes("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(sha256Hex(utf8Bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(sha256Hex(utf8Bytes("a".repeat(1_000_000))).slice(0, 16)).toBe("cdc76e5c9914fb92");
    // Values from node:crypto createHash("sha256").update(text, "utf8").
    expect(sha256Hex(utf8Bytes("日本語🙂"))).toBe(
      "e5fb2086a3129afba96c8008d8c9d19533daf7560d11ad6a7a5193d1fe7166b1",
    );
  });
});

describe("assignGroup", () => {
  it("is stable: the same campaign and customer give the same position on every machine", () => {
    // Positions computed independently from node:crypto's SHA-256 (first 52 bits / 2^52).
    expect(assignmentPosition("spring-sale", "cust-42")).toBe(0.49278174976876854);
    expect(assignmentPosition("spring-sale", "cust-1")).toBe(0.2236262171468124);
    expect(hashToUnit(`${GLOBAL_HOLDOUT_SALT}:cust-42`)).toBe(0.6348994474670246);
    expect(assignGroup("spring-sale", "cust-1", 0.2236)).toBe("treatment");
    expect(assignGroup("spring-sale", "cust-1", 0.2237)).toBe("control");
    for (let i = 0; i < 100; i++) {
      expect(assignGroup("c", `k${i}`, 0.3)).toBe(assignGroup("c", `k${i}`, 0.3));
    }
  });

  it("holds the control share within sampling error over 100,000 customers", () => {
    for (const share of [0.1, 0.5]) {
      let control = 0;
      const n = 100_000;
      for (let i = 0; i < n; i++)
        if (assignGroup("summer-2026", String(i), share) === "control") control += 1;
      // 4 standard errors of a binomial share.
      const se = Math.sqrt((share * (1 - share)) / n);
      expect(Math.abs(control / n - share)).toBeLessThan(4 * se);
    }
  });

  it("only moves customers into control when the share rises, and draws independent groups per campaign", () => {
    let movedBack = 0;
    let both = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const key = `cust-${i}`;
      if (assignGroup("a", key, 0.1) === "control" && assignGroup("a", key, 0.2) !== "control") {
        movedBack += 1;
      }
      if (assignGroup("a", key, 0.5) === "control" && assignGroup("b", key, 0.5) === "control") {
        both += 1;
      }
    }
    expect(movedBack).toBe(0);
    // Independent campaigns: about a quarter of customers are control in both.
    expect(Math.abs(both / n - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / n));
  });

  it("treats share 0 as no control and 1 as all control", () => {
    expect(assignGroup("c", "x", 0)).toBe("treatment");
    expect(assignGroup("c", "x", 1)).toBe("control");
  });

  it("refuses an empty key and a share outside [0, 1]", () => {
    expect(() => assignGroup("", "x", 0.1)).toThrow(/campaignKey must be a non-empty string/);
    expect(() => assignGroup("c", "", 0.1)).toThrow(/customerKey/);
    expect(() => assignGroup("c", "x", 1.5)).toThrow(/controlShare must be a number from 0 to 1/);
    expect(() => assignGroup("c", "x", Number.NaN)).toThrow(MeasurementError);
  });
});

describe("isInGlobalHoldout", () => {
  it("holds out the share across customers, independently of campaign assignment", () => {
    const n = 50_000;
    let held = 0;
    let heldAndControl = 0;
    for (let i = 0; i < n; i++) {
      const key = String(i);
      const h = isInGlobalHoldout(key, 0.05);
      if (h) held += 1;
      if (h && assignGroup("camp", key, 0.5) === "control") heldAndControl += 1;
    }
    expect(Math.abs(held / n - 0.05)).toBeLessThan(4 * Math.sqrt((0.05 * 0.95) / n));
    expect(Math.abs(heldAndControl / held - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / held));
  });

  it("is off at share 0, stable, and a new salt draws a new holdout", () => {
    expect(isInGlobalHoldout("cust-42", 0)).toBe(false);
    expect(isInGlobalHoldout("cust-42", 0.64)).toBe(true);
    expect(isInGlobalHoldout("cust-42", 0.63)).toBe(false);
    let same = 0;
    for (let i = 0; i < 2000; i++) {
      if (isInGlobalHoldout(String(i), 0.5) === isInGlobalHoldout(String(i), 0.5, "2027"))
        same += 1;
    }
    expect(same).toBeGreaterThan(850);
    expect(same).toBeLessThan(1150);
    expect(() => isInGlobalHoldout("x", 0.1, "")).toThrow(/salt/);
  });
});
