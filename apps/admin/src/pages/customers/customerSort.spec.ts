import { describe, expect, it } from "vitest";
import { DEFAULT_CUSTOMER_SORT, nextCustomerSort, type CustomerSort } from "./customerSort";

describe("nextCustomerSort", () => {
  it("sorts by the clicked column in the proposed direction", () => {
    expect(nextCustomerSort(DEFAULT_CUSTOMER_SORT, "totalSpent", "descend")).toEqual({
      field: "TOTAL_SPENT",
      direction: "DESC",
    });
    expect(nextCustomerSort(DEFAULT_CUSTOMER_SORT, "clv", "descend")).toEqual({
      field: "CLV",
      direction: "DESC",
    });
    expect(nextCustomerSort(DEFAULT_CUSTOMER_SORT, "pAlive", "ascend")).toEqual({
      field: "P_ALIVE",
      direction: "ASC",
    });
    expect(nextCustomerSort(DEFAULT_CUSTOMER_SORT, "name", "ascend")).toEqual({
      field: "NAME",
      direction: "ASC",
    });
  });

  it("flips the direction instead of turning sorting off on the sorted column", () => {
    const byDate: CustomerSort = { field: "FIRST_SEEN_AT", direction: "DESC" };
    expect(nextCustomerSort(byDate, "createdAt", false)).toEqual({
      field: "FIRST_SEEN_AT",
      direction: "ASC",
    });
  });

  it("keeps the current sort for columns that cannot be sorted", () => {
    expect(nextCustomerSort(DEFAULT_CUSTOMER_SORT, "externalId", "ascend")).toBe(
      DEFAULT_CUSTOMER_SORT,
    );
    expect(nextCustomerSort(DEFAULT_CUSTOMER_SORT, "orderCount", false)).toBe(
      DEFAULT_CUSTOMER_SORT,
    );
  });
});
