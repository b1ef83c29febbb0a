import { ApolloClient, ApolloLink, InMemoryCache, Observable } from "@apollo/client/core";
import { DefaultApolloClient } from "@vue/apollo-composable";
import { flushPromises, mount } from "@vue/test-utils";
import { NDialogProvider, NMessageProvider } from "naive-ui";
import { afterEach, describe, expect, it } from "vitest";
import { h } from "vue";
import { i18n, setLocale } from "../../i18n";
import CustomerLoyaltyCard from "./CustomerLoyaltyCard.vue";

type Refusal = { field: string | null; code: string; message: string };

interface FakeRedemption {
  id: string;
  code: string;
  points: number;
  status: string;
  reversedAt: string | null;
}

/**
 * Mounts the card against a fake API: a customer with 90 available points and two
 * redemptions (one already reversed); reverseRedemption answers with `refusals`, or reverses
 * and gives the points back.
 */
async function mountCard(refusals: Refusal[] = []) {
  const redemptions: FakeRedemption[] = [
    { id: "7", code: "MUG-7K2P9Q", points: 150, status: "redeemed", reversedAt: null },
    {
      id: "3",
      code: "SHIP-X4D2",
      points: 300,
      status: "reversed",
      reversedAt: "2026-11-02T10:00:00.000Z",
    },
  ];
  let available = 90;
  const sent: Sent[] = [];
  const link = new ApolloLink((operation) => {
    sent.push({ operation: operation.operationName, variables: operation.variables });
    if (operation.operationName === "Me") {
      return Observable.of({
        data: {
          me: { __typename: "User", id: "1", email: "a@b.test", name: "A", role: "ADMIN" },
        },
      });
    }
    if (operation.operationName === "ReverseRedemption") {
      const input = operation.variables.input as { redemptionId: string };
      const target = redemptions.find((r) => r.id === input.redemptionId)!;
      if (refusals.length === 0) {
        available += target.points;
        target.status = "reversed";
        target.reversedAt = "2026-12-01T12:00:00.000Z";
      }
      return Observable.of({
        data: {
          reverseRedemption: {
            __typename: "RedemptionPayload",
            replayed: false,
            redemption: refusals.length === 0 ? { __typename: "Redemption", ...target } : null,
            account:
              refusals.length === 0 ? { __typename: "LoyaltyAccount", balance: available } : null,
            userErrors: refusals.map((r) => ({ __typename: "UserError", ...r })),
          },
        },
      });
    }
    return Observable.of({
      data: {
        customer: {
          __typename: "Customer",
          id: "42",
          totalSpent: { __typename: "Money", currency: "USD" },
          loyalty: {
            __typename: "LoyaltyAccount",
            balance: available,
            available,
            pending: 0,
            lifetimeEarned: 540,
            redeemed: 450,
            expired: 0,
            expiringSoon: [],
            tier: null,
            nextTier: null,
            redemptions: redemptions.map((r) => ({
              __typename: "Redemption",
              ...r,
              redeemedAt: "2026-11-01T10:00:00.000Z",
              reward: { __typename: "Reward", id: "1", name: "E2E mug" },
            })),
            // The earlier reversal, as the ledger holds it: an adjust entry.
            ledger: {
              __typename: "LoyaltyLedgerConnection",
              totalCount: 1,
              pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
              edges: [
                {
                  __typename: "LoyaltyLedgerEntryEdge",
                  cursor: "c1",
                  node: {
                    __typename: "LoyaltyLedgerEntry",
                    id: "42:5",
                    seq: 5,
                    at: "2026-11-02T10:00:00.000Z",
                    type: "ADJUST",
                    points: 300,
                    pendingChange: 0,
                    availableChange: 300,
                    reason: "lost in the post",
                    source: "redemption:3",
                    operation: "reverse_redemption",
                    lots: [],
                  },
                },
              ],
            },
          },
        },
      },
    });
  });
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const wrapper = mount(
    {
      render: () =>
        h(NMessageProvider, () =>
          h(NDialogProvider, () => h(CustomerLoyaltyCard, { customerId: "42" })),
        ),
    },
    {
      global: { plugins: [i18n], provide: { [DefaultApolloClient]: client } },
      attachTo: document.body,
    },
  );
  await flushPromises();
  return { wrapper, sent };
}

