import "./styles/base.css";
import "./styles/layout.css";
import "./styles/panels.css";
import "./styles/pipeline.css";
import "./styles/models.css";
import "./pipeline/register";
import { onUnauthorized } from "./api/client";
import { h } from "./app/dom";
import { promptForKey } from "./app/keyPrompt";
import { renderNav } from "./app/nav";
import { addRoutes, onRendered, refresh, startRouter } from "./app/router";
import { initTheme, onThemeChange } from "./app/theme";
import { dashboardRoutes } from "./dashboard/routes";
import { modelRoutes } from "./models/routes";

initTheme();
onUnauthorized(promptForKey);
addRoutes(...dashboardRoutes);
addRoutes(...modelRoutes);

const app = document.getElementById("app")!;
const bar = h("header", { class: "top-bar" });
const outlet = h("div", { class: "outlet" });
app.replaceChildren(h("a", { href: "#main", class: "skip-link" }, "Skip to content"), bar, outlet);
onRendered(renderNav(bar));
// Charts take their colours when drawn: a new theme draws the page again.
onThemeChange(refresh);
startRouter(outlet);
