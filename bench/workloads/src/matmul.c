/* Dense f64 matrix multiply C = A*B of n x n matrices (n capped at MAXN).
 * Returns a checksum of the bits of C's trace and of a strided sum. */
#include "common.h"

#define MAXN 320

static double A[MAXN * MAXN], B[MAXN * MAXN], C[MAXN * MAXN];

EXPORT("run") i64 run(i32 n) {
	if (n < 1)
		n = 1;
	if (n > MAXN)
		n = MAXN;
	u32 s = 12345;
	for (i32 i = 0; i < n * n; i++) {
		A[i] = (double)(xs32(&s) % 1000) / 250.0 - 2.0;
		B[i] = (double)(xs32(&s) % 1000) / 125.0 - 4.0;
		C[i] = 0.0;
	}
	for (i32 i = 0; i < n; i++) {
		for (i32 k = 0; k < n; k++) {
			double a = A[i * n + k];
			double *brow = &B[k * n];
			double *crow = &C[i * n];
			for (i32 j = 0; j < n; j++)
				crow[j] += a * brow[j];
		}
	}
	double trace = 0, strided = 0;
	for (i32 i = 0; i < n; i++)
		trace += C[i * n + i];
	for (i32 i = 0; i < n * n; i += 7)
		strided += C[i];
	u64 tb, sb;
	__builtin_memcpy(&tb, &trace, 8);
	__builtin_memcpy(&sb, &strided, 8);
	return (i64)fold(fold(0, tb), sb);
}
