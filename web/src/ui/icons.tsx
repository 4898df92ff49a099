// The app's few pictures, drawn inline so they follow the text colour and load nothing.
// All are decorative (aria-hidden): the text beside them says what they mean.
import type { ReactNode, SVGProps } from "react";

type IconProps = Omit<SVGProps<SVGSVGElement>, "children">;

const decorative = { "aria-hidden": true, focusable: false } as const;

/** Watchword's mark: a countdown ring around a keyhole. Matches public/favicon.svg. */
export function LogoMark(props: IconProps) {
  return (
    <svg viewBox="0 0 32 32" width="28" height="28" {...decorative} {...props}>
      <rect width="32" height="32" rx="8" className="logo-mark__tile" />
      <path d="M7 16A9 9 0 0 1 16 7" fill="none" className="logo-mark__line" strokeOpacity=".4" strokeWidth="3" strokeLinecap="round" />
      <path d="M16 7A9 9 0 1 1 7 16" fill="none" className="logo-mark__line" strokeWidth="3" strokeLinecap="round" />
      <circle cx="16" cy="14.5" r="2.6" className="logo-mark__fill" />
      <path d="M14.9 15.5h2.2l.6 4.5h-3.4z" className="logo-mark__fill" />
    </svg>
  );
}

function StrokeIcon({ children, ...props }: IconProps & { children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      {...decorative}
      {...props}
    >
      {children}
    </svg>
  );
}

export const ErrorIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7.5v5.5M12 16.5v.01" />
  </StrokeIcon>
);

export const InfoIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 11v5.5M12 7.5v.01" />
  </StrokeIcon>
);

export const CheckCircleIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="m8 12.5 2.8 2.8L16.2 9.5" />
  </StrokeIcon>
);

export const LinkBrokenIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M9 17H7A5 5 0 0 1 7 7M15 7h2a5 5 0 0 1 4 8M8 12h4M3 3l18 18" />
  </StrokeIcon>
);

export const CompassIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="m15.5 8.5-2 5-5 2 2-5z" />
  </StrokeIcon>
);

export const CloudOffIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M3 3l18 18" />
    <path d="M8.5 6.2A6 6 0 0 1 17.7 10h.3a4 4 0 0 1 2.4 7.2M17 18H7a5 5 0 0 1-2.2-9.5" />
  </StrokeIcon>
);

export const GlobeIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="M3 12h18M12 3c2.5 2.7 3.7 5.7 3.7 9s-1.2 6.3-3.7 9c-2.5-2.7-3.7-5.7-3.7-9S9.5 5.7 12 3z" />
  </StrokeIcon>
);

export const ChevronDownIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="m7 10 5 5 5-5" />
  </StrokeIcon>
);

export const SignOutIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M9 4H6a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h3M15 16l4-4-4-4M19 12H9" />
  </StrokeIcon>
);

export const SearchIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="m20 20-4.2-4.2" />
  </StrokeIcon>
);

export const PlusIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M12 5v14M5 12h14" />
  </StrokeIcon>
);

export const CloseIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M6 6l12 12M18 6 6 18" />
  </StrokeIcon>
);

export const CheckIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="m5 12.5 4.5 4.5L19 7.5" />
  </StrokeIcon>
);

export const CopyIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <rect x="9" y="9" width="11" height="11" rx="2" />
    <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
  </StrokeIcon>
);

export const KeyIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="8" cy="15" r="4" />
    <path d="m10.8 12.2 9.2-9.2M17 6l3 3M14.5 8.5l2 2" />
  </StrokeIcon>
);

export const LinkIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1 1" />
    <path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1-1" />
  </StrokeIcon>
);

export const QrIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <rect x="4" y="4" width="6" height="6" rx="1" />
    <rect x="14" y="4" width="6" height="6" rx="1" />
    <rect x="4" y="14" width="6" height="6" rx="1" />
    <path d="M14 14h2v2h-2zM18 18h2v2h-2zM14 19v1M20 14v1M17 14h.01" />
  </StrokeIcon>
);

export const CameraIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M4 8a2 2 0 0 1 2-2h1.5l1.5-2h6l1.5 2H18a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2z" />
    <circle cx="12" cy="12.5" r="3.5" />
  </StrokeIcon>
);

export const UploadIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M12 15V4M7.5 8.5 12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
  </StrokeIcon>
);

export const FolderIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M3.5 7a2 2 0 0 1 2-2h4l2 2.5h7a2 2 0 0 1 2 2V17a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2z" />
  </StrokeIcon>
);

