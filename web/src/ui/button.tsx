// Buttons and link-styled-as-button. A busy button keeps its name and focus (aria-disabled rather
// than disabled) and shows a spinner, so a second press while a request runs does nothing.
import type { ButtonHTMLAttributes, MouseEvent, ReactNode, Ref } from "react";
import { Spinner } from "./icons.js";
import { Link } from "./router.js";

export type ButtonVariant = "primary" | "secondary" | "quiet" | "danger";

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  readonly variant?: ButtonVariant;
  readonly isBusy?: boolean;
  readonly icon?: ReactNode;
  readonly isWide?: boolean;
  readonly ref?: Ref<HTMLButtonElement>;
}

export const buttonClass = (variant: ButtonVariant, isWide = false): string =>
  `button button--${variant}${isWide ? " button--wide" : ""}`;

export function Button({ variant = "secondary", isBusy = false, isWide = false, icon, type = "button", className, onClick, children, ...rest }: ButtonProps) {
  const press = (event: MouseEvent<HTMLButtonElement>): void => {
    if (isBusy) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  };
  return (
    <button
      type={type}
      className={`${buttonClass(variant, isWide)}${className === undefined ? "" : ` ${className}`}`}
      aria-disabled={isBusy || undefined}
      aria-busy={isBusy || undefined}
      onClick={press}
      {...rest}
    >
      {isBusy ? <Spinner className="button__icon spinner" /> : icon}
      <span>{children}</span>
    </button>
  );
}

export function ButtonLink({ to, variant = "primary", isWide = false, children }: { to: string; variant?: ButtonVariant; isWide?: boolean; children: ReactNode }) {
  return (
    <Link to={to} className={buttonClass(variant, isWide)}>
      <span>{children}</span>
    </Link>
  );
}
