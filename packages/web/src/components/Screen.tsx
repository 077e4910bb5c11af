import type { ReactNode } from "react";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { BackIcon } from "./icons";

/** A light commerce screen: a title row with a back button, then the content. */
export function Screen({ title, back = "/", children }: { title: string; back?: string | null; children: ReactNode }) {
  const { t } = useI18n();
  const goBack = () => {
    if (history.length > 1) history.back();
    else if (back) navigate(back);
  };
  return (
    <main className="screen">
      <div className="screen__head">
        {back !== null && (
          <button type="button" className="icon-btn" aria-label={t("nav.back")} onClick={goBack}>
            <BackIcon />
          </button>
        )}
        <h1>{title}</h1>
      </div>
      {children}
    </main>
  );
}
