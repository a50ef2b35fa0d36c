/** CRC16-XMODEM (polynomial 0x1021), the checksum Redis Cluster hashes keys with. */
const TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

export const CLUSTER_SLOTS = 16_384;

/** The Redis Cluster slot of a hash tag (the text between `{` and `}`), as `CLUSTER KEYSLOT` gives it. */
export function slotOf(tag: string): number {
  let crc = 0;
  for (const byte of Buffer.from(tag, 'utf8')) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc % CLUSTER_SLOTS;
}
