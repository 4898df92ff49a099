// Single sign-on as the sign-in page sees it: whether it is set up, and the words for its button.
import { Type, type Static } from "typebox";

export const SsoInfo = Type.Object(
  {
    configured: Type.Boolean({ description: "Whether this server signs people in through an OpenID Connect provider." }),
    label: Type.Optional(Type.String({ maxLength: 40, description: 'The provider\'s name for the button: "Sign in with <label>".' })),
  },
  { $id: "SsoInfo" },
);
export type SsoInfo = Static<typeof SsoInfo>;

/** The query parameter of /sign-in that names why a single sign-on did not finish (an sso_* problem key). */
export const SSO_PROBLEM_PARAM = "sso_problem";
