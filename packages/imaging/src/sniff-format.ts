import { UnsupportedMediaTypeError, type ImageFormat } from "@retouch/core";

const ACCEPTED = "upload a PNG, JPEG or WebP image";

/**
 * The format of `bytes` judged by their magic numbers alone (never by a declared type).
 * Throws `UnsupportedMediaTypeError` naming the format when it is a known but refused one.
 */
export function sniffFormat(bytes: Uint8Array): ImageFormat {
  if (bytes.length === 0) throw new UnsupportedMediaTypeError(`The file is empty; ${ACCEPTED}`);
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WEBP") return "webp";
  const refused = refusedFormat(bytes);
  throw new UnsupportedMediaTypeError(
    refused
      ? `${refused} are not supported; ${ACCEPTED}`
      : `The file is not a PNG, JPEG or WebP image; ${ACCEPTED}`,
  );
}

/** Names the formats people commonly try, so the message says what was sent. */
function refusedFormat(bytes: Uint8Array): string | null {
  const head = ascii(bytes, 0, 12);
  if (head.startsWith("GIF87a") || head.startsWith("GIF89a")) return "GIF images";
  if (head.startsWith("%PDF")) return "PDF documents";
  if (head.startsWith("II*\0") || head.startsWith("MM\0*")) return "TIFF images";
  if (head.startsWith("BM")) return "BMP images";
  if (ascii(bytes, 4, 4) === "ftyp") {
    const brand = ascii(bytes, 8, 4);
    return brand === "avif" || brand === "avis" ? "AVIF images" : "HEIF/HEIC images";
  }
  if (/<svg[\s>]/i.test(ascii(bytes, 0, 4096))) return "SVG images";
  return null;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((value, i) => bytes[i] === value);
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}
