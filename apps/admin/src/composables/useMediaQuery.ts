import { onScopeDispose, ref, type Ref } from "vue";

/**
 * Whether a CSS media query matches, kept up to date as the window changes.
 *
 * @param query - e.g. "(max-width: 767px)".
 * @returns a ref that is true while the query matches (false where matchMedia is missing).
 */
export function useMediaQuery(query: string): Readonly<Ref<boolean>> {
  const matches = ref(false);
  if (typeof window === "undefined" || typeof window.matchMedia !== "function") return matches;
  const list = window.matchMedia(query);
  matches.value = list.matches;
  const onChange = (event: MediaQueryListEvent) => {
    matches.value = event.matches;
  };
  list.addEventListener("change", onChange);
  onScopeDispose(() => list.removeEventListener("change", onChange));
  return matches;
}

/** Phones and small tablets: the navigation folds into a drawer. */
export const NARROW_SCREEN = "(max-width: 767px)";
