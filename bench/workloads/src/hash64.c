/* 64-bit integer hashing: a splitmix-style finaliser and a
 * multiply-rotate mixer over a stream of n*4096 words, all in registers
 * (i64 mul, rotl, xor, shifts). Returns the final state. */
#include "common.h"

static inline u64 rotl64(u64 x, int r) { return (x << r) | (x >> (64 - r)); }

static inline u64 finalize(u64 z) {
	z ^= z >> 30;
	z *= 0xbf58476d1ce4e5b9ULL;
	z ^= z >> 27;
	z *= 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z;
}

EXPORT("run") i64 run(i32 n) {
	u64 h1 = 0x243f6a8885a308d3ULL, h2 = 0x13198a2e03707344ULL;
	u64 ctr = 0;
	for (i32 r = 0; r < n; r++) {
		for (int i = 0; i < 4096; i++) {
			ctr += 0x9e3779b97f4a7c15ULL;
			u64 k = finalize(ctr);
			h1 ^= rotl64(k * 0x87c37b91114253d5ULL, 31) * 0x4cf5ad432745937fULL;
			h1 = rotl64(h1, 27) + h2;
			h1 = h1 * 5 + 0x52dce729;
			h2 ^= k;
			h2 = rotl64(h2, 33) * 0xff51afd7ed558ccdULL;
			h2 += (h1 >> 7) ^ (u64)((i64)h1 >> 3) / 3;
		}
	}
	return (i64)finalize(h1 ^ h2);
}
