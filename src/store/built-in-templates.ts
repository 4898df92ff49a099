// The templates every vault starts with. Their ids are stable: entries refer to them.
export interface BuiltInTemplate {
  readonly id: string;
  readonly name: string;
  readonly fields: readonly { key: string; label: string; type: "text" | "url" | "secret" | "otp" | "recovery_codes"; required: boolean }[];
}

export const OTP_ONLY_TEMPLATE = "otp-only";
export const WEB_APP_TEMPLATE = "web-app-otp";
export const RECOVERY_CODES_TEMPLATE = "recovery-codes-only";

export const BUILT_IN_TEMPLATES: readonly BuiltInTemplate[] = [
  { id: OTP_ONLY_TEMPLATE, name: "OTP only", fields: [{ key: "seed", label: "OTP seed", type: "otp", required: true }] },
  {
    id: WEB_APP_TEMPLATE,
    name: "Web app with OTP",
    fields: [
      { key: "url", label: "URL", type: "url", required: false },
      { key: "username", label: "Username", type: "text", required: false },
      { key: "password", label: "Password", type: "secret", required: false },
      { key: "seed", label: "OTP seed", type: "otp", required: false },
    ],
  },
  { id: RECOVERY_CODES_TEMPLATE, name: "Recovery codes only", fields: [{ key: "recovery_codes", label: "Recovery codes", type: "recovery_codes", required: true }] },
];
