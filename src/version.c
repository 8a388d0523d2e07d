#include "funnelmc/version.h"

#include "dispatch.h"

const char *fmc_version(void)
{
    return FMC_VERSION_STRING;
}

const char *fmc_build_description(void)
{
#if defined(FUNNELMC_DISPATCH)
    static const char *const levels[] = {
        [FMC_HOT_LOOP_BASELINE] = "portable x86-64, hot loops chosen at run time: baseline x86-64",
        [FMC_HOT_LOOP_AVX2] = "portable x86-64, hot loops chosen at run time: AVX2",
        [FMC_HOT_LOOP_AVX512] = "portable x86-64, hot loops chosen at run time: AVX-512",
    };
    return levels[fmc_hot_loop_level_chosen()];
#elif defined(FUNNELMC_NATIVE_BUILD)
    return "native (-march=native)";
#else
    return "portable (the compiler's baseline)";
#endif
}
