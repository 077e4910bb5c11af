import { useSyncExternalStore } from "react";
import type { Role } from "./api/types";

export type Lang = "id" | "en";

/** What the app remembers between visits: kept in localStorage, shared by every screen. */
export interface Session {
  token: string | null;
  role: Role | null;
  cartId: string | null;
  /** Units in the current cart, for the yellow cart's badge. */
  cartCount: number;
  lang: Lang;
}

const KEYS = { token: "joget.token", role: "joget.role", cartId: "joget.cart", lang: "joget.lang" } as const;

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // Private mode without storage: the session lives in memory only.
  }
}

let state: Session = {
  token: read(KEYS.token),
  role: read(KEYS.role) as Role | null,
  cartId: read(KEYS.cartId),
  cartCount: 0,
  lang: read(KEYS.lang) === "en" ? "en" : "id",
};
const listeners = new Set<() => void>();

export function getSession(): Session {
  return state;
}

export function updateSession(patch: Partial<Session>) {
  state = { ...state, ...patch };
  if ("token" in patch) write(KEYS.token, state.token);
  if ("role" in patch) write(KEYS.role, state.role);
  if ("cartId" in patch) write(KEYS.cartId, state.cartId);
  if ("lang" in patch) write(KEYS.lang, state.lang);
  for (const l of listeners) l();
}

/** Forgets the signed-in user and their cart (a cart belongs to one buyer). */
export function signOut() {
  updateSession({ token: null, role: null, cartId: null, cartCount: 0 });
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useSession(): Session {
  return useSyncExternalStore(subscribe, getSession);
}
