/* Status codes shared by every funnelmc library function. */
#ifndef FUNNELMC_ERROR_H
#define FUNNELMC_ERROR_H

/* exported by libfunnelmc.so, which hides all else (docs/install.md) */
#pragma GCC visibility push(default)

typedef enum fmc_status {
    FMC_OK = 0,
    FMC_EINVAL,     /* an argument breaks a documented precondition */
    FMC_ENOMEM,     /* an allocation failed */
    FMC_EIO,        /* reading or writing a file failed (errno is kept) */
    FMC_EHDF5,      /* the HDF5 library reported an error */
    FMC_ESCENARIO,  /* a scenario is invalid; details are in the diagnostics */
    FMC_ENUMERIC,   /* a numerical routine failed (e.g. a quantile did not converge) */
    FMC_ECANCELLED, /* the caller asked the run to stop */
    FMC_EFOREIGN,   /* an existing output is not a funnelmc results file */
    FMC_ELOCKED     /* another process is writing the same output (its lock is held) */
} fmc_status;

/* A static, lower-case description of STATUS; never NULL. */
const char *fmc_strerror(fmc_status status);

#pragma GCC visibility pop

#endif
