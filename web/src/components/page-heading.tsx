import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A page's h1. With `focus`, it takes the keyboard focus when the page appears, so that screen readers
 * announce the new page after an in-app navigation (pages with a form focus their first field instead).
 */
export function PageHeading({ children, focus = false }: { children: ComponentChildren; focus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
