/* Run-time choice of instruction set for the hot loops (private).
 *
 * A portable build (-DFUNNELMC_NATIVE=OFF with GCC on x86-64 defines
 * FUNNELMC_DISPATCH) compiles everything for the compiler's baseline
 * x86-64, which any x86-64 CPU runs, and each function marked
 * FMC_HOT_LOOP three times: GCC's function multiversioning
 * (target_clones) emits a clone for the baseline, one for x86-64-v3
 * (AVX2) and one for x86-64-v4 (AVX-512), and an ifunc resolver that the
 * dynamic loader runs once, at load, to bind the function to the widest
 * clone the CPU supports.  Calls then cost what a call through the PLT
 * costs, which is why the mark goes on functions that loop over a block,
 * not on what they call per sample: their callees are inlined into each
 * clone and compiled for its instruction set.
 *
 * Wider vectors cannot change a result: the build has neither
 * contraction (-std=c17, -ffp-contract=off) nor reassociation (no
 * -ffast-math), so every clone does the same IEEE operations in the same
 * order on each element (docs/design.md, "Portable builds and dispatch";
 * the test portable_same_bits).
 *
 * A native build (-march=native, the default) already compiles for the
 * building CPU: the mark is empty and changes nothing.  So is it in a
 * portable build by clang (the fuzzer's, scripts/fuzz.sh): clang 14 accepts
 * neither the ISA levels "arch=x86-64-v3"/"v4" in target_clones nor in
 * __builtin_cpu_supports, so such a build is the compiler's baseline
 * throughout, and fmc_build_description says so. */
#ifndef FUNNELMC_DISPATCH_H
#define FUNNELMC_DISPATCH_H

/* The clones are named by ISA level: x86-64-v3 is AVX2 with FMA, BMI2 and
 * MOVBE; x86-64-v4 adds AVX-512 F, BW, CD, DQ and VL, with which GCC also
 * vectorises the byte flags and 64-bit integer conversions that AVX-512F
 * alone leaves scalar (fmc_lever_apply).  A function called by the hot
 * loop but big is inlined into one caller, not into three clones: such a
 * callee that holds a loop carries the mark itself (drivers.c). */
#ifdef FUNNELMC_DISPATCH
#define FMC_HOT_LOOP __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))

typedef enum {
    FMC_HOT_LOOP_BASELINE,  /* the clone "default": SSE2 */
    FMC_HOT_LOOP_AVX2,
    FMC_HOT_LOOP_AVX512
} fmc_hot_loop_level;

/* The clone the loader binds the hot loops to on this CPU: the resolvers
 * GCC writes for the list above test these same features, widest first. */
static inline fmc_hot_loop_level fmc_hot_loop_level_chosen(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("x86-64-v4")   ? FMC_HOT_LOOP_AVX512
           : __builtin_cpu_supports("x86-64-v3") ? FMC_HOT_LOOP_AVX2
                                                 : FMC_HOT_LOOP_BASELINE;
}
#else
#define FMC_HOT_LOOP
#endif

#endif
