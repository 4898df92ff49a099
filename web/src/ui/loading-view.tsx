// What shows while the first answer from the server is on its way. It appears after a short
// delay (in CSS), so a fast answer shows no flash.
import { Spinner } from "./icons.js";

export function LoadingView({ label }: { label: string }) {
  return (
    <div className="loading-view" role="status">
      <Spinner className="spinner loading-view__spinner" width={20} height={20} />
      <span>{label}</span>
    </div>
  );
}
