import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { newWebhookSecret, signWebhook, verifyWebhookSignature } from "./webhook-signature";

describe("webhook signatures", () => {
  const secret = "whsec_test";
  const body = '{"id":"1","type":"tier.changed","data":{"customerId":"C1"}}';

  it("signs t.body with HMAC-SHA256 in hex, as the contract says", () => {
    const header = signWebhook(secret, body, 1_700_000_000);
    const mac = createHmac("sha256", secret).update(`1700000000.${body}`).digest("hex");
    expect(header).toBe(`t=1700000000,v1=${mac}`);
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: 1_700_000_010 })).toBe(true);
  });

  it("refuses another body, another secret, a stale timestamp and malformed headers", () => {
    const header = signWebhook(secret, body, 1_700_000_000);
    const now = { nowSeconds: 1_700_000_000 };
    expect(verifyWebhookSignature(secret, body + " ", header, now)).toBe(false);
    expect(verifyWebhookSignature("whsec_other", body, header, now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, { nowSeconds: 1_700_000_301 })).toBe(false);
    expect(verifyWebhookSignature(secret, body, "v1=abc", now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, "t=1700000000,v1=zz", now)).toBe(false);
    expect(verifyWebhookSignature(secret, body, "", now)).toBe(false);
  });

  it("makes a different secret each time", () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});
