/* N-body simulation of five bodies (a sun and four planets with made-up
 * orbits) under Newtonian gravity, symplectic Euler steps. run(n) takes
 * n steps and returns the bits of the final total energy. */
#include "common.h"

#define NB 5

typedef struct {
	double x, y, z, vx, vy, vz, m;
} body;

static body bodies[NB];

static void init(void) {
	const double G = 39.47841760435743; /* 4*pi^2: AU, years, solar masses */
	/* position (AU), velocity (AU/year), mass (solar masses) */
	static const double seed[NB][7] = {
	    {0, 0, 0, 0, 0, 0, 1.0},
	    {5.2, 0.1, -0.05, 0.02, 2.75, 0.01, 9.5e-4},
	    {-9.5, 0.4, 0.2, -0.1, -2.05, 0.03, 2.9e-4},
	    {0.3, 19.2, -0.3, -1.43, 0.05, 0.02, 4.4e-5},
	    {-0.2, -30.1, 0.8, 1.15, -0.02, -0.01, 5.2e-5},
	};
	for (int i = 0; i < NB; i++) {
		bodies[i].x = seed[i][0];
		bodies[i].y = seed[i][1];
		bodies[i].z = seed[i][2];
		bodies[i].vx = seed[i][3];
		bodies[i].vy = seed[i][4];
		bodies[i].vz = seed[i][5];
		bodies[i].m = seed[i][6] * G;
	}
	/* Cancel the total momentum with the sun's velocity. */
	double px = 0, py = 0, pz = 0;
	for (int i = 1; i < NB; i++) {
		px += bodies[i].vx * bodies[i].m;
		py += bodies[i].vy * bodies[i].m;
		pz += bodies[i].vz * bodies[i].m;
	}
	bodies[0].vx = -px / bodies[0].m;
	bodies[0].vy = -py / bodies[0].m;
	bodies[0].vz = -pz / bodies[0].m;
}

static void step(double dt) {
	for (int i = 0; i < NB; i++) {
		body *a = &bodies[i];
		for (int j = i + 1; j < NB; j++) {
			body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double d = __builtin_sqrt(d2);
			double mag = dt / (d2 * d);
			a->vx -= dx * b->m * mag;
			a->vy -= dy * b->m * mag;
			a->vz -= dz * b->m * mag;
			b->vx += dx * a->m * mag;
			b->vy += dy * a->m * mag;
			b->vz += dz * a->m * mag;
		}
	}
	for (int i = 0; i < NB; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

static double energy(void) {
	double e = 0;
	for (int i = 0; i < NB; i++) {
		body *a = &bodies[i];
		e += 0.5 * a->m * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
		for (int j = i + 1; j < NB; j++) {
			body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
			e -= a->m * b->m / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

EXPORT("run") i64 run(i32 n) {
	init();
	for (i32 i = 0; i < n; i++)
		step(0.001);
	double e = energy();
	u64 bits;
	__builtin_memcpy(&bits, &e, 8);
	return (i64)bits;
}
