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

/**
 * A local copy of `target` for an input: typing updates `target` once the user pauses, and a
 * change of `target` from elsewhere (Back, a link, "clear filters") shows in the input at once.
 * Used with state kept in the URL, so that the query follows the address, not the keystrokes.
 *
 * @param target - the state the input edits.
 * @param delayMs - pause before the write.
 * @returns the ref to bind the input to.
 */
export function useDebouncedModel<T>(target: Ref<T>, delayMs = 300): Ref<T> {
  const local = ref(target.value) as Ref<T>;
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(target, (value) => {
    clearTimeout(timer);
    local.value = value;
  });
  watch(local, (value) => {
    if (value === target.value) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      target.value = value;
    }, delayMs);
  });
  onScopeDispose(() => clearTimeout(timer));
  return local;
}
