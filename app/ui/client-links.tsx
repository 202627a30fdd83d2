import { useNavigate } from "@remix-run/react";
import { useEffect, useRef } from "react";

/**
 * Client-side navigation for the plain `<a href>` links inside one element (a list, the header):
 * one click listener on the element does what a Remix `<Link>` does for each link. A `<Link>` costs
 * about 0.1 ms of server rendering (it resolves its path against the route matches several times),
 * and a list of 50 proposals with two links a row spent a quarter of the page's server time on
 * them (decision 012). Before hydration, or if the listener is missing, the links still work as
 * ordinary page loads. Only for links to pages: a link to a file (a resource route) must not sit in
 * such an element, or must carry `download` or a `target`.
 */
export function useClientLinks<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const navigate = useNavigate();
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const onClick = (event: MouseEvent) => {
      // Left to the browser: another button or a modifier (new tab, download), or an earlier decision.
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
      const anchor = event.target instanceof Element ? event.target.closest("a") : null;
      if (!anchor?.hasAttribute("href") || !element.contains(anchor)) return;
      if ((anchor.target && anchor.target !== "_self") || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href, window.location.href);
      if (url.origin !== window.location.origin) return;
      event.preventDefault();
      navigate(url.pathname + url.search + url.hash);
    };
    element.addEventListener("click", onClick);
    return () => element.removeEventListener("click", onClick);
  }, [navigate]);
  return ref;
}
