import { type ReactNode, useEffect } from "react";
import { loginPath } from "../api/client";
import { navigate } from "../router";
import { useSession } from "../session";

/** Screens that need a signed-in user send everyone else to /login, which returns here. */
export function RequireLogin({ children }: { children: ReactNode }) {
  const { token } = useSession();
  useEffect(() => {
    if (!token) navigate(loginPath(), { replace: true });
  }, [token]);
  return token ? children : null;
}
