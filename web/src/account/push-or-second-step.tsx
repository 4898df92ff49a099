// The second step of a sign-in by method: push approval first when the person has it (with a way
// to a code instead), else the code form (second-step-form.tsx).
import { useState } from "react";
import type { SignInReply } from "../../../src/contract/auth.js";
import { PushSignIn } from "./push-sign-in.js";
import { SecondStepForm, type RecoveryChoice } from "./second-step-form.js";

export function PushOrSecondStep({ methods, onSignedIn, onRestart, recovery }: { methods: readonly string[]; onSignedIn: (reply: SignInReply) => void; onRestart: () => void; recovery: RecoveryChoice }) {
  const codeMethods = methods.filter((method) => method !== "push");
  const [usesPush, setUsesPush] = useState(methods.includes("push"));
  if (usesPush) return <PushSignIn onSignedIn={onSignedIn} onRestart={onRestart} onOtherMethod={codeMethods.length > 0 ? () => setUsesPush(false) : undefined} />;
  return <SecondStepForm methods={codeMethods} onSignedIn={onSignedIn} onRestart={onRestart} recovery={recovery} />;
}
