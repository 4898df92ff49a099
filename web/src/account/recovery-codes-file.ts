// The text of the recovery codes as saved (the .txt download, the clipboard): a title naming the
// account, when the set was made, and the ten codes numbered, in the reader's language.
import type { TFunction } from "i18next";

export function recoveryCodesText(codes: readonly string[], username: string, generatedAt: string, language: string, t: TFunction): string {
  const date = new Intl.DateTimeFormat(language, { dateStyle: "long", timeStyle: "short" }).format(new Date(generatedAt));
  const lines = codes.map((code, index) => `${String(index + 1).padStart(2, " ")}. ${code}`);
  return [t("account.recoveryCodes.fileTitle", { username }), t("account.recoveryCodes.fileMade", { date }), t("account.recoveryCodes.fileNewer"), "", ...lines, ""].join("\n");
}

/** Hands the text to the browser as a file download, without a round trip to the server. */
export function downloadText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: revoking at once can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
