/**
 * Whether a WebP file holds lossless (VP8L) pixel data, read from its RIFF chunks: libvips does
 * not report it, and re-encoding a lossless image lossily would damage it.
 */
export function isLosslessWebp(bytes: Uint8Array): boolean {
  // Chunks follow the 12-byte "RIFF<size>WEBP" header: a 4-byte tag, a little-endian size, data padded to even.
  let offset = 12;
  while (offset + 8 <= bytes.length) {
    const tag = String.fromCharCode(...bytes.subarray(offset, offset + 4));
    if (tag === "VP8L") return true;
    if (tag === "VP8 ") return false;
    const size =
      (bytes[offset + 4] ?? 0) |
      ((bytes[offset + 5] ?? 0) << 8) |
      ((bytes[offset + 6] ?? 0) << 16) |
      ((bytes[offset + 7] ?? 0) << 24);
    offset += 8 + (size >>> 0) + (size & 1);
  }
  return false;
}
