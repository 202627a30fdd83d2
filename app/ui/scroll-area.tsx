/**
 * A table's horizontal scroller. While its content is wider than the screen (a phone, 200 % zoom)
 * it is a named region the keyboard can reach and scroll (WCAG 2.1.1; axe's
 * scrollable-region-focusable); while it fits it adds no stop to the tab order.
 */
import { type ReactNode, useEffect, useRef, useState } from "react";

export function ScrollArea({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const check = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={ref} className={`overflow-x-auto ${className ?? ""}`} {...(scrolls ? { role: "region", "aria-label": label, tabIndex: 0 } : {})}>
      {children}
    </div>
  );
}
