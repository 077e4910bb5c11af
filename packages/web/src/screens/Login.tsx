import { type FormEvent, useState } from "react";
import { shop } from "../api/shop";
import type { Role } from "../api/types";
import { ErrorNote } from "../components/Feedback";
import { useI18n } from "../i18n";
import { navigate, useLocation } from "../router";
import { updateSession } from "../session";

/** Only same-app paths are followed after login (no open redirect). */
const safeNext = (next: string | null) => (next?.startsWith("/") && !next.startsWith("//") ? next : "/");

/** Where each role lands when it logged in from nowhere in particular. */
const homeOf: Partial<Record<Role, string>> = {
  seller: "/seller/live",
  admin: "/ops/migration",
  regulator: "/ops/migration",
};

export function Login() {
  const { t } = useI18n();
  const { search } = useLocation();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await shop.login(email.trim(), password);
      // A cart belongs to one buyer: a new login starts without the previous one's.
      updateSession({ token: res.token, role: res.user.role, cartId: null, cartCount: 0 });
      const next = safeNext(search.get("next"));
      navigate(next === "/" ? (homeOf[res.user.role] ?? "/") : next, { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <main className="screen login">
      <div className="login__hero">
        <span className="brand__mark brand__mark--big">J</span>
        <h1>{t("login.title")}</h1>
        <p className="muted">{t("login.hint")}</p>
      </div>
      <form className="form card-box" onSubmit={submit}>
        <label>
          <span>{t("login.email")}</span>
          <input
            data-testid="login-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          <span>{t("login.password")}</span>
          <input
            data-testid="login-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorNote error={error} />
        <button type="submit" className="btn btn--primary btn--block" data-testid="login-submit" disabled={busy}>
          {busy ? t("common.loading") : t("login.submit")}
        </button>
      </form>
      <div className="demo-hint">
        <p>{t("login.demo", { email: "buyer1@pindah.test", password: "pindah-demo" })}</p>
        <p>{t("login.demoSeller")}</p>
        <p>{t("login.demoOps")}</p>
      </div>
    </main>
  );
}
