import { useState } from "react";

/** A poster image with a gradient behind it, so a missing image still looks like a video frame. */
export function Poster({ src, alt, className }: { src: string | undefined; alt: string; className?: string }) {
  const [failed, setFailed] = useState(false);
  return (
    <div className={`poster ${className ?? ""}`}>
      {src && !failed && <img src={src} alt={alt} loading="lazy" onError={() => setFailed(true)} />}
    </div>
  );
}
