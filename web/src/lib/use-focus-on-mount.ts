import { useEffect, useRef } from 'preact/hooks';

/**
 * Focuses an element when it appears. (The `autofocus` attribute works once per document only, and this
 * app changes pages without loading new documents.)
 */
export function useFocusOnMount<T extends HTMLElement>(enabled = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (enabled) ref.current?.focus();
  }, [enabled]);
  return ref;
}
