// Channel permission overwrites for a member (type 1) or a role (type 0), as Discord stores them.

/** Denies `bits` to a role or member in a channel. */
export const deny = (id: string, bits: bigint, type: 0 | 1 = 0) => ({ id, type, allow: "0", deny: bits.toString() });
/** Allows `bits` to a role or member in a channel. */
export const allow = (id: string, bits: bigint, type: 0 | 1 = 0) => ({ id, type, allow: bits.toString(), deny: "0" });
