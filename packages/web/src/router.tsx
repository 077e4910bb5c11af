import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from "react";

/** A tiny router over history.pushState: real paths, so a reload lands on the same screen. */
const NAVIGATE = "joget:navigate";

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === currentPath()) return;
  if (opts.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  window.dispatchEvent(new Event(NAVIGATE));
  window.scrollTo(0, 0);
}

/** Path plus query, as a `next` target after login. */
export const currentPath = () => `${location.pathname}${location.search}`;

function subscribe(l: () => void) {
  window.addEventListener("popstate", l);
  window.addEventListener(NAVIGATE, l);
  return () => {
    window.removeEventListener("popstate", l);
    window.removeEventListener(NAVIGATE, l);
  };
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const full = useSyncExternalStore(subscribe, currentPath);
  const url = new URL(full, location.origin);
  return { path: url.pathname, search: url.searchParams };
}

/** Matches "/live/:id" style patterns; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (path === "/" && pattern === "/") return {};
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(":")) {
      if (!g) return null;
      params[w.slice(1)] = decodeURIComponent(g);
    } else if (w !== g) return null;
  }
  return params;
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string };

export function Link({ to, onClick, ...rest }: LinkProps) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}
