/* Shared helpers for the gowasm benchmark workloads.
 *
 * Every workload is a reactor module with no imports that exports
 * run(n) and returns a checksum, so the result can be compared between
 * runtimes. n scales the amount of work.
 */
#ifndef GOWASM_BENCH_COMMON_H
#define GOWASM_BENCH_COMMON_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;

#define EXPORT(name) __attribute__((export_name(name)))

/* xorshift32 pseudo-random generator; state must be non-zero. */
static inline u32 xs32(u32 *s) {
	u32 x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* Fold a 64-bit value into a running checksum. */
static inline u64 fold(u64 acc, u64 v) {
	acc ^= v + 0x9e3779b97f4a7c15ULL + (acc << 6) + (acc >> 2);
	return acc;
}

#endif
