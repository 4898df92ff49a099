// Applies the language the signed-in person saved on their account (SessionInfo.language) when
// they sign in, or when the session first loads. Only once per person and choice, so choosing
// another language from the menu afterwards is not overruled by a later session check.
import { useEffect, useRef } from "react";
import { switchLanguage } from "../i18n/i18n.js";
import { useSession } from "./session.js";

export function SessionLanguage() {
  const { state } = useSession();
  const session = state.status === "signed-in" ? state.session : undefined;
  const applied = useRef<string>(undefined);
  const language = session?.language ?? undefined;
  const choice = session === undefined || language === undefined ? undefined : `${session.user.id}:${language}`;
  useEffect(() => {
    // Signed out: the next sign-in applies its language again, even the same one.
    if (session === undefined) applied.current = undefined;
    if (choice === undefined || language === undefined || applied.current === choice) return;
    applied.current = choice;
    void switchLanguage(language);
  }, [choice, language, session]);
  return null;
}
