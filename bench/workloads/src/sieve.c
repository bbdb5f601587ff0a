/* Sieve of Eratosthenes over a byte array. run(n) counts the primes
 * below n*4096 (capped at 1<<22) and returns the count mixed with the
 * largest prime found. */
#include "common.h"

#define MAXLIMIT (1 << 22)

static u8 composite[MAXLIMIT];

static u32 sieve(u32 limit) {
	for (u32 i = 0; i < limit; i++)
		composite[i] = 0;
	u32 count = 0;
	for (u32 i = 2; i < limit; i++) {
		if (composite[i])
			continue;
		count++;
		for (u32 j = i * 2; j < limit; j += i)
			composite[j] = 1;
	}
	return count;
}

EXPORT("run") i64 run(i32 n) {
	if (n < 1)
		n = 1;
	if (n > MAXLIMIT / 4096)
		n = MAXLIMIT / 4096;
	u32 limit = (u32)n * 4096;
	u32 count = sieve(limit);
	u32 last = limit - 1;
	while (composite[last])
		last--;
	return (i64)fold(fold(0, count), last);
}
