import { useEffect, useState } from "react";
import { loadStorefront } from "../api/shop";
import type { Storefront } from "../api/types";
import { useI18n } from "../i18n";
import { ShieldIcon } from "./icons";

/** Whose shop this legally is: the licensed operator's brand and notice (Permendag 31/2023). */
export function StorefrontNotice({ dark = false }: { dark?: boolean }) {
  const { t, lang } = useI18n();
  const [front, setFront] = useState<Storefront | null>(null);
  useEffect(() => {
    let live = true;
    loadStorefront().then(
      (s) => live && setFront(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (!front) return null;
  // The server words the notice in Indonesian; English readers get the same facts in English.
  const notice = lang === "id" ? front.notice : t("notice.operator", { operator: front.operator });
  return (
    <div className={dark ? "notice notice--dark" : "notice"} data-testid="storefront-notice">
      <ShieldIcon size={16} />
      <div>
        <strong className="notice__brand">{front.brand}</strong>
        <span className="notice__text">{notice}</span>
      </div>
    </div>
  );
}
