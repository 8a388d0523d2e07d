/* The version of the funnelmc library and program, and how it was built. */
#ifndef FUNNELMC_VERSION_H
#define FUNNELMC_VERSION_H

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

/* "MAJOR.MINOR.PATCH"; static storage. */
const char *fmc_version(void);

/* How this library was compiled, in words, for 'funnelmc --version':
 *   "native (-march=native)"  compiled for the building machine's CPU
 *                             (-DFUNNELMC_NATIVE=ON, the default);
 *   "portable x86-64, hot loops chosen at run time: LEVEL"
 *                             a portable build (-DFUNNELMC_NATIVE=OFF) by
 *                             GCC on x86-64: the baseline instruction set, and
 *                             the hot loops in the clone the loader chose
 *                             for this CPU, LEVEL being "AVX-512"
 *                             (x86-64-v4), "AVX2" (x86-64-v3) or
 *                             "baseline x86-64";
 *   "portable (the compiler's baseline)"
 *                             a portable build on another architecture,
 *                             or by a compiler other than GCC (clang's
 *                             has no run-time dispatch).
 * Results never depend on it (docs/design.md, "Portable builds and
 * dispatch").  Static storage; the same string at every call. */
const char *fmc_build_description(void);

#pragma GCC visibility pop

#endif
