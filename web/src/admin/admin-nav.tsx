// The sections of the administrators' pages, under one "Admin" item of the main navigation so the
// header keeps room at phone width as sections are added (users, groups and policies later).
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "../ui/router.js";

const SECTIONS = [
  { to: "/admin/folders", key: "folders" },
  { to: "/admin/templates", key: "templates" },
  { to: "/admin/service-accounts", key: "serviceAccounts" },
  { to: "/admin/users", key: "users" },
  { to: "/admin/groups", key: "groups" },
  { to: "/admin/two-step", key: "mfaEnforcement" },
] as const;

export const ADMIN_HOME = SECTIONS[0].to;

export function AdminNav() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const ref = useRef<HTMLElement>(null);
  // At phone width the sections scroll sideways: the current one is brought into view.
  useEffect(() => {
    ref.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <nav ref={ref} className="admin-nav" aria-label={t("admin.navLabel")}>
      <ul>
        {SECTIONS.map((section) => (
          <li key={section.to}>
            <Link to={section.to} className="admin-nav__link" aria-current={pathname === section.to ? "page" : undefined}>
              {t(`admin.${section.key}.navLabel`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
