import { ApiError } from "../api/client";
import type { OrderStatus, PaymentStatus } from "../api/types";
import { type Lang, updateSession, useSession } from "../session";
import { en } from "./en";
import { type Dict, id, type Key } from "./id";

const dictionaries: Record<Lang, Dict> = { id, en };
const locales: Record<Lang, string> = { id: "id-ID", en: "en-GB" };

export type T = (key: Key, vars?: Record<string, string | number>) => string;

function translate(dict: Dict, key: Key, vars?: Record<string, string | number>): string {
  let s = dict[key];
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

const isKey = (k: string): k is Key => k in id;

export interface I18n {
  lang: Lang;
  t: T;
  /** A problem from the API in the user's language: known slugs translated, else the server's own detail. */
  errorText: (err: unknown) => string;
  orderStatus: (s: OrderStatus | string) => string;
  paymentStatus: (s: PaymentStatus | string) => string;
  dateTime: (iso: string | null | undefined) => string;
  time: (iso: string | null | undefined) => string;
  /** Hours, minutes and seconds: when things happened during a migration. */
  clock: (iso: string | null | undefined) => string;
  count: (n: number) => string;
  /** A whole number in full with the language's grouping (`"1234567"` -> `1.234.567`); strings may pass 2^53. */
  num: (n: number | string) => string;
  /** `8,5%` / `8.5%`: at most one decimal, as the migration's progress is reported. */
  percent: (n: number) => string;
  /** `t(key)` when the dictionary has the key, else `fallback` (states, actions, categories named by the API). */
  known: (key: string, fallback: string, vars?: Record<string, string | number>) => string;
  setLang: (lang: Lang) => void;
}

export function useI18n(): I18n {
  const { lang } = useSession();
  const dict = dictionaries[lang];
  const t: T = (key, vars) => translate(dict, key, vars);
  const format = (iso: string | null | undefined, opts: Intl.DateTimeFormatOptions) => {
    if (!iso) return "";
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? "" : d.toLocaleString(locales[lang], opts);
  };
  return {
    lang,
    t,
    errorText: (err) => {
      if (!(err instanceof ApiError)) return t("error.generic");
      if (err.status === 0) return t("error.network");
      const key = `problem.${err.slug}`;
      if (isKey(key)) return t(key);
      return err.problem.detail ?? err.problem.title;
    },
    orderStatus: (s) => {
      const key = `status.${s}`;
      return isKey(key) ? t(key) : s;
    },
    paymentStatus: (s) => {
      const key = `pstatus.${s}`;
      return isKey(key) ? t(key) : s;
    },
    dateTime: (iso) => format(iso, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }),
    time: (iso) => format(iso, { hour: "2-digit", minute: "2-digit" }),
    clock: (iso) => format(iso, { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }),
    count: (n) => (n >= 10_000 ? `${(n / 1000).toFixed(n >= 100_000 ? 0 : 1)}K` : n.toLocaleString(locales[lang])),
    num: (n) => {
      if (typeof n === "number") return n.toLocaleString(locales[lang]);
      return /^-?\d+$/.test(n) ? BigInt(n).toLocaleString(locales[lang]) : n;
    },
    percent: (n) => `${n.toLocaleString(locales[lang], { maximumFractionDigits: 1 })}%`,
    known: (key, fallback, vars) => (isKey(key) ? t(key, vars) : fallback),
    setLang: (next) => {
      updateSession({ lang: next });
      document.documentElement.lang = next;
    },
  };
}
