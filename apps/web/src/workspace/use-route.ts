import { useCallback, useEffect, useState } from "react";

export type Route = "editor" | "history";

function current(): Route {
  return window.location.pathname.replace(/\/+$/, "").endsWith("/history") ? "history" : "editor";
}

/** Two pages, `/` and `/history`, with the browser's back and forward buttons working. */
export function useRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState<Route>(current);
  useEffect(() => {
    const onPop = () => setRoute(current());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((next: Route) => {
    const path = next === "history" ? "/history" : "/";
    if (window.location.pathname !== path) window.history.pushState(null, "", path);
    setRoute(next);
  }, []);
  return [route, navigate];
}
