import { type ReactNode, useEffect } from "react";
import { Header } from "./components/Header";
import { RequireLogin } from "./components/RequireLogin";
import { match, useLocation } from "./router";
import { CartScreen } from "./screens/CartScreen";
import { Checkout } from "./screens/Checkout";
import { ControlRoom } from "./screens/ControlRoom";
import { Feed } from "./screens/Feed";
import { InvoiceScreen } from "./screens/InvoiceScreen";
import { LiveRoom } from "./screens/LiveRoom";
import { Login } from "./screens/Login";
import { NotFound } from "./screens/NotFound";
import { OrderScreen } from "./screens/OrderScreen";
import { Orders } from "./screens/Orders";
import { Pay } from "./screens/Pay";
import { SellerLive } from "./screens/SellerLive";
import { VideoScreen } from "./screens/VideoScreen";
import { useSession } from "./session";

type Params = Record<string, string>;
interface Route {
  path: string;
  /** Full-bleed dark screens get the header over them. */
  dark?: boolean;
  /** Operations screens use the desktop's width instead of the phone column. */
  wide?: boolean;
  login?: boolean;
  render: (p: Params) => ReactNode;
}

const routes: Route[] = [
  { path: "/", render: () => <Feed /> },
  { path: "/live/:id", dark: true, render: (p) => <LiveRoom id={p.id ?? ""} /> },
  { path: "/video/:id", dark: true, render: (p) => <VideoScreen id={p.id ?? ""} /> },
  { path: "/login", render: () => <Login /> },
  { path: "/cart", login: true, render: () => <CartScreen /> },
  { path: "/checkout", login: true, render: () => <Checkout /> },
  { path: "/pay/:id", login: true, render: (p) => <Pay id={p.id ?? ""} /> },
  { path: "/orders", login: true, render: () => <Orders /> },
  { path: "/orders/:id", login: true, render: (p) => <OrderScreen id={p.id ?? ""} /> },
  { path: "/invoice/:id", login: true, render: (p) => <InvoiceScreen id={p.id ?? ""} /> },
  { path: "/seller/live", login: true, render: () => <SellerLive /> },
  { path: "/ops/migration", login: true, wide: true, render: () => <ControlRoom /> },
];

function resolve(path: string): { route: Route | null; params: Params } {
  for (const route of routes) {
    const params = match(route.path, path);
    if (params) return { route, params };
  }
  return { route: null, params: {} };
}

export function App() {
  const { path } = useLocation();
  const { lang } = useSession();
  const { route, params } = resolve(path);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const screen = route ? route.render(params) : <NotFound />;
  return (
    <div className={route?.dark ? "app app--dark" : route?.wide ? "app app--wide" : "app"}>
      <Header overlay={Boolean(route?.dark)} />
      <div className="app__body" key={path}>
        {route?.login ? <RequireLogin>{screen}</RequireLogin> : screen}
      </div>
    </div>
  );
}
