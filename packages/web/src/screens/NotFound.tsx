import { Screen } from "../components/Screen";
import { useI18n } from "../i18n";
import { Link } from "../router";

export function NotFound() {
  const { t } = useI18n();
  return (
    <Screen title="404">
      <div className="empty">
        <p>{t("error.notFound")}</p>
        <Link to="/" className="btn btn--primary">
          Joget
        </Link>
      </div>
    </Screen>
  );
}
