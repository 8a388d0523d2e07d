#include "funnelmc/error.h"

const char *fmc_strerror(fmc_status status)
{
    switch (status) {
    case FMC_OK: return "success";
    case FMC_EINVAL: return "invalid argument";
    case FMC_ENOMEM: return "out of memory";
    case FMC_EIO: return "input/output error";
    case FMC_EHDF5: return "HDF5 error";
    case FMC_ESCENARIO: return "invalid scenario";
    case FMC_ENUMERIC: return "numerical failure";
    case FMC_ECANCELLED: return "cancelled";
    case FMC_EFOREIGN: return "it exists and is not a funnelmc results file (not overwritten)";
    case FMC_ELOCKED:
        return "another funnelmc process is writing it (it holds the lock file of the "
               "same name ending in .lock); "
               "try again when that run is done";
    }
    return "unknown error";
}
