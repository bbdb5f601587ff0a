/* memcpy/memset/memmove-heavy code: n rounds of copying and filling
 * blocks of varying sizes and offsets within a 1 MiB arena. Built with
 * bulk memory, so large copies become memory.copy and memory.fill.
 * Returns a checksum sampled from the arena. */
#include "common.h"

#define ARENA (1 << 20)

static u8 arena[ARENA];

EXPORT("run") i64 run(i32 n) {
	u32 s = 0x1234567;
	for (u32 i = 0; i < ARENA; i += 4) {
		u32 v = xs32(&s);
		__builtin_memcpy(&arena[i], &v, 4);
	}
	u64 acc = 0;
	for (i32 r = 0; r < n; r++) {
		for (int k = 0; k < 64; k++) {
			u32 len = (xs32(&s) & 0x3fff) + 1; /* 1 .. 16 KiB */
			u32 src = xs32(&s) % (ARENA - len);
			u32 dst = xs32(&s) % (ARENA - len);
			switch (k & 3) {
			case 0:
				__builtin_memmove(&arena[dst], &arena[src], len);
				break;
			case 1:
				__builtin_memset(&arena[dst], (int)(src & 0xff), len);
				break;
			case 2: {
				/* Small fixed-size copies, inlined as loads/stores. */
				for (u32 o = 0; o + 16 <= len; o += 16)
					__builtin_memcpy(&arena[dst + o], &arena[(src + ((o * 7) & 0xff0)) % (ARENA - 16)], 16);
				break;
			}
			default:
				__builtin_memmove(&arena[src], &arena[dst], len / 2 + 1);
				break;
			}
			acc = fold(acc, arena[dst] | (u32)arena[dst + len - 1] << 8);
		}
	}
	for (u32 i = 0; i < ARENA; i += 4093)
		acc = fold(acc, arena[i]);
	return (i64)acc;
}
