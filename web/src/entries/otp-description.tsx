// "TOTP · 6 digits · 30 s" — an OTP's settings in a line, never its seed.
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { OtpSummary } from "../../../src/contract/entries.js";

type OtpSettings = Pick<OtpSummary, "type" | "algorithm" | "digits" | "period">;

export function OtpDescription({ otp, showAlgorithm = false }: { otp: OtpSettings; showAlgorithm?: boolean }) {
  const { t } = useTranslation();
  return <span className="otp-description">{describeOtp(otp, t, showAlgorithm)}</span>;
}

export function describeOtp(otp: OtpSettings, t: TFunction, showAlgorithm = false): string {
  const parts = [t(`entries.otp.types.${otp.type}`)];
  if (otp.type !== "steam") parts.push(t("entries.otp.digits", { count: otp.digits }));
  if (otp.type !== "hotp") parts.push(t("entries.otp.seconds", { count: otp.period }));
  if (showAlgorithm && otp.type !== "steam") parts.push(otp.algorithm.replace("SHA", "SHA-"));
  return parts.join(" · ");
}
