/* A switch-dispatched stack-machine interpreter (the kind of loop a
 * compiler turns into br_table). The bytecode program runs a
 * pseudo-random accumulation loop n times; run returns the accumulator. */
#include "common.h"

enum {
	PUSH, /* imm: push imm */
	LOAD, /* r: push reg[r] */
	STORE, /* r: pop into reg[r] */
	ADD,
	SUB,
	MUL,
	AND,
	OR,
	XOR,
	SHL,
	SHR,
	DUP,
	SWAP,
	DROP,
	LT, /* push a < b (unsigned) */
	JMP, /* target */
	JZ, /* target: pop, jump when zero */
	JNZ, /* target: pop, jump when non-zero */
	HALT,
};

static i32 program[] = {
    /* 0 */ PUSH, 7, STORE, 2,
    /* 4 */ PUSH, 1, STORE, 1,
    /* loop @ 8: r2 = (r2*1103515245 + 12345) & 0x7fffffff */
    LOAD, 2, PUSH, 1103515245, MUL, PUSH, 12345, ADD, PUSH, 0x7fffffff, AND, STORE, 2,
    /* @21: r1 = (r1 ^ (r2 >> 3)) + r0 */
    LOAD, 1, LOAD, 2, PUSH, 3, SHR, XOR, LOAD, 0, ADD, STORE, 1,
    /* @34: if (r2 & 1) r1 ^= r1 << 5 */
    LOAD, 2, PUSH, 1, AND, JZ, 50,
    /* @41 */ LOAD, 1, DUP, PUSH, 5, SHL, XOR, STORE, 1,
    /* @50: if (r2 & 0xff) < 16: r3 += 1 else r4 |= r2 & 0xf0 */
    LOAD, 2, PUSH, 0xff, AND, PUSH, 16, LT, JZ, 69,
    /* @60 */ LOAD, 3, PUSH, 1, ADD, STORE, 3, JMP, 79,
    /* @69 */ LOAD, 4, LOAD, 2, PUSH, 0xf0, AND, OR, STORE, 4,
    /* @79: r0 -= 1; loop while r0 != 0 */
    LOAD, 0, PUSH, 1, SUB, DUP, STORE, 0, JNZ, 8,
    /* @89 */ LOAD, 1, LOAD, 3, PUSH, 16, SHL, XOR, LOAD, 4, XOR, HALT,
};

__attribute__((noinline)) static u32 exec(const i32 *code, u32 n) {
	u32 reg[8] = {n, 0, 0, 0, 0, 0, 0, 0};
	u32 stack[64];
	u32 sp = 0, pc = 0;
	for (;;) {
		i32 op = code[pc++];
		switch (op) {
		case PUSH: stack[sp++] = (u32)code[pc++]; break;
		case LOAD: stack[sp++] = reg[code[pc++] & 7]; break;
		case STORE: reg[code[pc++] & 7] = stack[--sp]; break;
		case ADD: sp--; stack[sp - 1] += stack[sp]; break;
		case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
		case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
		case AND: sp--; stack[sp - 1] &= stack[sp]; break;
		case OR: sp--; stack[sp - 1] |= stack[sp]; break;
		case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
		case SHL: sp--; stack[sp - 1] <<= (stack[sp] & 31); break;
		case SHR: sp--; stack[sp - 1] >>= (stack[sp] & 31); break;
		case DUP: stack[sp] = stack[sp - 1]; sp++; break;
		case SWAP: {
			u32 t = stack[sp - 1];
			stack[sp - 1] = stack[sp - 2];
			stack[sp - 2] = t;
			break;
		}
		case DROP: sp--; break;
		case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
		case JMP: pc = (u32)code[pc]; break;
		case JZ: pc = stack[--sp] == 0 ? (u32)code[pc] : pc + 1; break;
		case JNZ: pc = stack[--sp] != 0 ? (u32)code[pc] : pc + 1; break;
		case HALT: return stack[sp - 1];
		default: return 0xdeadbeef;
		}
		sp &= 63;
	}
}

EXPORT("run") i64 run(i32 n) {
	if (n < 1)
		n = 1;
	return (i64)exec(program, (u32)n);
}