/** The modal and the dialog are teleported to the body. */
const inBody = (selector: string) => document.body.querySelector<HTMLElement>(selector);
async function typeReason(text: string) {
  const input = inBody('[data-testid="loyalty-reverse-reason"] input') as HTMLInputElement;
  input.value = text;
  input.dispatchEvent(new Event("input"));
  await flushPromises();
}
async function submit() {
  inBody('[data-testid="loyalty-reverse-submit"]')!.click();
  await flushPromises();
}
/** The buttons of the newest dialog (a closed one stays in the page while it fades out). */
function dialogButtons(): HTMLElement[] {
  const dialog = [...document.body.querySelectorAll(".n-dialog")].at(-1);
  return dialog ? [...dialog.querySelectorAll<HTMLElement>(".n-dialog__action button")] : [];
}
async function confirmDialog() {
  const buttons = dialogButtons();
  expect(buttons.length).toBe(2);
  buttons[1]!.click();
  await flushPromises();
}
type Sent = { operation: string; variables: Record<string, unknown> };
const reversals = (sent: Sent[]) => sent.filter((s) => s.operation === "ReverseRedemption");

afterEach(() => {
  setLocale("en");
  document.body.innerHTML = "";
});

// Mounting naive-ui is slow on a busy machine: a generous timeout, no timing asserted.
describe("CustomerLoyaltyCard: reversing a redemption", { timeout: 30_000 }, () => {
  it("offers Reverse only on the redemption not reversed yet", async () => {
    const { wrapper } = await mountCard();
    const rows = wrapper.findAll('[data-testid="loyalty-redemption"]');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.find('[data-testid="loyalty-reverse"]').exists()).toBe(true);
    expect(rows[1]!.find('[data-testid="loyalty-reverse"]').exists()).toBe(false);
    expect(rows[1]!.text()).toContain("Reversed");
    wrapper.unmount();
  });

  it("asks for a reason, then a confirmation, sends a key, shows the result and refreshes", async () => {
    const { wrapper, sent } = await mountCard();
    await wrapper.find('[data-testid="loyalty-reverse"]').trigger("click");
    await flushPromises();
    expect(inBody(".n-modal")?.textContent).toContain("Reverse redemption MUG-7K2P9Q");

    // No reason: named under the field, nothing sent, no dialog.
    await submit();
    expect(document.body.textContent).toContain("Give a reason.");
    expect(inBody(".n-dialog")).toBeNull();
    expect(reversals(sent)).toEqual([]);

    await typeReason("  returned the mug  ");
    await submit();
    expect(inBody(".n-dialog")?.textContent).toContain(
      "150 points go back to the customer and coupon MUG-7K2P9Q stops working.",
    );
    expect(reversals(sent)).toEqual([]);
    const reads = sent.filter((s) => s.operation === "CustomerLoyalty").length;
    await confirmDialog();

    expect(reversals(sent)).toHaveLength(1);
    const input = reversals(sent)[0]!.variables.input as Record<string, string>;
    expect(input).toMatchObject({ redemptionId: "7", reason: "returned the mug" });
    expect(input.idempotencyKey).toMatch(/^admin-reverse:.{8,}/);
    expect(inBody('[data-testid="loyalty-reversed"]')?.textContent).toContain(
      "150 points given back. Coupon MUG-7K2P9Q is void.",
    );
    // The card read again: 240 available, both redemptions reversed.
    expect(sent.filter((s) => s.operation === "CustomerLoyalty").length).toBeGreaterThan(reads);
    expect(wrapper.find('[data-testid="loyalty-available"]').text()).toBe("240");
    expect(wrapper.find('[data-testid="loyalty-reverse"]').exists()).toBe(false);
    // A reversal in the ledger says what it is, not just "Adjust".
    expect(wrapper.find('[data-testid="loyalty-ledger"]').text()).toContain("Redemption reversed");
    wrapper.unmount();
  });

  it("cancelling the confirmation sends nothing", async () => {
    const { wrapper, sent } = await mountCard();
    await wrapper.find('[data-testid="loyalty-reverse"]').trigger("click");
    await flushPromises();
    await typeReason("wrong customer");
    await submit();
    dialogButtons()[0]!.click();
    await flushPromises();
    expect(reversals(sent)).toEqual([]);
    wrapper.unmount();
  });

  it("shows a refusal translated by its code, in Chinese, and keeps the key for a retry", async () => {
    setLocale("zh-TW");
    const { wrapper, sent } = await mountCard([
      { field: "input.redemptionId", code: "ALREADY_REVERSED", message: "English text" },
    ]);
    await wrapper.find('[data-testid="loyalty-reverse"]').trigger("click");
    await flushPromises();
    await typeReason("退貨");
    await submit();
    await confirmDialog();
    expect(document.body.textContent).toContain("這筆兌換已經撤銷。");
    expect(document.body.textContent).not.toContain("English text");
    await submit();
    await confirmDialog();
    const keys = reversals(sent).map(
      (s) => (s.variables.input as { idempotencyKey: string }).idempotencyKey,
    );
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    wrapper.unmount();
  });
});
