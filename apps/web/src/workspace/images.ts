import { formatBytes } from "./format";

export const ACCEPTED_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
/** Longest side of the bitmap drawn on screen; the mask itself is kept in source pixels. */
export const PREVIEW_MAX_SIDE = 2048;

const NAMES: Record<string, string> = {
  "image/gif": "a GIF",
  "image/svg+xml": "an SVG",
  "image/heic": "a HEIC photo",
  "image/heif": "a HEIF photo",
  "image/bmp": "a BMP",
  "image/tiff": "a TIFF",
  "application/pdf": "a PDF",
};

/** Why `file` cannot be opened, before sending it anywhere; null when it may be. */
export function checkImageFile(file: { name: string; type: string; size: number }): string | null {
  if (!(ACCEPTED_TYPES as readonly string[]).includes(file.type)) {
    const what = NAMES[file.type] ?? (file.type ? `a ${file.type} file` : "not an image Retouch can open");
    return `“${file.name}” is ${what}. Retouch opens PNG, JPEG and WebP images.`;
  }
  if (file.size > MAX_UPLOAD_BYTES)
    return `“${file.name}” is ${formatBytes(file.size)}; images can be at most ${formatBytes(MAX_UPLOAD_BYTES)}.`;
  if (file.size === 0) return `“${file.name}” is empty.`;
  return null;
}

export interface Preview {
  /** Downscaled for display (at most PREVIEW_MAX_SIDE on its longer side). */
  bitmap: ImageBitmap;
  /** Natural size, after EXIF orientation. */
  width: number;
  height: number;
}

/** Decodes `blob` and keeps a display-sized bitmap, so large photos draw fast. */
export async function decodePreview(blob: Blob): Promise<Preview> {
  const full = await createImageBitmap(blob, { imageOrientation: "from-image" });
  const { width, height } = full;
  const factor = Math.min(1, PREVIEW_MAX_SIDE / Math.max(width, height));
  if (factor === 1) return { bitmap: full, width, height };
  try {
    const bitmap = await createImageBitmap(full, {
      resizeWidth: Math.max(1, Math.round(width * factor)),
      resizeHeight: Math.max(1, Math.round(height * factor)),
      resizeQuality: "high",
    });
    return { bitmap, width, height };
  } finally {
    full.close();
  }
}

/** Saves `url` as a file (fetched as a blob so the name sticks even for signed cross-origin URLs). */
export async function downloadUrl(url: string, filename: string): Promise<void> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The download failed (${response.status}). Try again.`);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.rel = "noopener";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}
