/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum in the gzip trailer (RFC 1952 section 2.3.1).
 * fflate does not verify it on decompression; Go's compress/gzip does (`gzip.ErrChecksum`), and a flipped bit that
 * still inflates would otherwise reach the protobuf decoder as plausible garbage. Slicing-by-8 keeps it at
 * roughly 1 GB/s in V8, small next to inflating.
 */
/** Built at the first checksum: a `goprof` run that inflates with Node's zlib never needs them. */
let tables: Int32Array | undefined;

function buildTables(): Int32Array {
  const tables = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    }
    tables[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[n];
    for (let t = 1; t < 8; t++) {
      c = tables[c & 0xff] ^ (c >>> 8);
      tables[t * 256 + n] = c;
    }
  }
  return tables;
}

export function crc32(data: Uint8Array): number {
  const t = (tables ??= buildTables());
  let crc = -1;
  let i = 0;
  const n8 = data.length - (data.length % 8);
  for (; i < n8; i += 8) {
    const a = (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)) ^ crc;
    crc =
      t[1792 + (a & 0xff)] ^
      t[1536 + ((a >>> 8) & 0xff)] ^
      t[1280 + ((a >>> 16) & 0xff)] ^
      t[1024 + (a >>> 24)] ^
      t[768 + data[i + 4]] ^
      t[512 + data[i + 5]] ^
      t[256 + data[i + 6]] ^
      t[data[i + 7]];
  }
  for (; i < data.length; i++) {
    crc = t[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ -1) >>> 0;
}
