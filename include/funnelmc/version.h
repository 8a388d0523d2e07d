/* The version of the funnelmc library and program. */
#ifndef FUNNELMC_VERSION_H
#define FUNNELMC_VERSION_H

/* "MAJOR.MINOR.PATCH"; static storage. */
const char *fmc_version(void);

#endif
