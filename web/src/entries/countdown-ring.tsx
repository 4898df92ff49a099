// The thin ring beside a code: the arc left is the time left, amber for the last five seconds,
// with the seconds written inside. It moves once a second with a one-second linear transition
// aimed at the next second's value, so it sweeps smoothly without a frame loop; with reduced
// motion it steps instead (CSS drops the transition).
import { isEndingSoon, remainingFraction, secondsLeft } from "./code-clock.js";

interface CountdownRingProps {
  readonly validFrom: number;
  readonly validUntil: number;
  /** The server's current whole second. */
  readonly second: number;
  readonly size?: "s" | "l";
  /** Id of the sentence that says how long is left, for aria-describedby on the code. */
  readonly describedById?: string;
  readonly describe: (seconds: number) => string;
}

const prefersReducedMotion = (): boolean => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

export function CountdownRing({ validFrom, validUntil, second, size = "s", describedById, describe }: CountdownRingProps) {
  const left = secondsLeft(validUntil, second);
  const target = prefersReducedMotion() ? second : second + 1;
  const filled = remainingFraction(validFrom, validUntil, target) * 100;
  const tone = left === 0 ? " ring--expired" : isEndingSoon(left) ? " ring--ending" : "";
  return (
    <span className={`ring ring--${size}${tone}`} data-testid="countdown" data-seconds-left={left}>
      <svg viewBox="0 0 36 36" className="ring__svg" aria-hidden="true" focusable="false">
        <circle cx="18" cy="18" r="16" className="ring__track" />
        {/* Keyed on the window, so a new code starts full instead of sweeping back. */}
        <circle
          key={validFrom}
          cx="18"
          cy="18"
          r="16"
          pathLength={100}
          strokeDasharray="100 100"
          strokeDashoffset={100 - filled}
          transform="rotate(-90 18 18) scale(1 -1) translate(0 -36)"
          className="ring__bar"
        />
      </svg>
      <span className="ring__seconds" aria-hidden="true">
        {left}
      </span>
      <span id={describedById} className="visually-hidden">
        {describe(left)}
      </span>
    </span>
  );
}
