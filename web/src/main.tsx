// Starts the app: catalogues and the server-state cache first, then the page for the current address.
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { I18nextProvider } from "react-i18next";
import { SessionProvider } from "./account/session.js";
import { SessionLanguage } from "./account/session-language.js";
import { App } from "./app.js";
import { startI18n } from "./i18n/i18n.js";
import { createQueryClient } from "./ui/query-client.js";
import "./ui/theme.css";
import "./ui/layout.css";
import "./ui/user-menu.css";
import "./ui/controls.css";
import "./ui/fields.css";
import "./ui/labels.css";
import "./ui/pages.css";
import "./ui/dialog.css";
import "./ui/entry-toolbar.css";
import "./ui/entry-list.css";
import "./ui/live-code.css";
import "./ui/access.css";
import "./ui/add-entry.css";
import "./ui/entry-page.css";
import "./ui/entry-secrets.css";
import "./ui/import.css";
import "./ui/templates.css";
import "./ui/admin.css";
import "./ui/requests.css";
import "./ui/account.css";
import "./ui/audit.css";

const i18n = startI18n();
const queryClient = createQueryClient();
const root = document.getElementById("root");
if (root === null) throw new Error("index.html has no #root element.");

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider>
          <SessionLanguage />
          <App />
        </SessionProvider>
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
);
