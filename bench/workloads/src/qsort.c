/* Quicksort (Hoare partition, median of three, insertion sort for small
 * ranges) of n pseudo-random 32-bit ints (n capped at MAXN). Returns a
 * position-weighted checksum, or -1 when the result is not sorted. */
#include "common.h"

#define MAXN (1 << 21)

static i32 a[MAXN];

static void isort(i32 *v, i32 lo, i32 hi) {
	for (i32 i = lo + 1; i <= hi; i++) {
		i32 x = v[i], j = i - 1;
		while (j >= lo && v[j] > x) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = x;
	}
}

static void quicksort(i32 *v, i32 lo, i32 hi) {
	while (hi - lo > 16) {
		i32 mid = lo + (hi - lo) / 2;
		i32 p0 = v[lo], p1 = v[mid], p2 = v[hi];
		i32 p = p0 < p1 ? (p1 < p2 ? p1 : (p0 < p2 ? p2 : p0))
		                : (p0 < p2 ? p0 : (p1 < p2 ? p2 : p1));
		i32 i = lo - 1, j = hi + 1;
		for (;;) {
			do i++; while (v[i] < p);
			do j--; while (v[j] > p);
			if (i >= j)
				break;
			i32 t = v[i];
			v[i] = v[j];
			v[j] = t;
		}
		/* Recurse into the smaller half, loop on the larger. */
		if (j - lo < hi - j) {
			quicksort(v, lo, j);
			lo = j + 1;
		} else {
			quicksort(v, j + 1, hi);
			hi = j;
		}
	}
	isort(v, lo, hi);
}

EXPORT("run") i64 run(i32 n) {
	if (n < 1)
		n = 1;
	if (n > MAXN)
		n = MAXN;
	u32 s = 2463534242u;
	for (i32 i = 0; i < n; i++)
		a[i] = (i32)xs32(&s);
	quicksort(a, 0, n - 1);
	u64 acc = 0;
	for (i32 i = 0; i < n; i++) {
		if (i > 0 && a[i - 1] > a[i])
			return -1;
		acc += (u64)(u32)a[i] * (u64)(i + 1);
	}
	return (i64)acc;
}
