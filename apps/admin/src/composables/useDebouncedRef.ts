import { onScopeDispose, ref, watch, type Ref } from "vue";

/**
 * A copy of `source` that follows it only after `delayMs` without changes, so typing in a
 * search box sends one query, not one per key.
 *
 * @param source - the ref to follow.
 * @param delayMs - quiet time before the copy updates.
 * @returns a read-only-by-convention ref holding the settled value.
 */
export function useDebouncedRef<T>(source: Ref<T>, delayMs = 300): Ref<T> {
  const settled = ref(source.value) as Ref<T>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(source, (value) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      settled.value = value;
    }, delayMs);
  });
  onScopeDispose(() => clearTimeout(timer));
  return settled;
}