export const TagIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M3.5 12.2V5a1.5 1.5 0 0 1 1.5-1.5h7.2L20.5 12l-8.3 8.5z" />
    <path d="M8 8h.01" />
  </StrokeIcon>
);

export const ChevronRightIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="m10 7 5 5-5 5" />
  </StrokeIcon>
);

export const ArrowLeftIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M19 12H5M11 6l-6 6 6 6" />
  </StrokeIcon>
);

export const EyeIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12z" />
    <circle cx="12" cy="12" r="3" />
  </StrokeIcon>
);

export const EyeOffIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M10.6 5.6A9.7 9.7 0 0 1 12 5.5c6 0 9.5 6.5 9.5 6.5a17 17 0 0 1-2.6 3.4M6.4 7.4C3.9 9 2.5 12 2.5 12S6 18.5 12 18.5c1.7 0 3.2-.5 4.5-1.2" />
    <path d="M9.9 9.9a3 3 0 0 0 4.2 4.2M3 3l18 18" />
  </StrokeIcon>
);

export const ArrowUpIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M12 19V5M6 11l6-6 6 6" />
  </StrokeIcon>
);

export const ArrowDownIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M12 5v14M18 13l-6 6-6-6" />
  </StrokeIcon>
);

export const LockIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <rect x="4.5" y="10.5" width="15" height="10" rx="2" />
    <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
  </StrokeIcon>
);

export const TrashIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
  </StrokeIcon>
);

export const PencilIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M4 20h4L19 9a2.8 2.8 0 0 0-4-4L4 16z" />
    <path d="m13.5 6.5 4 4" />
  </StrokeIcon>
);

export const WarningIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M12 4 2.8 19.5h18.4z" />
    <path d="M12 10v4.5M12 17v.01" />
  </StrokeIcon>
);

export const RefreshIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M20 11a8 8 0 0 0-14.3-4.6L4 8M4 4v4h4M4 13a8 8 0 0 0 14.3 4.6L20 16M20 20v-4h-4" />
  </StrokeIcon>
);

export const LifebuoyIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <circle cx="12" cy="12" r="9" />
    <circle cx="12" cy="12" r="3.5" />
    <path d="m5.6 5.6 3.9 3.9M14.5 14.5l3.9 3.9M18.4 5.6l-3.9 3.9M9.5 14.5l-3.9 3.9" />
  </StrokeIcon>
);

export const FileIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
    <path d="M14 3v5h5" />
  </StrokeIcon>
);

export const ClipboardIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <rect x="5" y="4.5" width="14" height="16.5" rx="2" />
    <path d="M9 4.5V3.5h6v1M9 10h6M9 14h4" />
  </StrokeIcon>
);

export const Spinner = (props: IconProps) => (
  <svg viewBox="0 0 24 24" width="16" height="16" className="spinner" {...decorative} {...props}>
    <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2.5" strokeOpacity=".25" />
    <path d="M21 12a9 9 0 0 0-9-9" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
  </svg>
);

/** The empty "My entries" picture: two entry cards, the front one with a code and a countdown ring. */
export function EmptyEntriesPicture(props: IconProps) {
  return (
    <svg viewBox="0 0 160 112" width="160" height="112" className="empty-picture" {...decorative} {...props}>
      <rect x="30" y="10" width="112" height="58" rx="10" className="empty-picture__back" />
      <rect x="18" y="30" width="124" height="68" rx="10" className="empty-picture__card" />
      <rect x="32" y="44" width="44" height="7" rx="3.5" className="empty-picture__muted" />
      <rect x="32" y="62" width="26" height="14" rx="4" className="empty-picture__code" />
      <rect x="62" y="62" width="26" height="14" rx="4" className="empty-picture__code" />
      <circle cx="120" cy="69" r="10" fill="none" strokeWidth="3" className="empty-picture__ring-track" />
      <path d="M120 59a10 10 0 1 1-9.5 13.1" fill="none" strokeWidth="3" strokeLinecap="round" className="empty-picture__ring" />
    </svg>
  );
}

export const DownloadIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M12 4v11M7.5 10.5 12 15l4.5-4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
  </StrokeIcon>
);

export const ShieldCheckIcon = (props: IconProps) => (
  <StrokeIcon {...props}>
    <path d="M12 3 5 6v5c0 4.4 3 8.3 7 9.5 4-1.2 7-5.1 7-9.5V6z" />
    <path d="m9 12 2 2 4-4" />
  </StrokeIcon>
);
