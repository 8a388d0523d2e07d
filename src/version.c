#include "funnelmc/version.h"

const char *fmc_version(void)
{
    return FMC_VERSION_STRING;
}
