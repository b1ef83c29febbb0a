import { describe, expect, it } from "vitest";
import { MAX_PAGE_SIZE, useCursorPager } from "./useCursorPager";

describe("useCursorPager", () => {
  it("starts on page 1 with no cursor", () => {
    const pager = useCursorPager(50);
    expect(pager.after.value).toBeNull();
    expect(pager.pageNumber.value).toBe(1);
    expect(pager.hasPrevious.value).toBe(false);
    expect(pager.pageSize.value).toBe(50);
  });

  it("pushes each page's end cursor on Next and pops it on Previous", () => {
    const pager = useCursorPager(2);
    pager.next("c2");
    expect(pager.after.value).toBe("c2");
    expect(pager.pageNumber.value).toBe(2);
    pager.next("c4");
    expect(pager.after.value).toBe("c4");
    expect(pager.pageNumber.value).toBe(3);

    pager.previous();
    expect(pager.after.value).toBe("c2");
    expect(pager.pageNumber.value).toBe(2);
    pager.previous();
    expect(pager.after.value).toBeNull();
    expect(pager.pageNumber.value).toBe(1);
    expect(pager.hasPrevious.value).toBe(false);
  });

  it("does nothing on Previous from the first page", () => {
    const pager = useCursorPager();
    pager.previous();
    expect(pager.after.value).toBeNull();
    expect(pager.pageNumber.value).toBe(1);
  });

  it("ignores a missing end cursor and a double click on Next with the same cursor", () => {
    const pager = useCursorPager();
    pager.next(null);
    pager.next(undefined);
    pager.next("");
    expect(pager.pageNumber.value).toBe(1);
    pager.next("c50");
    pager.next("c50");
    expect(pager.pageNumber.value).toBe(2);
  });

  it("goes back to the first page on reset", () => {
    const pager = useCursorPager();
    pager.next("a");
    pager.next("b");
    pager.reset();
    expect(pager.after.value).toBeNull();
    expect(pager.pageNumber.value).toBe(1);
  });

  it("returns to the first page when the page size changes", () => {
    const pager = useCursorPager(25);
    pager.next("c25");
    pager.setPageSize(100);
    expect(pager.pageSize.value).toBe(100);
    expect(pager.after.value).toBeNull();
  });

  it("clamps the page size to what the API accepts", () => {
    expect(useCursorPager(1000).pageSize.value).toBe(MAX_PAGE_SIZE);
    expect(useCursorPager(0).pageSize.value).toBe(1);
    expect(useCursorPager(Number.NaN).pageSize.value).toBe(50);
    const pager = useCursorPager();
    pager.setPageSize(251);
    expect(pager.pageSize.value).toBe(250);
  });
});
