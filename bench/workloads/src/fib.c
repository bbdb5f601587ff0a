/* Recursive Fibonacci: call-heavy, tiny frames. run(n) = fib(n). */
#include "common.h"

__attribute__((noinline)) static i32 fib(i32 n) {
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

EXPORT("run") i64 run(i32 n) { return (i64)(u32)fib(n); }
