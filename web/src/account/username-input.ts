// What every username input says to the browser: the field holding the account's username, to be
// filled from saved sign-ins and left as typed (no capitals, corrections or spelling marks added).
export const USERNAME_INPUT = {
  name: "username",
  autoComplete: "username",
  autoCapitalize: "none",
  autoCorrect: "off",
  spellCheck: false,
  required: true,
} as const;
