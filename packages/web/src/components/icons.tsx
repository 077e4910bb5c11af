/** Inline SVG icons: no icon font, no image requests. */
import type { ReactNode } from "react";

interface IconProps {
  size?: number;
  className?: string;
}

const svg = (size: number, className: string | undefined, children: ReactNode, fill = "none") => (
  <svg
    width={size}
    height={size}
    viewBox="0 0 24 24"
    fill={fill}
    stroke="currentColor"
    strokeWidth={2}
    strokeLinecap="round"
    strokeLinejoin="round"
    className={className}
    aria-hidden="true"
  >
    {children}
  </svg>
);

export const CartIcon = ({ size = 24, className }: IconProps) =>
  svg(
    size,
    className,
    <>
      <path d="M3 4h2.2l2.3 10.6a1.5 1.5 0 0 0 1.5 1.2h8.3a1.5 1.5 0 0 0 1.4-1.1L21 8H6.1" />
      <circle cx="9.5" cy="19.5" r="1.4" />
      <circle cx="17" cy="19.5" r="1.4" />
    </>,
  );

export const BagIcon = ({ size = 24, className }: IconProps) =>
  svg(
    size,
    className,
    <>
      <path d="M5 8h14l-1 12H6L5 8Z" />
      <path d="M9 8V6a3 3 0 0 1 6 0v2" />
    </>,
  );

export const EyeIcon = ({ size = 16, className }: IconProps) =>
  svg(
    size,
    className,
    <>
      <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12Z" />
      <circle cx="12" cy="12" r="3" />
    </>,
  );

export const HeartIcon = ({ size = 16, className }: IconProps) =>
  svg(size, className, <path d="M12 20s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.6-7 10-7 10Z" />);

export const CloseIcon = ({ size = 22, className }: IconProps) =>
  svg(size, className, <path d="M6 6l12 12M18 6 6 18" />);

export const BackIcon = ({ size = 22, className }: IconProps) => svg(size, className, <path d="M15 5l-7 7 7 7" />);

export const SendIcon = ({ size = 20, className }: IconProps) =>
  svg(size, className, <path d="M4 12 20 4l-6 16-3-7-7-1Z" />);

export const UserIcon = ({ size = 22, className }: IconProps) =>
  svg(
    size,
    className,
    <>
      <circle cx="12" cy="8" r="4" />
      <path d="M4 21a8 8 0 0 1 16 0" />
    </>,
  );

export const PinIcon = ({ size = 16, className }: IconProps) =>
  svg(size, className, <path d="M9 4h6l-1 6 4 3H6l4-3-1-6Zm3 9v7" />);

export const LockIcon = ({ size = 16, className }: IconProps) =>
  svg(
    size,
    className,
    <>
      <rect x="5" y="11" width="14" height="9" rx="2" />
      <path d="M8 11V8a4 4 0 0 1 8 0v3" />
    </>,
  );

export const ShieldIcon = ({ size = 16, className }: IconProps) =>
  svg(size, className, <path d="M12 3 5 6v6c0 4.4 3 7.6 7 9 4-1.4 7-4.6 7-9V6l-7-3Zm-3 9 2 2 4-4" />);

export const PlayIcon = ({ size = 16, className }: IconProps) =>
  svg(size, className, <path d="M8 5v14l11-7Z" />, "currentColor");

export const TruckIcon = ({ size = 16, className }: IconProps) =>
  svg(
    size,
    className,
    <>
      <path d="M3 6h11v10H3zM14 10h4l3 3v3h-7" />
      <circle cx="7" cy="18" r="1.6" />
      <circle cx="17" cy="18" r="1.6" />
    </>,
  );

/** The control room's mark: a pulse line, as on a monitor. */
export const PulseIcon = ({ size = 18, className }: IconProps) =>
  svg(size, className, <path d="M3 12h4l3-8 4 16 3-8h4" />);
