import type { Route } from "../app/router";
import { renderModelList } from "./listPage";
import { renderModelPage } from "./modelPage";

/** /models, the project's models and lineage; /models/{name}, one of them. */
export const modelRoutes: Route[] = [
  { pattern: /^\/models\/?$/, render: async (root, _match, url) => renderModelList(root, url) },
  { pattern: /^\/models\/([^/]+)\/?$/, render: async (root, match) => renderModelPage(root, decodeURIComponent(match[1]!)) },
];
