// Says a duration in the reader's language: "1 hour", "30 minutes", « 7 jours ».
import { useTranslation } from "react-i18next";
import { durationParts } from "./durations.js";

export function useDurationText(): (seconds: number) => string {
  const { t } = useTranslation();
  return (seconds) => {
    const { unit, count } = durationParts(seconds);
    return t(`access.duration.${unit}`, { count });
  };
}
