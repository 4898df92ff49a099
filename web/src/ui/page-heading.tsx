// A page's <h1>. After moving between pages it takes focus, so screen readers announce the new
// page and keyboard users start from its top; on first load focus stays where the browser put it.
import { useEffect, useRef, type ReactNode } from "react";
import { isAfterNavigation } from "./router.js";

export function PageHeading({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (isAfterNavigation()) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className={className === undefined ? "page-heading" : `page-heading ${className}`}>
      {children}
    </h1>
  );
}
